import type { IDataObject } from 'n8n-workflow';

import { microCentsToUsd } from './money';
import { muviRead, type MuviContext } from './transport';

export const FINAL_STATUSES = ['completed', 'failed', 'cancelled'];

export const jobPath = (jobId: string) => `/v1/jobs/${encodeURIComponent(jobId)}`;

/** Reads a job's status once (a read: retried on passing failures). */
export async function readJob(ctx: MuviContext, jobId: string, itemIndex: number, signal?: AbortSignal): Promise<IDataObject> {
	return (await muviRead(ctx, { method: 'GET', path: jobPath(jobId), abortSignal: signal }, `checking job ${jobId}`, itemIndex)) as IDataObject;
}

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
 * One job as the nodes output it, from a submit, status or list answer. `costUsd` comes before
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
	// kept for image jobs too (node versions 1 and 2 output it); imageUrl and imageUrls say what it is
	if (videoUrl) job.videoUrl = videoUrl;
	const images = Array.isArray(outputs) ? (outputs as IDataObject[]).filter((o) => o && o.type === 'image' && typeof o.url === 'string').map((o) => o.url as string) : [];
	if (images.length > 0) {
		job.imageUrl = images[0];
		job.imageUrls = images;
	}
	if (outputs) job.outputs = outputs;
	const thumb = first.thumbnail ?? first.thumbnailUrl;
	if (typeof thumb === 'string') job.thumbnailUrl = thumb;
	if (typeof first.posterImage === 'string') job.posterImageUrl = first.posterImage;
	if (raw.error) job.error = raw.error;
	if (raw.createdAt !== undefined) job.createdAt = raw.createdAt;
	if (raw.completedAt !== undefined) job.completedAt = raw.completedAt;
	return job;
}
