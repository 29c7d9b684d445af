import type { IDataObject, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { inTurn } from '../../muviClient/inTurn';
import { FINAL_STATUSES, readJob } from '../../muviClient/jobs';
import { CREDENTIAL_TYPE } from '../../muviClient/transport';
import { verifyWebhookSignature } from '../../webhooks/signature';
import { failedJobItem, finishedJobItem, imageOutputs, jobAfterWait } from './finishedJob';
import { attemptOf, moneyFields, outcomeOf, withMoney } from './outcome';
import { microCentsToUsd } from '../../muviClient/money';
import { ExecutionSpend } from './spend';
import { chainMemory, currentJob, learnStep, readWaitingChain, submitNext, tagOf, type ChainMemory } from './webhookChain';
import { loadBatch, type WaitingJob } from './webhookWait';

/** Every job of an item's chain in order: the batch's, then those submitted after it. */
function chainJobs(memory: ChainMemory, job: WaitingJob): Array<{ jobId: string; itemIndex: number }> {
	const later = (memory.steps.get(job.itemIndex) ?? []).flatMap((s) => (s.jobId ? [{ jobId: s.jobId, itemIndex: job.itemIndex }] : []));
	return [{ jobId: job.jobId, itemIndex: job.itemIndex }, ...later];
}

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
const heardJobs = new Map<string, Map<string, string>>();

/** The jobs of a waiting batch known to have finished, with their final status. */
function heardOf(key: string): Map<string, string> {
	let set = heardJobs.get(key);
	if (!set) {
		set = new Map();
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
	const key = `${executionId}\n${this.getNode().id}`;
	const memory = chainMemory(key);
	// a job of the batch, or a later model of an item's chain (submitted here, or named by its call's tag)
	const tag = tagOf(this.getQueryData());
	const tagged = tag ? batch.find((j) => j.itemIndex === tag.itemIndex && tag.attempt > (j.attempt ?? 0) && tag.attempt < (j.chain ?? 1)) : undefined;
	if (tag && tagged && typeof body.jobId === 'string' && body.jobId !== '') learnStep(memory, tag.itemIndex, tag.attempt, body.jobId);
	const delivered = batch.find((j) => j.jobId === body.jobId || (memory.steps.get(j.itemIndex) ?? []).some((s) => s.jobId === body.jobId));
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
	const jobId = String(body.jobId);
	// heard before waiting for the turn, so the check that runs next counts this job without asking Muvi
	heardOf(key).set(jobId, String(body.status));
	const now = currentJob(memory, delivered.itemIndex, delivered.jobId, delivered.attempt ?? 0);
	if (body.status === 'failed' && now.jobId === jobId && now.attempt + 1 < (delivered.chain ?? 1)) {
		// Fallback Models: the item's next model, once in this process (Muvi is answered first: it gives up after 30 s)
		answer(this, 200);
		if (memory.claimed.has(jobId)) return { noWebhookResponse: true };
		memory.claimed.add(jobId);
		// Muvi refunds the failed job
		memory.refundedMicroCents += now.jobId === delivered.jobId ? (delivered.costMicroCents ?? 0) : (memory.steps.get(delivered.itemIndex)?.find((s) => s.jobId === jobId)?.costMicroCents ?? 0);
		const carried = readWaitingChain(this, delivered.itemIndex);
		const submitted = await inTurn(key, async () =>
			await submitNext(this, memory, { executionId, itemIndex: delivered.itemIndex, failedAttempt: now.attempt, batchAttempt: delivered.attempt ?? 0, chain: delivered.chain ?? 1 }, carried),
		);
		// a new job: its own call comes later. None (the chain ended): the batch may be complete now
		if (submitted) return { noWebhookResponse: true };
	}
	const finished = new Map<string, IDataObject>();
	// one check at a time per execution: simultaneous calls (a batch finishing together) do not each ask about every job
	const outcome = await inTurn(key, async (): Promise<'wait' | 'resume' | 'retry' | 'unknownChain' | 'done'> => {
		if (resuming.has(key)) return 'done';
		try {
			const heard = heardOf(key);
			let unknownChain = false;
			// the others in item order; the first still running ends the check (its own call comes later)
			for (const job of batch) {
				if (memory.ended.has(job.itemIndex)) continue;
				const at = currentJob(memory, job.itemIndex, job.jobId, job.attempt ?? 0);
				let status = heard.get(at.jobId);
				if (status === undefined) {
					const read = await readJob(this, at.jobId, job.itemIndex);
					status = String(read.status);
					if (!FINAL_STATUSES.includes(status)) return 'wait';
					heard.set(at.jobId, status);
					finished.set(at.jobId, read);
				}
				// failed with another model to try: taken on here (its job's call comes later), or by a process this one does not know
				if (status === 'failed' && at.attempt + 1 < (job.chain ?? 1)) {
					if (memory.claimed.has(at.jobId)) return 'wait';
					unknownChain = true;
				}
			}
			if (unknownChain) return 'unknownChain';
			// every chain has ended: the canonical result of each job not read just now (the webhook's own output shape is unconfirmed)
			const missing = batch.flatMap((j) => chainJobs(memory, j)).filter((j) => !finished.has(j.jobId));
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
	if (outcome === 'retry' || outcome === 'unknownChain') {
		// Muvi's status could not be read, or an item's next model was submitted by a call this process did not
		// see (another process, or before a restart): not now. Muvi calls again (1 s … 256 s later); the Timeout still holds.
		answer(this, 503, { error: outcome === 'retry' ? 'Could not check the jobs yet; please retry' : 'The batch is not complete yet here; please retry' });
		return { noWebhookResponse: true };
	}
	// answered before any download: Muvi gives up on a call after 30 s
	answer(this, 200);
	if (outcome !== 'resume') return { noWebhookResponse: true };

	const node = this.getNode();
	const spend = ExecutionSpend.of(this);
	const items: INodeExecutionData[] = [];
	const summaryOf = (jobId: string, costMicroCents: number | undefined, model?: unknown): IDataObject => {
		const summary: IDataObject = { jobId };
		if (model !== undefined && model !== null) summary.model = model;
		if (costMicroCents !== undefined) {
			summary.costUsd = microCentsToUsd(costMicroCents);
			summary.costMicroCents = costMicroCents;
		}
		return summary;
	};
	for (const job of batch) {
		const chained = (job.chain ?? 1) > 1;
		const carried = chained ? readWaitingChain(this, job.itemIndex) : undefined;
		// Fallback Models: the tries before the last, in order (the ones execute() made, then this chain's)
		const tries: IDataObject[] = [...(carried?.tries ?? [])];
		let last: { jobId: string; costMicroCents?: number; model?: unknown } = { jobId: job.jobId, costMicroCents: job.costMicroCents, model: carried?.model };
		// a job followed by later tries is listed (and its refund counted) once, before them
		let listed = false;
		const list = () => {
			if (listed) return;
			const earlier = jobAfterWait(summaryOf(last.jobId, last.costMicroCents, last.model), finished.get(last.jobId) ?? {});
			if (earlier.status === 'failed' || earlier.status === 'cancelled') spend.refund(last.costMicroCents);
			tries.push(attemptOf(withMoney(failedJobItem(earlier, job.itemIndex).json, outcomeOf(earlier.status))));
			listed = true;
		};
		for (const step of memory.steps.get(job.itemIndex) ?? []) {
			list();
			if (step.refused) {
				tries.push(step.refused);
				continue;
			}
			spend.charge(step.costMicroCents);
			last = { jobId: step.jobId as string, costMicroCents: step.costMicroCents, model: step.model ?? null };
			listed = false;
		}
		const result = jobAfterWait(summaryOf(last.jobId, last.costMicroCents, last.model), finished.get(last.jobId) ?? {});
		if (!listed && (result.status === 'failed' || result.status === 'cancelled')) spend.refund(last.costMicroCents);
		const ended = memory.ended.get(job.itemIndex);
		let item: INodeExecutionData;
		try {
			// a failed job, the video, or every image of an image job (data, data_1 …)
			item = await finishedJobItem(this, result, { download: job.download && !ended, binaryPropertyName: job.binaryPropertyName, failedAsItem: true }, job.itemIndex);
		} catch (caught) {
			// Never throw from here (see above): the job finished, only its file is missing
			const error = caught as Error & { description?: unknown };
			const files = imageOutputs(result).length > 0 ? 'images' : 'video';
			this.logger.warn(`Muvi Video: could not download the ${files} of job ${last.jobId} (node "${node.name}"): ${error.message}`);
			const json: IDataObject = { ...result, error: `Could not download the ${files} of job ${last.jobId}: ${error.message}` };
			if (typeof error.description === 'string' && error.description) json.errorDescription = error.description;
			item = { json, pairedItem: { item: job.itemIndex } };
		}
		if (chained) {
			// the item is its last job's; listed already when only refused models came after it
			const attempts = listed ? tries : [...tries, attemptOf(item.json)];
			if (ended) {
				attempts.push(ended.attempt);
				item.json.error = `${String(item.json.error ?? '')} ${ended.error}`.trim();
				// a lost answer: a job may exist and be paid, which is what the item's money says (as under Poll)
				if (ended.attempt.outcome === 'unknown') {
					Object.assign(item.json, moneyFields('unknown', ended.mayHaveCostMicroCents));
					spend.charge(ended.mayHaveCostMicroCents);
				}
			}
			item.json.attempts = attempts;
		}
		items.push(item);
	}
	this.logger.info(`Muvi Video: all ${batch.length} job(s) of node "${node.name}" finished; resuming execution ${executionId}`);
	return { noWebhookResponse: true, workflowData: [items] };
}
