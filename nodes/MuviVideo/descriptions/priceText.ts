/**
 * A model's price formula as text: the base price in the model dropdown's names, the whole formula
 * in its descriptions and the README, and Estimate Cost's `priceFormula` (with micro-cents). Every
 * amount is exact (see formatUsd).
 */
import { formatUsd } from '../../muviClient/money';
import type { PriceFormula } from '../models';

/** "84,000"; a regex, not toLocaleString, whose first call loads ICU data (~15 ms at node load). */
const grouped = (v: number) => String(v).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** The base price as the dropdown shows it: "$0.084/s", "$0.05 per video", "$0.04 per request", "$0.03 per image". */
export function priceLabel(price: PriceFormula): string {
	switch (price.kind) {
		case 'flat':
			return `${formatUsd(price.microCents)} per video`;
		case 'perSecond':
			return `${formatUsd(price.microCentsPerSecond)}/s`;
		case 'perRequest':
			return `${formatUsd(price.microCents)} per request`;
		case 'perImage':
			return `${formatUsd(price.microCentsPerImage)} per image`;
	}
}

/** The factors that change the price, as [field, value, multiplier], leaving out the ×1 entries. */
function multipliers(price: PriceFormula): Array<[string, string, number]> {
	if (price.kind === 'flat') return [];
	return (price.factors ?? []).flatMap((f) =>
		Object.entries(f.factors)
			.filter(([, multiplier]) => multiplier !== 1)
			.map(([value, multiplier]): [string, string, number] => [f.field, value, multiplier]),
	);
}

/** What the base price is multiplied by: "× seconds", "× 5 s", "× num_images", or nothing for a per-request price. */
function unitCount(price: PriceFormula): string | undefined {
	if (price.kind === 'perSecond') return price.fixedSeconds !== undefined ? `× ${price.fixedSeconds} s` : '× seconds';
	if (price.kind === 'perImage') return `× ${price.countField ?? 'num_images'}`;
	return undefined;
}

/** The whole formula in dollars, e.g. "$0.084/s × seconds, × 1.5 if has_sound=true". */
export function priceFormulaLabel(price: PriceFormula): string {
	if (price.kind === 'flat') return `${formatUsd(price.microCents)} per video, whatever its length`;
	const count = unitCount(price);
	const parts = [count ? `${priceLabel(price)} ${count}` : priceLabel(price)];
	for (const [field, value, multiplier] of multipliers(price)) parts.push(`× ${multiplier} if ${field}=${value}`);
	return parts.join(', ');
}

/** The formula with micro-cents and dollars, e.g. "84,000 micro-cents/s ($0.084/s) × seconds × (1.5 if has_sound=true)". */
export function describePrice(price: PriceFormula): string {
	const amount = (microCents: number, per = '') => `${grouped(microCents)} micro-cents${per} (${formatUsd(microCents)}${per})`;
	if (price.kind === 'flat') return `flat ${amount(price.microCents)} per job`;
	const base =
		price.kind === 'perSecond'
			? amount(price.microCentsPerSecond, '/s')
			: price.kind === 'perImage'
				? `${amount(price.microCentsPerImage)} per image`
				: `${amount(price.microCents)} per request`;
	const parts = [base, unitCount(price)];
	// one bracket per field: "× (1.5 if has_sound=true) × (1.2 if mode=pro, 1.5 if mode=master)"
	const byField = new Map<string, string[]>();
	for (const [field, value, multiplier] of multipliers(price)) byField.set(field, [...(byField.get(field) ?? []), `${multiplier} if ${field}=${value}`]);
	for (const listed of byField.values()) parts.push(`× (${listed.join(', ')})`);
	return parts.filter(Boolean).join(' ');
}
