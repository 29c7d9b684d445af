import type { INodeProperties } from 'n8n-workflow';

import { modelProperties } from '../../descriptions/modelProperties';
import * as estimateCost from './estimateCost.operation';
import * as generate from './generate.operation';

export { estimateCost, generate };

/** Resource Video: its operations, and the model with its fields, shared by both. */
export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['video'] } },
		// Generate first: n8n lists the node's actions in this order, and it is what most people came for.
		options: [
			{
				name: 'Generate',
				value: 'generate',
				action: 'Generate a video',
				description: 'Submit a video job, optionally wait for it and download the file',
			},
			{
				name: 'Estimate Cost',
				value: 'estimateCost',
				action: 'Estimate the cost of a video',
				description: 'Price a video from the model’s documented formula (and optionally Muvi’s estimate) without submitting it',
			},
		],
		default: 'generate',
	},
	// One set of model properties for both operations, so no field is defined twice.
	...modelProperties({ resource: ['video'], operation: ['generate', 'estimateCost'] }),
	...generate.description,
	...estimateCost.description,
];
