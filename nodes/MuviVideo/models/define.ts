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
	/** appended to the display name when another provider offers a model of the same name */
	nameSuffix?: string;
}

export function defineModel(spec: ModelSpec): VideoModel {
	const capability = spec.slug.split('/')[2] as Capability;
	if (!(capability in CAPABILITY_NAMES)) throw new Error(`Unknown capability in ${spec.slug}`);
	return {
		slug: spec.slug,
		name: `${spec.series} — ${CAPABILITY_NAMES[capability]}${spec.nameSuffix ?? ''}`,
		provider: spec.provider,
		capability,
		...(spec.family ? { family: spec.family } : {}),
		typicalSeconds: spec.typicalSeconds,
		fields: spec.fields,
		price: spec.price,
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
