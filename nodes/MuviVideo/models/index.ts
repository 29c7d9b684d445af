/**
 * The Muvi model catalog (muvi-api.md §6): every video and image model as typed data, and the names
 * the node derives from a model field. Everything model-specific in the node comes from here.
 */
import { alibabaWanModels } from './alibabaWan';
import { bytedanceSeedanceModels } from './bytedanceSeedance';
import { capabilityRank } from './define';
import { fieldRank } from './fields';
import { googleVeoModels } from './googleVeo';
import { imageModels } from './image';
import { klingModels } from './kling';
import { klingPlusModels } from './klingPlus';
import { minimaxHailuoModels } from './minimaxHailuo';
import { openaiSoraModels } from './openaiSora';
import { byMakerThenNewest } from './order';
import { runwayModels } from './runway';
import type { CatalogModel, ModelField, VideoModel } from './types';
import { xaiModels } from './xai';

export type { CatalogModel, ImageModel, ModelField, PriceFormula, VideoModel } from './types';
export { DEFAULT_IMAGE_MODEL, imageModels } from './image';

/** The value of the `model` option that lets a user type any slug. */
export const CUSTOM_MODEL = 'custom';
/** The parameters of "Other Model (by Slug)": the input given as catalog fields or as JSON, and which of the two. */
export const CUSTOM_INPUT = 'customInput';
export const CUSTOM_INPUT_MODE = 'customInputMode';

/** What a new node starts with: the product's first model. */
export const DEFAULT_MODEL = 'kling/kling-3.0-standard/image-to-video';

/**
 * Every model the dropdown offers: by maker as the names start (Alibaba, ByteDance, Google, Kling …),
 * newest generation first, then model name, route (Kling before Kling Plus) and capability. Each model's
 * fields are put in FIELD_ORDER.
 */
export const videoModels: VideoModel[] = [
	...alibabaWanModels,
	...bytedanceSeedanceModels,
	...googleVeoModels,
	...klingModels,
	...klingPlusModels,
	...minimaxHailuoModels,
	...openaiSoraModels,
	...runwayModels,
	...xaiModels,
]
	.map((m) => ({ ...m, fields: [...m.fields].sort((a, b) => fieldRank(a.apiName) - fieldRank(b.apiName)) }))
	.sort(byMakerThenNewest((m) => capabilityRank(m.capability)));

/** Video and image models together: what the README table, the drift check and the cost guard know. */
export const catalogModels: CatalogModel[] = [...videoModels, ...imageModels];

const bySlug = new Map<string, CatalogModel>(catalogModels.map((m) => [m.slug, m]));

/** Any model of the catalog, video or image. */
export function findCatalogModel(slug: string): CatalogModel | undefined {
	return bySlug.get(slug);
}

/** `image_url` → `imageUrl` */
export function camelCase(apiName: string): string {
	return apiName.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

export function paramName(field: ModelField): string {
	return field.param ?? camelCase(field.apiName);
}

/** `image_url` → "Image URL" */
export function fieldDisplayName(field: ModelField): string {
	if (field.displayName) return field.displayName;
	return field.apiName
		.split('_')
		.map((w) => (w === 'url' ? 'URL' : w === 'urls' ? 'URLs' : w.charAt(0).toUpperCase() + w.slice(1)))
		.join(' ');
}

/** `imageUrl` → `imageUrlSource`: whether a URL field's value is a URL or an uploaded binary file. */
export const sourceParam = (param: string) => `${param}Source`;
/** `imageUrl` → `imageUrlBinaryProperty`: the binary property that holds the file for a URL field. */
export const binaryPropertyParam = (param: string) => `${param}BinaryProperty`;
