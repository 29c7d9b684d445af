import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { catalogModelPath, SLUG_PATTERN } from '../../../muviClient/catalog';
import { muviRead } from '../../../muviClient/transport';
import { runItems } from '../../engine/itemLoop';

export const description: INodeProperties[] = [
	{
		displayName: 'Model Slug',
		name: 'slug',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. kling/kling-3.0-standard/image-to-video',
		description: 'The model slug: provider/model/capability (provider/model gives the default capability)',
		displayOptions: { show: { resource: ['model'], operation: ['get'] } },
	},
];

/** Model → Get: one model of the public catalog, with its input schema. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runItems(
		this,
		(i) => {
			const slug = String(this.getNodeParameter('slug', i, '')).trim().replace(/^\/+|\/+$/g, '');
			if (!SLUG_PATTERN.test(slug))
				throw new NodeOperationError(this.getNode(), `Item ${i + 1}: "Model Slug" must look like provider/model or provider/model/capability`, {
					itemIndex: i,
					description: `Got "${slug}". Nothing was sent to Muvi.`,
				});
			return slug;
		},
		async (slug, i) => {
			const model = (await muviRead(this, { method: 'GET', path: catalogModelPath(slug) }, `reading model ${slug}`, i)) as IDataObject;
			return { json: model, pairedItem: { item: i } };
		},
	);
}
