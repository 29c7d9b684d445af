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
				"Optional. Used by the Muvi Video Trigger to check that webhooks really come from Muvi; copy it from the webhook settings in the Muvi dashboard.",
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { Authorization: '=Bearer {{$credentials.apiKey}}' },
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{ $credentials.baseUrl }}',
			url: '/v1/jobs',
			qs: { limit: 1 },
		},
	};
}
