import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { normalizeJob } from '../../muviClient/jobs';
import { formatUsd } from '../../muviClient/money';
import { modelRefusal, muviCodeOf } from './fallback';
import type { JobPlan } from './jobRequest';
import { logSubmittedJob, possibleJobsOf } from './ledger';
import { attemptWithoutJob } from './outcome';
import { submitJob } from './submit';

/**
 * Fallback Models under Wait Mode "Muvi Webhook". The execution waits; when Muvi's signed call says an
 * item's job failed and its chain has another model, webhook() submits that model, with the same
 * resume address tagged with the item and the attempt (`muviItem`, `muviAttempt`), so the new job's own
 * call names its place even in a process that did not submit it. The batch resumes once every item's
 * chain has ended.
 *
 * What webhook() needs and cannot save (n8n keeps nothing a webhook call writes while the execution
 * waits):
 * - the next models' requests travel as `fallbackChain` on the items the node leaves as its input when
 *   it pauses (which n8n gives webhook(), and passes on at the Timeout);
 * - the jobs webhook() submitted live in this process's memory, and in the tag of their own calls.
 *   A call about another item that finds a failed job whose next model this process does not know
 *   gets 503: Muvi calls again (1 s … 256 s later), and the call that knows resumes.
 * Each failure call submits the next model once in a process (Muvi is answered first, so it has no
 * reason to send the call again).
 */

/**
 * The waiting item's field with its chain, as JSON text: the model waited for, the tries before it and
 * the next models' requests, ready to send. Text, because n8n 2.x evaluates expressions in an isolate
 * that hands nested objects back unreliably, and a string crosses whole.
 */
export const FALLBACK_CHAIN = 'fallbackChain';

const TAG_ITEM = 'muviItem';
const TAG_ATTEMPT = 'muviAttempt';
/** n8n 2.x's token in a resume address (n8n-core WAITING_TOKEN_QUERY_PARAM): not kept in the items, taken from Muvi's call */
const RESUME_TOKEN = 'signature';

/** A resume address without n8n's token, or with the one given. */
function withToken(url: string, token: string | undefined): string {
	try {
		const u = new URL(url);
		if (token) u.searchParams.set(RESUME_TOKEN, token);
		else u.searchParams.delete(RESUME_TOKEN);
		return u.toString();
	} catch {
		return url;
	}
}

/** One next model of an item's chain, as the waiting item carries it. */
export interface NextAttempt {
	model: string;
	/** the submit body (model, input with uploaded files' URLs, the resume address) */
	body: IDataObject;
	estimatedCostMicroCents?: number;
	/** how long its submit may wait for a free slot (the item's Timeout) */
	budgetMs: number;
}

/** An item's chain as the waiting execution keeps it. */
export interface WaitingChain {
	/** the model of the job the batch waits for */
	model?: string;
	/** the tries before that job (models Muvi refused before the pause) */
	tries: IDataObject[];
	next: NextAttempt[];
	/** Max Cost per Execution (null: none), and what the execution had spent, net, when it paused */
	limitMicroCents?: number | null;
	spentMicroCents?: number;
}

/** The item's chain as the waiting item carries it, the next models' files uploaded first. */
export async function carriedChain(model: unknown, tries: IDataObject[], plans: JobPlan[], upload: (plan: JobPlan) => Promise<void>): Promise<WaitingChain> {
	const next: NextAttempt[] = [];
	for (const plan of plans) {
		await upload(plan);
		// the items that carry the chain pass on at the Timeout: they hold the resume address without its token
		const body = typeof plan.body.webhookUrl === 'string' ? { ...plan.body, webhookUrl: withToken(plan.body.webhookUrl, undefined) } : plan.body;
		const attempt: NextAttempt = { model: String(plan.body.model ?? ''), body, budgetMs: plan.timeoutMs };
		if (plan.estimate !== undefined) attempt.estimatedCostMicroCents = plan.estimate;
		next.push(attempt);
	}
	const chain: WaitingChain = { tries, next };
	if (typeof model === 'string') chain.model = model;
	return chain;
}

/** The resume address for attempt `attempt` of item `itemIndex`. */
export function taggedUrl(url: string, itemIndex: number, attempt: number): string {
	try {
		const u = new URL(url);
		u.searchParams.set(TAG_ITEM, String(itemIndex));
		u.searchParams.set(TAG_ATTEMPT, String(attempt));
		return u.toString();
	} catch {
		return url;
	}
}

/** The item and attempt a call's address names, if any. */
export function tagOf(query: unknown): { itemIndex: number; attempt: number } | undefined {
	const q = (query && typeof query === 'object' ? query : {}) as IDataObject;
	const item = Number(q[TAG_ITEM]);
	const attempt = Number(q[TAG_ATTEMPT]);
	return Number.isInteger(item) && item >= 0 && Number.isInteger(attempt) && attempt > 0 ? { itemIndex: item, attempt } : undefined;
}

/** An attempt of an item's chain after the waiting batch's own job. */
export interface Step {
	attempt: number;
	/** the job, when Muvi created one */
	jobId?: string;
	costMicroCents?: number;
	model?: string;
	/** a try that made no job (Muvi refused the model), as `attempts` lists it */
	refused?: IDataObject;
}

/** What this process knows about the chains of one waiting node. */
export interface ChainMemory {
	steps: Map<number, Step[]>;
	/** items whose chain ended without a job to wait for: the try that ended it, why, and what it may have cost (a lost answer) */
	ended: Map<number, { attempt: IDataObject; error: string; mayHaveCostMicroCents?: number }>;
	/** failed jobs whose next model this process took on */
	claimed: Set<string>;
	/** what those failed jobs cost (refunded), and what the jobs this process submitted cost */
	refundedMicroCents: number;
	chargedMicroCents: number;
}

const memories = new Map<string, ChainMemory>();
const MEMORIES_MAX = 5000;

export function chainMemory(key: string): ChainMemory {
	let memory = memories.get(key);
	if (!memory) {
		memory = { steps: new Map(), ended: new Map(), claimed: new Set(), refundedMicroCents: 0, chargedMicroCents: 0 };
		memories.set(key, memory);
		if (memories.size > MEMORIES_MAX) memories.delete(memories.keys().next().value as string);
	}
	return memory;
}

/** Forgets every chain (for tests: a restart, or another process). */
export function forgetChains(): void {
	memories.clear();
}

/** The job of an item's chain that counts now: the last one submitted. */
export function currentJob(memory: ChainMemory, itemIndex: number, batchJobId: string, batchAttempt: number): { jobId: string; attempt: number } {
	const withJob = (memory.steps.get(itemIndex) ?? []).filter((s) => s.jobId !== undefined);
	const last = withJob.at(-1);
	return last ? { jobId: last.jobId as string, attempt: last.attempt } : { jobId: batchJobId, attempt: batchAttempt };
}

/** Remembers a job its call's tag places in an item's chain. */
export function learnStep(memory: ChainMemory, itemIndex: number, attempt: number, jobId: string): void {
	const steps = memory.steps.get(itemIndex) ?? [];
	if (steps.some((s) => s.jobId === jobId || s.attempt >= attempt)) return;
	steps.push({ attempt, jobId });
	memory.steps.set(itemIndex, steps);
}

/**
 * An item's chain from the waiting node's input, or undefined when it cannot be read. n8n gives
 * webhook() the items the node left as its input when it paused (what passes on at the Timeout, see
 * timedOut.ts); the node's own output of that run is already gone (2.x drops it before webhook()).
 */
export function readWaitingChain(ctx: IWebhookFunctions, itemIndex: number): WaitingChain | undefined {
	const name = ctx.getNode().name;
	try {
		const raw = ctx.evaluateExpression(`{{ $input.all()[${itemIndex}].json.${FALLBACK_CHAIN} }}`, 0);
		const chain = (typeof raw === 'string' ? JSON.parse(raw) : undefined) as WaitingChain | undefined;
		return chain && Array.isArray(chain.next) && Array.isArray(chain.tries) ? chain : undefined;
	} catch (error) {
		ctx.logger.warn(`Muvi Video: could not read the chain of item ${itemIndex + 1} of node "${name}" from the waiting execution: ${(error as Error).message}`);
		return undefined;
	}
}

/**
 * Submits the next model of an item whose job (attempt `failedAttempt`) failed: each model in turn
 * while Muvi refuses the model itself; the chain ends at any other error (never sent again after a
 * lost answer). True when a job was created, to be waited for.
 */
export async function submitNext(
	ctx: IWebhookFunctions,
	memory: ChainMemory,
	at: { executionId: string; itemIndex: number; failedAttempt: number; batchAttempt: number; chain: number },
	carried: WaitingChain | undefined,
): Promise<boolean> {
	const { itemIndex, failedAttempt, batchAttempt, chain } = at;
	const node = ctx.getNode();
	const left = carried?.next ?? [];
	const steps = memory.steps.get(itemIndex) ?? [];
	memory.steps.set(itemIndex, steps);
	for (let attempt = failedAttempt + 1; attempt < chain; attempt++) {
		const next = left[attempt - batchAttempt - 1];
		if (!next?.body || typeof next.body !== 'object') {
			memory.ended.set(itemIndex, {
				attempt: attemptWithoutJob(next?.model, 'not-submitted', null),
				error: 'The next model of its Fallback Models could not be read from the waiting execution; it was not sent.',
			});
			ctx.logger.warn(`Muvi Video: node "${node.name}" could not read the next model of item ${itemIndex + 1}; nothing was sent`);
			return false;
		}
		// Max Cost per Execution, as under Poll: the spend at the pause, less the failed jobs' refunds, plus the jobs sent since (as this process knows them)
		const limit = carried?.limitMicroCents;
		if (typeof limit === 'number') {
			const spent = (carried?.spentMicroCents ?? 0) - memory.refundedMicroCents + memory.chargedMicroCents;
			const after = spent + (next.estimatedCostMicroCents ?? 0);
			if (after > limit) {
				memory.ended.set(itemIndex, {
					attempt: attemptWithoutJob(next.model, 'not-submitted', null),
					error: `Fallback model "${next.model}" was not submitted: it would take this execution's Muvi spend from ${formatUsd(spent)} to ${formatUsd(after)}, above Max Cost per Execution ${formatUsd(limit)}.`,
				});
				ctx.logger.info(`Muvi Video: node "${node.name}" did not submit fallback model "${next.model}" for item ${itemIndex + 1}: above Max Cost per Execution`);
				return false;
			}
		}
		const body: IDataObject = { ...next.body };
		// the token n8n checked on this call (2.x), which the next model's calls need too
		const token = (ctx.getQueryData() as IDataObject)?.[RESUME_TOKEN];
		if (typeof body.webhookUrl === 'string') body.webhookUrl = taggedUrl(withToken(body.webhookUrl, typeof token === 'string' ? token : undefined), itemIndex, attempt);
		let answer: IDataObject;
		try {
			answer = normalizeJob(await submitJob(ctx, { body, itemIndex, budgetMs: Math.max(1000, Number(next.budgetMs) || 60_000) }));
		} catch (caught) {
			const error = caught as Error;
			const refusal = modelRefusal(error);
			if (refusal && attempt + 1 < chain) {
				steps.push({ attempt, model: next.model, refused: attemptWithoutJob(next.model, 'not-submitted', refusal) });
				continue;
			}
			const possible = possibleJobsOf(error);
			memory.ended.set(itemIndex, {
				attempt: attemptWithoutJob(next.model, possible ? 'unknown' : 'not-submitted', muviCodeOf(error) ?? null, next.estimatedCostMicroCents),
				...(possible ? { mayHaveCostMicroCents: next.estimatedCostMicroCents } : {}),
				error: possible
					? `Fallback model "${next.model}": the answer to its submit was lost, so a job may exist and be paid; it was not sent again${possible.length ? ` (jobs of that model created then: ${possible.slice(0, 10).join(', ')})` : ''}. ${error.message}`
					: `Fallback model "${next.model}" was not submitted: ${error.message}`,
			});
			ctx.logger.warn(`Muvi Video: node "${node.name}" could not submit fallback model "${next.model}" for item ${itemIndex + 1}: ${error.message}`);
			return false;
		}
		// the job exists and is paid: kept before anything else can go wrong
		const costMicroCents = typeof answer.costMicroCents === 'number' ? answer.costMicroCents : next.estimatedCostMicroCents;
		steps.push({ attempt, jobId: String(answer.jobId), costMicroCents, model: next.model });
		memory.chargedMicroCents += costMicroCents ?? 0;
		logSubmittedJob(ctx, at.executionId, { jobId: String(answer.jobId), itemIndex, costMicroCents }, `; fallback model ${attempt} "${next.model}" after a failed job, while the execution waits`);
		return true;
	}
	return false;
}
