import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { normalizeJob } from '../../../muviClient/jobs';
import { muviRead } from '../../../muviClient/transport';
import { filtersCollection, namedAfterValues, returnAllAndLimit } from '../../descriptions/parameters';
import { runItems } from '../../engine/itemLoop';

const PAGE_SIZE = 100;
const showFor = { resource: ['job'], operation: ['getAll'] };

export const description: INodeProperties[] = [
	...returnAllAndLimit(showFor),
	filtersCollection(showFor, [
		{
			displayName: 'Model',
			name: 'model',
			type: 'string',
			default: '',
			placeholder: 'e.g. kling/kling-3.0-standard/image-to-video',
			description: 'Only jobs of this model (slug)',
		},
		{
			displayName: 'Status',
			name: 'status',
			type: 'options',
			default: 'completed',
			options: namedAfterValues(['cancelled', 'completed', 'failed', 'pending', 'processing']),
			description: 'Only jobs with this status',
		},
	]),
];

/** Job → Get Many: follows `nextCursor` while `hasMore`, 100 jobs a page, until the limit or the last page. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runItems(
		this,
		(i) => ({
			limit: (this.getNodeParameter('returnAll', i, false) as boolean) ? Infinity : (this.getNodeParameter('limit', i, 50) as number),
			filters: this.getNodeParameter('filters', i, {}) as IDataObject,
		}),
		async ({ limit, filters }, i) => {
			const jobs: IDataObject[] = [];
			let cursor: string | undefined;
			for (;;) {
				const qs: IDataObject = { limit: Math.min(PAGE_SIZE, limit - jobs.length) };
				if (cursor) qs.cursor = cursor;
				if (filters.status) qs.status = filters.status;
				if (filters.model) qs.modelId = filters.model;
				const page = (await muviRead(this, { method: 'GET', path: '/v1/jobs', qs }, 'listing jobs', i)) as IDataObject;
				const list = Array.isArray(page.jobs) ? (page.jobs as IDataObject[]) : [];
				jobs.push(...list.map(normalizeJob));
				cursor = typeof page.nextCursor === 'string' && page.nextCursor !== '' ? page.nextCursor : undefined;
				if (!page.hasMore || !cursor || jobs.length >= limit) break;
			}
			return jobs.slice(0, limit).map((json) => ({ json, pairedItem: { item: i } }));
		},
	);
}
