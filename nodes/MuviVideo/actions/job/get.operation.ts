import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { jobPath, normalizeJob } from '../../../muviClient/jobs';
import { muviRead } from '../../../muviClient/transport';
import { finishedJobItem } from '../../engine/finishedJob';
import { runItems } from '../../engine/itemLoop';
import { outcomeOf, withMoney } from '../../engine/outcome';
import { jobIdOf } from './parameters';

/** Job → Get: the job's status and outputs; a completed job's file too with Download Video on. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runItems(
		this,
		(i) => {
			const options = this.getNodeParameter('options', i, {}) as IDataObject;
			return { jobId: jobIdOf(this, i), download: options.download === true, binaryPropertyName: (options.binaryPropertyName as string) || 'data' };
		},
		async ({ jobId, download, binaryPropertyName }, i) => {
			const job = normalizeJob((await muviRead(this, { method: 'GET', path: jobPath(jobId) }, `reading job ${jobId}`, i)) as IDataObject);
			if (download && job.status === 'completed') return await finishedJobItem(this, job, { download, binaryPropertyName, failedAsItem: true }, i);
			return { json: withMoney(job, outcomeOf(job.status)), pairedItem: { item: i } };
		},
	);
}
