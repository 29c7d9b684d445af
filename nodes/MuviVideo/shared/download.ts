import type {
	IBinaryKeyData,
	IDataObject,
	IExecuteFunctions,
	IExecuteSingleFunctions,
	IN8nHttpFullResponse,
	INodeExecutionData,
	IWebhookFunctions,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { failedJobItem, jobAfterWait, jobFailedError } from './output';
import { pause, throwIfStopped } from './pause';

export type BinaryContext = IExecuteSingleFunctions | IExecuteFunctions | IWebhookFunctions;

/**
 * Streams an output file into n8n's binary store. Output URLs live on Muvi's CDN, so this is a
 * plain request without the API key. A Stop ends the transfer.
 */
export async function downloadVideo(
	ctx: BinaryContext,
	url: string,
	jobId: string,
	itemIndex: number,
	signal?: AbortSignal,
): Promise<IBinaryKeyData[string]> {
	let lastProblem = '';
	for (let attempt = 0; attempt < 3; attempt++) {
		if (attempt > 0) await pause(1000 * 2 ** attempt, signal);
		throwIfStopped(signal);
		let res: IN8nHttpFullResponse;
		try {
			res = (await ctx.helpers.httpRequest({
				method: 'GET',
				url,
				encoding: 'stream',
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout: 600_000,
				...(signal ? { abortSignal: signal } : {}),
			})) as IN8nHttpFullResponse;
		} catch {
			throwIfStopped(signal);
			lastProblem = 'the connection failed';
			continue;
		}
		const stream = res.body as { destroy?: () => void };
		if (res.statusCode < 200 || res.statusCode >= 300) {
			stream?.destroy?.();
			lastProblem = `the file server answered HTTP ${res.statusCode}`;
			if (res.statusCode < 500 && res.statusCode !== 429) break;
			continue;
		}
		const path = new URL(url).pathname;
		const ext = /\.([a-z0-9]{2,5})$/i.exec(path)?.[1]?.toLowerCase() ?? 'mp4';
		const headerType = String(res.headers?.['content-type'] ?? '').split(';')[0].trim();
		const mimeType = headerType && headerType !== 'application/octet-stream' ? headerType : ext === 'mp4' ? 'video/mp4' : `video/${ext}`;
		return await ctx.helpers.prepareBinaryData(res.body as Buffer, `${jobId}.${ext}`, mimeType);
	}
	throw new NodeApiError(
		ctx.getNode(),
		{ reason: 'download' },
		{
			message: `Job ${jobId} finished, but its video could not be downloaded (${lastProblem})`,
			description: `The video is still at ${url}; download it later, or run Job → Get with download on.`,
			itemIndex,
		},
	);
}

/** Adds the job's video to the item as binary data (the item of a completed job). */
export async function attachVideo(
	ctx: BinaryContext,
	item: INodeExecutionData,
	binaryPropertyName: string,
	itemIndex: number,
	signal?: AbortSignal,
): Promise<INodeExecutionData> {
	const job = item.json as IDataObject;
	const url = job.videoUrl;
	if (typeof url !== 'string')
		throw new NodeApiError(
			ctx.getNode(),
			{ reason: 'no-output' },
			{ message: `Job ${String(job.jobId)} completed without an output URL`, description: 'Nothing to download.', itemIndex },
		);
	const binary = await downloadVideo(ctx, url, String(job.jobId), itemIndex, signal);
	return { ...item, binary: { ...(item.binary ?? {}), [binaryPropertyName || 'data']: binary } };
}

export interface FinishOptions {
	download?: boolean;
	binaryPropertyName?: string;
	signal?: AbortSignal;
}

/**
 * The output item for a job that has finished: the video (and its binary) when completed; an error
 * naming the job for failed or cancelled jobs, or an item with `error` under Continue On Fail.
 */
export async function finishedJobItem(
	ctx: BinaryContext,
	summary: IDataObject,
	finished: IDataObject,
	options: FinishOptions,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const job = jobAfterWait(summary, finished);
	if (String(job.status) !== 'completed') {
		if ('continueOnFail' in ctx && ctx.continueOnFail()) return failedJobItem(job, itemIndex);
		throw jobFailedError(ctx.getNode(), job, itemIndex);
	}
	const item: INodeExecutionData = { json: job, pairedItem: { item: itemIndex } };
	if (!options.download) return item;
	return await attachVideo(ctx, item, options.binaryPropertyName || 'data', itemIndex, options.signal);
}
