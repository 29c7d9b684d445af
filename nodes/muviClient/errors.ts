import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

interface Guide {
	/** what happened, in plain words */
	message: string;
	/** what the user can do about it */
	hint: string;
}

/** Every error code in muvi-api.md §1 and §3 (plus the upload and job codes seen elsewhere), for people. */
export const MUVI_ERROR_GUIDE: Record<string, Guide> = {
	UNAUTHORIZED: {
		message: 'Muvi did not receive a valid API key',
		hint: 'Open the Muvi API credential and paste your API key (Muvi dashboard → Settings → API Keys).',
	},
	INVALID_API_KEY: {
		message: 'Muvi does not recognise this API key',
		hint: 'Check the key in the Muvi API credential; create a new one in the Muvi dashboard (Settings → API Keys) if it was deleted.',
	},
	API_KEY_INACTIVE: {
		message: 'This Muvi API key has been deactivated',
		hint: 'Reactivate it or create a new key in the Muvi dashboard, then update the credential.',
	},
	API_KEY_EXPIRED: {
		message: 'This Muvi API key has expired',
		hint: 'Create a new key in the Muvi dashboard (Settings → API Keys) and update the credential.',
	},
	IP_NOT_WHITELISTED: {
		message: "Muvi refused the request because this n8n server's IP address is not on the key's allow-list",
		hint: "Add this server's public IP address to the key's allowed IPs in the Muvi dashboard, or use a key without an IP restriction.",
	},
	OPERATION_NOT_ALLOWED: {
		message: 'This Muvi API key is not allowed to do this',
		hint: 'Give the key the scope this operation needs in the Muvi dashboard (submit_job to generate or cancel, check_status to read jobs or estimate, list_models for models), or use a full-access key.',
	},
	INVALID_WORKER_SECRET: {
		message: 'Muvi rejected an internal worker secret',
		hint: 'This is an internal Muvi error that should not reach API users; contact support@muvi.video.',
	},
	INVALID_SESSION: {
		message: 'Muvi rejected a dashboard session',
		hint: 'This node uses API keys, not dashboard sessions; check that the credential holds an API key.',
	},
	FORBIDDEN: {
		message: 'Muvi refused the request (forbidden)',
		hint: 'Check that your Muvi account and API key are active and allowed to use this feature.',
	},
	CONFIG_ERROR: {
		message: 'Muvi reported a server configuration error',
		hint: 'This is on Muvi’s side. Try again later; if it persists, contact support@muvi.video.',
	},
	MODEL_NOT_FOUND: {
		message: 'Muvi does not know this model',
		hint: 'Pick a model from the list, or check the slug (provider/model/capability) on the Muvi models page.',
	},
	MODEL_VERSION_NOT_FOUND: {
		message: 'Muvi does not know this model version',
		hint: 'Clear the "Model Version" option to use the latest stable version, or check the version name.',
	},
	MODEL_VERSION_NOT_ACTIVE: {
		message: 'This model version is deprecated or disabled',
		hint: 'Clear the "Model Version" option to use the current version.',
	},
	INVALID_MODEL_SLUG: {
		message: 'The model slug is malformed',
		hint: 'A slug looks like provider/model/capability, e.g. kling/kling-3.0-standard/image-to-video.',
	},
	MODEL_ACCESS_DENIED: {
		message: 'Your Muvi account or plan may not use this model',
		hint: 'Choose another model, or upgrade the plan in the Muvi dashboard.',
	},
	INSUFFICIENT_BALANCE: {
		message: 'Your Muvi balance is too low for this job',
		hint: 'Top up your balance in the Muvi dashboard (developer.muvi.video), then run the workflow again. Nothing was charged for this item.',
	},
	INVALID_INPUT: {
		message: "Muvi rejected the input for this model",
		hint: "Check the fields named in Muvi's message against the model's page in the Muvi docs.",
	},
	JOB_NOT_FOUND: {
		message: 'Muvi has no job with this ID',
		hint: 'Check the job ID (it looks like job_abc123); jobs of another account or API environment are not visible.',
	},
	JOB_CANNOT_BE_CANCELLED: {
		message: 'This job can no longer be cancelled',
		hint: 'Only jobs that are still pending can be cancelled; this one is already processing or finished.',
	},
	CONCURRENT_JOBS_EXCEEDED: {
		message: 'Your Muvi plan is already running as many jobs as it allows',
		hint: 'Wait for running jobs to finish, send fewer items at once, or raise the limit with a bigger plan.',
	},
	INVALID_WEBHOOK_URL: {
		message: 'Muvi rejected the webhook URL',
		hint: 'The webhook URL must be a public https:// address, e.g. the production URL of a Muvi Video Trigger node.',
	},
	USER_NOT_FOUND: {
		message: 'Muvi cannot find the account this API key belongs to',
		hint: 'Check the API key, or contact support@muvi.video.',
	},
	USER_BANNED: {
		message: 'This Muvi account has been banned',
		hint: 'Contact support@muvi.video.',
	},
	USER_INACTIVE: {
		message: 'This Muvi account is inactive',
		hint: 'Activate the account in the Muvi dashboard, or contact support@muvi.video.',
	},
	UNAUTHORIZED_ACCESS: {
		message: 'This job belongs to another Muvi account',
		hint: 'Use the API key of the account that created the job.',
	},
	PUBSUB_PUBLISH_FAILED: {
		message: 'Muvi could not queue the job (a temporary problem on their side)',
		hint: 'Nothing was charged. Run the workflow again in a minute.',
	},
	INTERNAL_ERROR: {
		message: 'Muvi had an internal server error',
		hint: 'Try again later; if it keeps happening, contact support@muvi.video with the request ID.',
	},
	GENERATION_FAILED: {
		message: 'The model could not generate this video',
		hint: 'Try another prompt or input image. Muvi refunds the credits of failed jobs.',
	},
	VALIDATION_ERROR: {
		message: 'Muvi rejected the request as invalid',
		hint: "Check the values named in Muvi's message.",
	},
	INVALID_CONTENT_TYPE: {
		message: 'Muvi does not accept this file type',
		hint: 'Upload JPEG, PNG, WebP or GIF images, MP4 or WebM videos, or MP3 or WAV audio.',
	},
	NOT_FOUND: {
		message: 'Muvi could not find this resource',
		hint: 'Check the ID; uploaded files are deleted 60 minutes after upload.',
	},
};

const BY_STATUS: Record<number, Guide> = {
	400: { message: 'Muvi rejected the request', hint: "Check the values named in Muvi's message." },
	401: MUVI_ERROR_GUIDE.INVALID_API_KEY,
	402: MUVI_ERROR_GUIDE.INSUFFICIENT_BALANCE,
	403: MUVI_ERROR_GUIDE.FORBIDDEN,
	404: MUVI_ERROR_GUIDE.NOT_FOUND,
	429: MUVI_ERROR_GUIDE.CONCURRENT_JOBS_EXCEEDED,
	500: MUVI_ERROR_GUIDE.INTERNAL_ERROR,
	503: { message: 'Muvi is temporarily unavailable', hint: 'Try again in a minute.' },
};

export interface MuviErrorInfo {
	status?: number;
	code?: string;
	message?: string;
	requestId?: string;
}

export function guideFor(info: MuviErrorInfo): Guide {
	return (
		(info.code && MUVI_ERROR_GUIDE[info.code]) ||
		(info.status && BY_STATUS[info.status]) ||
		(info.status && info.status >= 500 ? BY_STATUS[500] : undefined) || {
			message: 'Muvi returned an error',
			hint: "Check Muvi's message below.",
		}
	);
}

/**
 * An error answer from Muvi as a NodeApiError a non-programmer can act on. Built from plain
 * values only, never from the HTTP library's error (which carries the request headers).
 */
export function muviApiError(node: INode, info: MuviErrorInfo, itemIndex?: number, prefix = ''): NodeApiError {
	const guide = guideFor(info);
	const said = [info.code, info.message].filter(Boolean).join(': ');
	const ref = info.requestId ? ` (request ${info.requestId})` : '';
	const response: JsonObject = { muviCode: info.code ?? null, muviMessage: info.message ?? null };
	return new NodeApiError(node, response, {
		message: `${prefix}${guide.message}`,
		description: `${guide.hint}${said ? ` Muvi said: ${said}${ref}.` : ref}`,
		httpCode: info.status ? String(info.status) : undefined,
		itemIndex,
	});
}
