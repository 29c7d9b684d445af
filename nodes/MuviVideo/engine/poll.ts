import type { IDataObject, NodeApiError } from 'n8n-workflow';
import { NodeApiError as ApiError } from 'n8n-workflow';

import { FINAL_STATUSES, readJob } from '../../muviClient/jobs';
import { pause } from '../../muviClient/stop';
import type { MuviContext } from '../../muviClient/transport';
import { jobFinished } from './submitGate';

/** When to ask again: at the estimated completion time first, then a quarter of the time spent so far (2–30 s). */
export function nextPollDelayMs(now: number, submittedAt: number, etaAt: number | undefined, polls: number): number {
	if (polls === 0) return Math.max(0, (etaAt ?? submittedAt + 5000) - now);
	return Math.min(30_000, Math.max(2000, Math.round((now - submittedAt) / 4)));
}

export interface PollPlan {
	jobId: string;
	submittedAt: number;
	estimatedCompletionTime?: unknown;
	timeoutMs: number;
	itemIndex: number;
	/** when to give up; default submittedAt + timeoutMs */
	deadlineAt?: number;
	/** the caller has just read the status once, so skip the wait for the estimate */
	alreadyPolled?: boolean;
	/** n8n's Stop: ends the wait at once */
	signal?: AbortSignal;
	/** when the time is up, give back the job as last read (still running) instead of failing */
	returnWhenDue?: boolean;
}

/** Waits until the job is completed, failed or cancelled, or the time budget is spent (then fails, or with `returnWhenDue` gives the job back as last read). */
export async function pollUntilFinished(ctx: MuviContext, plan: PollPlan): Promise<IDataObject> {
	const eta = typeof plan.estimatedCompletionTime === 'string' ? Date.parse(plan.estimatedCompletionTime) : NaN;
	const deadline = plan.deadlineAt ?? plan.submittedAt + plan.timeoutMs;
	for (let polls = plan.alreadyPolled ? 1 : 0; ; polls++) {
		const now = Date.now();
		const delay = nextPollDelayMs(now, plan.submittedAt, Number.isFinite(eta) ? eta : undefined, polls);
		if (now + delay > deadline) {
			if (deadline > now) await pause(deadline - now, plan.signal);
		} else if (delay > 0) await pause(delay, plan.signal);
		let job: IDataObject;
		try {
			job = await readJob(ctx, plan.jobId, plan.itemIndex, plan.signal);
		} catch (error) {
			const e = error as NodeApiError;
			if (plan.signal?.aborted) throw e;
			// The job runs (and is paid for) whatever happens to one status read: a passing outage
			// (5xx, 429, network, garbled answer) is waited out until the Timeout; 4xx answers are final.
			const status = Number(e.httpCode);
			const passing = !Number.isFinite(status) || status === 0 || status >= 500 || status === 429;
			if (passing && Date.now() < deadline) continue;
			e.message = `Could not read the status of job ${plan.jobId}: ${e.message}`;
			e.description = `${e.description ?? ''} The job may still finish: pick it up later with Job → Wait for Completion and this job ID.`.trim();
			throw e;
		}
		if (FINAL_STATUSES.includes(String(job.status))) {
			jobFinished(plan.jobId);
			return job;
		}
		if (Date.now() >= deadline && plan.returnWhenDue) return job;
		if (Date.now() >= deadline)
			throw new ApiError(
				ctx.getNode(),
				{ reason: 'timeout' },
				{
					message: `Job ${plan.jobId} is still ${String(job.status ?? 'running')} after ${Math.round(plan.timeoutMs / 1000)} seconds`,
					description: `It has not been cancelled and may still finish. Pick it up later with Job → Wait for Completion (job ID ${plan.jobId}), or raise the Timeout option.`,
					itemIndex: plan.itemIndex,
				},
			);
	}
}
