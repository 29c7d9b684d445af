import type {
	IDataObject,
	IExecutePaginationFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { returnAllAndLimit } from '../../shared/descriptions';
import { muviRead } from '../../shared/transport';

/** The public catalog answers an array (or `{ models: [] }` in the prose of the docs). */
function listOf(body: IDataObject | IDataObject[], key: string): IDataObject[] {
	if (Array.isArray(body)) return body;
	const inner = body[key];
	return Array.isArray(inner) ? (inner as IDataObject[]) : [];
}

export async function getManyModels(this: IExecutePaginationFunctions): Promise<INodeExecutionData[]> {
	const itemIndex = this.getItemIndex();
	const filters = this.getNodeParameter('filters', {}) as IDataObject;
	const returnAll = this.getNodeParameter('returnAll', false) as boolean;
	const limit = this.getNodeParameter('limit', 50) as number;
	const body = await muviRead(this, { method: 'GET', path: '/v1/catalog/models' }, 'listing models', itemIndex);
	let models = listOf(body, 'models');
	if (filters.category) models = models.filter((m) => m.category === filters.category);
	if (filters.capability) models = models.filter((m) => m.capability === filters.capability);
	if (!returnAll) models = models.slice(0, limit);
	return models.map((json) => ({ json, pairedItem: { item: itemIndex } }));
}

export async function getModel(this: IExecutePaginationFunctions): Promise<INodeExecutionData[]> {
	const itemIndex = this.getItemIndex();
	const slug = String(this.getNodeParameter('slug', '')).trim().replace(/^\/+|\/+$/g, '');
	if (!/^[a-z0-9.+-]+(\/[a-z0-9.+-]+){1,2}$/i.test(slug))
		throw new NodeOperationError(this.getNode(), `Item ${itemIndex + 1}: "Model Slug" must look like provider/model or provider/model/capability`, {
			itemIndex,
			description: `Got "${slug}". Nothing was sent to Muvi.`,
		});
	// The slug keeps its slashes in the path: the catalog resolves provider/model[/capability].
	const path = `/v1/catalog/models/${slug.split('/').map(encodeURIComponent).join('/')}`;
	const model = (await muviRead(this, { method: 'GET', path }, `reading model ${slug}`, itemIndex)) as IDataObject;
	return [{ json: model, pairedItem: { item: itemIndex } }];
}

const show = (operation: string) => ({ resource: ['model'], operation: [operation] });

export const modelDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['model'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				action: 'Get a model',
				description: 'Get one model from the public catalog, with its input schema',
				routing: {
					request: { method: 'GET', url: '/v1/catalog/models' },
					send: { paginate: true },
					operations: { pagination: getModel },
				},
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many models',
				description: 'List the models of the public catalog',
				routing: {
					request: { method: 'GET', url: '/v1/catalog/models' },
					send: { paginate: true },
					operations: { pagination: getManyModels },
				},
			},
		],
		default: 'getAll',
	},
	{
		displayName: 'Model Slug',
		name: 'slug',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. kling/kling-3.0-standard/image-to-video',
		description: 'The model slug: provider/model/capability (provider/model gives the default capability)',
		displayOptions: { show: show('get') },
	},
	...returnAllAndLimit(show('getAll')),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: { show: show('getAll') },
		options: [
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
				options: [
					{ name: 'Image', value: 'image' },
					{ name: 'Video', value: 'video' },
				],
				description: 'Only models of this category',
			},
		],
	},
];
