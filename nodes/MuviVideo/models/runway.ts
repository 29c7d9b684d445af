import { defineModel, perSecond } from './define';
import { aspectRatio, duration, imageUrl, prompt, range } from './fields';
import type { VideoModel } from './types';

/** Provider "Runway", slug prefix `runway/` (muvi-api.md §6.6). Priced base × seconds. */
const provider = 'Runway';
const ASPECTS = ['16:9', '9:16', '1:1', '4:3', '3:4', '21:9'];

/** Gen-4 and Gen-4 Turbo: image to video only, prompt required (≤1000), 5 or 10 s. */
const gen4 = (model: 'gen-4' | 'gen-4-turbo', rate: number, typicalSeconds: number): VideoModel =>
	defineModel({
		slug: `runway/${model}/image-to-video`,
		series: model === 'gen-4' ? 'Runway Gen-4' : 'Runway Gen-4 Turbo',
		provider,
		typicalSeconds,
		fields: [prompt(1000), imageUrl(), aspectRatio(ASPECTS), duration([5, 10], 5)],
		price: perSecond(rate),
	});

export const runwayModels: VideoModel[] = [
	defineModel({
		slug: 'runway/gen-4.5/text-to-video',
		series: 'Runway Gen-4.5',
		provider,
		typicalSeconds: 180,
		fields: [prompt(5000), aspectRatio(ASPECTS), duration(range(2, 10), 5)],
		price: perSecond(120_000),
	}),
	defineModel({
		slug: 'runway/gen-4.5/image-to-video',
		series: 'Runway Gen-4.5',
		provider,
		typicalSeconds: 180,
		fields: [prompt(5000, false), imageUrl(), aspectRatio(ASPECTS), duration(range(2, 10), 5)],
		price: perSecond(120_000),
	}),
	gen4('gen-4', 100_000, 120),
	gen4('gen-4-turbo', 50_000, 60),
];
