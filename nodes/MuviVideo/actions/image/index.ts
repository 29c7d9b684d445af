import type { INodeProperties } from 'n8n-workflow';

import { modelProperties } from '../../descriptions/modelProperties';
import { DEFAULT_IMAGE_MODEL, imageModels } from '../../models';
import * as estimateCost from './estimateCost.operation';
import * as generate from './generate.operation';

export { estimateCost, generate };

const showFor = { resource: ['image'] };

/** Resource Image: its operations, and the image model with its fields, shared by both. */
export const description: INodeProperties[] = [
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
			},
			{
				name: 'Generate',
				value: 'generate',
				action: 'Generate an image',
				description: 'Submit an image job, optionally wait for it and download the images',
			},
		],
		default: 'generate',
	},
	...modelProperties({ resource: ['image'], operation: ['generate', 'estimateCost'] }, imageModels, 'image', DEFAULT_IMAGE_MODEL),
	...generate.description,
	...estimateCost.description,
];
