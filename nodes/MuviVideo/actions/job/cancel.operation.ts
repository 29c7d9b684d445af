import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { jobPath } from '../../../muviClient/jobs';
import { microCentsToUsd } from '../../../muviClient/money';
import { checked, sendOnce } from '../../../muviClient/transport';
import { runItems } from '../../engine/itemLoop';
import { moneyFields } from '../../engine/outcome';
import { jobIdOf } from './parameters';

/** Job → Cancel: a pending job is cancelled and refunded. Sent once (not a read): Muvi's answer is final. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runItems(
		this,
		(i) => jobIdOf(this, i),
		async (jobId, i) => {
			const answer = await sendOnce(this, { method: 'POST', path: `${jobPath(jobId)}/cancel` });
			const body = checked(this, answer, `cancelling job ${jobId}`, i) as IDataObject;
			const refunded = Number(body.refundedMicroCents ?? 0);
			return {
				// Muvi refunds a cancelled job whole: what it refunded is what it had charged
				json: {
					jobId: body.jobId ?? jobId,
					status: body.status ?? 'cancelled',
					refundedMicroCents: refunded,
					refundedUsd: microCentsToUsd(refunded),
					...moneyFields('cancelled', refunded),
				},
				pairedItem: { item: i },
			};
		},
	);
}
