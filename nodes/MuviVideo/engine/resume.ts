import type { IDataObject, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { inTurn } from '../../muviClient/inTurn';
import { FINAL_STATUSES, readJob } from '../../muviClient/jobs';
import { CREDENTIAL_TYPE } from '../../muviClient/transport';
import { verifyWebhookSignature } from '../../webhooks/signature';
import { finishedJobItem, imageOutputs, jobAfterWait } from './finishedJob';
import { microCentsToUsd } from '../../muviClient/money';
import { ExecutionSpend } from './spend';
import { loadBatch } from './webhookWait';

/** The webhook the node declares for resuming (n8n serves it under webhook-waiting/<execution>/<node id>). */
export const resumeWebhookDescription = {
	name: 'default',
	httpMethod: 'POST',
	path: '={{ $nodeId }}',
	restartWebhook: true,
	responseMode: 'onReceived',
	responseData: '',
	isFullPath: false,
} as const;

/** Resumes started by this process, so two simultaneous final deliveries resume once (n8n 1.x resumed each). */
const resuming = new Map<string, number>();
const RESUMING_MAX = 5000;

/**
 * Jobs of a waiting batch whose signed "finished" call this process has seen, so a batch of N costs
 * about N status calls rather than N². Only a shortcut: another process (queue mode) or a restart
 * asks Muvi instead.
 */
const heardJobs = new Map<string, Set<string>>();

function heardOf(key: string): Set<string> {
	let set = heardJobs.get(key);
	if (!set) {
		set = new Set();
		heardJobs.set(key, set);
		if (heardJobs.size > RESUMING_MAX) heardJobs.delete(heardJobs.keys().next().value as string);
	}
	return set;
}

function claimResume(key: string): boolean {
	if (resuming.has(key)) return false;
	resuming.set(key, Date.now());
	if (resuming.size > RESUMING_MAX) resuming.delete(resuming.keys().next().value as string);
	return true;
}

function executionIdOf(ctx: IWebhookFunctions): string {
	const req = ctx.getRequestObject();
	const match = /\/webhook-waiting\/([^/?#]+)/.exec(req.originalUrl ?? req.url ?? '');
	return match ? decodeURIComponent(match[1]) : '';
}

function answer(ctx: IWebhookFunctions, status: number, body?: IDataObject): void {
	const res = ctx.getResponseObject();
	if (res.headersSent) return;
	if (body) res.status(status).json(body);
	else res.status(status).end();
}

/**
 * The node's webhook(): one call from Muvi about one job of the waiting batch.
 * - unsigned, forged or stale: 401, the execution keeps waiting;
 * - a job of the batch is still running: 200, keeps waiting;
 * - every job finished: 200 at once (Muvi gives up after 30 s), then the statuses and videos are
 *   fetched and the execution resumes with one item per job, in item order.
 */
export async function resumeOnMuviWebhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const req = this.getRequestObject();
	let secret = '';
	try {
		secret = String((await this.getCredentials(CREDENTIAL_TYPE)).webhookSecret ?? '');
	} catch {
		secret = '';
	}
	const check = verifyWebhookSignature({
		secret,
		timestamp: req.headers['x-pixelbyte-timestamp'],
		signature: req.headers['x-pixelbyte-signature'],
		rawBody: req.rawBody ?? '',
	});
	if (!check.ok) {
		this.logger.warn(`Muvi Video: refused a resume call (${check.reason}); the execution keeps waiting`, { reason: check.reason });
		answer(this, 401, { error: 'Invalid or missing Muvi webhook signature' });
		return { noWebhookResponse: true };
	}

	const body = (this.getBodyData() ?? {}) as IDataObject;
	const executionId = executionIdOf(this);
	const batch = loadBatch(this, executionId);
	const delivered = batch.find((j) => j.jobId === body.jobId);
	if (!delivered) {
		// signed by Muvi, but not about this batch (or the batch is unknown): nothing to resume
		answer(this, 200);
		return { noWebhookResponse: true };
	}

	// Never throw from here: n8n would answer 500 and still continue the execution, without this node's results.
	if (!FINAL_STATUSES.includes(String(body.status))) {
		answer(this, 200);
		return { noWebhookResponse: true };
	}
	const key = `${executionId}\n${this.getNode().id}`;
	// heard before waiting for the turn, so the check that runs next counts this job without asking Muvi
	heardOf(key).add(delivered.jobId);
	const finished = new Map<string, IDataObject>();
	// one check at a time per execution: simultaneous calls (a batch finishing together) do not each ask about every job
	const outcome = await inTurn(key, async (): Promise<'wait' | 'resume' | 'retry' | 'done'> => {
		if (resuming.has(key)) return 'done';
		try {
			const heard = heardOf(key);
			// the others in item order; the first still running ends the check (its own call comes later)
			for (const job of batch) {
				if (heard.has(job.jobId)) continue;
				const status = await readJob(this, job.jobId, job.itemIndex);
				if (!FINAL_STATUSES.includes(String(status.status))) return 'wait';
				heard.add(job.jobId);
				finished.set(job.jobId, status);
			}
			// every job is done: the canonical result of each not read just now (the webhook's own output shape is unconfirmed)
			const missing = batch.filter((j) => !finished.has(j.jobId));
			const read = await Promise.all(missing.map(async (j) => await readJob(this, j.jobId, j.itemIndex)));
			for (const [i, status] of read.entries()) {
				if (!FINAL_STATUSES.includes(String(status.status))) return 'wait';
				finished.set(missing[i].jobId, status);
			}
		} catch (caught) {
			this.logger.warn(`Muvi Video: could not check the batch of execution ${executionId}: ${(caught as Error).message}; asking Muvi to call again`);
			return 'retry';
		}
		return claimResume(key) ? 'resume' : 'done';
	});
	if (outcome === 'retry') {
		// Muvi's status could not be read: not now. Muvi retries the call (1 s … 256 s later); the Timeout still holds.
		answer(this, 503, { error: 'Could not check the jobs yet; please retry' });
		return { noWebhookResponse: true };
	}
	// answered before any download: Muvi gives up on a call after 30 s
	answer(this, 200);
	if (outcome !== 'resume') return { noWebhookResponse: true };

	const node = this.getNode();
	const spend = ExecutionSpend.of(this);
	const items: INodeExecutionData[] = [];
	for (const job of batch) {
		const summary: IDataObject = { jobId: job.jobId };
		if (job.costMicroCents !== undefined) {
			summary.costUsd = microCentsToUsd(job.costMicroCents);
			summary.costMicroCents = job.costMicroCents;
		}
		const result = jobAfterWait(summary, finished.get(job.jobId) ?? {});
		if (result.status === 'failed' || result.status === 'cancelled') spend.refund(job.costMicroCents);
		try {
			// a failed job, the video, or every image of an image job (data, data_1 …)
			items.push(await finishedJobItem(this, result, { download: job.download, binaryPropertyName: job.binaryPropertyName, failedAsItem: true }, job.itemIndex));
		} catch (caught) {
			// Never throw from here (see above): the job finished, only its file is missing
			const error = caught as Error & { description?: unknown };
			const files = imageOutputs(result).length > 0 ? 'images' : 'video';
			this.logger.warn(`Muvi Video: could not download the ${files} of job ${job.jobId} (node "${node.name}"): ${error.message}`);
			const json: IDataObject = { ...result, error: `Could not download the ${files} of job ${job.jobId}: ${error.message}` };
			if (typeof error.description === 'string' && error.description) json.errorDescription = error.description;
			items.push({ json, pairedItem: { item: job.itemIndex } });
		}
	}
	this.logger.info(`Muvi Video: all ${batch.length} job(s) of node "${node.name}" finished; resuming execution ${executionId}`);
	return { noWebhookResponse: true, workflowData: [items] };
}
