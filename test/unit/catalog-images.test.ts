/**
 * Image models (muvi-api.md §6.12) as catalog data: every documented slug is there, each price is
 * written down here from the doc's table (not from the catalog), and the same validation as for
 * video refuses bad input naming the field.
 */
import type { IDataObject, INodePropertyOptions } from 'n8n-workflow';

import { MuviVideo } from '../../nodes/MuviVideo/MuviVideo.node';
import { catalogModels, findCatalogModel, imageModels, videoModels } from '../../nodes/MuviVideo/models';
import { findImageModel } from '../helpers/catalog';
import { describePrice } from '../../nodes/MuviVideo/descriptions/priceText';
import { costBreakdown, estimateCostMicroCents } from '../../nodes/MuviVideo/models/cost';
import { prepareModelInput } from '../../nodes/MuviVideo/engine/validation';

type Case = [input: IDataObject, microCents: number];

/** slug → [default cost, other combinations]; from the §6.12 table. */
const PRICES: Record<string, [number, Case[]]> = {
	'google/nano-banana': [40_000, [[{ resolution: '4k' }, 80_000], [{ resolution: '2k' }, 40_000]]],
	'google/nano-banana/edit-image': [40_000, [[{ resolution: '4k' }, 80_000]]],
	'google/nano-banana-pro/text-to-image': [134_000, [[{ resolution: '4k' }, 241_200]]],
	'google/nano-banana-pro/edit-image': [134_000, [[{ resolution: '4k' }, 241_200]]],
	'google/nano-banana-2/text-to-image': [134_000, [[{ resolution: '4k' }, 241_200]]],
	'google/nano-banana-2/edit-image': [134_000, [[{ resolution: '4k' }, 241_200]]],
	'google/nano-banana-pro-extra/edit-image': [134_000, [[{ resolution: '4k' }, 241_200]]],
	// numberOfGenerations is not priced
	'google/nano-banana-dev/text-to-image': [40_000, [[{ numberOfGenerations: 4 }, 40_000]]],
	'openai/gpt-image-1.5/text-to-image': [34_000, []],
	'openai/gpt-image-1.5/edit-image': [34_000, []],
	'openai/gpt-image-1-mini/text-to-image': [11_000, []],
	'openai/gpt-image-1-mini/edit-image': [11_000, []],
	'seedance/seedream-5/text-to-image': [35_000, [[{ resolution: '3K' }, 52_500]]],
	'seedance/seedream-5/edit-image': [35_000, [[{ resolution: '3K' }, 52_500]]],
	// resolution has no multiplier
	'bytedance-plus/seedream-v4.5/text-to-image': [40_000, [[{ resolution: '4k' }, 40_000]]],
	'bytedance-plus/seedream-v4.5/image-to-image': [40_000, []],
	'bytedance-plus/seedream-v5-lite/text-to-image': [35_000, [[{ num_images: 4 }, 140_000], [{ num_images: '3' }, 105_000]]],
	'bytedance-plus/seedream-v5-lite/image-to-image': [35_000, [[{ num_images: 2 }, 70_000]]],
	'runway/gen-4-image/text-to-image': [50_000, [[{ resolution: '1080p' }, 80_000]]],
	'runway/gen-4-image/edit-image': [50_000, [[{ resolution: '1080p' }, 80_000]]],
	'runway/gen-4-turbo-image/edit-image': [20_000, []],
	'alibaba-plus/wan-2.7/text-to-image': [30_000, [[{ num_images: '4' }, 120_000]]],
	'alibaba-plus/wan-2.7/image-to-image': [30_000, [[{ num_images: '2' }, 60_000]]],
	'alibaba-plus/wan-2.7-pro/text-to-image': [45_000, [[{ num_images: '3' }, 135_000]]],
	'alibaba-plus/wan-2.7-pro/image-to-image': [45_000, []],
	'pixelbyte-plus/pixel-image-1.0/text-to-image': [30_000, [[{ num_images: 4 }, 120_000]]],
	'pixelbyte-plus/pixel-image-1.0/image-to-image': [30_000, [[{ num_images: 2 }, 60_000]]],
	'pixelbyte-plus/pixel-image-1.0-pro/text-to-image': [45_000, []],
	'pixelbyte-plus/pixel-image-1.0-pro/image-to-image': [45_000, [[{ num_images: 4 }, 180_000]]],
};

describe('image models in the catalog', () => {
	test('exactly the documented image slugs, each once, none clashing with a video slug', () => {
		expect(imageModels.map((m) => m.slug).sort()).toEqual(Object.keys(PRICES).sort());
		const all = catalogModels.map((m) => m.slug);
		expect(new Set(all).size).toBe(all.length);
		expect(catalogModels).toHaveLength(videoModels.length + imageModels.length);
		for (const m of imageModels) {
			expect(m.output).toBe('image');
			expect(findImageModel(m.slug)).toBe(m);
		}
		expect(findImageModel('kling/kling-3.0-standard/image-to-video')).toBeUndefined();
		expect(findCatalogModel('kling/kling-3.0-standard/image-to-video')?.output).toBeUndefined();
	});

	test('a slug without a capability part is text to image', () => {
		expect(findImageModel('google/nano-banana')).toMatchObject({ capability: 'text-to-image', name: 'Google Nano Banana — Text to Image', series: 'Nano Banana' });
		const imageModel = new MuviVideo().description.properties.find((p) => p.name === 'model' && p.displayOptions?.show?.resource?.includes('image'));
		const option = (imageModel?.options as INodePropertyOptions[]).find((o) => o.value === 'google/nano-banana');
		expect(option?.name).toBe('Google Nano Banana — Text to Image · $0.04 per request');
	});

	test.each(Object.entries(PRICES))('%s costs what §6.12 says', (slug, [dflt, cases]) => {
		const model = findImageModel(slug)!;
		expect(estimateCostMicroCents(model, {})).toBe(dflt);
		for (const [input, expected] of cases) expect([input, estimateCostMicroCents(model, input)]).toEqual([input, expected]);
		// what is sent after validation prices the same as the raw input
		for (const [input, expected] of cases) {
			// as the node fills it: every field's default, then the user's values
			const defaults = Object.fromEntries(model.fields.filter((f) => f.default !== undefined).map((f) => [f.apiName, f.default]));
			const prepared = prepareModelInput(model, { ...defaults, prompt: 'p', image_urls: ['https://e.com/a.png'], ...input });
			expect(prepared.problem).toBeUndefined();
			expect(estimateCostMicroCents(model, prepared.input!)).toBe(expected);
		}
	});

	test('a per-image breakdown says how many images were billed', () => {
		const wan = findImageModel('alibaba-plus/wan-2.7/text-to-image')!;
		expect(costBreakdown(wan, { num_images: '3' })).toEqual({ microCents: 90_000, images: 3, factors: {} });
		expect(describePrice(wan.price)).toBe('30,000 micro-cents ($0.03) per image × num_images');
		const pro = findImageModel('google/nano-banana-pro/text-to-image')!;
		expect(costBreakdown(pro, { resolution: '4k' })).toEqual({ microCents: 241_200, factors: { resolution: { value: '4k', multiplier: 1.8 } } });
		expect(describePrice(pro.price)).toBe('134,000 micro-cents ($0.134) per request × (1.8 if resolution=4k)');
	});

	test('multi-image models name the field that sets the image count', () => {
		const counted = imageModels.filter((m) => m.imageCountField).map((m) => [m.slug, m.imageCountField]);
		expect(counted).toContainEqual(['google/nano-banana-dev/text-to-image', 'numberOfGenerations']);
		expect(counted).toContainEqual(['bytedance-plus/seedream-v5-lite/text-to-image', 'num_images']);
		expect(counted.filter(([, f]) => f === 'num_images')).toHaveLength(10);
	});
});

describe('image model validation', () => {
	const edit = findImageModel('google/nano-banana/edit-image')!;
	const wan = findImageModel('alibaba-plus/wan-2.7/text-to-image')!;
	const pixel = findImageModel('pixelbyte-plus/pixel-image-1.0/image-to-image')!;
	const turbo = findImageModel('runway/gen-4-turbo-image/edit-image')!;
	const runway = findImageModel('runway/gen-4-image/text-to-image')!;

	test('values come out in the API types: Wan wants "2", Pixel Image 2, thinking_mode a boolean', () => {
		expect(prepareModelInput(wan, { prompt: 'p', num_images: 2, thinking_mode: 'false', size: '1K' })).toEqual({
			input: { prompt: 'p', num_images: '2', thinking_mode: false, size: '1K' },
		});
		expect(prepareModelInput(pixel, { prompt: 'p', image_urls: ['https://e.com/a.png'], num_images: '2' }).input).toMatchObject({
			num_images: 2,
			image_urls: ['https://e.com/a.png'],
		});
	});

	test.each([
		['edit without a source image', edit, { prompt: 'p' }, 'image_urls', /"Image URLs" \(imageUrls\) is required for Google Nano Banana — Edit Image/],
		['a source that is not a URL', edit, { prompt: 'p', image_urls: ['file.png'] }, 'image_urls', /must contain only web addresses/],
		['four pictures where Gen-4 Turbo takes 3', turbo, { prompt: 'p', image_urls: ['https://a.com/1', 'https://a.com/2', 'https://a.com/3', 'https://a.com/4'] }, 'image_urls', /4 entries; the model accepts at most 3/],
		['five images of Wan 2.7', wan, { prompt: 'p', num_images: '5' }, 'num_images', /cannot be "5"/],
		['five images of Pixel Image', pixel, { prompt: 'p', image_urls: ['https://e.com/a.png'], num_images: 5 }, 'num_images', /between 1 and 4/],
		['a prompt over 5000 characters', wan, { prompt: 'x'.repeat(5001) }, 'prompt', /5001 characters long; the model accepts at most 5000/],
		['an unknown resolution', runway, { prompt: 'p', resolution: '4k' }, 'resolution', /cannot be "4k"/],
		['an unknown style', runway, { prompt: 'p', style: 'neon' }, 'style', /cannot be "neon"/],
		['diversity 6', runway, { prompt: 'p', diversity: 6 }, 'diversity', /between 1 and 5, or 0 to let the model decide/],
		['no prompt', runway, { prompt: '' }, 'prompt', /is required/],
	])('%s is refused, naming the field', (_, model, input, field, message) => {
		const result = prepareModelInput(model, input as IDataObject);
		expect(result.input).toBeUndefined();
		expect(result.problem?.field).toBe(field);
		expect(result.problem?.message).toMatch(message);
	});

	test('"not set" values are left out so Muvi applies its own default', () => {
		expect(prepareModelInput(runway, { prompt: 'p', style: '', diversity: 0 }).input).toEqual({ prompt: 'p' });
	});
});
