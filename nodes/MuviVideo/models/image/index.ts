import { videoModels } from '../index';
import type { CatalogModel, ImageModel } from '../types';
import { alibabaImageModels, pixelImageModels } from './alibabaPixel';
import { googleImageModels } from './google';
import { openaiImageModels } from './openai';
import { runwayImageModels } from './runway';
import { seedreamImageModels } from './seedream';

/** What a new Image node starts with: the cheapest Nano Banana, text to image. */
export const DEFAULT_IMAGE_MODEL = 'google/nano-banana';

/** Every image model (muvi-api.md §6.12), by provider, then model, then capability. */
export const imageModels: ImageModel[] = [
	...alibabaImageModels,
	...seedreamImageModels.filter((m) => m.provider === 'ByteDance+'),
	...googleImageModels,
	...openaiImageModels,
	...pixelImageModels,
	...runwayImageModels,
	...seedreamImageModels.filter((m) => m.provider === 'Seedance'),
];

/** Video and image models together: what the README table, the drift check and the cost guard know. */
export const catalogModels: CatalogModel[] = [...videoModels, ...imageModels];

const bySlug = new Map<string, CatalogModel>(catalogModels.map((m) => [m.slug, m]));

export function findImageModel(slug: string): ImageModel | undefined {
	const m = bySlug.get(slug);
	return m?.output === 'image' ? (m as ImageModel) : undefined;
}

/** Any model of the catalog, video or image. */
export function findCatalogModel(slug: string): CatalogModel | undefined {
	return bySlug.get(slug);
}

/** Whether a model's job produces images. */
export const isImageModel = (m: CatalogModel): m is ImageModel => m.output === 'image';
