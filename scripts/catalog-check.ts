/**
 * Drift check: compares the node's catalog (nodes/MuviVideo/models, video and image) with Muvi's
 * public catalog (§2.7: GET /v1/catalog/models and /v1/catalog/models/{slug}, no key needed) and
 * prints the models Muvi has that we lack, the models we have that Muvi does not list, and the
 * fields, enum values, limits and prices that differ.
 *
 *   npm run catalog:check                              the live catalog (https://api.muvi.video; online only)
 *   npm run catalog:check -- --base-url http://…       another server (the fake, the legacy host)
 *   npm run catalog:check -- --snapshot file.json      a recorded snapshot instead of a server
 *   npm run catalog:check -- --record file.json        also save what was read as a snapshot
 *   npm run catalog:check -- --json                    the report as JSON
 *
 * Exit code: 0 no drift, 1 drift found, 2 the catalog could not be read.
 * Prices: the catalog quotes `pricing: {baseCredits, unit}`, and how credits relate to micro-cents
 * is UNCONFIRMED (§2.6), so the check infers the ratio most models agree on and reports the models
 * that disagree with it, plus any unit (per second / per image / per request) that differs.
 * Runs on Node 24's type stripping (erasable syntax only), like scripts/model-table.ts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { dirname, join } from 'node:path';

import type { CatalogModel, ModelField } from '../nodes/MuviVideo/models/types';

export const LIVE_BASE_URL = 'https://api.muvi.video';

/** One model as Muvi's catalog describes it: the list entry plus the detail's inputSchema. */
export interface RemoteModel {
	slug: string;
	category?: string;
	capability?: string;
	pricing?: { baseCredits?: number; unit?: string };
	inputSchema?: RemoteSchema;
	/** why the detail could not be read, if it could not */
	detailError?: string;
}

export interface RemoteProperty {
	type?: string | string[];
	enum?: unknown[];
	default?: unknown;
	maxLength?: number;
	minimum?: number;
	maximum?: number;
	minItems?: number;
	maxItems?: number;
}

export interface RemoteSchema {
	properties?: Record<string, RemoteProperty>;
	required?: string[];
}

export interface Snapshot {
	source: string;
	recordedAt: string;
	models: RemoteModel[];
}

export interface ModelDrift {
	slug: string;
	differences: string[];
}

export interface DriftReport {
	source: string;
	ours: { total: number; video: number; image: number };
	theirs: number;
	/** micro-cents per catalog credit that most models agree on, or null when none could be inferred */
	microCentsPerCredit: number | null;
	muviOnly: Array<{ slug: string; category?: string; capability?: string; pricing?: RemoteModel['pricing'] }>;
	oursOnly: string[];
	changed: ModelDrift[];
}

// ---------------------------------------------------------------------------------------------
// Comparison (pure)
// ---------------------------------------------------------------------------------------------

/** The JSON type the API wants for a field kind. */
function jsonType(field: ModelField): string[] {
	switch (field.kind) {
		case 'text':
		case 'url':
		case 'enum':
		case 'booleanString':
			return ['string'];
		case 'urlList':
			return ['array'];
		case 'boolean':
			return ['boolean'];
		case 'number':
			return ['number'];
		case 'integer':
			return ['integer'];
		case 'json':
			return ['array', 'object'];
	}
}

const list = (values: unknown[]) => values.map((v) => JSON.stringify(v)).join(', ');

/** Our base rate and the catalog unit it corresponds to. */
function ourRate(model: CatalogModel): { microCents: number; unit: string } {
	const p = model.price;
	if (p.kind === 'perSecond') return { microCents: p.microCentsPerSecond, unit: 'per_second' };
	if (p.kind === 'perImage') return { microCents: p.microCentsPerImage, unit: 'per_image' };
	return { microCents: p.microCents, unit: 'per_generation' };
}

/** The unit names the catalog may use for a flat price per job. */
const PER_JOB = new Set(['per_generation', 'per_request', 'per_job', 'flat']);
const sameUnit = (ours: string, theirs: string) => ours === theirs || (PER_JOB.has(ours) && PER_JOB.has(theirs));

function fieldDifferences(model: CatalogModel, schema: RemoteSchema): string[] {
	const out: string[] = [];
	const props = schema.properties ?? {};
	const required = new Set(schema.required ?? []);
	const ours = new Map(model.fields.map((f) => [f.apiName, f]));
	for (const name of Object.keys(props)) {
		if (!ours.has(name)) out.push(`field ${name}: Muvi has it${required.has(name) ? ' (required)' : ''}, we do not offer it`);
	}
	for (const field of model.fields) {
		const prop = props[field.apiName];
		if (!prop) {
			out.push(`field ${field.apiName}: we send it, Muvi's schema does not list it`);
			continue;
		}
		const theirTypes = (Array.isArray(prop.type) ? prop.type : prop.type ? [prop.type] : []).filter((t) => t !== 'null');
		const ourTypes = jsonType(field);
		// an integer is a number; anything else must match
		const typeOk =
			theirTypes.length === 0 ||
			theirTypes.some((t) => ourTypes.includes(t) || (t === 'number' && ourTypes.includes('integer')));
		if (!typeOk) out.push(`field ${field.apiName}: type ours ${ourTypes.join('|')}, Muvi ${theirTypes.join('|')}`);
		if ((field.required ?? false) !== required.has(field.apiName))
			out.push(`field ${field.apiName}: ${required.has(field.apiName) ? 'Muvi requires it, we do not' : 'we require it, Muvi does not'}`);
		if (field.kind === 'enum' && Array.isArray(prop.enum)) {
			const ourValues = (field.options ?? []).map((o) => (typeof o === 'string' ? o : o.value)).filter((v) => v !== '');
			const theirValues = prop.enum.map((v) => String(v));
			const added = theirValues.filter((v) => !ourValues.includes(v));
			const dropped = ourValues.filter((v) => !theirValues.includes(v));
			if (added.length) out.push(`field ${field.apiName}: Muvi allows ${list(added)}, we do not`);
			if (dropped.length) out.push(`field ${field.apiName}: we allow ${list(dropped)}, Muvi does not`);
		}
		if (field.kind === 'enum' && prop.default !== undefined && field.default !== undefined && field.default !== '' && String(prop.default) !== String(field.default))
			out.push(`field ${field.apiName}: default ours ${JSON.stringify(field.default)}, Muvi ${JSON.stringify(prop.default)}`);
		if (field.maxLength !== undefined && prop.maxLength !== undefined && field.maxLength !== prop.maxLength)
			out.push(`field ${field.apiName}: at most ${field.maxLength} characters ours, ${prop.maxLength} Muvi`);
		// our lower bound may be a "not set" sentinel (seed −1, diversity 0), which is never sent
		const ourMin = field.emptyValue !== undefined && field.min === field.emptyValue ? undefined : field.min;
		if (ourMin !== undefined && prop.minimum !== undefined && ourMin !== prop.minimum)
			out.push(`field ${field.apiName}: minimum ours ${ourMin}, Muvi ${prop.minimum}`);
		if (field.max !== undefined && prop.maximum !== undefined && field.max !== prop.maximum)
			out.push(`field ${field.apiName}: maximum ours ${field.max}, Muvi ${prop.maximum}`);
		if (field.maxItems !== undefined && prop.maxItems !== undefined && field.maxItems !== prop.maxItems)
			out.push(`field ${field.apiName}: at most ${field.maxItems} entries ours, ${prop.maxItems} Muvi`);
	}
	return out;
}

/** The ratio (micro-cents per credit) the most models agree on. */
function inferRatio(pairs: Array<{ microCents: number; credits: number }>): number | null {
	const counts = new Map<number, number>();
	for (const { microCents, credits } of pairs) {
		if (!(credits > 0)) continue;
		const ratio = Math.round((microCents / credits) * 1000) / 1000;
		counts.set(ratio, (counts.get(ratio) ?? 0) + 1);
	}
	let best: number | null = null;
	let bestCount = 0;
	for (const [ratio, count] of counts) if (count > bestCount) [best, bestCount] = [ratio, count];
	return best;
}

const n = (v: number) => String(v).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

export function compareCatalogs(ours: CatalogModel[], theirs: RemoteModel[], source: string): DriftReport {
	const mine = new Map(ours.map((m) => [m.slug, m]));
	const remote = new Map(theirs.map((m) => [m.slug, m]));
	const both = ours.filter((m) => remote.has(m.slug));
	const ratio = inferRatio(
		both
			.filter((m) => sameUnit(ourRate(m).unit, remote.get(m.slug)?.pricing?.unit ?? ''))
			.map((m) => ({ microCents: ourRate(m).microCents, credits: Number(remote.get(m.slug)?.pricing?.baseCredits) })),
	);
	const changed: ModelDrift[] = [];
	for (const m of both) {
		const r = remote.get(m.slug) as RemoteModel;
		const differences: string[] = [];
		const category = m.output ?? 'video';
		if (r.category && r.category !== category) differences.push(`category: ours ${category}, Muvi ${r.category}`);
		const rate = ourRate(m);
		const credits = r.pricing?.baseCredits;
		const unit = r.pricing?.unit;
		if (unit && !sameUnit(rate.unit, unit)) differences.push(`price unit: ours ${rate.unit}, Muvi ${unit}`);
		else if (typeof credits === 'number' && ratio !== null && Math.abs(credits * ratio - rate.microCents) > rate.microCents * 0.005)
			differences.push(
				`price: ours ${n(rate.microCents)} micro-cents ${rate.unit}, Muvi ${credits} credits ${unit ?? ''} = ${n(Math.round(credits * ratio))} micro-cents`.trim(),
			);
		if (r.detailError) differences.push(`schema: could not be read (${r.detailError})`);
		else if (r.inputSchema) differences.push(...fieldDifferences(m, r.inputSchema));
		if (differences.length) changed.push({ slug: m.slug, differences });
	}
	return {
		source,
		ours: { total: ours.length, video: ours.filter((m) => m.output !== 'image').length, image: ours.filter((m) => m.output === 'image').length },
		theirs: theirs.length,
		microCentsPerCredit: ratio,
		muviOnly: theirs
			.filter((r) => !mine.has(r.slug))
			.map((r) => ({ slug: r.slug, category: r.category, capability: r.capability, pricing: r.pricing })),
		oursOnly: ours.filter((m) => !remote.has(m.slug)).map((m) => m.slug),
		changed,
	};
}

export const hasDrift = (r: DriftReport) => r.muviOnly.length + r.oursOnly.length + r.changed.length > 0;

export function renderReport(r: DriftReport): string {
	const lines = [
		`Catalog check: ours ${r.ours.total} models (${r.ours.video} video, ${r.ours.image} image) against ${r.source} (${r.theirs} models)`,
		r.microCentsPerCredit === null
			? 'Price scale: no model priced in both, so prices were not compared'
			: `Price scale: 1 catalog credit = ${n(r.microCentsPerCredit)} micro-cents (what most models agree on)`,
		'',
		`Muvi has, we lack (${r.muviOnly.length}):`,
		...r.muviOnly.map(
			(m) =>
				`  + ${m.slug}  ${[m.category, m.capability].filter(Boolean).join(' ')}${m.pricing?.baseCredits !== undefined ? `  ${m.pricing.baseCredits} credits ${m.pricing.unit ?? ''}`.trimEnd() : ''}`,
		),
		`We have, Muvi does not list (${r.oursOnly.length}):`,
		...r.oursOnly.map((s) => `  - ${s}`),
		`Different (${r.changed.length}):`,
		...r.changed.flatMap((m) => [`  ~ ${m.slug}`, ...m.differences.map((d) => `      ${d}`)]),
		'',
		hasDrift(r)
			? `Drift: ${r.muviOnly.length} new at Muvi, ${r.oursOnly.length} not listed by Muvi, ${r.changed.length} different`
			: 'No drift: every model, field and price matches',
	];
	return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Reading the catalog
// ---------------------------------------------------------------------------------------------

/** Both documented envelopes (§2.0) and both list shapes (top-level array or `models[]`). */
function unwrap(body: unknown): unknown {
	if (body && typeof body === 'object' && !Array.isArray(body) && 'data' in body && (body as { data: unknown }).data)
		return (body as { data: unknown }).data;
	return body;
}

async function getJson(url: string): Promise<unknown> {
	const res = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(30_000) });
	const text = await res.text();
	if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status} ${text.slice(0, 200)}`);
	return unwrap(JSON.parse(text));
}

/** Reads the list and each model's detail (a few at a time), without any key. */
export async function readCatalog(baseUrl: string): Promise<RemoteModel[]> {
	const root = baseUrl.replace(/\/+$/, '');
	const listed = await getJson(`${root}/v1/catalog/models`);
	const entries = (Array.isArray(listed) ? listed : ((listed as { models?: unknown[] })?.models ?? [])) as RemoteModel[];
	if (!Array.isArray(entries)) throw new Error('The catalog list is neither an array nor { models: [] }');
	const models: RemoteModel[] = entries
		.filter((e) => e && typeof e.slug === 'string')
		.map((e) => ({ slug: e.slug, category: e.category, capability: e.capability, pricing: e.pricing }));
	let next = 0;
	const worker = async () => {
		while (next < models.length) {
			const m = models[next++];
			try {
				// slugs contain slashes, which stay as path separators (§2.7)
				const detail = (await getJson(`${root}/v1/catalog/models/${m.slug.split('/').map(encodeURIComponent).join('/')}`)) as RemoteModel;
				m.inputSchema = detail?.inputSchema;
			} catch (error) {
				m.detailError = error instanceof Error ? error.message : String(error);
			}
		}
	};
	await Promise.all([worker(), worker(), worker(), worker()]);
	return models;
}

// ---------------------------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------------------------

function option(args: string[], name: string): string | undefined {
	const i = args.indexOf(name);
	if (i < 0) return undefined;
	const value = args[i + 1];
	if (value === undefined || value.startsWith('--')) throw new Error(`${name} needs a value`);
	return value;
}

async function loadOurCatalog(root: string): Promise<CatalogModel[]> {
	// tsc-style imports ("./kling") → the .ts file next to the importer
	registerHooks({
		resolve(specifier, context, nextResolve) {
			if (/^\.\.?\//.test(specifier) && !/\.[cm]?[jt]s$/.test(specifier)) {
				for (const suffix of ['.ts', '/index.ts']) {
					try {
						return nextResolve(specifier + suffix, context);
					} catch {
						// try the next form
					}
				}
			}
			return nextResolve(specifier, context);
		},
	});
	const models = await import(join(root, 'nodes/MuviVideo/models/index.ts'));
	return models.catalogModels as CatalogModel[];
}

async function main(): Promise<number> {
	const args = process.argv.slice(2);
	const root = join(dirname(process.argv[1]), '..');
	const snapshotPath = option(args, '--snapshot');
	const baseUrl = option(args, '--base-url') ?? LIVE_BASE_URL;
	const recordPath = option(args, '--record');
	let theirs: RemoteModel[];
	let source: string;
	try {
		if (snapshotPath) {
			const snapshot = JSON.parse(readFileSync(snapshotPath, 'utf8')) as Snapshot;
			theirs = snapshot.models;
			source = `snapshot ${snapshotPath} (${snapshot.source}, ${snapshot.recordedAt})`;
		} else {
			theirs = await readCatalog(baseUrl);
			source = baseUrl;
		}
	} catch (error) {
		console.error(`catalog:check: could not read the catalog: ${error instanceof Error ? error.message : String(error)}`);
		if (!snapshotPath && baseUrl === LIVE_BASE_URL) console.error('The live check needs internet access; use --snapshot or --base-url offline.');
		return 2;
	}
	if (recordPath) {
		const snapshot: Snapshot = { source, recordedAt: new Date().toISOString(), models: theirs };
		writeFileSync(recordPath, `${JSON.stringify(snapshot, null, '\t')}\n`);
	}
	const report = compareCatalogs(await loadOurCatalog(root), theirs, source);
	console.log(args.includes('--json') ? JSON.stringify(report, null, 2) : renderReport(report));
	return hasDrift(report) ? 1 : 0;
}

if (/catalog-check\.[cm]?[jt]s$/.test(process.argv[1] ?? '')) {
	main().then(
		(code) => process.exit(code),
		(error: unknown) => {
			console.error(error);
			process.exit(2);
		},
	);
}
