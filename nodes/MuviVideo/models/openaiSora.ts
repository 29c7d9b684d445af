import { defineModel, factor, fieldsOf, perSecond } from './define';
import { aspectRatio, duration, imageUrl, prompt, resolution } from './fields';
import type { VideoModel } from './types';

/** Provider "OpenAI", slug prefix `openai/` (muvi-api.md §6.5). 4, 8 or 12 s, 4 by default. */
const provider = 'OpenAI';

/**
 * Image to video documents no prompt field, so none is offered (use "Other Model (by Slug)" to send
 * one anyway). Sora 2 Pro documents no prompt limit.
 */
const sora = (model: 'sora-2' | 'sora-2-pro', capability: 'text-to-video' | 'image-to-video'): VideoModel => {
	const isPro = model === 'sora-2-pro';
	return defineModel({
		slug: `openai/${model}/${capability}`,
		series: isPro ? 'Sora 2 Pro' : 'Sora 2',
		provider,
		typicalSeconds: isPro ? 240 : 180,
		fields: fieldsOf(
			capability === 'text-to-video' ? prompt(isPro ? undefined : 1000) : imageUrl(),
			aspectRatio(['16:9', '9:16']),
			isPro && resolution(['720p', '1080p'], '720p'),
			duration([4, 8, 12], 4),
		),
		price: isPro ? perSecond(300_000, factor('resolution', { '1080p': 1.67 })) : perSecond(100_000),
	});
};

export const openaiSoraModels: VideoModel[] = [
	sora('sora-2', 'text-to-video'),
	sora('sora-2', 'image-to-video'),
	sora('sora-2-pro', 'text-to-video'),
	sora('sora-2-pro', 'image-to-video'),
];
