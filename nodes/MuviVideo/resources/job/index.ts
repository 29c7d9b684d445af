import type {
	IDataObject,
	IExecuteFunctions,
	IExecutePaginationFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { microCentsToUsd } from '../../shared/cost';
import { binaryPropertyOption, downloadVideoOption, returnAllAndLimit, timeoutOption } from '../../shared/descriptions';
import { finishedJobItem } from '../../shared/download';
import { attachOutputs } from '../../shared/images';
import { FINAL_STATUSES, normalizeJob } from '../../shared/output';
import { isStopped } from '../../shared/pause';
import { checked, muviRead, sendOnce } from '../../shared/transport';
import { parseFlag, parseNonNegative } from '../../shared/validation';
import { pollUntilFinished, readJob } from '../../shared/wait';

const PAGE_SIZE = 100;

function checkJobId(ctx: IExecutePaginationFunctions | IExecuteFunctions, raw: unknown, itemIndex: number): string {
	const jobId = String(raw ?? '').trim();
	if (!/^[A-Za-z0-9_.:-]+$/.test(jobId))
		throw new NodeOperationError(ctx.getNode(), `Item ${itemIndex + 1}: "Job ID" must be a Muvi job ID like job_abc123`, {
			itemIndex,
			description: `Got "${jobId.slice(0, 80)}". Map it from the output of Generate (field jobId). Nothing was sent to Muvi.`,
		});
	return jobId;
}

function jobIdParam(ctx: IExecutePaginationFunctions, itemIndex: number): string {
	return checkJobId(ctx, ctx.getNodeParameter('jobId', ''), itemIndex);
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

export async function getJob(this: IExecutePaginationFunctions): Promise<INodeExecutionData[]> {
	const itemIndex = this.getItemIndex();
	const jobId = jobIdParam(this, itemIndex);
	const raw = (await muviRead(this, { method: 'GET', path: jobPath(jobId) }, `reading job ${jobId}`, itemIndex)) as IDataObject;
	const job = normalizeJob(raw);
	const { download, binaryPropertyName } = downloadOptions(this);
	if (download && job.status === 'completed')
		return [await finishedJobItem(this, {}, raw, { download, binaryPropertyName, attach: attachOutputs }, itemIndex)];
	return [{ json: job, pairedItem: { item: itemIndex } }];
}

/** Wait for Completion's settings for one item, checked before any request (values from sheets accepted). */
function waitSettings(ctx: IExecuteFunctions, itemIndex: number) {
	const jobId = checkJobId(ctx, ctx.getNodeParameter('jobId', itemIndex, ''), itemIndex);
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const download = options.download === undefined ? false : parseFlag(options.download);
	const timeout = options.timeout === undefined ? 1800 : parseNonNegative(options.timeout);
	const bad = download === undefined ? ['Download Video', 'true or false', options.download] : timeout === undefined ? ['Timeout (Seconds)', 'a number of 0 or more', options.timeout] : undefined;
	if (bad)
		throw new NodeOperationError(ctx.getNode(), `Item ${itemIndex + 1}: "${String(bad[0])}" must be ${String(bad[1])}`, {
			itemIndex,
			description: `Got ${JSON.stringify(bad[2])}. Nothing was sent to Muvi.`,
		});
	return { jobId, download: download === true, binaryPropertyName: String(options.binaryPropertyName || 'data'), timeoutMs: (timeout ?? 1800) * 1000 };
}

/**
 * Job → Wait for Completion as the node's own item loop: every item checked first, then the jobs
 * waited for side by side. A job that already finished is answered by one status read; a Stop ends
 * the waits at once. Under Continue On Fail a failed item carries its `jobId`.
 */
export async function waitForJobs(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const signal = this.getExecutionCancelSignal?.();
	const continueOnFail = this.continueOnFail();
	const results: INodeExecutionData[][] = items.map(() => []);
	const settings: Array<ReturnType<typeof waitSettings> | undefined> = [];
	for (let i = 0; i < items.length; i++) {
		try {
			settings[i] = waitSettings(this, i);
		} catch (caught) {
			const error = caught as Error;
			if (!continueOnFail) throw error;
			results[i] = [{ json: { error: error.message }, pairedItem: { item: i } }];
		}
	}
	const failures: Array<{ itemIndex: number; error: Error }> = [];
	await Promise.all(
		settings.map(async (s, i) => {
			if (!s) return;
			try {
				const startedAt = Date.now();
				let raw = await readJob(this, s.jobId, i, signal);
				if (!FINAL_STATUSES.includes(String(raw.status))) {
					const createdAt = typeof raw.createdAt === 'string' ? Date.parse(raw.createdAt) : NaN;
					raw = await pollUntilFinished(this, {
						jobId: s.jobId,
						// back off from the job's own start, so an old job is not asked about every 2 seconds
						submittedAt: Number.isFinite(createdAt) ? Math.min(createdAt, startedAt) : startedAt,
						timeoutMs: s.timeoutMs,
						deadlineAt: startedAt + s.timeoutMs,
						itemIndex: i,
						alreadyPolled: true,
						signal,
					});
				}
				// an image job gives all its images (data, data_1 …), a video job its video
				results[i] = [await finishedJobItem(this, {}, raw, { ...s, signal, attach: attachOutputs }, i)];
			} catch (caught) {
				const error = caught as Error & { description?: unknown };
				if (continueOnFail && !isStopped(error)) {
					const json: IDataObject = { error: error.message, jobId: s.jobId };
					if (typeof error.description === 'string' && error.description) json.errorDescription = error.description;
					results[i] = [{ json, pairedItem: { item: i } }];
				} else failures.push({ itemIndex: i, error });
			}
		}),
	);
	if (signal?.aborted || failures.some((f) => isStopped(f.error)))
		throw new NodeOperationError(this.getNode(), 'Stopped while waiting for Muvi jobs', {
			description: 'The jobs keep running at Muvi; wait for them again later with their job IDs.',
		});
	if (failures.length > 0) throw failures.sort((a, b) => a.itemIndex - b.itemIndex)[0].error;
	return [results.flat()];
}

export async function cancelJob(this: IExecutePaginationFunctions): Promise<INodeExecutionData[]> {
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
export async function getManyJobs(this: IExecutePaginationFunctions): Promise<INodeExecutionData[]> {
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
				// a custom operation (customOperations in MuviVideo.node.ts): several reads per item
				name: 'Wait for Completion',
				value: 'waitForCompletion',
				action: 'Wait for a job to complete',
				description: 'Wait until a job submitted earlier is completed, failed or cancelled',
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
