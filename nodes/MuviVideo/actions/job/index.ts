import type { INodeProperties } from 'n8n-workflow';

import * as cancel from './cancel.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import { jobIdProperty, jobOptionsProperty } from './parameters';
import * as waitForCompletion from './waitForCompletion.operation';

export { cancel, get, getAll, waitForCompletion };

/** Resource Job: jobs submitted earlier, by ID or as a list. */
export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['job'] } },
		options: [
			{ name: 'Cancel', value: 'cancel', action: 'Cancel a job', description: 'Cancel a job that is still pending; its cost is refunded' },
			{ name: 'Get', value: 'get', action: 'Get a job', description: 'Get the status and outputs of a job' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many jobs', description: 'List your jobs, newest first' },
			{
				name: 'Wait for Completion',
				value: 'waitForCompletion',
				action: 'Wait for a job to complete',
				description: 'Wait until a job submitted earlier is completed, failed or cancelled',
			},
		],
		default: 'get',
	},
	jobIdProperty(['get', 'cancel', 'waitForCompletion']),
	...getAll.description,
	jobOptionsProperty,
];
