import type { INodeProperties } from 'n8n-workflow';

import { generateDescription, prepareJobRequest, submitAndWait } from './generate';

const showOnlyForVideo = { resource: ['video'] };

export const videoDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: showOnlyForVideo },
		options: [
			{
				name: 'Generate',
				value: 'generate',
				action: 'Generate a video',
				description: 'Submit a video job, optionally wait for it and download the file',
				routing: {
					request: { method: 'POST', url: '/v1/jobs/submit' },
					send: { preSend: [prepareJobRequest], paginate: true },
					operations: { pagination: submitAndWait },
				},
			},
		],
		default: 'generate',
	},
	...generateDescription,
];
