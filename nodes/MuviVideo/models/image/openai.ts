import type { ImageModel } from '../types';
import { defineImageModel, perRequest } from './define';
import { imageAspectRatio, imagePrompt, sourceImages } from './fields';

/** Provider "OpenAI", GPT Image (muvi-api.md §6.12): a flat price per request. */
const gptImage = (model: 'gpt-image-1.5' | 'gpt-image-1-mini', capability: 'text-to-image' | 'edit-image'): ImageModel =>
	defineImageModel({
		slug: `openai/${model}/${capability}`,
		series: model === 'gpt-image-1.5' ? 'GPT Image 1.5' : 'GPT Image 1 Mini',
		provider: 'OpenAI',
		fields: [
			imagePrompt(5000),
			// The page names no source field for edit-image; image_urls as on the other edit models (UNCONFIRMED).
			...(capability === 'edit-image' ? [sourceImages()] : []),
			imageAspectRatio(['1:1', '3:2', '2:3'], '1:1'),
		],
		price: perRequest(model === 'gpt-image-1.5' ? 34_000 : 11_000),
	});

export const openaiImageModels: ImageModel[] = [
	gptImage('gpt-image-1.5', 'text-to-image'),
	gptImage('gpt-image-1.5', 'edit-image'),
	gptImage('gpt-image-1-mini', 'text-to-image'),
	gptImage('gpt-image-1-mini', 'edit-image'),
];
