import type { ImageModel } from '../types';
import { defineImageModel, perImage } from './define';
import { imagePrompt, imageResolution, numImages, sourceImages, thinkingMode } from './fields';

/**
 * Wan 2.7 (provider "Alibaba+", `alibaba-plus/`) and Pixel Image (provider "PixelByte Plus",
 * `pixelbyte-plus/`) share one field set (muvi-api.md §6.12): priced per image. Wan wants
 * `num_images` as a string "1"…"4", Pixel Image as a number. Image to image adds `image_urls` (1–4);
 * the Wan page does not name that field, so it follows Pixel Image (UNCONFIRMED).
 */
const model = (
	slug: string,
	series: string,
	provider: string,
	perImageMicroCents: number,
	countAsString: boolean,
	note?: string,
): ImageModel =>
	defineImageModel({
		slug,
		series,
		provider,
		...(note ? { note } : {}),
		fields: [
			imagePrompt(5000),
			...(slug.endsWith('/image-to-image') ? [sourceImages({ maxItems: 4 })] : []),
			imageResolution(['1K', '2K'], '2K', { apiName: 'size' }),
			numImages(4, countAsString),
			thinkingMode(),
		],
		price: perImage(perImageMicroCents),
		imageCountField: 'num_images',
	});

export const alibabaImageModels: ImageModel[] = [
	model('alibaba-plus/wan-2.7/text-to-image', 'Wan 2.7', 'Alibaba+', 30_000, true),
	model('alibaba-plus/wan-2.7/image-to-image', 'Wan 2.7', 'Alibaba+', 30_000, true),
	model('alibaba-plus/wan-2.7-pro/text-to-image', 'Wan 2.7 Pro', 'Alibaba+', 45_000, true),
	model('alibaba-plus/wan-2.7-pro/image-to-image', 'Wan 2.7 Pro', 'Alibaba+', 45_000, true),
];

export const pixelImageModels: ImageModel[] = [
	model('pixelbyte-plus/pixel-image-1.0/text-to-image', 'Pixel Image 1.0', 'PixelByte Plus', 30_000, false),
	model('pixelbyte-plus/pixel-image-1.0/image-to-image', 'Pixel Image 1.0', 'PixelByte Plus', 30_000, false),
	// The docs price only image to image; text to image is taken to cost the same (UNCONFIRMED).
	model('pixelbyte-plus/pixel-image-1.0-pro/text-to-image', 'Pixel Image 1.0 Pro', 'PixelByte Plus', 45_000, false, 'price as image to image'),
	model('pixelbyte-plus/pixel-image-1.0-pro/image-to-image', 'Pixel Image 1.0 Pro', 'PixelByte Plus', 45_000, false),
];
