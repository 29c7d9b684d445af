import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { microCentsToUsd } from '../../shared/cost';
import { binaryPropertyOption, downloadVideoOption, timeoutOption } from '../../shared/descriptions';
import { attachOutputs } from '../../shared/images';
import { describeJobs, inputFingerprint, JobLedger, UNKNOWN_JOB, type JobRecord } from '../../shared/ledger';
import { failedJobItem, jobAfterWait, jobFailedError, normalizeJob } from '../../shared/output';
import { isStopped, throwIfStopped } from '../../shared/pause';
import { possibleJobsOf, submitJob } from '../../shared/submit';
import { getBaseUrl } from '../../shared/transport';
import { uploadChecked } from '../../shared/upload';
import { chooseWaitMode, saveBatch, waitModeProperty, type WaitMode } from '../../shared/resumeWebhook';
import { pollUntilFinished } from '../../shared/wait';
import { planJob, type JobPlan } from './jobInput';

const showFor = { resource: ['video'], operation: ['generate'] };
const v1 = { '@version': [1] };
const v2 = { '@version': [2] };

const maxCostOption: INodeProperties = {
	displayName: 'Max Cost (USD)',
	name: 'maxCostUsd',
	type: 'number',
	default: 1,
	typeOptions: { minValue: 0, numberPrecision: 2 },
	description:
		"Refuse to submit an item whose estimated cost is higher than this, in US dollars. Muvi's actual charge can be lower after account discounts.",
};

const sharedOptions: INodeProperties[] = [
	{
		displayName: 'Model Version',
		name: 'version',
		type: 'string',
		default: '',
		placeholder: 'e.g. v1.0',
		description: 'A specific model version; leave empty for the latest stable version',
	},
	binaryPropertyOption,
	{
		displayName: 'Allow Unknown Cost',
		name: 'allowUnknownCost',
		type: 'boolean',
		default: false,
		description:
			"Whether to submit a model without a local price (Other Model, motion transfer) when Muvi's estimate cannot be had. Off: such an item is refused under Max Cost, and nothing is sent.",
	},
	timeoutOption('the job keeps running at Muvi and can be picked up later by its ID'),
	{
		displayName: 'Webhook URL',
		name: 'webhookUrl',
		type: 'string',
		default: '',
		placeholder: 'e.g. https://n8n.example.com/webhook/…/muvi',
		description: 'An https:// address Muvi calls when the job finishes, e.g. the production URL of a Muvi Video Trigger node',
	},
];

/** Version 1 (existing workflows): Max Cost and Download Video live under Options, as they always did. */
export const generateOptionsV1: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	displayOptions: { show: { ...showFor, ...v1 } },
	options: [downloadVideoOption(' (needs Wait for Completion)'), maxCostOption, ...sharedOptions],
};

/** Version 2: the cost limit and the download are on the node, visible and on by default. */
export const generateOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	displayOptions: { show: { ...showFor, ...v2 } },
	options: sharedOptions,
};

/** Generate-only parameters; the model and its fields are shared with Estimate Cost (see index.ts). */
export const generateDescription: INodeProperties[] = [
	{
		...maxCostOption,
		default: 2.5,
		description:
			"Refuse to submit an item whose estimated cost (from the model's documented price) is higher than this, in US dollars; nothing is sent for any item then. Muvi's actual charge can be lower after account discounts. Models without a local price (Other Model, motion transfer) are checked against Muvi's estimate first.",
		displayOptions: { show: { ...showFor, ...v2 } },
	},
	{
		displayName: 'Wait for Completion',
		name: 'waitForCompletion',
		type: 'boolean',
		default: true,
		description:
			'Whether to wait until the video is finished (or failed) before continuing. Off: output the job ID right after submitting.',
		displayOptions: { show: showFor },
	},
	waitModeProperty({ ...showFor, waitForCompletion: [true] }),
	{
		...downloadVideoOption(),
		default: true,
		displayOptions: { show: { ...showFor, ...v2, waitForCompletion: [true] } },
	},
	generateOptionsV1,
	generateOptions,
];

/** An item that was not submitted because an earlier failure stopped the run (no Continue On Fail). */
class NotSubmitted extends Error {}

/** The error of a failed item as n8n's Continue On Fail item: the reason and the job it concerns as fields. */
function errorItem(error: Error & { description?: unknown }, itemIndex: number, job?: JobRecord): INodeExecutionData {
	const json: IDataObject = { error: error.message };
	if (typeof error.description === 'string' && error.description) json.errorDescription = error.description;
	if (job && job.jobId !== UNKNOWN_JOB) {
		json.jobId = job.jobId;
		json.status = job.status;
		if (job.costMicroCents !== undefined) {
			json.costUsd = microCentsToUsd(job.costMicroCents);
			json.costMicroCents = job.costMicroCents;
		}
	}
	const possible = possibleJobsOf(error);
	if (possible) json.possibleJobIds = possible;
	return { json, pairedItem: { item: itemIndex } };
}

/** Adds the run's jobs (and how to collect them) to the error the node fails with. */
function withJobList(error: Error & { description?: unknown }, jobs: JobRecord[]): Error {
	const list = describeJobs(jobs);
	if (list) error.description = `${typeof error.description === 'string' ? error.description : ''}${list}`.trim();
	return error;
}

/**
 * Generate as the node's own item loop (n8n's customOperations), so the whole batch is in one place:
 * 1. every item is checked (fields, files, cost limit, switches) before anything is sent;
 * 2. items are submitted one after the other, each only once: a job this run already submitted for
 *    the same input (n8n's Retry On Fail) is attached to, not paid again; a failure without Continue
 *    On Fail stops further submits;
 * 3. the jobs are waited for side by side, and their videos downloaded.
 * When the node fails after paying, its error lists every job of the run. A Stop ends it at once.
 */
export async function generate(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const node = this.getNode();
	const signal = this.getExecutionCancelSignal?.();
	const continueOnFail = this.continueOnFail();
	const results: INodeExecutionData[][] = items.map(() => []);

	const plans: Array<JobPlan | undefined> = [];
	for (let i = 0; i < items.length; i++) {
		try {
			plans[i] = await planJob(this, i);
		} catch (caught) {
			// a bad item: nothing has been sent for any item yet
			const error = caught as Error;
			if (!continueOnFail) throw error;
			results[i] = [errorItem(error, i)];
		}
	}

	// how to wait is settled before anything is sent: explicit Muvi Webhook without https fails here
	let webhookMode = false;
	const waiting = plans.filter((p): p is JobPlan => p?.wait === true);
	if (waiting.length > 0) {
		const wanted = String(this.getNodeParameter('waitMode', 0, 'poll')) as WaitMode;
		const choice = await chooseWaitMode(this, wanted, waiting.some((p) => p.body.webhookUrl !== undefined));
		const wholeBatch = plans.every((p) => p?.wait === true);
		if (choice.mode === 'webhook' && !wholeBatch && wanted === 'webhook')
			throw new NodeOperationError(node, 'Wait Mode "Muvi Webhook" needs every item to wait for completion and to pass its checks', {
				description: 'Nothing was sent to Muvi. Fix the items above, or choose Wait Mode Poll.',
			});
		if (choice.mode === 'webhook' && wholeBatch) {
			webhookMode = true;
			for (const plan of waiting) plan.body.webhookUrl = choice.resumeUrl;
		} else if (wanted !== 'poll') this.logger.info(`Muvi Video: node "${node.name}" polls (${choice.reason ?? 'not every item waits'})`);
	}

	const ledger = JobLedger.open(this);
	const account = await getBaseUrl(this);
	let halted: Error | undefined;
	let submitTurn: Promise<unknown> = Promise.resolve();
	const failures: Array<{ itemIndex: number; error: Error }> = [];

	/** An earlier try lost the answer to this item's submit: sending it again could pay twice. */
	const mayExistAlready = (itemIndex: number) =>
		new NodeOperationError(node, `Item ${itemIndex + 1}: an earlier try's submit may have created a job; not sent again`, {
			itemIndex,
			description:
				"The answer to that submit was lost, so a job may exist and be paid. Check your recent jobs (Muvi dashboard, or this node: Job → Get Many); to submit the item anyway, run the workflow again (a new execution).",
		});
	const fingerprints = new Map<number, string>();

	const runItem = async (plan: JobPlan): Promise<INodeExecutionData> => {
		const i = plan.itemIndex;
		const fingerprint = inputFingerprint(account, {
			...plan.body,
			files: plan.checkedFiles.map(({ field, files }) => [field.apiName, files.map((f) => [f.fileName, f.size, f.mimeType])]),
		});
		fingerprints.set(i, fingerprint);
		const submitStep = async (): Promise<{ record: JobRecord; attached: boolean }> => {
			const earlier = ledger.find(i, fingerprint);
			if (earlier?.jobId === UNKNOWN_JOB) throw mayExistAlready(i);
			if (earlier) return { record: earlier, attached: true };
			if (halted) throw new NotSubmitted();
			throwIfStopped(signal);
			const input = plan.body.input as IDataObject;
			for (const { field, files } of plan.checkedFiles) {
				const urls: string[] = [];
				for (const file of files) urls.push((await uploadChecked(this, file, i, signal)).fileUrl);
				input[field.apiName] = field.kind === 'urlList' ? urls : urls[0];
			}
			throwIfStopped(signal);
			if (halted) throw new NotSubmitted();
			const submittedAt = Date.now();
			const answer = await submitJob(this, { body: plan.body, itemIndex: i, budgetMs: Math.max(1000, plan.timeoutMs), signal });
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
			return { record, attached: false };
		};
		// submits go out one at a time, in item order; waiting happens side by side. A failed submit
		// (without Continue On Fail) stops the submits after it before they are sent.
		const turn = submitTurn.then(async () => {
			try {
				return await submitStep();
			} catch (caught) {
				const error = caught as Error;
				if (!continueOnFail && !(error instanceof NotSubmitted)) halted ??= error;
				throw error;
			}
		});
		submitTurn = turn.catch(() => undefined);
		const { record, attached } = await turn;
		if (!plan.wait || webhookMode) return { json: record.summary, pairedItem: { item: i } };
		return await finishItem(plan, record, attached);
	};

	/** Polls one submitted job until it is done, then downloads its video. */
	const finishItem = async (plan: JobPlan, record: JobRecord, attached: boolean): Promise<INodeExecutionData> => {
		const i = plan.itemIndex;
		const finished = await pollUntilFinished(this, {
			jobId: record.jobId,
			submittedAt: record.submittedAt,
			estimatedCompletionTime: attached ? undefined : record.summary.estimatedCompletionTime,
			timeoutMs: plan.timeoutMs,
			deadlineAt: attached ? Date.now() + plan.timeoutMs : undefined,
			itemIndex: i,
			signal,
		});
		const job = jobAfterWait(record.summary, finished);
		ledger.update(i, {
			status: String(job.status),
			...(typeof job.costMicroCents === 'number' ? { costMicroCents: job.costMicroCents } : {}),
		});
		if (job.status !== 'completed') {
			if (continueOnFail) return failedJobItem(job, i);
			throw jobFailedError(node, job, i);
		}
		const item: INodeExecutionData = { json: job, pairedItem: { item: i } };
		if (!plan.download || halted) return item;
		return await attachOutputs(this, item, plan.binaryPropertyName, i, signal);
	};

	await Promise.all(
		plans.map(async (plan) => {
			if (!plan) return;
			try {
				results[plan.itemIndex] = [await runItem(plan)];
			} catch (caught) {
				const error = caught as Error;
				const possible = possibleJobsOf(error);
				if (possible) ledger.notePossibleJob(plan.itemIndex, fingerprints.get(plan.itemIndex) ?? '', possible);
				if (continueOnFail && !isStopped(error)) {
					results[plan.itemIndex] = [errorItem(error, plan.itemIndex, ledger.jobOf(plan.itemIndex))];
					return;
				}
				if (!(error instanceof NotSubmitted)) failures.push({ itemIndex: plan.itemIndex, error });
				halted ??= error;
			}
		}),
	);

	if (webhookMode && failures.length === 0 && !signal?.aborted) {
		const submitted = plans.map((p) => (p ? ledger.jobOf(p.itemIndex) : undefined));
		const allSubmitted = submitted.every((r, i) => r !== undefined && results[i][0]?.json.error === undefined);
		const batch = allSubmitted
			? (submitted as JobRecord[]).map((r, i) => ({
					itemIndex: r.itemIndex,
					jobId: r.jobId,
					costMicroCents: r.costMicroCents,
					download: (plans[i] as JobPlan).download,
					binaryPropertyName: (plans[i] as JobPlan).binaryPropertyName,
				}))
			: [];
		if (allSubmitted && saveBatch(this, batch)) {
			const timeoutMs = Math.max(...plans.map((p) => (p as JobPlan).timeoutMs));
			this.logger.info(
				`Muvi Video: node "${node.name}" waits for Muvi's webhook for ${batch.length} job(s) (${batch.map((b) => b.jobId).join(', ')}), at most ${Math.round(timeoutMs / 1000)} s (execution ${this.getExecutionId()})`,
			);
			await this.putExecutionToWait(new Date(Date.now() + timeoutMs));
			return [results.flat()];
		}
		// the batch cannot be kept for webhook(): the jobs are paid and running, so poll them here instead
		this.logger.info(`Muvi Video: node "${node.name}" polls its job(s): the batch could not be kept in the execution's custom data for the webhook`);
		await Promise.all(
			plans.map(async (plan, i) => {
				const record = submitted[i];
				if (!plan || !record || results[i][0]?.json.error !== undefined) return;
				try {
					results[i] = [await finishItem(plan, record, false)];
				} catch (caught) {
					const error = caught as Error;
					if (continueOnFail && !isStopped(error)) results[i] = [errorItem(error, i, ledger.jobOf(i))];
					else failures.push({ itemIndex: i, error });
				}
			}),
		);
	}

	const lost = failures
		.filter((f) => possibleJobsOf(f.error) !== undefined)
		.map((f) => `item ${f.itemIndex + 1}: a job may exist (answer lost${possibleJobsOf(f.error)!.length ? `; candidates ${possibleJobsOf(f.error)!.join(', ')}` : ''})`);
	const lostNote = lost.length ? ` ${lost.join('; ')}.` : '';

	if (signal?.aborted || failures.some((f) => isStopped(f.error))) {
		const jobs = ledger.jobs();
		throw new NodeOperationError(node, `Stopped: ${jobs.length} Muvi job${jobs.length === 1 ? ' was' : 's were'} submitted before the stop`, {
			description: `Nothing more was sent to Muvi after the stop.${describeJobs(jobs)}${lostNote}`,
		});
	}
	if (failures.length > 0) {
		const first = failures.sort((a, b) => a.itemIndex - b.itemIndex)[0];
		throw withJobList(first.error, ledger.jobs());
	}
	return [results.flat()];
}
