import { defineModel, factor, fieldsOf, flat, perSecond } from './define';
import {
	aspectRatio,
	duration,
	hasSound,
	imageEndFrames,
	imageUrl,
	jsonList,
	keepOriginalSound,
	negativePrompt,
	prompt,
	range,
	referenceImages,
	scale,
	shotType,
	startEndFrames,
	url,
	videoUrl,
} from './fields';
import type { ModelField, VideoModel } from './types';

/** Provider "Kling Plus", slug prefix `kling-plus/` (muvi-api.md §6.1, §6.3). */
const provider = 'Kling Plus';
/** Kling Plus re-offers models the base "Kling" provider has under the same name: tagged and explained. */
const SAME_NAME_AS_KLING = 'Kling Plus';
const ASPECTS = ['16:9', '9:16', '1:1'];
const sound15 = factor('has_sound', { true: 1.5 });
const cfgScale = () => scale('cfg_scale', 'CFG Scale');
const guidanceScale = () => scale('guidance_scale', 'Guidance Scale');

type Capability = 'text-to-video' | 'image-to-video' | 'start-end-frame-to-video' | 'reference-to-video' | 'video-edit' | 'video-edit-fast';
const tierName = (tier: string) => tier.replace(/(^|-)([a-z0-9])/g, (_, dash: string, c: string) => (dash ? ' ' : '') + c.toUpperCase());

/** Motion control (§6.1): a still character follows a reference video. Flat price per job. */
const motionControl = (version: '3.0' | '2.6', tier: 'pro' | 'standard', microCents: number): VideoModel =>
	defineModel({
		slug: `kling-plus/kling-${version}-${tier}/motion-control`,
		series: `Kling ${version} ${tierName(tier)}`,
		provider,
		family: version === '3.0' ? 'MC3' : 'MC26',
		typicalSeconds: 180,
		fields: fieldsOf(
			{
				...url('image', 'Character Image URL', 'Public URL of the character image (JPG or PNG, at most 10 MB, at least 300 px)'),
				param: 'image',
			},
			{
				...url('video', 'Motion Video URL', 'Public URL of the video whose motion the character follows (3 to 30 seconds long)'),
				param: 'video',
				placeholder: 'e.g. https://example.com/dance.mp4',
			},
			prompt(1000, false),
			negativePrompt(1000),
			version === '3.0'
				? {
						apiName: 'character_orientation',
						kind: 'enum',
						options: [
							{ value: '', name: 'Not Set (Muvi Decides)' },
							{ value: 'image', name: 'Follow the Image' },
							{ value: 'video', name: 'Follow the Video' },
						],
						default: '',
						description: "Which source the character's orientation follows",
					}
				: {
						// Kling 2.6 motion control requires it; the docs' example sends "image".
						apiName: 'character_orientation',
						kind: 'enum',
						required: true,
						options: [
							{ value: 'image', name: 'Follow the Image' },
							{ value: 'video', name: 'Follow the Video' },
						],
						default: 'image',
						description: "Which source the character's orientation follows",
					},
			keepOriginalSound(),
			version === '3.0' && shotType(),
		),
		// The docs label this "per second", but the formula is finalCost = baseCost: a flat price per job.
		price: flat(microCents),
	});

const media = (capability: Capability, startEnd: () => ModelField[]): ModelField[] =>
	capability === 'image-to-video' ? [imageUrl()] : capability === 'start-end-frame-to-video' ? startEnd() : [];

/** KP3 (§6.0): Kling 3.0 on Kling Plus; sound on by default (× 1.5), 3–15 s, cfg_scale. */
const kp3 = (tier: 'standard' | 'pro', capability: 'text-to-video' | 'image-to-video' | 'start-end-frame-to-video', rate: number) =>
	defineModel({
		slug: `kling-plus/kling-3.0-${tier}/${capability}`,
		series: `Kling 3.0 ${tierName(tier)}`,
		variant: SAME_NAME_AS_KLING,
		about:
			'Kling Plus route: 3 to 15 s, sound on by default (price × 1.5), CFG scale, negative prompt and shot type; the plain Kling 3.0 has 5, 10 or 15 s with sound off by default',
		provider,
		family: 'KP3',
		typicalSeconds: 240,
		fields: fieldsOf(
			prompt(2500, capability === 'text-to-video'),
			media(capability, startEndFrames),
			capability === 'text-to-video' && aspectRatio(ASPECTS),
			duration(range(3, 15), 5),
			hasSound(true, 1.5),
			cfgScale(),
			negativePrompt(1000),
			shotType(),
		),
		price: perSecond(rate, sound15),
	});

/** Kling 2.6 Pro on Kling Plus: sound on by default and × 2; text to video defaults to 1:1. */
const kp26Pro = (capability: 'text-to-video' | 'image-to-video') =>
	defineModel({
		slug: `kling-plus/kling-2.6-pro/${capability}`,
		series: 'Kling 2.6 Pro',
		variant: SAME_NAME_AS_KLING,
		about:
			'Kling Plus route: sound on by default (price × 2), CFG scale and negative prompt; image to video can take an end image. The plain Kling 2.6 Pro has sound off by default',
		provider,
		typicalSeconds: 240,
		fields: fieldsOf(
			prompt(2500, capability === 'text-to-video'),
			capability === 'image-to-video' && [imageUrl(), url('end_image', 'End Image URL', 'Public URL of the last frame', false)],
			capability === 'text-to-video' && aspectRatio(ASPECTS, '1:1'),
			duration([5, 10], 5),
			hasSound(true, 2),
			cfgScale(),
			negativePrompt(1000),
		),
		price: perSecond(70_000, factor('has_sound', { true: 2 })),
	});

/** Kling 2.6 Standard on Kling Plus: no sound option. The page gives no prompt limit. */
const kp26Standard = (capability: 'text-to-video' | 'image-to-video') =>
	defineModel({
		slug: `kling-plus/kling-2.6-standard/${capability}`,
		series: 'Kling 2.6 Standard',
		provider,
		typicalSeconds: 240,
		fields: fieldsOf(
			prompt(undefined, capability === 'text-to-video'),
			media(capability, startEndFrames),
			capability === 'text-to-video' && aspectRatio(ASPECTS),
			duration([5, 10], 5),
			negativePrompt(1000),
		),
		price: perSecond(50_000),
	});

/** KP2 (§6.0): Kling 2.1 / 2.5 on Kling Plus; `guidance_scale` (not cfg_scale), 5 or 10 s. */
const kp2 = (model: string, series: string, capability: 'text-to-video' | 'image-to-video' | 'start-end-frame-to-video', rate: number) =>
	defineModel({
		slug: `kling-plus/${model}/${capability}`,
		series,
		provider,
		family: 'KP2',
		typicalSeconds: 240,
		fields: fieldsOf(
			prompt(2500, capability === 'text-to-video'),
			media(capability, imageEndFrames),
			capability === 'text-to-video' && aspectRatio(ASPECTS),
			duration([5, 10], 5),
			guidanceScale(),
			negativePrompt(1000),
		),
		price: perSecond(rate),
	});

/**
 * KO1 (§6.0): Kling O1; no sound option. Reference images: Pro ≤7 (≤4 with a video), Standard ≤10;
 * video edit: Pro ≤4, Standard ≤10.
 */
const ko1 = (tier: 'pro' | 'standard', capability: Capability, price: number) => {
	const isPro = tier === 'pro';
	const edit = capability === 'video-edit' || capability === 'video-edit-fast';
	const needsPrompt = capability === 'text-to-video' || capability === 'reference-to-video' || edit;
	return defineModel({
		slug: `kling-plus/kling-o1-${tier}/${capability}`,
		series: `Kling O1 ${tierName(tier)}`,
		provider,
		family: 'KO1',
		typicalSeconds: capability === 'video-edit-fast' ? 120 : edit ? 180 : 240,
		fields: fieldsOf(
			prompt(2500, needsPrompt),
			media(capability, imageEndFrames),
			capability === 'reference-to-video' && [videoUrl('Public URL of a reference video', false), referenceImages(isPro ? 7 : 10, isPro)],
			edit && [videoUrl('Public URL of the video to edit'), referenceImages(isPro ? 4 : 10, false)],
			(capability === 'text-to-video' || (capability === 'reference-to-video' && isPro)) && aspectRatio(ASPECTS),
			capability === 'video-edit-fast' && aspectRatio(ASPECTS, null),
			!edit && duration(capability === 'text-to-video' ? [5, 10] : range(3, 10), 5),
			(capability === 'reference-to-video' || edit) && keepOriginalSound(),
		),
		price: edit ? flat(price) : perSecond(price),
	});
};

/** KO3 (§6.0): Kling O3; sound × 1.5, 3–15 s, multishot; `elements` on Pro only. */
const ko3 = (tier: 'pro' | 'standard', capability: Exclude<Capability, 'video-edit-fast'>, price: number) => {
	const isPro = tier === 'pro';
	const edit = capability === 'video-edit';
	return defineModel({
		slug: `kling-plus/kling-o3-${tier}/${capability}`,
		series: `Kling O3 ${tierName(tier)}`,
		provider,
		family: 'KO3',
		typicalSeconds: edit ? 180 : 240,
		fields: fieldsOf(
			prompt(2500, capability === 'text-to-video' || edit),
			media(capability, startEndFrames),
			capability === 'reference-to-video' && [videoUrl('Public URL of a reference video', false), referenceImages(7, true)],
			edit && [videoUrl('Public URL of the video to edit (at most 10 seconds long)'), referenceImages(4, false)],
			isPro &&
				!edit &&
				jsonList(
					'elements',
					'Elements',
					'Characters or objects to keep consistent, as a JSON array: each with 1–4 reference images and an optional voice clip',
				),
			!edit &&
				jsonList(
					'multishot',
					'Multi-Shot',
					'Shots as a JSON array, e.g. [{"prompt": "A wide shot of the city", "duration": 5}]; each shot lasts 1–15 seconds',
				),
			(capability === 'text-to-video' || capability === 'reference-to-video') && aspectRatio(ASPECTS),
			!edit && duration(range(3, 15), 5),
			!edit && hasSound(false, 1.5),
			(capability === 'reference-to-video' || edit) && keepOriginalSound(),
			shotType(),
		),
		price: edit ? flat(price) : perSecond(price, sound15),
	});
};

export const klingPlusModels: VideoModel[] = [
	motionControl('3.0', 'pro', 50_000),
	motionControl('3.0', 'standard', 30_000),
	motionControl('2.6', 'pro', 40_000),
	motionControl('2.6', 'standard', 25_000),

	kp3('standard', 'text-to-video', 84_000),
	kp3('standard', 'image-to-video', 84_000),
	kp3('standard', 'start-end-frame-to-video', 84_000),
	kp3('pro', 'text-to-video', 112_000),
	kp3('pro', 'image-to-video', 112_000),
	kp3('pro', 'start-end-frame-to-video', 112_000),

	kp26Pro('text-to-video'),
	kp26Pro('image-to-video'),
	kp26Standard('text-to-video'),
	kp26Standard('image-to-video'),

	kp2('kling-2.5-turbo-pro', 'Kling 2.5 Turbo Pro', 'text-to-video', 50_000),
	kp2('kling-2.5-turbo-pro', 'Kling 2.5 Turbo Pro', 'image-to-video', 50_000),
	kp2('kling-2.5-turbo-standard', 'Kling 2.5 Turbo Standard', 'image-to-video', 35_000),
	kp2('kling-2.1-master', 'Kling 2.1 Master', 'text-to-video', 40_000),
	kp2('kling-2.1-master', 'Kling 2.1 Master', 'image-to-video', 40_000),
	kp2('kling-2.1-pro', 'Kling 2.1 Pro', 'image-to-video', 50_000),
	kp2('kling-2.1-pro', 'Kling 2.1 Pro', 'start-end-frame-to-video', 50_000),

	ko1('pro', 'text-to-video', 70_000),
	ko1('pro', 'image-to-video', 70_000),
	ko1('pro', 'reference-to-video', 70_000),
	ko1('pro', 'start-end-frame-to-video', 70_000),
	ko1('pro', 'video-edit', 40_000),
	ko1('pro', 'video-edit-fast', 30_000),
	ko1('standard', 'text-to-video', 50_000),
	ko1('standard', 'image-to-video', 50_000),
	ko1('standard', 'reference-to-video', 50_000),
	ko1('standard', 'start-end-frame-to-video', 50_000),
	ko1('standard', 'video-edit', 30_000),

	ko3('pro', 'text-to-video', 112_000),
	ko3('pro', 'image-to-video', 112_000),
	ko3('pro', 'reference-to-video', 112_000),
	ko3('pro', 'start-end-frame-to-video', 112_000),
	ko3('pro', 'video-edit', 50_000),
	ko3('standard', 'text-to-video', 84_000),
	ko3('standard', 'image-to-video', 84_000),
	ko3('standard', 'reference-to-video', 84_000),
	ko3('standard', 'start-end-frame-to-video', 84_000),
	ko3('standard', 'video-edit', 30_000),
];
