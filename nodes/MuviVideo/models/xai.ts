import { defineModel, factor, perSecond } from './define';
import { duration, imageUrl, prompt, resolution } from './fields';
import type { VideoModel } from './types';

/** Provider "xAI", slug prefix `xai/` (muvi-api.md §6.10). */
export const xaiModels: VideoModel[] = [
	defineModel({
		slug: 'xai/grok-imagine/image-to-video',
		series: 'Grok Imagine',
		provider: 'xAI',
		typicalSeconds: 100,
		// Duration and resolution are required; the defaults are the page's example (6 s, 480p).
		fields: [prompt(), imageUrl(), { ...duration([6, 10, 15], 6), required: true }, { ...resolution(['480p', '720p'], '480p'), required: true }],
		// The page says "50,000 per request" but multiplies by the duration, so it is 50,000 per second.
		price: perSecond(50_000, factor('resolution', { '720p': 1.4 })),
	}),
];
