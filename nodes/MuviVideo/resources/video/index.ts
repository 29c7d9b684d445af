import type { INodeProperties } from 'n8n-workflow';

import { modelProperties } from '../../models/properties';
import { estimateCost, estimateCostDescription, prepareEstimateRequest } from './estimateCost';
import { generateDescription } from './generate';

const showOnlyForVideo = { resource: ['video'] };

export const videoDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: showOnlyForVideo },
		// Generate first: n8n lists the node's actions in this order, and it is what most people came for.
		options: [
			{
				name: 'Generate',
				value: 'generate',
				action: 'Generate a video',
				// a custom operation (customOperations in MuviVideo.node.ts): submit, wait and download per item
				description: 'Submit a video job, optionally wait for it and download the file',
			},
			{
				name: 'Estimate Cost',
				value: 'estimateCost',
				action: 'Estimate the cost of a video',
				description: 'Price a video from the model’s documented formula (and optionally Muvi’s estimate) without submitting it',
				routing: {
					request: { method: 'POST', url: '/v1/jobs/estimate' },
					send: { preSend: [prepareEstimateRequest], paginate: true },
					operations: { pagination: estimateCost },
				},
			},
		],
		default: 'generate',
	},
	// One set of model properties for both operations, so no field is defined twice.
	...modelProperties({ resource: ['video'], operation: ['generate', 'estimateCost'] }),
	...generateDescription,
	...estimateCostDescription,
];
