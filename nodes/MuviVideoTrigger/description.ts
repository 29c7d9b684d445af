import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_TOLERANCE_SECONDS } from '../webhooks/signature';

/** The trigger's parameters: which job outcomes start the workflow, how requests are checked, what the item carries. */
export const triggerProperties: INodeProperties[] = [
	{
		displayName:
			'Muvi calls this node when a job finishes. Copy the Production URL (Webhook URLs, above) into the Webhook URL option of the Muvi Video node, or send it as <code>webhookUrl</code> with jobs you submit through the API, then <b>Publish</b> the workflow (n8n 1.x: set it Active): only a published workflow answers, and Muvi only calls https URLs.<br>To send a test event: click <b>Listen for test event</b> here, then run a Muvi Video node whose Webhook URL is this node\'s <b>Test URL</b>; the delivery shows up here. Requests are checked against the Webhook Signing Secret of the Muvi API credential.',
		name: 'notice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		required: true,
		options: [
			{ name: 'Job Completed', value: 'completed', description: 'The video is ready' },
			{ name: 'Job Failed', value: 'failed', description: 'The job failed; Muvi refunds its credits' },
		],
		default: ['completed', 'failed'],
		description: 'Which job outcomes start the workflow. Others are acknowledged and ignored.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Accept Unsigned Requests (Insecure)',
				name: 'allowUnsigned',
				type: 'boolean',
				default: false,
				description:
					'Whether to accept requests that carry no signature, or arrive when no signing secret is set. Anyone who knows the URL can then start this workflow: use it for local testing only. A request with a wrong signature is still refused.',
			},
			{
				displayName: 'Download Video',
				name: 'download',
				type: 'boolean',
				default: false,
				description: 'Whether to download the finished video into the binary data of the item',
			},
			{
				displayName: 'Fetch Job Details',
				name: 'fetchJob',
				type: 'boolean',
				default: true,
				description:
					'Whether to read the job from Muvi (GET /v1/jobs/{jobID}) so the item carries the canonical outputs list; the webhook payload shape differs between models',
			},
			{
				displayName: 'Put Video in Field',
				name: 'binaryPropertyName',
				type: 'string',
				default: 'data',
				placeholder: 'e.g. data',
				description: 'Name of the binary field for the downloaded video (used when Download Video is on)',
			},
			{
				displayName: 'Timestamp Tolerance (Seconds)',
				name: 'toleranceSeconds',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: DEFAULT_TOLERANCE_SECONDS,
				description:
					'How far the X-PixelByte-Timestamp of a request may be from the clock of this server, either way; older requests are refused as replays. The default covers Muvi\'s retries, the last of which can come about 8 minutes after the first attempt.',
			},
		],
	},
];
