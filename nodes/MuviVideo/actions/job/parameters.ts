import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { binaryPropertyOption, downloadVideoOption, timeoutOption } from '../../descriptions/parameters';

/** The Job ID parameter of Get, Cancel and Wait for Completion. */
export const jobIdProperty = (operation: string[]): INodeProperties => ({
	displayName: 'Job ID',
	name: 'jobId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. job_abc123def456',
	description: 'The ID Muvi gave the job (field jobId of Generate’s output)',
	displayOptions: { show: { resource: ['job'], operation } },
});

/** The item's Job ID, checked before any request. */
export function jobIdOf(ctx: IExecuteFunctions, itemIndex: number): string {
	const jobId = String(ctx.getNodeParameter('jobId', itemIndex, '') ?? '').trim();
	if (!/^[A-Za-z0-9_.:-]+$/.test(jobId))
		throw new NodeOperationError(ctx.getNode(), `Item ${itemIndex + 1}: "Job ID" must be a Muvi job ID like job_abc123`, {
			itemIndex,
			description: `Got "${jobId.slice(0, 80)}". Map it from the output of Generate (field jobId). Nothing was sent to Muvi.`,
		});
	return jobId;
}

/** Options of Get and Wait for Completion: the finished job's file, and (Wait for Completion) how long to wait. */
export const jobOptionsProperty: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	displayOptions: { show: { resource: ['job'], operation: ['get', 'waitForCompletion'] } },
	options: [
		downloadVideoOption(),
		binaryPropertyOption,
		{
			...timeoutOption('the job keeps running at Muvi'),
			displayOptions: { show: { '/operation': ['waitForCompletion'] } },
		},
	],
};
