import { factor } from '../define';
import type { ImageModel } from '../types';
import { defineImageModel, perRequest } from './define';
import { TEN_ASPECTS, imageAspectRatio, imagePrompt, imageResolution, sourceImages } from './fields';

/** Provider "Google", Nano Banana (muvi-api.md §6.12). Priced per request; 4k costs more. */
const provider = 'Google';
const FIVE_ASPECTS = ['9:16', '16:9', '1:1', '2:3', '3:2'];
const RESOLUTIONS = ['1k', '2k', '4k'];

const nanoBanana = (slug: string, series: string, price: number, fourK: number, aspects: string[], edit: boolean, maxPrompt?: number) =>
	defineImageModel({
		slug,
		series,
		provider,
		fields: [
			imagePrompt(maxPrompt),
			...(edit ? [sourceImages()] : []),
			imageAspectRatio(aspects, '9:16'),
			imageResolution(RESOLUTIONS, '1k', { factors: { '4k': fourK } }),
		],
		price: perRequest(price, factor('resolution', { '4k': fourK })),
	});

export const googleImageModels: ImageModel[] = [
	// The slug has no capability part: `google/nano-banana` is text to image.
	nanoBanana('google/nano-banana', 'Nano Banana', 40_000, 2, FIVE_ASPECTS, false),
	nanoBanana('google/nano-banana/edit-image', 'Nano Banana', 40_000, 2, FIVE_ASPECTS, true),
	nanoBanana('google/nano-banana-2/text-to-image', 'Nano Banana 2', 134_000, 1.8, TEN_ASPECTS, false, 5000),
	nanoBanana('google/nano-banana-2/edit-image', 'Nano Banana 2', 134_000, 1.8, TEN_ASPECTS, true, 5000),
	nanoBanana('google/nano-banana-pro/text-to-image', 'Nano Banana Pro', 134_000, 1.8, FIVE_ASPECTS, false),
	nanoBanana('google/nano-banana-pro/edit-image', 'Nano Banana Pro', 134_000, 1.8, FIVE_ASPECTS, true),
	nanoBanana('google/nano-banana-pro-extra/edit-image', 'Nano Banana Pro Extra', 134_000, 1.8, TEN_ASPECTS, true),
	defineImageModel({
		slug: 'google/nano-banana-dev/text-to-image',
		series: 'Nano Banana Dev',
		provider,
		note: 'test model',
		fields: [
			imagePrompt(),
			imageAspectRatio(TEN_ASPECTS, '9:16'),
			{
				// camelCase in the API, and not priced: a flat 40,000 whatever the count (§6.12)
				apiName: 'numberOfGenerations',
				kind: 'integer',
				displayName: 'Number of Images',
				min: 0,
				max: 4,
				emptyValue: 0,
				description: 'How many images to make (1 to 4); 0 lets the model decide (nothing is sent)',
			},
		],
		price: perRequest(40_000),
		imageCountField: 'numberOfGenerations',
	}),
];
