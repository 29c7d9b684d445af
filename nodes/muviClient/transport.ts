import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
	IWebhookFunctions,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { muviApiError, type MuviErrorInfo } from './errors';
import { pause, stopped } from './stop';
import { scrubSecrets } from './secrets';

export type MuviContext =
	| IExecuteFunctions
	| IWebhookFunctions
	| ILoadOptionsFunctions
	| IHookFunctions;

export const CREDENTIAL_TYPE = 'muviApi';
export const DEFAULT_BASE_URL = 'https://api.muvi.video';

export async function getBaseUrl(ctx: MuviContext): Promise<string> {
	return (await connection(ctx)).baseUrl;
}

/** The credential's base URL and the secrets that must never come back out of an answer. */
async function connection(ctx: MuviContext): Promise<{ baseUrl: string; secrets: string[]; apiKey: string }> {
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	const raw = String(credentials.baseUrl || DEFAULT_BASE_URL).trim();
	const secrets = [credentials.apiKey, credentials.webhookSecret].filter((s): s is string => typeof s === 'string' && s !== '');
	return { baseUrl: raw.replace(/\/+$/, ''), secrets, apiKey: String(credentials.apiKey ?? '') };
}

/** Accepts both envelopes the docs show: flat bodies, and `{ success, data, requestId }`. */
export function unwrap(body: unknown): IDataObject | IDataObject[] {
	if (body && typeof body === 'object' && !Array.isArray(body)) {
		const obj = body as IDataObject;
		if (obj.data !== null && typeof obj.data === 'object') {
			const data = obj.data as IDataObject | IDataObject[];
			if (!Array.isArray(data) && obj.requestId !== undefined && data.requestId === undefined)
				return { ...data, requestId: obj.requestId };
			return data;
		}
		return obj;
	}
	if (Array.isArray(body)) return body as IDataObject[];
	return {};
}

/** Reads `{ error: { code, message, details }, requestId }` (or anything close to it). */
export function errorInfo(status: number, body: unknown): MuviErrorInfo & { details?: IDataObject } {
	const obj = (body && typeof body === 'object' ? body : {}) as IDataObject;
	const err = (obj.error && typeof obj.error === 'object' ? obj.error : obj) as IDataObject;
	return {
		status,
		code: typeof err.code === 'string' ? err.code : undefined,
		message: typeof err.message === 'string' ? err.message : typeof obj.error === 'string' ? obj.error : undefined,
		requestId: typeof obj.requestId === 'string' ? obj.requestId : undefined,
		details: (err.details && typeof err.details === 'object' ? err.details : undefined) as IDataObject | undefined,
	};
}

/** Network failure codes that prove the request never reached Muvi (the connection was never made). */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

interface NetworkFailure {
	code: string;
	/** true when the failure happened while connecting, i.e. nothing was sent */
	notSent: boolean;
	timedOut: boolean;
	/** n8n's SSRF protection refused the address before connecting: nothing was sent, and a retry cannot help */
	blocked?: boolean;
}

/** Digs the socket error out of n8n's wrapper (NodeApiError → axios error → system error). */
export function networkFailure(error: unknown): NetworkFailure {
	let code = '';
	let syscall = '';
	let message = '';
	let blocked = false;
	let current: unknown = error;
	for (let depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
		const e = current as { code?: unknown; syscall?: unknown; message?: unknown; cause?: unknown; name?: unknown };
		if (typeof e.name === 'string' && e.name.startsWith('SsrfBlocked')) blocked = true;
		if (!code && typeof e.code === 'string' && /^E[A-Z_]+$/.test(e.code)) code = e.code;
		if (!syscall && typeof e.syscall === 'string') syscall = e.syscall;
		if (typeof e.message === 'string') message += ` ${e.message}`;
		current = e.cause;
	}
	if (!syscall && /\bconnect E[A-Z]+/.test(message)) syscall = 'connect';
	if (!code) code = /timeout|timed out/i.test(message) ? 'ETIMEDOUT' : 'ECONNRESET';
	if (blocked) return { code: 'SSRF_BLOCKED', timedOut: false, notSent: true, blocked };
	const timedOut = code === 'ETIMEDOUT' || code === 'ECONNABORTED' || code === 'ESOCKETTIMEDOUT';
	return { code, timedOut, notSent: NOT_SENT_CODES.has(code) || (syscall === 'connect' && !timedOut) };
}

export interface MuviCall {
	method: IHttpRequestMethods;
	/** path below the base URL, e.g. `/v1/jobs/job_1` */
	path: string;
	body?: IDataObject;
	qs?: IDataObject;
	/** ms; Muvi answers quickly, a slow answer is a problem worth reporting */
	timeout?: number;
	/** n8n's Stop: ends a request in flight */
	abortSignal?: AbortSignal;
	/**
	 * The answer must arrive even after a Stop (a submit already sent: its job ID is what makes the
	 * paid job findable). n8n's authenticated request helper aborts every request at Stop, so this call
	 * adds the credential's Bearer header itself.
	 */
	survivesStop?: boolean;
}

export interface RawAnswer {
	/** 0 when no HTTP answer arrived */
	status: number;
	body: unknown;
	headers: IDataObject;
	/** set when the body was not valid JSON */
	malformed?: boolean;
	/** set for a 3xx answer: the redirect was not followed (the API key must not go to another address) */
	redirectedTo?: string;
	network?: NetworkFailure;
}

/**
 * One authenticated HTTP exchange with Muvi. Never throws for HTTP or network failures: it reports
 * them. Redirects are not followed (the Bearer key must not travel to another address), and the
 * answer is scrubbed of the key and any `Bearer …` text before anyone reads it.
 */
export async function sendOnce(ctx: MuviContext, call: MuviCall): Promise<RawAnswer> {
	const { baseUrl, secrets, apiKey } = await connection(ctx);
	const options: IHttpRequestOptions = {
		method: call.method,
		url: `${baseUrl}${call.path}`,
		qs: call.qs,
		body: call.body,
		json: true,
		headers: { Accept: 'application/json' },
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: true,
		timeout: call.timeout ?? 60_000,
		...(call.abortSignal ? { abortSignal: call.abortSignal } : {}),
	};
	try {
		const res = (
			call.survivesStop
				? await ctx.helpers.httpRequest({ ...options, headers: { ...options.headers, Authorization: `Bearer ${apiKey}` } })
				: await ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL_TYPE, options)
		) as IN8nHttpFullResponse;
		let body: unknown = res.body;
		let malformed = false;
		if (typeof body === 'string') {
			try {
				body = body.trim() === '' ? {} : JSON.parse(body);
			} catch {
				malformed = true;
			}
		}
		const headers = scrubSecrets((res.headers ?? {}) as IDataObject, secrets);
		const answer: RawAnswer = { status: res.statusCode, body: scrubSecrets(body, secrets), headers, malformed };
		if (res.statusCode >= 300 && res.statusCode < 400) answer.redirectedTo = String(headers.location ?? '');
		return answer;
	} catch (error) {
		if (call.abortSignal?.aborted) throw stopped();
		return { status: 0, body: undefined, headers: {}, network: networkFailure(error) };
	}
}

/** Seconds to wait before retrying a 429: the body's `details.retryAfter`, a `Retry-After` header, or 30. */
export function retryAfterSeconds(answer: RawAnswer, fallback = 30): number {
	const info = errorInfo(answer.status, answer.body);
	const fromBody = Number(info.details?.retryAfter);
	if (Number.isFinite(fromBody) && fromBody >= 0) return fromBody;
	const header = Number(answer.headers['retry-after']);
	if (Number.isFinite(header) && header >= 0) return header;
	return fallback;
}

export function networkError(ctx: MuviContext, failure: NetworkFailure, what: string, itemIndex?: number): NodeApiError {
	if (failure.blocked)
		return new NodeApiError(
			ctx.getNode(),
			{ reason: 'blocked' },
			{
				message: `n8n's SSRF protection blocked the request to Muvi while ${what}; nothing was sent`,
				description:
					"The Base URL of the Muvi API credential resolves to an address n8n is set to refuse. Use Muvi's public address, or ask your n8n administrator to allow it (N8N_SSRF_ALLOWED_HOSTNAMES or N8N_SSRF_ALLOWED_IP_RANGES).",
				itemIndex,
			},
		);
	const cause = failure.timedOut ? 'did not answer in time' : failure.notSent ? 'could not be reached' : 'closed the connection';
	return new NodeApiError(
		ctx.getNode(),
		{ reason: failure.timedOut ? 'timeout' : 'network' },
		{
			message: `Muvi ${cause} while ${what}`,
			description: 'Check the Base URL in the Muvi API credential and the network of this n8n server, then try again.',
			itemIndex,
		},
	);
}

/**
 * A read that is safe to repeat (status, lists, catalog): retried on network errors, 5xx, 429 and
 * malformed JSON with a short backoff; any other error answer becomes a clear NodeApiError.
 */
export async function muviRead(
	ctx: MuviContext,
	call: MuviCall,
	what: string,
	itemIndex?: number,
	attempts = 4,
): Promise<IDataObject | IDataObject[]> {
	let last: RawAnswer | undefined;
	for (let attempt = 0; attempt < attempts; attempt++) {
		if (attempt > 0) {
			const wait = last?.status === 429 ? retryAfterSeconds(last, 5) * 1000 : 1000 * 2 ** (attempt - 1);
			await pause(Math.min(wait, 30_000), call.abortSignal);
		}
		last = await sendOnce(ctx, call);
		if (last.network?.blocked) break;
		if (last.network || last.status >= 500 || last.status === 429 || last.malformed) continue;
		if (last.redirectedTo !== undefined) break;
		return checked(ctx, last, what, itemIndex);
	}
	return checked(ctx, last as RawAnswer, what, itemIndex);
}

/** The unwrapped body of a 2xx answer, or the error it stands for. */
export function checked(ctx: MuviContext, answer: RawAnswer, what: string, itemIndex?: number): IDataObject | IDataObject[] {
	if (answer.network) throw networkError(ctx, answer.network, what, itemIndex);
	if (answer.redirectedTo !== undefined) throw redirectError(ctx, answer, what, itemIndex);
	if (answer.status < 200 || answer.status >= 300)
		throw muviApiError(ctx.getNode(), errorInfo(answer.status, answer.body), itemIndex);
	if (answer.malformed)
		throw new NodeApiError(
			ctx.getNode(),
			{ reason: 'malformed' },
			{
				message: `Muvi sent an answer that is not valid JSON while ${what}`,
				description: 'This is usually temporary on Muvi’s side; try again in a minute.',
				itemIndex,
			},
		);
	return unwrap(answer.body);
}

/** Where a redirect pointed, without path or query (they may carry tokens). */
function originOf(location: string): string {
	try {
		return new URL(location).origin;
	} catch {
		return 'another address';
	}
}

/** A 3xx answer: not followed, so the API key stayed here. */
export function redirectError(ctx: MuviContext, answer: RawAnswer, what: string, itemIndex?: number): NodeApiError {
	return new NodeApiError(
		ctx.getNode(),
		{ reason: 'redirect' },
		{
			message: `Muvi's address answered with a redirect (HTTP ${answer.status}) to ${originOf(answer.redirectedTo ?? '')} while ${what}; the node does not follow it`,
			description:
				'Following it would send your API key to that address. Check the Base URL in the Muvi API credential (https://api.muvi.video).',
			httpCode: String(answer.status),
			itemIndex,
		},
	);
}
