import type { IDataObject } from 'n8n-workflow';

import type { CatalogModel, PriceFormula } from '../models/types';

/** 1,000,000 micro-cents = US$1 (muvi-api.md §5: the docs' own definition, despite the name). */
export const MICRO_CENTS_PER_USD = 1_000_000;

export function microCentsToUsd(microCents: number): number {
	return Math.round(microCents) / MICRO_CENTS_PER_USD;
}

export function formatUsd(microCents: number): string {
	const usd = microCentsToUsd(microCents);
	return `$${usd.toFixed(usd < 0.01 && usd > 0 ? 6 : 2)}`;
}

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

/** A one-line price summary for the dropdown and the README, e.g. "84,000 µ¢/s × seconds × 1.5 with has_sound". */
export function describePrice(price: PriceFormula): string {
	// "84,000"; a regex, not toLocaleString, whose first call loads ICU data (~15 ms at node load)
	const n = (v: number) => String(v).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
	if (price.kind === 'flat') return `flat ${n(price.microCents)} micro-cents (${formatUsd(price.microCents)}) per job`;
	const parts: string[] = [];
	if (price.kind === 'perSecond') {
		parts.push(`${n(price.microCentsPerSecond)} micro-cents/s (${formatUsd(price.microCentsPerSecond)}/s)`);
		parts.push(price.fixedSeconds !== undefined ? `× ${price.fixedSeconds} s` : '× seconds');
	} else if (price.kind === 'perImage') {
		parts.push(`${n(price.microCentsPerImage)} micro-cents (${formatUsd(price.microCentsPerImage)}) per image`);
		parts.push(`× ${price.countField ?? 'num_images'}`);
	} else parts.push(`${n(price.microCents)} micro-cents (${formatUsd(price.microCents)}) per request`);
	for (const f of price.factors ?? []) {
		const listed = Object.entries(f.factors)
			.filter(([, v]) => v !== 1)
			.map(([k, v]) => `${v} if ${f.field}=${k}`)
			.join(', ');
		if (listed) parts.push(`× (${listed})`);
	}
	return parts.join(' ');
}
