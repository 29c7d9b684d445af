import type {
	IDataObject,
	IExecutePaginationFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { microCentsToUsd } from '../../shared/cost';
import { binaryPropertyOption, downloadVideoOption, returnAllAndLimit, timeoutOption } from '../../shared/descriptions';
import { FINAL_STATUSES, finishedJobItem, normalizeJob, pollUntilFinished } from '../../shared/jobs';
import { checked, muviRead, sendOnce } from '../../shared/transport';

const PAGE_SIZE = 100;

function jobIdParam(ctx: IExecutePaginationFunctions, itemIndex: number): string {
	const jobId = String(ctx.getNodeParameter('jobId', '')).trim();
	if (!/^[A-Za-z0-9_.:-]+$/.test(jobId))
		throw new NodeOperationError(ctx.getNode(), `Item ${itemIndex + 1}: "Job ID" must be a Muvi job ID like job_abc123`, {
			itemIndex,
			description: `Got "${jobId.slice(0, 80)}". Map it from the output of Generate (field jobId). Nothing was sent to Muvi.`,
		});
	return jobId;
}

const jobPath = (jobId: string) => `/v1/jobs/${encodeURIComponent(jobId)}`;

function downloadOptions(ctx: IExecutePaginationFunctions) {
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	return {
		download: options.download === true,
		binaryPropertyName: (options.binaryPropertyName as string) || 'data',
		timeoutMs: Math.max(1, Number(options.timeout ?? 1800)) * 1000,
	};
}

async function getJob(this: IExecutePaginationFunctions): Promise<INodeExecutionData[]> {
	const itemIndex = this.getItemIndex();
	const jobId = jobIdParam(this, itemIndex);
	const raw = (await muviRead(this, { method: 'GET', path: jobPath(jobId) }, `reading job ${jobId}`, itemIndex)) as IDataObject;
	const job = normalizeJob(raw);
	const { download, binaryPropertyName } = downloadOptions(this);
	if (download && job.status === 'completed')
		return [await finishedJobItem(this, {}, raw, { download, binaryPropertyName }, itemIndex)];
	return [{ json: job, pairedItem: { item: itemIndex } }];
}

async function waitForJob(this: IExecutePaginationFunctions): Promise<INodeExecutionData[]> {
	const itemIndex = this.getItemIndex();
	const jobId = jobIdParam(this, itemIndex);
	const { download, binaryPropertyName, timeoutMs } = downloadOptions(this);
	const startedAt = Date.now();
	let raw = (await muviRead(this, { method: 'GET', path: jobPath(jobId) }, `reading job ${jobId}`, itemIndex)) as IDataObject;
	if (!FINAL_STATUSES.includes(String(raw.status))) {
		const createdAt = typeof raw.createdAt === 'string' ? Date.parse(raw.createdAt) : NaN;
		raw = await pollUntilFinished(this, {
			jobId,
			// back off from the job's own start, so an old job is not asked about every 2 seconds
			submittedAt: Number.isFinite(createdAt) ? Math.min(createdAt, startedAt) : startedAt,
			timeoutMs,
			deadlineAt: startedAt + timeoutMs,
			itemIndex,
			alreadyPolled: true,
		});
	}
	return [await finishedJobItem(this, {}, raw, { download, binaryPropertyName }, itemIndex)];
}

async function cancelJob(this: IExecutePaginationFunctions): Promise<INodeExecutionData[]> {
	const itemIndex = this.getItemIndex();
	const jobId = jobIdParam(this, itemIndex);
	const answer = await sendOnce(this, { method: 'POST', path: `${jobPath(jobId)}/cancel` });
	const body = checked(this, answer, `cancelling job ${jobId}`, itemIndex) as IDataObject;
	const refunded = Number(body.refundedMicroCents ?? 0);
	return [
		{
			json: {
				jobId: body.jobId ?? jobId,
				status: body.status ?? 'cancelled',
				refundedMicroCents: refunded,
				refundedUsd: microCentsToUsd(refunded),
			},
			pairedItem: { item: itemIndex },
		},
	];
}

/** Follows `nextCursor` while `hasMore`, 100 jobs a page, until the limit or the last page. */
async function getManyJobs(this: IExecutePaginationFunctions): Promise<INodeExecutionData[]> {
	const itemIndex = this.getItemIndex();
	const returnAll = this.getNodeParameter('returnAll', false) as boolean;
	const limit = returnAll ? Infinity : (this.getNodeParameter('limit', 50) as number);
	const filters = this.getNodeParameter('filters', {}) as IDataObject;
	const jobs: IDataObject[] = [];
	let cursor: string | undefined;
	for (;;) {
		const qs: IDataObject = { limit: Math.min(PAGE_SIZE, limit - jobs.length) };
		if (cursor) qs.cursor = cursor;
		if (filters.status) qs.status = filters.status;
		if (filters.model) qs.modelId = filters.model;
		const page = (await muviRead(this, { method: 'GET', path: '/v1/jobs', qs }, 'listing jobs', itemIndex)) as IDataObject;
		const list = Array.isArray(page.jobs) ? (page.jobs as IDataObject[]) : [];
		jobs.push(...list.map(normalizeJob));
		cursor = typeof page.nextCursor === 'string' && page.nextCursor !== '' ? page.nextCursor : undefined;
		if (!page.hasMore || !cursor || jobs.length >= limit) break;
	}
	return jobs.slice(0, limit).map((json) => ({ json, pairedItem: { item: itemIndex } }));
}

const show = (...operation: string[]) => ({ resource: ['job'], operation });
const route = (method: 'GET' | 'POST', url: string, run: (this: IExecutePaginationFunctions) => Promise<INodeExecutionData[]>) => ({
	request: { method, url },
	send: { paginate: true },
	operations: { pagination: run },
});

export const jobDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['job'] } },
		options: [
			{
				name: 'Cancel',
				value: 'cancel',
				action: 'Cancel a job',
				description: 'Cancel a job that is still pending; its cost is refunded',
				routing: route('POST', '=/v1/jobs/{{ encodeURIComponent($parameter.jobId) }}/cancel', cancelJob),
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get a job',
				description: 'Get the status and outputs of a job',
				routing: route('GET', '=/v1/jobs/{{ encodeURIComponent($parameter.jobId) }}', getJob),
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many jobs',
				description: 'List your jobs, newest first',
				routing: route('GET', '/v1/jobs', getManyJobs),
			},
			{
				name: 'Wait for Completion',
				value: 'waitForCompletion',
				action: 'Wait for a job to complete',
				description: 'Wait until a job submitted earlier is completed, failed or cancelled',
				routing: route('GET', '=/v1/jobs/{{ encodeURIComponent($parameter.jobId) }}', waitForJob),
			},
		],
		default: 'get',
	},
	{
		displayName: 'Job ID',
		name: 'jobId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. job_abc123def456',
		description: 'The ID Muvi gave the job (field jobId of Generate’s output)',
		displayOptions: { show: show('get', 'cancel', 'waitForCompletion') },
	},
	...returnAllAndLimit(show('getAll')),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: { show: show('getAll') },
		options: [
			{
				displayName: 'Model',
				name: 'model',
				type: 'string',
				default: '',
				placeholder: 'e.g. kling/kling-3.0-standard/image-to-video',
				description: 'Only jobs of this model (slug)',
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				default: 'completed',
				options: [
					{ name: 'Cancelled', value: 'cancelled' },
					{ name: 'Completed', value: 'completed' },
					{ name: 'Failed', value: 'failed' },
					{ name: 'Pending', value: 'pending' },
					{ name: 'Processing', value: 'processing' },
				],
				description: 'Only jobs with this status',
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: show('get', 'waitForCompletion') },
		options: [
			downloadVideoOption(),
			binaryPropertyOption,
			{
				...timeoutOption('the job keeps running at Muvi'),
				displayOptions: { show: { '/operation': ['waitForCompletion'] } },
			},
		],
	},
];
