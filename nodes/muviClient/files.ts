import type { IBinaryKeyData, IExecuteFunctions, IN8nHttpFullResponse, IWebhookFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { pause, throwIfStopped } from './stop';

/** The contexts that download a finished job's files: an operation's run, the webhook that resumes a wait. */
export type BinaryContext = IExecuteFunctions | IWebhookFunctions;

/**
 * Streams an output file into n8n's binary store. Output URLs live on Muvi's CDN, so this is a
 * plain request without the API key. A Stop ends the transfer.
 */
export async function downloadFile(
	ctx: BinaryContext,
	url: string,
	jobId: string,
	itemIndex: number,
	signal?: AbortSignal,
	kind: 'video' | 'image' = 'video',
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
			message: `Job ${jobId} finished, but its ${kind} could not be downloaded (${lastProblem})`,
			description: `The ${kind} is still at ${url}; download it later, or run Job → Get with download on.`,
			itemIndex,
		},
	);
}
