/**
 * Model catalogue, input schemas, input validation and pricing of the fake Muvi API.
 *
 * Everything here is written from /work/shared/muvi-api.md (§2.7, §5, §6) and is deliberately
 * independent of the node's own code: if the node and the fake shared a price table, a wrong
 * price would pass every test.
 *
 * Only erasable TypeScript syntax is used so that Node 24 can run this file directly.
 */
import { createHash } from 'node:crypto';
// @ts-ignore TS5097: Node's type stripping needs the .ts extension; ts-jest and Node both resolve it.
import { DOCUMENTED_VIDEO_SPECS } from './catalog-video.ts';

// ---------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------

/** The JSON Schema subset the fake publishes in the catalog and validates job input against. */
export interface JsonSchemaProperty {
	type: 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';
	description?: string;
	enum?: Array<string | number | boolean>;
	default?: unknown;
	maxLength?: number;
	minimum?: number;
	maximum?: number;
	format?: 'uri';
	items?: JsonSchemaProperty;
	minItems?: number;
	maxItems?: number;
}

export interface InputSchema {
	type: 'object';
	properties: Record<string, JsonSchemaProperty>;
	required: string[];
	/** true for models the fake knows nothing about (acceptAnyModel / models without a schema). */
	additionalProperties?: boolean;
}

/** A price multiplier picked from the (string form of the) value of one input field. */
export interface PriceMultiplier {
	field: string;
	/** value (as String(value)) → multiplier; values not listed multiply by 1. */
	values: Record<string, number>;
	/** value assumed when the field is absent from the input. */
	default?: string;
}

/**
 * Pricing of one model, as the model pages state it (§5): finalCost = base × factor × factor …
 * Per-second models multiply by the `duration` input (a string such as "5").
 */
export interface FakePricing {
	perSecondMicroCents?: number;
	flatMicroCents?: number;
	/** image models priced per image (§6.12): × the number in `imageCountField` */
	perImageMicroCents?: number;
	/** duration used when the input has none (per-second models only). */
	defaultDuration?: string;
	multipliers?: PriceMultiplier[];
}

/** A model given through the `models` option (or built in). */
export interface FakeModelSpec {
	slug: string;
	name?: string;
	description?: string;
	category?: 'video' | 'image';
	/** Display name of the provider; defaults to a built-in name or the capitalised slug prefix. */
	providerName?: string;
	pricing?: FakePricing;
	/** When omitted the model accepts any input object (no validation). */
	inputSchema?: InputSchema;
	/** Overrides the fake's jobDurationMs for this model. */
	durationMs?: number;
	tags?: string[];
	/** image models: the input field saying how many images a job makes (`num_images`, `numberOfGenerations`) */
	imageCountField?: string;
}

/** Fully resolved model as the fake uses it internally. */
export interface FakeModel {
	slug: string;
	/** internal id as the authenticated /v1/models API shows it (e.g. "model_1a2b3c4d5e"). */
	id: string;
	providerId: string;
	modelPart: string;
	capability: string;
	name: string;
	description: string;
	category: 'video' | 'image';
	pricing: FakePricing;
	inputSchema: InputSchema;
	/** false for models without a schema: any input is accepted. */
	validates: boolean;
	durationMs?: number;
	tags: string[];
	versions: FakeModelVersion[];
	/** true when the model exists only because acceptAnyModel let an unknown slug through. */
	synthetic: boolean;
	imageCountField?: string;
}

export interface FakeModelVersion {
	versionId: string;
	version: string;
	status: 'active' | 'deprecated' | 'disabled' | 'deleted';
}

export interface FakeProvider {
	id: string;
	name: string;
	description: string;
	website: string;
	color: string;
}

export interface InputIssue {
	field: string;
	reason: 'required' | 'type' | 'enum' | 'maxLength' | 'range' | 'format' | 'items';
	message: string;
}

export interface PriceResult {
	/** price before the per-account discount */
	baseCostMicroCents: number;
	/** price after the per-account discount (what submit charges) */
	finalCostMicroCents: number;
	/** the model's base rate (per second or flat) */
	baseRateMicroCents: number;
	/** additive components that sum to baseCostMicroCents (reference estimate shape) */
	breakdown: Array<{ component: string; costMicroCents: number }>;
	/** multiplicative factors (pricing-page estimate shape) */
	factors: Record<string, { value: string; multiplier: number }>;
	discountPercent: number;
	savedMicroCents: number;
}

// ---------------------------------------------------------------------------------------------
// Providers and capability groups (§2.6, §2.7)
// ---------------------------------------------------------------------------------------------

export const PROVIDERS: Record<string, FakeProvider> = {
	kling: {
		id: 'kling',
		name: 'Kling',
		description: 'Kling AI video models (fake simulator entry)',
		website: 'https://klingai.com',
		color: '#00C2A8',
	},
	'kling-plus': {
		id: 'kling-plus',
		name: 'Kling Plus',
		description: 'Kling Plus video models (fake simulator entry)',
		website: 'https://klingai.com',
		color: '#7B61FF',
	},
	google: {
		id: 'google',
		name: 'Google',
		description: 'Google Veo and Nano Banana (fake simulator entry)',
		website: 'https://deepmind.google',
		color: '#4285F4',
	},
	openai: {
		id: 'openai',
		name: 'OpenAI',
		description: 'OpenAI Sora and GPT Image (fake simulator entry)',
		website: 'https://openai.com',
		color: '#10A37F',
	},
	bytedance: { id: 'bytedance', name: 'ByteDance', description: 'ByteDance Seedance (fake simulator entry)', website: 'https://seed.bytedance.com', color: '#325AB4' },
	alibaba: { id: 'alibaba', name: 'Alibaba', description: 'Alibaba Wan (fake simulator entry)', website: 'https://wan.video', color: '#FF6A00' },
	'minimax-plus': { id: 'minimax-plus', name: 'MiniMax Plus', description: 'MiniMax Hailuo (fake simulator entry)', website: 'https://hailuoai.video', color: '#E11D48' },
	xai: { id: 'xai', name: 'xAI', description: 'xAI Grok Imagine (fake simulator entry)', website: 'https://x.ai', color: '#000000' },
	seedance: { id: 'seedance', name: 'Seedance', description: 'Seedream image models (fake simulator entry)', website: 'https://seed.bytedance.com', color: '#325AB4' },
	'bytedance-plus': { id: 'bytedance-plus', name: 'ByteDance+', description: 'ByteDance Seedream and Seedance (fake simulator entry)', website: 'https://seed.bytedance.com', color: '#325AB4' },
	runway: { id: 'runway', name: 'Runway', description: 'Runway Gen-4 (fake simulator entry)', website: 'https://runwayml.com', color: '#111111' },
	'alibaba-plus': { id: 'alibaba-plus', name: 'Alibaba+', description: 'Alibaba Wan (fake simulator entry)', website: 'https://wan.video', color: '#FF6A00' },
	'pixelbyte-plus': { id: 'pixelbyte-plus', name: 'PixelByte Plus', description: 'Pixel Image (fake simulator entry)', website: 'https://pixelbyte.app', color: '#0EA5E9' },
};

export const CAPABILITY_GROUPS = [
	{ id: 'text-to-video', displayName: 'Text to Video', label: 'T2V', icon: 'type', color: '#6366F1', order: 1 },
	{ id: 'image-to-video', displayName: 'Image to Video', label: 'I2V', icon: 'image', color: '#8B5CF6', order: 2 },
	{ id: 'start-end-frame-to-video', displayName: 'Start & End Frame to Video', label: 'SEF', icon: 'frames', color: '#A855F7', order: 3 },
	{ id: 'reference-to-video', displayName: 'Reference to Video', label: 'R2V', icon: 'images', color: '#D946EF', order: 4 },
	{ id: 'motion-control', displayName: 'Motion Control', label: 'MC', icon: 'move', color: '#EC4899', order: 5 },
	{ id: 'video-edit', displayName: 'Video Edit', label: 'V2V', icon: 'scissors', color: '#F43F5E', order: 6 },
	{ id: 'text-to-image', displayName: 'Text to Image', label: 'T2I', icon: 'type', color: '#F97316', order: 7 },
	{ id: 'edit-image', displayName: 'Edit Image', label: 'EDIT', icon: 'wand', color: '#EAB308', order: 8 },
	{ id: 'image-to-image', displayName: 'Image to Image', label: 'I2I', icon: 'image', color: '#84CC16', order: 9 },
];

// ---------------------------------------------------------------------------------------------
// Schema builders (keep the built-in table below short and readable)
// ---------------------------------------------------------------------------------------------

const str = (maxLength?: number, description?: string): JsonSchemaProperty => ({
	type: 'string',
	...(maxLength !== undefined ? { maxLength } : {}),
	...(description ? { description } : {}),
});
const url = (description: string): JsonSchemaProperty => ({ type: 'string', format: 'uri', description });
const oneOf = (values: string[], def?: string, description?: string): JsonSchemaProperty => ({
	type: 'string',
	enum: values,
	...(def !== undefined ? { default: def } : {}),
	...(description ? { description } : {}),
});
const range = (from: number, to: number): string[] => {
	const out: string[] = [];
	for (let i = from; i <= to; i++) out.push(String(i));
	return out;
};
const schema = (properties: Record<string, JsonSchemaProperty>, required: string[]): InputSchema => ({
	type: 'object',
	properties,
	required,
});

const ASPECT_3 = ['16:9', '9:16', '1:1'];
const SOUND = (def: 'true' | 'false'): JsonSchemaProperty =>
	oneOf(['true', 'false'], def, 'Generate sound: the STRING "true" or "false"');

/** K3 pattern: base "Kling" provider, Kling 3.0 (§6.0). */
function k3(extra: Record<string, JsonSchemaProperty>, extraRequired: string[]): InputSchema {
	return schema(
		{
			prompt: str(2500, 'Text prompt'),
			...extra,
			aspect_ratio: oneOf(ASPECT_3, '16:9'),
			duration: oneOf(['5', '10', '15'], '5', 'Seconds, as a STRING'),
			has_sound: SOUND('false'),
		},
		['prompt', ...extraRequired],
	);
}
const K3_PRICE = (perSecond: number): FakePricing => ({
	perSecondMicroCents: perSecond,
	defaultDuration: '5',
	multipliers: [{ field: 'has_sound', values: { true: 1.5 }, default: 'false' }],
});

/** Motion control (§6.1 b). */
function motionControl(): InputSchema {
	return schema(
		{
			image: url('Reference character image (JPG/PNG, max 10 MB, min 300 px)'),
			video: url('Motion reference video, 3-30 s'),
			prompt: str(1000),
			negative_prompt: str(1000),
			character_orientation: oneOf(['image', 'video'], undefined),
			keep_original_sound: { type: 'boolean', default: true, description: 'A real boolean' },
			shot_type: oneOf(['customize', 'intelligent'], 'customize'),
		},
		['image', 'video'],
	);
}

// ---------------------------------------------------------------------------------------------
// Image models (§6.12), written from the doc's table. Where the doc gives only a count of aspect
// ratios ("8 options"), the fake lists the ratios it names elsewhere for that model family and
// notes it; the drift check against the live catalog is what settles those.
// ---------------------------------------------------------------------------------------------

const NB_ASPECTS = ['9:16', '16:9', '1:1', '2:3', '3:2'];
const TEN = ['9:16', '16:9', '1:1', '2:3', '3:2', '4:3', '3:4', '4:5', '5:4', '21:9'];
const SEEDREAM_8 = ['21:9', '16:9', '4:3', '3:2', '1:1', '2:3', '3:4', '9:16'];
const SEEDREAM_7 = ['16:9', '4:3', '3:2', '1:1', '2:3', '3:4', '9:16'];
const imageUrls = (maxItems?: number): JsonSchemaProperty => ({
	type: 'array',
	items: url('Source image'),
	minItems: 1,
	...(maxItems !== undefined ? { maxItems } : {}),
	description: 'Images to work from',
});
const image = (
	slug: string,
	name: string,
	pricing: FakePricing,
	properties: Record<string, JsonSchemaProperty>,
	required: string[],
	imageCountField?: string,
): FakeModelSpec => ({
	slug,
	name,
	description: `${name} (${slug.split('/')[2] ?? 'text-to-image'})`,
	category: 'image',
	pricing,
	inputSchema: schema(properties, required),
	...(imageCountField ? { imageCountField } : {}),
});
const withEdit = (edit: boolean, props: Record<string, JsonSchemaProperty>, maxItems?: number) =>
	edit ? { prompt: props.prompt, image_urls: imageUrls(maxItems), ...props } : props;

function nanoBanana(slug: string, name: string, flat: number, fourK: number, aspects: string[], edit: boolean, maxPrompt?: number): FakeModelSpec {
	return image(
		slug,
		name,
		{ flatMicroCents: flat, multipliers: [{ field: 'resolution', values: { '4k': fourK }, default: '1k' }] },
		withEdit(edit, { prompt: str(maxPrompt), aspect_ratio: oneOf(aspects, '9:16'), resolution: oneOf(['1k', '2k', '4k'], '1k') }),
		edit ? ['prompt', 'image_urls'] : ['prompt'],
	);
}
function gptImage(model: string, name: string, flat: number, edit: boolean): FakeModelSpec {
	return image(
		`openai/${model}/${edit ? 'edit-image' : 'text-to-image'}`,
		name,
		{ flatMicroCents: flat },
		withEdit(edit, { prompt: str(5000), aspect_ratio: oneOf(['1:1', '3:2', '2:3'], '1:1') }),
		edit ? ['prompt', 'image_urls'] : ['prompt'],
	);
}
function wanLike(slug: string, name: string, perImage: number, countAsString: boolean): FakeModelSpec {
	const i2i = slug.endsWith('/image-to-image');
	const count: JsonSchemaProperty = countAsString
		? oneOf(['1', '2', '3', '4'], '1', 'Number of images, as a STRING')
		: { type: 'integer', minimum: 1, maximum: 4, default: 1 };
	return image(
		slug,
		name,
		{ perImageMicroCents: perImage },
		withEdit(i2i, { prompt: str(5000), size: oneOf(['1K', '2K'], '2K'), num_images: count, thinking_mode: { type: 'boolean', default: true } }, 4),
		i2i ? ['prompt', 'image_urls'] : ['prompt'],
		'num_images',
	);
}
const RUNWAY_STYLE = oneOf([
	'vivid', 'vivid-warm', 'vivid-cool', 'high-contrast', 'high-contrast-warm', 'high-contrast-cool', 'bw', 'bw-contrast',
	'muted-pastel', 'dreamscape', 'nordic-minimal', 'light-anime', 'dark-anime', 'painted-anime', '3d-cartoon', 'sketch',
	'low-angle', 'in-motion', 'terracotta',
]);

const IMAGE_SPECS: FakeModelSpec[] = [
	nanoBanana('google/nano-banana', 'Nano Banana', 40_000, 2, NB_ASPECTS, false),
	nanoBanana('google/nano-banana/edit-image', 'Nano Banana', 40_000, 2, NB_ASPECTS, true),
	nanoBanana('google/nano-banana-pro/text-to-image', 'Nano Banana Pro', 134_000, 1.8, NB_ASPECTS, false),
	nanoBanana('google/nano-banana-pro/edit-image', 'Nano Banana Pro', 134_000, 1.8, NB_ASPECTS, true),
	nanoBanana('google/nano-banana-2/text-to-image', 'Nano Banana 2', 134_000, 1.8, TEN, false, 5000),
	nanoBanana('google/nano-banana-2/edit-image', 'Nano Banana 2', 134_000, 1.8, TEN, true, 5000),
	nanoBanana('google/nano-banana-pro-extra/edit-image', 'Nano Banana Pro Extra', 134_000, 1.8, TEN, true),
	image(
		'google/nano-banana-dev/text-to-image',
		'Nano Banana Dev',
		{ flatMicroCents: 40_000 },
		{ prompt: str(), aspect_ratio: oneOf(TEN, '9:16'), numberOfGenerations: { type: 'integer', minimum: 1, maximum: 4 } },
		['prompt'],
		'numberOfGenerations',
	),
	gptImage('gpt-image-1.5', 'GPT Image 1.5', 34_000, false),
	gptImage('gpt-image-1.5', 'GPT Image 1.5', 34_000, true),
	gptImage('gpt-image-1-mini', 'GPT Image 1 Mini', 11_000, false),
	gptImage('gpt-image-1-mini', 'GPT Image 1 Mini', 11_000, true),
	...[false, true].map((edit) =>
		image(
			`seedance/seedream-5/${edit ? 'edit-image' : 'text-to-image'}`,
			'Seedream 5',
			{ flatMicroCents: 35_000, multipliers: [{ field: 'resolution', values: { '3K': 1.5 }, default: '2K' }] },
			withEdit(edit, { prompt: str(5000), aspect_ratio: oneOf(SEEDREAM_8, '16:9'), resolution: oneOf(['2K', '3K']) }),
			edit ? ['prompt', 'image_urls'] : ['prompt'],
		),
	),
	...[false, true].map((i2i) =>
		image(
			`bytedance-plus/seedream-v4.5/${i2i ? 'image-to-image' : 'text-to-image'}`,
			'Seedream 4.5',
			{ flatMicroCents: 40_000 },
			withEdit(i2i, { prompt: str(), aspect_ratio: oneOf(SEEDREAM_8, '1:1'), resolution: oneOf(['512p', '1k', '2k', '4k'], '2k') }),
			i2i ? ['prompt', 'image_urls', 'aspect_ratio', 'resolution'] : ['prompt', 'aspect_ratio', 'resolution'],
		),
	),
	...[false, true].map((i2i) =>
		image(
			`bytedance-plus/seedream-v5-lite/${i2i ? 'image-to-image' : 'text-to-image'}`,
			'Seedream 5 Lite',
			{ perImageMicroCents: 35_000 },
			withEdit(i2i, {
				prompt: str(),
				resolution: oneOf(['1K', '2K', '4K'], '2K'),
				aspect_ratio: oneOf(SEEDREAM_7, '1:1'),
				num_images: { type: 'integer', minimum: 1, maximum: 4, default: 1 },
			}),
			i2i ? ['prompt', 'image_urls'] : ['prompt'],
			'num_images',
		),
	),
	...[false, true].map((edit) =>
		image(
			`runway/gen-4-image/${edit ? 'edit-image' : 'text-to-image'}`,
			'Runway Gen-4 Image',
			{ flatMicroCents: 50_000, multipliers: [{ field: 'resolution', values: { '1080p': 1.6 } }] },
			withEdit(edit, {
				prompt: str(),
				aspect_ratio: oneOf(TEN, '16:9'),
				resolution: oneOf(['720p', '1080p']),
				style: RUNWAY_STYLE,
				diversity: { type: 'integer', minimum: 1, maximum: 5 },
			}),
			edit ? ['prompt', 'image_urls'] : ['prompt'],
		),
	),
	image(
		'runway/gen-4-turbo-image/edit-image',
		'Runway Gen-4 Turbo Image',
		{ flatMicroCents: 20_000 },
		{ prompt: str(), image_urls: imageUrls(3), aspect_ratio: oneOf(TEN, '16:9'), style: RUNWAY_STYLE },
		['prompt', 'image_urls'],
	),
	wanLike('alibaba-plus/wan-2.7/text-to-image', 'Wan 2.7', 30_000, true),
	wanLike('alibaba-plus/wan-2.7/image-to-image', 'Wan 2.7', 30_000, true),
	wanLike('alibaba-plus/wan-2.7-pro/text-to-image', 'Wan 2.7 Pro', 45_000, true),
	wanLike('alibaba-plus/wan-2.7-pro/image-to-image', 'Wan 2.7 Pro', 45_000, true),
	wanLike('pixelbyte-plus/pixel-image-1.0/text-to-image', 'Pixel Image 1.0', 30_000, false),
	wanLike('pixelbyte-plus/pixel-image-1.0/image-to-image', 'Pixel Image 1.0', 30_000, false),
	wanLike('pixelbyte-plus/pixel-image-1.0-pro/text-to-image', 'Pixel Image 1.0 Pro', 45_000, false),
	wanLike('pixelbyte-plus/pixel-image-1.0-pro/image-to-image', 'Pixel Image 1.0 Pro', 45_000, false),
];

/** Built-in models: the two seed models of §6.1 plus a few documented neighbours. */
const BUILTIN_SPECS: FakeModelSpec[] = [
	{
		slug: 'kling/kling-3.0-standard/image-to-video',
		name: 'Kling 3.0 Standard',
		description: 'Animate a still image with Kling 3.0 Standard',
		category: 'video',
		pricing: K3_PRICE(84_000),
		inputSchema: k3({ image_url: url('Source image') }, ['image_url']),
	},
	{
		slug: 'kling/kling-3.0-standard/text-to-video',
		name: 'Kling 3.0 Standard',
		description: 'Text to video with Kling 3.0 Standard',
		category: 'video',
		pricing: K3_PRICE(84_000),
		inputSchema: k3({}, []),
	},
	{
		slug: 'kling/kling-3.0-standard/start-end-frame-to-video',
		name: 'Kling 3.0 Standard',
		description: 'First and last frame to video with Kling 3.0 Standard',
		category: 'video',
		pricing: K3_PRICE(84_000),
		inputSchema: k3(
			{ start_frame_url: url('First frame'), end_frame_url: url('Last frame') },
			['start_frame_url', 'end_frame_url'],
		),
	},
	{
		slug: 'kling/kling-3.0-pro/image-to-video',
		name: 'Kling 3.0 Pro',
		description: 'Animate a still image with Kling 3.0 Pro',
		category: 'video',
		pricing: K3_PRICE(112_000),
		inputSchema: k3({ image_url: url('Source image') }, ['image_url']),
	},
	{
		slug: 'kling-plus/kling-3.0-pro/motion-control',
		name: 'Kling 3.0 Pro Motion Control',
		description: 'Move a still character along the motion of a reference video',
		category: 'video',
		// The page labels it "/second" but the formula is finalCost = baseCost: flat per job.
		pricing: { flatMicroCents: 50_000 },
		inputSchema: motionControl(),
	},
	{
		slug: 'kling-plus/kling-3.0-standard/motion-control',
		name: 'Kling 3.0 Standard Motion Control',
		description: 'Move a still character along the motion of a reference video',
		category: 'video',
		pricing: { flatMicroCents: 30_000 },
		inputSchema: motionControl(),
	},
	{
		slug: 'kling-plus/kling-3.0-standard/text-to-video',
		name: 'Kling 3.0 Standard (Plus)',
		description: 'Text to video with Kling 3.0 Standard on Kling Plus',
		category: 'video',
		pricing: {
			perSecondMicroCents: 84_000,
			defaultDuration: '5',
			multipliers: [{ field: 'has_sound', values: { true: 1.5 }, default: 'true' }],
		},
		inputSchema: schema(
			{
				prompt: str(2500),
				aspect_ratio: oneOf(ASPECT_3, '16:9'),
				duration: oneOf(range(3, 15), '5', 'Seconds, as a STRING'),
				has_sound: SOUND('true'),
				cfg_scale: { type: 'number', minimum: 0, maximum: 1, default: 0.5 },
				negative_prompt: str(1000),
				shot_type: oneOf(['customize', 'intelligent'], 'customize'),
			},
			['prompt'],
		),
	},
	{
		slug: 'google/veo-3.1-fast/text-to-video',
		name: 'Veo 3.1 Fast',
		description: 'Text to video with Google Veo 3.1 Fast',
		category: 'video',
		pricing: {
			perSecondMicroCents: 200_000,
			defaultDuration: '8',
			multipliers: [
				{ field: 'resolution', values: { '4k': 1.5 }, default: '720p' },
				{ field: 'has_sound', values: { true: 1.5 }, default: 'true' },
			],
		},
		inputSchema: schema(
			{
				prompt: str(4000),
				aspect_ratio: oneOf(['16:9', '9:16'], '16:9'),
				resolution: oneOf(['720p', '1080p', '4k'], '720p'),
				duration: oneOf(['4', '6', '8'], '8', 'Seconds, as a STRING'),
				has_sound: SOUND('true'),
				seed: { type: 'integer' },
			},
			['prompt'],
		),
	},
	{
		slug: 'openai/sora-2/text-to-video',
		name: 'Sora 2',
		description: 'Text to video with OpenAI Sora 2',
		category: 'video',
		pricing: { perSecondMicroCents: 100_000, defaultDuration: '4' },
		inputSchema: schema(
			{
				prompt: str(1000),
				aspect_ratio: oneOf(['16:9', '9:16'], '16:9'),
				duration: oneOf(['4', '8', '12'], '4', 'Seconds, as a STRING'),
			},
			['prompt'],
		),
	},
	...IMAGE_SPECS,
];

/** The built-ins above first (their tests rely on them), then every other documented video model (§6.2–§6.10). */
const DOCUMENTED_SPECS: FakeModelSpec[] = [
	...BUILTIN_SPECS,
	...DOCUMENTED_VIDEO_SPECS.filter((s) => !BUILTIN_SPECS.some((b) => b.slug === s.slug)),
];

/** Price for slugs the fake does not know when acceptAnyModel is on (documented in the README of the reply). */
export const DEFAULT_ANY_MODEL_PRICING: FakePricing = { perSecondMicroCents: 50_000, defaultDuration: '5' };

// ---------------------------------------------------------------------------------------------
// Slugs and model resolution
// ---------------------------------------------------------------------------------------------

const SEGMENT = '[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?';
/** `provider/model` or `provider/model/capability`, lower case (§2.1, §2.7). */
const SLUG_RE = new RegExp(`^${SEGMENT}/${SEGMENT}(?:/${SEGMENT})?$`);

export function isWellFormedSlug(slug: unknown): slug is string {
	return typeof slug === 'string' && slug.length <= 200 && SLUG_RE.test(slug);
}

function shortHash(text: string, length = 10): string {
	return createHash('sha256').update(text).digest('hex').slice(0, length);
}

function capitalise(id: string): string {
	return id
		.split('-')
		.map((p) => (p ? p[0].toUpperCase() + p.slice(1) : p))
		.join(' ');
}

function guessCategory(capability: string): 'video' | 'image' {
	return /image/.test(capability) && !/video/.test(capability) ? 'image' : 'video';
}

export function providerFor(providerId: string, providerName?: string): FakeProvider {
	const known = PROVIDERS[providerId];
	if (known) return providerName ? { ...known, name: providerName } : known;
	return {
		id: providerId,
		name: providerName ?? capitalise(providerId),
		description: `${providerName ?? capitalise(providerId)} models (fake simulator entry)`,
		website: `https://example.invalid/${providerId}`,
		color: '#64748B',
	};
}

/** Turns a spec (built-in, from options, or synthetic) into the model the fake works with. */
export function resolveSpec(spec: FakeModelSpec, synthetic = false): FakeModel {
	const parts = spec.slug.split('/');
	const providerId = parts[0];
	const modelPart = parts[1] ?? '';
	const capability = parts[2] ?? (spec.category === 'image' ? 'text-to-image' : 'text-to-video');
	const category = spec.category ?? guessCategory(capability);
	const hash = shortHash(spec.slug);
	const hasSchema = spec.inputSchema !== undefined;
	return {
		slug: spec.slug,
		id: `model_${hash}`,
		providerId,
		modelPart,
		capability,
		name: spec.name ?? capitalise(modelPart),
		description: spec.description ?? `${capitalise(modelPart)} ${capability} (fake simulator entry)`,
		category,
		pricing: spec.pricing ?? DEFAULT_ANY_MODEL_PRICING,
		inputSchema: spec.inputSchema ?? { type: 'object', properties: {}, required: [], additionalProperties: true },
		validates: hasSchema,
		durationMs: spec.durationMs,
		tags: spec.tags ?? [category, providerId, capability],
		// Two versions so MODEL_VERSION_NOT_ACTIVE can be exercised (the models API example has versionCount 2).
		versions: [
			{ versionId: `ver_${hash}_1`, version: 'v0.9', status: 'deprecated' },
			{ versionId: `ver_${hash}_2`, version: 'v1.0', status: 'active' },
		],
		synthetic,
		...(spec.imageCountField ? { imageCountField: spec.imageCountField } : {}),
	};
}

export function builtinModelSpecs(): FakeModelSpec[] {
	return DOCUMENTED_SPECS.map((s) => ({ ...s }));
}

/** Built-in models followed by the `models` option (which overrides a built-in with the same slug). */
export function buildModelTable(extra: FakeModelSpec[] | undefined, withdrawn: string[] = []): Map<string, FakeModel> {
	const table = new Map<string, FakeModel>();
	for (const spec of [...DOCUMENTED_SPECS, ...(extra ?? [])]) table.set(spec.slug, resolveSpec(spec));
	for (const slug of withdrawn) table.delete(slug);
	return table;
}

// ---------------------------------------------------------------------------------------------
// Input validation (the subset of JSON Schema the built-in schemas use)
// ---------------------------------------------------------------------------------------------

function describe(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
	if (typeof value === 'object') return 'an object';
	return `the ${typeof value} ${String(value)}`;
}

function typeMatches(type: JsonSchemaProperty['type'], value: unknown): boolean {
	switch (type) {
		case 'string':
			return typeof value === 'string';
		case 'number':
			return typeof value === 'number' && Number.isFinite(value);
		case 'integer':
			return typeof value === 'number' && Number.isInteger(value);
		case 'boolean':
			return typeof value === 'boolean';
		case 'array':
			return Array.isArray(value);
		case 'object':
			return typeof value === 'object' && value !== null && !Array.isArray(value);
	}
}

function checkValue(field: string, prop: JsonSchemaProperty, value: unknown, issues: InputIssue[]): void {
	const enumHint = prop.enum ? ` (one of ${prop.enum.map((v) => JSON.stringify(v)).join(', ')})` : '';
	if (!typeMatches(prop.type, value)) {
		const article = prop.type === 'integer' || prop.type === 'array' || prop.type === 'object' ? 'an' : 'a';
		issues.push({
			field,
			reason: 'type',
			message: `input.${field} must be ${article} ${prop.type}${enumHint}, got ${describe(value)}`,
		});
		return;
	}
	if (prop.enum && !prop.enum.includes(value as string | number | boolean)) {
		issues.push({ field, reason: 'enum', message: `input.${field} must be one of ${prop.enum.map((v) => JSON.stringify(v)).join(', ')}, got ${describe(value)}` });
		return;
	}
	if (typeof value === 'string') {
		if (prop.maxLength !== undefined && value.length > prop.maxLength) {
			issues.push({ field, reason: 'maxLength', message: `input.${field} must be at most ${prop.maxLength} characters, got ${value.length}` });
			return;
		}
		if (prop.format === 'uri') {
			let ok = false;
			try {
				const u = new URL(value);
				ok = u.protocol === 'https:' || u.protocol === 'http:';
			} catch {
				ok = false;
			}
			if (!ok) issues.push({ field, reason: 'format', message: `input.${field} must be a publicly reachable http(s) URL, got ${describe(value)}` });
		}
	}
	if (typeof value === 'number') {
		if ((prop.minimum !== undefined && value < prop.minimum) || (prop.maximum !== undefined && value > prop.maximum)) {
			issues.push({ field, reason: 'range', message: `input.${field} must be between ${prop.minimum ?? '-∞'} and ${prop.maximum ?? '∞'}, got ${value}` });
		}
	}
	if (Array.isArray(value)) {
		if ((prop.minItems !== undefined && value.length < prop.minItems) || (prop.maxItems !== undefined && value.length > prop.maxItems)) {
			issues.push({ field, reason: 'items', message: `input.${field} must hold ${prop.minItems ?? 0} to ${prop.maxItems ?? '∞'} items, got ${value.length}` });
			return;
		}
		if (prop.items) value.forEach((item, i) => checkValue(`${field}[${i}]`, prop.items as JsonSchemaProperty, item, issues));
	}
}

/**
 * Validates `input` against a model schema. `checkRequired` is false for estimates, where
 * the input is optional and only used for pricing factors.
 */
export function validateInput(model: FakeModel, input: Record<string, unknown>, checkRequired = true): InputIssue[] {
	if (!model.validates) return [];
	const issues: InputIssue[] = [];
	if (checkRequired) {
		for (const field of model.inputSchema.required) {
			const v = input[field];
			if (v === undefined || v === null || v === '') {
				issues.push({ field, reason: 'required', message: `input.${field} is required` });
			}
		}
	}
	for (const [field, value] of Object.entries(input)) {
		const prop = model.inputSchema.properties[field];
		if (!prop || value === undefined) continue; // unknown fields are tolerated, like a JSON Schema without additionalProperties:false
		if (value === null && !checkRequired) continue;
		if (issues.some((i) => i.field === field)) continue;
		checkValue(field, prop, value, issues);
	}
	return issues;
}

// ---------------------------------------------------------------------------------------------
// Pricing (§5): finalCost = base × factors, then the per-account discount
// ---------------------------------------------------------------------------------------------

export function priceFor(model: FakeModel, input: Record<string, unknown>, discountPercent = 0): PriceResult {
	const p = model.pricing;
	const breakdown: Array<{ component: string; costMicroCents: number }> = [];
	const factors: Record<string, { value: string; multiplier: number }> = {};
	let running: number;
	let baseRate: number;
	if (p.perSecondMicroCents !== undefined) {
		baseRate = p.perSecondMicroCents;
		const raw = input.duration ?? p.defaultDuration ?? '5';
		let seconds = Number(raw);
		if (!Number.isFinite(seconds) || seconds <= 0) seconds = Number(p.defaultDuration ?? 5);
		factors.duration = { value: String(raw), multiplier: seconds };
		running = Math.round(baseRate * seconds);
		breakdown.push({ component: 'base_generation', costMicroCents: running });
	} else if (p.perImageMicroCents !== undefined) {
		baseRate = p.perImageMicroCents;
		const raw = model.imageCountField ? input[model.imageCountField] : undefined;
		let images = Number(raw ?? 1);
		if (!Number.isInteger(images) || images <= 0) images = 1;
		factors.images = { value: String(images), multiplier: images };
		running = baseRate * images;
		breakdown.push({ component: 'base_generation', costMicroCents: running });
	} else {
		baseRate = p.flatMicroCents ?? 0;
		running = baseRate;
		breakdown.push({ component: 'base_generation', costMicroCents: running });
	}
	for (const m of p.multipliers ?? []) {
		const raw = input[m.field];
		const value = raw === undefined || raw === null ? m.default : String(raw);
		if (value === undefined) continue;
		const multiplier = m.values[value] ?? 1;
		factors[m.field] = { value, multiplier };
		if (multiplier === 1) continue;
		const next = Math.round(running * multiplier);
		// Additive components so that the breakdown sums to the base cost, as the reference example does.
		breakdown.push({ component: m.field, costMicroCents: next - running });
		running = next;
	}
	const pct = Math.max(0, Math.min(100, discountPercent));
	const saved = Math.round((running * pct) / 100);
	return {
		baseCostMicroCents: running,
		finalCostMicroCents: running - saved,
		baseRateMicroCents: baseRate,
		breakdown,
		factors,
		discountPercent: pct,
		savedMicroCents: saved,
	};
}

/** Catalog "pricing" object; how credits relate to micro-cents is UNCONFIRMED, the fake uses 1 credit = 1000 mc. */
export function catalogPricing(model: FakeModel): { baseCredits: number; unit: string } {
	if (model.pricing.perSecondMicroCents !== undefined) {
		return { baseCredits: model.pricing.perSecondMicroCents / 1000, unit: 'per_second' };
	}
	if (model.pricing.perImageMicroCents !== undefined) {
		return { baseCredits: model.pricing.perImageMicroCents / 1000, unit: 'per_image' };
	}
	return { baseCredits: (model.pricing.flatMicroCents ?? 0) / 1000, unit: 'per_generation' };
}
