import { byMakerThenNewest, videoModels } from '../index';
import type { CatalogModel, ImageModel } from '../types';
import { alibabaImageModels, pixelImageModels } from './alibabaPixel';
import { googleImageModels } from './google';
import { openaiImageModels } from './openai';
import { runwayImageModels } from './runway';
import { IMAGE_CAPABILITY_NAMES } from './define';
import { seedreamImageModels } from './seedream';

/** What a new Image node starts with: the cheapest Nano Banana, text to image. */
export const DEFAULT_IMAGE_MODEL = 'google/nano-banana';

const imageCapabilityRank = (m: ImageModel) => Object.keys(IMAGE_CAPABILITY_NAMES).indexOf(m.capability);

/** Every image model (muvi-api.md §6.12), in the video dropdown's order: by maker, newest first, then capability. */
export const imageModels: ImageModel[] = [
	...alibabaImageModels,
	...seedreamImageModels,
	...googleImageModels,
	...openaiImageModels,
	...pixelImageModels,
	...runwayImageModels,
].sort(byMakerThenNewest(imageCapabilityRank));

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
