import {
	NodeConnectionTypes,
	NodeApiError,
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

import { downloadFile } from '../muviClient/files';
import { jobPath, normalizeJob } from '../muviClient/jobs';
import { CREDENTIAL_TYPE, muviRead } from '../muviClient/transport';
import { claimDelivery, deliveryKey, recordInExecution, retentionMs } from '../webhooks/deliveries';
import { verifyWebhookSignature } from '../webhooks/signature';
import {
	FAILURE_MESSAGES,
	answer,
	claimDurably,
	deliveryItem,
	header,
	parseDelivery,
	readRawBody,
	scopeOf,
	toleranceOf,
	usesMemory,
	type TriggerOptions,
} from './delivery';
import { triggerProperties } from './description';

/** What the Events parameter defaults to (description.ts): both outcomes start the workflow. */
const EVENTS = ['completed', 'failed'];

/** Errors from the shared transport are already node errors; anything else is wrapped. */
function asNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}

export class MuviVideoTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Muvi Video Trigger',
		name: 'muviVideoTrigger',
		group: ['trigger'],
		version: 1,
		icon: { light: 'file:../../icons/muvi.svg', dark: 'file:../../icons/muvi.dark.svg' },
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
		properties: triggerProperties,
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
	 * First it makes the delivery memory durable (see webhooks/deliveries.ts): n8n's processed-data
	 * table, and the static data again, which n8n saves when the execution ends. A delivery that table
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
					const raw = (await muviRead(this, { method: 'GET', path: jobPath(jobId) }, `reading job ${jobId}`, i)) as IDataObject;
					const job = normalizeJob(raw);
					json.outputs = Array.isArray(job.outputs) ? job.outputs : [];
					if (typeof job.videoUrl === 'string') json.videoUrl = job.videoUrl;
					// an image job's images, by name (videoUrl stays: items of this version always had it)
					if (Array.isArray(job.imageUrls)) {
						json.imageUrl = job.imageUrl;
						json.imageUrls = job.imageUrls;
					}
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
					item.binary = { [property]: await downloadFile(this, json.videoUrl, jobId, i) };
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
