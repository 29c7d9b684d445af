import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { muviRead } from '../../../muviClient/transport';
import { filtersCollection, namedAfterValues, returnAllAndLimit } from '../../descriptions/parameters';
import { runItems } from '../../engine/itemLoop';

const showFor = { resource: ['model'], operation: ['getAll'] };

export const description: INodeProperties[] = [
	...returnAllAndLimit(showFor),
	filtersCollection(showFor, [
		{
			displayName: 'Capability',
			name: 'capability',
			type: 'string',
			default: '',
			placeholder: 'e.g. image-to-video',
			description: 'Only models with this capability (text-to-video, image-to-video, …)',
		},
		{
			displayName: 'Category',
			name: 'category',
			type: 'options',
			default: 'video',
			options: namedAfterValues(['image', 'video']),
			description: 'Only models of this category',
		},
	]),
];

/** The public catalog answers an array (or `{ models: [] }` in the prose of the docs). */
function listOf(body: IDataObject | IDataObject[], key: string): IDataObject[] {
	if (Array.isArray(body)) return body;
	const inner = body[key];
	return Array.isArray(inner) ? (inner as IDataObject[]) : [];
}

/** Model → Get Many: the public catalog, filtered here by category and capability. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runItems(
		this,
		(i) => ({
			filters: this.getNodeParameter('filters', i, {}) as IDataObject,
			returnAll: this.getNodeParameter('returnAll', i, false) as boolean,
			limit: this.getNodeParameter('limit', i, 50) as number,
		}),
		async ({ filters, returnAll, limit }, i) => {
			let models = listOf(await muviRead(this, { method: 'GET', path: '/v1/catalog/models' }, 'listing models', i), 'models');
			if (filters.category) models = models.filter((m) => m.category === filters.category);
			if (filters.capability) models = models.filter((m) => m.capability === filters.capability);
			if (!returnAll) models = models.slice(0, limit);
			return models.map((json) => ({ json, pairedItem: { item: i } }));
		},
	);
}
