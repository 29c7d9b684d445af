import { byMakerThenNewest } from '../order';
import type { ImageModel } from '../types';
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
