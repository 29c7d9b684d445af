/**
 * Runs real workflows through n8n's own execution engine (n8n-core's WorkflowExecute and RoutingNode),
 * in-process, so integration tests exercise the node exactly as n8n executes it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'muvi-n8n-'));

import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	createRunExecutionData,
	Workflow,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IConnections,
	type IWorkflowBase,
	type IWorkflowExecuteAdditionalData,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { MuviApi } from '../../credentials/MuviApi.credentials';
import { MuviVideo } from '../../nodes/MuviVideo/MuviVideo.node';
import { ensureProcessedData } from './processedData';

/** A stand-in for n8n's Manual Trigger that emits the items given in its parameters. */
class TestStart implements INodeType {
	description = {
		displayName: 'Test Start',
		name: 'testStart',
		group: ['input'],
		version: 1,
		description: 'Emits fixed items',
		defaults: { name: 'Start' },
		inputs: [],
		outputs: ['main'],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[{}]' }],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const raw = this.getNodeParameter('items', 0) as string;
		const items = (typeof raw === 'string' ? JSON.parse(raw) : raw) as IDataObject[];
		// `{ json, binary }` entries pass through as they are (binary data in n8n's in-memory form)
		return [items.map((entry) => ('json' in entry ? (entry as unknown as INodeExecutionData) : { json: entry }))];
	}
}

const nodeTypeRegistry: Record<string, INodeType> = {
	'n8n-nodes-muvi.muviVideo': new MuviVideo(),
	'test.start': new TestStart(),
};

export const nodeTypes: INodeTypes = {
	getByName: (type) => nodeTypeRegistry[type],
	getByNameAndVersion: (type) => nodeTypeRegistry[type],
	getKnownTypes: () => ({}),
} as INodeTypes;

const credentialType = new MuviApi();

/** Applies the credential's `authenticate` block the way n8n's server does (headers with `{{$credentials.x}}`). */
export function applyAuthenticate(credentials: ICredentialDataDecryptedObject, options: IHttpRequestOptions): IHttpRequestOptions {
	const headers = (credentialType.authenticate.properties.headers ?? {}) as Record<string, string>;
	const resolved: Record<string, string> = {};
	for (const [name, template] of Object.entries(headers)) {
		resolved[name] = template.replace(/^=/, '').replace(/\{\{\s*\$credentials\.(\w+)\s*\}\}/g, (_, key: string) => String(credentials[key] ?? ''));
	}
	return { ...options, headers: { ...(options.headers ?? {}), ...resolved } };
}

export interface RunOptions {
	credentials: ICredentialDataDecryptedObject;
	/** parameters of the Muvi Video node */
	parameters: IDataObject;
	/** input items for the node (default one empty item); `{ json, binary }` entries keep their binary */
	items?: Array<IDataObject | INodeExecutionData>;
	continueOnFail?: boolean;
	mode?: WorkflowExecuteMode;
	/** the Muvi Video node's typeVersion (default 1, what existing workflows have) */
	typeVersion?: number;
	/** node settings as n8n stores them (retryOnFail, maxTries, waitBetweenTries …) */
	settings?: Partial<INode>;
	/** the execution ID (default: a new one per run, as n8n gives every execution its own) */
	executionId?: string;
	/** the workflow's ID (default: a new one per run); runs with the same ID share n8n's processed-data rows */
	workflowId?: string;
	/** Stop: the engine's cancel signal fires when this one does */
	abortSignal?: AbortSignal;
	/** n8n's own address (default http://127.0.0.1:5678); an https one lets Wait Mode Muvi Webhook pause */
	baseUrl?: string;
	/** a second Muvi Video node after the first, in the same execution ("Muvi Video 2") */
	then?: { parameters: IDataObject; typeVersion?: number; continueOnFail?: boolean };
}

export interface RunResult {
	run: IRun;
	/** the Muvi Video node's output items (first output) */
	items: INodeExecutionData[];
	/** the node's error, when the node failed */
	error?: Error & { description?: string; httpCode?: string; context?: IDataObject };
	/** the second node's output and error, when `then` was given */
	then?: { items: INodeExecutionData[]; error?: RunResult['error'] };
	/** the execution's custom data, as n8n saves it */
	customData: Record<string, string>;
}

export interface AdditionalDataExtras {
	mode?: WorkflowExecuteMode;
	executionId?: string;
	/** the webhook request and response, for trigger tests */
	httpRequest?: unknown;
	httpResponse?: unknown;
	/** n8n's own address */
	baseUrl?: string;
}

let executionCounter = 0;

/** What n8n's server hands the engine: credentials (with `authenticate` applied), hooks and base URLs. */
export function additionalDataFor(
	credentials: ICredentialDataDecryptedObject,
	workflowData: IWorkflowBase,
	extras: AdditionalDataExtras = {},
): IWorkflowExecuteAdditionalData {
	const base = extras.baseUrl ?? 'http://127.0.0.1:5678';
	const executionId = 'executionId' in extras ? extras.executionId : `test-execution-${++executionCounter}`;
	return {
		credentialsHelper: {
			getParentTypes: () => [],
			isCredentialUsableByNode: () => true,
			authenticate: async (creds: ICredentialDataDecryptedObject, _type: string, options: IHttpRequestOptions) =>
				applyAuthenticate(creds, options),
			preAuthentication: async () => undefined,
			runPreAuthentication: async () => undefined,
			getCredentials: async () => {
				throw new Error('not used');
			},
			getDecrypted: async () => ({ ...credentials }),
			updateCredentials: async () => undefined,
			updateCredentialsOauthTokenData: async () => undefined,
			getCredentialsProperties: () => credentialType.properties,
		},
		hooks: new ExecutionLifecycleHooks(extras.mode ?? 'manual', executionId ?? 'test-execution', workflowData),
		executeWorkflow: async () => {
			throw new Error('not used');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		currentNodeExecutionIndex: 0,
		restApiUrl: `${base}/rest`,
		instanceBaseUrl: base,
		formBaseUrl: `${base}/form`,
		formWaitingBaseUrl: `${base}/form-waiting`,
		formTestBaseUrl: `${base}/form-test`,
		webhookBaseUrl: `${base}/webhook`,
		webhookWaitingBaseUrl: `${base}/webhook-waiting`,
		webhookTestBaseUrl: `${base}/webhook-test`,
		mcpBaseUrl: `${base}/mcp`,
		mcpTestBaseUrl: `${base}/mcp-test`,
		variables: {},
		executionId,
		userId: 'test-user',
		httpRequest: extras.httpRequest,
		httpResponse: extras.httpResponse,
	} as unknown as IWorkflowExecuteAdditionalData;
}

/** Runs Start → Muvi Video and returns what the Muvi node produced. */
let workflowCounter = 0;

export async function runMuviNode(options: RunOptions): Promise<RunResult> {
	await ensureProcessedData();
	const workflowId = options.workflowId ?? `wf-run-${++workflowCounter}`;
	const nodes: INode[] = [
		{
			id: 'start',
			name: 'Start',
			type: 'test.start',
			typeVersion: 1,
			position: [0, 0],
			parameters: { items: JSON.stringify(options.items ?? [{}]) },
		},
		{
			id: 'muvi',
			name: 'Muvi Video',
			type: 'n8n-nodes-muvi.muviVideo',
			typeVersion: options.typeVersion ?? 1,
			position: [200, 0],
			parameters: options.parameters as INode['parameters'],
			credentials: { muviApi: { id: 'cred-1', name: 'Muvi test' } },
			...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
			...(options.settings ?? {}),
		},
	];
	const connections: IConnections = { Start: { main: [[{ node: 'Muvi Video', type: 'main' as const, index: 0 }]] } };
	if (options.then) {
		nodes.push({
			id: 'muvi2',
			name: 'Muvi Video 2',
			type: 'n8n-nodes-muvi.muviVideo',
			typeVersion: options.then.typeVersion ?? 1,
			position: [400, 0],
			parameters: options.then.parameters as INode['parameters'],
			credentials: { muviApi: { id: 'cred-1', name: 'Muvi test' } },
			...(options.then.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
		});
		connections['Muvi Video'] = { main: [[{ node: 'Muvi Video 2', type: 'main' as const, index: 0 }]] };
	}
	const workflowData = {
		id: workflowId,
		name: 'test',
		active: false,
		nodes,
		connections,
		settings: {},
		createdAt: new Date(),
		updatedAt: new Date(),
	} as unknown as IWorkflowBase;
	const workflow = new Workflow({ id: workflowId, name: 'test', nodes, connections, active: false, nodeTypes, settings: {} });
	const additionalData = additionalDataFor(options.credentials, workflowData, {
		...(options.executionId ? { executionId: options.executionId } : {}),
		...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
	});
	const execute = new WorkflowExecute(additionalData, options.mode ?? 'manual', createRunExecutionData());
	const running = execute.run({ workflow, startNode: nodes[0] });
	options.abortSignal?.addEventListener('abort', () => running.cancel(), { once: true });
	const run = await running;
	const task = run.data.resultData.runData['Muvi Video']?.[0];
	const items = (task?.data?.main?.[0] ?? []) as INodeExecutionData[];
	const error = (task?.error ?? (options.then ? undefined : run.data.resultData.error)) as RunResult['error'];
	const customData = (run.data.resultData.metadata ?? {}) as Record<string, string>;
	if (!options.then) return { run, items, error, customData };
	const second = run.data.resultData.runData['Muvi Video 2']?.[0];
	const then = { items: (second?.data?.main?.[0] ?? []) as INodeExecutionData[], error: second?.error as RunResult['error'] };
	return { run, items, error, then, customData };
}
