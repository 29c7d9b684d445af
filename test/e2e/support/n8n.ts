/**
 * Helpers for the end-to-end suite: a real n8n (started by global-setup.ts, prepared by
 * scripts/e2e.sh) with the packed n8n-nodes-muvi installed as a community package, and the fake
 * Muvi API beside it. Everything here talks to those processes the way a user or Muvi would: the n8n
 * CLI, n8n's HTTP APIs, the webhook URL, and the fake's control endpoints.
 */
import { spawn } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const REPO = join(__dirname, '..', '..', '..');
export const EXAMPLES_DIR = join(REPO, 'examples');
export const TEST_WORKFLOWS_DIR = join(REPO, 'test', 'e2e', 'workflows');

/** The credential every example and test workflow refers to (by id). */
export const CREDENTIAL_ID = 'muviCredential01';

function required(name: string): string {
	const value = process.env[name];
	if (!value)
		throw new Error(`${name} is not set: run the end-to-end suite with \`npm run test:e2e\` (scripts/e2e.sh), which prepares n8n and the fake Muvi API.`);
	return value;
}

/** What scripts/e2e.sh prepared. */
export const env = {
	get runDir() {
		return required('MUVI_E2E_RUN_DIR');
	},
	get n8nBin() {
		return required('MUVI_N8N_BIN');
	},
	get userFolder() {
		return required('N8N_USER_FOLDER');
	},
	get n8nUrl() {
		return `http://127.0.0.1:${required('N8N_PORT')}`;
	},
	get cliBrokerPort() {
		return required('MUVI_E2E_CLI_BROKER_PORT');
	},
	get fakeUrl() {
		return required('MUVI_SIM_URL');
	},
	get fakeCdnUrl() {
		return required('MUVI_SIM_CDN_URL');
	},
	get fakeControlUrl() {
		return required('MUVI_SIM_CONTROL_URL');
	},
	get apiKey() {
		return required('MUVI_E2E_API_KEY');
	},
	get webhookSecret() {
		return required('MUVI_E2E_WEBHOOK_SECRET');
	},
	get jobMs() {
		return Number(required('MUVI_E2E_JOB_MS'));
	},
};

// ---------------------------------------------------------------------------------------------
// The n8n under test, and what differs between its lines (n8n's differences, handled here, not in the node)
// ---------------------------------------------------------------------------------------------

/** The n8n version scripts/n8n-env.sh installed (N8N_VERSION; 2.41.1 unless asked otherwise). */
export function n8nVersion(): string {
	return required('MUVI_N8N_VERSION');
}

/** The n8n release line under test: 1 (1.123.x, Node.js 22) or 2 (2.x, Node.js 24). */
export function n8nLine(): number {
	const line = Number(n8nVersion().split('.')[0]);
	if (!Number.isInteger(line) || line < 1) throw new Error(`cannot tell the n8n line of version ${n8nVersion()}`);
	return line;
}

/**
 * What the n8n line under test offers, where 1.x and 2.x differ:
 * - `publishing`: 2.x activates a workflow by publishing it (`n8n publish:workflow`); 1.x has no
 *   publishing and sets it active (`n8n update:workflow --active=true`).
 * - `ssrfProtection`: 2.x has N8N_SSRF_PROTECTION_ENABLED (off by default); 1.x has no such setting.
 * - `credentialTestRuleMessages`: when a credential's test request is refused (HTTP 401), 2.x shows the
 *   message of the credential's matching test rule (here Muvi's INVALID_API_KEY explanation); 1.x does not
 *   apply the rules to a RoutingNode error and shows a generic "Authorization failed - please check your
 *   credentials" (measured on 2.41.1 and 1.123.81).
 * - `runTimeParameterChecksOnly`: 1.x refuses to run a workflow whose nodes have parameter issues
 *   (WorkflowHasIssuesError, "The workflow has issues…"), e.g. a resource-mapper value outside the
 *   schema's choices, before any node runs; 2.x runs the node, whose own check names the field
 *   (measured on 1.123.81 and 2.41.1 with test/e2e/05-image's muviE2eCustomBad).
 * - `signedResumeUrls`: 2.x adds a `signature` token to an execution's resume URL
 *   (`$execution.resumeUrl`, `webhook-waiting/<execution>?signature=…`); 1.x's has none.
 */
export const n8nHas = {
	get publishing() {
		return n8nLine() >= 2;
	},
	get ssrfProtection() {
		return n8nLine() >= 2;
	},
	get credentialTestRuleMessages() {
		return n8nLine() >= 2;
	},
	get runTimeParameterChecksOnly() {
		return n8nLine() >= 2;
	},
	get signedResumeUrls() {
		return n8nLine() >= 2;
	},
};

/**
 * `describe` when the n8n under test has the feature, else `describe.skip` (jest lists the block as
 * skipped). Only for n8n features a line lacks (see `n8nHas`); pair it with a block that checks the
 * other line's behaviour, so each line runs a real check.
 */
export function describeIf(condition: boolean): jest.Describe {
	return condition ? describe : describe.skip;
}

/** The n8n CLI arguments that make (webhook) workflow `id` active on the line under test. */
export function activateWorkflowArgs(id: string): string[] {
	return n8nHas.publishing ? ['publish:workflow', `--id=${id}`] : ['update:workflow', `--id=${id}`, '--active=true'];
}

export const logFiles = {
	get server() {
		return join(env.runDir, 'n8n-server.log');
	},
	get cli() {
		return join(env.runDir, 'n8n-cli.log');
	},
	get fake() {
		return join(env.runDir, 'fake-muvi.log');
	},
};

/** Written by global-setup.ts once n8n is up. */
export interface E2eState {
	serverPid: number;
	ownerEmail: string;
	/** the n8n-auth cookie of the owner (internal REST API) */
	cookie: string;
	/** an n8n public API key (X-N8N-API-KEY) */
	publicApiKey: string;
	workflows: WorkflowFile[];
}

export function readState(): E2eState {
	return JSON.parse(readFileSync(join(env.runDir, 'state.json'), 'utf8')) as E2eState;
}

// ---------------------------------------------------------------------------------------------
// Workflow files
// ---------------------------------------------------------------------------------------------

export interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	parameters: Record<string, unknown>;
	webhookId?: string;
	onError?: string;
	credentials?: Record<string, { id: string; name: string }>;
}

export interface WorkflowFile {
	file: string;
	source: 'example' | 'test';
	id: string;
	name: string;
	nodes: WorkflowNode[];
}

export const MANUAL_TRIGGER = 'n8n-nodes-base.manualTrigger';
export const MUVI_VIDEO = 'n8n-nodes-muvi.muviVideo';
export const MUVI_TRIGGER = 'n8n-nodes-muvi.muviVideoTrigger';
export const WEBHOOK = 'n8n-nodes-base.webhook';

function readWorkflows(dir: string, source: WorkflowFile['source']): WorkflowFile[] {
	return readdirSync(dir)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((f) => {
			const json = JSON.parse(readFileSync(join(dir, f), 'utf8')) as Omit<WorkflowFile, 'file' | 'source'>;
			return { file: join(dir, f), source, id: json.id, name: json.name, nodes: json.nodes };
		});
}

/** The shipped examples (examples/*.json) and the test-only workflows (test/e2e/workflows/*.json). */
export function workflowFiles(): WorkflowFile[] {
	return [...readWorkflows(EXAMPLES_DIR, 'example'), ...readWorkflows(TEST_WORKFLOWS_DIR, 'test')];
}

export function startNode(wf: WorkflowFile): WorkflowNode | undefined {
	return wf.nodes.find((n) => n.type === MANUAL_TRIGGER || n.type === MUVI_TRIGGER || n.type === WEBHOOK);
}

/** A workflow that starts from a webhook (n8n's Webhook node, or the Muvi trigger): it is published. */
export function startsFromWebhook(wf: WorkflowFile): boolean {
	const type = startNode(wf)?.type;
	return type === MUVI_TRIGGER || type === WEBHOOK;
}

export function workflowById(id: string): WorkflowFile {
	const wf = workflowFiles().find((w) => w.id === id);
	if (!wf) throw new Error(`no workflow file with id ${id}`);
	return wf;
}

// ---------------------------------------------------------------------------------------------
// The n8n CLI
// ---------------------------------------------------------------------------------------------

export interface CliResult {
	args: string[];
	code: number | null;
	output: string;
	ms: number;
}

/**
 * The environment n8n processes get: the instance's (from scripts/e2e.sh), minus what jest adds.
 * n8n treats NODE_ENV=test as its own unit tests (silent logger, features off).
 */
export function n8nProcessEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
	const childEnv: NodeJS.ProcessEnv = { ...process.env, ...extra };
	delete childEnv.NODE_ENV;
	delete childEnv.JEST_WORKER_ID;
	return childEnv;
}

/**
 * Runs `n8n <args>` against the e2e instance and records its output in n8n-cli.log. Beside the
 * running server it needs a task-broker port of its own.
 */
export function runN8n(args: string[], timeoutMs = 120_000, extraEnv: Record<string, string> = {}): Promise<CliResult> {
	const started = Date.now();
	return new Promise((resolve, reject) => {
		const child = spawn(env.n8nBin, args, {
			env: n8nProcessEnv({ ...extraEnv, N8N_RUNNERS_BROKER_PORT: env.cliBrokerPort }),
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let output = '';
		child.stdout.on('data', (d: Buffer) => (output += d.toString()));
		child.stderr.on('data', (d: Buffer) => (output += d.toString()));
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		child.on('error', reject);
		child.on('close', (code) => {
			clearTimeout(timer);
			const ms = Date.now() - started;
			const envNote = Object.keys(extraEnv).length ? ` with ${Object.entries(extraEnv).map(([k, v]) => `${k}=${v}`).join(' ')}` : '';
			appendFileSync(logFiles.cli, `\n===== n8n ${args.join(' ')}${envNote} (exit ${code}, ${ms} ms) =====\n${output}`);
			resolve({ args, code, output, ms });
		});
	});
}

/** `runN8n`, failing with the command's output when it does not exit 0. */
export async function runN8nOk(args: string[], timeoutMs?: number): Promise<CliResult> {
	const result = await runN8n(args, timeoutMs);
	if (result.code !== 0) throw new Error(`n8n ${args.join(' ')} exited with ${result.code}:\n${tail(result.output, 60)}`);
	return result;
}

export function tail(text: string, lines: number): string {
	return text.split('\n').slice(-lines).join('\n');
}

// ---------------------------------------------------------------------------------------------
// n8n's HTTP APIs
// ---------------------------------------------------------------------------------------------

export async function httpJson(
	url: string,
	init: RequestInit = {},
): Promise<{ status: number; body: any; headers: Headers }> {
	const res = await fetch(url, init);
	const text = await res.text();
	let body: unknown = text;
	try {
		body = text ? JSON.parse(text) : undefined;
	} catch {
		// not JSON: keep the text
	}
	return { status: res.status, body, headers: res.headers };
}

/** A GET from n8n as the signed-in owner (what the editor sees), e.g. `/rest/credentials`, `/types/nodes.json`. */
export async function asOwner(path: string): Promise<any> {
	const { cookie } = readState();
	const res = await httpJson(`${env.n8nUrl}${path}`, { headers: { cookie } });
	if (res.status !== 200) throw new Error(`GET ${path}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
	return res.body;
}

/** n8n's public API (/api/v1). */
export async function publicApi(path: string): Promise<any> {
	const { publicApiKey } = readState();
	const res = await httpJson(`${env.n8nUrl}/api/v1${path}`, { headers: { 'X-N8N-API-KEY': publicApiKey } });
	if (res.status !== 200) throw new Error(`GET /api/v1${path}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
	return res.body;
}

export interface Execution {
	id: string;
	status: string;
	mode: string;
	finished: boolean;
	workflowId: string;
	data: {
		resultData: {
			error?: { message: string; description?: string; name?: string; [k: string]: unknown };
			runData: Record<string, NodeRun[]>;
			lastNodeExecuted?: string;
		};
	};
}

export interface NodeRun {
	executionStatus?: string;
	error?: { message: string; description?: string; name?: string };
	data?: { main: Array<Array<OutputItem> | null> };
}

export interface BinaryRef {
	mimeType: string;
	fileName: string;
	fileExtension?: string;
	id?: string;
	data?: string;
	bytes?: number;
	fileSize?: string;
}

export interface OutputItem {
	json: Record<string, any>;
	binary?: Record<string, BinaryRef>;
	pairedItem?: unknown;
}

/** The executions of one workflow, newest first, with their data. */
export async function executionsOf(workflowId: string): Promise<Execution[]> {
	const body = await publicApi(`/executions?workflowId=${encodeURIComponent(workflowId)}&includeData=true&limit=250`);
	return (body.data as Execution[]).sort((a, b) => Number(b.id) - Number(a.id));
}

/** Waits until the workflow has at least `count` executions that are no longer running. */
export async function waitForExecutions(workflowId: string, count: number, timeoutMs = 30_000): Promise<Execution[]> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const all = await executionsOf(workflowId);
		const done = all.filter((e) => !['new', 'running', 'waiting'].includes(e.status));
		if (done.length >= count || Date.now() > deadline) return done;
		await sleep(250);
	}
}

export interface WorkflowRun {
	cli: CliResult;
	execution: Execution;
	/** first output of the node, by name */
	items(nodeName: string): OutputItem[];
	nodeRun(nodeName: string): NodeRun;
}

export function runView(execution: Execution): Pick<WorkflowRun, 'items' | 'nodeRun'> {
	const nodeRun = (nodeName: string): NodeRun => {
		const runs = execution.data.resultData.runData[nodeName];
		if (!runs?.length)
			throw new Error(
				`node "${nodeName}" did not run in execution ${execution.id}; nodes that ran: ${Object.keys(execution.data.resultData.runData).join(', ')}`,
			);
		return runs[0];
	};
	return {
		nodeRun,
		items: (nodeName) => nodeRun(nodeName).data?.main?.[0] ?? [],
	};
}

/**
 * Runs a workflow that starts with a Manual Trigger the way n8n's CLI does (`n8n execute --id`,
 * beside the running server), then reads the execution n8n stored, through the public API.
 */
export async function executeWorkflow(workflowId: string, extraEnv: Record<string, string> = {}): Promise<WorkflowRun> {
	const before = new Set((await executionsOf(workflowId)).map((e) => e.id));
	const cli = await runN8n(['execute', `--id=${workflowId}`, '--rawOutput'], 120_000, extraEnv);
	const deadline = Date.now() + 15_000;
	let execution: Execution | undefined;
	while (!execution) {
		execution = (await executionsOf(workflowId)).find((e) => !before.has(e.id) && e.status !== 'running' && e.status !== 'new');
		if (execution) break;
		if (Date.now() > deadline)
			throw new Error(`n8n stored no execution of workflow ${workflowId}; the CLI (exit ${cli.code}) said:\n${tail(cli.output, 60)}`);
		await sleep(250);
	}
	return { cli, execution, ...runView(execution) };
}

/**
 * The bytes of a binary n8n produced, wherever n8n kept them: on disk (`id` "filesystem-v2:…"; the
 * default of n8n 2.x in regular mode) or inline in the execution data (`data`, base64; the default mode of
 * n8n 1.x). Both are n8n's own defaults, so each line is tested as users run it.
 */
export function binaryContent(ref: BinaryRef): Buffer {
	if (ref.id && ref.id.includes(':')) return readFileSync(storedBinaryPath(ref));
	if (typeof ref.data === 'string' && ref.data !== '' && !ref.id) return Buffer.from(ref.data, 'base64');
	throw new Error(`binary data is neither stored on disk nor inline: ${JSON.stringify({ ...ref, data: ref.data ? `(${ref.data.length} characters)` : ref.data })}`);
}

function storedBinaryPath(ref: BinaryRef): string {
	const relative = ref.id!.slice(ref.id!.indexOf(':') + 1);
	const candidates = ['storage', 'binaryData'].map((d) => join(env.userFolder, '.n8n', d, relative));
	const found = candidates.find((p) => existsSync(p));
	if (!found) throw new Error(`binary file for ${ref.id} not found in ${candidates.join(' or ')}`);
	return found;
}

/**
 * A file holding the binary's bytes: where n8n stored it (filesystem mode), or, when n8n kept them inline
 * in the execution data (n8n 1.x's default mode), a copy written to the run folder. Prefer `binaryContent`.
 */
export function binaryPath(ref: BinaryRef): string {
	if (ref.id && ref.id.includes(':')) return storedBinaryPath(ref);
	const content = binaryContent(ref);
	const dir = join(env.runDir, 'inline-binaries');
	mkdirSync(dir, { recursive: true });
	const file = join(dir, `${sha256(content)}${ref.fileExtension ? `.${ref.fileExtension}` : ''}`);
	writeFileSync(file, content);
	return file;
}

export const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

// ---------------------------------------------------------------------------------------------
// The fake Muvi API
// ---------------------------------------------------------------------------------------------

export interface FakeRequest {
	id: number;
	listener: 'api' | 'cdn';
	route: string;
	method: string;
	path: string;
	headers: Record<string, string>;
	body: string;
	json: any;
	auth: string;
	carriesApiKey: boolean;
	status: number | null;
}

export interface FakeJob {
	jobId: string;
	requestId: string;
	model: string;
	input: Record<string, unknown>;
	status: string;
	costMicroCents: number;
	refundedMicroCents: number;
	error: { code: string; message: string } | null;
	output: string | null;
	outputSizeBytes: number;
	webhookUrl: string | null;
}

export interface FakeWebhookDelivery {
	id: number;
	jobId: string;
	url: string;
	event: string;
	status: string;
	body: string;
	attempts: Array<{ attempt: number; timestamp: string; signature: string; responseStatus: number | null; error: string | null }>;
}

export async function fake<T = any>(path: string, init: RequestInit = {}): Promise<T> {
	const res = await httpJson(`${env.fakeControlUrl}${path}`, {
		...init,
		headers: { 'content-type': 'application/json', ...(init.headers ?? {}) },
	});
	if (res.status !== 200) throw new Error(`fake ${path}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
	return res.body as T;
}

export const fakeApiRequests = () => fake<FakeRequest[]>('/requests');
export const fakeCdnRequests = () => fake<FakeRequest[]>('/cdn-requests');
export const fakeJob = (jobId: string) => fake<FakeJob>(`/jobs/${encodeURIComponent(jobId)}`);
export const fakeWebhooks = () => fake<FakeWebhookDelivery[]>('/webhooks');

/** API requests the fake received after `sinceId` (see `lastRequestId`). */
export async function fakeRequestsSince(sinceId: number): Promise<FakeRequest[]> {
	return (await fakeApiRequests()).filter((r) => r.id > sinceId);
}

export async function lastRequestId(): Promise<number> {
	const all = [...(await fakeApiRequests()), ...(await fakeCdnRequests())];
	return all.reduce((max, r) => Math.max(max, r.id), 0);
}

/** Submits a job straight to the fake Muvi API, as any Muvi client would. */
export async function submitToFake(body: Record<string, unknown>): Promise<{ jobId: string; [k: string]: unknown }> {
	const res = await httpJson(`${env.fakeUrl}/v1/jobs/submit`, {
		method: 'POST',
		headers: { authorization: `Bearer ${env.apiKey}`, 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	if (res.status !== 200) throw new Error(`submit: HTTP ${res.status} ${JSON.stringify(res.body)}`);
	const data = res.body.data && typeof res.body.data === 'object' ? res.body.data : res.body;
	return data;
}

/** Waits until the fake says the job is completed, failed or cancelled. */
export async function waitForFakeJob(jobId: string, timeoutMs = 30_000): Promise<FakeJob> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const job = await fakeJob(jobId);
		if (['completed', 'failed', 'cancelled'].includes(job.status)) return job;
		if (Date.now() > deadline) throw new Error(`fake job ${jobId} is still ${job.status}`);
		await sleep(200);
	}
}

// ---------------------------------------------------------------------------------------------
// Webhooks, signed the way Muvi signs them (muvi-api.md §4)
// ---------------------------------------------------------------------------------------------

export function signature(secret: string, timestamp: string, rawBody: string): string {
	return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
}

export async function postWebhook(
	url: string,
	rawBody: string,
	headers: Record<string, string>,
): Promise<{ status: number; body: any }> {
	const res = await httpJson(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: rawBody });
	return { status: res.status, body: res.body };
}

export const unixNow = () => Math.floor(Date.now() / 1000);

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Creates n8n's owner account and a public API key (read scopes) with that cookie. */
export async function setupOwner(
	owner: { email: string; firstName: string; lastName: string; password: string },
	label: string,
): Promise<{ cookie: string; publicApiKey: string }> {
	const setup = await fetch(`${env.n8nUrl}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(owner),
	});
	if (setup.status !== 200) throw new Error(`POST /rest/owner/setup: HTTP ${setup.status} ${await setup.text()}`);
	const cookie = setup.headers
		.getSetCookie()
		.map((c) => c.split(';')[0])
		.find((c) => c.startsWith('n8n-auth='));
	if (!cookie) throw new Error('POST /rest/owner/setup set no n8n-auth cookie');
	const key = await httpJson(`${env.n8nUrl}/rest/api-keys`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', cookie },
		body: JSON.stringify({
			label,
			scopes: ['workflow:read', 'workflow:list', 'execution:read', 'execution:list'],
			expiresAt: null,
		}),
	});
	if (key.status !== 200 || !key.body?.data?.rawApiKey)
		throw new Error(`POST /rest/api-keys: HTTP ${key.status} ${JSON.stringify(key.body)}`);
	return { cookie, publicApiKey: key.body.data.rawApiKey as string };
}
