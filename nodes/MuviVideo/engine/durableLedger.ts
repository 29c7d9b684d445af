import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { inTurn } from '../../muviClient/inTurn';
import { muviRead } from '../../muviClient/transport';

/**
 * The job ledger that has no batch-size limit: marks in n8n's processed-data table (the store of
 * `checkProcessedAndRecord`, the one the Remove Duplicates node uses). n8n writes them to its
 * database at once, keeps them across restarts, and every process of a queue-mode instance reads the
 * same row (one per workflow and node). n8n keeps only a hash of each mark, so a mark can be asked
 * about but not read: the job IDs themselves come back from Muvi's job list (`GET /v1/jobs`), each
 * tested against the marks. For every submit:
 * - before it is sent, `w` (write-ahead): this item, with this input, may reach Muvi;
 * - when Muvi answers with a job, `j`: the job belongs to this run, item and input;
 * - when Muvi says no job was created, `w` is taken back, so a retry sends the item.
 * An editor Retry (and a Retry after a crashed worker) asks about `w` for every item: an item without
 * one never reached Muvi and is sent; an item with one is attached to its job, found in Muvi's list (a
 * node run submits its items one at a time, in order, so the newest jobs pair with the highest items,
 * each pairing confirmed by its `j` mark), or, when no job is found, is not sent again (its submit may
 * have created one).
 */

/** A submitted item, as the marks name it. */
export interface ItemKey {
	itemIndex: number;
	runIndex: number;
	/** the item's input fingerprint (ledger.ts inputFingerprint) */
	fingerprint: string;
	model: string;
}

/** A job an earlier execution submitted for the item, from Muvi's job list. */
export interface RecoveredJob {
	jobId: string;
	status: string;
	model?: string;
	createdAt?: string;
}

/**
 * An item whose submit may have reached Muvi, but whose job is not in the marks (its answer never came):
 * the jobs of its model that no item of this node claims, created while the node's other jobs were.
 */
export interface MaybeJob {
	candidates: string[];
}

/** How long before and after the node's own jobs another job counts as a candidate of a lost submit. */
const CANDIDATE_WINDOW_MS = 60_000;

/** n8n's hashed-entries mode; the row keeps this many marks (the oldest go first): two an item, so 25,000 items. */
const OPTIONS = { mode: 'entries' as const, maxEntries: 50_000 };
/** How far back in Muvi's job list a Retry looks for the jobs of its items. */
const RECOVERY_HORIZON_MS = 7 * 24 * 3600_000;
/** ... and at most this many pages of 100 jobs. */
const RECOVERY_PAGES_MAX = 50;

const mark = {
	writeAhead: (k: ItemKey) => `muvi/w/${k.runIndex}/${k.itemIndex}/${k.fingerprint}`,
	job: (jobId: string, k: ItemKey) => `muvi/j/${jobId}/${k.runIndex}/${k.itemIndex}/${k.fingerprint}`,
};
/** Asking never trims the row (asked marks are taken back at once): only a write may drop the oldest marks. */
const ASK = { mode: 'entries' as const };
/** How far from its place in submit order a job is looked for among the items (jobs of others in between). */
const ORDER_SLACK = 8;
/** Marks asked about in one call, at most. */
const PROBE_MAX = 5_000;

type Dedup = Pick<IExecuteFunctions['helpers'], 'checkProcessedAndRecord' | 'removeProcessed'>;

export class DurableLedger {
	private warned = false;
	/** the marks this run wrote and still stands by */
	private readonly written = new Set<string>();

	private constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly dedup: Dedup | undefined,
		private readonly queue: string,
	) {}

	static open(ctx: IExecuteFunctions): DurableLedger {
		const helpers = ctx.helpers as Partial<Dedup>;
		const usable = typeof helpers.checkProcessedAndRecord === 'function' && typeof helpers.removeProcessed === 'function';
		let workflowId = '';
		try {
			workflowId = String(ctx.getWorkflow().id ?? '');
		} catch {
			// no workflow id: nothing to key the marks to
		}
		const node = ctx.getNode();
		return new DurableLedger(ctx, usable && workflowId ? (helpers as Dedup) : undefined, `muvi-ledger\n${workflowId}\n${node.id ?? node.name}`);
	}

	get available(): boolean {
		return this.dedup !== undefined;
	}

	/** Before a submit is sent: true when this call made the mark (only then may `notSubmitted` take it back). */
	async beforeSubmit(key: ItemKey): Promise<boolean> {
		this.written.add(mark.writeAhead(key));
		const result = await this.write((d) => d.checkProcessedAndRecord([mark.writeAhead(key)], 'node', OPTIONS));
		return result ? result.new.length > 0 : false;
	}

	/** Muvi answered with a job: the marks that let a Retry find it and its item. */
	async submitted(key: ItemKey, jobId: string): Promise<void> {
		this.written.add(mark.job(jobId, key));
		await this.write((d) => d.checkProcessedAndRecord([mark.job(jobId, key)], 'node', OPTIONS));
	}

	/** Muvi said no job was created: a Retry may send the item. */
	async notSubmitted(key: ItemKey): Promise<void> {
		this.written.delete(mark.writeAhead(key));
		await this.write((d) => d.removeProcessed([mark.writeAhead(key)], 'node', OPTIONS));
	}

	/**
	 * Writes this run's marks once more, in one call. n8n reads a row and writes it back whole, so an
	 * execution in another process writing at the same moment can drop a mark; at the end of the run
	 * the node puts back any that went missing.
	 */
	async reassert(): Promise<void> {
		if (this.written.size === 0) return;
		const marks = [...this.written];
		const result = await this.write((d) => d.checkProcessedAndRecord(marks, 'node', OPTIONS));
		if (result && result.new.length > 0) this.warn(`${result.new.length} of this run's marks in n8n's processed-data table had been overwritten by another execution and were written again`);
	}

	/**
	 * For a Retry: the items an earlier execution may have submitted, each with its job when Muvi's job
	 * list shows it (newest first), or `'unknown'` when none is found. Items that are not in the result
	 * never reached Muvi.
	 */
	async recover(keys: ItemKey[], signal?: AbortSignal): Promise<Map<number, RecoveredJob | MaybeJob>> {
		const found = new Map<number, RecoveredJob | MaybeJob>();
		if (!this.dedup || keys.length === 0) return found;
		const sent = await this.probe(keys.map(mark.writeAhead));
		if (!sent) {
			// the marks could not be read: nothing can be said of any item, so none is sent again
			for (const k of keys) found.set(k.itemIndex, { candidates: [] });
			return found;
		}
		// newest job first, highest item first: one node run submits its items in order, one at a time
		const order = keys.filter((k) => sent.has(mark.writeAhead(k))).sort((a, b) => b.itemIndex - a.itemIndex);
		const matched = new Set<number>();
		/** jobs of the items' models that no item claimed (yet), newest first */
		const unclaimed: IDataObject[] = [];
		const claimedTimes: number[] = [];
		const models = new Set(order.map((k) => k.model));
		const fits = (job: IDataObject, key: ItemKey) => job.model === undefined || String(job.model) === key.model;
		const claim = (job: IDataObject, position: number) => {
			const key = order[position];
			matched.add(position);
			found.set(key.itemIndex, {
				jobId: String(job.jobId),
				status: String(job.status ?? 'pending'),
				...(job.model !== undefined ? { model: String(job.model) } : {}),
				...(job.createdAt !== undefined ? { createdAt: String(job.createdAt) } : {}),
			});
			const created = Date.parse(String(job.createdAt ?? ''));
			if (Number.isFinite(created)) claimedTimes.push(created);
		};
		let cursor: string | undefined;
		for (let page = 0; matched.size < order.length && page < RECOVERY_PAGES_MAX; page++) {
			let answer: IDataObject;
			try {
				answer = (await muviRead(this.ctx, { method: 'GET', path: '/v1/jobs', qs: { limit: 100, ...(cursor ? { cursor } : {}) }, abortSignal: signal }, 'listing jobs to find the jobs of a retried run')) as IDataObject;
			} catch (error) {
				this.warn(`Muvi's job list could not be read (${(error as Error).message}); items that may have been submitted before are not sent again`);
				break;
			}
			const jobs = (Array.isArray(answer.jobs) ? (answer.jobs as IDataObject[]) : []).filter((j) => typeof j.jobId === 'string' && j.jobId !== '');
			const candidates = jobs.filter((j) => j.model === undefined || models.has(String(j.model)));
			// each job is asked about the items near where it would be if every job were this node's, in order
			const start = matched.size;
			const asked = candidates.map((job, k) => {
				const near: number[] = [];
				for (let p = Math.max(0, start + k - ORDER_SLACK); p <= Math.min(order.length - 1, start + k + ORDER_SLACK); p++)
					if (!matched.has(p) && fits(job, order[p])) near.push(p);
				return near;
			});
			const present = await this.probe(candidates.flatMap((job, k) => asked[k].map((p) => mark.job(String(job.jobId), order[p]))));
			candidates.forEach((job, k) => {
				const position = asked[k].find((p) => !matched.has(p) && present?.has(mark.job(String(job.jobId), order[p])));
				if (position === undefined) unclaimed.push(job);
				else claim(job, position);
			});
			const oldest = Math.min(...jobs.map((j) => Date.parse(String(j.createdAt ?? ''))).filter(Number.isFinite));
			cursor = typeof answer.nextCursor === 'string' && answer.nextCursor !== '' ? answer.nextCursor : undefined;
			if (!answer.hasMore || !cursor || oldest < Date.now() - RECOVERY_HORIZON_MS) break;
		}
		// what the order did not pair (a job sent again by Retry On Fail, other jobs in between): every
		// remaining item against every unclaimed job, newest job first
		const left = order.map((_, p) => p).filter((p) => !matched.has(p));
		for (let from = 0; left.length > 0 && from < unclaimed.length; ) {
			const chunk = unclaimed.slice(from, from + Math.max(1, Math.floor(PROBE_MAX / left.length)));
			from += chunk.length;
			const present = await this.probe(chunk.flatMap((job) => left.filter((p) => fits(job, order[p])).map((p) => mark.job(String(job.jobId), order[p]))));
			for (const job of chunk) {
				const at = left.findIndex((p) => !matched.has(p) && present?.has(mark.job(String(job.jobId), order[p])));
				if (at !== -1) {
					claim(job, left[at]);
					left.splice(at, 1);
				}
			}
		}
		// the rest may have created a job whose answer never came: the unclaimed jobs of its model made meanwhile
		const earliest = Math.min(...claimedTimes) - CANDIDATE_WINDOW_MS;
		const latest = Math.max(...claimedTimes) + CANDIDATE_WINDOW_MS;
		const claimedIds = new Set([...found.values()].flatMap((f) => ('jobId' in f ? [f.jobId] : [])));
		for (const p of left) {
			const candidates = unclaimed.filter((j) => {
				const created = Date.parse(String(j.createdAt ?? ''));
				return !claimedIds.has(String(j.jobId)) && fits(j, order[p]) && created >= earliest && created <= latest;
			});
			found.set(order[p].itemIndex, { candidates: candidates.map((j) => String(j.jobId)) });
		}
		return found;
	}

	/**
	 * Which of the marks exist, without leaving the others behind: n8n's only question is "check and
	 * record", so the marks it did not know are taken back in the same turn. Undefined when the table
	 * could not be read.
	 */
	private async probe(marks: string[]): Promise<Set<string> | undefined> {
		if (marks.length === 0) return new Set();
		return await this.write(async (d) => {
			const result = await d.checkProcessedAndRecord(marks, 'node', ASK);
			if (result.new.length > 0) await d.removeProcessed(result.new, 'node', ASK);
			return new Set(result.processed.map(String));
		});
	}

	/** One call on the table at a time for this workflow's node in this process (n8n reads, then writes the row). */
	private async write<T>(work: (d: Dedup) => Promise<T>): Promise<T | undefined> {
		const dedup = this.dedup;
		if (!dedup) return undefined;
		try {
			return await inTurn(this.queue, async () => await work(dedup));
		} catch (error) {
			this.warn(`n8n's processed-data table could not be used (${(error as Error).message})`);
			return undefined;
		}
	}

	private warn(message: string): void {
		if (this.warned) return;
		this.warned = true;
		const node = this.ctx.getNode();
		this.ctx.logger.warn(`Muvi Video: node "${node.name}" (execution ${this.ctx.getExecutionId()}): ${message}`);
	}
}
