import type { ILoadOptionsFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { CUSTOM_MODEL, imageModels, videoModels } from '../models';
import { modelOption } from './modelProperties';

/** The parameter's name and its list's name: `fallbackModels.models[n].model`. */
export const FALLBACK_MODELS = 'fallbackModels';

/**
 * Fallback Models (Generate): models tried in turn for an item whose job failed, or whose model Muvi
 * refused. The list offers the same models as Model, and Other Model by slug.
 */
export function fallbackModelsProperty(show: Record<string, string[]>, what: 'video' | 'image'): INodeProperties {
	return {
		displayName: 'Fallback Models',
		name: FALLBACK_MODELS,
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Fallback Model',
		default: {},
		description: `Models tried in turn for an item whose ${what === 'video' ? 'video' : 'image'} job ended "failed" (Muvi refunds it) or whose model Muvi refused (not found, no access). Never after an unclear outcome, an input error, a low balance or a plan limit. The item's input is carried over field by field; every item's whole chain is checked and priced before anything is sent.`,
		displayOptions: { show },
		options: [
			{
				name: 'models',
				displayName: 'Fallback Model',
				values: [
					{
						// the same list as Model, loaded when opened, so the node's description stays small
						// eslint-disable-next-line n8n-nodes-base/node-param-display-name-wrong-for-dynamic-options
						displayName: 'Model',
						name: 'model',
						type: 'options',
						typeOptions: { loadOptionsMethod: 'fallbackModels' },
						default: '',
						// eslint-disable-next-line n8n-nodes-base/node-param-description-wrong-for-dynamic-options
						description: 'The model to try next: the same list as Model, or Other Model by slug',
					},
					{
						displayName: 'Model Slug',
						name: 'customModel',
						type: 'string',
						default: '',
						placeholder: 'e.g. google/veo-3.1-fast/image-to-video',
						description: 'The model slug as Muvi documents it: provider/model/capability',
						displayOptions: { show: { model: [CUSTOM_MODEL] } },
					},
				],
			},
		],
	};
}

/** The models Fallback Models offers: those of the node's resource (video or image), and Other Model. */
export async function fallbackModels(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const resource = String(this.getCurrentNodeParameter('resource') ?? 'video');
	return [
		...(resource === 'image' ? imageModels : videoModels).map(modelOption),
		{ name: 'Other Model (by Slug)', value: CUSTOM_MODEL, description: "Any model slug; the item's input is sent as it is, priced by Muvi's estimate" },
	];
}
