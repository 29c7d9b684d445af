import type { IDataObject } from 'n8n-workflow';

import { microCentsToUsd } from '../../muviClient/money';

/**
 * What happened to an item's money, on every path:
 * - completed: the job finished; paid;
 * - failed / cancelled: the job ended without output; Muvi refunded it;
 * - running: the job is still rendering (the Timeout passed, or the node did not wait); paid;
 * - unknown: the submit's answer was lost: a job may exist and be paid;
 * - not-submitted: refused before any request; nothing charged.
 */
export type Outcome = 'completed' | 'failed' | 'cancelled' | 'running' | 'unknown' | 'not-submitted';

/** The outcome of a job from its status. */
export function outcomeOf(status: unknown): Outcome {
	return status === 'completed' || status === 'failed' || status === 'cancelled' ? status : 'running';
}

/** Whether Muvi gave the money of a job with this outcome back. */
export const isRefunded = (outcome: Outcome) => outcome === 'failed' || outcome === 'cancelled';

/**
 * The item's money fields: `outcome`, `costUsd` (what Muvi charged at submit; for an unknown outcome
 * what it may have charged), `refundedUsd` and `netCostUsd`, with the micro-cents behind `costUsd`.
 * A cost Muvi did not report stays null, and so does the net.
 */
export function moneyFields(outcome: Outcome, costMicroCents: number | null | undefined): IDataObject {
	if (outcome === 'not-submitted') return { outcome, costUsd: 0, costMicroCents: 0, refundedUsd: 0, netCostUsd: 0 };
	if (costMicroCents === undefined || costMicroCents === null) return { outcome, costUsd: null, refundedUsd: isRefunded(outcome) ? null : 0, netCostUsd: null };
	const refunded = isRefunded(outcome) ? costMicroCents : 0;
	return {
		outcome,
		costUsd: microCentsToUsd(costMicroCents),
		costMicroCents,
		refundedUsd: microCentsToUsd(refunded),
		netCostUsd: microCentsToUsd(costMicroCents - refunded),
	};
}

/** A job item with its money fields, keeping the item's own key order where it has them already. */
export function withMoney(json: IDataObject, outcome: Outcome, costMicroCents?: number | null): IDataObject {
	const cost = costMicroCents !== undefined ? costMicroCents : typeof json.costMicroCents === 'number' ? json.costMicroCents : null;
	return { ...json, ...moneyFields(outcome, cost) };
}

/** One try of a fallback chain, as the item lists it (`attempts`). */
export function attemptOf(json: IDataObject): IDataObject {
	const error = json.errorCode ?? (json.error && typeof json.error === 'object' ? (json.error as IDataObject).code : undefined);
	return {
		model: json.model ?? null,
		jobId: json.jobId ?? null,
		outcome: json.outcome ?? null,
		errorCode: error ?? null,
		costUsd: json.costUsd ?? null,
		refundedUsd: json.refundedUsd ?? null,
	};
}

/** A try that made no job (`not-submitted`), or may have made one (`unknown`, at its estimate), as `attempts` lists it. */
export function attemptWithoutJob(model: unknown, outcome: 'not-submitted' | 'unknown', errorCode: string | null, estimateMicroCents?: number): IDataObject {
	return attemptOf({ model: (model ?? null) as IDataObject[string], jobId: null, errorCode, ...moneyFields(outcome, outcome === 'unknown' ? estimateMicroCents : 0) });
}
