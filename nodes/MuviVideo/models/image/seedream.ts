import { factor } from '../define';
import type { ImageModel } from '../types';
import { defineImageModel, perImage, perRequest } from './define';
import { imageAspectRatio, imagePrompt, imageResolution, numImages, sourceImages } from './fields';

/**
 * ByteDance Seedream (muvi-api.md §6.12): Seedream 5 under `seedance/`, Seedream 4.5 and 5 Lite
 * under `bytedance-plus/`. The docs give only the count of aspect ratios (8 or 7), not the list:
 * these are Seedance's six plus 3:2 and 2:3 (UNCONFIRMED; `npm run catalog:check` shows a difference).
 */
const EIGHT_ASPECTS = ['21:9', '16:9', '4:3', '3:2', '1:1', '2:3', '3:4', '9:16'];
const SEVEN_ASPECTS = ['16:9', '4:3', '3:2', '1:1', '2:3', '3:4', '9:16'];

const seedream5 = (capability: 'text-to-image' | 'edit-image'): ImageModel =>
	defineImageModel({
		slug: `seedance/seedream-5/${capability}`,
		series: 'Seedream 5',
		provider: 'Seedance',
		fields: [
			imagePrompt(5000),
			...(capability === 'edit-image' ? [sourceImages()] : []),
			imageAspectRatio(EIGHT_ASPECTS, '16:9'),
			// no documented default: 2K is sent, so the price is known before submitting
			imageResolution(['2K', '3K'], '2K', { factors: { '3K': 1.5 } }),
		],
		price: perRequest(35_000, factor('resolution', { '3K': 1.5 })),
	});

const seedream45 = (capability: 'text-to-image' | 'image-to-image'): ImageModel =>
	defineImageModel({
		slug: `bytedance-plus/seedream-v4.5/${capability}`,
		series: 'Seedream 4.5',
		provider: 'ByteDance+',
		typicalSeconds: 60,
		fields: [
			imagePrompt(),
			...(capability === 'image-to-image' ? [sourceImages()] : []),
			imageAspectRatio(EIGHT_ASPECTS, '1:1', true),
			imageResolution(['512p', '1k', '2k', '4k'], '2k', { required: true }),
		],
		price: perRequest(40_000),
	});

const seedream5Lite = (capability: 'text-to-image' | 'image-to-image'): ImageModel =>
	defineImageModel({
		slug: `bytedance-plus/seedream-v5-lite/${capability}`,
		series: 'Seedream 5 Lite',
		provider: 'ByteDance+',
		typicalSeconds: 60,
		fields: [
			imagePrompt(),
			...(capability === 'image-to-image' ? [sourceImages()] : []),
			imageAspectRatio(SEVEN_ASPECTS, '1:1'),
			imageResolution(['1K', '2K', '4K'], '2K'),
			numImages(4, false),
		],
		price: perImage(35_000),
		imageCountField: 'num_images',
	});

export const seedreamImageModels: ImageModel[] = [
	seedream45('text-to-image'),
	seedream45('image-to-image'),
	seedream5Lite('text-to-image'),
	seedream5Lite('image-to-image'),
	seedream5('text-to-image'),
	seedream5('edit-image'),
];
