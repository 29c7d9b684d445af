import {
	NodeApiError,
	type DeduplicationHelperFunctions,
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type IHookFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { downloadVideo } from '../MuviVideo/shared/download';
import { normalizeJob } from '../MuviVideo/shared/output';
import { CREDENTIAL_TYPE, muviRead } from '../MuviVideo/shared/transport';
import {
	MAX_PROCESSED_DELIVERIES,
	claimDelivery,
	deliveryKey,
	recordInExecution,
	retentionMs,
	withSerialized,
} from './deliveries';
import { DEFAULT_TOLERANCE_SECONDS, verifyWebhookSignature, type SignatureFailure } from './signature';

const EVENTS = ['completed', 'failed'];

interface TriggerOptions {
	fetchJob?: boolean;
	download?: boolean;
	binaryPropertyName?: string;
	toleranceSeconds?: number;
	allowUnsigned?: boolean;
}

/** The parts of n8n's request object this node reads (an http.IncomingMessage underneath). */
interface WebhookRequest {
	/** the body bytes as received, kept by n8n's raw body reader */
	rawBody?: unknown;
	/** n8n's lazy raw body reader; fills `rawBody` */
	readRawBody?: () => Promise<void>;
	body?: unknown;
}

/** The parts of n8n's response object this node writes (an http.ServerResponse underneath). */
interface WebhookResponse {
	statusCode: number;
	headersSent?: boolean;
	setHeader(name: string, value: string): unknown;
	end(body?: string): unknown;
}

/** For the operator's log only: the 401 answer does not say which check failed. */
const FAILURE_MESSAGES: Record<SignatureFailure, string> = {
	'missing-secret': 'No webhook signing secret is configured for this trigger',
	'missing-timestamp': 'The X-PixelByte-Timestamp header is missing',
	'missing-signature': 'The X-PixelByte-Signature header is missing',
	'malformed-timestamp': 'The X-PixelByte-Timestamp header is not a Unix time in seconds',
	'malformed-signature': 'The X-PixelByte-Signature header is not "sha256=" followed by 64 hex digits',
	'stale-timestamp': 'The request is too old (X-PixelByte-Timestamp is outside the allowed tolerance)',
	'future-timestamp': 'The request is dated in the future (X-PixelByte-Timestamp is outside the allowed tolerance)',
	'signature-mismatch': 'The signature does not match the request',
};

/** Answers the request directly; n8n then starts no execution. */
function answer(ctx: IWebhookFunctions, statusCode: number, body: IDataObject): IWebhookResponseData {
	const res = ctx.getResponseObject() as unknown as WebhookResponse;
	if (!res.headersSent) {
		res.statusCode = statusCode;
		res.setHeader('Content-Type', 'application/json; charset=utf-8');
		res.setHeader('Cache-Control', 'no-store');
	}
	res.end(JSON.stringify(body));
	return { noWebhookResponse: true };
}

function toleranceOf(options: TriggerOptions): number {
	return typeof options.toleranceSeconds === 'number' && options.toleranceSeconds > 0
		? options.toleranceSeconds
		: DEFAULT_TOLERANCE_SECONDS;
}

/** Only production deliveries use the duplicate memory: a test event, or a retry the user asks for, runs again. */
function usesMemory(mode: string): boolean {
	return mode === 'webhook';
}

/**
 * Records the delivery in n8n's processed-data table, which every process of the instance shares and
 * which survives restarts. True when it is new, false when an earlier execution already recorded it.
 * When n8n does not offer the table (or it fails twice) the delivery counts as new: the workflow runs
 * rather than a paid job's result being dropped, and the other two memories still applied in webhook().
 */
async function claimDurably(ctx: IExecuteFunctions, scope: string, key: string): Promise<boolean> {
	const helpers = ctx.helpers as Partial<DeduplicationHelperFunctions>;
	const checkProcessedAndRecord = helpers.checkProcessedAndRecord;
	if (typeof checkProcessedAndRecord !== 'function') return true;
	for (let attempt = 1; ; attempt++) {
		try {
			// one call at a time per trigger in this process: n8n's helper reads, then writes the whole row
			const result = await withSerialized(scope, async () =>
				await checkProcessedAndRecord.call(helpers, [key], 'node', { mode: 'entries', maxEntries: MAX_PROCESSED_DELIVERIES }),
			);
			return result.processed.length === 0;
		} catch (error) {
			// Two first deliveries at once both try to create the node's row; the loser reads it on the second try.
			if (attempt < 2) continue;
			ctx.logger.warn('Muvi Video Trigger could not use n8n\'s processed-data table; the delivery runs without that check', {
				workflowId: ctx.getWorkflow().id,
				node: ctx.getNode().name,
				error: (error as Error).message,
			});
			return true;
		}
	}
}

/** Identifies one trigger node of one workflow in this process's memory. */
function scopeOf(ctx: IWebhookFunctions | IExecuteFunctions): string {
	const node = ctx.getNode();
	return `${ctx.getWorkflow().id ?? ''}/${node.id ?? node.name}`;
}

function header(ctx: IWebhookFunctions, name: string): string | string[] | undefined {
	return ctx.getHeaderData()[name];
}

/**
 * The body exactly as Muvi sent it. n8n keeps it on the request as `rawBody` (a Buffer) and reads it
 * lazily through `readRawBody()`. Only if neither exists (not the case in n8n 1.x or 2.x) does this
 * fall back to the parsed body, re-serialised the way Muvi's own Node example signs it.
 */
async function readRawBody(ctx: IWebhookFunctions): Promise<Buffer> {
	const req = ctx.getRequestObject() as unknown as WebhookRequest;
	if (!Buffer.isBuffer(req.rawBody) && typeof req.readRawBody === 'function') await req.readRawBody();
	if (Buffer.isBuffer(req.rawBody)) return req.rawBody;
	if (typeof req.rawBody === 'string') return Buffer.from(req.rawBody, 'utf8');
	const body = req.body;
	if (typeof body === 'string') return Buffer.from(body, 'utf8');
	if (body && typeof body === 'object' && Object.keys(body).length > 0) return Buffer.from(JSON.stringify(body), 'utf8');
	return Buffer.alloc(0);
}

/** The delivery as JSON, or undefined when it is not a JSON object with a job ID and a status. */
function parseDelivery(rawBody: Buffer): IDataObject | undefined {
	let parsed: unknown;
	try {
		parsed = JSON.parse(rawBody.toString('utf8').replace(/^\uFEFF/, ''));
	} catch {
		return undefined;
	}
	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
	const payload = parsed as IDataObject;
	if (typeof payload.jobId !== 'string' || payload.jobId === '' || payload.jobId.length > 256) return undefined;
	if (typeof payload.status !== 'string' || payload.status === '') return undefined;
	return payload;
}

/** Errors from the shared transport are already node errors; anything else is wrapped. */
function asNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}

function jobError(raw: unknown): IDataObject {
	const err = (raw && typeof raw === 'object' ? raw : {}) as IDataObject;
	return {
		code: typeof err.code === 'string' ? err.code : 'UNKNOWN',
		message: typeof err.message === 'string' ? err.message : typeof raw === 'string' ? raw : 'Muvi did not say why the job failed',
	};
}

/** The item the workflow starts with, built only from what the signed delivery says. */
function deliveryItem(payload: IDataObject, receivedAt: string, verified: boolean, includeRawOutput: boolean): IDataObject {
	const status = payload.status as string;
	const json: IDataObject = {
		jobId: payload.jobId,
		requestId: typeof payload.requestId === 'string' ? payload.requestId : null,
		status,
		completedAt: typeof payload.completedAt === 'string' ? payload.completedAt : null,
	};
	if (status === 'completed') {
		const videoUrl = normalizeJob(payload).videoUrl;
		json.videoUrl = typeof videoUrl === 'string' ? videoUrl : null;
		if (includeRawOutput && payload.output !== undefined) json.output = payload.output;
	}
	if (status === 'failed') json.error = jobError(payload.error);
	json.receivedAt = receivedAt;
	json.signatureVerified = verified;
	return json;
}

export class MuviVideoTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Muvi Video Trigger',
		name: 'muviVideoTrigger',
		icon: { light: 'file:../../icons/muvi.svg', dark: 'file:../../icons/muvi.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ "On " + ($parameter["events"] || []).join(", ") }}',
		// n8n's node panel shows the package's entry with the trigger's description, so it speaks for the whole package.
		description:
			'Generate AI videos with Kling, Veo, Sora, Seedance and more, see the price first, and start workflows when a video is ready',
		defaults: { name: 'Muvi Video Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'muviApi', required: true }],
		// Muvi only reads the status code: answer an accepted delivery with an empty 200 as soon as the run starts.
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: 'noData', path: 'muvi' }],
		properties: [
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
		],
	};

	// Muvi has no API to register webhooks: the URL travels with each job, so there is nothing to
	// check, create or delete on Muvi's side, and these report the (local) endpoint as ready.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	/**
	 * Runs while Muvi waits for the answer, so it only does fast, local work: verify, parse, filter,
	 * deduplicate. Fetching the job and downloading the video happen in execute(), after n8n has
	 * answered 200.
	 */
	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const receivedAt = new Date();
		const options = this.getNodeParameter('options', {}) as TriggerOptions;
		const events = this.getNodeParameter('events', EVENTS) as string[];
		const tolerance = toleranceOf(options);

		let secret = '';
		try {
			const credentials = await this.getCredentials(CREDENTIAL_TYPE);
			secret = typeof credentials.webhookSecret === 'string' ? credentials.webhookSecret.trim() : '';
		} catch {
			// No usable credential means no secret: refused below unless unsigned requests are allowed.
		}

		const rawBody = await readRawBody(this);
		const timestamp = header(this, 'x-pixelbyte-timestamp');
		const signature = header(this, 'x-pixelbyte-signature');
		const unsigned = secret === '' || (timestamp === undefined && signature === undefined);
		let verified = false;
		if (!(options.allowUnsigned && unsigned)) {
			const check = verifyWebhookSignature({
				secret,
				timestamp,
				signature,
				rawBody,
				toleranceSeconds: tolerance,
				now: receivedAt.getTime(),
			});
			if (!check.ok) {
				// The operator's trace: which check failed, never the secret, the signature or the body.
				this.logger.warn(`Muvi Video Trigger refused a webhook request (${check.reason}): ${FAILURE_MESSAGES[check.reason]}`, {
					reason: check.reason,
					workflowId: this.getWorkflow().id,
					node: this.getNode().name,
				});
				// The caller may be anyone: the answer does not say which check failed.
				return answer(this, 401, { error: 'unauthorized', message: 'The request was refused.' });
			}
			verified = true;
		}

		const payload = parseDelivery(rawBody);
		if (!payload)
			return answer(this, 400, {
				error: 'bad_request',
				message: 'The body is not a JSON object with a jobId and a status',
			});

		const status = payload.status as string;
		if (!events.includes(status))
			return { webhookResponse: { received: true, ignored: `event "${status}" is not selected in this trigger` } };

		// Manual test runs skip the memory so the same test delivery can be sent again.
		if (usesMemory(this.getMode())) {
			const workflowId = this.getWorkflow().id ?? '';
			const node = this.getNode();
			// n8n read this static data from its database for this request: what earlier executions saved.
			const isNew = claimDelivery({
				staticData: this.getWorkflowStaticData('node'),
				scope: scopeOf(this),
				key: deliveryKey(String(payload.jobId), status),
				now: receivedAt.getTime(),
				retention: retentionMs(tolerance),
			});
			if (!isNew) {
				this.logger.debug('Muvi Video Trigger: duplicate delivery acknowledged, no execution started', {
					workflowId,
					node: node.name,
					jobId: payload.jobId,
					status,
				});
				return { webhookResponse: { received: true, duplicate: true } };
			}
		}

		const json = deliveryItem(payload, receivedAt.toISOString(), verified, options.fetchJob === false);
		return { workflowData: [[{ json }]] };
	}

	/**
	 * n8n runs this with the item webhook() returned, as the first step of the execution: the HTTP
	 * answer has already gone out, so a slow Muvi API or a large video cannot make Muvi time out
	 * and deliver again.
	 *
	 * First it makes the delivery memory durable (see deliveries.ts): n8n's processed-data table,
	 * and the static data again, which n8n saves when the execution ends. A delivery that table
	 * already holds (a copy that reached another n8n process, or that came before the static data
	 * was saved) outputs no item, so no other node of the workflow runs.
	 */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const returnData: INodeExecutionData[] = [];
		const remember = usesMemory(this.getMode());
		for (let i = 0; i < items.length; i++) {
			const options = this.getNodeParameter('options', i, {}) as TriggerOptions;
			const json: IDataObject = { ...items[i].json };
			if (remember && typeof json.jobId === 'string' && typeof json.status === 'string') {
				const key = deliveryKey(json.jobId, json.status);
				const scope = scopeOf(this);
				const isNew = await claimDurably(this, scope, key);
				recordInExecution({
					staticData: this.getWorkflowStaticData('node'),
					scope,
					key,
					now: Date.now(),
					retention: retentionMs(toleranceOf(options)),
				});
				if (!isNew) {
					this.logger.info('Muvi Video Trigger: duplicate delivery (already run by another execution), no item output', {
						workflowId: this.getWorkflow().id,
						node: this.getNode().name,
						jobId: json.jobId,
						status: json.status,
					});
					continue;
				}
			}
			const item: INodeExecutionData = { json, pairedItem: { item: i } };
			const jobId = typeof json.jobId === 'string' ? json.jobId : '';
			const completed = json.status === 'completed' && jobId !== '';
			try {
				if (completed && options.fetchJob !== false) {
					const raw = (await muviRead(
						this,
						{ method: 'GET', path: `/v1/jobs/${encodeURIComponent(jobId)}` },
						`reading job ${jobId}`,
						i,
					)) as IDataObject;
					const job = normalizeJob(raw);
					json.outputs = Array.isArray(job.outputs) ? job.outputs : [];
					if (typeof job.videoUrl === 'string') json.videoUrl = job.videoUrl;
					if (typeof job.thumbnailUrl === 'string') json.thumbnailUrl = job.thumbnailUrl;
					if (typeof job.posterImageUrl === 'string') json.posterImageUrl = job.posterImageUrl;
					if (json.completedAt === null && typeof job.completedAt === 'string') json.completedAt = job.completedAt;
					if (json.requestId === null && typeof job.requestId === 'string') json.requestId = job.requestId;
				}
				if (completed && options.download) {
					if (typeof json.videoUrl !== 'string' || json.videoUrl === '')
						throw new NodeOperationError(this.getNode(), `Job ${jobId} completed without an output URL`, {
							description: 'There is no video to download. Turn on Fetch Job Details so the node reads the outputs from Muvi.',
							itemIndex: i,
						});
					const property = (options.binaryPropertyName || 'data').trim() || 'data';
					item.binary = { [property]: await downloadVideo(this, json.videoUrl, jobId, i) };
				}
			} catch (error) {
				if (!this.continueOnFail()) throw asNodeError(this, error, i);
				json.error = (error as Error).message;
			}
			returnData.push(item);
		}
		return [returnData];
	}
}
