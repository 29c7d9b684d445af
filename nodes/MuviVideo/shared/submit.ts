import type { IDataObject } from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';
import { createHash } from 'node:crypto';

import { muviApiError } from './errors';
import { pause, StoppedError } from './pause';
import {
	CREDENTIAL_TYPE,
	errorInfo,
	networkError,
	redirectError,
	retryAfterSeconds,
	sendOnce,
	unwrap,
	type MuviContext,
	type RawAnswer,
} from './transport';

/** Job IDs this n8n process received from submits (bounded), so the job list can show the others. */
const knownJobIds = new Set<string>();
const KNOWN_JOB_IDS_MAX = 10_000;

function rememberJobId(jobId: string): void {
	knownJobIds.add(jobId);
	if (knownJobIds.size > KNOWN_JOB_IDS_MAX) knownJobIds.delete(knownJobIds.values().next().value as string);
}

/** How far Muvi's clock may be from ours when matching a job's createdAt to a submit. */
const CLOCK_SLACK_MS = 30_000;

/**
 * A submit whose outcome is unknown (the body may have reached Muvi): the jobs it may have created,
 * from Muvi's job list. Read by the batch so its error can list them with the item.
 */
const possibleJobs = new WeakMap<Error, string[]>();

export function possibleJobsOf(error: unknown): string[] | undefined {
	return error instanceof Error ? possibleJobs.get(error) : undefined;
}

/**
 * After a submit whose answer was lost: the jobs of this model Muvi created since the submit began that
 * this process does not know (muvi-api.md §7). Asked twice (a new job can take a few seconds to show);
 * `undefined` when the list could not be read.
 */
async function candidateJobs(ctx: MuviContext, model: string, since: number, signal?: AbortSignal): Promise<string[] | undefined> {
	let found: string[] | undefined;
	// after a Stop one quick look is all there is time for
	for (const waitMs of signal?.aborted ? [500] : [1000, 3000]) {
		if (signal?.aborted) await sleep(waitMs);
		else await pause(waitMs, signal);
		const answer = await sendOnce(ctx, { method: 'GET', path: '/v1/jobs', qs: { limit: 100, modelId: model }, timeout: 30_000, survivesStop: true });
		if (answer.network || answer.malformed || answer.status < 200 || answer.status >= 300) continue;
		const page = unwrap(answer.body) as IDataObject;
		if (!Array.isArray(page.jobs)) continue;
		found = (page.jobs as IDataObject[])
			.filter((j) => {
				const created = Date.parse(String(j.createdAt ?? ''));
				return (!Number.isFinite(created) || created >= since - CLOCK_SLACK_MS) && (j.model === undefined || j.model === model);
			})
			.map((j) => String(j.jobId))
			.filter((id) => !knownJobIds.has(id));
		if (found.length > 0) break;
	}
	return found;
}

/** A submit that may or may not have created (and charged) a job: it is never sent again. */
function unknownOutcomeError(ctx: MuviContext, what: string, itemIndex: number, candidates?: string[]): NodeApiError {
	const seen = candidates?.length
		? ` Muvi's job list shows ${candidates.length === 1 ? 'a job' : 'jobs'} of this model created at that moment: ${candidates.slice(0, 5).join(', ')}.`
		: candidates
			? " Muvi's job list showed no new job of this model yet; it may still appear."
			: " Muvi's job list could not be read.";
	const error = new NodeApiError(
		ctx.getNode(),
		{ reason: 'unknown-outcome' },
		{
			message: `The video job may have been created, but Muvi's answer was lost (${what})`,
			description: `To avoid paying twice, the node did not send the job again.${seen} Check your recent jobs (Muvi dashboard, or this node: Job → Get Many) before running this item again; pick a job up with Job → Wait for Completion.`,
			itemIndex,
		},
	);
	possibleJobs.set(error, candidates ?? []);
	return error;
}

/**
 * Paces the submits of one Muvi account once its plan's concurrent-job limit is reached (429
 * CONCURRENT_JOBS_EXCEEDED). Without the gate every refused item would retry after `retryAfter` at the
 * same moment, and all but a few would be refused again. Once a 429 is seen, waiting submits queue
 * here in item order and one at a time asks Muvi: as soon as one of this process's jobs is seen
 * finished (its slot is free), or `retryAfter` after the last 429 when none is. Each success lets the
 * next one go at once; a 429 stops the run. Only `sleep` is used, in slices of at most a second.
 */
class SubmitGate {
	private queue: Array<{
		order: number;
		deadline: number;
		signal?: AbortSignal;
		resolve: (turn: 'probe' | 'timeout' | 'stopped') => void;
	}> = [];
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
	async enter(order: number, deadline: number, signal?: AbortSignal): Promise<'free' | 'probe' | 'timeout' | 'stopped'> {
		if (!this.limited) return 'free';
		return await new Promise((resolve) => {
			const at = this.queue.findIndex((e) => e.order > order);
			this.queue.splice(at < 0 ? this.queue.length : at, 0, { order, deadline, signal, resolve });
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

	/** Releases the next submit `retryAfter` after the last 429 and gives up on waiters past their deadline or stopped. */
	private async tick(): Promise<void> {
		if (this.ticking) return;
		this.ticking = true;
		try {
			while (this.limited && !this.probing && this.queue.length > 0) {
				const now = Date.now();
				for (const gone of this.queue.filter((e) => e.deadline <= now || e.signal?.aborted)) {
					this.queue.splice(this.queue.indexOf(gone), 1);
					gone.resolve(gone.signal?.aborted ? 'stopped' : 'timeout');
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

/** Muvi said in so many words that no job was created and a retry may succeed (muvi-api.md §3). */
function refusedForNow(answer: RawAnswer, code: string | undefined): 'limit' | 'busy' | undefined {
	if (answer.malformed || answer.redirectedTo !== undefined) return undefined;
	// a 429 is refused before anything is queued, whatever the body says
	if (answer.status === 429 && (!code || code === 'CONCURRENT_JOBS_EXCEEDED')) return 'limit';
	// a 503 only counts with Muvi's own error code: a proxy's 503 page may come after the job was created
	if (answer.status === 503 && code === 'PUBSUB_PUBLISH_FAILED') return 'busy';
	return undefined;
}

export interface SubmitRequest {
	body: IDataObject;
	itemIndex: number;
	/** the item's Timeout: how long a submit may wait for a free slot */
	budgetMs: number;
	/** n8n's Stop: no submit goes out after it */
	signal?: AbortSignal;
}

/**
 * Submits one job, the one call that costs money. Sends it again only when Muvi said no job was
 * created: 429 CONCURRENT_JOBS_EXCEEDED (paced by the submit gate), a JSON 503 PUBSUB_PUBLISH_FAILED
 * (exponential backoff), or a connection that never opened. Once the body may have reached Muvi (a
 * cut connection, a timeout, any other 5xx, an answer that cannot be read) it is never sent again:
 * the error says a job may exist and names the candidates from Muvi's job list.
 */
export async function submitJob(ctx: MuviContext, request: SubmitRequest): Promise<IDataObject> {
	const { body, itemIndex, budgetMs, signal } = request;
	const deadline = Date.now() + budgetMs;
	const order = ++submitOrder;
	const gate = await submitGateFor(ctx);
	const model = String(body.model ?? '');
	let busyRetries = 0;
	let connectRetries = 0;
	let limitInfo: ReturnType<typeof errorInfo> | undefined;
	for (;;) {
		const turn = await gate.enter(order, deadline, signal);
		if (turn === 'stopped') throw new StoppedError();
		if (turn === 'timeout') throw muviApiError(ctx.getNode(), limitInfo ?? { status: 429, code: 'CONCURRENT_JOBS_EXCEEDED' }, itemIndex);
		if (signal?.aborted) {
			gate.leave(turn, 'other');
			throw new StoppedError();
		}
		const sentAt = Date.now();
		let answer: RawAnswer | undefined;
		try {
			// no abort signal on the submit itself: once sent, its answer is worth more than a prompt stop
			answer = await sendOnce(ctx, {
				method: 'POST',
				path: '/v1/jobs/submit',
				body,
				timeout: Math.max(1000, Math.min(60_000, budgetMs)),
				survivesStop: true,
			});
		} finally {
			// sendOnce reports failures rather than throwing; if it throws anyway, the queue must not wait for this submit
			if (answer === undefined) gate.leave(turn, 'other');
		}
		const info = errorInfo(answer.status, answer.body);
		const refused = refusedForNow(answer, info.code);
		const limitWaitMs = refused === 'limit' ? retryAfterSeconds(answer, 30) * 1000 : 0;
		// wait for a free slot only while even the wait Muvi asked for fits in the Timeout
		const waitForSlot = refused === 'limit' && Date.now() + limitWaitMs <= deadline;
		const accepted = answer.status >= 200 && answer.status < 300 && !answer.malformed;
		gate.leave(turn, waitForSlot ? 'limit' : accepted ? 'accepted' : 'other', limitWaitMs);

		if (answer.network?.notSent) {
			if (answer.network.blocked || connectRetries++ >= 3) throw networkError(ctx, answer.network, 'submitting the job', itemIndex);
			await pause(1000 * 2 ** connectRetries, signal);
			continue;
		}
		if (accepted) {
			const data = unwrap(answer.body) as IDataObject;
			if (typeof data.jobId === 'string' && data.jobId !== '') {
				rememberJobId(data.jobId);
				gateOfJob.set(data.jobId, gate);
				if (gateOfJob.size > KNOWN_JOB_IDS_MAX) gateOfJob.delete(gateOfJob.keys().next().value as string);
				return data;
			}
		}
		if (refused === 'limit') {
			limitInfo = info;
			if (waitForSlot) continue;
			throw muviApiError(ctx.getNode(), info, itemIndex);
		}
		if (refused === 'busy' && busyRetries < 5) {
			const waitMs = Math.min(1000 * 2 ** busyRetries, 60_000);
			busyRetries++;
			if (Date.now() + waitMs <= deadline) {
				await pause(waitMs, signal);
				continue;
			}
		}
		if (refused) throw muviApiError(ctx.getNode(), info, itemIndex);
		if (answer.redirectedTo !== undefined) throw redirectError(ctx, answer, 'submitting the job', itemIndex);
		// Muvi refused the job in so many words (4xx): nothing was created
		if (answer.status >= 400 && answer.status < 500 && !answer.malformed && info.code) throw muviApiError(ctx.getNode(), info, itemIndex);
		const lost = answer.network
			? answer.network.timedOut
				? 'no answer in time'
				: 'the connection was cut'
			: answer.status >= 200 && answer.status < 300
				? answer.malformed
					? 'the answer could not be read'
					: 'the answer had no job ID'
				: info.code && !answer.malformed
					? `HTTP ${answer.status} ${info.code}`
					: `HTTP ${answer.status} without a Muvi error code`;
		throw unknownOutcomeError(ctx, lost, itemIndex, await candidateJobs(ctx, model, sentAt, signal).catch(() => undefined));
	}
}
