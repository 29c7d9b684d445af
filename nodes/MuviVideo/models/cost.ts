import type { IDataObject } from 'n8n-workflow';

import type { CatalogModel } from './types';

function factorFor(value: unknown, factors: Record<string, number>): number {
	if (value === undefined || value === null) return 1;
	return factors[String(value)] ?? 1;
}

/** How a local estimate came about: the seconds billed and each multiplier with the value that chose it. */
export interface CostBreakdown {
	microCents: number;
	/** seconds billed (per-second models only) */
	seconds?: number;
	/** images billed (per-image models only) */
	images?: number;
	/** field → the value it had (or its default) and the multiplier that value gives */
	factors: Record<string, { value: string; multiplier: number }>;
}

/**
 * The local price of one job from the model's documented formula, with the factors that made it.
 * Missing inputs take the model's documented defaults. Non-integer results are rounded (Seedance
 * 1.5: 15,000 × 5 × 1.8667 × 2 = 280,005).
 */
export function costBreakdown(model: CatalogModel, input: IDataObject): CostBreakdown {
	const price = model.price;
	if (price.kind === 'flat') return { microCents: price.microCents, factors: {} };
	const withDefaults: IDataObject = {};
	for (const field of model.fields) {
		if (field.default !== undefined && field.default !== '') withDefaults[field.apiName] = field.default;
	}
	Object.assign(withDefaults, input);
	let cost: number;
	let seconds: number | undefined;
	let images: number | undefined;
	if (price.kind === 'perSecond') {
		seconds = price.fixedSeconds ?? 0;
		if (price.fixedSeconds === undefined) {
			seconds = Number(withDefaults[price.durationField ?? 'duration']);
			if (!Number.isFinite(seconds) || seconds <= 0) seconds = 0;
		}
		cost = price.microCentsPerSecond * seconds;
	} else if (price.kind === 'perImage') {
		// No count given and no documented default: one image, as Muvi makes by default.
		images = Number(withDefaults[price.countField ?? 'num_images'] ?? 1);
		if (!Number.isInteger(images) || images <= 0) images = 1;
		cost = price.microCentsPerImage * images;
	} else cost = price.microCents;
	const factors: CostBreakdown['factors'] = {};
	for (const f of price.factors ?? []) {
		const value = withDefaults[f.field];
		const multiplier = factorFor(value, f.factors);
		factors[f.field] = { value: value === undefined || value === null ? '' : String(value), multiplier };
		cost *= multiplier;
	}
	return {
		microCents: Math.round(cost),
		...(seconds !== undefined ? { seconds } : {}),
		...(images !== undefined ? { images } : {}),
		factors,
	};
}

/**
 * The local price of one job from the model's documented formula, in micro-cents. Muvi may apply
 * account discounts server-side, so the API's `costMicroCents` is what is actually charged.
 * Missing inputs take the model's documented defaults.
 */
export function estimateCostMicroCents(model: CatalogModel, input: IDataObject): number {
	return costBreakdown(model, input).microCents;
}
