import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { runItems } from '../../engine/itemLoop';
import { checkBinary, uploadChecked } from '../../engine/upload';

export const description: INodeProperties[] = [
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		description:
			'The binary property of the input item holding the file: JPEG, PNG, WebP or GIF up to 10 MB, MP4 or WebM up to 100 MB, MP3 or WAV up to 50 MB',
		displayOptions: { show: { resource: ['file'], operation: ['upload'] } },
	},
];

/**
 * File → Upload: every file checked (type, size) first, then presign and the PUT of the bytes, one
 * file after the other. Under Continue On Fail a failed item becomes an item with `error`; a Stop
 * ends it before the next file.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const signal = this.getExecutionCancelSignal?.();
	return await runItems(
		this,
		async (i) => {
			const property = String(this.getNodeParameter('binaryPropertyName', i, 'data'));
			return await checkBinary(this, items[i], property, i, `Input Binary Field "${property}"`);
		},
		async (file, i) => ({ json: await uploadChecked(this, file, i, signal), pairedItem: { item: i } }),
		{ order: 'sequential' },
	);
}
