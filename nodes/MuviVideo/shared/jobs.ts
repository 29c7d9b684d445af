import type {
	IBinaryKeyData,
	IDataObject,
	IExecuteFunctions,
	IExecuteSingleFunctions,
	IN8nHttpFullResponse,
	INodeExecutionData,
	IWebhookFunctions,
} from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';
import { createHash } from 'node:crypto';

import { muviApiError } from './errors';
import { microCentsToUsd } from './cost';
import {
	CREDENTIAL_TYPE,
	errorInfo,
	muviRead,
	networkError,
	retryAfterSeconds,
	sendOnce,
	unwrap,
	type MuviContext,
	type RawAnswer,
} from './transport';

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

/** One job as the node outputs it, from a submit, status or list answer. */
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
		job.costMicroCents = cost;
		job.costUsd = microCentsToUsd(cost);
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

/** Thrown when a submit may or may not have created (and charged) a job: it is never re-sent blindly. */
function unknownOutcomeError(ctx: MuviContext, what: string, itemIndex: number, candidates?: string[]): NodeApiError {
	const seen = candidates?.length
		? ` Muvi's job list shows ${candidates.length === 1 ? 'a job' : 'jobs'} of this model created at that moment: ${candidates.slice(0, 5).join(', ')}.`
		: '';
	return new NodeApiError(
		ctx.getNode(),
		{ reason: 'unknown-outcome' },
		{
			message: `The video job may have been created, but Muvi's answer was lost (${what})`,
			description: `To avoid paying twice, the node did not send the job again.${seen} Check your recent jobs (Muvi dashboard, or this node: Job → Get Many) before running this item again.`,
			itemIndex,
		},
	);
}

/** Job IDs this n8n process received from submits (bounded), so a reconciliation can tell its own jobs apart. */
const knownJobIds = new Set<string>();
const KNOWN_JOB_IDS_MAX = 10_000;

function rememberJobId(jobId: string): void {
	knownJobIds.add(jobId);
	if (knownJobIds.size > KNOWN_JOB_IDS_MAX) knownJobIds.delete(knownJobIds.values().next().value as string);
}

/** How far Muvi's clock may be from ours when matching a job's createdAt to a submit. */
const CLOCK_SLACK_MS = 30_000;

/**
 * After a submit whose answer was lost: the jobs of this model Muvi created since the submit began that
 * this process does not know (muvi-api.md §7: check the job list before resubmitting). `undefined` when
 * the list could not be read, which counts as "a job may exist".
 */
async function unknownJobsSince(ctx: MuviContext, model: string, since: number): Promise<string[] | undefined> {
	await sleep(1000);
	const answer = await sendOnce(ctx, { method: 'GET', path: '/v1/jobs', qs: { limit: 100, modelId: model }, timeout: 30_000 });
	if (answer.network || answer.malformed || answer.status < 200 || answer.status >= 300) return undefined;
	const page = unwrap(answer.body) as IDataObject;
	if (!Array.isArray(page.jobs)) return undefined;
	return (page.jobs as IDataObject[])
		.filter((j) => {
			const created = Date.parse(String(j.createdAt ?? ''));
			return (!Number.isFinite(created) || created >= since - CLOCK_SLACK_MS) && (j.model === undefined || j.model === model);
		})
		.map((j) => String(j.jobId))
		.filter((id) => !knownJobIds.has(id));
}

/**
 * Paces the submits of one Muvi account once its plan's concurrent-job limit is reached (429
 * CONCURRENT_JOBS_EXCEEDED). All items of an execution are submitted at once; without the gate every
 * refused item would retry after `retryAfter` at the same moment, and all but a few would be refused
 * again. Once a 429 is seen, waiting submits queue here in item order and one at a time asks Muvi:
 * as soon as one of this process's jobs is seen finished (its slot is free), or `retryAfter` after
 * the last 429 when none is. Each success lets the next one go at once; a 429 stops the run.
 * Only `sleep` is used (community nodes may not use timers), in slices of at most a second.
 */
class SubmitGate {
	/** waiting submits, in order of their first attempt */
	private queue: Array<{ order: number; deadline: number; resolve: (turn: 'probe' | 'timeout') => void }> = [];
	/** Muvi said the limit is reached, and no success has shown that it is lifted */
	private limited = false;
	/** a released submit is on its way to Muvi */
	private probing = false;
	/** one of this process's jobs finished while the probe was out */
	private freedDuringProbe = false;
	private lastLimitAt = 0;
	private retryAfterMs = 0;
	private ticking = false;

	/** Waits for a turn: 'free' while the limit is not reached, 'probe' when released, 'timeout' at `deadline`. */
	async enter(order: number, deadline: number): Promise<'free' | 'probe' | 'timeout'> {
		if (!this.limited) return 'free';
		return await new Promise((resolve) => {
			const at = this.queue.findIndex((e) => e.order > order);
			this.queue.splice(at < 0 ? this.queue.length : at, 0, { order, deadline, resolve });
			void this.tick();
		});
	}

	/**
	 * After a submit's answer: `limit` = a 429 after which the submit queues again right away (the
	 * gate stays closed for it), `accepted` = a job was created, `other` = anything else.
	 */
	leave(turn: 'free' | 'probe', outcome: 'accepted' | 'limit' | 'other', retryAfterMs = 0): void {
		const wasProbe = turn === 'probe';
		const freed = wasProbe && this.freedDuringProbe;
		if (wasProbe) {
			this.probing = false;
			this.freedDuringProbe = false;
		}
		if (outcome === 'limit') {
			this.limited = true;
			this.retryAfterMs = retryAfterMs;
			// a slot was freed while this probe was out: the next submit may go at once
			this.lastLimitAt = freed ? 0 : Date.now();
			return;
		}
		if (wasProbe) this.releaseNext();
		this.settle();
	}

	/** One of this process's jobs finished: its slot is free. */
	jobFinished(): void {
		if (!this.limited) return;
		if (this.probing) this.freedDuringProbe = true;
		else this.releaseNext();
	}

	/** Releases the next submit `retryAfter` after the last 429 and gives up on waiters past their deadline. */
	private async tick(): Promise<void> {
		if (this.ticking) return;
		this.ticking = true;
		try {
			while (this.limited && !this.probing && this.queue.length > 0) {
				const now = Date.now();
				for (const late of this.queue.filter((e) => e.deadline <= now)) {
					this.queue.splice(this.queue.indexOf(late), 1);
					late.resolve('timeout');
				}
				if (this.queue.length === 0) break;
				const probeAt = this.lastLimitAt + this.retryAfterMs;
				if (now >= probeAt) {
					this.releaseNext();
					break;
				}
				await sleep(Math.min(1000, probeAt - now, ...this.queue.map((e) => e.deadline - now)));
			}
		} finally {
			this.ticking = false;
			this.settle();
		}
	}

	private releaseNext(): void {
		const next = this.queue.shift();
		if (!next) return;
		this.probing = true;
		next.resolve('probe');
	}

	/** Back to free flow when nobody waits and no probe is out. */
	private settle(): void {
		if (!this.probing && this.queue.length === 0) this.limited = false;
	}
}

const submitGates = new Map<string, SubmitGate>();
/** The gate of each job this process submitted and has not yet seen finish (bounded). */
const gateOfJob = new Map<string, SubmitGate>();
let submitOrder = 0;

async function submitGateFor(ctx: MuviContext): Promise<SubmitGate> {
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	// one gate per account: the key is only kept as a hash
	const key = createHash('sha256')
		.update(`${String(credentials.baseUrl ?? '')}\n${String(credentials.apiKey ?? '')}`)
		.digest('hex');
	let gate = submitGates.get(key);
	if (!gate) {
		gate = new SubmitGate();
		submitGates.set(key, gate);
	}
	return gate;
}

/** Tells the submit gate that a job of this process finished, so a waiting submit can take its slot. */
export function jobFinished(jobId: string): void {
	const gate = gateOfJob.get(jobId);
	if (!gate) return;
	gateOfJob.delete(jobId);
	gate.jobFinished();
}

/**
 * Submits one job. Sends it again only when Muvi said no job was created: 429 CONCURRENT_JOBS_EXCEEDED
 * (paced by the submit gate: after `retryAfter`, or as soon as one of this process's jobs finishes),
 * 503 PUBSUB_PUBLISH_FAILED (exponential backoff), a connection that never opened, or a connection cut
 * after which Muvi's job list shows no new job of this model. A submit that timed out, or whose 2xx
 * answer could not be read, may still create its job after the list was read: it is never re-sent,
 * and neither is any other unknown outcome.
 */
export async function submitJob(
	ctx: MuviContext,
	request: { method: 'POST'; path: string; body: IDataObject },
	itemIndex: number,
	budgetMs: number,
): Promise<IDataObject> {
	const started = Date.now();
	const deadline = started + budgetMs;
	const order = ++submitOrder;
	const gate = await submitGateFor(ctx);
	const model = String(request.body.model ?? '');
	let busyRetries = 0;
	let connectRetries = 0;
	let reconciled = false;
	let limitInfo: ReturnType<typeof errorInfo> | undefined;
	for (;;) {
		const turn = await gate.enter(order, deadline);
		if (turn === 'timeout') throw muviApiError(ctx.getNode(), limitInfo ?? { status: 429, code: 'CONCURRENT_JOBS_EXCEEDED' }, itemIndex);
		const sentAt = Date.now();
		let answer: RawAnswer | undefined;
		try {
			answer = await sendOnce(ctx, { ...request, timeout: Math.min(60_000, budgetMs) });
		} finally {
			// sendOnce reports failures rather than throwing; if it throws anyway, the queue must not wait for this submit
			if (answer === undefined) gate.leave(turn, 'other');
		}
		const info = errorInfo(answer.status, answer.body);
		const limitReached = answer.status === 429 && (!info.code || info.code === 'CONCURRENT_JOBS_EXCEEDED');
		const limitWaitMs = limitReached ? retryAfterSeconds(answer, 30) * 1000 : 0;
		// wait for a free slot only while even the wait Muvi asked for fits in the Timeout
		const waitForSlot = limitReached && Date.now() + limitWaitMs <= deadline;
		const accepted = answer.status >= 200 && answer.status < 300 && !answer.malformed;
		gate.leave(turn, waitForSlot ? 'limit' : accepted ? 'accepted' : 'other', limitWaitMs);
		const cut = answer.network && !answer.network.notSent && !answer.network.timedOut;
		const lost =
			answer.network && !answer.network.notSent
				? answer.network.timedOut
					? 'no answer in time'
					: 'the connection was cut'
				: answer.status >= 200 && answer.status < 300 && answer.malformed
					? 'the answer could not be read'
					: undefined;
		if (lost) {
			const unknown = reconciled ? undefined : await unknownJobsSince(ctx, model, sentAt);
			reconciled = true;
			if (cut && unknown && unknown.length === 0) continue;
			throw unknownOutcomeError(ctx, lost, itemIndex, unknown);
		}
		if (answer.network) {
			if (answer.network.blocked || connectRetries++ >= 3) throw networkError(ctx, answer.network, 'submitting the job', itemIndex);
			await sleep(1000 * 2 ** connectRetries);
			continue;
		}
		if (answer.status >= 200 && answer.status < 300) {
			const data = unwrap(answer.body) as IDataObject;
			if (typeof data.jobId !== 'string') throw unknownOutcomeError(ctx, 'the answer had no job ID', itemIndex);
			rememberJobId(data.jobId);
			gateOfJob.set(data.jobId, gate);
			if (gateOfJob.size > KNOWN_JOB_IDS_MAX) gateOfJob.delete(gateOfJob.keys().next().value as string);
			return data;
		}
		if (limitReached) {
			limitInfo = info;
			if (waitForSlot) continue;
			throw muviApiError(ctx.getNode(), info, itemIndex);
		}
		if (answer.status === 503 && (!info.code || info.code === 'PUBSUB_PUBLISH_FAILED') && busyRetries < 5) {
			const waitMs = Math.min(1000 * 2 ** busyRetries, 60_000);
			busyRetries++;
			if (Date.now() + waitMs <= deadline) {
				await sleep(waitMs);
				continue;
			}
		}
		throw muviApiError(ctx.getNode(), info, itemIndex);
	}
}

/** When to ask again: at the estimated completion time first, then a quarter of the time spent so far (2–30 s). */
export function nextPollDelayMs(now: number, submittedAt: number, etaAt: number | undefined, polls: number): number {
	if (polls === 0) return Math.max(0, (etaAt ?? submittedAt + 5000) - now);
	return Math.min(30_000, Math.max(2000, Math.round((now - submittedAt) / 4)));
}

export interface PollPlan {
	jobId: string;
	submittedAt: number;
	estimatedCompletionTime?: unknown;
	timeoutMs: number;
	itemIndex: number;
	/** when to give up; default submittedAt + timeoutMs */
	deadlineAt?: number;
	/** the caller has just read the status once, so skip the wait for the estimate */
	alreadyPolled?: boolean;
}

/** Waits until the job is completed, failed or cancelled, or the time budget is spent. */
export async function pollUntilFinished(ctx: MuviContext, plan: PollPlan): Promise<IDataObject> {
	const eta = typeof plan.estimatedCompletionTime === 'string' ? Date.parse(plan.estimatedCompletionTime) : NaN;
	const deadline = plan.deadlineAt ?? plan.submittedAt + plan.timeoutMs;
	for (let polls = plan.alreadyPolled ? 1 : 0; ; polls++) {
		const now = Date.now();
		const delay = nextPollDelayMs(now, plan.submittedAt, Number.isFinite(eta) ? eta : undefined, polls);
		if (now + delay > deadline) {
			if (deadline > now) await sleep(deadline - now);
		} else if (delay > 0) await sleep(delay);
		let job: IDataObject;
		try {
			job = (await muviRead(
				ctx,
				{ method: 'GET', path: `/v1/jobs/${encodeURIComponent(plan.jobId)}` },
				`checking job ${plan.jobId}`,
				plan.itemIndex,
			)) as IDataObject;
		} catch (error) {
			const e = error as NodeApiError;
			// The job runs (and is paid for) whatever happens to one status read: a passing outage
			// (5xx, 429, network, garbled answer) is waited out until the Timeout; 4xx answers are final.
			const status = Number(e.httpCode);
			const passing = !Number.isFinite(status) || status === 0 || status >= 500 || status === 429;
			if (passing && Date.now() < deadline) continue;
			e.message = `Could not read the status of job ${plan.jobId}: ${e.message}`;
			e.description = `${e.description ?? ''} The job may still finish: pick it up later with Job → Wait for Completion and this job ID.`.trim();
			throw e;
		}
		if (FINAL_STATUSES.includes(String(job.status))) {
			jobFinished(plan.jobId);
			return job;
		}
		if (Date.now() >= deadline)
			throw new NodeApiError(
				ctx.getNode(),
				{ reason: 'timeout' },
				{
					message: `Job ${plan.jobId} is still ${String(job.status ?? 'running')} after ${Math.round(plan.timeoutMs / 1000)} seconds`,
					description: `It has not been cancelled and may still finish. Pick it up later with Job → Wait for Completion (job ID ${plan.jobId}), or raise the Timeout option.`,
					itemIndex: plan.itemIndex,
				},
			);
	}
}

type BinaryContext = IExecuteSingleFunctions | IExecuteFunctions | IWebhookFunctions;

/**
 * Streams an output file into n8n's binary store. Output URLs live on Muvi's CDN, so this is a
 * plain request without the API key.
 */
export async function downloadVideo(
	ctx: BinaryContext,
	url: string,
	jobId: string,
	itemIndex: number,
): Promise<IBinaryKeyData[string]> {
	let lastProblem = '';
	for (let attempt = 0; attempt < 3; attempt++) {
		if (attempt > 0) await sleep(1000 * 2 ** attempt);
		let res: IN8nHttpFullResponse;
		try {
			res = (await ctx.helpers.httpRequest({
				method: 'GET',
				url,
				encoding: 'stream',
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout: 600_000,
			})) as IN8nHttpFullResponse;
		} catch {
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

export interface FinishOptions {
	download?: boolean;
	binaryPropertyName?: string;
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
	const job = { ...summary, ...normalizeJob(finished) };
	if (summary.costMicroCents !== undefined) {
		job.costMicroCents = summary.costMicroCents;
		job.costUsd = summary.costUsd;
	}
	const status = String(job.status);
	if (status !== 'completed') {
		const err = (finished.error ?? {}) as IDataObject;
		const code = typeof err.code === 'string' ? err.code : status === 'cancelled' ? 'CANCELLED' : 'UNKNOWN';
		const apiMessage = typeof err.message === 'string' ? err.message : '';
		const message = `Muvi job ${String(job.jobId)} ${status === 'cancelled' ? 'was cancelled' : 'failed'} (${code}${apiMessage ? `: ${apiMessage}` : ''})`;
		const refund = 'Muvi refunds the credits of failed and cancelled jobs.';
		if ('continueOnFail' in ctx && ctx.continueOnFail()) {
			return {
				json: { ...job, error: `${message}. ${refund}`, errorCode: code, errorMessage: apiMessage },
				pairedItem: { item: itemIndex },
			};
		}
		throw new NodeApiError(ctx.getNode(), { reason: 'job-failed' }, { message, description: refund, itemIndex });
	}
	const item: INodeExecutionData = { json: job, pairedItem: { item: itemIndex } };
	if (options.download) {
		const url = job.videoUrl;
		if (typeof url !== 'string')
			throw new NodeApiError(
				ctx.getNode(),
				{ reason: 'no-output' },
				{ message: `Job ${String(job.jobId)} completed without an output URL`, description: 'Nothing to download.', itemIndex },
			);
		item.binary = { [options.binaryPropertyName || 'data']: await downloadVideo(ctx, url, String(job.jobId), itemIndex) };
	}
	return item;
}
