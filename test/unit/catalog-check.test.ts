/**
 * `npm run catalog:check` (scripts/catalog-check.ts) run as users run it, against the fake's public
 * catalog: the fake's models match ours; a deliberately drifted fake (a new model, a withdrawn one,
 * a changed price, enum and field) and a recorded snapshot of it are reported line by line.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { videoModels } from '../../nodes/MuviVideo/models';
import { catalogModels, findCatalogModel } from '../../nodes/MuviVideo/models';
import { compareCatalogs, renderReport } from '../../scripts/catalog-check';
import type { DriftReport, Snapshot } from '../../scripts/catalog-check';
import { startFakeMuvi } from '../fake-muvi/server';
import type { FakeMuvi, FakeMuviOptions } from '../fake-muvi/server';
import { builtinModelSpecs } from '../fake-muvi/models';

const ROOT = join(__dirname, '../..');
let fake: FakeMuvi | undefined;
const dir = mkdtempSync(join(tmpdir(), 'catalog-check-'));
afterEach(async () => {
	await fake?.close();
	fake = undefined;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the command in a child process (async, so the in-process fake can answer). */
async function catalogCheck(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, ['--disable-warning=MODULE_TYPELESS_PACKAGE_JSON', join(ROOT, 'scripts/catalog-check.ts'), ...args], {
			cwd: ROOT,
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
		child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
		child.on('error', reject);
		child.on('close', (code) => resolve({ code, stdout, stderr }));
	});
}

/** The drift a user would see after Muvi changed its catalog. */
function drifted(): FakeMuviOptions {
	const specs = builtinModelSpecs();
	const pro = specs.find((s) => s.slug === 'google/nano-banana-pro/text-to-image')!;
	const wan = specs.find((s) => s.slug === 'alibaba-plus/wan-2.7/text-to-image')!;
	const proSchema = structuredClone(pro.inputSchema!);
	proSchema.properties.aspect_ratio.enum = [...(proSchema.properties.aspect_ratio.enum ?? []), '4:5'];
	proSchema.properties.seed = { type: 'integer' };
	const wanSchema = structuredClone(wan.inputSchema!);
	wanSchema.properties.num_images = { type: 'integer', minimum: 1, maximum: 4 };
	wanSchema.required = ['prompt', 'size'];
	return {
		models: [
			{ ...pro, pricing: { flatMicroCents: 150_000 }, inputSchema: proSchema },
			{ ...wan, inputSchema: wanSchema },
			{
				slug: 'acme/dream-1/text-to-video',
				category: 'video',
				pricing: { perSecondMicroCents: 60_000 },
				inputSchema: { type: 'object', properties: { prompt: { type: 'string' } }, required: ['prompt'] },
			},
		],
		withdrawnModels: ['google/nano-banana'],
	};
}

describe('npm run catalog:check', () => {
	test("against the fake's catalog: every documented model matches ours, field by field and price by price", async () => {
		fake = await startFakeMuvi();
		const { code, stdout } = await catalogCheck('--base-url', fake.url, '--json');
		const report = JSON.parse(stdout) as DriftReport;
		// the fake serves all documented models (§6.1–§6.12), written from the doc independently of ours
		expect(report.theirs).toBe(catalogModels.length);
		expect(report.microCentsPerCredit).toBe(1000);
		expect(report).toMatchObject({ muviOnly: [], oursOnly: [], changed: [] });
		expect(code).toBe(0);
		const text = await catalogCheck('--base-url', fake.url);
		expect(text.stdout).toContain(
			`Catalog check: ours ${catalogModels.length} models (${videoModels.length} video, 29 image) against ${fake.url} (${catalogModels.length} models)`,
		);
		expect(text.stdout).toContain('No drift: every model, field and price matches');
		expect(text.code).toBe(0);
	});

	test('a drifted catalog: new, withdrawn and changed models, each difference on its own line', async () => {
		fake = await startFakeMuvi(drifted());
		const snapshotPath = join(dir, 'drifted.json');
		const { code, stdout } = await catalogCheck('--base-url', fake.url, '--record', snapshotPath);
		expect(code).toBe(1);
		const lines = stdout.split('\n');
		expect(lines).toContain('Muvi has, we lack (1):');
		expect(lines).toContain('  + acme/dream-1/text-to-video  video text-to-video  60 credits per_second');
		expect(lines).toContain('  - google/nano-banana');
		const changed = stdout.slice(stdout.indexOf('Different ('));
		expect(changed).toContain('Different (2):');
		expect(changed).toContain(
			[
				'  ~ google/nano-banana-pro/text-to-image',
				'      price: ours 134,000 micro-cents per_generation, Muvi 150 credits per_generation = 150,000 micro-cents',
				'      field seed: Muvi has it, we do not offer it',
				'      field aspect_ratio: Muvi allows "4:5", we do not',
			].join('\n'),
		);
		expect(changed).toContain(
			[
				'  ~ alibaba-plus/wan-2.7/text-to-image',
				'      field size: Muvi requires it, we do not',
				'      field num_images: type ours string, Muvi integer',
			].join('\n'),
		);
		expect(stdout).toContain('Drift: 1 new at Muvi, 1 not listed by Muvi, 2 different');

		// the recorded snapshot gives the same report without any server
		await fake.close();
		fake = undefined;
		const snapshot = JSON.parse(readFileSync(snapshotPath, 'utf8')) as Snapshot;
		expect(snapshot.models).toHaveLength(catalogModels.length);
		const offline = await catalogCheck('--snapshot', snapshotPath);
		expect(offline.code).toBe(1);
		expect(offline.stdout.slice(offline.stdout.indexOf('Muvi has'))).toBe(stdout.slice(stdout.indexOf('Muvi has')));
	});

	test('a hand-written snapshot with only matching models reports no drift for them; exit 0 when nothing differs', async () => {
		const kling = findCatalogModel('kling/kling-3.0-standard/image-to-video')!;
		const snapshot: Snapshot = {
			source: 'hand-written',
			recordedAt: '2026-01-01T00:00:00Z',
			models: catalogModels.map((m) => ({ slug: m.slug })),
		};
		snapshot.models[catalogModels.indexOf(kling)] = {
			slug: kling.slug,
			category: 'video',
			pricing: { baseCredits: 84, unit: 'per_second' },
		};
		const path = join(dir, 'same.json');
		writeFileSync(path, JSON.stringify(snapshot));
		const { code, stdout } = await catalogCheck('--snapshot', path);
		expect(stdout).toContain('No drift: every model, field and price matches');
		expect(code).toBe(0);
	});

	test('an unreachable catalog is an error (exit 2), not "no drift"', async () => {
		fake = await startFakeMuvi();
		const url = fake.url;
		await fake.close();
		fake = undefined;
		const { code, stdout, stderr } = await catalogCheck('--base-url', url);
		expect(code).toBe(2);
		expect(stdout).toBe('');
		expect(stderr).toMatch(/could not read the catalog/);
	});
});

describe('compareCatalogs', () => {
	const kling = findCatalogModel('kling/kling-3.0-standard/image-to-video')!;
	const base = { slug: kling.slug, category: 'video', pricing: { baseCredits: 84, unit: 'per_second' } };
	const schema = {
		properties: {
			prompt: { type: 'string', maxLength: 2500 },
			image_url: { type: 'string' },
			aspect_ratio: { type: 'string', enum: ['16:9', '9:16', '1:1'], default: '16:9' },
			duration: { type: 'string', enum: ['5', '10', '15'], default: '5' },
			has_sound: { type: 'string', enum: ['true', 'false'], default: 'false' },
		},
		required: ['prompt', 'image_url'],
	};

	test('the documented schema of the seed model matches', () => {
		expect(compareCatalogs([kling], [{ ...base, inputSchema: schema }], 'x').changed).toEqual([]);
	});

	test.each([
		['a unit change', { pricing: { baseCredits: 84, unit: 'per_generation' } }, 'price unit: ours per_second, Muvi per_generation'],
		['a category change', { category: 'image' }, 'category: ours video, Muvi image'],
		['an unreadable schema', { detailError: 'HTTP 500' }, 'schema: could not be read (HTTP 500)'],
		['a shorter prompt', { inputSchema: { ...schema, properties: { ...schema.properties, prompt: { type: 'string', maxLength: 2000 } } } }, 'field prompt: at most 2500 characters ours, 2000 Muvi'],
		['a new default', { inputSchema: { ...schema, properties: { ...schema.properties, duration: { ...schema.properties.duration, default: '10' } } } }, 'field duration: default ours "5", Muvi "10"'],
		['a dropped duration', { inputSchema: { ...schema, properties: { ...schema.properties, duration: { type: 'string', enum: ['5', '10'] } } } }, 'field duration: we allow "15", Muvi does not'],
		['a field Muvi stopped listing', { inputSchema: { ...schema, properties: { prompt: schema.properties.prompt, image_url: schema.properties.image_url, aspect_ratio: schema.properties.aspect_ratio, duration: schema.properties.duration } } }, "field has_sound: we send it, Muvi's schema does not list it"],
		['a required field made optional', { inputSchema: { ...schema, required: ['prompt'] } }, 'field image_url: we require it, Muvi does not'],
	])('reports %s', (_, change, line) => {
		const report = compareCatalogs([kling], [{ ...base, ...change }], 'x');
		expect(report.changed).toEqual([{ slug: kling.slug, differences: [line] }]);
		expect(renderReport(report)).toContain(`      ${line}`);
	});
});

