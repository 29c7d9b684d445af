/**
 * The node's subtitle on the canvas: the estimated price, then the model, e.g.
 * "est. $0.42 · Kling 3.0 Standard — Image to Video" (the canvas cuts a long subtitle short, so the
 * price comes first and the maker's name is left out). n8n evaluates a subtitle as an expression over
 * `$parameter` in the browser, so the catalog's prices go into the expression as a small table and the
 * formula of models/cost.ts is written once more in expression form; test/unit/editor-estimate.test.ts
 * evaluates it with n8n's own expression engine against `estimateForParameters` for every model.
 */
import { catalogModels, CUSTOM_MODEL, paramName, type CatalogModel } from '../models';
import { brandOf } from '../models/define';
import { offeredValues } from './estimatedCost';
import { LIST_FIELDS } from './listFields';

/**
 * [name, flat micro-cents (0 otherwise), micro-cents per unit, unit count parameter (duration, image
 * count), fixed units, default units, factors [parameter, default, [value, multiplier][], offered values],
 * offered unit counts, units when the count is missing or not positive (0 s; 1 image, as Muvi makes),
 * 1 when the model takes Multi-Shot (its shots count when longer than the duration: listFields.ts pricedWithShots)].
 * A per-request price is one fixed unit.
 */
type Row = [string, number, number, string, number, unknown, Array<[string, unknown, Array<[string, number]>, string[]]>, string[], number, number];

/** "Google Veo 3.1 Fast — Text to Video" → "Veo 3.1 Fast — Text to Video"; Kling and Runway names keep theirs. */
export function shortModelName(model: CatalogModel): string {
	const brand = brandOf(model.provider, model.series);
	return model.series.startsWith(brand) ? model.name : model.name.slice(brand.length + 1);
}

function row(model: CatalogModel): Row {
	const price = model.price;
	const param = (apiName: string) => {
		const field = model.fields.find((f) => f.apiName === apiName);
		return { name: field ? paramName(field) : apiName, default: field?.default ?? '', offered: (field && offeredValues(field)) ?? [] };
	};
	if (price.kind === 'flat') return [shortModelName(model), price.microCents, 0, '', 0, '', [], [], 0, 0];
	const perImage = price.kind === 'perImage';
	const unit = price.kind === 'perSecond' ? price.microCentsPerSecond : perImage ? price.microCentsPerImage : price.microCents;
	const fixed = price.kind === 'perSecond' ? (price.fixedSeconds ?? 0) : perImage ? 0 : 1;
	const duration = param(price.kind === 'perSecond' ? (price.durationField ?? 'duration') : perImage ? (price.countField ?? 'num_images') : '');
	return [
		shortModelName(model),
		0,
		unit,
		duration.name,
		fixed,
		duration.default,
		(price.factors ?? []).map((f) => {
			const p = param(f.field);
			return [p.name, p.default, Object.entries(f.factors), p.offered];
		}),
		duration.offered,
		perImage ? 1 : 0,
		model.fields.some((f) => f.apiName === 'multishot') ? 1 : 0,
	];
}

/**
 * Built from the catalog once, at load. Arrays rather than objects inside the table: n8n ends an
 * expression at the first "}}", which nested objects would produce.
 */
export function subtitleExpression(): string {
	const table = JSON.stringify(Object.fromEntries(catalogModels.map((m) => [m.slug, row(m)])));
	const value = '(n, d) => (p[n] === undefined || p[n] === null || p[n] === "" ? d : p[n])';
	// version 3's Multi-Shot list (shotList): its shots count when they last longer than the duration
	const shots = `(m[9] ? ((p.${LIST_FIELDS.multishot.param} || {}).${LIST_FIELDS.multishot.entries} || []).reduce((t, x) => t + (Number(x.duration === undefined ? 5 : x.duration) || 0), 0) : 0)`;
	const seconds = `(m[4] || Math.max(((s) => (s > 0 ? s : m[8]))(Number(v(m[3], m[5]))), ${shots}))`;
	const cost = `(m[1] || Math.round(m[6].reduce((c, f) => c * ((f[2].find((e) => e[0] === String(v(f[0], f[1]))) || [0, 1])[1]), m[2] * ${seconds})))`;
	const usd =
		'((c) => "$" + (c / 1000000).toFixed(6).replace(/0+$/, "").replace(/\\.$/, ".00").replace(/\\.(\\d)$/, (x, d) => "." + d + "0"))';
	// a value the model does not offer (kept by n8n from the model chosen before) has no price
	const offered = '((n, d, a) => !a.length || a.includes(String(v(n, d))))';
	const valid = `((ok) => (m[4] || ok(m[3], m[5], m[7])) && m[6].every((f) => ok(f[0], f[1], f[3])))(${offered})`;
	const priced = `((m, v) => (m ? "est. " + (${valid} ? ${usd}(${cost}) : "not known") + " · " + m[0] : p.model))(t[p.model], ${value})`;
	const body =
		`(p.resource === "video" || p.resource === "image") && (p.operation === "generate" || p.operation === "estimateCost") ` +
		`? (p.model === "${CUSTOM_MODEL}" ? "est. not known · " + (p.customModel || "Other model") : ${priced}) ` +
		`: p.resource + ": " + p.operation`;
	const expression = `={{ ((p, t) => ${body})($parameter, ${table}) }}`;
	if (expression.slice(3, -2).includes('}}') || expression.slice(3).includes('{{'))
		throw new Error('The subtitle expression would be cut short by "}}" or "{{"');
	return expression;
}
