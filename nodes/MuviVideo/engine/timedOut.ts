import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { jobPath } from '../../muviClient/jobs';
import { microCentsToUsd } from '../../muviClient/money';
import { checked, errorInfo, sendOnce } from '../../muviClient/transport';
import { moneyFields, withMoney } from './outcome';

/** What the Timeout does to a job still rendering: nothing (it stays paid and running), or cancel it while it is pending. */
export type OnTimeout = 'keepRunning' | 'cancelPending';

const collect = (jobId: string) => `Collect it with Job → Wait for Completion and job ID ${jobId}, or raise the Timeout option.`;

/**
 * An item whose job was still rendering when the Timeout passed: paid and still running, with its job
 * ID and an `error` saying how to collect it, so an If on `error` or `outcome` after the node catches
 * it. Not an error of the node, whatever its error setting. `why` replaces the first sentence.
 */
export function stillRunningItem(job: IDataObject, itemIndex: number, timeoutMs: number, note = '', why?: string): INodeExecutionData {
	const jobId = String(job.jobId);
	const json = withMoney(job, 'running');
	const lead = why ?? `Job ${jobId} is still ${String(job.status ?? 'running')} after ${Math.round(timeoutMs / 1000)} seconds: it is paid and keeps rendering at Muvi.`;
	json.error = `${lead}${note} ${collect(jobId)}`;
	return { json, pairedItem: { item: itemIndex } };
}

/**
 * On Timeout "Cancel Pending Jobs": cancels a job Muvi has not started yet (Muvi refunds it). A job
 * already processing cannot be cancelled: it stays running, and its item says so.
 */
export async function cancelAtTimeout(ctx: IExecuteFunctions, job: IDataObject, itemIndex: number, timeoutMs: number): Promise<INodeExecutionData> {
	const jobId = String(job.jobId);
	if (job.status !== 'pending')
		return stillRunningItem(job, itemIndex, timeoutMs, ' It was not cancelled: Muvi can only cancel a job that is still pending, and this one is processing.');
	const answer = await sendOnce(ctx, { method: 'POST', path: `${jobPath(jobId)}/cancel` });
	if (answer.status < 200 || answer.status >= 300 || answer.network || answer.malformed) {
		const code = errorInfo(answer.status, answer.body).code;
		return stillRunningItem(job, itemIndex, timeoutMs, ` Cancelling it failed (${code ?? `HTTP ${answer.status}`}): it may have started processing.`);
	}
	const body = checked(ctx, answer, `cancelling job ${jobId}`, itemIndex) as IDataObject;
	const cost = typeof job.costMicroCents === 'number' ? job.costMicroCents : Number(body.refundedMicroCents ?? 0);
	const refunded = typeof body.refundedMicroCents === 'number' ? body.refundedMicroCents : cost;
	const json: IDataObject = {
		...job,
		status: 'cancelled',
		...moneyFields('cancelled', cost),
		refundedUsd: microCentsToUsd(refunded),
		netCostUsd: microCentsToUsd(cost - refunded),
	};
	json.error = `Job ${jobId} was still pending after ${Math.round(timeoutMs / 1000)} seconds, so it was cancelled (On Timeout: Cancel Pending Jobs); Muvi refunded it.`;
	return { json, pairedItem: { item: itemIndex } };
}

/**
 * Wait Mode "Muvi Webhook": if n8n's time limit ends the wait, n8n resumes the node without running it
 * and forwards the node's input (n8n-core WorkflowExecute.handleWaitingState disables the waiting
 * node). So the input kept with the waiting execution is replaced by these items: each job as still
 * running, with how to collect it. Muvi's webhook, when it comes in time, replaces them with the
 * finished jobs. False where the context does not expose its execute data.
 */
export function passThroughOnTimeout(ctx: IExecuteFunctions, items: INodeExecutionData[]): boolean {
	try {
		const data = ctx.getExecuteData?.()?.data;
		if (!data || !Array.isArray(data.main)) return false;
		data.main[0] = items;
		return true;
	} catch {
		return false;
	}
}
