import type { INodeProperties } from 'n8n-workflow';

/** Parameters several operations share, defined once so they read the same everywhere. */

export const downloadVideoOption = (extra = ''): INodeProperties => ({
	displayName: 'Download Video',
	name: 'download',
	type: 'boolean',
	default: false,
	description: `Whether to put the finished video into the item's binary data${extra}`,
});

export const binaryPropertyOption: INodeProperties = {
	displayName: 'Put Output File in Field',
	name: 'binaryPropertyName',
	type: 'string',
	default: 'data',
	description: 'The binary property that receives the video when Download Video is on',
};

export const timeoutOption = (what: string): INodeProperties => ({
	displayName: 'Timeout (Seconds)',
	name: 'timeout',
	type: 'number',
	default: 1800,
	typeOptions: { minValue: 1 },
	description: `How long to wait for the job to finish before giving up (${what})`,
});

/** n8n's usual "Return All" switch and "Limit" for a Get Many operation. */
export const returnAllAndLimit = (show: Record<string, string[]>): INodeProperties[] => [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: { show },
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		default: 50,
		typeOptions: { minValue: 1 },
		description: 'Max number of results to return',
		displayOptions: { show: { ...show, returnAll: [false] } },
	},
];
