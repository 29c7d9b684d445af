import type { PriceFormula } from './types';

/**
 * Exact US dollars from micro-cents (1,000,000 = US$1), at least two decimals and no rounding:
 * 84,000 → "$0.084", 200,000 → "$0.20", 280,005 → "$0.280005".
 */
export function exactUsd(microCents: number): string {
	const [whole, fraction = ''] = (Math.round(microCents) / 1_000_000).toFixed(6).replace(/0+$/, '').split('.');
	return `$${whole}.${fraction.padEnd(2, '0')}`;
}

/** The base price as the dropdown shows it: "$0.084/s", "$0.05 per video", "$0.04 per request", "$0.03 per image". */
export function priceLabel(price: PriceFormula): string {
	switch (price.kind) {
		case 'flat':
			return `${exactUsd(price.microCents)} per video`;
		case 'perSecond':
			return `${exactUsd(price.microCentsPerSecond)}/s`;
		case 'perRequest':
			return `${exactUsd(price.microCents)} per request`;
		case 'perImage':
			return `${exactUsd(price.microCentsPerImage)} per image`;
	}
}

/** The whole formula in dollars, e.g. "$0.084/s × seconds, × 1.5 if has_sound=true". */
export function priceFormulaLabel(price: PriceFormula): string {
	if (price.kind === 'flat') return `${exactUsd(price.microCents)} per video, whatever its length`;
	const parts =
		price.kind === 'perSecond'
			? [`${exactUsd(price.microCentsPerSecond)}/s × ${price.fixedSeconds !== undefined ? `${price.fixedSeconds} s` : 'seconds'}`]
			: price.kind === 'perImage'
				? [`${exactUsd(price.microCentsPerImage)} per image × ${price.countField ?? 'num_images'}`]
				: [`${exactUsd(price.microCents)} per request`];
	for (const f of price.factors ?? [])
		for (const [value, multiplier] of Object.entries(f.factors))
			if (multiplier !== 1) parts.push(`× ${multiplier} if ${f.field}=${value}`);
	return parts.join(', ');
}
