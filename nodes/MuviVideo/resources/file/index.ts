import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { uploadBinary } from '../../shared/upload';

const showFor = { resource: ['file'], operation: ['upload'] };

/**
 * File → Upload as the node's own item loop: presign, then the PUT of the bytes, item by item. Under
 * Continue On Fail a failed item becomes an item with `error`; a Stop ends it before the next file.
 */
export async function uploadFiles(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const signal = this.getExecutionCancelSignal?.();
	const out: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			const property = String(this.getNodeParameter('binaryPropertyName', i, 'data'));
			const uploaded = await uploadBinary(this, items[i], property, i, `Input Binary Field "${property}"`, signal);
			out.push({ json: uploaded, pairedItem: { item: i } });
		} catch (caught) {
			const error = caught as Error;
			if (!this.continueOnFail() || signal?.aborted) throw error;
			out.push({ json: { error: error.message }, pairedItem: { item: i } });
		}
	}
	return [out];
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
				// a custom operation (customOperations in MuviVideo.node.ts): presign, then upload
				description: 'Put a binary file on Muvi’s temporary storage and get a URL to use as a model input (kept 60 minutes)',
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
