import {
	NodeConnectionTypes,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { estimatedCost } from './editor/estimate';
import { subtitleExpression } from './editor/subtitle';
import { fileDescription, uploadFiles } from './resources/file';
import { imageDescription } from './resources/image';
import { cancelJob, getJob, getManyJobs, jobDescription, waitForJobs } from './resources/job';
import { getManyModels, getModel, modelDescription } from './resources/model';
import { videoDescription } from './resources/video';
import { estimateCost, prepareEstimateRequest } from './resources/video/estimateCost';
import { generate } from './resources/video/generate';
import { asCustomOperation } from './shared/asCustomOperation';
import { getCustomModelFields } from './shared/customInput';
import { resumeOnMuviWebhook, resumeWebhookDescription } from './shared/resumeWebhook';

/** Video and Image → Estimate Cost: described with routing, run as a custom operation because the node has webhook(). */
const estimateCostOperation = asCustomOperation(estimateCost, { method: 'POST', url: '/v1/jobs/estimate', preSend: [prepareEstimateRequest] });

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
		// Generate's Wait Mode "Muvi Webhook": Muvi's signed call resumes the waiting execution here
		webhooks: [{ ...resumeWebhookDescription }],
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
		video: { generate, estimateCost: estimateCostOperation },
		// Image → Generate and Estimate Cost are the same operations as Video's
		image: { generate, estimateCost: estimateCostOperation },
		job: {
			waitForCompletion: waitForJobs,
			// the operations below are described with routing; they run through asCustomOperation because the node has webhook()
			get: asCustomOperation(getJob),
			getAll: asCustomOperation(getManyJobs),
			cancel: asCustomOperation(cancelJob),
		},
		model: { get: asCustomOperation(getModel), getAll: asCustomOperation(getManyModels) },
		file: { upload: uploadFiles },
	};

	/** Muvi's call to the resume URL of a waiting Generate (Wait Mode "Muvi Webhook"). */
	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await resumeOnMuviWebhook.call(this);
	}

	// Restart (resume) webhooks are never registered with a third party, so n8n never calls these.
	webhookMethods = {
		default: {
			checkExists: async () => true,
			create: async () => true,
			delete: async () => true,
		},
	};
}
