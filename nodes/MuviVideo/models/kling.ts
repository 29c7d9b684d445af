import { defineModel, factor, fieldsOf, perSecond } from './define';
import {
	aspectRatio,
	duration,
	hasSound,
	imageEndFrames,
	imageUrl,
	jsonList,
	klingQuality,
	negativePrompt,
	prompt,
	range,
	seed,
	startEndFrames,
	url,
	videoUrl,
} from './fields';
import type { ModelField, VideoModel } from './types';

/** Provider "Kling", slug prefix `kling/` (muvi-api.md §6.2). */
const provider = 'Kling';
const ASPECTS = ['16:9', '9:16', '1:1'];
const pro15 = factor('quality', { pro: 1.5 });
/** The KQ models' names say "Std/Pro" and this, so "Kling V2.6" is not mistaken for "Kling 2.6". */
const KQ_ABOUT = "Kling's V-series API with a Quality switch: Standard, or Pro at price × 1.5";

/** The media a text, image or start-end model takes. */
const framesFor = (capability: string, startEnd: () => ModelField[] = startEndFrames): ModelField[] =>
	capability === 'image-to-video' ? [imageUrl()] : capability === 'start-end-frame-to-video' ? startEnd() : [];

type Basic = 'text-to-video' | 'image-to-video' | 'start-end-frame-to-video';

/** K3 (§6.0): Kling 3.0 Standard and Pro. Priced base × seconds × 1.5 with sound. */
const k3 = (tier: 'standard' | 'pro', capability: Basic, microCentsPerSecond: number): VideoModel =>
	defineModel({
		slug: `kling/kling-3.0-${tier}/${capability}`,
		series: `Kling 3.0 ${tier === 'pro' ? 'Pro' : 'Standard'}`,
		provider,
		about: 'Kling route: 5, 10 or 15 s, sound off by default (price × 1.5); the Kling Plus route adds 3 to 15 s and more controls',
		family: 'K3',
		typicalSeconds: 240,
		fields: [prompt(2500), ...framesFor(capability), aspectRatio(ASPECTS), duration([5, 10, 15], 5), hasSound(false, 1.5)],
		price: perSecond(microCentsPerSecond, factor('has_sound', { true: 1.5 })),
	});

/** Kling 2.6 Pro: no 1:1, 5 or 10 s, sound doubles the price. */
const kling26Pro = (capability: 'text-to-video' | 'image-to-video'): VideoModel =>
	defineModel({
		slug: `kling/kling-2.6-pro/${capability}`,
		series: 'Kling 2.6 Pro',
		provider,
		about: 'Kling route: sound off by default (price × 2)',
		typicalSeconds: 240,
		fields: [prompt(2500), ...framesFor(capability), aspectRatio(['16:9', '9:16']), duration([5, 10], 5), hasSound(false, 2)],
		price: perSecond(70_000, factor('has_sound', { true: 2 })),
	});

/**
 * KQ (§6.0): the v3 / v26 / v25 / o1 families with a quality switch (pro × 1.5). The pages give
 * no prompt limit, so none is enforced here.
 */
const kq = (
	slug: string,
	series: string,
	microCentsPerSecond: number,
	o: { seconds?: number; durations: number[]; promptRequired: boolean; media?: ModelField[]; seed?: boolean },
): VideoModel =>
	defineModel({
		slug,
		series,
		variant: 'Std/Pro',
		about: KQ_ABOUT,
		provider,
		family: 'KQ',
		typicalSeconds: o.seconds ?? 240,
		fields: fieldsOf(
			prompt(undefined, o.promptRequired),
			o.media ?? framesFor(slug.split('/')[2]),
			klingQuality(),
			aspectRatio(ASPECTS),
			duration(o.durations, 5),
			o.seed && seed(),
		),
		price: perSecond(microCentsPerSecond, pro15),
	});

const V3 = range(3, 15);
const V2 = [5, 10];

export const klingModels: VideoModel[] = [
	k3('standard', 'text-to-video', 84_000),
	k3('standard', 'image-to-video', 84_000),
	k3('standard', 'start-end-frame-to-video', 84_000),
	k3('pro', 'text-to-video', 112_000),
	k3('pro', 'image-to-video', 112_000),
	k3('pro', 'start-end-frame-to-video', 112_000),

	kling26Pro('text-to-video'),
	kling26Pro('image-to-video'),
	defineModel({
		slug: 'kling/kling-2.6-i2v/image-to-video',
		series: 'Kling 2.6',
		variant: 'Audio Always On',
		provider,
		typicalSeconds: 240,
		fields: [prompt(2500), imageUrl(), duration(V2, 5)],
		price: perSecond(40_000),
		about: 'The budget Kling 2.6: audio always on, no quality or sound switch (unlike Kling 2.6 Pro and Kling V2.6)',
	}),

	kq('kling/kling-text2video-v3/text-to-video', 'Kling V3', 75_000, { seconds: 180, durations: V3, promptRequired: true }),
	kq('kling/kling-i2v-frames-v3/image-to-video', 'Kling V3', 80_000, { durations: V3, promptRequired: false }),
	kq('kling/kling-i2v-frames-v3/start-end-frame-to-video', 'Kling V3', 80_000, { durations: V3, promptRequired: true }),
	kq('kling/kling-elements-i2v-v3/image-to-video-elements', 'Kling V3', 85_000, {
		durations: V3,
		promptRequired: true,
		media: [
			url('image_url', 'Image URL', 'Public URL of the scene image'),
			jsonList(
				'elements',
				'Elements',
				'Characters to keep consistent, as a JSON array, e.g. [{"characterImages": ["https://…/face.jpg"], "type": "IMAGE", "name": "Anna", "voice": "https://…/voice.mp3"}]; 1–4 images each, the first is the main one',
				true,
			),
		],
	}),
	defineModel({
		slug: 'kling/kling-extend-v3/extend-video',
		series: 'Kling V3',
		variant: 'Std/Pro',
		about: KQ_ABOUT,
		provider,
		family: 'KQ',
		typicalSeconds: 240,
		fields: [
			prompt(2500, false),
			videoUrl('Public URL of the video to extend'),
			{ apiName: 'work_id', kind: 'text', displayName: 'Work ID', description: 'ID of an existing Kling work to extend instead of the video' },
			negativePrompt(1000),
			klingQuality(),
			{ ...duration(V2, 5), description: 'Length of the extension in seconds; the price is per second' },
		],
		price: perSecond(70_000, pro15),
	}),
	defineModel({
		slug: 'kling/kling-motion-create-v3/motion-transfer-to-video',
		series: 'Kling V3',
		variant: 'Std/Pro',
		about: KQ_ABOUT,
		provider,
		typicalSeconds: 240,
		fields: [
			prompt(2500, false),
			url('image_url', 'Image URL', 'Public URL of the character image'),
			videoUrl('Public URL of the video whose motion is transferred', true, 'motion_video_url', 'Motion Video URL'),
			klingQuality(),
		],
		// The length follows the motion video; the docs' default (350,000) assumes 5 seconds.
		price: { kind: 'perSecond', microCentsPerSecond: 70_000, fixedSeconds: 5, factors: [pro15] },
		note: 'Priced per second of the motion video; the estimate assumes 5 s',
	}),

	kq('kling/kling-text2video-v26/text-to-video', 'Kling V2.6', 55_000, { seconds: 180, durations: V2, promptRequired: true }),
	kq('kling/kling-i2v-frames-v26/image-to-video', 'Kling V2.6', 60_000, { durations: V2, promptRequired: false }),
	kq('kling/kling-i2v-frames-v26/start-end-frame-to-video', 'Kling V2.6', 60_000, { durations: V2, promptRequired: true }),

	kq('kling/kling-text2video-v25/text-to-video', 'Kling V2.5', 45_000, { seconds: 180, durations: V2, promptRequired: true, seed: true }),
	kq('kling/kling-i2v-frames-v25/image-to-video', 'Kling V2.5', 50_000, { durations: V2, promptRequired: false, seed: true }),
	kq('kling/kling-i2v-frames-v25/start-end-frame-to-video', 'Kling V2.5', 50_000, {
		durations: V2,
		promptRequired: false,
		seed: true,
		media: imageEndFrames(),
	}),

	kq('kling/kling-omni-o1/text-to-video', 'Kling O1', 70_000, { durations: V2, promptRequired: true }),
	kq('kling/kling-omni-o1/image-to-video', 'Kling O1', 70_000, { durations: V2, promptRequired: true }),
	kq('kling/kling-i2v-frames-o1/start-end-frame-to-video', 'Kling O1', 70_000, { durations: V2, promptRequired: true }),
];
