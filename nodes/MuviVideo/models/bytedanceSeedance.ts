import { defineModel, factor, fieldsOf, perSecond } from './define';
import { aspectRatio, duration, flag, fps, imageUrl, prompt, range, resolution, startEndFrames, urlList } from './fields';
import type { VideoModel } from './types';

/** Providers "ByteDance" (`bytedance/`) and "ByteDance+" (`bytedance-plus/`), muvi-api.md §6.7. */
const ASPECTS = ['21:9', '16:9', '4:3', '1:1', '3:4', '9:16'];

/**
 * SD (§6.0): Seedance 2.0 and 2.0 Fast; base × seconds × resolution × fps. 1440p costs × 2 on
 * standard and × 1.5 on Fast; 30 and 60 fps cost × 1.1 and × 1.25.
 */
const sd = (
	model: 'seedance-2.0' | 'seedance-2.0-fast',
	capability: 'text-to-video' | 'image-to-video' | 'start-end-frame-to-video' | 'omni-reference',
): VideoModel => {
	const fast = model === 'seedance-2.0-fast';
	return defineModel({
		slug: `bytedance/${model}/${capability}`,
		series: fast ? 'Seedance 2.0 Fast' : 'Seedance 2.0',
		provider: 'ByteDance',
		family: 'SD',
		typicalSeconds: fast ? 180 : 300,
		fields: fieldsOf(
			prompt(5000),
			capability === 'image-to-video' && imageUrl(),
			capability === 'start-end-frame-to-video' && startEndFrames(),
			capability === 'omni-reference' && [
				urlList('omni_images', 'Reference Image URLs', 'Up to 9 images, referred to in the prompt as @image1 … @image9', { maxItems: 9 }),
				urlList('omni_videos', 'Reference Video URLs', 'Up to 3 videos, referred to in the prompt as @video1 … @video3', { maxItems: 3 }),
				urlList('omni_audios', 'Reference Audio URLs', 'Up to 3 audio files, referred to in the prompt as @audio1 … @audio3', { maxItems: 3 }),
			],
			capability === 'text-to-video' && aspectRatio(ASPECTS),
			capability === 'omni-reference' && { ...aspectRatio(ASPECTS), required: true },
			resolution(['720p', '1440p'], '720p'),
			duration(range(4, 15), 5),
			fps(['24', '30', '60'], '24'),
		),
		price: perSecond(fast ? 200_000 : 240_000, factor('resolution', { '1440p': fast ? 1.5 : 2 }), factor('fps', { '30': 1.1, '60': 1.25 })),
	});
};

/** Seedance 1.5 Pro Super: 15,000/s × resolution × 2 with audio (a real boolean, on by default). */
const seedance15 = (capability: 'image-to-video' | 'start-end-frame-to-video'): VideoModel =>
	defineModel({
		slug: `bytedance-plus/seedance-1.5-pro-super/${capability}`,
		series: 'Seedance 1.5 Pro Super',
		provider: 'ByteDance+',
		typicalSeconds: 300,
		fields: fieldsOf(
			capability === 'image-to-video' ? [prompt(5000), imageUrl()] : [prompt(5000, false), ...startEndFrames()],
			aspectRatio(ASPECTS),
			resolution(['480p', '720p', '1080p'], '720p'),
			duration(range(4, 12), 5),
			flag('generate_audio', true, 'Whether to generate audio (the price is multiplied by 2)', 'Generate Audio'),
			flag('camera_fixed', false, 'Whether to keep the camera still'),
		),
		price: perSecond(15_000, factor('resolution', { '720p': 1.8667, '1080p': 3.7333 }), factor('generate_audio', { true: 2 })),
	});

export const bytedanceSeedanceModels: VideoModel[] = [
	sd('seedance-2.0', 'text-to-video'),
	sd('seedance-2.0', 'image-to-video'),
	sd('seedance-2.0', 'start-end-frame-to-video'),
	sd('seedance-2.0', 'omni-reference'),
	sd('seedance-2.0-fast', 'text-to-video'),
	sd('seedance-2.0-fast', 'image-to-video'),
	sd('seedance-2.0-fast', 'start-end-frame-to-video'),
	sd('seedance-2.0-fast', 'omni-reference'),
	seedance15('image-to-video'),
	seedance15('start-end-frame-to-video'),
];
