import { aspectRatio, duration, hasSound, imageUrl, prompt, url } from './fields';
import type { ModelField, VideoModel } from './types';

/** K3 (muvi-api.md §6.0): base "Kling" provider, Kling 3.0. Priced base × seconds × 1.5 with sound. */
const k3Common = (): ModelField[] => [
	prompt(2500),
	aspectRatio(['16:9', '9:16', '1:1']),
	duration([5, 10, 15], 5),
	hasSound(false, 1.5),
];

const k3 = (
	tier: 'standard' | 'pro',
	capability: 'text-to-video' | 'image-to-video' | 'start-end-frame-to-video',
	microCentsPerSecond: number,
): VideoModel => {
	const frames: ModelField[] =
		capability === 'image-to-video'
			? [imageUrl()]
			: capability === 'start-end-frame-to-video'
				? [
						url('start_frame_url', 'Start Frame URL', 'Public URL of the first frame'),
						url('end_frame_url', 'End Frame URL', 'Public URL of the last frame'),
					]
				: [];
	const [promptField, ...rest] = k3Common();
	const tierName = tier === 'pro' ? 'Pro' : 'Standard';
	const capName = {
		'text-to-video': 'Text to Video',
		'image-to-video': 'Image to Video',
		'start-end-frame-to-video': 'Start & End Frame to Video',
	}[capability];
	return {
		slug: `kling/kling-3.0-${tier}/${capability}`,
		name: `Kling 3.0 ${tierName} — ${capName}`,
		provider: 'Kling',
		capability,
		family: 'K3',
		typicalSeconds: 240,
		fields: [promptField, ...frames, ...rest],
		price: {
			kind: 'perSecond',
			microCentsPerSecond,
			factors: [{ field: 'has_sound', factors: { true: 1.5 } }],
		},
	};
};

export const klingModels: VideoModel[] = [k3('standard', 'image-to-video', 84_000)];
