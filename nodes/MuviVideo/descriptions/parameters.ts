import type { INodeProperties } from 'n8n-workflow';

/** Parameters several operations share, defined once so they read the same everywhere. */

export const downloadVideoOption = (extra = ''): INodeProperties => ({
	displayName: 'Download Video',
	name: 'download',
	type: 'boolean',
	default: false,
	description: `Whether to put the finished video into the item's binary data${extra}`,
});

export const binaryPropertyOption: INodeProperties = {
	displayName: 'Put Output File in Field',
	name: 'binaryPropertyName',
	type: 'string',
	default: 'data',
	description: 'The binary property that receives the video when Download Video is on',
};

export const timeoutOption = (what: string): INodeProperties => ({
	displayName: 'Timeout (Seconds)',
	name: 'timeout',
	type: 'number',
	default: 1800,
	typeOptions: { minValue: 1 },
	description: `How long to wait for the job to finish before giving up (${what})`,
});

/** A list's filters, in n8n's usual collection ("Add Filter"). */
export const filtersCollection = (show: Record<string, string[]>, options: INodeProperties[]): INodeProperties => ({
	displayName: 'Filters',
	name: 'filters',
	type: 'collection',
	placeholder: 'Add Filter',
	default: {},
	displayOptions: { show },
	options,
});

/** Options whose names are their values with a capital first letter: "completed" → "Completed". */
export const namedAfterValues = (values: string[]) => values.map((value) => ({ name: value.charAt(0).toUpperCase() + value.slice(1), value }));

/** n8n's usual "Return All" switch and "Limit" for a Get Many operation. */
export const returnAllAndLimit = (show: Record<string, string[]>): INodeProperties[] => [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: { show },
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		default: 50,
		typeOptions: { minValue: 1 },
		description: 'Max number of results to return',
		displayOptions: { show: { ...show, returnAll: [false] } },
	},
];

/** Max Cost (USD): node version 1 keeps it under Options, version 2 on the node. */
export const maxCostOption: INodeProperties = {
	displayName: 'Max Cost (USD)',
	name: 'maxCostUsd',
	type: 'number',
	default: 1,
	// no numberPrecision: n8n would round what is typed to it, and a price can need every decimal of a micro-cent ($0.2412)
	typeOptions: { minValue: 0 },
	description:
		"Refuse to submit an item whose estimated cost is higher than this, in US dollars. Muvi's actual charge can be lower after account discounts.",
};

/** How Generate waits: Poll, Muvi Webhook (the execution pauses) or Auto. */
export const waitModeProperty = (show: NonNullable<NonNullable<INodeProperties['displayOptions']>['show']>): INodeProperties => ({
	displayName: 'Wait Mode',
	name: 'waitMode',
	type: 'options',
	noDataExpression: true,
	default: 'poll',
	options: [
		{
			name: 'Poll',
			value: 'poll',
			description: 'Ask Muvi for the status until the job is done; the execution keeps running meanwhile',
		},
		{
			name: 'Muvi Webhook',
			value: 'webhook',
			description:
				"Pause the execution until Muvi's signed webhook says every job is done; needs n8n on a public https address and the credential's Webhook Signing Secret",
		},
		{
			name: 'Auto',
			value: 'auto',
			description: 'Muvi Webhook when n8n has a public https address and the credential a Webhook Signing Secret, Poll otherwise',
		},
	],
	description:
		'How to wait. A paused execution holds no concurrency slot or worker. If the Timeout passes before every job is done, the node passes its input on unchanged: the job IDs are in the execution\'s custom data (muvi_wait_…) for Job → Wait for Completion.',
	displayOptions: { show },
});

/** Max Total Cost (USD): the run's estimates added up. Version 1 keeps it under Options, version 2 on the node. */
export const maxTotalCostOption: INodeProperties = {
	displayName: 'Max Total Cost (USD)',
	name: 'maxTotalCostUsd',
	type: 'number',
	default: 0,
	typeOptions: { minValue: 0 },
	description:
		"Refuse the whole run when the estimated costs of all its items add up to more than this, in US dollars: nothing is sent for any item. 0 means no limit. Muvi's actual charge can be lower after account discounts.",
};

/** Max Cost per Execution (USD): what the execution spends on Muvi across all its Muvi Video nodes and runs. */
export const maxExecutionCostOption: INodeProperties = {
	displayName: 'Max Cost per Execution (USD)',
	name: 'maxExecutionCostUsd',
	type: 'number',
	default: 0,
	typeOptions: { minValue: 0 },
	description:
		"Refuse an item whose estimated cost would take this execution's Muvi spend (all its Muvi Video nodes and runs, net of refunds) above this, in US dollars. 0 means no limit. The spend so far is in the execution's custom data (muvi_cost).",
};

/** What the Timeout does to a job still rendering. */
export const onTimeoutOption: INodeProperties = {
	displayName: 'On Timeout',
	name: 'onTimeout',
	type: 'options',
	default: 'keepRunning',
	options: [
		{
			name: 'Keep Running',
			value: 'keepRunning',
			description: 'The job stays paid and keeps rendering at Muvi; its item has the job ID to collect it later',
		},
		{
			name: 'Cancel Pending Jobs',
			value: 'cancelPending',
			description:
				'Cancel a job Muvi has not started yet (it is refunded); a job already processing cannot be cancelled and keeps rendering. Wait Mode Poll only.',
		},
	],
	description: 'What happens to a job that has not finished when the Timeout passes',
};
