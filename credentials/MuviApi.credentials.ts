import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class MuviApi implements ICredentialType {
	name = 'muviApi';

	displayName = 'Muvi API';

	icon: Icon = { light: 'file:../icons/muvi.svg', dark: 'file:../icons/muvi.dark.svg' };

	documentationUrl = 'https://developer.muvi.video/docs/authentication';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'Create one in the Muvi dashboard (developer.muvi.video) under Settings → API Keys',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.muvi.video',
			description:
				'Leave as is for Muvi. Change it only for the legacy host (https://api.pixelbyte.app), a proxy, or a local Muvi simulator (http is allowed).',
		},
		{
			displayName: 'Webhook Signing Secret',
			name: 'webhookSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				"Optional. Checks that webhooks really come from Muvi, for the Muvi Video Trigger and for the Muvi Video node's Wait Mode \"Muvi Webhook\"; copy it from the webhook settings in the Muvi dashboard.",
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { Authorization: '=Bearer {{$credentials.apiKey}}' },
		},
	};

	// A key check that costs nothing (GET /v1/jobs needs the check_status scope). Without rules n8n shows
	// only the HTTP status text ("Unauthorized"); these say what Muvi answers and what to do.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{ $credentials.baseUrl }}',
			url: '/v1/jobs',
			qs: { limit: 1 },
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Muvi: The API key is invalid (INVALID_API_KEY), or it was deactivated or has expired. Copy an active key from developer.muvi.video → Settings → API Keys.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						"Muvi refused this key (403): it lacks the check_status scope (OPERATION_NOT_ALLOWED), or n8n's IP address is not in the key's allow-list (IP_NOT_WHITELISTED).",
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message: 'No Muvi API at this Base URL (404). Leave Base URL as https://api.muvi.video unless you use a proxy or the simulator.',
				},
			},
		],
	};
}
