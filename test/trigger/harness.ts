/**
 * Runs the Muvi Video Trigger the way n8n serves a production webhook, in-process:
 * a real node:http server reads the body into `req.rawBody` (n8n's raw body reader), parses it
 * like n8n's body parser (422 on unparsable JSON, before any node runs), calls the node's webhook()
 * through n8n-core's WebhookContext with a real Workflow, answers like n8n does for `onReceived`
 * (the node's own answer, a 200 for "no workflowData", or 200 "Workflow was started"), then runs
 * the execution through n8n-core's WorkflowExecute, starting at the trigger with the webhook's items.
 *
 * The database is modelled the way n8n 2.41.1 uses it (a FakeN8nDatabase, which harnesses can
 * share: one n8n instance restarted, or several n8n processes on one database):
 * - static data: each request builds its Workflow from the saved copy; what webhook() changed is
 *   saved only when the call started no execution (2.41.1: WorkflowRunner.run resets the "changed"
 *   flag, so LiveWebhooks' save is skipped); an execution loads the saved copy when it starts and
 *   saves its whole static data when it ends, if changed (last writer wins);
 * - the processed-data table behind `checkProcessedAndRecord` (n8n's DeduplicationHelper, 'entries'
 *   mode: md5/base64 hashes per workflow and node, oldest dropped beyond maxEntries; read, then write).
 *
 * Sources mirrored: packages/cli/src/middlewares/body-parser.ts, webhooks/webhook-helpers.ts
 * (executeWebhook, handleImmediateWebhookResponse), webhooks/live-webhooks.ts (static data save),
 * workflow-runner.ts (static data loaded per execution), execution-lifecycle-hooks.ts (saved after it),
 * deduplication/deduplication-helper.ts (processed data).
 */
import { mkdtempSync } from 'node:fs';
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'muvi-trigger-n8n-'));

import { WebhookContext, WorkflowExecute } from 'n8n-core';
import {
	createRunExecutionData,
	Workflow,
	type ExecutionError,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IHttpRequestOptions,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IWebhookData,
	type IWebhookResponseData,
	type IWorkflowBase,
	type IWorkflowExecuteAdditionalData,
	type WorkflowExecuteMode,
} from 'n8n-workflow';
import { Agent, request } from 'undici';

import { additionalDataFor as sharedAdditionalData } from '../helpers/engine';
import { ensureProcessedData, useProcessedDataStore } from '../helpers/processedData';
import { MuviVideoTrigger } from '../../nodes/MuviVideoTrigger/MuviVideoTrigger.node';

export const TRIGGER_TYPE = 'n8n-nodes-muvi.muviVideoTrigger';
export const TRIGGER_NAME = 'Muvi Video Trigger';

const triggerType = new MuviVideoTrigger();
const nodeTypes: INodeTypes = {
	getByName: (type: string) => (type === TRIGGER_TYPE ? triggerType : undefined) as INodeType,
	getByNameAndVersion: (type: string) => (type === TRIGGER_TYPE ? triggerType : undefined) as INodeType,
	getKnownTypes: () => ({}),
} as INodeTypes;

/** `sha256=` + lowercase hex HMAC-SHA256(secret, `${timestamp}.${body}`), as Muvi documents it. */
export function muviSignature(secret: string, timestamp: string, body: string | Buffer): string {
	return 'sha256=' + createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

export function unixNow(): number {
	return Math.floor(Date.now() / 1000);
}

export interface ExecutionRecord {
	items: INodeExecutionData[];
	error?: ExecutionError;
	run: IRun;
}

export interface WebhookAnswer {
	status: number;
	text: string;
	json: unknown;
	ms: number;
}

/** The parts of one n8n database the trigger touches; share one between harnesses to model a restart or two processes. */
export class FakeN8nDatabase {
	/** workflow id → saved static data */
	readonly staticData = new Map<string, IDataObject>();
	/** `workflowId|context` → the processed_data row's value */
	readonly processedData = new Map<string, { mode: string; data: string[] }>();
	/** how many of the next processed-data calls fail (a database error) */
	failProcessedDataCalls = 0;
	/** processed-data calls made */
	processedDataCalls = 0;
	/** how long a processed-data call takes between reading the row and writing it back (0: one event-loop turn) */
	processedDataDelayMs = 0;

	savedStaticData(workflowId: string): IDataObject {
		return structuredClone(this.staticData.get(workflowId) ?? {});
	}

	processedEntries(workflowId: string, nodeId = TRIGGER_NODE_ID): string[] {
		return [...(this.processedData.get(`${workflowId}|n:${nodeId}`)?.data ?? [])];
	}
}

export const TRIGGER_NODE_ID = 'trigger-node-id';

export interface LogEntry {
	level: string;
	message: string;
	meta?: Record<string, unknown>;
}
/** What nodes wrote to n8n's logger (captured, not printed), in order. */
const capturedLogs: LogEntry[] = [];
let loggerCaptured = false;
/**
 * n8n-core hands every node context the one Logger from the DI container; its lines go to an internal
 * (winston) logger. Pointed at a sink that records them, quietly. A sink some other test installed
 * before (the fault suite's capture) keeps getting every line.
 */
function captureLogger(logger: unknown): void {
	if (loggerCaptured) return;
	loggerCaptured = true;
	type Sink = { log(level: string, message: string, meta?: Record<string, unknown>): void };
	const target = logger as { internalLogger?: Sink & { add?: unknown }; setInternalLogger(sink: unknown): void };
	const previous = target.internalLogger;
	const forward = previous && typeof previous.add !== 'function' ? previous : undefined;
	const sink = {
		log: (level: string, message: string, meta?: Record<string, unknown>) => {
			capturedLogs.push({ level, message, meta });
			forward?.log(level, message, meta);
		},
		child: () => sink,
	};
	target.setInternalLogger(sink);
}


export interface TriggerHarnessOptions {
	credentials: ICredentialDataDecryptedObject;
	/** the trigger node's parameters (events, options) */
	parameters?: INodeParameters;
	/** 'webhook' (production, default) or 'manual' (a test event) */
	mode?: WorkflowExecuteMode;
	/** false: start no execution after webhook() (only what webhook() returns is recorded) */
	runExecutions?: boolean;
	/** continue on fail for the trigger node */
	continueOnFail?: boolean;
	/** static data as saved by an earlier run (e.g. before a restart) */
	initialStaticData?: IDataObject;
	/** the n8n database (shared between harnesses = the same instance after a restart, or two processes) */
	database?: FakeN8nDatabase;
	/** the workflow's id (use the same one with a shared database) */
	workflowId?: string;
	/** the trigger's webhook id (use the same one with a shared database) */
	webhookId?: string;
	/** false: hide `rawBody`/`readRawBody` from the node after parsing (a host that keeps only the parsed body) */
	exposeRawBody?: boolean;
}

export interface TriggerHarness {
	/** the production webhook URL of the node */
	url: string;
	workflowId: string;
	/** how many times the node's webhook() ran */
	webhookCalls: number;
	/** what each webhook() call returned, in order */
	webhookResults: IWebhookResponseData[];
	/** finished executions, in order of start */
	executions: ExecutionRecord[];
	/** the static data as last saved */
	savedStaticData(): IDataObject;
	/** what the node wrote to n8n's logger about this workflow */
	logs(): LogEntry[];
	/** the hashed entries in n8n's processed-data table for the trigger node */
	processedEntries(): string[];
	database: FakeN8nDatabase;
	/** POSTs a body (exact bytes) with the given headers */
	post(body: string | Buffer, headers?: Record<string, string>): Promise<WebhookAnswer>;
	/** POSTs a payload signed with `secret` (timestamp now unless given) */
	postSigned(
		payload: unknown,
		secret: string,
		extra?: { timestamp?: string; headers?: Record<string, string> },
	): Promise<WebhookAnswer>;
	/** resolves when every started execution has finished */
	settle(): Promise<void>;
	close(): Promise<void>;
}

function contentTypeOf(req: IncomingMessage): { contentType?: string; encoding: BufferEncoding } {
	const header = req.headers['content-type'];
	if (!header) return { encoding: 'utf-8' };
	const [type, ...params] = header.split(';');
	const charset = params
		.map((p) => p.trim().split('='))
		.find(([k]) => k?.toLowerCase() === 'charset')?.[1]
		?.replace(/"/g, '');
	return { contentType: type.trim().toLowerCase(), encoding: (charset as BufferEncoding) ?? 'utf-8' };
}

async function readAll(req: IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
	const text = JSON.stringify(body);
	res.statusCode = status;
	res.setHeader('Content-Type', 'application/json; charset=utf-8');
	res.end(text);
}

export async function startTriggerHarness(options: TriggerHarnessOptions): Promise<TriggerHarness> {
	await ensureProcessedData();
	const workflowId = options.workflowId ?? `wf-${randomUUID()}`;
	const webhookId = options.webhookId ?? randomUUID();
	const webhookPath = `${webhookId}/muvi`;
	const mode = options.mode ?? 'webhook';
	const db = options.database ?? new FakeN8nDatabase();
	useProcessedDataStore(workflowId, db);
	if (options.initialStaticData) db.staticData.set(workflowId, structuredClone(options.initialStaticData));
	const loadStaticData = () => db.savedStaticData(workflowId);
	const saveStaticData = (staticData: IDataObject) => {
		const copy = JSON.parse(JSON.stringify(staticData)) as IDataObject;
		delete copy.__dataChanged;
		db.staticData.set(workflowId, copy);
	};
	const running = new Set<Promise<void>>();
	const agent = new Agent({ keepAliveTimeout: 10, keepAliveMaxTimeout: 10 });

	const node: INode = {
		id: TRIGGER_NODE_ID,
		name: TRIGGER_NAME,
		type: TRIGGER_TYPE,
		typeVersion: 1,
		position: [0, 0],
		webhookId,
		parameters: options.parameters ?? {},
		credentials: { muviApi: { id: 'cred-1', name: 'Muvi test' } },
		...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	};
	const workflowData = {
		id: workflowId,
		name: 'trigger test',
		active: true,
		nodes: [node],
		connections: {},
		settings: {},
		createdAt: new Date(),
		updatedAt: new Date(),
	} as unknown as IWorkflowBase;

	const additionalDataFor = (req?: IncomingMessage, res?: ServerResponse): IWorkflowExecuteAdditionalData =>
		sharedAdditionalData(options.credentials, workflowData, {
			mode,
			executionId: undefined,
			httpRequest: req,
			httpResponse: res,
		});

	const harness = {
		url: '',
		workflowId,
		webhookCalls: 0,
		webhookResults: [] as IWebhookResponseData[],
		executions: [] as ExecutionRecord[],
	} as TriggerHarness;

	const newWorkflow = () =>
		new Workflow({
			id: workflowId,
			name: 'trigger test',
			nodes: [structuredClone(node)],
			connections: {},
			active: true,
			nodeTypes,
			staticData: loadStaticData(),
			settings: {},
		});

	const runExecution = async (items: INodeExecutionData[][]): Promise<void> => {
		// WorkflowRunner: the execution's own Workflow, with the static data loaded from the database
		const workflow = newWorkflow();
		const additionalData = additionalDataFor();
		const runData = createRunExecutionData({
			executionData: { nodeExecutionStack: [{ node: workflow.nodes[TRIGGER_NAME], data: { main: items }, source: null }] },
		});
		const run = await new WorkflowExecute(additionalData, mode, runData).processRunExecutionData(workflow);
		// hookFunctionsSave: the whole static data, when it changed, except in manual mode
		if (mode !== 'manual' && (workflow.staticData as IDataObject).__dataChanged === true) saveStaticData(workflow.staticData as IDataObject);
		const task = run.data.resultData.runData[TRIGGER_NAME]?.[0];
		harness.executions.push({
			items: (task?.data?.main?.[0] ?? []) as INodeExecutionData[],
			error: (task?.error ?? run.data.resultData.error) as ExecutionError | undefined,
			run,
		});
	};

	const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
		const path = (req.url ?? '').split('?')[0].replace(/^\/webhook\//, '').replace(/\/$/, '');
		if (req.method !== 'POST' || path !== webhookPath) return sendJson(res, 404, { message: 'not registered' });

		// n8n's rawBodyReader + parseBody (the node is version 1, so the body is always parsed first).
		const { contentType, encoding } = contentTypeOf(req);
		const r = req as IncomingMessage & { contentType?: string; encoding: BufferEncoding; body?: unknown; readRawBody(): Promise<void> };
		r.contentType = contentType;
		r.encoding = encoding;
		r.readRawBody = async () => {
			if (!r.rawBody) {
				r.rawBody = await readAll(req);
				r._body = true;
			}
		};
		await r.readRawBody();
		if (r.rawBody.length) {
			try {
				if (contentType === 'application/json') r.body = JSON.parse(r.rawBody.toString(encoding));
				else if (contentType === 'text/plain') r.body = r.rawBody.toString(encoding);
			} catch (error) {
				// n8n: UnprocessableRequestError('Failed to parse request body') — the node never runs.
				return sendJson(res, 422, { code: 422, message: 'Failed to parse request body', hint: (error as Error).message });
			}
		}

		if (options.exposeRawBody === false) {
			delete (r as { rawBody?: Buffer }).rawBody;
			delete (r as { readRawBody?: unknown }).readRawBody;
		}

		// LiveWebhooks builds the Workflow from the stored workflow (and its static data) per request.
		const workflow = newWorkflow();
		const additionalData = additionalDataFor(req, res);
		const webhookData: IWebhookData = {
			httpMethod: 'POST',
			node: TRIGGER_NAME,
			path: webhookPath,
			webhookDescription: triggerType.description.webhooks![0],
			workflowId,
			workflowExecuteAdditionalData: additionalData,
			webhookId,
		};
		const context = new WebhookContext(workflow, workflow.nodes[TRIGGER_NAME], additionalData, mode, webhookData, [], null);
		captureLogger(context.logger);

		let result: IWebhookResponseData;
		harness.webhookCalls++;
		try {
			result = await triggerType.webhook!.call(context);
		} catch {
			result = { noWebhookResponse: true };
			if (!res.headersSent) sendJson(res, 500, { message: 'Workflow Webhook Error: Workflow could not be started!' });
		}
		harness.webhookResults.push(result);

		// handleImmediateWebhookResponse, then the `onReceived` answer once the execution is started.
		if (result.workflowData === undefined) {
			if (!result.noWebhookResponse && !res.headersSent)
				sendJson(res, 200, result.webhookResponse !== undefined ? result.webhookResponse : { message: 'Webhook call received' });
		} else {
			if (options.runExecutions !== false) {
				const started = runExecution(result.workflowData).catch((error: Error) => {
					harness.executions.push({ items: [], error: error as ExecutionError, run: undefined as unknown as IRun });
				});
				running.add(started);
				void started.finally(() => running.delete(started));
			}
			if (!res.headersSent) sendJson(res, 200, result.webhookResponse ?? { message: 'Workflow was started' });
		}

		// LiveWebhooks → saveStaticData after the answer, when changed; in n8n 2.41.1 starting an
		// execution resets the "changed" flag first, so only a call that started nothing is saved.
		const staticData = workflow.staticData as IDataObject;
		if (staticData.__dataChanged === true && result.workflowData === undefined) saveStaticData(staticData);
	};

	const server: Server = createServer((req, res) => {
		handle(req, res).catch((error: Error) => {
			if (!res.headersSent) sendJson(res, 500, { message: error.message });
			else res.destroy();
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	harness.url = `http://127.0.0.1:${port}/webhook/${webhookPath}`;

	harness.savedStaticData = loadStaticData;
	harness.processedEntries = () => db.processedEntries(workflowId);
	harness.database = db;
	harness.logs = () => capturedLogs.filter((entry) => entry.meta?.workflowId === workflowId);

	harness.post = async (body, headers = {}) => {
		const started = Date.now();
		const res = await request(harness.url, {
			method: 'POST',
			body,
			headers: { 'content-type': 'application/json', ...headers },
			dispatcher: agent,
		});
		const text = await res.body.text();
		let json: unknown;
		try {
			json = JSON.parse(text);
		} catch {
			json = undefined;
		}
		return { status: res.statusCode, text, json, ms: Date.now() - started };
	};

	harness.postSigned = async (payload, secret, extra = {}) => {
		const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
		const timestamp = extra.timestamp ?? String(unixNow());
		return await harness.post(body, {
			'x-pixelbyte-timestamp': timestamp,
			'x-pixelbyte-signature': muviSignature(secret, timestamp, body),
			...(extra.headers ?? {}),
		});
	};

	harness.settle = async () => {
		while (running.size > 0) await Promise.all([...running]);
	};

	harness.close = async () => {
		await harness.settle();
		await new Promise<void>((resolve) => {
			server.close(() => resolve());
			server.closeAllConnections();
		});
		await agent.close();
	};

	return harness;
}
