import { factor } from '../define';
import type { ImageModel, ModelField } from '../types';
import { defineImageModel, perRequest } from './define';
import { RUNWAY_STYLES, TEN_ASPECTS, imageAspectRatio, imagePrompt, imageResolution, sourceImages } from './fields';

/** Provider "Runway", Gen-4 Image (muvi-api.md §6.12). The "10 aspects" are taken as Nano Banana 2's ten (UNCONFIRMED). */
const provider = 'Runway';

const style = (): ModelField => ({
	apiName: 'style',
	kind: 'enum',
	options: [{ value: '', name: 'Model Default' }, ...RUNWAY_STYLES],
	default: '',
	description: 'A look preset for the image',
});

const gen4Image = (capability: 'text-to-image' | 'edit-image'): ImageModel =>
	defineImageModel({
		slug: `runway/gen-4-image/${capability}`,
		series: 'Runway Gen-4 Image',
		provider,
		fields: [
			imagePrompt(),
			...(capability === 'edit-image' ? [sourceImages()] : []),
			imageAspectRatio(TEN_ASPECTS, '16:9'),
			// no documented default: 720p is sent, so the price is known before submitting
			imageResolution(['720p', '1080p'], '720p', { factors: { '1080p': 1.6 } }),
			style(),
			{
				apiName: 'diversity',
				kind: 'integer',
				min: 0,
				max: 5,
				emptyValue: 0,
				description: 'How different the variations may be (1 to 5); 0 lets the model decide (nothing is sent)',
			},
		],
		price: perRequest(50_000, factor('resolution', { '1080p': 1.6 })),
	});

export const runwayImageModels: ImageModel[] = [
	gen4Image('text-to-image'),
	gen4Image('edit-image'),
	defineImageModel({
		slug: 'runway/gen-4-turbo-image/edit-image',
		series: 'Runway Gen-4 Turbo Image',
		provider,
		fields: [imagePrompt(), sourceImages({ maxItems: 3 }), imageAspectRatio(TEN_ASPECTS, '16:9'), style()],
		price: perRequest(20_000),
	}),
];
