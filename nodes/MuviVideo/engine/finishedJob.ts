import type { IBinaryKeyData, IDataObject, INode, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { downloadFile, type BinaryContext } from '../../muviClient/files';
import { normalizeJob } from '../../muviClient/jobs';
import { outcomeOf, withMoney } from './outcome';

/**
 * A finished job as the node's output item, the same for every way of waiting (Poll, the webhook that
 * resumes Muvi Webhook, Job → Wait for Completion, Job → Get): the job's fields, its files as binary
 * data when asked, or the reason it did not complete.
 */

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
function jobFailure(job: IDataObject): { code: string; apiMessage: string; message: string; refund: string } {
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

/** A failed or cancelled job as an item, with `jobId` and the reason as fields. */
export function failedJobItem(job: IDataObject, itemIndex: number): INodeExecutionData {
	const { code, apiMessage, message, refund } = jobFailure(job);
	return { json: { ...job, error: `${message}. ${refund}`, errorCode: code, errorMessage: apiMessage }, pairedItem: { item: itemIndex } };
}

/** The image outputs of a finished job (§2.2 `outputs[]` entries of type "image"), in order. */
export function imageOutputs(job: IDataObject): string[] {
	const outputs = Array.isArray(job.outputs) ? (job.outputs as IDataObject[]) : [];
	return outputs.filter((o) => o && o.type === 'image' && typeof o.url === 'string').map((o) => o.url as string);
}

/** `data`, `data_1`, `data_2` …: one binary property per output image, the first under the name given. */
export const imagePropertyName = (base: string, n: number) => (n === 0 ? base : `${base}_${n}`);

/** MIME types by file extension, for a CDN that answers without a usable Content-Type. */
const IMAGE_TYPES: Record<string, string> = {
	png: 'image/png',
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	webp: 'image/webp',
	gif: 'image/gif',
};

/**
 * The job's files into the item as binary data: every image of an image job (`data`, `data_1` …,
 * named `<jobId>_<n>.<ext>`, their URLs in `imageUrls`), else its video (`data`).
 */
export async function attachOutputs(
	ctx: BinaryContext,
	item: INodeExecutionData,
	binaryPropertyName: string,
	itemIndex: number,
	signal?: AbortSignal,
): Promise<INodeExecutionData> {
	const job = item.json;
	const jobId = String(job.jobId);
	const images = imageOutputs(job);
	const urls = images.length > 0 ? images : typeof job.videoUrl === 'string' ? [job.videoUrl] : [];
	if (urls.length === 0)
		throw new NodeApiError(
			ctx.getNode(),
			{ reason: 'no-output' },
			{ message: `Job ${jobId} completed without an output URL`, description: 'Nothing to download.', itemIndex },
		);
	const base = binaryPropertyName || 'data';
	if (images.length === 0) return { ...item, binary: { ...(item.binary ?? {}), [base]: await downloadFile(ctx, urls[0], jobId, itemIndex, signal) } };
	const binary: IBinaryKeyData = { ...(item.binary ?? {}) };
	for (let n = 0; n < urls.length; n++) {
		const file = await downloadFile(ctx, urls[n], jobId, itemIndex, signal, 'image');
		const ext = /\.([a-z0-9]{2,5})$/i.exec(new URL(urls[n]).pathname)?.[1]?.toLowerCase() ?? 'png';
		if (!file.mimeType?.startsWith('image/')) file.mimeType = IMAGE_TYPES[ext] ?? 'image/png';
		file.fileName = `${jobId}_${n}.${ext}`;
		file.fileExtension = ext;
		binary[imagePropertyName(base, n)] = file;
	}
	return { ...item, json: { ...job, imageUrls: urls }, binary };
}

export interface FinishOptions {
	download: boolean;
	binaryPropertyName: string;
	/** a failed or cancelled job: an item with `error` (true), or the node's error (false) */
	failedAsItem: boolean;
	signal?: AbortSignal;
}

/** The output item of a finished job, with what happened to its money: completed, with its files when asked; failed or cancelled (refunded), its error. */
export async function finishedJobItem(ctx: BinaryContext, finished: IDataObject, options: FinishOptions, itemIndex: number): Promise<INodeExecutionData> {
	const job = withMoney(finished, outcomeOf(finished.status));
	if (String(job.status) !== 'completed') {
		if (options.failedAsItem) return failedJobItem(job, itemIndex);
		throw jobFailedError(ctx.getNode(), job, itemIndex);
	}
	const item: INodeExecutionData = { json: job, pairedItem: { item: itemIndex } };
	if (!options.download) return item;
	return await attachOutputs(ctx, item, options.binaryPropertyName, itemIndex, options.signal);
}
