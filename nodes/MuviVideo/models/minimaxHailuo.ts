import { defineModel, flat, perSecond } from './define';
import { duration, imageUrl, prompt } from './fields';
import type { PriceFormula, VideoModel } from './types';

/** Provider "MiniMax Plus", slug prefix `minimax-plus/` (muvi-api.md §6.9). */
const provider = 'MiniMax Plus';

/**
 * Hailuo 2.3: Standard and Fast are 768p, per second, 6 or 10 s; Pro and Fast Pro are 1080p at a
 * flat price with no duration. Only some pages state the prompt limit (2500).
 */
const hailuo = (
	model: 'hailuo-2.3-standard' | 'hailuo-2.3-fast' | 'hailuo-2.3-pro' | 'hailuo-2.3-fast-pro',
	series: string,
	capability: 'text-to-video' | 'image-to-video',
	price: PriceFormula,
	typicalSeconds: number,
	promptLimit?: number,
): VideoModel =>
	defineModel({
		slug: `minimax-plus/${model}/${capability}`,
		series,
		provider,
		typicalSeconds,
		fields: [
			...(capability === 'text-to-video' ? [prompt(promptLimit)] : [imageUrl(), prompt(promptLimit, false)]),
			...(price.kind === 'perSecond' ? [duration([6, 10], 6)] : []),
		],
		price,
		note: price.kind === 'flat' ? '1080p' : '768p',
	});

export const minimaxHailuoModels: VideoModel[] = [
	hailuo('hailuo-2.3-standard', 'Hailuo 2.3 Standard', 'text-to-video', perSecond(35_000), 180, 2500),
	hailuo('hailuo-2.3-standard', 'Hailuo 2.3 Standard', 'image-to-video', perSecond(35_000), 180, 2500),
	hailuo('hailuo-2.3-fast', 'Hailuo 2.3 Fast', 'image-to-video', perSecond(25_000), 120),
	hailuo('hailuo-2.3-pro', 'Hailuo 2.3 Pro', 'text-to-video', flat(50_000), 180),
	hailuo('hailuo-2.3-pro', 'Hailuo 2.3 Pro', 'image-to-video', flat(50_000), 180, 2500),
	hailuo('hailuo-2.3-fast-pro', 'Hailuo 2.3 Fast Pro', 'image-to-video', flat(35_000), 90),
];
