import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { inTurn } from '../../muviClient/inTurn';
import { FINAL_STATUSES, normalizeJob } from '../../muviClient/jobs';
import { microCentsToUsd } from '../../muviClient/money';
import { throwIfStopped } from '../../muviClient/stop';
import { getBaseUrl } from '../../muviClient/transport';
import { checkExecutionSpend, checkTotal, needsPrices, readRunLimits } from './budget';
import { finishedJobItem, jobAfterWait } from './finishedJob';
import { ItemLoop, NotActedOn } from './itemLoop';
import { planJob, type JobPlan } from './jobRequest';
import { DurableLedger, type ItemKey } from './durableLedger';
import { modelRefusal, planFallbacks } from './fallback';
import { describeJobs, inputFingerprint, JobLedger, possibleJobsOf, UNKNOWN_JOB, type JobRecord } from './ledger';
import { attemptOf, attemptWithoutJob, withMoney } from './outcome';
import { pollUntilFinished } from './poll';
import { ExecutionSpend } from './spend';
import { submitJob } from './submit';
import { cancelAtTimeout, passThroughOnTimeout, stillRunningItem } from './timedOut';
import { uploadChecked } from './upload';
import { carriedChain, FALLBACK_CHAIN, type WaitingChain } from './webhookChain';
import { saveBatch, settleWaitMode } from './webhookWait';

/** Said by the items that pass on when the Timeout ends a Muvi Webhook wait. */
const webhookTimedOut = (jobId: string, timeoutMs: number) =>
	`Muvi's webhook did not report job ${jobId} finished within the Timeout (${Math.round(timeoutMs / 1000)} seconds; n8n checks waiting executions about once a minute, so this can come up to a minute late): it is paid and may still be rendering.`;

/** Added to an item with Fallback Models that the Timeout passes on. */
const webhookChainNote =
	' If it failed, the next model of Fallback Models may have been submitted meanwhile: its job is in n8n\'s log and in Muvi\'s job list (Job → Get Many).';

/** Items `finish` gives back for a failed job whose item has another model to try. */
const failedForFallback = new WeakSet<INodeExecutionData>();

/** Each run's submits queue under their own key: one at a time, in item order. */
let generateRuns = 0;

/**
 * Generate (video and image) on the item loop, so the whole batch is in one place:
 * 1. every item is checked (fields, files, cost limit, switches) and the wait mode settled before
 *    anything is sent;
 * 2. items are submitted one after the other, each only once: a job this run already submitted for
 *    the same input (n8n's Retry On Fail, the editor's Retry) is attached to, not paid again; a
 *    failure without Continue On Fail stops further submits;
 * 3. the jobs are waited for side by side (Poll), or the execution waits for Muvi's webhooks.
 * When the node fails after paying, its error lists every job of the run. A Stop ends it at once.
 */
export async function generateJobs(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const node = this.getNode();
	const limits = readRunLimits(this);
	const loop = await ItemLoop.check(
		this,
		async (i) => {
			const plan = await planJob(this, i, needsPrices(limits));
			const fallbacks = await planFallbacks(this, i, plan, needsPrices(limits));
			if (fallbacks.length > 0) plan.fallbacks = fallbacks;
			return plan;
		},
		{ money: true },
	);
	checkTotal(this, loop, limits);
	const webhookMode = await settleWaitMode(this, loop.plans);
	const { signal } = loop;
	const ledger = JobLedger.open(this);
	const spend = ExecutionSpend.of(this);
	const account = await getBaseUrl(this);
	const submitQueue = `muvi-generate-${++generateRuns}`;
	const durable = DurableLedger.open(this);
	/** what an item asks for: the same input on the same account is the same job */
	const keyOf = (plan: JobPlan): ItemKey => ({
		itemIndex: plan.itemIndex,
		runIndex: ledger.runIndex,
		model: String(plan.body.model ?? ''),
		fingerprint: inputFingerprint(account, {
			...plan.body,
			files: plan.checkedFiles.map(({ field, files }) => [field.apiName, files.map((f) => [f.fileName, f.size, f.mimeType])]),
		}),
	});
	const keys = loop.plans.map((plan) => (plan ? keyOf(plan) : undefined));
	// an editor Retry attaches every item; any run attaches the items that ask for it (Attach to Earlier Jobs)
	const retry = this.getMode() === 'retry';
	const attaching = keys.filter((key, i) => key !== undefined && (retry || loop.plans[i]?.attachToEarlierJobs));
	if (attaching.length > 0) await recoverEarlierJobs(this, ledger, durable, attaching, signal);
	const jobOf = (i: number) => {
		const record = ledger.jobOf(i);
		return record ? { ...record, estimateMicroCents: loop.plans[i]?.estimate } : undefined;
	};

	/** each binary file's URL once uploaded: a fallback model of the item gets the same file without a second upload */
	const uploaded = new Map<object, string>();
	/** Uploads the plan's binary files and puts their URLs in its input. */
	const uploadFilesOf = async (plan: JobPlan) => {
		const input = plan.body.input as IDataObject;
		for (const { field, files, place } of plan.checkedFiles) {
			const urls: string[] = [];
			for (const file of files) {
				const url = uploaded.get(file.binary) ?? (await uploadChecked(this, file, plan.itemIndex, signal)).fileUrl;
				uploaded.set(file.binary, url);
				urls.push(url);
			}
			if (place) place(input, urls);
			else input[field.apiName] = field.kind === 'urlList' ? urls : urls[0];
		}
	};
	/** Muvi Webhook: where each item's running job stands in its chain (webhook() submits the next models) */
	const chainAt = new Map<number, { attempt: number; chain: number; carried: WaitingChain }>();

	/** Submits the item, or attaches it to the job an earlier try of this run submitted for the same input. */
	const submitOnce = async (plan: JobPlan, key: ItemKey): Promise<{ record: JobRecord; attached: boolean }> => {
		const i = plan.itemIndex;
		const { fingerprint } = key;
		const earlier = ledger.find(i, fingerprint);
		if (earlier?.jobId === UNKNOWN_JOB) throw mayExistAlready(i, earlier.candidates);
		// a job found again by its ID alone (custom data, the processed-data table) is named with its model
		if (earlier) return { record: earlier.summary.model === undefined ? { ...earlier, summary: { ...earlier.summary, model: plan.body.model } } : earlier, attached: true };
		if (loop.failed) throw new NotActedOn();
		throwIfStopped(signal);
		// before the uploads: an item the execution cannot afford sends nothing at all
		checkExecutionSpend(this, plan, limits, spend);
		await uploadFilesOf(plan);
		throwIfStopped(signal);
		if (loop.failed) throw new NotActedOn();
		// written ahead to n8n's database: from here a Retry of this execution never sends the item blind
		const markedAhead = await durable.beforeSubmit(key);
		const submittedAt = Date.now();
		let answer: IDataObject;
		try {
			answer = await submitJob(this, { body: plan.body, itemIndex: i, budgetMs: Math.max(1000, plan.timeoutMs), signal });
		} catch (caught) {
			// a lost answer may have created (and charged) a job: it counts as charged, at its estimate
			const error = caught as Error;
			if (possibleJobsOf(error)) spend.charge(plan.estimate);
			// Muvi said no job was created: a Retry may send the item
			else if (markedAhead) await durable.notSubmitted(key);
			throw error;
		}
		const summary = normalizeJob({ ...answer, model: answer.model ?? plan.body.model, status: answer.status ?? 'pending' });
		if (plan.estimate !== undefined) {
			summary.estimatedCostUsd = microCentsToUsd(plan.estimate);
			summary.estimatedCostMicroCents = plan.estimate;
		}
		const record: JobRecord = {
			itemIndex: i,
			jobId: String(summary.jobId),
			fingerprint,
			status: String(summary.status),
			costMicroCents: typeof summary.costMicroCents === 'number' ? summary.costMicroCents : undefined,
			submittedAt,
			summary,
		};
		ledger.record(record);
		await durable.submitted(key, record.jobId);
		spend.charge(record.costMicroCents ?? plan.estimate);
		return { record, attached: false };
	};

	/** An earlier try lost the answer to this item's submit: sending it again could pay twice. */
	const mayExistAlready = (itemIndex: number, candidates: string[] = []) =>
		new NodeOperationError(node, `Item ${itemIndex + 1}: an earlier try's submit may have created a job; not sent again`, {
			itemIndex,
			description: `The answer to that submit was lost, so a job may exist and be paid.${
				candidates.length ? ` Jobs of this model in Muvi's job list that no item of this node claims, created at that time: ${candidates.slice(0, 10).join(', ')}.` : ''
			} Check your recent jobs (Muvi dashboard, or this node: Job → Get Many); to submit the item anyway, run the workflow again (a new execution).`,
		});

	/**
	 * Polls one submitted job until it is done: the item of the finished job, with its files. When the
	 * Timeout passes first, the job is paid and still rendering: its item says so (or, with On Timeout
	 * "Cancel Pending Jobs", a job Muvi has not started is cancelled and refunded), whatever the error setting.
	 */
	const finish = async (plan: JobPlan, record: JobRecord, attached: boolean, fallbackLeft = false): Promise<INodeExecutionData> => {
		const i = plan.itemIndex;
		const last = await pollUntilFinished(this, {
			jobId: record.jobId,
			submittedAt: record.submittedAt,
			estimatedCompletionTime: attached ? undefined : record.summary.estimatedCompletionTime,
			timeoutMs: plan.timeoutMs,
			deadlineAt: attached ? Date.now() + plan.timeoutMs : undefined,
			itemIndex: i,
			signal,
			returnWhenDue: true,
		});
		const job = jobAfterWait(record.summary, last);
		ledger.update(i, { status: String(job.status), ...(typeof job.costMicroCents === 'number' ? { costMicroCents: job.costMicroCents } : {}) });
		if (!FINAL_STATUSES.includes(String(job.status))) {
			const item = plan.onTimeout === 'cancelPending' ? await cancelAtTimeout(this, job, i, plan.timeoutMs) : stillRunningItem(job, i, plan.timeoutMs);
			if (item.json.outcome === 'cancelled') {
				ledger.update(i, { status: 'cancelled' });
				spend.refund(typeof job.costMicroCents === 'number' ? job.costMicroCents : undefined);
			}
			return item;
		}
		// an attached job (a retry) was counted by the try that submitted it, refund included once it
		// finished there: counting it again would understate the spend, so a retry counts no refund
		if (job.status !== 'completed' && !attached) spend.refund(typeof job.costMicroCents === 'number' ? job.costMicroCents : undefined);
		// failed (and refunded): the next model of the item's chain is tried
		if (job.status === 'failed' && fallbackLeft) {
			const failed = { json: withMoney(job, 'failed') };
			failedForFallback.add(failed);
			return failed;
		}
		const download = plan.download && !loop.failed;
		return await finishedJobItem(this, job, { download, binaryPropertyName: plan.binaryPropertyName, failedAsItem: loop.continueOnFail, signal }, i);
	};

	/**
	 * Runs an item's chain: its model, then each of Fallback Models after a failed job or a refused model.
	 * `pause` (Muvi Webhook): returns once a job is submitted, its chain kept for webhook(). `from`: goes on
	 * from a job already submitted (a paused batch that is polled after all).
	 */
	const runChain = async (
		plan: JobPlan,
		i: number,
		pause: boolean,
		from?: { a: number; submitted: { record: JobRecord; attached: boolean }; tries: IDataObject[] },
	): Promise<INodeExecutionData> => {
		const chain = [plan, ...(plan.fallbacks ?? [])];
		const attempts: IDataObject[] = from ? [...from.tries] : [];
		/** the item of the last attempt, with every attempt when the item has Fallback Models */
		const withAttempts = (item: INodeExecutionData): INodeExecutionData =>
			chain.length > 1 ? { ...item, json: { ...item.json, attempts: [...attempts, attemptOf(item.json)] } } : item;
		for (let a = from?.a ?? 0; a < chain.length; a++) {
			const attempt = chain[a];
			const key = a === 0 ? (keys[i] as ItemKey) : keyOf(attempt);
			const fallbackLeft = a + 1 < chain.length;
			// a Retry (or Attach to Earlier Jobs) looks for each model's earlier job of the item too
			if (a > 0 && (retry || attempt.attachToEarlierJobs) && !ledger.find(i, key.fingerprint)) await recoverEarlierJobs(this, ledger, durable, [key], signal);
			let submitted: { record: JobRecord; attached: boolean };
			if (from && a === from.a) submitted = from.submitted;
			else
				try {
					// submits go out one at a time, in item order; waiting happens side by side
					submitted = await inTurn(submitQueue, async () => {
						try {
							return await submitOnce(attempt, key);
						} catch (caught) {
							// a failed submit (without Continue On Fail) stops the submits after it before they are sent,
							// unless Muvi refused the model itself and the item has another model to try
							const error = caught as Error;
							if (!(fallbackLeft && modelRefusal(error))) loop.fail(error);
							throw error;
						}
					});
				} catch (caught) {
					const error = caught as Error;
					const possible = possibleJobsOf(error);
					if (possible) ledger.notePossibleJob(i, key.fingerprint, possible);
					const refusal = modelRefusal(error);
					if (fallbackLeft && refusal) {
						attempts.push(attemptWithoutJob(attempt.body.model, 'not-submitted', refusal));
						continue;
					}
					if (chain.length > 1 && error instanceof Error) notePrevious(error, attempts);
					throw error;
				}
			const { record, attached } = submitted;
			if (pause && attempt.wait) {
				// the chain travels with the waiting execution, the next models ready to send: webhook() submits them when a job fails
				if (chain.length > 1)
					chainAt.set(i, { attempt: a, chain: chain.length, carried: await carriedChain(record.summary.model, [...attempts], chain.slice(a + 1), uploadFilesOf) });
				return withAttempts({ json: withMoney(record.summary, 'running'), pairedItem: { item: i } });
			}
			if (!attempt.wait) return withAttempts({ json: withMoney(record.summary, 'running'), pairedItem: { item: i } });
			const done = await finish(attempt, record, attached, fallbackLeft);
			if (failedForFallback.has(done)) {
				attempts.push(attemptOf(done.json));
				continue;
			}
			return withAttempts(done);
		}
		throw new NodeOperationError(node, `Item ${i + 1}: no model of its chain made it`, { itemIndex: i });
	};

	await loop.act(async (plan, i) => await runChain(plan, i, webhookMode), { order: 'parallel', jobOf });

	if (webhookMode && loop.failures.length === 0 && !loop.stopped) {
		const submitted = loop.plans.map((p) => (p ? ledger.jobOf(p.itemIndex) : undefined));
		const allSubmitted = submitted.every((r, i) => r !== undefined && loop.results[i][0]?.json.error === undefined);
		const batch = allSubmitted
			? (submitted as JobRecord[]).map((r, i) => {
					const plan = loop.plans[i] as JobPlan;
					return { itemIndex: r.itemIndex, jobId: r.jobId, costMicroCents: r.costMicroCents, download: plan.download, binaryPropertyName: plan.binaryPropertyName, attempt: chainAt.get(i)?.attempt, chain: chainAt.get(i)?.chain };
				})
			: [];
		const timeoutMs = Math.max(...loop.plans.map((p) => (p as JobPlan).timeoutMs));
		// what passes on if n8n's time limit ends the wait before Muvi's webhook: every job as still rendering
		const onTimeout = (submitted as JobRecord[]).map((r) => {
			const chained = chainAt.get(r.itemIndex);
			const item = stillRunningItem(r.summary, r.itemIndex, timeoutMs, chained ? webhookChainNote : '', webhookTimedOut(r.jobId, timeoutMs));
			// the items webhook() reads (n8n gives it the waiting node's input): each item's chain rides here
			// with Max Cost per Execution and the execution's spend at the pause: webhook() holds each fallback against them
			if (chained) item.json[FALLBACK_CHAIN] = JSON.stringify({ ...chained.carried, limitMicroCents: limits.executionMicroCents, spentMicroCents: spend.netMicroCents });
			return item;
		});
		await durable.reassert();
		if (allSubmitted && saveBatch(this, batch) && passThroughOnTimeout(this, onTimeout)) {
			this.logger.info(
				`Muvi Video: node "${node.name}" waits for Muvi's webhook for ${batch.length} job(s) (${batch.map((b) => b.jobId).join(', ')}), at most ${Math.round(timeoutMs / 1000)} s (execution ${this.getExecutionId()})`,
			);
			await this.putExecutionToWait(new Date(Date.now() + timeoutMs));
			return loop.output();
		}
		// the batch cannot be kept for webhook(): the jobs are paid and running, so poll them here instead
		this.logger.info(`Muvi Video: node "${node.name}" polls its job(s): the batch could not be kept in the execution's custom data for the webhook`);
		// each item goes on from its submitted job, through the rest of its chain
		const fromSubmitted = (i: number) => ({ a: chainAt.get(i)?.attempt ?? 0, submitted: { record: submitted[i] as JobRecord, attached: false }, tries: chainAt.get(i)?.carried.tries ?? [] });
		await loop.act(async (plan, i) => await runChain(plan, i, false, fromSubmitted(i)), {
			order: 'parallel',
			jobOf,
			only: (i) => submitted[i] !== undefined && loop.results[i][0]?.json.error === undefined,
		});
	}

	await durable.reassert();
	const lost = loop.failures.flatMap(({ itemIndex, error }) => {
		const candidates = possibleJobsOf(error);
		return candidates ? [`item ${itemIndex + 1}: a job may exist (answer lost${candidates.length ? `; candidates ${candidates.join(', ')}` : ''})`] : [];
	});
	const lostNote = lost.length ? ` ${lost.join('; ')}.` : '';
	return loop.output({
		stopped: () => {
			const jobs = ledger.jobs();
			return new NodeOperationError(node, `Stopped: ${jobs.length} Muvi job${jobs.length === 1 ? ' was' : 's were'} submitted before the stop`, {
				description: `Nothing more was sent to Muvi after the stop.${describeJobs(jobs)}${lostNote}`,
			});
		},
		failure: (error: Error & { description?: unknown }) => {
			const list = describeJobs(ledger.jobs());
			if (list) error.description = `${typeof error.description === 'string' ? error.description : ''}${list}`.trim();
			return error;
		},
	});
}

/**
 * An editor Retry (a new execution, perhaps on another process, perhaps after the first one's worker
 * died): each item the execution's custom data does not name is looked up in n8n's processed-data
 * table and Muvi's job list, and attached to its job; an item whose submit may have reached Muvi but
 * whose job is not found is not sent again.
 */
async function recoverEarlierJobs(
	ctx: IExecuteFunctions,
	ledger: JobLedger,
	durable: DurableLedger,
	keys: Array<ItemKey | undefined>,
	signal?: AbortSignal,
): Promise<void> {
	const unknown = keys.filter((k): k is ItemKey => k !== undefined && ledger.find(k.itemIndex, k.fingerprint) === undefined);
	if (unknown.length === 0 || !durable.available) return;
	const found = await durable.recover(unknown, signal);
	let attached = 0;
	for (const key of unknown) {
		const job = found.get(key.itemIndex);
		if (job === undefined) continue;
		if ('jobId' in job) {
			ledger.adopt(key.itemIndex, key.fingerprint, job.jobId, job.status);
			attached++;
		} else ledger.adopt(key.itemIndex, key.fingerprint, UNKNOWN_JOB, 'unknown', job.candidates);
	}
	const node = ctx.getNode();
	ctx.logger.info(
		`Muvi Video: node "${node.name}" looks for the earlier jobs of ${keys.length} item(s) (execution ${ctx.getExecutionId()}): ${attached} attached to their earlier job from n8n's processed-data table and Muvi's job list, ${found.size - attached} may have a job that was not found (not sent again), ${unknown.length - found.size} never reached Muvi`,
	);
}

/** An item that fails after earlier models of its chain were tried says so in its error. */
function notePrevious(error: Error & { description?: unknown }, attempts: IDataObject[]): void {
	if (attempts.length === 0) return;
	const tried = attempts.map((t) => `${String(t.model)}: ${String(t.outcome)}${t.jobId ? ` (job ${String(t.jobId)})` : ''}`).join('; ');
	error.description = `${typeof error.description === 'string' ? error.description : ''} Models tried before: ${tried}.`.trim();
}
