import type {
	IExecutePaginationFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { uploadBinary } from '../../shared/upload';

const showFor = { resource: ['file'], operation: ['upload'] };

async function uploadFile(this: IExecutePaginationFunctions): Promise<INodeExecutionData[]> {
	const itemIndex = this.getItemIndex();
	const property = this.getNodeParameter('binaryPropertyName', 'data') as string;
	const uploaded = await uploadBinary(this, property, itemIndex, `Input Binary Field "${property}"`);
	return [{ json: uploaded, pairedItem: { item: itemIndex } }];
}

export const fileDescription: INodeProperties[] = [
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
				routing: {
					request: { method: 'POST', url: '/v1/uploads/presign' },
					send: { paginate: true },
					operations: { pagination: uploadFile },
				},
			},
		],
		default: 'upload',
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		description:
			'The binary property of the input item holding the file: JPEG, PNG, WebP or GIF up to 10 MB, MP4 or WebM up to 100 MB, MP3 or WAV up to 50 MB',
		displayOptions: { show: showFor },
	},
];
