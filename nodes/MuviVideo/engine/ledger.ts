import type { IDataObject, IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';
import { createHash } from 'node:crypto';

import { formatUsd } from '../../muviClient/money';
import { ExecutionStore } from './executionStore';

/** One paid (or possibly paid) job of a node's run, by item. */
export interface JobRecord {
	itemIndex: number;
	jobId: string;
	/** the fingerprint of the item's input when the job was submitted */
	fingerprint: string;
	status: string;
	costMicroCents?: number;
	/** when the job was submitted (ms) */
	submittedAt: number;
	/** the submit's answer as the node outputs it */
	summary: IDataObject;
	/** for a submit whose answer was lost: jobs in Muvi's list that may be its */
	candidates?: string[];
}

/** A fingerprint of what an item asks Muvi to do: the same input on the same account means the same job. */
export function inputFingerprint(account: string, request: IDataObject): string {
	return createHash('sha256').update(JSON.stringify({ account, ...request })).digest('hex');
}

/** A node run's jobs: the latest of each item, and every one by item and input (each model of a fallback chain). */
interface RunJobs {
	latest: Map<number, JobRecord>;
	byInput: Map<string, JobRecord>;
}
const inputKey = (itemIndex: number, fingerprint: string) => `${itemIndex}|${fingerprint}`;

/** Jobs of each node run in this process, by execution, node and run index (bounded, oldest dropped first). */
const runs = new Map<string, RunJobs>();
const RUNS_MAX = 2000;

/** Where the jobs are kept in the execution's custom data: at most 4 keys per node. */
const STORE_PREFIX = 'muvi_jobs';
const STORE_PARTS = 4;
/** `#<item>[r<run>]=<jobId>/<fingerprint>`; `?` for a job ID stands for "a job may exist" (answer lost) */
const ENTRY = /^#(\d+)(?:r(\d+))?=([A-Za-z0-9_.:-]+|\?)\/([0-9a-f]{8})$/;
/** The job ID of an item whose submit may have created a job (its answer was lost). */
export const UNKNOWN_JOB = '?';

/**
 * A submit whose outcome is unknown (the body may have reached Muvi): the jobs it may have created,
 * from Muvi's job list, by the error that reports it.
 */
const possibleJobs = new WeakMap<Error, string[]>();

export function notePossibleJobs(error: Error, candidates: string[]): void {
	possibleJobs.set(error, candidates);
}

export function possibleJobsOf(error: unknown): string[] | undefined {
	return error instanceof Error ? possibleJobs.get(error) : undefined;
}

/**
 * The node's record of the jobs it submitted in this run. n8n's Retry On Fail runs the node again in
 * the same execution with the same run index: an item whose input is unchanged is attached to its
 * job instead of being submitted again. Each job is also logged (n8n's logger, with execution and
 * item) and written to the execution's custom data, which n8n saves with failed and stopped
 * executions too, and which an editor Retry of the execution carries over.
 */
/**
 * The log line of every paid job, the one place a job is findable when nothing else could keep it (a
 * dead worker, a fallback submitted while the execution waits): its ID, item, execution, workflow, cost.
 */
export function logSubmittedJob(
	ctx: IExecuteFunctions | IWebhookFunctions,
	executionId: string,
	job: { jobId: string; itemIndex: number; costMicroCents?: number },
	note = '',
): void {
	const node = ctx.getNode();
	const cost = job.costMicroCents !== undefined ? `, ${formatUsd(job.costMicroCents)} (${job.costMicroCents} micro-cents)` : '';
	ctx.logger.info(
		`Muvi job ${job.jobId} submitted by node "${node.name}" for item ${job.itemIndex + 1} (execution ${executionId}, workflow ${String(ctx.getWorkflow().id ?? '')}${cost}${note})`,
		{ executionId, nodeName: node.name, itemIndex: job.itemIndex, jobId: job.jobId },
	);
}

export class JobLedger {
	private readonly records: Map<number, JobRecord>;
	private readonly byInput: Map<string, JobRecord>;
	private readonly store: ExecutionStore;

	private constructor(
		private readonly ctx: IExecuteFunctions,
		readonly runIndex: number,
		key: string,
	) {
		let jobs = runs.get(key);
		if (!jobs) {
			jobs = { latest: new Map(), byInput: new Map() };
			runs.set(key, jobs);
			if (runs.size > RUNS_MAX) runs.delete(runs.keys().next().value as string);
		}
		this.records = jobs.latest;
		this.byInput = jobs.byInput;
		this.store = new ExecutionStore(ctx, STORE_PREFIX, STORE_PARTS);
	}

	static open(ctx: IExecuteFunctions): JobLedger {
		const node = ctx.getNode();
		let runIndex = 0;
		try {
			runIndex = Number(ctx.getWorkflowDataProxy(0).$runIndex) || 0;
		} catch {
			// no proxy outside a real run: run 0
		}
		return new JobLedger(ctx, runIndex, `${ctx.getExecutionId() ?? ''}\n${node.id ?? node.name}\n${runIndex}`);
	}

	/** The job an earlier try of this run submitted for this item with this same input. */
	find(itemIndex: number, fingerprint: string): JobRecord | undefined {
		const known = this.byInput.get(inputKey(itemIndex, fingerprint));
		if (known) return known;
		const saved = this.savedJobs().find((s) => s.itemIndex === itemIndex && s.runIndex === this.runIndex && fingerprint.startsWith(s.fingerprint8));
		if (!saved) return undefined;
		const record: JobRecord = {
			itemIndex,
			jobId: saved.jobId,
			fingerprint,
			status: saved.jobId === UNKNOWN_JOB ? 'unknown' : 'submitted earlier',
			submittedAt: Date.now(),
			summary: { jobId: saved.jobId, status: 'pending' },
		};
		this.keep(record);
		return record;
	}

	/** A job was just created: kept in memory, logged and written to the execution's custom data. */
	record(record: JobRecord): void {
		this.keep(record);
		logSubmittedJob(this.ctx, this.ctx.getExecutionId(), record);
		this.save();
	}

	/**
	 * A submit whose answer was lost: the job may exist. Kept like a job (so no retry sends the item
	 * again) and logged with the candidates from Muvi's job list.
	 */
	notePossibleJob(itemIndex: number, fingerprint: string, candidates: string[]): void {
		if (!this.byInput.has(inputKey(itemIndex, fingerprint))) {
			this.keep({ itemIndex, jobId: UNKNOWN_JOB, fingerprint, status: 'unknown', submittedAt: Date.now(), summary: {} });
			this.save();
		}
		const node = this.ctx.getNode();
		this.ctx.logger.warn(
			`Muvi job may exist for item ${itemIndex + 1} of node "${node.name}" (execution ${this.ctx.getExecutionId()}): the submit's answer was lost; candidates from Muvi's job list: ${candidates.join(', ') || 'none seen yet'}`,
			{ executionId: this.ctx.getExecutionId(), nodeName: node.name, itemIndex, candidates },
		);
	}

	/**
	 * A job (or a possible one) an earlier execution submitted for this item with this input, found in
	 * n8n's processed-data table and Muvi's job list by an editor Retry: attached to like one of this run.
	 */
	adopt(itemIndex: number, fingerprint: string, jobId: string, status: string, candidates?: string[]): void {
		if (this.byInput.has(inputKey(itemIndex, fingerprint))) return;
		this.keep({
			itemIndex,
			jobId,
			fingerprint,
			status: jobId === UNKNOWN_JOB ? 'unknown' : 'submitted earlier',
			submittedAt: Date.now(),
			summary: jobId === UNKNOWN_JOB ? {} : { jobId, status },
			...(candidates ? { candidates } : {}),
		});
		this.save();
	}

	/** Kept as the item's latest job, and under its input (a fallback chain has one per model). */
	private keep(record: JobRecord): void {
		this.records.set(record.itemIndex, record);
		this.byInput.set(inputKey(record.itemIndex, record.fingerprint), record);
	}

	update(itemIndex: number, patch: Partial<Pick<JobRecord, 'status' | 'costMicroCents'>>): void {
		const record = this.records.get(itemIndex);
		if (record) Object.assign(record, patch);
	}

	jobOf(itemIndex: number): JobRecord | undefined {
		return this.records.get(itemIndex);
	}

	/** Every job of this run, in item order (not the submits whose answer was lost). */
	jobs(): JobRecord[] {
		return this.allRecords().filter((r) => r.jobId !== UNKNOWN_JOB);
	}

	private allRecords(): JobRecord[] {
		return [...this.records.values()].sort((a, b) => a.itemIndex - b.itemIndex);
	}

	private savedJobs(): Array<{ itemIndex: number; runIndex: number; jobId: string; fingerprint8: string }> {
		return this.store.load().flatMap((entry) => {
			const m = ENTRY.exec(entry);
			return m ? [{ itemIndex: Number(m[1]) - 1, runIndex: Number(m[2] ?? 0), jobId: m[3], fingerprint8: m[4] }] : [];
		});
	}

	/**
	 * Writes the run's jobs as `#<item>[r<run>]=<jobId>/<fingerprint>` entries, merged with what other
	 * runs of the node saved. What does not fit stays in n8n's log.
	 */
	private save(): void {
		const entry = (itemIndex: number, runIndex: number, jobId: string, fingerprint8: string) =>
			`#${itemIndex + 1}${runIndex ? `r${runIndex}` : ''}=${jobId}/${fingerprint8}`;
		const entries = new Map<string, string>();
		const at = (itemIndex: number, runIndex: number, fingerprint8: string) => `${itemIndex}:${runIndex}:${fingerprint8}`;
		for (const s of this.savedJobs()) entries.set(at(s.itemIndex, s.runIndex, s.fingerprint8), entry(s.itemIndex, s.runIndex, s.jobId, s.fingerprint8));
		const all = [...this.byInput.values()].sort((a, b) => a.itemIndex - b.itemIndex || a.submittedAt - b.submittedAt);
		for (const r of all) entries.set(at(r.itemIndex, this.runIndex, r.fingerprint.slice(0, 8)), entry(r.itemIndex, this.runIndex, r.jobId, r.fingerprint.slice(0, 8)));
		this.store.save([...entries.values()]);
	}
}

/** The jobs of a run in words, for an error: item, job ID, status and cost, and how to collect them. */
export function describeJobs(jobs: JobRecord[]): string {
	if (jobs.length === 0) return '';
	const lines = jobs.map((j) => {
		const cost = j.costMicroCents !== undefined ? `, ${formatUsd(j.costMicroCents)}` : '';
		const refunded = j.status === 'failed' || j.status === 'cancelled' ? ' (refunded)' : '';
		return `item ${j.itemIndex + 1}: ${j.jobId} (${j.status}${refunded}${cost})`;
	});
	return ` Jobs of this run: ${lines.join('; ')}. They were paid and keep running at Muvi: collect each with Job → Wait for Completion and its job ID (a retry of this node in the same execution attaches to them instead of paying again).`;
}
