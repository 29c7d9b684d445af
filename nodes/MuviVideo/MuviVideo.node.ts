import {
	NodeConnectionTypes,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import * as file from './actions/file';
import * as image from './actions/image';
import * as job from './actions/job';
import * as model from './actions/model';
import * as video from './actions/video';
import { getCustomModelFields } from './descriptions/customModel';
import { estimatedCost } from './descriptions/estimatedCost';
import { fallbackModels } from './descriptions/fallbackModels';
import { namedAfterValues } from './descriptions/parameters';
import { subtitleExpression } from './descriptions/subtitle';
import { resumeOnMuviWebhook, resumeWebhookDescription } from './engine/resume';

/**
 * The Muvi Video node: the description assembled from the resources, and each operation's run.
 *
 * Every operation is a custom operation (`customOperations`), so the description holds no routing:
 * the node has webhook() (Generate's Wait Mode "Muvi Webhook"), and n8n gives such a node no input
 * items in routed operations (n8n-core's WorkflowExecute.prepareConnectionInputData treats it like a
 * trigger). The node type stays declarative: it has no execute().
 */
export class MuviVideo implements INodeType {
	// The subtitle is built from the catalog (descriptions/subtitle.ts), which the lint rule, wanting a literal, cannot see.
	// eslint-disable-next-line n8n-nodes-base/node-class-description-missing-subtitle
	description: INodeTypeDescription = {
		displayName: 'Muvi Video',
		name: 'muviVideo',
		icon: { light: 'file:../../icons/muvi.svg', dark: 'file:../../icons/muvi.dark.svg' },
		group: ['transform'],
		// 2: a second binary input of a model (end frame …) defaults to its own property, not "data" again;
		// Max Cost and Download Video on the node (on by default). Version 1 keeps them under Options.
		// 3: Kling's Multi-Shot and Elements are lists filled in the editor (Add Shot, Add Element), not JSON
		// text; versions 1 and 2 keep the JSON fields their workflows hold.
		version: [1, 2, 3],
		defaultVersion: 3,
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
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				// Video first: n8n's node panel lists the actions in this order ("Generate a video" first), then Image
				options: namedAfterValues(['video', 'image', 'job', 'file', 'model']),
				default: 'video',
			},
			...video.description,
			...image.description,
			...job.description,
			...model.description,
			...file.description,
		],
	};

	methods = {
		// the live Estimated Cost line
		loadOptions: { estimatedCost, fallbackModels },
		// "Other Model (by Slug)": the slug's fields from Muvi's public catalog
		resourceMapping: { getCustomModelFields },
	};

	customOperations: INodeType['customOperations'] = {
		video: { generate: video.generate.execute, estimateCost: video.estimateCost.execute },
		image: { generate: image.generate.execute, estimateCost: image.estimateCost.execute },
		job: {
			waitForCompletion: job.waitForCompletion.execute,
			get: job.get.execute,
			getAll: job.getAll.execute,
			cancel: job.cancel.execute,
		},
		model: { get: model.get.execute, getAll: model.getAll.execute },
		file: { upload: file.upload.execute },
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
