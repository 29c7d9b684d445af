/** One delivery as the trigger handles it: the request read and answered, its memory, the item it becomes. */
import type {
	DeduplicationHelperFunctions,
	IDataObject,
	IExecuteFunctions,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { inTurn } from '../muviClient/inTurn';
import { normalizeJob } from '../muviClient/jobs';
import { MAX_PROCESSED_DELIVERIES } from '../webhooks/deliveries';
import { DEFAULT_TOLERANCE_SECONDS, type SignatureFailure } from '../webhooks/signature';

/** The Options collection (description.ts). */
export interface TriggerOptions {
	fetchJob?: boolean;
	download?: boolean;
	binaryPropertyName?: string;
	toleranceSeconds?: number;
	allowUnsigned?: boolean;
}

/** The Timestamp Tolerance option; unset or not positive means the default. */
export function toleranceOf(options: TriggerOptions): number {
	return typeof options.toleranceSeconds === 'number' && options.toleranceSeconds > 0
		? options.toleranceSeconds
		: DEFAULT_TOLERANCE_SECONDS;
}

/** The parts of n8n's request object this node reads (an http.IncomingMessage underneath). */
interface WebhookRequest {
	/** the body bytes as received, kept by n8n's raw body reader */
	rawBody?: unknown;
	/** n8n's lazy raw body reader; fills `rawBody` */
	readRawBody?: () => Promise<void>;
	body?: unknown;
}

/** A request header, by its lowercase name (Node's http server lowercases them). */
export function header(ctx: IWebhookFunctions, name: string): string | string[] | undefined {
	return ctx.getHeaderData()[name];
}

/**
 * The body exactly as Muvi sent it. n8n keeps it on the request as `rawBody` (a Buffer) and reads it
 * lazily through `readRawBody()`. Only if neither exists (not the case in n8n 1.x or 2.x) does this
 * fall back to the parsed body, re-serialised the way Muvi's own Node example signs it.
 */
export async function readRawBody(ctx: IWebhookFunctions): Promise<Buffer> {
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
export function parseDelivery(rawBody: Buffer): IDataObject | undefined {
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

/** The parts of n8n's response object this node writes (an http.ServerResponse underneath). */
interface WebhookResponse {
	statusCode: number;
	headersSent?: boolean;
	setHeader(name: string, value: string): unknown;
	end(body?: string): unknown;
}

/** For the operator's log only: the 401 answer does not say which check failed. */
export const FAILURE_MESSAGES: Record<SignatureFailure, string> = {
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
export function answer(ctx: IWebhookFunctions, statusCode: number, body: IDataObject): IWebhookResponseData {
	const res = ctx.getResponseObject() as unknown as WebhookResponse;
	if (!res.headersSent) {
		res.statusCode = statusCode;
		res.setHeader('Content-Type', 'application/json; charset=utf-8');
		res.setHeader('Cache-Control', 'no-store');
	}
	res.end(JSON.stringify(body));
	return { noWebhookResponse: true };
}

/** Only production deliveries use the duplicate memory: a test event, or a retry the user asks for, runs again. */
export function usesMemory(mode: string): boolean {
	return mode === 'webhook';
}

/** Identifies one trigger node of one workflow in this process's memory. */
export function scopeOf(ctx: IWebhookFunctions | IExecuteFunctions): string {
	const node = ctx.getNode();
	return `${ctx.getWorkflow().id ?? ''}/${node.id ?? node.name}`;
}

/**
 * Records the delivery in n8n's processed-data table, which every process of the instance shares and
 * which survives restarts. True when it is new, false when an earlier execution already recorded it.
 * When n8n does not offer the table (or it fails twice) the delivery counts as new: the workflow runs
 * rather than a paid job's result being dropped, and the other two memories still applied in webhook().
 */
export async function claimDurably(ctx: IExecuteFunctions, scope: string, key: string): Promise<boolean> {
	const helpers = ctx.helpers as Partial<DeduplicationHelperFunctions>;
	const checkProcessedAndRecord = helpers.checkProcessedAndRecord;
	if (typeof checkProcessedAndRecord !== 'function') return true;
	for (let attempt = 1; ; attempt++) {
		try {
			// one call at a time per trigger in this process: n8n's helper reads, then writes the whole row
			const result = await inTurn(scope, async () =>
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

/** The failed job's error as `{ code, message }`, whatever shape Muvi sent it in. */
function jobError(raw: unknown): IDataObject {
	const err = (raw && typeof raw === 'object' ? raw : {}) as IDataObject;
	return {
		code: typeof err.code === 'string' ? err.code : 'UNKNOWN',
		message: typeof err.message === 'string' ? err.message : typeof raw === 'string' ? raw : 'Muvi did not say why the job failed',
	};
}

/** The item the workflow starts with, built only from what the signed delivery says. */
export function deliveryItem(payload: IDataObject, receivedAt: string, verified: boolean, includeRawOutput: boolean): IDataObject {
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
