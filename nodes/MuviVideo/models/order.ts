import { brandOf } from './define';

/**
 * "Kling 2.6 Pro" < "Kling 3.0 Pro" < "Kling O1": text ignoring case, numbers by value. Not Intl:
 * creating a collator loads ICU data, about 15 ms of the node's load time.
 */
function byText(a: string, b: string): number {
	const pa = a.toLowerCase().match(/\d+|\D+/g) ?? [];
	const pb = b.toLowerCase().match(/\d+|\D+/g) ?? [];
	for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
		if (pa[i] === pb[i]) continue;
		const numeric = /^\d/.test(pa[i]) && /^\d/.test(pb[i]);
		return numeric ? Number(pa[i]) - Number(pb[i]) : pa[i] < pb[i] ? -1 : 1;
	}
	return pa.length - pb.length;
}

/**
 * How new a model is within its maker, from the version in its name: "Wan 2.7" 2.7, "Kling V2.6" 2.6,
 * "Runway Gen-4.5" 4.5. Kling's Omni line is numbered apart: O1 came out with Kling 2.6, O3 with 3.0.
 */
export function generationOf(series: string): number {
	const omni = /^Kling O(\d)\b/.exec(series);
	if (omni) return omni[1] === '1' ? 2.6 : Number(omni[1]);
	const version = /(\d+(?:\.\d+)?)/.exec(series);
	return version ? Number(version[1]) : 0;
}

/** The dropdown's order (video and image models): maker, newest generation, name, route, capability. */
export const byMakerThenNewest =
	<M extends { provider: string; series: string; slug: string }>(capabilityRankOf: (m: M) => number) =>
	(a: M, b: M): number =>
		byText(brandOf(a.provider, a.series), brandOf(b.provider, b.series)) ||
		generationOf(b.series) - generationOf(a.series) ||
		byText(a.series, b.series) ||
		byText(a.provider, b.provider) ||
		capabilityRankOf(a) - capabilityRankOf(b) ||
		byText(a.slug, b.slug);
