import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { verifyWebhookSignature } from '../../MuviVideoTrigger/signature';
import { microCentsToUsd } from './cost';
import { attachOutputs } from './images';
import { failedJobItem, FINAL_STATUSES, jobAfterWait } from './output';
import { CREDENTIAL_TYPE } from './transport';
import { readJob } from './wait';

/**
 * Waiting for Muvi's signed webhook instead of polling: each job is submitted with the execution's
 * resume URL, the execution is put to wait (it holds no concurrency slot or worker meanwhile), and
 * the node's webhook() resumes it once every job of the batch has finished.
 */

export type WaitMode = 'poll' | 'webhook' | 'auto';

export const waitModeProperty = (show: NonNullable<NonNullable<INodeProperties['displayOptions']>['show']>): INodeProperties => ({
	displayName: 'Wait Mode',
	name: 'waitMode',
	type: 'options',
	noDataExpression: true,
	default: 'poll',
	options: [
		{
			name: 'Poll',
			value: 'poll',
			description: 'Ask Muvi for the status until the job is done; the execution keeps running meanwhile',
		},
		{
			name: 'Muvi Webhook',
			value: 'webhook',
			description:
				"Pause the execution until Muvi's signed webhook says every job is done; needs n8n on a public https address and the credential's Webhook Signing Secret",
		},
		{
			name: 'Auto',
			value: 'auto',
			description: 'Muvi Webhook when n8n has a public https address and the credential a Webhook Signing Secret, Poll otherwise',
		},
	],
	description:
		'How to wait. A paused execution holds no concurrency slot or worker. If the Timeout passes before every job is done, the node passes its input on unchanged: the job IDs are in the execution\'s custom data (muvi_wait_…) for Job → Wait for Completion.',
	displayOptions: { show },
});

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
}

/**
 * Where webhook() finds the batch: the execution's custom data (saved with the waiting execution),
 * as `item:jobId:cost:flags` entries. n8n keeps 10 keys an execution and cuts values silently, so
 * every value stays under 255 characters and is read back after writing.
 */
const RECORD_KEYS = 3;
const RECORD_VALUE_MAX = 255;
const ENTRY = /^(\d+)\*([A-Za-z0-9_.:-]+)\*(\d*)\*(d?)\*([A-Za-z0-9_-]*)$/;

export function recordKey(nodeName: string, part: number): string {
	const base = `muvi_wait_${nodeName.replace(/[^\p{L}\p{N}_]/gu, '_')}`.slice(0, 46);
	return part === 0 ? base : `${base}_${part + 1}`;
}

/** The batch as custom-data values, or undefined when it does not fit (the caller polls instead). */
export function encodeBatch(jobs: WaitingJob[]): string[] | undefined {
	const parts: string[] = [''];
	for (const j of jobs) {
		if (!/^[A-Za-z0-9_.:-]+$/.test(j.jobId) || !/^[A-Za-z0-9_-]*$/.test(j.binaryPropertyName)) return undefined;
		const entry = `${j.itemIndex}*${j.jobId}*${j.costMicroCents ?? ''}*${j.download ? 'd' : ''}*${j.binaryPropertyName === 'data' ? '' : j.binaryPropertyName}`;
		const last = parts[parts.length - 1];
		if ((last ? last.length + 1 : 0) + entry.length <= RECORD_VALUE_MAX) parts[parts.length - 1] = last ? `${last} ${entry}` : entry;
		else if (parts.length < RECORD_KEYS && entry.length <= RECORD_VALUE_MAX) parts.push(entry);
		else return undefined;
	}
	return parts;
}

export function decodeBatch(values: Array<string | undefined>): WaitingJob[] {
	const jobs: WaitingJob[] = [];
	for (const value of values) {
		if (typeof value !== 'string') continue;
		for (const entry of value.split(' ')) {
			const m = ENTRY.exec(entry);
			if (!m) continue;
			jobs.push({
				itemIndex: Number(m[1]),
				jobId: m[2],
				costMicroCents: m[3] === '' ? undefined : Number(m[3]),
				download: m[4] === 'd',
				binaryPropertyName: m[5] || 'data',
			});
		}
	}
	return jobs;
}

type CustomData = { set(key: string, value: string): void; get(key: string): unknown };

function customDataOf(ctx: IExecuteFunctions | IWebhookFunctions): CustomData | undefined {
	try {
		const data = (ctx as { customData?: CustomData }).customData;
		return data && typeof data.set === 'function' && typeof data.get === 'function' ? data : undefined;
	} catch {
		return undefined;
	}
}

/** Execution-keyed node static data: where n8n 1.x (no custom data in webhook()) finds the batch. */
const STATIC_KEY = 'muviWaiting';
const STATIC_MAX = 50;

function staticBatches(ctx: IExecuteFunctions | IWebhookFunctions): IDataObject | undefined {
	try {
		const data = ctx.getWorkflowStaticData('node');
		if (!data[STATIC_KEY] || typeof data[STATIC_KEY] !== 'object') data[STATIC_KEY] = {};
		return data[STATIC_KEY] as IDataObject;
	} catch {
		return undefined;
	}
}

/**
 * Saves the batch where webhook() reads it: the execution's custom data (n8n 2.x), or where a node
 * gets none (n8n 1.x) its static data under the execution's ID. False when it fits
 * in neither; then the caller polls (the jobs are paid and running, so waiting for them is safe).
 */
export function saveBatch(ctx: IExecuteFunctions, jobs: WaitingJob[]): boolean {
	const values = encodeBatch(jobs);
	if (!values) return false;
	const name = ctx.getNode().name;
	let saved = false;
	const data = customDataOf(ctx);
	if (data) {
		try {
			values.forEach((value, i) => data.set(recordKey(name, i), value));
			for (let i = values.length; i < RECORD_KEYS; i++) if (data.get(recordKey(name, i)) !== undefined) data.set(recordKey(name, i), '');
			saved = values.every((value, i) => data.get(recordKey(name, i)) === value);
		} catch {
			// custom data full or refused
		}
	}
	const batches = data ? undefined : staticBatches(ctx);
	let executionId = '';
	try {
		executionId = String(ctx.getExecutionId() ?? '');
	} catch {
		executionId = '';
	}
	if (!data && batches && executionId) {
		batches[executionId] = values.join(' ');
		const keys = Object.keys(batches);
		for (const old of keys.slice(0, Math.max(0, keys.length - STATIC_MAX))) delete batches[old];
		saved = true;
	}
	return saved;
}

/** The batch saved for this execution, or [] when there is none. */
export function loadBatch(ctx: IWebhookFunctions, executionId: string): WaitingJob[] {
	const data = customDataOf(ctx);
	if (data) {
		const name = ctx.getNode().name;
		const values: Array<string | undefined> = [];
		for (let i = 0; i < RECORD_KEYS; i++) {
			const v = data.get(recordKey(name, i));
			values.push(typeof v === 'string' ? v : undefined);
		}
		const jobs = decodeBatch(values);
		if (jobs.length > 0) return jobs;
	}
	const saved = staticBatches(ctx)?.[executionId];
	return typeof saved === 'string' ? decodeBatch([saved]) : [];
}

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

const turns = new Map<string, Promise<unknown>>();

/** Runs `work` after the previous work for the same key has ended. */
async function inTurn<T>(key: string, work: () => Promise<T>): Promise<T> {
	const previous = turns.get(key) ?? Promise.resolve();
	const mine = previous.then(work, work);
	turns.set(key, mine.catch(() => undefined));
	if (turns.size > RESUMING_MAX) turns.delete(turns.keys().next().value as string);
	return await mine;
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
	const items: INodeExecutionData[] = [];
	for (const job of batch) {
		const summary: IDataObject = { jobId: job.jobId };
		if (job.costMicroCents !== undefined) {
			summary.costUsd = microCentsToUsd(job.costMicroCents);
			summary.costMicroCents = job.costMicroCents;
		}
		const result = jobAfterWait(summary, finished.get(job.jobId) ?? {});
		if (result.status !== 'completed') {
			items.push(failedJobItem(result, job.itemIndex));
			continue;
		}
		const item: INodeExecutionData = { json: result, pairedItem: { item: job.itemIndex } };
		if (!job.download) {
			items.push(item);
			continue;
		}
		try {
			// the video, or every image of an image job (data, data_1 …)
			items.push(await attachOutputs(this, item, job.binaryPropertyName, job.itemIndex));
		} catch (caught) {
			const error = caught as Error & { description?: unknown };
			this.logger.warn(`Muvi Video: could not download the video of job ${job.jobId} (node "${node.name}"): ${error.message}`);
			const json: IDataObject = { ...result, error: `Could not download the video of job ${job.jobId}: ${error.message}` };
			if (typeof error.description === 'string' && error.description) json.errorDescription = error.description;
			items.push({ json, pairedItem: { item: job.itemIndex } });
		}
	}
	this.logger.info(`Muvi Video: all ${batch.length} job(s) of node "${node.name}" finished; resuming execution ${executionId}`);
	return { noWebhookResponse: true, workflowData: [items] };
}
