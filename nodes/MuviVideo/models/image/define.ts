import { brandPrefix } from '../define';
import { fieldRank } from '../fields';
import type { ImageCapability, ImageModel, ModelField, PriceFactor, PriceFormula } from '../types';

/** How the dropdown names each image capability, in the order it lists them within a model. */
export const IMAGE_CAPABILITY_NAMES: Record<ImageCapability, string> = {
	'text-to-image': 'Text to Image',
	'edit-image': 'Edit Image',
	'image-to-image': 'Image to Image',
};

export interface ImageModelSpec {
	/**
	 * `provider/model/capability`; a slug without a capability part (`google/nano-banana`) is
	 * text to image, as the catalog resolves `provider/model` to the model's default capability.
	 */
	slug: string;
	/** the model's name without the capability, e.g. "Nano Banana Pro" */
	series: string;
	provider: string;
	/** documented typical processing time; about 30 s unless a page says otherwise (§6.12) */
	typicalSeconds?: number;
	fields: ModelField[];
	price: PriceFormula;
	note?: string;
	/** the input field that sets how many images one job makes, e.g. `num_images` */
	imageCountField?: string;
}

export function defineImageModel(spec: ImageModelSpec): ImageModel {
	const capability = (spec.slug.split('/')[2] ?? 'text-to-image') as ImageCapability;
	const capabilityName = IMAGE_CAPABILITY_NAMES[capability] as string | undefined;
	if (!capabilityName) throw new Error(`Unknown image capability in ${spec.slug}`);
	// the maker first, as for video models, so typing "google" or "bytedance" in the dropdown finds them
	const brand = brandPrefix(spec.provider);
	const name = `${brand ? `${brand} ` : ''}${spec.series} — ${capabilityName}`;
	return {
		slug: spec.slug,
		name,
		series: spec.series,
		provider: spec.provider,
		capability,
		typicalSeconds: spec.typicalSeconds ?? 30,
		fields: [...spec.fields].sort((a, b) => fieldRank(a.apiName) - fieldRank(b.apiName)),
		price: spec.price,
		...(spec.note ? { note: spec.note } : {}),
		output: 'image',
		...(spec.imageCountField ? { imageCountField: spec.imageCountField } : {}),
	};
}

/** A price per request, times factors: `perRequest(134_000, factor('resolution', { '4k': 1.8 }))`. */
export const perRequest = (microCents: number, ...factors: PriceFactor[]): PriceFormula => ({
	kind: 'perRequest',
	microCents,
	...(factors.length ? { factors } : {}),
});

/** A price per output image, times the image count in `countField` (default `num_images`). */
export const perImage = (microCentsPerImage: number, countField?: string): PriceFormula => ({
	kind: 'perImage',
	microCentsPerImage,
	...(countField ? { countField } : {}),
});
