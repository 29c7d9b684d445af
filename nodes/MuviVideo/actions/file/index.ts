import type { INodeProperties } from 'n8n-workflow';

import * as upload from './upload.operation';

export { upload };

/** Resource File: Muvi's temporary file storage, for model inputs. */
export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['file'] } },
		options: [
			{
				name: 'Upload',
				value: 'upload',
				action: 'Upload a file',
				description: 'Put a binary file on Muvi’s temporary storage and get a URL to use as a model input (kept 60 minutes)',
			},
		],
		default: 'upload',
	},
	...upload.description,
];
