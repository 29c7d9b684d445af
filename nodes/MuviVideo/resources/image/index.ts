import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_IMAGE_MODEL, imageModels } from '../../models/image';
import { modelProperties } from '../../models/properties';
import { estimateCost, estimateCostDescription, prepareEstimateRequest } from '../video/estimateCost';
import { generateDescription } from '../video/generate';

/**
 * Resource Image: the image models of the catalog (§6.12) through the same machinery as video:
 * Generate is the same custom operation (checks, cost guard, one submit per item, waiting), and
 * each output image becomes its own binary property (`data`, `data_1` …). Estimate Cost is the
 * same plain request.
 */
const showFor = { resource: ['image'] };

/** Video wording → image wording, for the parameters Image shares with Video by name. */
const IMAGE_WORDS: Record<string, Partial<INodeProperties>> = {
	waitForCompletion: {
		description: 'Whether to wait until the images are finished (or failed) before continuing. Off: output the job ID right after submitting.',
	},
	download: {
		displayName: 'Download Images',
		description: "Whether to put the finished images into the item's binary data: one field each, data, data_1 …",
	},
};

/** A Video parameter shown for Image instead, with image wording. */
function forImages(property: INodeProperties): INodeProperties {
	const show = { ...(property.displayOptions?.show ?? {}), resource: ['image'] };
	const words = IMAGE_WORDS[property.name] ?? {};
	const options = property.options?.map((o) => {
		if (!('name' in o) || typeof o.name !== 'string') return o;
		const option = o as INodeProperties;
		if (option.name === 'download') return { ...option, ...IMAGE_WORDS.download };
		if (option.name === 'binaryPropertyName')
			return { ...option, description: 'The binary property that receives the first image (further images: <name>_1, <name>_2 …)' };
		return option;
	}) as INodeProperties['options'];
	return { ...property, ...words, ...(options ? { options } : {}), displayOptions: { ...property.displayOptions, show } };
}

export const imageDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: showFor },
		options: [
			{
				name: 'Estimate Cost',
				value: 'estimateCost',
				action: 'Estimate the cost of an image',
				description: 'Price an image job from the model’s documented formula (and optionally Muvi’s estimate) without submitting it',
				routing: {
					request: { method: 'POST', url: '/v1/jobs/estimate' },
					send: { preSend: [prepareEstimateRequest], paginate: true },
					operations: { pagination: estimateCost },
				},
			},
			{
				name: 'Generate',
				value: 'generate',
				action: 'Generate an image',
				// the same custom operation as Video → Generate (customOperations in MuviVideo.node.ts)
				description: 'Submit an image job, optionally wait for it and download the images',
			},
		],
		default: 'generate',
	},
	...modelProperties({ resource: ['image'], operation: ['generate', 'estimateCost'] }, imageModels, 'image', DEFAULT_IMAGE_MODEL),
	...generateDescription.map(forImages),
	...estimateCostDescription.map(forImages),
];
