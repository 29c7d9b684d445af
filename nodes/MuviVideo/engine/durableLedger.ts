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
 * - when Muvi answers with a job, `k` (the job is this node's), one `b` per set bit of the item's
 *   index, and `j` (the job belongs to this run, item and input);
 * - when Muvi says no job was created, `w` is taken back, so a retry sends the item.
 * An editor Retry (and a Retry after a crashed worker) asks about `w` for every item: an item without
 * one never reached Muvi and is sent; an item with one is attached to its job, found in Muvi's list, or,
 * when no job is found, is not sent again (its submit may have created one).
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

/** n8n's hashed-entries mode; the row keeps this many marks (the oldest go first): about 2,500 items' worth. */
const OPTIONS = { mode: 'entries' as const, maxEntries: 20_000 };
/** How far back in Muvi's job list a Retry looks for the jobs of its items. */
export const RECOVERY_HORIZON_MS = 7 * 24 * 3600_000;
/** ... and at most this many pages of 100 jobs. */
const RECOVERY_PAGES_MAX = 50;

const mark = {
	writeAhead: (k: ItemKey) => `muvi/w/${k.runIndex}/${k.itemIndex}/${k.fingerprint}`,
	ours: (jobId: string) => `muvi/k/${jobId}`,
	bit: (jobId: string, bit: number) => `muvi/b/${jobId}/${bit}`,
	job: (jobId: string, k: ItemKey) => `muvi/j/${jobId}/${k.runIndex}/${k.itemIndex}/${k.fingerprint}`,
};

const bitsOf = (n: number) => {
	const bits: number[] = [];
	for (let bit = 0; n >= 2 ** bit; bit++) if (Math.floor(n / 2 ** bit) % 2 === 1) bits.push(bit);
	return bits;
};

type Dedup = Pick<IExecuteFunctions['helpers'], 'checkProcessedAndRecord' | 'removeProcessed'>;

export class DurableLedger {
	private warned = false;

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
		const result = await this.write((d) => d.checkProcessedAndRecord([mark.writeAhead(key)], 'node', OPTIONS));
		return result ? result.new.length > 0 : false;
	}

	/** Muvi answered with a job: the marks that let a Retry find it and its item. */
	async submitted(key: ItemKey, jobId: string): Promise<void> {
		const marks = [mark.ours(jobId), ...bitsOf(key.itemIndex).map((bit) => mark.bit(jobId, bit)), mark.job(jobId, key)];
		await this.write((d) => d.checkProcessedAndRecord(marks, 'node', OPTIONS));
	}

	/** Muvi said no job was created: a Retry may send the item. */
	async notSubmitted(key: ItemKey): Promise<void> {
		await this.write((d) => d.removeProcessed([mark.writeAhead(key)], 'node', OPTIONS));
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
		const open = new Map(keys.filter((k) => sent.has(mark.writeAhead(k))).map((k) => [k.itemIndex, k]));
		/** jobs of the items' models that are not this node's, and the times of this node's jobs */
		const others: IDataObject[] = [];
		const ourTimes: number[] = [];
		const bits = Math.max(1, ...[...open.keys()].map((i) => (i > 0 ? Math.floor(Math.log2(i)) + 1 : 0)));
		let cursor: string | undefined;
		for (let page = 0; open.size > 0 && page < RECOVERY_PAGES_MAX; page++) {
			let answer: IDataObject;
			try {
				answer = (await muviRead(this.ctx, { method: 'GET', path: '/v1/jobs', qs: { limit: 100, ...(cursor ? { cursor } : {}) }, abortSignal: signal }, 'listing jobs to find the jobs of a retried run')) as IDataObject;
			} catch (error) {
				this.warn(`Muvi's job list could not be read (${(error as Error).message}); items that may have been submitted before are not sent again`);
				break;
			}
			const jobs = (Array.isArray(answer.jobs) ? (answer.jobs as IDataObject[]) : []).filter((j) => typeof j.jobId === 'string' && j.jobId !== '');
			const models = new Set([...open.values()].map((k) => k.model));
			const candidates = jobs.filter((j) => j.model === undefined || models.has(String(j.model)));
			const ours = await this.probe(candidates.map((j) => mark.ours(String(j.jobId))));
			const mine = candidates.filter((j) => ours?.has(mark.ours(String(j.jobId))));
			if (ours) others.push(...candidates.filter((j) => !ours.has(mark.ours(String(j.jobId)))));
			ourTimes.push(...mine.map((j) => Date.parse(String(j.createdAt ?? ''))).filter(Number.isFinite));
			const setBits = await this.probe(mine.flatMap((j) => Array.from({ length: bits }, (_, bit) => mark.bit(String(j.jobId), bit))));
			const claims = mine.flatMap((j) => {
				const jobId = String(j.jobId);
				let index = 0;
				for (let bit = 0; bit < bits; bit++) if (setBits?.has(mark.bit(jobId, bit))) index += 2 ** bit;
				const key = open.get(index);
				return key && (j.model === undefined || String(j.model) === key.model) ? [{ job: j, key }] : [];
			});
			const confirmed = await this.probe(claims.map(({ job, key }) => mark.job(String(job.jobId), key)));
			// newest first: the first job found for an item is its latest
			for (const { job, key } of claims) {
				if (!open.has(key.itemIndex) || !confirmed?.has(mark.job(String(job.jobId), key))) continue;
				open.delete(key.itemIndex);
				found.set(key.itemIndex, {
					jobId: String(job.jobId),
					status: String(job.status ?? 'pending'),
					...(job.model !== undefined ? { model: String(job.model) } : {}),
					...(job.createdAt !== undefined ? { createdAt: String(job.createdAt) } : {}),
				});
			}
			const oldest = Math.min(...jobs.map((j) => Date.parse(String(j.createdAt ?? ''))).filter(Number.isFinite));
			cursor = typeof answer.nextCursor === 'string' && answer.nextCursor !== '' ? answer.nextCursor : undefined;
			if (!answer.hasMore || !cursor || oldest < Date.now() - RECOVERY_HORIZON_MS) break;
		}
		const from = Math.min(...ourTimes) - CANDIDATE_WINDOW_MS;
		const to = Math.max(...ourTimes) + CANDIDATE_WINDOW_MS;
		for (const key of open.values()) {
			const candidates = others.filter((j) => {
				const created = Date.parse(String(j.createdAt ?? ''));
				return (j.model === undefined || String(j.model) === key.model) && created >= from && created <= to;
			});
			found.set(key.itemIndex, { candidates: candidates.map((j) => String(j.jobId)) });
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
			const result = await d.checkProcessedAndRecord(marks, 'node', OPTIONS);
			if (result.new.length > 0) await d.removeProcessed(result.new, 'node', OPTIONS);
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
