import type { IDataObject } from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import { muviApiError } from '../../muviClient/errors';
import { pause, StoppedError } from '../../muviClient/stop';
import {
	errorInfo,
	networkError,
	redirectError,
	retryAfterSeconds,
	sendOnce,
	unwrap,
	type MuviContext,
	type RawAnswer,
} from '../../muviClient/transport';
import { notePossibleJobs } from './ledger';
import { submitGateFor, submittedThrough } from './submitGate';

/** Job IDs this n8n process received from submits (bounded), so the job list can show the others. */
const knownJobIds = new Set<string>();
const KNOWN_JOB_IDS_MAX = 10_000;
/** Submits in the order they were asked for, across the runs of this process (the gate releases them so). */
let submitOrder = 0;

function rememberJobId(jobId: string): void {
	knownJobIds.add(jobId);
	if (knownJobIds.size > KNOWN_JOB_IDS_MAX) knownJobIds.delete(knownJobIds.values().next().value as string);
}

/** How far Muvi's clock may be from ours when matching a job's createdAt to a submit. */
const CLOCK_SLACK_MS = 30_000;

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
	notePossibleJobs(error, candidates ?? []);
	return error;
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
				submittedThrough(gate, data.jobId);
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
