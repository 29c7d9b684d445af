import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { microCentsToUsd } from '../../muviClient/money';
import { isStopped, StoppedError } from '../../muviClient/stop';
import { possibleJobsOf, UNKNOWN_JOB } from './ledger';
import { moneyFields, outcomeOf } from './outcome';

/** The job an item concerns, as its error item names it. */
export interface ItemJob {
	jobId: string;
	status?: string;
	costMicroCents?: number;
	/** what the item was estimated to cost: what a submit whose answer was lost may have charged */
	estimateMicroCents?: number;
}

/** An item not acted on because an earlier item failed the run (no Continue On Fail): no output, no error of its own. */
export class NotActedOn extends Error {}

/**
 * The error of a failed item as n8n's Continue On Fail item: the reason, and the job it concerns, as
 * fields. With `money`, the item also says what happened to its money (see outcome.ts).
 */
export function errorItem(error: Error & { description?: unknown }, itemIndex: number, job?: ItemJob, money = false): INodeExecutionData {
	const json: IDataObject = { error: error.message };
	if (typeof error.description === 'string' && error.description) json.errorDescription = error.description;
	const known = job && job.jobId !== UNKNOWN_JOB ? job : undefined;
	if (known) {
		json.jobId = known.jobId;
		if (known.status !== undefined) json.status = known.status;
		if (known.costMicroCents !== undefined) {
			json.costUsd = microCentsToUsd(known.costMicroCents);
			json.costMicroCents = known.costMicroCents;
		}
	}
	const possible = possibleJobsOf(error);
	if (possible) json.possibleJobIds = possible;
	if (money) {
		const lost = possible !== undefined || job?.jobId === UNKNOWN_JOB;
		Object.assign(
			json,
			lost
				? moneyFields('unknown', job?.estimateMicroCents)
				: known
					? moneyFields(outcomeOf(known.status), known.costMicroCents)
					: moneyFields('not-submitted', 0),
		);
	}
	return { json, pairedItem: { item: itemIndex } };
}

export interface ActOptions {
	/** 'parallel': items act side by side; 'sequential': one after another, and a failure ends the run */
	order: 'parallel' | 'sequential';
	/** the job an item concerns, for its error item */
	jobOf?: (itemIndex: number) => ItemJob | undefined;
	/** only these items (default: every item that passed its checks) */
	only?: (itemIndex: number) => boolean;
}

/**
 * The one item loop of every operation, so a whole batch is handled in one place:
 * 1. `check`: every item is read and checked before anything is sent; a bad item fails the node at
 *    once, or becomes an item with `error` under Continue On Fail;
 * 2. `act`: the checked items are acted on (side by side or one by one); a failure without Continue
 *    On Fail stops every item that has not acted yet (see `failed`);
 * 3. `output`: the items in item order, or the node's error: the Stop, else the first failure.
 */
export class ItemLoop<Plan> {
	readonly continueOnFail: boolean;
	readonly signal?: AbortSignal;
	/** output per input item, in item order */
	readonly results: INodeExecutionData[][];
	/** the checked items; undefined where the checks failed */
	readonly plans: Array<Plan | undefined> = [];
	private readonly failedItems: Array<{ itemIndex: number; error: Error }> = [];
	/** the failure that ended the run (never set under Continue On Fail) */
	failed?: Error;

	private constructor(
		private readonly ctx: IExecuteFunctions,
		/** whether error items say what happened to the item's money (Generate) */
		private readonly money: boolean,
	) {
		this.continueOnFail = ctx.continueOnFail();
		this.signal = ctx.getExecutionCancelSignal?.();
		this.results = ctx.getInputData().map(() => []);
	}

	/** Phase 1: reads and checks every item; nothing is sent. */
	static async check<Plan>(
		ctx: IExecuteFunctions,
		check: (itemIndex: number) => Promise<Plan> | Plan,
		options: { money?: boolean } = {},
	): Promise<ItemLoop<Plan>> {
		const loop = new ItemLoop<Plan>(ctx, options.money === true);
		for (let i = 0; i < loop.results.length; i++) {
			try {
				loop.plans[i] = await check(i);
			} catch (caught) {
				// a bad item: nothing has been sent for any item yet
				const error = caught as Error;
				if (!loop.continueOnFail) throw error;
				loop.results[i] = [errorItem(error, i, undefined, loop.money)];
			}
		}
		return loop;
	}

	/**
	 * Refuses every checked item before anything is sent (a limit of the whole run): the node's error,
	 * or under Continue On Fail an item with `error` for each.
	 */
	refuseAll(error: Error): void {
		if (!this.continueOnFail) throw error;
		this.plans.forEach((plan, i) => {
			if (plan === undefined) return;
			this.results[i] = [errorItem(error, i, undefined, this.money)];
			this.plans[i] = undefined;
		});
	}

	/** Ends the run (without Continue On Fail): items that have not acted yet are left alone. */
	fail(error: Error): void {
		if (!this.continueOnFail && !(error instanceof NotActedOn)) this.failed ??= error;
	}

	/** Phase 2: acts on the checked items; what an item gives replaces its output. */
	async act(act: (plan: Plan, itemIndex: number) => Promise<INodeExecutionData | INodeExecutionData[]>, options: ActOptions): Promise<void> {
		const one = async (plan: Plan | undefined, i: number) => {
			if (plan === undefined || (options.only && !options.only(i))) return;
			if (options.order === 'sequential' && (this.failed || this.signal?.aborted)) return;
			try {
				const out = await act(plan, i);
				this.results[i] = Array.isArray(out) ? out : [out];
			} catch (caught) {
				const error = caught as Error;
				if (this.continueOnFail && !isStopped(error) && !this.signal?.aborted) {
					this.results[i] = [errorItem(error, i, options.jobOf?.(i), this.money)];
					return;
				}
				if (!(error instanceof NotActedOn)) this.failedItems.push({ itemIndex: i, error });
				this.failed ??= error;
			}
		};
		if (options.order === 'parallel') await Promise.all(this.plans.map(one));
		else for (let i = 0; i < this.plans.length; i++) await one(this.plans[i], i);
	}

	/** Whether the run was stopped (n8n's Stop, or a failure that was a stop). */
	get stopped(): boolean {
		return this.signal?.aborted === true || this.failedItems.some((f) => isStopped(f.error));
	}

	/** The items that failed the run, in item order. */
	get failures(): Array<{ itemIndex: number; error: Error }> {
		return [...this.failedItems].sort((a, b) => a.itemIndex - b.itemIndex);
	}

	/** Phase 3: every item's output in item order, or the node's error (the Stop first, then the first failure in item order). */
	output(describe: { stopped?: () => Error; failure?: (error: Error) => Error } = {}): INodeExecutionData[][] {
		if (this.stopped) throw describe.stopped?.() ?? this.failedItems.find((f) => isStopped(f.error))?.error ?? new StoppedError();
		const first = this.failures[0];
		if (first) {
			// an error n8n did not make (a bug, a library) still names the node and the item
			const error =
				first.error instanceof NodeApiError || first.error instanceof NodeOperationError
					? first.error
					: new NodeOperationError(this.ctx.getNode(), first.error, { itemIndex: first.itemIndex });
			throw describe.failure ? describe.failure(error) : error;
		}
		return [this.results.flat()];
	}
}

/** The whole loop for an operation of one request (or one file) per item. */
export async function runItems<Plan>(
	ctx: IExecuteFunctions,
	check: (itemIndex: number) => Promise<Plan> | Plan,
	act: (plan: Plan, itemIndex: number) => Promise<INodeExecutionData | INodeExecutionData[]>,
	options: ActOptions = { order: 'parallel' },
): Promise<INodeExecutionData[][]> {
	const loop = await ItemLoop.check(ctx, check);
	await loop.act(act, options);
	return loop.output();
}
