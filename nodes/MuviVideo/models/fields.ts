import type { ModelField } from './types';

/** Building blocks shared by many models; a family file combines them and overrides what differs. */

export const prompt = (maxLength: number, required = true): ModelField => ({
	apiName: 'prompt',
	kind: 'text',
	required,
	maxLength,
	description: `What the video should show (up to ${maxLength} characters)`,
	placeholder: 'e.g. A golden retriever runs along a beach at sunset, slow motion',
});

export const negativePrompt = (maxLength = 1000): ModelField => ({
	apiName: 'negative_prompt',
	kind: 'text',
	maxLength,
	description: `What the video should avoid (up to ${maxLength} characters)`,
	placeholder: 'e.g. blur, distortion, text',
});

export const url = (apiName: string, displayName: string, description: string, required = true): ModelField => ({
	apiName,
	kind: 'url',
	required,
	displayName,
	description,
	placeholder: 'e.g. https://example.com/picture.jpg',
});

export const imageUrl = (required = true): ModelField =>
	url('image_url', 'Image URL', 'Public URL of the image the video starts from', required);

export const aspectRatio = (values: string[], dflt = '16:9'): ModelField => ({
	apiName: 'aspect_ratio',
	kind: 'enum',
	options: values,
	default: dflt,
	description: 'Shape of the video frame (width:height)',
});

/** A duration the API wants as a string of whole seconds, e.g. "5". */
export const duration = (seconds: number[], dflt: number): ModelField => ({
	apiName: 'duration',
	kind: 'enum',
	options: seconds.map((s) => ({ value: String(s), name: `${s} seconds` })),
	default: String(dflt),
	description: 'Length of the video in seconds; the price is per second',
});

export const range = (from: number, to: number): number[] =>
	Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Sound as the API's string "true"/"false", shown as a switch. */
export const hasSound = (dflt: boolean, factor: number): ModelField => ({
	apiName: 'has_sound',
	kind: 'booleanString',
	default: dflt,
	displayName: 'Generate Sound',
	description: `Whether to generate a soundtrack (the price is multiplied by ${factor})`,
});

export const shotType = (): ModelField => ({
	apiName: 'shot_type',
	kind: 'enum',
	options: [
		{ value: 'customize', name: 'Customize (Follow the Prompt)' },
		{ value: 'intelligent', name: 'Intelligent (Let the Model Plan the Shots)' },
	],
	default: 'customize',
	description: 'How the camera shots are planned',
});

export const keepOriginalSound = (): ModelField => ({
	apiName: 'keep_original_sound',
	kind: 'boolean',
	default: true,
	description: "Whether to keep the reference video's original audio",
});
