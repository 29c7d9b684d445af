import { defineModel, factor, fieldsOf, perSecond } from './define';
import { aspectRatio, duration, hasSound, imageUrl, prompt, resolution, seed, startEndFrames, url, urlList } from './fields';
import type { VideoModel } from './types';

/** Provider "Google", slug prefix `google/` (muvi-api.md §6.4). */
const provider = 'Google';
const ASPECTS = ['16:9', '9:16'];
const RESOLUTIONS = ['720p', '1080p', '4k'];
const sound15 = factor('has_sound', { true: 1.5 });

/** GV (§6.0): Veo 3.1 and Veo 3.1 Fast; 200,000/s × resolution (4k × 1.5) × sound (× 1.5), 8 s by default. */
const gv = (
	model: 'veo-3.1' | 'veo-3.1-fast',
	capability: 'text-to-video' | 'image-to-video' | 'reference-to-video',
	soundByDefault: boolean,
): VideoModel =>
	defineModel({
		slug: `google/${model}/${capability}`,
		series: model === 'veo-3.1' ? 'Veo 3.1' : 'Veo 3.1 Fast',
		provider,
		family: 'GV',
		typicalSeconds: 240,
		fields: fieldsOf(
			prompt(4000),
			capability === 'image-to-video' && imageUrl(),
			capability === 'reference-to-video' &&
				urlList(
					'image_urls',
					'Reference Image URLs',
					model === 'veo-3.1-fast' ? 'Public URLs of 1 to 3 reference images' : 'Public URLs of the reference images',
					{ required: true, minItems: 1, ...(model === 'veo-3.1-fast' ? { maxItems: 3 } : {}) },
				),
			aspectRatio(ASPECTS),
			resolution(RESOLUTIONS, '720p'),
			duration([4, 6, 8], 8),
			hasSound(soundByDefault, 1.5),
			seed(),
		),
		price: perSecond(200_000, factor('resolution', { '4k': 1.5 }), sound15),
	});

export const googleVeoModels: VideoModel[] = [
	gv('veo-3.1-fast', 'text-to-video', true),
	gv('veo-3.1-fast', 'image-to-video', true),
	gv('veo-3.1-fast', 'reference-to-video', true),
	defineModel({
		slug: 'google/veo-3.1-fast/start-end-frame-to-video',
		series: 'Veo 3.1 Fast',
		provider,
		typicalSeconds: 85,
		// The page lists a resolution but prices base × duration only; its values follow GV.
		fields: [prompt(4000, false), ...startEndFrames(), aspectRatio(ASPECTS), resolution(RESOLUTIONS, '720p'), duration([4, 6, 8], 4)],
		price: perSecond(100_000),
	}),

	gv('veo-3.1', 'text-to-video', false),
	gv('veo-3.1', 'image-to-video', false),
	gv('veo-3.1', 'reference-to-video', false),
	defineModel({
		slug: 'google/veo-3.1/start-end-frame-to-video',
		series: 'Veo 3.1',
		provider,
		typicalSeconds: 120,
		fields: [
			prompt(4000, false),
			...startEndFrames(),
			{ ...aspectRatio(ASPECTS), required: true },
			resolution(RESOLUTIONS, '720p'),
			duration([4, 6, 8], 4),
		],
		price: perSecond(200_000),
	}),

	// Veo 3.1 ECL: 4 s and no sound by default; the resolution is not priced (values as in GV).
	defineModel({
		slug: 'google/veo-3.1-ecl/image-to-video',
		series: 'Veo 3.1 ECL',
		provider,
		typicalSeconds: 85,
		fields: [prompt(4000), imageUrl(), aspectRatio(ASPECTS), resolution(RESOLUTIONS, '720p'), duration([4, 6, 8], 4), hasSound(false, 1.5)],
		price: perSecond(200_000, sound15),
	}),
	defineModel({
		slug: 'google/veo-3.1-ecl/start-end-frame-to-video',
		series: 'Veo 3.1 ECL',
		provider,
		typicalSeconds: 85,
		fields: [
			prompt(4000, false),
			url('first_frame_url', 'First Frame URL', 'Public URL of the first frame'),
			url('last_frame_url', 'Last Frame URL', 'Public URL of the last frame'),
			aspectRatio(ASPECTS),
			resolution(RESOLUTIONS, '720p'),
			duration([4, 6, 8], 4),
			hasSound(false, 1.5),
		],
		price: perSecond(200_000, sound15),
	}),
];
