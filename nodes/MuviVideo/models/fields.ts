import type { ModelField } from './types';

/**
 * Building blocks shared by many models; a family file combines them and overrides what differs.
 * Descriptions stay model-neutral where possible: identical fields become one n8n property.
 */

export const prompt = (maxLength?: number, required = true): ModelField => ({
	apiName: 'prompt',
	kind: 'text',
	required,
	...(maxLength !== undefined ? { maxLength } : {}),
	description:
		maxLength !== undefined ? `What the video should show (up to ${maxLength} characters)` : 'What the video should show',
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

const VIDEO_PLACEHOLDER = 'e.g. https://example.com/clip.mp4';

export const videoUrl = (description: string, required = true, apiName = 'video_url', displayName = 'Video URL'): ModelField => ({
	...url(apiName, displayName, description, required),
	placeholder: VIDEO_PLACEHOLDER,
});

export const audioUrl = (apiName: string, displayName: string, description: string): ModelField => ({
	...url(apiName, displayName, description, false),
	placeholder: 'e.g. https://example.com/voice.mp3',
});

export const imageUrl = (required = true): ModelField =>
	url('image_url', 'Image URL', 'Public URL of the image the video starts from', required);

/** First and last frame as `start_frame_url` / `end_frame_url` (most start-end models). */
export const startEndFrames = (required = true): ModelField[] => [
	url('start_frame_url', 'Start Frame URL', 'Public URL of the first frame', required),
	url('end_frame_url', 'End Frame URL', 'Public URL of the last frame', required),
];

/** First and last frame as `image_url` / `end_image_url` (Kling 2.1 Pro, Kling V2.5, Kling O1 on Kling Plus). */
export const imageEndFrames = (): ModelField[] => [
	url('image_url', 'Image URL', 'Public URL of the first frame'),
	url('end_image_url', 'End Image URL', 'Public URL of the last frame'),
];

/** Several URLs: an n8n multi-value field sent as a JSON array of strings. */
export const urlList = (
	apiName: string,
	displayName: string,
	description: string,
	limits: { required?: boolean; minItems?: number; maxItems?: number; maxItemsWith?: ModelField['maxItemsWith'] } = {},
): ModelField => ({
	apiName,
	kind: 'urlList',
	displayName,
	description,
	placeholder: 'e.g. https://example.com/picture.jpg',
	...limits,
});

/** Reference images of Kling O1/O3 (`images`): at most `maxItems`, or 4 when a reference video is given. */
export const referenceImages = (maxItems: number, fewerWithVideo: boolean): ModelField =>
	urlList(
		'images',
		'Reference Image URLs',
		fewerWithVideo
			? `Public URLs of reference images (at most ${maxItems}, or 4 with a reference video)`
			: `Public URLs of reference images (at most ${maxItems})`,
		{ maxItems, ...(fewerWithVideo ? { maxItemsWith: { field: 'video_url', maxItems: 4 } } : {}) },
	);

const NOT_SET = { value: '', name: 'Model Default' };

/** `dflt` null: no documented default, the API decides. */
export const aspectRatio = (values: string[], dflt: string | null = '16:9'): ModelField => ({
	apiName: 'aspect_ratio',
	kind: 'enum',
	options: dflt === null ? [NOT_SET, ...values] : values,
	default: dflt ?? '',
	description: 'Shape of the video frame (width:height)',
});

/** A duration the API wants as a string of whole seconds, e.g. "5". */
export const duration = (seconds: number[], dflt: number): ModelField => ({
	apiName: 'duration',
	kind: 'enum',
	options: seconds.map((s) => ({ value: String(s), name: `${s} Seconds` })),
	default: String(dflt),
	description: 'Length of the video in seconds; the price is per second',
});

export const range = (from: number, to: number): number[] =>
	Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Resolution as a string such as "1080p"; `dflt` undefined means the API decides. */
export const resolution = (values: string[], dflt?: string): ModelField => ({
	apiName: 'resolution',
	kind: 'enum',
	options: dflt === undefined ? [NOT_SET, ...values] : values,
	default: dflt ?? '',
	description: 'Resolution of the video',
});

/** Frames per second as a string. */
export const fps = (values: string[], dflt: string): ModelField => ({
	apiName: 'fps',
	kind: 'enum',
	options: values.map((v) => ({ value: v, name: `${v} FPS` })),
	default: dflt,
	displayName: 'Frame Rate',
	description: 'Frames per second of the video',
});

/** Kling's quality switch (`std` | `pro`, pro costs 1.5 times as much). */
export const klingQuality = (): ModelField => ({
	apiName: 'quality',
	kind: 'enum',
	options: [
		{ value: 'std', name: 'Standard' },
		{ value: 'pro', name: 'Pro (Price × 1.5)' },
	],
	default: 'std',
	description: 'Rendering quality',
});

/** Sound as the API's string "true"/"false", shown as a switch. */
export const hasSound = (dflt: boolean, factor: number): ModelField => ({
	apiName: 'has_sound',
	kind: 'booleanString',
	default: dflt,
	displayName: 'Generate Sound',
	description: `Whether to generate a soundtrack (the price is multiplied by ${factor})`,
});

/** A real JSON boolean. */
export const flag = (apiName: string, dflt: boolean, description: string, displayName?: string): ModelField => ({
	apiName,
	kind: 'boolean',
	default: dflt,
	description,
	...(displayName ? { displayName } : {}),
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

/** A number between 0 and 1 with a documented default, e.g. `cfg_scale`, `guidance_scale`. */
export const scale = (apiName: 'cfg_scale' | 'guidance_scale', displayName: string): ModelField => ({
	apiName,
	kind: 'number',
	displayName,
	default: 0.5,
	min: 0,
	max: 1,
	description: 'How closely the video follows the prompt (0 to 1)',
});

/** An integer seed; −1 (the n8n default) is not sent, so the API picks a random seed. */
export const seed = (): ModelField => ({
	apiName: 'seed',
	kind: 'integer',
	min: -1,
	emptyValue: -1,
	description: 'Seed for repeatable results; -1 lets the model pick a random one (nothing is sent)',
});

/** An array of objects the user writes as JSON. */
export const jsonList = (apiName: string, displayName: string, description: string, required = false): ModelField => ({
	apiName,
	kind: 'json',
	displayName,
	description,
	required,
	minItems: 1,
});

/**
 * The order fields appear in, in n8n and in the README, whatever order a model lists them in: the
 * character and motion sources of motion control, the prompt, the media, then the settings. One
 * global order is needed because identical fields of many models are a single n8n property.
 */
export const FIELD_ORDER = [
	'image',
	'video',
	'prompt',
	'image_url',
	'end_image',
	'end_image_url',
	'start_frame_url',
	'end_frame_url',
	'first_frame_url',
	'last_frame_url',
	'image_urls',
	'images',
	'video_url',
	'video_urls',
	'input_video_url',
	'motion_video_url',
	'reference_urls',
	'omni_images',
	'omni_videos',
	'omni_audios',
	'audio_url',
	'reference_voice_url',
	'work_id',
	'elements',
	'multishot',
	'negative_prompt',
	'aspect_ratio',
	'resolution',
	'quality',
	'duration',
	'fps',
	'has_sound',
	'generate_audio',
	'character_orientation',
	'keep_original_sound',
	'shot_type',
	'multi_shots',
	'camera_fixed',
	'cfg_scale',
	'guidance_scale',
	'enable_prompt_expansion',
	'enable_safety_checker',
	'seed',
];

const rank = new Map(FIELD_ORDER.map((name, i) => [name, i]));

/** Position of a field in FIELD_ORDER; fields not listed go last. */
export function fieldRank(apiName: string): number {
	return rank.get(apiName) ?? FIELD_ORDER.length;
}
