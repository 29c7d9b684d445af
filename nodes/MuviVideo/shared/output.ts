import type { IDataObject, INode, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { microCentsToUsd } from './cost';

export const FINAL_STATUSES = ['completed', 'failed', 'cancelled'];

/** The first output URL, whichever shape the API used (`output` string, legacy `{url}`, or `outputs[]`). */
function firstOutputUrl(job: IDataObject): string | undefined {
	const outputs = Array.isArray(job.outputs) ? (job.outputs as IDataObject[]) : [];
	const video = outputs.find((o) => o && o.type === 'video') ?? outputs[0];
	if (video && typeof video.url === 'string') return video.url;
	if (typeof job.output === 'string') return job.output;
	if (job.output && typeof job.output === 'object') {
		const o = job.output as IDataObject;
		for (const key of ['url', 'videoUrl', 'video_url', 'imageUrl']) if (typeof o[key] === 'string') return o[key] as string;
	}
	return undefined;
}

/**
 * One job as the node outputs it, from a submit, status or list answer. `costUsd` comes before
 * `costMicroCents`, so the dollar figure is what the Table view shows first.
 */
export function normalizeJob(raw: IDataObject): IDataObject {
	const outputs = Array.isArray(raw.outputs)
		? raw.outputs
		: raw.output && typeof raw.output === 'object'
			? [{ type: 'video', ...(raw.output as IDataObject) }]
			: typeof raw.output === 'string'
				? [{ url: raw.output, type: 'video' }]
				: null;
	const first = Array.isArray(outputs) ? ((outputs as IDataObject[])[0] ?? {}) : {};
	const cost = raw.costMicroCents ?? raw.cost ?? raw.estimatedCost;
	const job: IDataObject = {
		jobId: raw.jobId ?? raw.id,
		status: raw.status,
	};
	if (raw.requestId !== undefined) job.requestId = raw.requestId;
	if (raw.model !== undefined) job.model = raw.model;
	if (raw.progress !== undefined) job.progress = raw.progress;
	if (typeof cost === 'number') {
		job.costUsd = microCentsToUsd(cost);
		job.costMicroCents = cost;
	}
	if (raw.estimatedCompletionTime !== undefined) job.estimatedCompletionTime = raw.estimatedCompletionTime;
	const videoUrl = firstOutputUrl(raw);
	if (videoUrl) job.videoUrl = videoUrl;
	if (outputs) job.outputs = outputs;
	const thumb = first.thumbnail ?? first.thumbnailUrl;
	if (typeof thumb === 'string') job.thumbnailUrl = thumb;
	if (typeof first.posterImage === 'string') job.posterImageUrl = first.posterImage;
	if (raw.error) job.error = raw.error;
	if (raw.createdAt !== undefined) job.createdAt = raw.createdAt;
	if (raw.completedAt !== undefined) job.completedAt = raw.completedAt;
	return job;
}

/**
 * The submit's summary updated with the finished job. The charge Muvi reported at submit stays (a
 * status answer may not repeat it), and the key order stays the summary's.
 */
export function jobAfterWait(summary: IDataObject, finished: IDataObject): IDataObject {
	const job = { ...summary, ...normalizeJob(finished) };
	if (summary.costMicroCents !== undefined) {
		job.costUsd = summary.costUsd;
		job.costMicroCents = summary.costMicroCents;
	}
	return job;
}

/** Why a finished job did not complete, for an error message or an error item. */
export function jobFailure(job: IDataObject): { code: string; apiMessage: string; message: string; refund: string } {
	const status = String(job.status);
	const err = (job.error && typeof job.error === 'object' ? job.error : {}) as IDataObject;
	const code = typeof err.code === 'string' ? err.code : status === 'cancelled' ? 'CANCELLED' : 'UNKNOWN';
	const apiMessage = typeof err.message === 'string' ? err.message : '';
	const message = `Muvi job ${String(job.jobId)} ${status === 'cancelled' ? 'was cancelled' : 'failed'} (${code}${apiMessage ? `: ${apiMessage}` : ''})`;
	return { code, apiMessage, message, refund: 'Muvi refunds the credits of failed and cancelled jobs.' };
}

export function jobFailedError(node: INode, job: IDataObject, itemIndex: number): NodeApiError {
	const { message, refund } = jobFailure(job);
	return new NodeApiError(node, { reason: 'job-failed' }, { message, description: refund, itemIndex });
}

/** Under Continue On Fail: the failed job as an item, with `jobId` and the reason as fields. */
export function failedJobItem(job: IDataObject, itemIndex: number): INodeExecutionData {
	const { code, apiMessage, message, refund } = jobFailure(job);
	return { json: { ...job, error: `${message}. ${refund}`, errorCode: code, errorMessage: apiMessage }, pairedItem: { item: itemIndex } };
}
