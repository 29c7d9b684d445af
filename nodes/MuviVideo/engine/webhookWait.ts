import type { IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../../muviClient/transport';
import { ExecutionStore } from './executionStore';
import type { JobPlan } from './jobRequest';

/**
 * Waiting for Muvi's signed webhook instead of polling (Wait Mode "Muvi Webhook"): each job is
 * submitted with the execution's resume URL, the execution is put to wait (it holds no concurrency
 * slot or worker meanwhile), and the node's webhook() (resume.ts) resumes it once every job of the
 * batch has finished. This file decides whether that is possible and keeps the batch for webhook().
 */

export type WaitMode = 'poll' | 'webhook' | 'auto';

const LOCAL_HOST =
	/^(localhost|.*\.localhost|.*\.local|.*\.internal|.*\.lan|.*\.home|127\.\d+\.\d+\.\d+|0\.0\.0\.0|10\.\d+\.\d+\.\d+|192\.168\.\d+\.\d+|172\.(1[6-9]|2\d|3[01])\.\d+\.\d+|169\.254\.\d+\.\d+|\[?::1\]?|\[?f[cd][0-9a-f]{2}:.*|\[?fe80:.*)$/i;

/** Whether Muvi (on the internet) could call this URL: https, a host name or public address. */
export function isPublicHttps(url: string): boolean {
	try {
		const u = new URL(url);
		if (u.protocol !== 'https:') return false;
		const host = u.hostname.toLowerCase();
		return host.includes('.') || host.includes(':') ? !LOCAL_HOST.test(host) : false;
	} catch {
		return false;
	}
}

/**
 * The URL that resumes this execution at this node: n8n's `$execution.resumeUrl` (with its
 * `signature` token, 2.x) and the node's ID as the path, which n8n matches to the webhook above.
 */
export function resumeUrlOf(ctx: IExecuteFunctions): string | undefined {
	let raw: unknown;
	try {
		raw = ctx.evaluateExpression('{{ $execution.resumeUrl }}', 0);
	} catch {
		return undefined;
	}
	if (typeof raw !== 'string' || raw === '') return undefined;
	try {
		const url = new URL(raw);
		url.pathname = `${url.pathname.replace(/\/+$/, '')}/${encodeURIComponent(ctx.getNode().id)}`;
		return url.toString();
	} catch {
		return undefined;
	}
}

export interface WaitChoice {
	mode: 'poll' | 'webhook';
	resumeUrl?: string;
	/** why Auto chose polling, for the log */
	reason?: string;
}

/**
 * Picks how to wait, before anything is sent. Explicit Muvi Webhook without an https resume URL, or
 * without a signing secret to check the calls with, fails here: nothing has been submitted.
 */
export async function chooseWaitMode(ctx: IExecuteFunctions, wanted: WaitMode, ownWebhookUrl: boolean): Promise<WaitChoice> {
	if (wanted === 'poll') return { mode: 'poll' };
	const node = ctx.getNode();
	const resumeUrl = resumeUrlOf(ctx);
	let secret = '';
	try {
		secret = String((await ctx.getCredentials(CREDENTIAL_TYPE)).webhookSecret ?? '');
	} catch {
		secret = '';
	}
	if (wanted === 'auto') {
		if (ownWebhookUrl) return { mode: 'poll', reason: 'the Webhook URL option is set' };
		if (!resumeUrl || !isPublicHttps(resumeUrl)) return { mode: 'poll', reason: "n8n's resume URL is not https on a public host" };
		if (!secret) return { mode: 'poll', reason: 'the credential has no Webhook Signing Secret' };
		return { mode: 'webhook', resumeUrl };
	}
	const fix = 'Nothing was sent to Muvi. Choose Wait Mode Poll (or Auto) instead.';
	if (!resumeUrl || !resumeUrl.startsWith('https://'))
		throw new NodeOperationError(node, 'Wait Mode "Muvi Webhook" needs n8n to be reachable over https', {
			description: `Muvi only calls https:// addresses, and this n8n's resume URL starts with "${(resumeUrl ?? '').split('/webhook-waiting')[0]}". Set WEBHOOK_URL to the public https address of this n8n. ${fix}`,
		});
	if (!secret)
		throw new NodeOperationError(node, 'Wait Mode "Muvi Webhook" needs the Webhook Signing Secret in the Muvi credential', {
			description: `Without it the node cannot tell Muvi's calls from forged ones. Copy it from the webhook settings in the Muvi dashboard. ${fix}`,
		});
	if (ownWebhookUrl)
		throw new NodeOperationError(node, 'Wait Mode "Muvi Webhook" uses the job\'s webhook itself: clear the Webhook URL option', {
			description: fix,
		});
	return { mode: 'webhook', resumeUrl };
}

/** One job of a batch that waits for webhooks, in item order. */
export interface WaitingJob {
	itemIndex: number;
	jobId: string;
	costMicroCents?: number;
	download: boolean;
	binaryPropertyName: string;
	/** Fallback Models: the job's place in the item's chain, and how many models the chain has */
	attempt?: number;
	chain?: number;
}

/** Where webhook() finds the batch: at most 3 custom-data keys per node (see ExecutionStore). */
const STORE_PREFIX = 'muvi_wait';
const STORE_PARTS = 3;
/** `item*jobId*cost*flags*binaryProperty`, then `*attempt/chain` for an item with Fallback Models */
const ENTRY = /^(\d+)\*([A-Za-z0-9_.:-]+)\*(\d*)\*(d?)\*([A-Za-z0-9_-]*)(?:\*(\d+)\/(\d+))?$/;

/** The custom-data key of part `part` of a node's batch. */
export const recordKey = (ctx: IExecuteFunctions | IWebhookFunctions, part: number) => batchStore(ctx).key(part);

const batchStore = (ctx: IExecuteFunctions | IWebhookFunctions, executionId?: string) =>
	new ExecutionStore(ctx, STORE_PREFIX, STORE_PARTS, { forWebhook: true, executionId });

/** The batch as store entries, one a job; undefined when a job ID or property name cannot be written so. */
export function batchEntries(jobs: WaitingJob[]): string[] | undefined {
	const entries: string[] = [];
	for (const j of jobs) {
		if (!/^[A-Za-z0-9_.:-]+$/.test(j.jobId) || !/^[A-Za-z0-9_-]*$/.test(j.binaryPropertyName)) return undefined;
		const chain = (j.chain ?? 1) > 1 ? `*${j.attempt ?? 0}/${j.chain}` : '';
		entries.push(`${j.itemIndex}*${j.jobId}*${j.costMicroCents ?? ''}*${j.download ? 'd' : ''}*${j.binaryPropertyName === 'data' ? '' : j.binaryPropertyName}${chain}`);
	}
	return entries;
}

export function jobsOfEntries(entries: string[]): WaitingJob[] {
	return entries.flatMap((entry) => {
		const m = ENTRY.exec(entry);
		if (!m) return [];
		const job: WaitingJob = { itemIndex: Number(m[1]), jobId: m[2], costMicroCents: m[3] === '' ? undefined : Number(m[3]), download: m[4] === 'd', binaryPropertyName: m[5] || 'data' };
		if (m[6] !== undefined) Object.assign(job, { attempt: Number(m[6]), chain: Number(m[7]) });
		return [job];
	});
}

/**
 * Saves the batch where webhook() reads it. False when it does not fit (n8n keeps 10 custom-data keys
 * an execution); then the caller polls (the jobs are paid and running, so waiting for them is safe).
 */
export function saveBatch(ctx: IExecuteFunctions, jobs: WaitingJob[]): boolean {
	const entries = batchEntries(jobs);
	return entries !== undefined && batchStore(ctx).save(entries);
}

/** The batch saved for this execution, or [] when there is none. */
export function loadBatch(ctx: IWebhookFunctions, executionId: string): WaitingJob[] {
	return jobsOfEntries(batchStore(ctx, executionId).load());
}

/**
 * Settles how Generate waits, before anything is sent: true for Muvi Webhook (each plan then carries
 * the resume URL as its webhook). Explicit Muvi Webhook fails here when not every item waits.
 */
export async function settleWaitMode(ctx: IExecuteFunctions, plans: Array<JobPlan | undefined>): Promise<boolean> {
	const waiting = plans.filter((p): p is JobPlan => p?.wait === true);
	if (waiting.length === 0) return false;
	const node = ctx.getNode();
	let wanted = String(ctx.getNodeParameter('waitMode', 0, 'poll')) as WaitMode;
	// n8n ends a webhook wait without running the node, so only Poll can cancel a job at the Timeout
	if (waiting.some((p) => p.onTimeout === 'cancelPending')) {
		if (wanted === 'webhook')
			throw new NodeOperationError(node, 'On Timeout "Cancel Pending Jobs" needs Wait Mode Poll', {
				description:
					'When the Timeout ends a Muvi Webhook wait, n8n continues the workflow without running this node, so nothing could cancel the jobs then. Nothing was sent to Muvi. Choose Wait Mode Poll (or Auto), or On Timeout: Keep Running.',
			});
		if (wanted === 'auto') wanted = 'poll';
	}
	// Fallback Models under Muvi Webhook: webhook() submits the next model when a job's failure is
	// delivered (webhookChain.ts). Auto polls such a batch: a polling node sees the whole chain in one
	// process, where webhook calls of a queue-mode instance may reach several
	if (wanted === 'auto' && waiting.some((p) => (p.fallbacks?.length ?? 0) > 0)) wanted = 'poll';
	const choice = await chooseWaitMode(ctx, wanted, waiting.some((p) => p.body.webhookUrl !== undefined));
	const wholeBatch = plans.every((p) => p?.wait === true);
	if (choice.mode === 'webhook' && !wholeBatch && wanted === 'webhook')
		throw new NodeOperationError(node, 'Wait Mode "Muvi Webhook" needs every item to wait for completion and to pass its checks', {
			description: 'Nothing was sent to Muvi. Fix the items above, or choose Wait Mode Poll.',
		});
	if (choice.mode === 'webhook' && wholeBatch) {
		for (const plan of waiting) for (const attempt of [plan, ...(plan.fallbacks ?? [])]) attempt.body.webhookUrl = choice.resumeUrl;
		return true;
	}
	if (wanted !== 'poll') ctx.logger.info(`Muvi Video: node "${node.name}" polls (${choice.reason ?? 'not every item waits'})`);
	return false;
}
