/**
 * A throw-away n8n served over https (self-signed certificate made with openssl), with the package
 * already installed in another n8n user folder copied in: for Generate's Wait Mode "Muvi Webhook",
 * whose resume URL Muvi only calls over https. Used by the e2e suite (04-wait-webhook.test.ts) and
 * by `npm run bench` (bench/wait-modes.ts). Workflows start from production Webhook triggers, so
 * their executions run inside `n8n start`, under its concurrency limit.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

import { Agent, fetch as tlsFetch } from 'undici';

export const HTTPS_CREDENTIAL_ID = 'muviCredential01';

export interface HttpsN8nOptions {
	/** the n8n executable */
	n8nBin: string;
	/** an n8n `.n8n/nodes` folder with the package installed (as scripts/lib/n8n-instance.sh installs it) */
	nodesDir: string;
	/** a fresh folder for certificate, user folder and logs */
	dir: string;
	fakeUrl: string;
	apiKey: string;
	webhookSecret: string;
	workflows: Array<{ id: string; json: unknown }>;
	/** N8N_CONCURRENCY_PRODUCTION_LIMIT (default 1) */
	concurrencyLimit?: number;
	/** n8n's log level (default info) */
	logLevel?: string;
	/**
	 * The n8n CLI arguments that make a webhook workflow active (default: n8n 2.x's `publish:workflow`;
	 * n8n 1.x needs `update:workflow --active=true`, see activateWorkflowArgs in ./n8n).
	 */
	activateArgs?: (id: string) => string[];
}

export interface HttpsN8n {
	url: string;
	/** the self-signed certificate (PEM) n8n serves; a webhook sender must trust it */
	cert: string;
	logFile: string;
	http(path: string, init?: { method?: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; body: any; headers: Headers }>;
	/** executions of a workflow, newest first (the owner's REST API) */
	executions(workflowId: string): Promise<any[]>;
	/** one execution with its run data */
	execution(id: string): Promise<any>;
	stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
	for (;;) {
		const port = 20000 + Math.floor(Math.random() * 12000);
		const ok = await new Promise<boolean>((resolve) => {
			const s = createServer();
			s.once('error', () => resolve(false));
			s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
		});
		if (ok) return port;
	}
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The environment n8n processes get, minus what jest adds (n8n treats NODE_ENV=test as its own tests). */
function processEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
	delete env.NODE_ENV;
	delete env.JEST_WORKER_ID;
	for (const k of ['N8N_CONFIG_FILES', 'DB_POSTGRESDB_HOST', 'DB_POSTGRESDB_DATABASE', 'QUEUE_BULL_REDIS_HOST', 'N8N_PATH']) delete env[k];
	return env;
}

export interface WaitFlow {
	id: string;
	path: string;
	muviNodeId: string;
	json: unknown;
}

/**
 * Webhook trigger → Split Out (one item per prompt of body.items) → Muvi Video (Generate, waiting
 * in `waitMode`) → After (No-Op). `node` adds to the Muvi Video node (e.g. onError); `after` to the
 * After node (e.g. another type with a side effect a test can count).
 */
export function waitFlow(
	name: string,
	settings: { waitMode: string; timeoutSeconds: number; download?: boolean; model?: string; parameters?: Record<string, unknown> },
	node: Record<string, unknown> = {},
	after: Record<string, unknown> = {},
): WaitFlow {
	const id = `muviWait${name}`.padEnd(16, '0').slice(0, 16);
	const path = `muvi-wait-${name.toLowerCase()}`;
	const muviNodeId = randomUUID();
	const json = {
		id,
		name: `wait mode ${name}`,
		nodes: [
			{
				parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
				id: randomUUID(),
				webhookId: randomUUID(),
				name: 'Start',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
			},
			{
				parameters: { fieldToSplitOut: 'body.items', include: 'noOtherFields', options: {} },
				id: randomUUID(),
				name: 'One item per prompt',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [200, 0],
			},
			{
				parameters: {
					resource: 'video',
					operation: 'generate',
					model: settings.model ?? 'kling/kling-3.0-standard/text-to-video',
					prompt: '={{ $json.prompt }}',
					aspectRatio: '16:9',
					duration: '5',
					hasSound: false,
					maxCostUsd: 100,
					waitForCompletion: true,
					waitMode: settings.waitMode,
					download: settings.download ?? true,
					options: { timeout: settings.timeoutSeconds },
					...settings.parameters,
				},
				id: muviNodeId,
				name: 'Muvi Video',
				type: 'n8n-nodes-muvi.muviVideo',
				typeVersion: 2,
				position: [400, 0],
				credentials: { muviApi: { id: HTTPS_CREDENTIAL_ID, name: 'Muvi (https)' } },
				...node,
			},
			{ parameters: {}, id: randomUUID(), name: 'After', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [600, 0], ...after },
		],
		connections: {
			Start: { main: [[{ node: 'One item per prompt', type: 'main', index: 0 }]] },
			'One item per prompt': { main: [[{ node: 'Muvi Video', type: 'main', index: 0 }]] },
			'Muvi Video': { main: [[{ node: 'After', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
	return { id, path, muviNodeId, json };
}

export async function startHttpsN8n(o: HttpsN8nOptions): Promise<HttpsN8n> {
	mkdirSync(o.dir, { recursive: true });
	const keyFile = join(o.dir, 'key.pem');
	const certFile = join(o.dir, 'cert.pem');
	execFileSync(
		'openssl',
		['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '2', '-keyout', keyFile, '-out', certFile, '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
		{ stdio: 'ignore' },
	);
	const cert = readFileSync(certFile, 'utf8');
	const agent = new Agent({ connect: { ca: cert } });
	const port = await freePort();
	const brokerPort = await freePort();
	const cliBrokerPort = await freePort();
	const url = `https://127.0.0.1:${port}`;
	const logFile = join(o.dir, 'n8n-server.log');
	const instanceEnv = {
		N8N_USER_FOLDER: join(o.dir, 'n8n'),
		DB_TYPE: 'sqlite',
		EXECUTIONS_MODE: 'regular',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PORT: String(port),
		N8N_PROTOCOL: 'https',
		N8N_SSL_KEY: keyFile,
		N8N_SSL_CERT: certFile,
		N8N_WEBHOOK_URL: `${url}/`,
		WEBHOOK_URL: `${url}/`,
		N8N_EDITOR_BASE_URL: `${url}/`,
		N8N_CONCURRENCY_PRODUCTION_LIMIT: String(o.concurrencyLimit ?? 1),
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_ENCRYPTION_KEY: 'muvi-https-wait-key',
		N8N_LOG_LEVEL: o.logLevel ?? 'info',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_SSRF_PROTECTION_ENABLED: 'false',
	};
	const cli = (args: string[]) =>
		writeFileSync(
			join(o.dir, `cli-${args[0].replace(/\W/g, '_')}.log`),
			execFileSync(o.n8nBin, args, {
				env: processEnv({ ...instanceEnv, N8N_RUNNERS_BROKER_PORT: String(cliBrokerPort) }),
				encoding: 'utf8',
				stdio: ['ignore', 'pipe', 'pipe'],
				timeout: 300_000,
			}),
			{ flag: 'a' },
		);

	cpSync(o.nodesDir, join(o.dir, 'n8n', '.n8n', 'nodes'), { recursive: true });
	writeFileSync(
		join(o.dir, 'credential.json'),
		JSON.stringify([{ id: HTTPS_CREDENTIAL_ID, name: 'Muvi (https)', type: 'muviApi', data: { apiKey: o.apiKey, baseUrl: o.fakeUrl, webhookSecret: o.webhookSecret } }]),
		{ mode: 0o600 },
	);
	cli(['import:credentials', `--input=${join(o.dir, 'credential.json')}`]);
	mkdirSync(join(o.dir, 'workflows'), { recursive: true });
	for (const w of o.workflows) writeFileSync(join(o.dir, 'workflows', `${w.id}.json`), JSON.stringify(w.json));
	cli(['import:workflow', '--separate', `--input=${join(o.dir, 'workflows')}`]);
	const activate = o.activateArgs ?? ((id: string) => ['publish:workflow', `--id=${id}`]);
	for (const w of o.workflows) cli(activate(w.id));

	const out = openSync(logFile, 'a');
	const child = spawn(o.n8nBin, ['start'], { env: processEnv(instanceEnv), detached: true, stdio: ['ignore', out, out] });
	child.unref();
	const pid = child.pid!;
	writeFileSync(join(o.dir, 'n8n.pid'), String(pid));
	let exited: number | null | undefined;
	child.on('exit', (code) => (exited = code));

	const http: HttpsN8n['http'] = async (path, init = {}) => {
		const res = await tlsFetch(`${url}${path}`, { ...init, dispatcher: agent });
		const text = await res.text();
		let body: any = text;
		try {
			body = text ? JSON.parse(text) : undefined;
		} catch {
			// not JSON
		}
		return { status: res.status, body, headers: res.headers as unknown as Headers };
	};
	const stop = async () => {
		try {
			process.kill(-pid, 'SIGTERM');
		} catch {
			// already gone
		}
		for (let i = 0; i < 60 && exited === undefined; i++) await sleep(250);
		try {
			process.kill(-pid, 'SIGKILL');
		} catch {
			// gone
		}
		await agent.close();
	};

	try {
		const deadline = Date.now() + 180_000;
		for (;;) {
			if (exited !== undefined) throw new Error(`n8n exited (${exited}) before it was ready:\n${readFileSync(logFile, 'utf8').split('\n').slice(-60).join('\n')}`);
			// n8n 1.x answers /healthz/readiness before it has mounted its REST API: wait for both
			const ready = await http('/healthz/readiness').catch(() => ({ status: 0 }));
			if (ready.status === 200 && (await http('/rest/settings').catch(() => ({ status: 0 }))).status === 200) break;
			if (Date.now() > deadline) throw new Error('https n8n was not ready after 180 s');
			await sleep(300);
		}
		const setup = await http('/rest/owner/setup', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ email: 'wait@example.com', firstName: 'Wait', lastName: 'Mode', password: 'E2e-Muvi-Password1' }),
		});
		if (setup.status !== 200) throw new Error(`owner setup: HTTP ${setup.status}`);
		const cookie = ((setup.headers as unknown as { getSetCookie(): string[] }).getSetCookie() ?? [])
			.map((c) => c.split(';')[0])
			.find((c) => c.startsWith('n8n-auth='));
		if (!cookie) throw new Error('owner setup set no n8n-auth cookie');
		// published workflows' webhooks: registered when n8n says the path exists for POST only
		for (const w of o.workflows) {
			const path = (w as unknown as WaitFlow).path;
			if (!path) continue;
			for (let i = 0; ; i++) {
				const probe = await http(`/webhook/${path}`);
				if (probe.status !== 404 || /POST/.test(JSON.stringify(probe.body))) break;
				if (i > 200) throw new Error(`the webhook of ${w.id} was not registered`);
				await sleep(300);
			}
		}
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const { parse } = require('flatted') as { parse: (s: string) => any };
		return {
			url,
			cert,
			logFile,
			http,
			stop,
			async executions(workflowId) {
				const res = await http(`/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}&limit=100`, { headers: { cookie } });
				if (res.status !== 200) throw new Error(`executions: HTTP ${res.status} ${JSON.stringify(res.body)}`);
				return (res.body.data?.results ?? res.body.data ?? []) as any[];
			},
			async execution(id) {
				const res = await http(`/rest/executions/${id}`, { headers: { cookie } });
				if (res.status !== 200) throw new Error(`execution ${id}: HTTP ${res.status}`);
				const data = res.body.data;
				return { ...data, data: typeof data.data === 'string' ? parse(data.data) : data.data };
			},
		};
	} catch (error) {
		await stop();
		throw error;
	}
}
