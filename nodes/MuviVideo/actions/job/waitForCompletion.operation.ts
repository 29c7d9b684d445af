import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { FINAL_STATUSES, readJob } from '../../../muviClient/jobs';
import { finishedJobItem, jobAfterWait } from '../../engine/finishedJob';
import { ItemLoop } from '../../engine/itemLoop';
import { pollUntilFinished } from '../../engine/poll';
import { parseFlag, parseNonNegative } from '../../engine/validation';
import { jobIdOf } from './parameters';

/** Wait for Completion's settings for one item, checked before any request (values from sheets accepted). */
function waitSettings(ctx: IExecuteFunctions, itemIndex: number) {
	const jobId = jobIdOf(ctx, itemIndex);
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const download = options.download === undefined ? false : parseFlag(options.download);
	const timeout = options.timeout === undefined ? 1800 : parseNonNegative(options.timeout);
	const bad = download === undefined ? ['Download Video', 'true or false', options.download] : timeout === undefined ? ['Timeout (Seconds)', 'a number of 0 or more', options.timeout] : undefined;
	if (bad)
		throw new NodeOperationError(ctx.getNode(), `Item ${itemIndex + 1}: "${String(bad[0])}" must be ${String(bad[1])}`, {
			itemIndex,
			description: `Got ${JSON.stringify(bad[2])}. Nothing was sent to Muvi.`,
		});
	return { jobId, download: download === true, binaryPropertyName: String(options.binaryPropertyName || 'data'), timeoutMs: (timeout ?? 1800) * 1000 };
}

/**
 * Job → Wait for Completion: every item checked first, then the jobs waited for side by side. A job
 * that already finished is answered by one status read; a Stop ends the waits at once. Under
 * Continue On Fail a failed item carries its `jobId`.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const loop = await ItemLoop.check(this, (i) => waitSettings(this, i));
	const { signal } = loop;
	await loop.act(
		async (s, i) => {
			const startedAt = Date.now();
			let raw = await readJob(this, s.jobId, i, signal);
			if (!FINAL_STATUSES.includes(String(raw.status))) {
				const createdAt = typeof raw.createdAt === 'string' ? Date.parse(raw.createdAt) : NaN;
				raw = await pollUntilFinished(this, {
					jobId: s.jobId,
					// back off from the job's own start, so an old job is not asked about every 2 seconds
					submittedAt: Number.isFinite(createdAt) ? Math.min(createdAt, startedAt) : startedAt,
					timeoutMs: s.timeoutMs,
					deadlineAt: startedAt + s.timeoutMs,
					itemIndex: i,
					alreadyPolled: true,
					signal,
				});
			}
			// an image job gives all its images (data, data_1 …), a video job its video
			return await finishedJobItem(this, jobAfterWait({}, raw), { ...s, failedAsItem: loop.continueOnFail, signal }, i);
		},
		{ order: 'parallel', jobOf: (i) => (loop.plans[i] ? { jobId: (loop.plans[i] as { jobId: string }).jobId } : undefined) },
	);
	return loop.output({
		stopped: () =>
			new NodeOperationError(this.getNode(), 'Stopped while waiting for Muvi jobs', {
				description: 'The jobs keep running at Muvi; wait for them again later with their job IDs.',
			}),
	});
}
