import { defineModel, factor, perSecond } from './define';
import {
	aspectRatio,
	audioUrl,
	duration,
	flag,
	hasSound,
	imageUrl,
	negativePrompt,
	prompt,
	range,
	resolution,
	seed,
	url,
	urlList,
	videoUrl,
} from './fields';
import type { ModelField, VideoModel } from './types';

/** Providers "Alibaba" (`alibaba/`) and "Alibaba+" (`alibaba-plus/`), muvi-api.md §6.8. */
const PLUS = 'Alibaba+';
/** Where a page states no default aspect ratio, none is sent ("Model Default"). */
const ASPECTS_5 = ['16:9', '9:16', '1:1', '4:3', '3:4'];
const HD = ['720p', '1080p'];
const hd15 = factor('resolution', { '1080p': 1.5 });
const expansion = () => flag('enable_prompt_expansion', true, 'Whether Muvi may rewrite the prompt in more detail', 'Prompt Expansion');

/** Wan 2.6 on Alibaba+: negative prompt ≤1000, 5, 10 or 15 s. The pages give no prompt limit unless noted. */
const wan26 = (
	model: 'wan-2.6' | 'wan-2.6-pro' | 'wan-2.6-super' | 'wan-2.6-flash',
	series: string,
	capability: 'image-to-video',
	rate: number,
	o: { seconds: number; fields: ModelField[]; durations?: number[]; price?: ReturnType<typeof factor>; variant?: string; about?: string; note?: string },
): VideoModel =>
	defineModel({
		slug: `alibaba-plus/${model}/${capability}`,
		series,
		provider: PLUS,
		typicalSeconds: o.seconds,
		fields: [...o.fields, negativePrompt(1000), duration(o.durations ?? [5, 10, 15], 5)],
		price: perSecond(rate, o.price ?? hd15),
		...(o.variant ? { variant: o.variant } : {}),
		...(o.about ? { about: o.about } : {}),
		...(o.note ? { note: o.note } : {}),
	});

/** Wan 2.7: 150,000/s × 1.5 at 1080p (the default), negative prompt ≤500, seed, prompt expansion. */
const wan27 = (capability: 'text-to-video' | 'image-to-video' | 'reference-to-video', fields: ModelField[], seconds: number, maxSeconds: number) =>
	defineModel({
		slug: `alibaba-plus/wan-2.7/${capability}`,
		series: 'Wan 2.7',
		provider: PLUS,
		typicalSeconds: seconds,
		fields: [...fields, negativePrompt(500), expansion(), seed(), duration(range(2, maxSeconds), 5), resolution(HD, '1080p')],
		price: perSecond(150_000, hd15),
	});

const voiceOrAudio = () => audioUrl('audio_url', 'Audio URL', 'Public URL of an audio track for the video');

export const alibabaWanModels: VideoModel[] = [
	defineModel({
		slug: 'alibaba/wan-2.6-flash/image-to-video',
		series: 'Wan 2.6 Flash',
		provider: 'Alibaba',
		about: 'Alibaba route: 5, 10 or 15 s, optional sound (price × 1.3)',
		typicalSeconds: 180,
		fields: [prompt(1500), imageUrl(), aspectRatio(['16:9', '9:16', '1:1']), duration([5, 10, 15], 5), resolution(HD, '720p'), hasSound(false, 1.3)],
		price: perSecond(50_000, hd15, factor('has_sound', { true: 1.3 })),
	}),
	defineModel({
		slug: 'alibaba/wan-2.2-super/image-to-video',
		series: 'Wan 2.2 Super',
		provider: 'Alibaba',
		typicalSeconds: 30,
		fields: [
			imageUrl(),
			prompt(),
			{ ...duration([5, 8], 5), required: true },
			{ ...resolution(['480p', '720p'], '480p'), apiName: 'quality', description: 'Resolution of the video' },
			// The page's default is −1 (random); seed() leaves −1 out, which the API treats the same.
			seed(),
		],
		price: perSecond(45_000, factor('quality', { '720p': 2 })),
	}),

	defineModel({
		slug: 'alibaba-plus/wan-2.6/text-to-video',
		series: 'Wan 2.6',
		provider: PLUS,
		typicalSeconds: 240,
		fields: [prompt(2500), aspectRatio(['16:9', '9:16']), negativePrompt(1000), duration([5, 10, 15], 5)],
		price: perSecond(100_000),
	}),
	wan26('wan-2.6', 'Wan 2.6', 'image-to-video', 100_000, { seconds: 300, fields: [prompt(), imageUrl(), resolution(HD, '720p')] }),
	defineModel({
		slug: 'alibaba-plus/wan-2.6/reference-to-video',
		series: 'Wan 2.6',
		provider: PLUS,
		typicalSeconds: 300,
		fields: [
			prompt(),
			urlList('video_urls', 'Reference Video URLs', 'Public URLs of 1 to 3 reference videos', { required: true, minItems: 1, maxItems: 3 }),
			aspectRatio(ASPECTS_5, null),
			negativePrompt(1000),
			resolution(HD, '1080p'),
			expansion(),
			flag('multi_shots', true, 'Whether the video may cut between several shots', 'Multiple Shots'),
			seed(),
			flag('enable_safety_checker', true, 'Whether Muvi checks the input and output for unsafe content', 'Safety Checker'),
			duration([5, 10], 5),
		],
		price: perSecond(150_000),
	}),
	defineModel({
		slug: 'alibaba-plus/wan-2.6/video-extend',
		series: 'Wan 2.6',
		provider: PLUS,
		typicalSeconds: 300,
		fields: [
			prompt(2500, false),
			videoUrl('Public URL of the video to extend'),
			resolution(HD),
			negativePrompt(1000),
			{ ...duration([5, 10, 15], 5), description: 'Length of the extension in seconds; the price is per second' },
		],
		price: perSecond(150_000),
	}),
	wan26('wan-2.6-flash', 'Wan 2.6 Flash', 'image-to-video', 500_000, {
		seconds: 120,
		fields: [prompt(), imageUrl(), resolution(HD, '720p')],
		durations: range(2, 15),
		variant: 'Alibaba+',
		about: 'Alibaba+ route: 2 to 15 s, no sound option',
		// As documented: 500,000 micro-cents per second, ten times Wan 2.6 Flash on "Alibaba".
		note: "Muvi's documented price, ten times the Alibaba route of Wan 2.6 Flash: compare with Estimate Cost (Ask Muvi Too) before a batch",
	}),
	defineModel({
		slug: 'alibaba-plus/wan-2.6-flash/reference-to-video',
		series: 'Wan 2.6 Flash',
		provider: PLUS,
		typicalSeconds: 180,
		fields: [
			prompt(),
			urlList('reference_urls', 'Reference URLs', 'Public URLs of reference images or videos (at most 5 in total)', {
				required: true,
				minItems: 1,
				maxItems: 5,
			}),
			aspectRatio(['16:9', '9:16'], null),
			negativePrompt(1000),
			duration([5, 10], 5),
		],
		price: perSecond(100_000),
	}),
	wan26('wan-2.6-pro', 'Wan 2.6 Pro', 'image-to-video', 150_000, {
		seconds: 300,
		fields: [prompt(), imageUrl(), resolution(['1080p', '2k', '4k'], '1080p')],
		price: factor('resolution', { '2k': 2, '4k': 4 }),
	}),
	wan26('wan-2.6-super', 'Wan 2.6 Super', 'image-to-video', 100_000, {
		seconds: 300,
		fields: [imageUrl(), prompt(undefined, false), resolution(HD, '720p')],
	}),

	wan27('text-to-video', [prompt(5000), aspectRatio(ASPECTS_5, null), voiceOrAudio()], 200, 15),
	wan27(
		'image-to-video',
		[
			prompt(),
			url('image_url', 'Image URL', 'Public URL of the first frame'),
			url('end_frame_url', 'End Frame URL', 'Public URL of the last frame', false),
			videoUrl('Public URL of a video to continue', false, 'input_video_url', 'Input Video URL'),
			voiceOrAudio(),
		],
		200,
		15,
	),
	wan27(
		'reference-to-video',
		[
			prompt(5000),
			url('image_url', 'Image URL', 'Public URL of the main reference image'),
			urlList('image_urls', 'More Reference Image URLs', 'Public URLs of further reference images'),
			videoUrl('Public URL of a reference video', false),
			url('start_frame_url', 'Start Frame URL', 'Public URL of the first frame', false),
			audioUrl('reference_voice_url', 'Reference Voice URL', 'Public URL of a voice sample'),
			aspectRatio(ASPECTS_5, null),
			{
				apiName: 'shot_type',
				kind: 'enum',
				options: [
					{ value: 'single', name: 'Single Shot' },
					{ value: 'multi', name: 'Multiple Shots' },
				],
				default: 'single',
				description: 'One continuous shot or several',
			},
		],
		500,
		10,
	),
];
