import { NodeConnectionTypes, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { estimatedCost } from './editor/estimate';
import { subtitleExpression } from './editor/subtitle';
import { fileDescription, uploadFiles } from './resources/file';
import { imageDescription } from './resources/image';
import { jobDescription, waitForJobs } from './resources/job';
import { modelDescription } from './resources/model';
import { videoDescription } from './resources/video';
import { generate } from './resources/video/generate';
import { getCustomModelFields } from './shared/customInput';

export class MuviVideo implements INodeType {
	// The subtitle is built from the catalog (editor/subtitle.ts), which the lint rule, wanting a literal, cannot see.
	// eslint-disable-next-line n8n-nodes-base/node-class-description-missing-subtitle
	description: INodeTypeDescription = {
		displayName: 'Muvi Video',
		name: 'muviVideo',
		icon: { light: 'file:../../icons/muvi.svg', dark: 'file:../../icons/muvi.dark.svg' },
		group: ['transform'],
		// 2: a second binary input of a model (end frame …) defaults to its own property, not "data" again;
		// Max Cost and Download Video on the node (on by default). Version 1 keeps them under Options.
		version: [1, 2],
		defaultVersion: 2,
		// The estimated price and the model, e.g. "est. $0.42 · Kling 3.0 Standard — Image to Video".
		subtitle: subtitleExpression(),
		description: 'Generate AI videos with the Muvi Video API (Kling, Veo, Sora, Runway, Seedance and more)',
		defaults: { name: 'Muvi Video' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'muviApi', required: true }],
		requestDefaults: {
			baseURL: '={{ $credentials.baseUrl }}',
			headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
		},
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				// Video first: n8n's node panel lists the actions in this order ("Generate a video" first), then
				// Image; the rule wanting them alphabetical applies from five options on.
				// eslint-disable-next-line n8n-nodes-base/node-param-options-type-unsorted-items
				options: [
					{ name: 'Video', value: 'video' },
					{ name: 'Image', value: 'image' },
					{ name: 'Job', value: 'job' },
					{ name: 'File', value: 'file' },
					{ name: 'Model', value: 'model' },
				],
				default: 'video',
			},
			...videoDescription,
			...imageDescription,
			...jobDescription,
			...modelDescription,
			...fileDescription,
		],
	};

	methods = {
		// the live Estimated Cost line
		loadOptions: { estimatedCost },
		// "Other Model (by Slug)": the slug's fields from Muvi's public catalog
		resourceMapping: { getCustomModelFields },
	};

	/** Operations of more than one request, with an item loop the node owns; the rest is plain routing. */
	customOperations: INodeType['customOperations'] = {
		video: { generate },
		image: { generate },
		job: { waitForCompletion: waitForJobs },
		file: { upload: uploadFiles },
	};
}
