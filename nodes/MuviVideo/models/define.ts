import type { Capability, ModelField, PriceFactor, PriceFormula, VideoModel } from './types';

/** How the dropdown names each capability, in the order the dropdown lists them within a model. */
export const CAPABILITY_NAMES: Record<Capability, string> = {
	'text-to-video': 'Text to Video',
	'image-to-video': 'Image to Video',
	'start-end-frame-to-video': 'Start & End Frame to Video',
	'reference-to-video': 'Reference to Video',
	'omni-reference': 'Omni Reference',
	'image-to-video-elements': 'Image to Video with Elements',
	'motion-control': 'Motion Control',
	'motion-transfer-to-video': 'Motion Transfer',
	'video-edit': 'Video Edit',
	'video-edit-fast': 'Video Edit Fast',
	'extend-video': 'Extend Video',
	'video-extend': 'Extend Video',
};

export const capabilityRank = (capability: Capability): number => Object.keys(CAPABILITY_NAMES).indexOf(capability);

export interface ModelSpec {
	/** `provider/model/capability`; the capability is read from the last part */
	slug: string;
	/** the model's name without the capability, e.g. "Veo 3.1 Fast"; the dropdown adds " — Text to Video" */
	series: string;
	provider: string;
	family?: string;
	typicalSeconds: number;
	fields: ModelField[];
	price: PriceFormula;
	note?: string;
	/** a short tag in the name that tells near-namesakes apart, e.g. "Kling Plus", "Std/Pro" */
	variant?: string;
	/** one sentence on what sets the model apart from its near-namesakes, shown under its name */
	about?: string;
}

/**
 * The maker's name before the model's, so typing "google", "openai" or "bytedance" in the dropdown finds
 * its models (Kling and Runway models already start with it).
 */
const BRAND: Record<string, string> = {
	Alibaba: 'Alibaba',
	'Alibaba+': 'Alibaba',
	ByteDance: 'ByteDance',
	'ByteDance+': 'ByteDance',
	// image models (§6.12): Seedream 5 is served under `seedance/`
	Seedance: 'ByteDance',
	Google: 'Google',
	'MiniMax Plus': 'MiniMax',
	OpenAI: 'OpenAI',
	xAI: 'xAI',
};

/** The maker's name put before a model's name, when the name does not start with it already. */
export const brandPrefix = (provider: string): string | undefined => BRAND[provider];

/** The maker a model is listed under: "Google", "Kling" (both Kling routes), "Runway". */
export const brandOf = (provider: string, series: string): string => BRAND[provider] ?? series.split(' ')[0];

export function defineModel(spec: ModelSpec): VideoModel {
	const capability = spec.slug.split('/')[2] as Capability;
	if (!(capability in CAPABILITY_NAMES)) throw new Error(`Unknown capability in ${spec.slug}`);
	const brand = BRAND[spec.provider];
	const title = `${brand ? `${brand} ` : ''}${spec.series}${spec.variant ? ` (${spec.variant})` : ''} — ${CAPABILITY_NAMES[capability]}`;
	return {
		slug: spec.slug,
		name: title,
		series: spec.series,
		provider: spec.provider,
		capability,
		...(spec.family ? { family: spec.family } : {}),
		typicalSeconds: spec.typicalSeconds,
		fields: spec.fields,
		price: spec.price,
		...(spec.about ? { about: spec.about } : {}),
		...(spec.note ? { note: spec.note } : {}),
	};
}

/** `factor('has_sound', { true: 1.5 })` */
export const factor = (field: string, factors: Record<string, number>): PriceFactor => ({ field, factors });

export const perSecond = (microCentsPerSecond: number, ...factors: PriceFactor[]): PriceFormula => ({
	kind: 'perSecond',
	microCentsPerSecond,
	...(factors.length ? { factors } : {}),
});

/** A flat price per job (several pages say "per second" but their formula is finalCost = baseCost). */
export const flat = (microCents: number): PriceFormula => ({ kind: 'flat', microCents });

/** Only the fields that are set, so a builder can write `cond && field`. */
export const fieldsOf = (...fields: Array<ModelField | ModelField[] | false | undefined>): ModelField[] =>
	fields.flatMap((f) => (f === false || f === undefined ? [] : Array.isArray(f) ? f : [f]));
