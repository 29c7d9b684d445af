import { keepOriginalSound, negativePrompt, prompt, shotType, url } from './fields';
import type { ModelField, VideoModel } from './types';

/** Motion control (muvi-api.md §6.1): a still character follows a reference video. Flat price per job. */
const motionControlFields = (): ModelField[] => [
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
	{
		apiName: 'character_orientation',
		kind: 'enum',
		options: [
			{ value: '', name: 'Not Set (Muvi Decides)' },
			{ value: 'image', name: 'Follow the Image' },
			{ value: 'video', name: 'Follow the Video' },
		],
		default: '',
		description: "Which source the character's orientation follows",
	},
	keepOriginalSound(),
	shotType(),
];

export const klingPlusModels: VideoModel[] = [
	{
		slug: 'kling-plus/kling-3.0-pro/motion-control',
		name: 'Kling 3.0 Pro — Motion Control',
		provider: 'Kling Plus',
		capability: 'motion-control',
		family: 'MC3',
		typicalSeconds: 180,
		fields: motionControlFields(),
		// The docs label this "per second", but the formula is finalCost = baseCost: a flat price per job.
		price: { kind: 'flat', microCents: 50_000 },
	},
];
