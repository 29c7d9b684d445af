/**
 * Fake Muvi Video (PixelByte) API: the stand-in for https://api.muvi.video in unit, integration and
 * e2e tests, and the "Muvi simulator" behind the local demo.
 *
 * Written from /work/shared/muvi-api.md only. Wherever the doc is UNCONFIRMED or documents two shapes,
 * the fake can produce each of them (see FakeMuviOptions) so the node under test never comes to rely
 * on something only the fake does.
 *
 * Two listeners: the API (fake.url) and a separate "CDN" origin (fake.cdnUrl) that serves outputs and
 * receives presigned upload PUTs. Both record every request.
 *
 * Runs under ts-jest and directly under Node 24 type stripping, hence only erasable TypeScript syntax,
 * `import type` for types, and `.ts` extensions on relative value imports (tsc lacks
 * allowImportingTsExtensions in this project, so those lines carry a @ts-ignore).
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createServer, request as httpRequest } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
// @ts-ignore TS5097: Node's type stripping needs the .ts extension; ts-jest and Node both resolve it.
import { fakeJpeg, fakePng, fakeSvgLogo, outputBytes, streamOutput } from './media.ts';
import {
	CAPABILITY_GROUPS,
	buildModelTable,
	catalogPricing,
	isWellFormedSlug,
	priceFor,
	providerFor,
	resolveSpec,
	validateInput,
	// @ts-ignore TS5097 (see above)
} from './models.ts';
import type { FakeModel, FakeModelSpec, FakeProvider, InputIssue } from './models';

export type {
	FakeModelSpec,
	FakePricing,
	InputSchema,
	JsonSchemaProperty,
	PriceMultiplier,
} from './models';
// @ts-ignore TS5097 (see above)
export { expectedOutputSha256, mp4Header } from './media.ts';
// @ts-ignore TS5097 (see above)
export { builtinModelSpecs, priceFor } from './models.ts';

// =============================================================================================
// Public types
// =============================================================================================

/** 'docs' = as each reference page shows it; 'flat' = never wrapped; 'wrapped' = always {success,data,requestId}. */
export type Envelope = 'docs' | 'flat' | 'wrapped';
export type Scope = 'submit_job' | 'check_status' | 'list_models';
export type JobStatus = 'pending' | 'processing' | 'completed' | 'failed' | 'cancelled';

/** An extra API key (the primary one is `apiKey`). */
export interface FakeApiKey {
	key: string;
	/** Jobs are owned by accounts; another account's job gives 403 UNAUTHORIZED_ACCESS. Default: its own account. */
	account?: string;
	/** [] or undefined = full access (§1). */
	scopes?: Scope[];
	state?: 'active' | 'inactive' | 'expired';
	/** Single IPs or IPv4 CIDR ranges; the fake's clients come from 127.0.0.1. */
	allowedIPs?: string[];
}

export interface LogEntry {
	listener: 'api' | 'cdn' | 'control';
	method: string;
	/** Path only: the query is left out (presigned upload URLs carry a signature). */
	path: string;
	/** null when no response was sent (socket reset or hang). */
	status: number | null;
	durationMs: number;
	fault?: string;
}

export interface FakeMuviOptions {
	/** Interface both listeners bind to. Default 127.0.0.1. */
	host?: string;
	/** API port, 0 = ephemeral (default). */
	port?: number;
	/** CDN port, 0 = ephemeral (default). */
	cdnPort?: number;
	/** Overrides the CDN origin used in URLs handed out (e.g. when bound to 0.0.0.0 in a container). */
	publicCdnUrl?: string;

	/** The primary key. Default 'pb_test_fake_muvi_key'. */
	apiKey?: string;
	/** Scopes of the primary key ([] = full access). */
	scopes?: Scope[];
	/** State of the primary key. */
	apiKeyState?: 'active' | 'inactive' | 'expired';
	/** allowedIPs of the primary key. */
	allowedIPs?: string[];
	/** More keys (other accounts, rotation, read-only keys …). */
	keys?: FakeApiKey[];
	/** Which header /v1/models* and /v1/providers* accept (UNCONFIRMED in the doc). Default 'both'. */
	modelsAuth?: 'both' | 'bearer' | 'x-api-key';

	envelope?: Envelope;
	/** 'reference' (flat, default) or the quickstart's 'legacy' {success,data:{jobId,status,model,estimatedCost,createdAt}}. */
	submitShape?: 'reference' | 'legacy';
	/** 'reference' (flat breakdown, default) or the pricing page's 'pricing' ({estimatedCost, baseCost, factors, currency}, wrapped). */
	estimateShape?: 'reference' | 'pricing';
	/** Quickstart job shape: output {url, contentType, durationSeconds} plus cost, no outputs[]. */
	legacyOutput?: boolean;
	/** Accept the webhooks/pricing pages' legacy body names modelSlug/modelVersion (UNCONFIRMED). Default false. */
	acceptLegacyFieldNames?: boolean;
	/** What GET /v1/jobs?modelId= matches (UNCONFIRMED): the slug (default) or the internal model id. */
	modelIdFilter?: 'slug' | 'id';

	/** Account balance in micro-cents (1,000,000 = $1). Default 1e12. Setting it resets the balance. */
	balanceMicroCents?: number;
	/** Per-account discount in percent, applied to estimate and costMicroCents. Default 0. */
	discountPercent?: number;
	/** Whether estimate answers 402 when the balance is too low (the docs suggest it). Default true. */
	estimateChecksBalance?: boolean;
	/** Concurrent (pending + processing) jobs per account; default unlimited. */
	maxConcurrentJobs?: number;
	/** error.details.retryAfter on 429, seconds, may be fractional. Default 30 (the doc's example). */
	retryAfterSeconds?: number;
	/** Send 429 without details.retryAfter (the docs' sample code then falls back to 30 s). */
	omitRetryAfter?: boolean;
	/** Also send a Retry-After header on 429 (not documented; UNCONFIRMED). Default false. */
	retryAfterHeader?: boolean;
	/** Slugs that answer 403 MODEL_ACCESS_DENIED. */
	deniedModels?: string[];

	/** Total job time from submit to completed/failed. Default 3000. */
	jobDurationMs?: number;
	/** Time spent in 'pending' before 'processing'. Default jobDurationMs / 3. */
	pendingMs?: number;
	/** Per-slug job duration overrides. */
	modelDurationsMs?: Record<string, number>;
	/** estimatedCompletionTime = submit time + duration × etaFactor (0.7 = early, 1.3 = late). Default 1. */
	etaFactor?: number;
	/** false: jobs stay pending until advanceJob/completeJob/failJob (or the control endpoints). Default true. */
	autoProgress?: boolean;
	/** true = every job fails; a number = the next N jobs fail. A prompt containing "[fail]" always fails; "[fail:<text>]" fails on models whose slug contains <text>. */
	failJobs?: boolean | number;

	/** Accept any well-formed provider/model[/capability] slug with a default price (for the simulator). */
	acceptAnyModel?: boolean;
	/** Extra models (or overrides of built-in ones) with their own pricing and schema. */
	models?: FakeModelSpec[];
	/** Built-in slugs Muvi has withdrawn: gone from the catalog, and submit answers MODEL_NOT_FOUND (for the drift check). */
	withdrawnModels?: string[];

	/** Size of output_0.mp4, in bytes. Default 65536. Streamed, so 500 MB is fine. */
	outputSizeBytes?: number;
	/** Outputs disappear this long after completion (output lifetime is undocumented). Default: never. */
	outputTtlMs?: number;
	/** The presigned PUT must happen within this time. Default 15 minutes. */
	uploadUrlTtlMs?: number;
	/** Uploaded files are deleted (status 'expired') after this. Default 60 minutes. */
	fileTtlMs?: number;

	webhookSecret?: string;
	/** Multiplies the 1/4/16/64/256 s retry delays; 0.001 turns them into milliseconds. Default 1. */
	webhookRetryScale?: number;
	/** Attempts before a delivery is marked failed. Default 5 (6 also uses the 256 s retry). */
	webhookMaxAttempts?: number;
	/** A receiver that does not answer within this counts as a failure. Default 30000. */
	webhookTimeoutMs?: number;
	/**
	 * `output` of the completed-job webhook; the video payload is UNCONFIRMED (the only example is an
	 * image): 'object' (default) = {url, videoUrl|imageUrl, metadata}; 'string' = the GET-status form
	 * (output string + outputs[]); 'none' = no output at all.
	 */
	webhookOutput?: 'object' | 'string' | 'none';
	/** Send a webhook for cancelled jobs too (UNCONFIRMED). Default false. */
	webhookOnCancel?: boolean;
	/** Only deliver to loopback hosts; others are recorded as 'skipped'. Default true (tests never call the internet). */
	webhookLoopbackOnly?: boolean;
	/**
	 * PEM certificate(s) the webhook sender trusts for https receivers, as the real sender trusts public
	 * CAs: with it, a receiver whose certificate does not chain to it (or names another host) is refused.
	 * Without it, a loopback receiver's self-signed certificate is accepted unchecked (older tests).
	 */
	webhookCa?: string;
	/** Added to X-PixelByte-Timestamp, to test replay protection. Default 0. */
	webhookTimestampOffsetSeconds?: number;
	/** Deliver each webhook this many extra times (docs: deliveries can repeat). Default 0. */
	webhookDuplicates?: number;
	/** Accept http:// webhook URLs on loopback hosts (simulator / e2e). Default false (https only, as documented). */
	allowHttpWebhooks?: boolean;

	/**
	 * A new job shows in GET /v1/jobs only this long after it was created (a list served from a replica
	 * or cache lags behind; the docs promise nothing about it). Default 0.
	 */
	jobListLagMs?: number;
	/** Added before every API response (not CDN, not control). Default 0. */
	latencyMs?: number;
	/** Seed for job/request/file ids, so runs are reproducible. */
	idSeed?: string;
	/** One call per finished request (the CLI prints them). Never given headers or keys. */
	onLog?: (entry: LogEntry) => void;
}

type ResolvedOptions = Required<Omit<FakeMuviOptions, 'maxConcurrentJobs' | 'pendingMs' | 'outputTtlMs' | 'publicCdnUrl' | 'onLog' | 'webhookCa'>> &
	Pick<FakeMuviOptions, 'maxConcurrentJobs' | 'pendingMs' | 'outputTtlMs' | 'publicCdnUrl' | 'onLog' | 'webhookCa'>;

const DEFAULTS: ResolvedOptions = {
	host: '127.0.0.1',
	port: 0,
	cdnPort: 0,
	apiKey: 'pb_test_fake_muvi_key',
	scopes: [],
	apiKeyState: 'active',
	allowedIPs: [],
	keys: [],
	modelsAuth: 'both',
	envelope: 'docs',
	submitShape: 'reference',
	estimateShape: 'reference',
	legacyOutput: false,
	acceptLegacyFieldNames: false,
	modelIdFilter: 'slug',
	balanceMicroCents: 1_000_000_000_000,
	discountPercent: 0,
	estimateChecksBalance: true,
	retryAfterSeconds: 30,
	omitRetryAfter: false,
	retryAfterHeader: false,
	deniedModels: [],
	jobDurationMs: 3000,
	modelDurationsMs: {},
	etaFactor: 1,
	autoProgress: true,
	failJobs: false,
	acceptAnyModel: false,
	models: [],
	withdrawnModels: [],
	outputSizeBytes: 64 * 1024,
	uploadUrlTtlMs: 15 * 60 * 1000,
	fileTtlMs: 60 * 60 * 1000,
	webhookSecret: 'whsec_fake_muvi_secret',
	webhookRetryScale: 1,
	webhookMaxAttempts: 5,
	webhookTimeoutMs: 30_000,
	webhookOutput: 'object',
	webhookOnCancel: false,
	webhookLoopbackOnly: true,
	webhookTimestampOffsetSeconds: 0,
	webhookDuplicates: 0,
	allowHttpWebhooks: false,
	jobListLagMs: 0,
	latencyMs: 0,
	idSeed: 'fake-muvi',
};

/** Routes a fault can target. 'any' = any API route (not the CDN, never the control endpoints). */
export type FaultRoute =
	| 'submit'
	| 'status'
	| 'list'
	| 'cancel'
	| 'estimate'
	| 'presign'
	| 'upload-status'
	| 'catalog'
	| 'models'
	| 'any'
	| 'cdn-output'
	| 'cdn-upload'
	| 'cdn-file';

export type FaultKind =
	/** An error response in the standard envelope (CDN routes: an S3-style XML error). */
	| { kind: 'status'; status: number; code: string; message?: string; details?: Record<string, unknown>; headers?: Record<string, string> }
	/** The request is handled (a submit creates its job), then 200 with a truncated JSON body is sent. */
	| { kind: 'malformed-json' }
	/** The socket is destroyed before the body is read: nothing happens (no job). */
	| { kind: 'reset-before-read' }
	/** The request is handled (a submit creates and charges its job), then the socket is destroyed. */
	| { kind: 'reset-after-accept' }
	/** The request is handled, and no answer is ever sent (client timeouts). */
	| { kind: 'hang-after-accept' }
	/** The answer comes `ms` later than usual. */
	| { kind: 'delay'; ms: number }
	/** CDN downloads: full Content-Length announced, only `bytes` (default: half) sent, then the socket is closed. */
	| { kind: 'truncate-body'; bytes?: number }
	/**
	 * The request is handled (a submit creates and charges its job), then an error answer replaces the
	 * real one: what a gateway or proxy in front of Muvi does when its upstream was slow or cut (a 502,
	 * 503 or 504 HTML page, no Muvi error code), or a 500 from Muvi after the job was queued. `html`
	 * sends a proxy's HTML page; otherwise the standard error envelope with `code`.
	 */
	| { kind: 'status-after-accept'; status: number; code?: string; message?: string; html?: boolean }
	/** Nothing is handled; the answer is a redirect (default 307) to `location`, e.g. another host. */
	| { kind: 'redirect'; location: string; status?: number }
	/**
	 * An error answer (nothing handled) whose message repeats the request's Authorization header, as a
	 * careless error page might: the client must not pass it on.
	 */
	| { kind: 'echo-auth'; status: number; code: string };

export type FaultKindName = FaultKind['kind'];

export interface FaultSpec {
	route: FaultRoute;
	/** A FaultKind object, or just its name with the fields below given flat. */
	kind: FaultKind | FaultKindName;
	/** How many matching requests it applies to. Default 1. */
	times?: number;
	/** Only requests about this job (status / cancel / cdn-output). */
	jobId?: string;
	status?: number;
	code?: string;
	message?: string;
	details?: Record<string, unknown>;
	headers?: Record<string, string>;
	ms?: number;
	bytes?: number;
	html?: boolean;
	location?: string;
}

export interface ActiveFault {
	id: number;
	route: FaultRoute;
	fault: FaultKind;
	remaining: number;
	jobId?: string;
}

export interface FakeJobOutput {
	url: string;
	type: 'video' | 'image' | 'audio' | 'text';
	thumbnail?: string;
	posterImage?: string;
}

export interface FakeJob {
	jobId: string;
	requestId: string;
	account: string;
	/** slug */
	model: string;
	/** internal id as /v1/models shows it */
	modelId: string;
	category: 'video' | 'image';
	version: string | null;
	input: Record<string, unknown>;
	webhookUrl: string | null;
	status: JobStatus;
	progress: number;
	costMicroCents: number;
	refundedMicroCents: number;
	createdAt: string;
	createdAtMs: number;
	seq: number;
	startedAt: string | null;
	completedAt: string | null;
	completedAtMs: number | null;
	estimatedCompletionTime: string;
	durationMs: number;
	willFail: boolean;
	error: { code: string; message: string } | null;
	output: string | null;
	outputs: FakeJobOutput[] | null;
	outputSizeBytes: number;
}

export interface RecordedRequest {
	id: number;
	at: string;
	listener: 'api' | 'cdn';
	route: string;
	method: string;
	path: string;
	query: Record<string, string>;
	/** Lower-case names. In-process they are raw; GET /__fake/requests redacts authorization and x-api-key. */
	headers: Record<string, string>;
	/** UTF-8 body (API); empty for CDN requests, which record bodyBytes/bodySha256 instead. */
	body: string;
	json: unknown;
	bodyBytes: number;
	bodySha256: string | null;
	/** How the request authenticated: none, bearer-valid, bearer-unknown, bearer-malformed, x-api-key-valid, x-api-key-unknown. */
	auth: string;
	/** true if any configured API key appears anywhere in the headers or URL (must stay false on the CDN). */
	carriesApiKey: boolean;
	status: number | null;
	fault: string | null;
	remoteAddress: string;
}

export interface FakeUpload {
	fileId: string;
	account: string;
	filename: string;
	contentType: string;
	kind: 'image' | 'video' | 'audio';
	maxSize: number;
	uploadUrl: string;
	fileUrl: string;
	createdAt: string;
	expiresAt: string;
	expiresAtMs: number;
	uploadUrlExpiresAtMs: number;
	/** What arrived through the presigned PUT. */
	received: { size: number; contentType: string; sha256: string; at: string } | null;
	/** The stored bytes (served at fileUrl). */
	bytes: Buffer | null;
	token: string;
}

export interface WebhookAttempt {
	attempt: number;
	at: string;
	timestamp: string;
	signature: string;
	responseStatus: number | null;
	error: string | null;
	durationMs: number;
}

export interface WebhookDelivery {
	id: number;
	jobId: string;
	url: string;
	event: 'completed' | 'failed' | 'cancelled';
	status: 'pending' | 'sent' | 'failed' | 'skipped';
	/** The exact raw body that was signed and sent. */
	body: string;
	attempts: WebhookAttempt[];
	skippedReason: string | null;
	duplicateOf: number | null;
}

export interface FakeStats {
	requests: number;
	submitsReceived: number;
	jobsCreated: number;
	/** every 429 sent, concurrency or injected */
	sent429: number;
	/** GET /v1/jobs/{id} calls per job id */
	statusCalls: Record<string, number>;
	listCalls: number;
	cancelCalls: number;
	estimateCalls: number;
	presignCalls: number;
	uploadsReceived: number;
	faultsTriggered: number;
	webhookAttempts: number;
	cdnRequests: number;
	outputDownloads: number;
}

// =============================================================================================
// Helpers
// =============================================================================================

/** `sha256=<lowercase hex HMAC-SHA256(secret, timestamp + '.' + rawBody)>` (§4). */
export function signWebhook(secret: string, timestamp: string, rawBody: string): string {
	return 'sha256=' + createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex');
}

class ApiError extends Error {
	status: number;
	code: string;
	details: Record<string, unknown>;
	headers: Record<string, string>;
	constructor(status: number, code: string, message: string, details: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
		super(message);
		this.status = status;
		this.code = code;
		this.details = details;
		this.headers = headers;
	}
}

interface ApiResult {
	status: number;
	body: unknown;
	headers?: Record<string, string>;
}

interface AuthContext {
	key: string;
	account: string;
}

type ApiRouteName = Exclude<FaultRoute, 'any' | 'cdn-output' | 'cdn-upload' | 'cdn-file'> | 'root' | 'unknown';

interface ApiRoute {
	name: ApiRouteName;
	jobId?: string;
	id?: string;
	rest?: string;
}

// The fake always runs on the real clock, captured at import: a node test that switches to jest's
// fake timers must not freeze the fake's latency, job progression or webhook retries. For
// step-by-step control use autoProgress:false with advanceJob/completeJob/failJob instead.
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;
const realNow = Date.now;

const TERMINAL: JobStatus[] = ['completed', 'failed', 'cancelled'];
const JOB_STATUSES: JobStatus[] = ['pending', 'processing', 'completed', 'failed', 'cancelled'];
/** Retry delays after each failed webhook attempt, seconds (§4). */
const WEBHOOK_RETRY_SECONDS = [1, 4, 16, 64, 256];
const MAX_JSON_BODY = 5 * 1024 * 1024;

/** Allowed presign content types and their size limits (§2.8). */
const UPLOAD_TYPES: Record<string, { kind: 'image' | 'video' | 'audio'; maxSize: number }> = {
	'image/jpeg': { kind: 'image', maxSize: 10 * 1024 * 1024 },
	'image/png': { kind: 'image', maxSize: 10 * 1024 * 1024 },
	'image/webp': { kind: 'image', maxSize: 10 * 1024 * 1024 },
	'image/gif': { kind: 'image', maxSize: 10 * 1024 * 1024 },
	'video/mp4': { kind: 'video', maxSize: 100 * 1024 * 1024 },
	'video/webm': { kind: 'video', maxSize: 100 * 1024 * 1024 },
	'audio/mpeg': { kind: 'audio', maxSize: 50 * 1024 * 1024 },
	'audio/wav': { kind: 'audio', maxSize: 50 * 1024 * 1024 },
};

function flattenHeaders(req: IncomingMessage): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [name, value] of Object.entries(req.headers)) {
		if (value === undefined) continue;
		out[name] = Array.isArray(value) ? value.join(', ') : value;
	}
	return out;
}

function header(req: IncomingMessage, name: string): string | undefined {
	const v = req.headers[name];
	return Array.isArray(v) ? v[0] : v;
}

function normaliseIp(ip: string | undefined): string {
	if (!ip) return '';
	return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}

function ipv4ToInt(ip: string): number | null {
	const parts = ip.split('.');
	if (parts.length !== 4) return null;
	let n = 0;
	for (const p of parts) {
		const v = Number(p);
		if (!/^\d+$/.test(p) || v > 255) return null;
		n = n * 256 + v;
	}
	return n;
}

function ipAllowed(ip: string, allowed: string[]): boolean {
	return allowed.some((entry) => {
		if (!entry.includes('/')) return entry === ip || (entry === '::1' && ip === '::1');
		const [net, bitsText] = entry.split('/');
		const bits = Number(bitsText);
		const a = ipv4ToInt(ip);
		const b = ipv4ToInt(net);
		if (a === null || b === null || !(bits >= 0 && bits <= 32)) return false;
		if (bits === 0) return true;
		const mask = bits === 32 ? 0xffffffff : ~((1 << (32 - bits)) - 1) >>> 0;
		return (a & mask) >>> 0 === (b & mask) >>> 0;
	});
}

function isLoopbackHost(hostname: string): boolean {
	const h = hostname.replace(/^\[|\]$/g, '');
	return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function xmlError(code: string, message: string): string {
	const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
	return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${esc(code)}</Code><Message>${esc(message)}</Message></Error>`;
}

async function readBody(req: IncomingMessage, limit: number): Promise<{ buffer: Buffer; tooLarge: boolean }> {
	const chunks: Buffer[] = [];
	let size = 0;
	let tooLarge = false;
	for await (const chunk of req) {
		const buf = chunk as Buffer;
		size += buf.length;
		if (size > limit) tooLarge = true;
		else chunks.push(buf);
	}
	return { buffer: Buffer.concat(chunks), tooLarge };
}

function urlFor(host: string, port: number): string {
	const h = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
	return `http://${h}:${port}`;
}

function newStats(): FakeStats {
	return {
		requests: 0,
		submitsReceived: 0,
		jobsCreated: 0,
		sent429: 0,
		statusCalls: {},
		listCalls: 0,
		cancelCalls: 0,
		estimateCalls: 0,
		presignCalls: 0,
		uploadsReceived: 0,
		faultsTriggered: 0,
		webhookAttempts: 0,
		cdnRequests: 0,
		outputDownloads: 0,
	};
}

function matchApiRoute(method: string, path: string): ApiRoute {
	const seg = path.split('/').filter((s) => s.length > 0);
	const dec = (s: string) => {
		try {
			return decodeURIComponent(s);
		} catch {
			return s;
		}
	};
	if (seg.length === 0) return { name: 'root' };
	if (seg[0] !== 'v1') return { name: 'unknown' };
	const [, a, b, c] = seg;
	if (a === 'jobs') {
		if (method === 'POST' && b === 'submit' && seg.length === 3) return { name: 'submit' };
		if (method === 'POST' && b === 'estimate' && seg.length === 3) return { name: 'estimate' };
		if (method === 'GET' && seg.length === 2) return { name: 'list' };
		if (method === 'GET' && seg.length === 3) return { name: 'status', jobId: dec(b) };
		if (method === 'POST' && c === 'cancel' && seg.length === 4) return { name: 'cancel', jobId: dec(b) };
	}
	if (a === 'uploads') {
		if (method === 'POST' && b === 'presign' && seg.length === 3) return { name: 'presign' };
		if (method === 'GET' && seg.length === 3) return { name: 'upload-status', id: dec(b) };
	}
	if (a === 'catalog' && method === 'GET') return { name: 'catalog', rest: seg.slice(2).map(dec).join('/') };
	if ((a === 'models' || a === 'providers') && method === 'GET') return { name: 'models', rest: seg.slice(1).map(dec).join('/') };
	return { name: 'unknown' };
}

// =============================================================================================
// The fake
// =============================================================================================

export class FakeMuviServer {
	/** API origin, e.g. http://127.0.0.1:41234 (paths start with /v1). */
	url = '';
	/** CDN origin serving /outputs/<jobId>/output_0.mp4 and receiving presigned PUTs. */
	cdnUrl = '';
	/** Control endpoints for out-of-process use: `${url}/__fake`. */
	controlUrl = '';

	readonly jobs = new Map<string, FakeJob>();
	readonly uploads = new Map<string, FakeUpload>();
	readonly requests: RecordedRequest[] = [];
	readonly cdnRequests: RecordedRequest[] = [];
	readonly webhooks: WebhookDelivery[] = [];
	stats: FakeStats = newStats();

	private opts: ResolvedOptions;
	private modelTable: Map<string, FakeModel>;
	private syntheticModels = new Map<string, FakeModel>();
	private balance: number;
	private failNext = 0;
	private activeFaults: ActiveFault[] = [];
	private closed = false;

	private apiServer: Server;
	private cdnServer: Server;

	// Every timer the fake starts is tracked so close() leaves no open handles behind.
	private jobTimers = new Map<string, Set<NodeJS.Timeout>>();
	private webhookTimers = new Set<NodeJS.Timeout>();
	private sleeps = new Map<NodeJS.Timeout, () => void>();
	private webhookAborts = new Set<AbortController>();
	private hanging = new Set<ServerResponse>();

	private counters = { job: 0, req: 0, file: 0, rec: 0, fault: 0, delivery: 0, seq: 0 };

	constructor(options: FakeMuviOptions = {}) {
		this.opts = FakeMuviServer.merge(DEFAULTS, options);
		this.modelTable = buildModelTable(this.opts.models, this.opts.withdrawnModels);
		this.balance = this.opts.balanceMicroCents;
		this.applyFailJobs(this.opts.failJobs);
		this.apiServer = createServer((req, res) => this.onApi(req, res));
		this.cdnServer = createServer((req, res) => this.onCdn(req, res));
	}

	/** undefined/null in a partial means "back to the default". */
	private static merge(base: ResolvedOptions, partial: FakeMuviOptions): ResolvedOptions {
		const out: Record<string, unknown> = { ...base };
		for (const [k, v] of Object.entries(partial)) {
			if (v === undefined || v === null) out[k] = (DEFAULTS as unknown as Record<string, unknown>)[k];
			else out[k] = v;
		}
		return out as unknown as ResolvedOptions;
	}

	async listen(): Promise<void> {
		const listenOne = (server: Server, port: number) =>
			new Promise<number>((resolve, reject) => {
				server.once('error', reject);
				server.listen(port, this.opts.host, () => {
					server.off('error', reject);
					resolve((server.address() as AddressInfo).port);
				});
			});
		const apiPort = await listenOne(this.apiServer, this.opts.port);
		const cdnPort = await listenOne(this.cdnServer, this.opts.cdnPort);
		this.url = urlFor(this.opts.host, apiPort);
		this.cdnUrl = (this.opts.publicCdnUrl ?? urlFor(this.opts.host, cdnPort)).replace(/\/$/, '');
		this.controlUrl = `${this.url}/__fake`;
	}

	// -----------------------------------------------------------------------------------------
	// Public control API (in-process)
	// -----------------------------------------------------------------------------------------

	get options(): Readonly<ResolvedOptions> {
		return this.opts;
	}

	get apiKey(): string {
		return this.opts.apiKey;
	}

	get balanceMicroCents(): number {
		return this.balance;
	}

	get faults(): readonly ActiveFault[] {
		return this.activeFaults;
	}

	/** Changes options at runtime. `balanceMicroCents` resets the balance; `failJobs: n` arms the next n jobs. */
	setOptions(partial: FakeMuviOptions): void {
		this.opts = FakeMuviServer.merge(this.opts, partial);
		if ('models' in partial || 'withdrawnModels' in partial) this.modelTable = buildModelTable(this.opts.models, this.opts.withdrawnModels);
		if ('balanceMicroCents' in partial) this.balance = this.opts.balanceMicroCents;
		if ('failJobs' in partial) this.applyFailJobs(this.opts.failJobs);
	}

	private applyFailJobs(v: boolean | number): void {
		this.failNext = typeof v === 'number' ? v : 0;
	}

	/** Queues a one-shot (or `times`-shot) fault; returns its id. */
	injectFault(spec: FaultSpec): number {
		const fault = FakeMuviServer.normaliseFault(spec);
		const cdnRoute = spec.route.startsWith('cdn-');
		if (fault.kind === 'truncate-body' && spec.route !== 'cdn-output') throw new Error("'truncate-body' only applies to route 'cdn-output'");
		if (fault.kind === 'malformed-json' && cdnRoute) throw new Error("'malformed-json' only applies to API routes");
		const id = ++this.counters.fault;
		this.activeFaults.push({ id, route: spec.route, fault, remaining: spec.times ?? 1, jobId: spec.jobId });
		return id;
	}

	clearFaults(): void {
		this.activeFaults = [];
	}

	private static normaliseFault(spec: FaultSpec): FaultKind {
		if (typeof spec.kind === 'object') return spec.kind;
		switch (spec.kind) {
			case 'status':
				if (typeof spec.status !== 'number' || typeof spec.code !== 'string') {
					throw new Error("fault kind 'status' needs status and code");
				}
				return { kind: 'status', status: spec.status, code: spec.code, message: spec.message, details: spec.details, headers: spec.headers };
			case 'delay':
				return { kind: 'delay', ms: spec.ms ?? 1000 };
			case 'truncate-body':
				return { kind: 'truncate-body', bytes: spec.bytes };
			case 'status-after-accept':
				if (typeof spec.status !== 'number') throw new Error("fault kind 'status-after-accept' needs status");
				return { kind: 'status-after-accept', status: spec.status, code: spec.code, message: spec.message, html: spec.html };
			case 'redirect':
				if (typeof spec.location !== 'string') throw new Error("fault kind 'redirect' needs location");
				return { kind: 'redirect', location: spec.location, status: spec.status };
			case 'echo-auth':
				if (typeof spec.status !== 'number' || typeof spec.code !== 'string') throw new Error("fault kind 'echo-auth' needs status and code");
				return { kind: 'echo-auth', status: spec.status, code: spec.code };
			case 'malformed-json':
			case 'reset-before-read':
			case 'reset-after-accept':
			case 'hang-after-accept':
				return { kind: spec.kind };
			default:
				throw new Error(`unknown fault kind ${String(spec.kind)}`);
		}
	}

	private takeFault(route: string, jobId: string | undefined, cdn: boolean): FaultKind | undefined {
		const i = this.activeFaults.findIndex(
			(f) => (f.route === route || (f.route === 'any' && !cdn)) && (f.jobId === undefined || f.jobId === jobId),
		);
		if (i < 0) return undefined;
		const f = this.activeFaults[i];
		f.remaining--;
		if (f.remaining <= 0) this.activeFaults.splice(i, 1);
		this.stats.faultsTriggered++;
		return f.fault;
	}

	/** Clears jobs, requests, uploads, webhooks, faults and stats; keeps the options (balance back to its option). */
	reset(): void {
		for (const timers of this.jobTimers.values()) for (const t of timers) realClearTimeout(t);
		this.jobTimers.clear();
		for (const t of this.webhookTimers) realClearTimeout(t);
		this.webhookTimers.clear();
		for (const ac of this.webhookAborts) ac.abort();
		this.webhookAborts.clear();
		for (const res of this.hanging) res.destroy();
		this.hanging.clear();
		this.jobs.clear();
		this.uploads.clear();
		this.syntheticModels.clear();
		this.requests.length = 0;
		this.cdnRequests.length = 0;
		this.webhooks.length = 0;
		this.activeFaults = [];
		this.stats = newStats();
		this.balance = this.opts.balanceMicroCents;
		this.applyFailJobs(this.opts.failJobs);
	}

	async close(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		this.reset();
		for (const [t, resolve] of this.sleeps) {
			realClearTimeout(t);
			resolve();
		}
		this.sleeps.clear();
		const closeOne = (s: Server) =>
			new Promise<void>((resolve) => {
				if (!s.listening) return resolve();
				s.close(() => resolve());
				s.closeAllConnections();
			});
		await Promise.all([closeOne(this.apiServer), closeOne(this.cdnServer)]);
	}

	/** pending → processing → completed/failed, one step. */
	advanceJob(jobId: string): FakeJob {
		const job = this.mustJob(jobId);
		if (job.status === 'pending') this.startProcessing(job);
		else if (job.status === 'processing') this.finishJob(job, job.willFail ? 'failed' : 'completed');
		return job;
	}

	completeJob(jobId: string): FakeJob {
		const job = this.mustJob(jobId);
		if (!TERMINAL.includes(job.status)) {
			if (job.status === 'pending') this.startProcessing(job);
			this.finishJob(job, 'completed');
		}
		return job;
	}

	failJob(jobId: string, error?: { code?: string; message?: string }): FakeJob {
		const job = this.mustJob(jobId);
		if (!TERMINAL.includes(job.status)) {
			if (job.status === 'pending') this.startProcessing(job);
			this.finishJob(job, 'failed', error);
		}
		return job;
	}

	/** The CDN URL of one of a job's files. */
	outputUrl(jobId: string, file = 'output_0.mp4'): string {
		return `${this.cdnUrl}/outputs/${jobId}/${file}`;
	}

	/** Polls until `predicate` is true (no open handles: uses the fake's tracked timers). */
	async waitFor<T>(predicate: () => T | undefined | null | false, timeoutMs = 10_000, intervalMs = 10): Promise<T> {
		const deadline = realNow() + timeoutMs;
		for (;;) {
			const v = predicate();
			if (v) return v;
			if (this.closed) throw new Error('fake closed while waiting');
			if (realNow() > deadline) throw new Error(`waitFor timed out after ${timeoutMs} ms`);
			await this.sleep(intervalMs);
		}
	}

	waitForJob(jobId: string, statuses: JobStatus[] = TERMINAL, timeoutMs = 10_000): Promise<FakeJob> {
		return this.waitFor(() => {
			const j = this.jobs.get(jobId);
			return j && statuses.includes(j.status) ? j : undefined;
		}, timeoutMs);
	}

	/** Waits until the job's (first) webhook delivery is no longer pending. */
	waitForWebhook(jobId: string, timeoutMs = 10_000): Promise<WebhookDelivery> {
		return this.waitFor(() => this.webhooks.find((d) => d.jobId === jobId && d.duplicateOf === null && d.status !== 'pending'), timeoutMs);
	}

	// -----------------------------------------------------------------------------------------
	// Timers
	// -----------------------------------------------------------------------------------------

	private sleep(ms: number): Promise<void> {
		if (ms <= 0 || this.closed) return Promise.resolve();
		return new Promise((resolve) => {
			const t = realSetTimeout(() => {
				this.sleeps.delete(t);
				resolve();
			}, ms);
			this.sleeps.set(t, resolve);
		});
	}

	private jobTimer(job: FakeJob, ms: number, fn: () => void): void {
		let set = this.jobTimers.get(job.jobId);
		if (!set) {
			set = new Set();
			this.jobTimers.set(job.jobId, set);
		}
		const timers = set;
		const t = realSetTimeout(() => {
			timers.delete(t);
			fn();
		}, Math.max(0, ms));
		timers.add(t);
	}

	private clearJobTimers(jobId: string): void {
		const set = this.jobTimers.get(jobId);
		if (set) for (const t of set) realClearTimeout(t);
		this.jobTimers.delete(jobId);
	}

	// -----------------------------------------------------------------------------------------
	// Ids and recording
	// -----------------------------------------------------------------------------------------

	private id(prefix: string, n: number, length = 12): string {
		return `${prefix}_${createHash('sha256').update(`${this.opts.idSeed}:${prefix}:${n}`).digest('hex').slice(0, length)}`;
	}

	private nextRequestId(): string {
		return this.id('req', ++this.counters.req);
	}

	private allKeys(): FakeApiKey[] {
		return [
			{ key: this.opts.apiKey, account: 'acct_default', scopes: this.opts.scopes, state: this.opts.apiKeyState, allowedIPs: this.opts.allowedIPs },
			...this.opts.keys,
		];
	}

	private accountOf(k: FakeApiKey, index: number): string {
		return k.account ?? (index === 0 ? 'acct_default' : `acct_${index + 1}`);
	}

	private describeAuth(req: IncomingMessage): string {
		const keys = this.allKeys().map((k) => k.key);
		const parts: string[] = [];
		const authz = header(req, 'authorization');
		if (authz !== undefined) {
			const m = /^Bearer +(\S+)\s*$/i.exec(authz);
			parts.push(!m ? 'bearer-malformed' : keys.includes(m[1]) ? 'bearer-valid' : 'bearer-unknown');
		}
		const x = header(req, 'x-api-key');
		if (x !== undefined) parts.push(keys.includes(x) ? 'x-api-key-valid' : 'x-api-key-unknown');
		return parts.length ? parts.join('+') : 'none';
	}

	private carriesKey(req: IncomingMessage): boolean {
		const haystack = [req.url ?? '', ...Object.values(flattenHeaders(req))].join('\n');
		return this.allKeys().some((k) => k.key.length > 0 && haystack.includes(k.key));
	}

	private record(listener: 'api' | 'cdn', req: IncomingMessage, u: URL, route: string): RecordedRequest {
		const rec: RecordedRequest = {
			id: ++this.counters.rec,
			at: new Date(realNow()).toISOString(),
			listener,
			route,
			method: req.method ?? 'GET',
			path: u.pathname,
			query: Object.fromEntries(u.searchParams.entries()),
			headers: flattenHeaders(req),
			body: '',
			json: undefined,
			bodyBytes: 0,
			bodySha256: null,
			auth: this.describeAuth(req),
			carriesApiKey: this.carriesKey(req),
			status: null,
			fault: null,
			remoteAddress: normaliseIp(req.socket.remoteAddress),
		};
		(listener === 'api' ? this.requests : this.cdnRequests).push(rec);
		return rec;
	}

	private logOnClose(listener: LogEntry['listener'], req: IncomingMessage, res: ServerResponse, path: string, rec?: RecordedRequest): void {
		const started = realNow();
		res.once('close', () => {
			const status = res.headersSent ? res.statusCode : null;
			if (rec) rec.status = status;
			if (status === 429) this.stats.sent429++;
			const onLog = this.opts.onLog;
			if (onLog) {
				try {
					onLog({ listener, method: req.method ?? 'GET', path, status, durationMs: realNow() - started, fault: rec?.fault ?? undefined });
				} catch {
					// a logger must never break the fake
				}
			}
		});
	}

	// -----------------------------------------------------------------------------------------
	// API listener
	// -----------------------------------------------------------------------------------------

	private onApi(req: IncomingMessage, res: ServerResponse): void {
		this.handleApi(req, res).catch((err: unknown) => {
			// The client went away mid-body, or a bug: answer 500 if still possible.
			if (!res.headersSent && !res.destroyed) {
				this.sendJson(res, { status: 500, body: this.errorBody('INTERNAL_ERROR', `fake-muvi: ${String(err)}`, {}, this.nextRequestId()) });
			} else res.destroy();
		});
	}

	private async handleApi(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const u = new URL(req.url ?? '/', 'http://fake.invalid');
		if (u.pathname === '/__fake' || u.pathname.startsWith('/__fake/')) {
			this.logOnClose('control', req, res, u.pathname);
			return this.handleControl(req, res, u);
		}
		const route = matchApiRoute(req.method ?? 'GET', u.pathname);
		const rec = this.record('api', req, u, route.name);
		this.logOnClose('api', req, res, u.pathname, rec);
		this.stats.requests++;
		if (route.name === 'submit') this.stats.submitsReceived++;
		if (route.name === 'status' && route.jobId) this.stats.statusCalls[route.jobId] = (this.stats.statusCalls[route.jobId] ?? 0) + 1;
		if (route.name === 'list') this.stats.listCalls++;
		if (route.name === 'cancel') this.stats.cancelCalls++;
		if (route.name === 'estimate') this.stats.estimateCalls++;
		if (route.name === 'presign') this.stats.presignCalls++;

		const fault = this.takeFault(route.name, route.jobId, false);
		if (fault) rec.fault = fault.kind;
		if (fault?.kind === 'reset-before-read') {
			req.socket.destroy();
			return;
		}
		if (fault?.kind === 'redirect') {
			await readBody(req, MAX_JSON_BODY);
			res.writeHead(fault.status ?? 307, { location: fault.location, 'content-length': 0 });
			res.end();
			return;
		}

		const { buffer, tooLarge } = await readBody(req, MAX_JSON_BODY);
		rec.bodyBytes = buffer.length;
		rec.body = buffer.toString('utf8');
		let parsed: unknown = undefined;
		let parseError = false;
		if (rec.body.trim().length > 0) {
			try {
				parsed = JSON.parse(rec.body);
			} catch {
				parseError = true;
			}
		}
		rec.json = parsed;

		await this.sleep(this.opts.latencyMs);
		if (fault?.kind === 'delay') await this.sleep(fault.ms);
		if (this.closed) {
			res.destroy();
			return;
		}

		const requestId = this.nextRequestId();
		let result: ApiResult;
		if (fault?.kind === 'status') {
			result = this.errorResult(new ApiError(fault.status, fault.code, fault.message ?? `Injected ${fault.code}`, fault.details ?? {}, fault.headers ?? {}), requestId);
		} else if (fault?.kind === 'echo-auth') {
			const auth = String(req.headers.authorization ?? '');
			result = this.errorResult(new ApiError(fault.status, fault.code, `Request rejected (authorization: ${auth})`), requestId);
		} else if (tooLarge) {
			result = this.errorResult(new ApiError(413, 'VALIDATION_ERROR', 'Request body too large'), requestId);
		} else if (parseError) {
			result = this.errorResult(new ApiError(400, 'VALIDATION_ERROR', 'Request body is not valid JSON'), requestId);
		} else {
			result = this.dispatch(route, req, parsed, requestId);
		}

		switch (fault?.kind) {
			case 'reset-after-accept':
				req.socket.destroy();
				return;
			case 'hang-after-accept':
				this.hanging.add(res);
				res.once('close', () => this.hanging.delete(res));
				return;
			case 'malformed-json': {
				const text = JSON.stringify(result.body);
				res.writeHead(200, { 'content-type': 'application/json' });
				res.end(text.slice(0, Math.max(1, Math.floor(text.length / 2))));
				return;
			}
			case 'status-after-accept': {
				if (fault.html) {
					const page = `<html><head><title>${fault.status} Service Temporarily Unavailable</title></head><body><center><h1>${fault.status}</h1></center><hr><center>nginx</center></body></html>`;
					res.writeHead(fault.status, { 'content-type': 'text/html', 'content-length': Buffer.byteLength(page) });
					res.end(page);
					return;
				}
				const code = fault.code ?? 'INTERNAL_ERROR';
				this.sendJson(res, this.errorResult(new ApiError(fault.status, code, fault.message ?? `Injected ${code}`), requestId));
				return;
			}
		}
		this.sendJson(res, result);
	}

	private sendJson(res: ServerResponse, result: ApiResult): void {
		if (res.destroyed || res.headersSent) return;
		const text = JSON.stringify(result.body);
		res.writeHead(result.status, {
			'content-type': 'application/json; charset=utf-8',
			'content-length': Buffer.byteLength(text),
			...(result.headers ?? {}),
		});
		res.end(text);
	}

	private errorBody(code: string, message: string, details: Record<string, unknown>, requestId: string) {
		return { success: false, error: { code, message, details }, requestId };
	}

	private errorResult(e: ApiError, requestId: string): ApiResult {
		return { status: e.status, body: this.errorBody(e.code, e.message, e.details, requestId), headers: e.headers };
	}

	/** Wraps per the envelope option. `docsWrapped` = whether the page documenting this shape shows the wrapper. */
	private ok(payload: unknown, requestId: string, docsWrapped: boolean, status = 200): ApiResult {
		const env = this.opts.envelope;
		const wrap = env === 'wrapped' || (env === 'docs' && docsWrapped);
		return { status, body: wrap ? { success: true, data: payload, requestId } : payload };
	}

	private dispatch(route: ApiRoute, req: IncomingMessage, body: unknown, requestId: string): ApiResult {
		try {
			switch (route.name) {
				case 'root':
					return {
						status: 200,
						body: {
							name: 'Muvi simulator (fake Muvi API, no real videos, no charges)',
							api: `${this.url}/v1`,
							cdn: this.cdnUrl,
							control: this.controlUrl,
						},
					};
				case 'submit':
					return this.submit(this.authenticate(req, 'bearer', 'submit_job'), body, requestId);
				case 'status':
					return this.getJob(this.authenticate(req, 'bearer', 'check_status'), route.jobId as string, requestId);
				case 'list':
					return this.listJobs(this.authenticate(req, 'bearer', 'check_status'), req, requestId);
				case 'cancel':
					return this.cancel(this.authenticate(req, 'bearer', 'submit_job'), route.jobId as string, requestId);
				case 'estimate':
					return this.estimate(this.authenticate(req, 'bearer', 'check_status'), body, requestId);
				case 'presign':
					return this.presign(this.authenticate(req, 'bearer'), body, requestId);
				case 'upload-status':
					return this.uploadStatus(this.authenticate(req, 'bearer'), route.id as string, requestId);
				case 'catalog':
					// Public: an optional key would only change visibility/pricing, which the fake does not model.
					return this.catalog(route.rest ?? '', requestId);
				case 'models':
					this.authenticate(req, 'models', 'list_models');
					return this.modelsApi(route.rest ?? '', requestId);
				default:
					throw new ApiError(404, 'NOT_FOUND', `No route for ${req.method} ${new URL(req.url ?? '/', 'http://x').pathname}`);
			}
		} catch (e) {
			if (e instanceof ApiError) return this.errorResult(e, requestId);
			throw e;
		}
	}

	// -----------------------------------------------------------------------------------------
	// Auth (§1)
	// -----------------------------------------------------------------------------------------

	private authenticate(req: IncomingMessage, mode: 'bearer' | 'models', scope?: Scope): AuthContext {
		const allowBearer = mode === 'bearer' || this.opts.modelsAuth !== 'x-api-key';
		const allowX = mode === 'models' && this.opts.modelsAuth !== 'bearer';
		const authz = header(req, 'authorization');
		const x = header(req, 'x-api-key');
		let presented: string;
		if (allowBearer && authz !== undefined) {
			const m = /^Bearer +(\S+)\s*$/i.exec(authz);
			if (!m) throw new ApiError(401, 'UNAUTHORIZED', 'Malformed Authorization header; expected "Bearer <API key>"');
			presented = m[1];
		} else if (allowX && x !== undefined && x !== '') {
			presented = x;
		} else {
			throw new ApiError(401, 'UNAUTHORIZED', allowBearer ? 'Missing Authorization header' : 'Missing x-api-key header');
		}
		const keys = this.allKeys();
		const index = keys.findIndex((k) => k.key === presented);
		if (index < 0) throw new ApiError(401, 'INVALID_API_KEY', 'The API key is invalid');
		const key = keys[index];
		if (key.state === 'inactive') throw new ApiError(401, 'API_KEY_INACTIVE', 'The API key has been deactivated');
		if (key.state === 'expired') throw new ApiError(401, 'API_KEY_EXPIRED', 'The API key has expired');
		const allowed = key.allowedIPs ?? [];
		const ip = normaliseIp(req.socket.remoteAddress);
		if (allowed.length > 0 && !ipAllowed(ip, allowed)) {
			throw new ApiError(403, 'IP_NOT_WHITELISTED', `IP ${ip} is not in the key's allowed IPs`);
		}
		const scopes = key.scopes ?? [];
		if (scope && scopes.length > 0 && !scopes.includes(scope)) {
			throw new ApiError(403, 'OPERATION_NOT_ALLOWED', `This API key lacks the ${scope} scope`, { requiredScope: scope });
		}
		return { key: key.key, account: this.accountOf(key, index) };
	}

	// -----------------------------------------------------------------------------------------
	// Models
	// -----------------------------------------------------------------------------------------

	private lookupModel(slug: string): FakeModel {
		const known = this.modelTable.get(slug);
		if (known) return known;
		if (this.opts.acceptAnyModel) {
			let m = this.syntheticModels.get(slug);
			if (!m) {
				m = resolveSpec({ slug }, true);
				this.syntheticModels.set(slug, m);
			}
			return m;
		}
		throw new ApiError(404, 'MODEL_NOT_FOUND', `Model ${slug} was not found`);
	}

	private checkVersion(model: FakeModel, version: unknown): string | null {
		if (version === undefined || version === null || version === '') return null;
		if (typeof version !== 'string') throw new ApiError(400, 'VALIDATION_ERROR', 'version must be a string', { field: 'version' });
		if (model.synthetic) return version;
		const v = model.versions.find((x) => x.version === version || x.versionId === version);
		if (!v) throw new ApiError(404, 'MODEL_VERSION_NOT_FOUND', `Version ${version} of ${model.slug} was not found`);
		if (v.status !== 'active') throw new ApiError(400, 'MODEL_VERSION_NOT_ACTIVE', `Version ${version} of ${model.slug} is ${v.status}`);
		return v.version;
	}

	private inputIssuesError(issues: InputIssue[]): ApiError {
		const first = issues[0];
		return new ApiError(400, 'INVALID_INPUT', first.message, {
			field: first.field,
			reason: first.reason,
			errors: issues.map((i) => ({ field: i.field, reason: i.reason, message: i.message })),
		});
	}

	// -----------------------------------------------------------------------------------------
	// Jobs (§2.1 – §2.5)
	// -----------------------------------------------------------------------------------------

	private submit(auth: AuthContext, body: unknown, requestId: string): ApiResult {
		if (!isPlainObject(body)) throw new ApiError(400, 'VALIDATION_ERROR', 'Request body must be a JSON object');
		let slug = body.model;
		let version = body.version;
		if (slug === undefined && this.opts.acceptLegacyFieldNames) {
			slug = body.modelSlug;
			version = version ?? body.modelVersion;
		}
		if (slug === undefined || slug === null || slug === '') throw new ApiError(400, 'VALIDATION_ERROR', 'model is required', { field: 'model' });
		if (!isWellFormedSlug(slug)) {
			throw new ApiError(400, 'INVALID_MODEL_SLUG', `Malformed model slug ${JSON.stringify(slug)}; expected provider/model/capability`);
		}
		const model = this.lookupModel(slug);
		if (this.opts.deniedModels.includes(slug)) throw new ApiError(403, 'MODEL_ACCESS_DENIED', `Your plan may not use ${slug}`);
		const resolvedVersion = this.checkVersion(model, version);

		let webhookUrl: string | null = null;
		if (body.webhookUrl !== undefined && body.webhookUrl !== null && body.webhookUrl !== '') {
			webhookUrl = this.checkWebhookUrl(body.webhookUrl);
		}

		const input = body.input;
		if (!isPlainObject(input)) throw new ApiError(400, 'INVALID_INPUT', 'input is required and must be an object', { field: 'input' });
		const issues = validateInput(model, input);
		if (issues.length > 0) throw this.inputIssuesError(issues);

		const price = priceFor(model, input, this.opts.discountPercent);
		const cost = price.finalCostMicroCents;
		if (cost > this.balance) {
			throw new ApiError(402, 'INSUFFICIENT_BALANCE', 'Insufficient balance for this job', {
				requiredMicroCents: cost,
				balanceMicroCents: this.balance,
			});
		}
		const max = this.opts.maxConcurrentJobs;
		if (max !== undefined && max !== null && Number.isFinite(max)) {
			const active = [...this.jobs.values()].filter((j) => j.account === auth.account && (j.status === 'pending' || j.status === 'processing')).length;
			if (active >= max) {
				const details: Record<string, unknown> = this.opts.omitRetryAfter ? {} : { retryAfter: this.opts.retryAfterSeconds };
				const headers: Record<string, string> = this.opts.retryAfterHeader ? { 'retry-after': String(Math.ceil(this.opts.retryAfterSeconds)) } : {};
				throw new ApiError(429, 'CONCURRENT_JOBS_EXCEEDED', `Too many concurrent jobs (limit ${max})`, details, headers);
			}
		}

		const job = this.createJob(auth, model, resolvedVersion, input, webhookUrl, cost, requestId);
		if (this.opts.submitShape === 'legacy') {
			return this.ok(
				{ jobId: job.jobId, status: 'pending', model: job.model, estimatedCost: job.costMicroCents, createdAt: job.createdAt },
				requestId,
				true,
			);
		}
		return this.ok(
			{
				jobId: job.jobId,
				requestId,
				status: 'pending',
				estimatedCompletionTime: job.estimatedCompletionTime,
				costMicroCents: job.costMicroCents,
			},
			requestId,
			false,
		);
	}

	private checkWebhookUrl(raw: unknown): string {
		if (typeof raw !== 'string') throw new ApiError(400, 'INVALID_WEBHOOK_URL', 'webhookUrl must be a string');
		let u: URL;
		try {
			u = new URL(raw);
		} catch {
			throw new ApiError(400, 'INVALID_WEBHOOK_URL', `webhookUrl is not a valid URL: ${raw}`);
		}
		if (u.protocol === 'https:') return raw;
		if (u.protocol === 'http:' && this.opts.allowHttpWebhooks && isLoopbackHost(u.hostname)) return raw;
		throw new ApiError(400, 'INVALID_WEBHOOK_URL', 'webhookUrl must use https://');
	}

	private createJob(
		auth: AuthContext,
		model: FakeModel,
		version: string | null,
		input: Record<string, unknown>,
		webhookUrl: string | null,
		cost: number,
		requestId: string,
	): FakeJob {
		const now = realNow();
		const durationMs = this.opts.modelDurationsMs[model.slug] ?? model.durationMs ?? this.opts.jobDurationMs;
		let willFail = typeof input.prompt === 'string' && input.prompt.includes('[fail]');
		// "[fail:<part of a slug>]": the job fails only on models whose slug contains it (fallback tests)
		const only = typeof input.prompt === 'string' ? /\[fail:([^\]]+)\]/.exec(input.prompt) : null;
		if (only && model.slug.includes(only[1])) willFail = true;
		if (this.opts.failJobs === true) willFail = true;
		else if (this.failNext > 0) {
			this.failNext--;
			willFail = true;
		}
		const job: FakeJob = {
			jobId: this.id('job', ++this.counters.job),
			requestId,
			account: auth.account,
			model: model.slug,
			modelId: model.id,
			category: model.category,
			version,
			input,
			webhookUrl,
			status: 'pending',
			progress: 0,
			costMicroCents: cost,
			refundedMicroCents: 0,
			createdAt: new Date(now).toISOString(),
			createdAtMs: now,
			seq: ++this.counters.seq,
			startedAt: null,
			completedAt: null,
			completedAtMs: null,
			estimatedCompletionTime: new Date(now + Math.round(durationMs * this.opts.etaFactor)).toISOString(),
			durationMs,
			willFail,
			error: null,
			output: null,
			outputs: null,
			outputSizeBytes: this.opts.outputSizeBytes,
		};
		this.balance -= cost;
		this.jobs.set(job.jobId, job);
		this.stats.jobsCreated++;
		if (this.opts.autoProgress) {
			const pendingMs = Math.min(durationMs, this.opts.pendingMs ?? Math.round(durationMs / 3));
			this.jobTimer(job, pendingMs, () => this.startProcessing(job));
			this.jobTimer(job, durationMs, () => this.finishJob(job, job.willFail ? 'failed' : 'completed'));
		}
		return job;
	}

	private startProcessing(job: FakeJob): void {
		if (job.status !== 'pending') return;
		job.status = 'processing';
		job.progress = 50;
		job.startedAt = new Date(realNow()).toISOString();
	}

	private finishJob(job: FakeJob, outcome: 'completed' | 'failed', error?: { code?: string; message?: string }): void {
		if (TERMINAL.includes(job.status)) return;
		this.clearJobTimers(job.jobId);
		const now = realNow();
		job.completedAt = new Date(now).toISOString();
		job.completedAtMs = now;
		if (outcome === 'completed') {
			job.status = 'completed';
			job.progress = 100;
			job.outputSizeBytes = this.opts.outputSizeBytes;
			const base = `${this.cdnUrl}/outputs/${job.jobId}`;
			job.outputs =
				job.category === 'image'
					? Array.from({ length: this.imageCount(job) }, (_, n) => ({ url: `${base}/output_${n}.png`, type: 'image' as const }))
					: [{ url: `${base}/output_0.mp4`, type: 'video', thumbnail: `${base}/thumb_0.jpg`, posterImage: `${base}/poster_0.jpg` }];
			job.output = job.outputs[0].url;
		} else {
			job.status = 'failed';
			job.progress = 0;
			job.error = {
				code: error?.code ?? 'GENERATION_FAILED',
				message: error?.message ?? 'Video generation failed (simulated by the fake); credits have been refunded',
			};
			this.refund(job);
		}
		this.sendWebhook(job);
	}

	private refund(job: FakeJob): void {
		if (job.refundedMicroCents > 0) return;
		job.refundedMicroCents = job.costMicroCents;
		this.balance += job.costMicroCents;
	}

	private findJob(auth: AuthContext, jobId: string): FakeJob {
		const job = this.jobs.get(jobId);
		if (!job) throw new ApiError(404, 'JOB_NOT_FOUND', `Job ${jobId} was not found`);
		if (job.account !== auth.account) throw new ApiError(403, 'UNAUTHORIZED_ACCESS', 'This job belongs to another user');
		return job;
	}

	private mustJob(jobId: string): FakeJob {
		const job = this.jobs.get(jobId);
		if (!job) throw new Error(`fake-muvi: no job ${jobId}`);
		return job;
	}

	/** How many images an image job makes: its model's count field (num_images, numberOfGenerations), else 1. */
	private imageCount(job: FakeJob): number {
		const field = this.modelTable.get(job.model)?.imageCountField;
		const n = Number(field ? job.input[field] : undefined);
		return Number.isInteger(n) && n >= 1 && n <= 10 ? n : 1;
	}

	private durationSeconds(job: FakeJob): number | null {
		if (job.category === 'image') return null;
		const n = Number(job.input.duration);
		if (Number.isFinite(n) && n > 0) return n;
		const model = this.modelTable.get(job.model);
		return Number(model?.pricing.defaultDuration ?? 5);
	}

	/** GET /v1/jobs/{id} body (§2.2), or the quickstart's legacy shape. */
	jobView(job: FakeJob): Record<string, unknown> {
		if (this.opts.legacyOutput) {
			return {
				jobId: job.jobId,
				status: job.status,
				progress: job.progress,
				output:
					job.status === 'completed' && job.output
						? {
								url: job.output,
								contentType: job.category === 'image' ? 'image/png' : 'video/mp4',
								durationSeconds: this.durationSeconds(job),
							}
						: null,
				error: job.error,
				cost: job.costMicroCents,
				createdAt: job.createdAt,
				completedAt: job.completedAt,
			};
		}
		return {
			jobId: job.jobId,
			status: job.status,
			progress: job.progress,
			output: job.output,
			outputs: job.outputs,
			error: job.error,
			createdAt: job.createdAt,
			completedAt: job.completedAt,
		};
	}

	private getJob(auth: AuthContext, jobId: string, requestId: string): ApiResult {
		const job = this.findJob(auth, jobId);
		return this.ok(this.jobView(job), requestId, this.opts.legacyOutput);
	}

	private listJobs(auth: AuthContext, req: IncomingMessage, requestId: string): ApiResult {
		const q = new URL(req.url ?? '/', 'http://x').searchParams;
		const limitText = q.get('limit');
		let limit = 20;
		if (limitText !== null) {
			if (!/^\d+$/.test(limitText) || Number(limitText) < 1 || Number(limitText) > 100) {
				throw new ApiError(400, 'VALIDATION_ERROR', 'limit must be an integer between 1 and 100', { field: 'limit' });
			}
			limit = Number(limitText);
		}
		const status = q.get('status');
		if (status !== null && !JOB_STATUSES.includes(status as JobStatus)) {
			throw new ApiError(400, 'VALIDATION_ERROR', `status must be one of ${JOB_STATUSES.join(', ')}`, { field: 'status' });
		}
		const modelId = q.get('modelId');
		let after: { ms: number; seq: number } | null = null;
		const cursor = q.get('cursor');
		if (cursor !== null && cursor !== '') {
			try {
				const decoded = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8')) as { createdAt?: unknown; jobId?: unknown };
				const ms = Date.parse(String(decoded.createdAt));
				if (!Number.isFinite(ms)) throw new Error('bad');
				const ref = typeof decoded.jobId === 'string' ? this.jobs.get(decoded.jobId) : undefined;
				after = { ms, seq: ref ? ref.seq : Number.MAX_SAFE_INTEGER };
			} catch {
				throw new ApiError(400, 'VALIDATION_ERROR', 'Invalid cursor', { field: 'cursor' });
			}
		}
		const all = [...this.jobs.values()]
			.filter((j) => j.account === auth.account)
			.filter((j) => Date.now() - j.createdAtMs >= this.opts.jobListLagMs)
			.filter((j) => status === null || j.status === status)
			.filter((j) => modelId === null || (this.opts.modelIdFilter === 'id' ? j.modelId === modelId : j.model === modelId))
			// newest first; seq breaks ties between jobs created in the same millisecond
			.sort((a, b) => b.createdAtMs - a.createdAtMs || b.seq - a.seq)
			.filter((j) => !after || j.createdAtMs < after.ms || (j.createdAtMs === after.ms && j.seq < after.seq));
		const page = all.slice(0, limit);
		const hasMore = all.length > page.length;
		const last = page[page.length - 1];
		const nextCursor = hasMore && last ? Buffer.from(JSON.stringify({ createdAt: last.createdAt, jobId: last.jobId })).toString('base64') : null;
		return this.ok(
			{
				jobs: page.map((j) => ({ jobId: j.jobId, status: j.status, progress: j.progress, model: j.model, createdAt: j.createdAt, completedAt: j.completedAt })),
				nextCursor,
				hasMore,
			},
			requestId,
			false,
		);
	}

	private cancel(auth: AuthContext, jobId: string, requestId: string): ApiResult {
		const job = this.findJob(auth, jobId);
		if (job.status !== 'pending') {
			throw new ApiError(400, 'JOB_CANNOT_BE_CANCELLED', `Job ${jobId} is ${job.status}; only pending jobs can be cancelled`);
		}
		this.clearJobTimers(job.jobId);
		job.status = 'cancelled';
		const now = realNow();
		job.completedAt = new Date(now).toISOString();
		job.completedAtMs = now;
		this.refund(job);
		if (this.opts.webhookOnCancel) this.sendWebhook(job);
		return this.ok({ jobId: job.jobId, status: 'cancelled', refundedMicroCents: job.refundedMicroCents }, requestId, false);
	}

	private estimate(_auth: AuthContext, body: unknown, requestId: string): ApiResult {
		if (!isPlainObject(body)) throw new ApiError(400, 'VALIDATION_ERROR', 'Request body must be a JSON object');
		let slug = body.model;
		if (slug === undefined && this.opts.acceptLegacyFieldNames) slug = body.modelSlug;
		if (slug === undefined || slug === null || slug === '') throw new ApiError(400, 'VALIDATION_ERROR', 'model is required', { field: 'model' });
		if (!isWellFormedSlug(slug)) throw new ApiError(400, 'INVALID_MODEL_SLUG', `Malformed model slug ${JSON.stringify(slug)}`);
		const model = this.lookupModel(slug);
		this.checkVersion(model, body.version ?? (this.opts.acceptLegacyFieldNames ? body.modelVersion : undefined));
		let input: Record<string, unknown> = {};
		if (body.input !== undefined && body.input !== null) {
			if (!isPlainObject(body.input)) throw new ApiError(400, 'INVALID_INPUT', 'input must be an object', { field: 'input' });
			input = body.input;
		}
		const issues = validateInput(model, input, false);
		if (issues.length > 0) throw this.inputIssuesError(issues);
		const price = priceFor(model, input, this.opts.discountPercent);
		if (this.opts.estimateChecksBalance && price.finalCostMicroCents > this.balance) {
			throw new ApiError(402, 'INSUFFICIENT_BALANCE', 'Insufficient balance for this job', {
				requiredMicroCents: price.finalCostMicroCents,
				balanceMicroCents: this.balance,
			});
		}
		if (this.opts.estimateShape === 'pricing') {
			return this.ok(
				{ estimatedCost: price.finalCostMicroCents, baseCost: price.baseRateMicroCents, factors: price.factors, currency: 'micro-cents' },
				requestId,
				true,
			);
		}
		const hasDiscount = price.savedMicroCents > 0;
		return this.ok(
			{
				baseCostMicroCents: price.baseCostMicroCents,
				estimatedCostMicroCents: price.finalCostMicroCents,
				breakdown: price.breakdown,
				hasDiscount,
				discounted: hasDiscount ? { type: 'volume', percentage: price.discountPercent, savedMicroCents: price.savedMicroCents } : null,
			},
			requestId,
			false,
		);
	}

	// -----------------------------------------------------------------------------------------
	// Uploads (§2.8)
	// -----------------------------------------------------------------------------------------

	private presign(auth: AuthContext, body: unknown, requestId: string): ApiResult {
		if (!isPlainObject(body)) throw new ApiError(400, 'VALIDATION_ERROR', 'Request body must be a JSON object');
		const { filename, contentType } = body;
		if (typeof filename !== 'string' || filename.trim() === '') throw new ApiError(400, 'VALIDATION_ERROR', 'filename is required', { field: 'filename' });
		if (typeof contentType !== 'string' || contentType.trim() === '') {
			throw new ApiError(400, 'VALIDATION_ERROR', 'contentType is required', { field: 'contentType' });
		}
		const type = UPLOAD_TYPES[contentType];
		if (!type) {
			throw new ApiError(400, 'INVALID_CONTENT_TYPE', `Content type ${contentType} is not allowed`, { allowed: Object.keys(UPLOAD_TYPES) });
		}
		const now = realNow();
		const fileId = this.id('file', ++this.counters.file);
		const token = randomBytes(16).toString('hex');
		const safeName = filename.replace(/[^A-Za-z0-9._-]+/g, '_').slice(-120) || 'file';
		const uploadUrlExpiresAtMs = now + this.opts.uploadUrlTtlMs;
		const upload: FakeUpload = {
			fileId,
			account: auth.account,
			filename,
			contentType,
			kind: type.kind,
			maxSize: type.maxSize,
			uploadUrl: `${this.cdnUrl}/upload/${fileId}?X-Fake-Expires=${Math.floor(uploadUrlExpiresAtMs / 1000)}&X-Fake-Signature=${token}`,
			fileUrl: `${this.cdnUrl}/temp/${fileId}/${safeName}`,
			createdAt: new Date(now).toISOString(),
			expiresAt: new Date(now + this.opts.fileTtlMs).toISOString(),
			expiresAtMs: now + this.opts.fileTtlMs,
			uploadUrlExpiresAtMs,
			received: null,
			bytes: null,
			token,
		};
		this.uploads.set(fileId, upload);
		return this.ok(
			{ uploadUrl: upload.uploadUrl, fileUrl: upload.fileUrl, fileId, expiresAt: upload.expiresAt, maxSize: upload.maxSize },
			requestId,
			true,
		);
	}

	private uploadStatus(auth: AuthContext, id: string, requestId: string): ApiResult {
		const u = this.uploads.get(id);
		if (!u || u.account !== auth.account) throw new ApiError(404, 'NOT_FOUND', `Upload ${id} was not found`);
		return this.ok(
			{
				id: u.fileId,
				filename: u.filename,
				contentType: u.contentType,
				fileUrl: u.fileUrl,
				status: realNow() < u.expiresAtMs ? 'pending' : 'expired',
				createdAt: u.createdAt,
				expiresAt: u.expiresAt,
			},
			requestId,
			true,
		);
	}

	// -----------------------------------------------------------------------------------------
	// Catalog (public, §2.7) and models/providers (authenticated, §2.6)
	// -----------------------------------------------------------------------------------------

	private logoUrl(providerId: string): string {
		return `${this.cdnUrl}/logos/${providerId}.svg`;
	}

	private providerOf(m: FakeModel): FakeProvider {
		const spec = this.opts.models.find((s) => s.slug === m.slug);
		return providerFor(m.providerId, spec?.providerName);
	}

	private catalogModels(): FakeModel[] {
		return [...this.modelTable.values()];
	}

	private catalogProvider(p: FakeProvider) {
		return { id: p.id, name: p.name, description: p.description, logoUrl: this.logoUrl(p.id), website: p.website, color: p.color };
	}

	private providersInUse(): FakeProvider[] {
		const seen = new Map<string, FakeProvider>();
		for (const m of this.catalogModels()) if (!seen.has(m.providerId)) seen.set(m.providerId, this.providerOf(m));
		return [...seen.values()];
	}

	private catalog(rest: string, requestId: string): ApiResult {
		const models = this.catalogModels();
		const ratingOf = (m: FakeModel) => {
			const h = parseInt(m.id.slice(-4), 16);
			return { average: Math.round((4 + (h % 10) / 10) * 10) / 10, count: 10 + (h % 90) };
		};
		if (rest === 'models') {
			return this.ok(
				models.map((m) => {
					const p = this.providerOf(m);
					return {
						slug: m.slug,
						provider: { id: p.id, name: p.name, logoUrl: this.logoUrl(p.id) },
						category: m.category,
						capability: m.capability,
						pricing: catalogPricing(m),
						tags: m.tags,
						ratings: ratingOf(m),
					};
				}),
				requestId,
				false,
			);
		}
		if (rest.startsWith('models/')) {
			const slug = rest.slice('models/'.length);
			let m = this.modelTable.get(slug);
			if (!m && slug.split('/').length === 2) {
				// provider/model resolves to the model's default capability (the first one listed).
				const [providerId, modelPart] = slug.split('/');
				m = models.find((x) => x.providerId === providerId && x.modelPart === modelPart);
			}
			if (!m) throw new ApiError(404, 'MODEL_NOT_FOUND', `Model ${slug} was not found`);
			const found = m;
			const p = this.providerOf(found);
			return this.ok(
				{
					slug: found.slug,
					provider: { id: p.id, name: p.name, logoUrl: this.logoUrl(p.id) },
					name: found.name,
					description: found.description,
					category: found.category,
					capability: found.capability,
					inputSchema: found.inputSchema,
					pricing: catalogPricing(found),
					siblings: models
						.filter((x) => x.providerId === found.providerId && x.modelPart === found.modelPart && x.slug !== found.slug)
						.map((x) => ({ slug: x.slug, capability: x.capability })),
				},
				requestId,
				false,
			);
		}
		if (rest === 'categories') {
			return this.ok(
				[
					{ id: 'video', name: 'Video', description: 'Video generation models', modelCount: models.filter((m) => m.category === 'video').length },
					{ id: 'image', name: 'Image', description: 'Image generation models', modelCount: models.filter((m) => m.category === 'image').length },
				],
				requestId,
				false,
			);
		}
		if (rest === 'capability-groups') return this.ok(CAPABILITY_GROUPS, requestId, false);
		if (rest === 'providers') {
			// Providers with zero models are left out (they never get into providersInUse).
			return this.ok(
				this.providersInUse().map((p) => ({ ...this.catalogProvider(p), modelCount: models.filter((m) => m.providerId === p.id).length })),
				requestId,
				false,
			);
		}
		if (rest.startsWith('providers/')) {
			const id = rest.slice('providers/'.length);
			const p = this.providersInUse().find((x) => x.id === id);
			if (!p) throw new ApiError(404, 'NOT_FOUND', `Provider ${id} was not found`);
			return this.ok(
				{
					...this.catalogProvider(p),
					models: models
						.filter((m) => m.providerId === id)
						.map((m) => ({ slug: m.slug, name: m.name, description: m.description, category: m.category, capability: m.capability, pricing: catalogPricing(m), tags: m.tags })),
				},
				requestId,
				false,
			);
		}
		throw new ApiError(404, 'NOT_FOUND', `No catalog route /v1/catalog/${rest}`);
	}

	private modelSummary(m: FakeModel) {
		return {
			id: m.id,
			name: m.name,
			description: m.description,
			category: m.category,
			currentVersion: 'v1.0',
			versionCount: m.versions.length,
			currentVersionPricing: catalogPricing(m),
		};
	}

	private providerEntry(p: FakeProvider) {
		const cats = [...new Set(this.catalogModels().filter((m) => m.providerId === p.id).map((m) => m.category))];
		return { ...this.catalogProvider(p), categories: cats, isActive: true };
	}

	private modelsApi(rest: string, requestId: string): ApiResult {
		const models = this.catalogModels();
		const parts = rest.split('/');
		if (rest === 'models') {
			return this.ok(
				{
					models: models.map((m) => {
						const p = this.providerOf(m);
						const { id, ...restOfSummary } = this.modelSummary(m);
						return { id, providerId: p.id, providerName: p.name, ...restOfSummary };
					}),
				},
				requestId,
				false,
			);
		}
		if (parts[0] === 'models' && parts.length >= 2) {
			const id = parts.slice(1).join('/');
			const m = models.find((x) => x.id === id);
			if (!m) throw new ApiError(404, 'MODEL_NOT_FOUND', `Model ${id} was not found (use the internal id, e.g. model_…)`);
			const p = this.providerOf(m);
			return this.ok(
				{
					id: m.id,
					providerId: p.id,
					providerName: p.name,
					name: m.name,
					description: m.description,
					category: m.category,
					currentVersion: 'v1.0',
					versions: m.versions.map((v) => ({
						versionId: v.versionId,
						status: v.status,
						inputSchema: m.inputSchema,
						outputSchema: { type: 'object', properties: { output: { type: 'string', format: 'uri' } } },
						pricing: catalogPricing(m),
						rateLimits: { requestsPerMinute: 10, requestsPerDay: 500 },
					})),
				},
				requestId,
				false,
			);
		}
		if (rest === 'providers') return this.ok({ providers: this.providersInUse().map((p) => this.providerEntry(p)) }, requestId, false);
		if (parts[0] === 'providers' && parts.length === 3 && parts[2] === 'models') {
			const p = this.providersInUse().find((x) => x.id === parts[1]);
			if (!p) throw new ApiError(404, 'NOT_FOUND', `Provider ${parts[1]} was not found`);
			return this.ok(
				{ provider: this.providerEntry(p), models: models.filter((m) => m.providerId === p.id).map((m) => this.modelSummary(m)) },
				requestId,
				false,
			);
		}
		throw new ApiError(404, 'NOT_FOUND', `No route /v1/${rest}`);
	}

	// -----------------------------------------------------------------------------------------
	// Webhooks (§4)
	// -----------------------------------------------------------------------------------------

	private webhookPayload(job: FakeJob): Record<string, unknown> {
		const base = { jobId: job.jobId, requestId: job.requestId, status: job.status };
		if (job.status === 'failed') return { ...base, error: job.error, completedAt: job.completedAt };
		if (job.status === 'cancelled') return { ...base, completedAt: job.completedAt };
		switch (this.opts.webhookOutput) {
			case 'none':
				return { ...base, completedAt: job.completedAt };
			case 'string':
				return { ...base, output: job.output, outputs: job.outputs, completedAt: job.completedAt };
			default: {
				// The only documented example is an image ({imageUrl, metadata}); the video form is UNCONFIRMED.
				const output =
					job.category === 'image'
						? { url: job.output, imageUrl: job.output, metadata: { width: 1, height: 1, format: 'png' } }
						: {
								url: job.output,
								videoUrl: job.output,
								thumbnailUrl: job.outputs?.[0]?.thumbnail ?? null,
								metadata: { format: 'mp4', contentType: 'video/mp4', durationSeconds: this.durationSeconds(job) },
							};
				return { ...base, output, completedAt: job.completedAt };
			}
		}
	}

	private sendWebhook(job: FakeJob): void {
		if (!job.webhookUrl) return;
		const body = JSON.stringify(this.webhookPayload(job));
		const event = job.status as WebhookDelivery['event'];
		const first = this.newDelivery(job, event, body, null);
		for (let i = 0; i < this.opts.webhookDuplicates; i++) this.newDelivery(job, event, body, first.id);
	}

	private newDelivery(job: FakeJob, event: WebhookDelivery['event'], body: string, duplicateOf: number | null): WebhookDelivery {
		const url = job.webhookUrl as string;
		const d: WebhookDelivery = {
			id: ++this.counters.delivery,
			jobId: job.jobId,
			url,
			event,
			status: 'pending',
			body,
			attempts: [],
			skippedReason: null,
			duplicateOf,
		};
		this.webhooks.push(d);
		let host = '';
		try {
			host = new URL(url).hostname;
		} catch {
			host = '';
		}
		if (this.opts.webhookLoopbackOnly && !isLoopbackHost(host)) {
			d.status = 'skipped';
			d.skippedReason = 'webhookLoopbackOnly: the fake never calls non-loopback hosts';
			return d;
		}
		this.attemptWebhook(d);
		return d;
	}

	private attemptWebhook(d: WebhookDelivery): void {
		if (this.closed) return;
		const started = realNow();
		const timestamp = String(Math.floor(started / 1000) + this.opts.webhookTimestampOffsetSeconds);
		const signature = signWebhook(this.opts.webhookSecret, timestamp, d.body);
		const attempt: WebhookAttempt = {
			attempt: d.attempts.length + 1,
			at: new Date(started).toISOString(),
			timestamp,
			signature,
			responseStatus: null,
			error: null,
			durationMs: 0,
		};
		d.attempts.push(attempt);
		this.stats.webhookAttempts++;

		const ac = new AbortController();
		this.webhookAborts.add(ac);
		let done = false;
		const timeout = realSetTimeout(() => {
			finish(null, `no response within ${this.opts.webhookTimeoutMs} ms`);
			ac.abort();
		}, this.opts.webhookTimeoutMs);
		this.webhookTimers.add(timeout);

		const finish = (status: number | null, error: string | null) => {
			if (done) return;
			done = true;
			realClearTimeout(timeout);
			this.webhookTimers.delete(timeout);
			this.webhookAborts.delete(ac);
			attempt.responseStatus = status;
			attempt.error = error;
			attempt.durationMs = realNow() - started;
			if (this.closed || d.status !== 'pending') return;
			if (status !== null && status >= 200 && status < 300) {
				d.status = 'sent';
				return;
			}
			if (d.attempts.length >= this.opts.webhookMaxAttempts) {
				d.status = 'failed';
				return;
			}
			const delaySeconds = WEBHOOK_RETRY_SECONDS[Math.min(d.attempts.length - 1, WEBHOOK_RETRY_SECONDS.length - 1)];
			const t = realSetTimeout(() => {
				this.webhookTimers.delete(t);
				this.attemptWebhook(d);
			}, delaySeconds * 1000 * this.opts.webhookRetryScale);
			this.webhookTimers.add(t);
		};

		try {
			const target = new URL(d.url);
			const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
			const req = send(
				target,
				{
					method: 'POST',
					agent: false, // no keep-alive: nothing stays open after close()
					signal: ac.signal,
					headers: {
						'content-type': 'application/json',
						'content-length': Buffer.byteLength(d.body),
						'user-agent': 'PixelByte-Webhooks/1.0 (fake-muvi)',
						'x-pixelbyte-timestamp': timestamp,
						'x-pixelbyte-signature': signature,
					},
					// A loopback https receiver in tests has a self-signed certificate: checked against webhookCa when given.
					...(target.protocol === 'https:'
						? this.opts.webhookCa
							? { ca: this.opts.webhookCa, rejectUnauthorized: true }
							: { rejectUnauthorized: false }
						: {}),
				},
				(res) => {
					res.resume();
					res.on('end', () => finish(res.statusCode ?? null, null));
					res.on('error', (e) => finish(res.statusCode ?? null, e.message));
				},
			);
			req.on('error', (e) => finish(null, e.message));
			req.end(d.body);
		} catch (e) {
			finish(null, String(e));
		}
	}

	// -----------------------------------------------------------------------------------------
	// CDN listener
	// -----------------------------------------------------------------------------------------

	private onCdn(req: IncomingMessage, res: ServerResponse): void {
		this.handleCdn(req, res).catch(() => {
			if (!res.headersSent && !res.destroyed) this.sendXml(res, 500, 'InternalError', 'fake-muvi CDN error');
			else res.destroy();
		});
	}

	private sendXml(res: ServerResponse, status: number, code: string, message: string, extra: Record<string, string> = {}): void {
		if (res.headersSent || res.destroyed) return;
		const body = xmlError(code, message);
		res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body), ...extra });
		res.end(body);
	}

	private async handleCdn(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const u = new URL(req.url ?? '/', 'http://fake.invalid');
		const seg = u.pathname.split('/').filter((s) => s.length > 0).map((s) => {
			try {
				return decodeURIComponent(s);
			} catch {
				return s;
			}
		});
		const method = req.method ?? 'GET';
		const isRead = method === 'GET' || method === 'HEAD';
		let route = 'cdn-unknown';
		if (method === 'PUT' && seg[0] === 'upload' && seg.length === 2) route = 'cdn-upload';
		else if (isRead && seg[0] === 'outputs' && seg.length === 3) route = 'cdn-output';
		else if (isRead && seg[0] === 'temp' && seg.length === 3) route = 'cdn-file';
		else if (isRead && seg[0] === 'logos' && seg.length === 2) route = 'cdn-logo';

		const rec = this.record('cdn', req, u, route);
		this.logOnClose('cdn', req, res, u.pathname, rec);
		this.stats.cdnRequests++;
		const fault = this.takeFault(route, route === 'cdn-output' ? seg[1] : undefined, true);
		if (fault) rec.fault = fault.kind;
		if (fault?.kind === 'reset-before-read') {
			req.socket.destroy();
			return;
		}
		if (fault?.kind === 'delay') await this.sleep(fault.ms);
		if (fault?.kind === 'status') {
			req.resume();
			this.sendXml(res, fault.status, fault.code, fault.message ?? `Injected ${fault.code}`, fault.headers ?? {});
			return;
		}
		if (fault?.kind === 'hang-after-accept' && route !== 'cdn-upload') {
			this.hanging.add(res);
			res.once('close', () => this.hanging.delete(res));
			return;
		}

		switch (route) {
			case 'cdn-upload':
				return this.cdnUpload(req, res, rec, seg[1], u, fault);
			case 'cdn-output':
				return this.cdnOutput(req, res, seg[1], seg[2], fault);
			case 'cdn-file': {
				const up = this.uploads.get(seg[1]);
				if (!up || !up.bytes || !up.received || realNow() >= up.expiresAtMs || !up.fileUrl.endsWith(`/${encodeURIComponent(seg[2])}`)) {
					return this.sendXml(res, 404, 'NoSuchKey', 'The specified key does not exist.');
				}
				res.writeHead(200, { 'content-type': up.contentType, 'content-length': up.bytes.length, 'accept-ranges': 'none' });
				res.end(method === 'HEAD' ? undefined : up.bytes);
				return;
			}
			case 'cdn-logo': {
				const svg = fakeSvgLogo(seg[1].replace(/\.svg$/, ''));
				res.writeHead(200, { 'content-type': 'image/svg+xml', 'content-length': svg.length });
				res.end(method === 'HEAD' ? undefined : svg);
				return;
			}
			default:
				req.resume();
				return this.sendXml(res, 404, 'NoSuchKey', 'The specified key does not exist.');
		}
	}

	private async cdnUpload(req: IncomingMessage, res: ServerResponse, rec: RecordedRequest, fileId: string, u: URL, fault: FaultKind | undefined): Promise<void> {
		const up = this.uploads.get(fileId);
		// Rejections answer and then drain the body so the client can read the status.
		const reject = (status: number, code: string, message: string) => {
			this.sendXml(res, status, code, message, { connection: 'close' });
			req.resume();
		};
		if (!up || u.searchParams.get('X-Fake-Signature') !== up.token) return reject(403, 'SignatureDoesNotMatch', 'The presigned URL signature is invalid');
		if (realNow() > up.uploadUrlExpiresAtMs) return reject(403, 'AccessDenied', 'Request has expired');
		const ct = (header(req, 'content-type') ?? '').trim().toLowerCase();
		if (ct !== up.contentType.toLowerCase()) {
			return reject(403, 'SignatureDoesNotMatch', `Content-Type ${ct || '(none)'} does not match the presigned ${up.contentType}`);
		}
		const declared = header(req, 'content-length');
		if (declared !== undefined && Number(declared) > up.maxSize) {
			return reject(413, 'EntityTooLarge', `Your proposed upload exceeds the maximum allowed size of ${up.maxSize} bytes`);
		}
		const hash = createHash('sha256');
		const chunks: Buffer[] = [];
		let size = 0;
		let tooLarge = false;
		for await (const chunk of req) {
			const buf = chunk as Buffer;
			size += buf.length;
			if (size > up.maxSize) {
				tooLarge = true;
				continue; // keep draining, drop the bytes
			}
			hash.update(buf);
			chunks.push(buf);
		}
		rec.bodyBytes = size;
		if (tooLarge) return this.sendXml(res, 413, 'EntityTooLarge', `Upload exceeds the maximum allowed size of ${up.maxSize} bytes`, { connection: 'close' });
		const sha256 = hash.digest('hex');
		rec.bodySha256 = sha256;
		up.bytes = Buffer.concat(chunks);
		up.received = { size, contentType: ct, sha256, at: new Date(realNow()).toISOString() };
		this.stats.uploadsReceived++;
		if (fault?.kind === 'reset-after-accept') {
			req.socket.destroy();
			return;
		}
		if (fault?.kind === 'hang-after-accept') {
			this.hanging.add(res);
			res.once('close', () => this.hanging.delete(res));
			return;
		}
		res.writeHead(200, { etag: `"${sha256.slice(0, 32)}"`, 'content-length': 0 });
		res.end();
	}

	private cdnOutput(req: IncomingMessage, res: ServerResponse, jobId: string, file: string, fault: FaultKind | undefined): void {
		const job = this.jobs.get(jobId);
		const notFound = () => this.sendXml(res, 404, 'NoSuchKey', 'The specified key does not exist.');
		if (!job || job.status !== 'completed' || job.completedAtMs === null) return notFound();
		if (this.opts.outputTtlMs !== undefined && realNow() > job.completedAtMs + this.opts.outputTtlMs) return notFound();
		const head = req.method === 'HEAD';
		if (job.category === 'image') {
			const n = /^output_(\d+)\.png$/.exec(file);
			if (!n || Number(n[1]) >= this.imageCount(job)) return notFound();
			this.stats.outputDownloads++;
			const png = fakePng();
			res.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length });
			res.end(head ? undefined : png);
			return;
		}
		if (file === 'thumb_0.jpg' || file === 'poster_0.jpg') {
			const jpg = fakeJpeg(`${file} ${jobId}`);
			res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': jpg.length });
			res.end(head ? undefined : jpg);
			return;
		}
		if (file !== 'output_0.mp4') return notFound();
		this.stats.outputDownloads++;
		const size = job.outputSizeBytes;
		let start = 0;
		let end = size - 1;
		let status = 200;
		const headers: Record<string, string | number> = {
			'content-type': 'video/mp4',
			'accept-ranges': 'bytes',
			etag: `"${jobId}-${size}"`,
			'cache-control': 'public, max-age=31536000, immutable',
		};
		const range = header(req, 'range');
		if (range) {
			const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
			if (m && (m[1] !== '' || m[2] !== '')) {
				if (m[1] === '') {
					start = Math.max(0, size - Number(m[2]));
				} else {
					start = Number(m[1]);
					if (m[2] !== '') end = Math.min(size - 1, Number(m[2]));
				}
				if (start > end || start >= size) {
					res.writeHead(416, { 'content-range': `bytes */${size}` });
					res.end();
					return;
				}
				status = 206;
				headers['content-range'] = `bytes ${start}-${end}/${size}`;
			}
		}
		headers['content-length'] = end - start + 1;
		res.writeHead(status, headers);
		if (head || size === 0) {
			res.end();
			return;
		}
		const bytes = outputBytes(jobId, size);
		if (fault?.kind === 'truncate-body') {
			// Announce the full length, send only part of it, then drop the connection.
			const limit = Math.max(0, fault.bytes ?? Math.floor((end - start + 1) / 2));
			if (limit === 0) {
				res.destroy();
				return;
			}
			const partial: Readable = streamOutput(bytes, start, Math.min(end, start + limit - 1));
			void (async () => {
				for await (const chunk of partial) {
					if (res.destroyed) return;
					// Wait for each chunk to be flushed so the client really gets `limit` bytes before the cut.
					await new Promise<void>((resolve) => res.write(chunk as Buffer, () => resolve()));
				}
				res.destroy();
			})().catch(() => res.destroy());
			return;
		}
		const stream: Readable = streamOutput(bytes, start, end);
		res.on('close', () => stream.destroy());
		stream.pipe(res);
	}

	// -----------------------------------------------------------------------------------------
	// Control endpoints (/__fake/*): no auth, API listener only, not recorded, no latency
	// -----------------------------------------------------------------------------------------

	private redacted(r: RecordedRequest): RecordedRequest {
		const headers = { ...r.headers };
		for (const h of ['authorization', 'x-api-key']) if (h in headers) headers[h] = '[redacted]';
		return { ...r, headers };
	}

	uploadView(u: FakeUpload): Omit<FakeUpload, 'bytes' | 'token'> {
		const { bytes: _bytes, token: _token, ...rest } = u;
		return rest;
	}

	private async handleControl(req: IncomingMessage, res: ServerResponse, u: URL): Promise<void> {
		const method = req.method ?? 'GET';
		const seg = u.pathname.split('/').filter((s) => s.length > 0).slice(1);
		const send = (status: number, body: unknown) => this.sendJson(res, { status, body });
		let body: unknown = undefined;
		if (method === 'POST' || method === 'PUT') {
			const { buffer } = await readBody(req, MAX_JSON_BODY);
			const text = buffer.toString('utf8');
			if (text.trim()) {
				try {
					body = JSON.parse(text);
				} catch {
					return send(400, { error: 'body is not valid JSON' });
				}
			}
		}
		try {
			const [a, b, c] = seg;
			if (method === 'GET' && seg.length === 0) {
				return send(200, {
					name: 'fake-muvi control',
					url: this.url,
					cdnUrl: this.cdnUrl,
					controlUrl: this.controlUrl,
					endpoints: [
						'GET /__fake/requests',
						'GET /__fake/cdn-requests',
						'GET /__fake/jobs',
						'GET /__fake/jobs/{id}',
						'POST /__fake/jobs/{id}/advance|complete|fail',
						'GET /__fake/stats',
						'GET /__fake/webhooks',
						'GET /__fake/uploads',
						'GET|POST|DELETE /__fake/faults',
						'GET|POST /__fake/options',
						'POST /__fake/reset',
					],
				});
			}
			if (method === 'GET' && a === 'requests' && !b) return send(200, this.requests.map((r) => this.redacted(r)));
			if (method === 'GET' && a === 'cdn-requests' && !b) return send(200, this.cdnRequests.map((r) => this.redacted(r)));
			if (method === 'GET' && a === 'jobs' && !b) return send(200, [...this.jobs.values()]);
			if (method === 'GET' && a === 'jobs' && b && !c) {
				const job = this.jobs.get(b);
				return job ? send(200, job) : send(404, { error: `no job ${b}` });
			}
			if (method === 'POST' && a === 'jobs' && b && c) {
				if (!this.jobs.has(b)) return send(404, { error: `no job ${b}` });
				if (c === 'advance') return send(200, this.advanceJob(b));
				if (c === 'complete') return send(200, this.completeJob(b));
				if (c === 'fail') return send(200, this.failJob(b, isPlainObject(body) ? (body as { code?: string; message?: string }) : undefined));
			}
			if (method === 'GET' && a === 'stats') return send(200, { ...this.stats, balanceMicroCents: this.balance });
			if (method === 'GET' && a === 'webhooks') return send(200, this.webhooks);
			if (method === 'GET' && a === 'uploads') return send(200, [...this.uploads.values()].map((x) => this.uploadView(x)));
			if (a === 'faults') {
				if (method === 'GET') return send(200, this.activeFaults);
				if (method === 'DELETE') {
					this.clearFaults();
					return send(200, { ok: true });
				}
				if (method === 'POST') {
					const specs = (Array.isArray(body) ? body : [body]) as FaultSpec[];
					if (specs.some((s) => !isPlainObject(s) || typeof s.route !== 'string' || s.kind === undefined)) {
						return send(400, { error: 'a fault needs route and kind' });
					}
					return send(200, { ids: specs.map((s) => this.injectFault(s)) });
				}
			}
			if (a === 'options') {
				if (method === 'POST') {
					if (!isPlainObject(body)) return send(400, { error: 'options must be a JSON object' });
					const partial = { ...(body as FakeMuviOptions) };
					delete partial.onLog;
					this.setOptions(partial);
				}
				if (method === 'GET' || method === 'POST') {
					const { onLog: _onLog, ...rest } = this.opts;
					return send(200, { ...rest, apiKey: '[redacted]', keys: rest.keys.map((k) => ({ ...k, key: '[redacted]' })) });
				}
			}
			if (method === 'POST' && a === 'reset') {
				this.reset();
				return send(200, { ok: true });
			}
			return send(404, { error: `no control route ${method} ${u.pathname}` });
		} catch (e) {
			return send(400, { error: String(e instanceof Error ? e.message : e) });
		}
	}
}

/** The handle tests get back from startFakeMuvi. */
export type FakeMuvi = FakeMuviServer;

/** Starts both listeners (ephemeral ports on 127.0.0.1 by default). Call close() when done. */
export async function startFakeMuvi(options: FakeMuviOptions = {}): Promise<FakeMuvi> {
	const fake = new FakeMuviServer(options);
	try {
		await fake.listen();
	} catch (e) {
		await fake.close(); // e.g. the CDN port was taken: do not leave the API listener open
		throw e;
	}
	return fake;
}
