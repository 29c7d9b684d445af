/**
 * The README's model table, generated from the catalog (nodes/MuviVideo/models) and checked in
 * between `<!-- models:start -->` and `<!-- models:end -->`. test/unit/catalog-readme.test.ts fails
 * when it is stale.
 *
 *   node scripts/model-table.ts            print the table
 *   node scripts/model-table.ts --write    update README.md
 *   node scripts/model-table.ts --check    exit 1 when README.md is stale
 *
 * Runs on Node 24's type stripping, no build needed. The catalog's imports have no file extension
 * (as tsc wants), so a resolve hook adds `.ts` before the catalog is loaded. Erasable syntax only.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { dirname, join } from 'node:path';

import type { CatalogModel, ImageModel, ModelField, PriceFormula, VideoModel } from '../nodes/MuviVideo/models/types';

export const START = '<!-- models:start -->';
export const END = '<!-- models:end -->';

/** What the table needs from the node's code; passed in so this file can load it after the hook. */
export interface Catalog {
	videoModels: VideoModel[];
	imageModels: ImageModel[];
	paramName: (field: ModelField) => string;
	/** the exact formula in dollars (descriptions/priceText.ts), e.g. "$0.084/s × seconds, × 1.5 if has_sound=true" */
	priceFormulaLabel: (price: PriceFormula) => string;
	estimateCostMicroCents: (model: CatalogModel, input: Record<string, never>) => number;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
/** Exact dollars (1,000,000 micro-cents = US$1): 280,005 → "$0.280005". */
const usd = (microCents: number) =>
	`$${(microCents / 1_000_000).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 6 })}`;

function row(catalog: Catalog, m: CatalogModel): string {
	const fields = m.fields.map((f) => `${catalog.paramName(f)}${f.required ? '*' : ''}`).join(', ');
	const cost = catalog.estimateCostMicroCents(m, {});
	const price = catalog.priceFormulaLabel(m.price) + (m.note ? ` (${m.note})` : '');
	return `| ${cell(m.name)} | \`${m.slug}\` | ${cell(fields)} | ${cell(price)} | ${cost.toLocaleString('en-US')} (${usd(cost)}) | ~${m.typicalSeconds} s |`;
}

export function renderModelTable(catalog: Catalog): string {
	const lines = [
		`${catalog.videoModels.length} video models, sorted as in the node's dropdown. Generated from the catalog by`,
		'`node scripts/model-table.ts --write`; do not edit by hand. Fields are the n8n parameter names',
		'(`*` = required); prices are exact, from the documented formulas (1,000,000 micro-cents = US$1). Any',
		"other model: choose **Other Model (by Slug)**; its fields come from Muvi's catalog.",
		'',
		'| Model | Slug | Fields | Price formula | Default cost | Typical time |',
		'|---|---|---|---|---|---|',
	];
	for (const m of catalog.videoModels) lines.push(row(catalog, m));
	lines.push(
		'',
		`${catalog.imageModels.length} image models (resource **Image**), sorted as in the node's dropdown. Each output image`,
		'becomes one binary property (`data`, `data_1` …). "Default cost" is for one image where the price is per image.',
		'',
		'| Model | Slug | Fields | Price formula | Default cost | Typical time |',
		'|---|---|---|---|---|---|',
	);
	for (const m of catalog.imageModels) lines.push(row(catalog, m));
	return lines.join('\n');
}

/** The README with the table between the markers (added at the end when missing). */
export function withModelTable(readme: string, table: string): string {
	const start = readme.indexOf(START);
	const end = readme.indexOf(END);
	if (start < 0 || end < start) return `${readme.replace(/\n*$/, '\n\n')}${START}\n${table}\n${END}\n`;
	return `${readme.slice(0, start + START.length)}\n${table}\n${readme.slice(end)}`;
}

async function main(): Promise<void> {
	const root = join(dirname(process.argv[1]), '..');
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
	const cost = await import(join(root, 'nodes/MuviVideo/models/cost.ts'));
	const labels = await import(join(root, 'nodes/MuviVideo/descriptions/priceText.ts'));
	const table = renderModelTable({ ...models, ...cost, ...labels } as Catalog);
	const readmePath = join(root, 'README.md');
	const mode = process.argv[2];
	if (mode === '--write' || mode === '--check') {
		const readme = readFileSync(readmePath, 'utf8');
		const updated = withModelTable(readme, table);
		if (mode === '--check') {
			if (updated !== readme) {
				console.error('README.md: the model table is stale; run node scripts/model-table.ts --write');
				process.exit(1);
			}
			console.log('README.md: the model table is up to date');
		} else if (updated !== readme) {
			writeFileSync(readmePath, updated);
			console.log(`README.md: wrote the table of ${(models.videoModels as VideoModel[]).length} video and ${(models.imageModels as ImageModel[]).length} image models`);
		} else console.log('README.md: the model table was already up to date');
	} else console.log(table);
}

if (/model-table\.[cm]?[jt]s$/.test(process.argv[1] ?? '')) {
	main().catch((error: unknown) => {
		console.error(error);
		process.exit(1);
	});
}
