import { NodeConnectionTypes, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { fileDescription, uploadFiles } from './resources/file';
import { imageDescription } from './resources/image';
import { jobDescription, waitForJobs } from './resources/job';
import { modelDescription } from './resources/model';
import { videoDescription } from './resources/video';
import { generate } from './resources/video/generate';
import { getCustomModelFields } from './shared/customInput';

export class MuviVideo implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Muvi Video',
		name: 'muviVideo',
		icon: { light: 'file:../../icons/muvi.svg', dark: 'file:../../icons/muvi.dark.svg' },
		group: ['transform'],
		// 2: Max Cost and Download Video on the node (on by default); 1 keeps them under Options
		version: [1, 2],
		defaultVersion: 2,
		subtitle:
			'={{ $parameter["model"] && ($parameter["resource"] === "video" || $parameter["resource"] === "image") ? $parameter["operation"] + ": " + ($parameter["model"] === "custom" ? $parameter["customModel"] : $parameter["model"]) : $parameter["resource"] + ": " + $parameter["operation"] }}',
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
				options: [
					{ name: 'File', value: 'file' },
					{ name: 'Image', value: 'image' },
					{ name: 'Job', value: 'job' },
					{ name: 'Model', value: 'model' },
					{ name: 'Video', value: 'video' },
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
