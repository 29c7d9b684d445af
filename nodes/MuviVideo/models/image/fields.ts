import type { EnumOption, ModelField } from '../types';

/** Field builders of the image models (muvi-api.md §6.12); descriptions speak of images, not video. */

export const imagePrompt = (maxLength?: number): ModelField => ({
	apiName: 'prompt',
	kind: 'text',
	required: true,
	...(maxLength !== undefined ? { maxLength } : {}),
	description:
		maxLength !== undefined ? `What the image should show (up to ${maxLength} characters)` : 'What the image should show',
	placeholder: 'e.g. A studio product shot of a ceramic mug on a walnut table, soft daylight',
});

/** The pictures an edit or image-to-image model works from (`image_urls`, a JSON array of URLs). */
export const sourceImages = (limits: { minItems?: number; maxItems?: number } = {}): ModelField => {
	const minItems = limits.minItems ?? 1;
	const most = limits.maxItems !== undefined ? `, at most ${limits.maxItems}` : '';
	return {
		apiName: 'image_urls',
		kind: 'urlList',
		displayName: 'Image URLs',
		description: `Public URLs of the pictures to work from (at least ${minItems}${most})`,
		placeholder: 'e.g. https://example.com/picture.jpg',
		required: true,
		minItems,
		...(limits.maxItems !== undefined ? { maxItems: limits.maxItems } : {}),
	};
};

export const imageAspectRatio = (values: string[], dflt: string, required = false): ModelField => ({
	apiName: 'aspect_ratio',
	kind: 'enum',
	options: values,
	default: dflt,
	description: 'Shape of the image (width:height)',
	...(required ? { required } : {}),
});

/** `resolution` (or `size`) as a string such as "2k"; `factors` names the values that cost more. */
export const imageResolution = (
	values: string[],
	dflt: string,
	options: { apiName?: 'resolution' | 'size'; factors?: Record<string, number>; required?: boolean } = {},
): ModelField => {
	const priced = Object.entries(options.factors ?? {}).map(([v, f]) => `${v} × ${f}`);
	return {
		apiName: options.apiName ?? 'resolution',
		kind: 'enum',
		options: values.map(
			(v): EnumOption => ({ value: v, name: options.factors?.[v] ? `${v} (Price × ${options.factors[v]})` : v }),
		),
		default: dflt,
		description: priced.length ? `Resolution of the image (price ${priced.join(', ')})` : 'Resolution of the image',
		...(options.required ? { required: true } : {}),
	};
};

/** How many images one job makes; `asString` where the API wants "1"…"4" (Wan 2.7). */
export const numImages = (max: number, asString: boolean): ModelField =>
	asString
		? {
				apiName: 'num_images',
				// its own n8n name: one n8n parameter name has one type across the node (Pixel Image's is a number)
				param: 'imageCount',
				kind: 'enum',
				displayName: 'Number of Images',
				options: Array.from({ length: max }, (_, i) => String(i + 1)),
				default: '1',
				description: 'How many images to make; the price is per image',
			}
		: {
				apiName: 'num_images',
				kind: 'integer',
				displayName: 'Number of Images',
				default: 1,
				min: 1,
				max,
				description: `How many images to make (1 to ${max}); the price is per image`,
			};

export const thinkingMode = (): ModelField => ({
	apiName: 'thinking_mode',
	kind: 'boolean',
	default: true,
	description: 'Whether the model plans the picture before drawing it (slower, usually better composition)',
});

/** The ten aspect ratios of Nano Banana 2 and Pro Extra (§6.12), also used for Runway's "10 aspects". */
export const TEN_ASPECTS = ['9:16', '16:9', '1:1', '2:3', '3:2', '4:3', '3:4', '4:5', '5:4', '21:9'];

/** Runway Gen-4 Image style presets (§6.12). */
export const RUNWAY_STYLES = [
	'vivid',
	'vivid-warm',
	'vivid-cool',
	'high-contrast',
	'high-contrast-warm',
	'high-contrast-cool',
	'bw',
	'bw-contrast',
	'muted-pastel',
	'dreamscape',
	'nordic-minimal',
	'light-anime',
	'dark-anime',
	'painted-anime',
	'3d-cartoon',
	'sketch',
	'low-angle',
	'in-motion',
	'terracotta',
];
