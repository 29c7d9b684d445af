import type { INodeProperties } from 'n8n-workflow';

import {
	binaryPropertyOption,
	downloadVideoOption,
	maxCostOption,
	maxExecutionCostOption,
	maxTotalCostOption,
	onTimeoutOption,
	timeoutOption,
	waitModeProperty,
} from '../../descriptions/parameters';
import { fallbackModelsProperty } from '../../descriptions/fallbackModels';
import { generateJobs } from '../../engine/generate';

const showFor = { resource: ['video'], operation: ['generate'] };
const v1 = { '@version': [1] };
// version 2 and later (3 changed only the Multi-Shot and Elements fields)
const v2 = { '@version': [{ _cnd: { gte: 2 } }] };

const sharedOptions: INodeProperties[] = [
	{
		displayName: 'Model Version',
		name: 'version',
		type: 'string',
		default: '',
		placeholder: 'e.g. v1.0',
		description: 'A specific model version; leave empty for the latest stable version',
	},
	binaryPropertyOption,
	{
		displayName: 'Allow Unknown Cost',
		name: 'allowUnknownCost',
		type: 'boolean',
		default: false,
		description:
			"Whether to submit a model without a local price (Other Model, motion transfer) when Muvi's estimate cannot be had. Off: such an item is refused under Max Cost, and nothing is sent.",
	},
	timeoutOption('the job keeps running at Muvi and can be picked up later by its ID'),
	onTimeoutOption,
	{
		displayName: 'Webhook URL',
		name: 'webhookUrl',
		type: 'string',
		default: '',
		placeholder: 'e.g. https://n8n.example.com/webhook/…/muvi',
		description: 'An https:// address Muvi calls when the job finishes, e.g. the production URL of a Muvi Video Trigger node',
	},
	{
		displayName: 'Attach to Earlier Jobs',
		name: 'attachToEarlierJobs',
		type: 'boolean',
		default: false,
		description:
			"Whether an item this node already submitted with the same input, at the same position in the batch, within the last 7 days, is attached to that job instead of being paid again. Turn on to finish a batch that was stopped or whose n8n worker died (n8n's Retry does not run those again). An editor Retry of a failed execution always attaches.",
	},
];

/** Version 1 (existing workflows): Max Cost, the other limits and Download Video live under Options, as they always did. */
const optionsV1: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	displayOptions: { show: { ...showFor, ...v1 } },
	options: [downloadVideoOption(' (needs Wait for Completion)'), maxCostOption, maxTotalCostOption, maxExecutionCostOption, ...sharedOptions],
};

/** Version 2: the cost limits and the download are on the node, visible (the download on by default). */
const optionsV2: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	displayOptions: { show: { ...showFor, ...v2 } },
	options: sharedOptions,
};

/** Generate-only parameters; the model and its fields are shared with Estimate Cost (see index.ts). */
export const description: INodeProperties[] = [
	{
		...maxCostOption,
		default: 2.5,
		description:
			"Refuse to submit an item whose estimated cost (from the model's documented price) is higher than this, in US dollars; nothing is sent for any item then. Muvi's actual charge can be lower after account discounts. Models without a local price (Other Model, motion transfer) are checked against Muvi's estimate first.",
		displayOptions: { show: { ...showFor, ...v2 } },
	},
	{ ...maxTotalCostOption, displayOptions: { show: { ...showFor, ...v2 } } },
	{ ...maxExecutionCostOption, displayOptions: { show: { ...showFor, ...v2 } } },
	fallbackModelsProperty(showFor, 'video'),
	{
		displayName: 'Wait for Completion',
		name: 'waitForCompletion',
		type: 'boolean',
		default: true,
		description:
			'Whether to wait until the video is finished (or failed) before continuing. Off: output the job ID right after submitting.',
		displayOptions: { show: showFor },
	},
	waitModeProperty({ ...showFor, waitForCompletion: [true] }),
	{
		...downloadVideoOption(),
		default: true,
		displayOptions: { show: { ...showFor, ...v2, waitForCompletion: [true] } },
	},
	optionsV1,
	optionsV2,
];

/** Submit a job per item, optionally wait for it (Poll or Muvi Webhook) and download its file: the job engine's Generate. */
export const execute = generateJobs;
