/** 1,000,000 micro-cents = US$1 (muvi-api.md §5: the docs' own definition, despite the name). */
export const MICRO_CENTS_PER_USD = 1_000_000;

export function microCentsToUsd(microCents: number): number {
	return Math.round(microCents) / MICRO_CENTS_PER_USD;
}

/**
 * Dollars as text, exact to the micro-cent and with at least two decimals, so two different amounts
 * never read the same: 420,000 → "$0.42", 84,000 → "$0.084", 241,200 → "$0.2412", 280,005 → "$0.280005".
 */
export function formatUsd(microCents: number): string {
	const sign = microCents < 0 ? '-' : '';
	const [whole, fraction = ''] = (Math.abs(Math.round(microCents)) / MICRO_CENTS_PER_USD).toFixed(6).replace(/0+$/, '').split('.');
	return `${sign}$${whole}.${fraction.padEnd(2, '0')}`;
}
