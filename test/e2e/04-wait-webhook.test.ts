/**
 * Generate with Wait Mode "Muvi Webhook" in a real n8n served over https (self-signed certificate made
 * with openssl; the fake's webhook sender trusts exactly that certificate). This file starts its own
 * n8n (https, N8N_CONCURRENCY_PRODUCTION_LIMIT=1) with the package the suite installed, and its own
 * fake Muvi in this process (jobs finish only when the test says so). Workflows start from a
 * production Webhook trigger, so they run inside `n8n start` under its concurrency limit.
 * Checked: what the fake received (submit bodies, deliveries and the statuses n8n answered), the
 * execution's status while waiting, and the items the node after Muvi Video got.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { cpSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

import { Agent, fetch as tlsFetch } from 'undici';

import { startFakeMuvi, type FakeMuvi } from '../fake-muvi/server';
import { CREDENTIAL_ID, env, n8nProcessEnv, signature, sleep, tail, unixNow } from './support/n8n';

const MODEL = 'kling/kling-3.0-standard/text-to-video';
const SECRET = `whsec_e2e_wait_${randomBytes(8).toString('hex')}`;
const API_KEY = `pb_test_e2e_wait_${randomBytes(8).toString('hex')}`;

let dir = '';
let cert = '';
let agent: Agent;
let fake: FakeMuvi;
let n8nUrl = '';
let serverPid = 0;
let cookie = '';
let brokerPort = '';
const logFile = () => join(dir, 'n8n-https-server.log');

async function freePort(): Promise<number> {
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

async function http(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
	const res = await tlsFetch(url, { ...init, dispatcher: agent });
	const text = await res.text();
	let body: any = text;
	try {
		body = text ? JSON.parse(text) : undefined;
	} catch {
		// not JSON
	}
	return { status: res.status, body, headers: res.headers };
}

function instanceEnv(port: number): Record<string, string> {
	return {
		N8N_USER_FOLDER: join(dir, 'n8n'),
		N8N_PORT: String(port),
		N8N_PROTOCOL: 'https',
		N8N_SSL_KEY: join(dir, 'key.pem'),
		N8N_SSL_CERT: join(dir, 'cert.pem'),
		N8N_HOST: '127.0.0.1',
		N8N_WEBHOOK_URL: `https://127.0.0.1:${port}/`,
		WEBHOOK_URL: `https://127.0.0.1:${port}/`,
		N8N_EDITOR_BASE_URL: `https://127.0.0.1:${port}/`,
		N8N_CONCURRENCY_PRODUCTION_LIMIT: '1',
		N8N_RUNNERS_BROKER_PORT: brokerPort,
		N8N_ENCRYPTION_KEY: 'muvi-e2e-wait-webhook-key',
		N8N_LOG_LEVEL: 'debug',
	};
}

function runCli(port: number, args: string[]): void {
	const out = execFileSync(env.n8nBin, args, {
		env: n8nProcessEnv({ ...instanceEnv(port), N8N_RUNNERS_BROKER_PORT: String(Number(brokerPort) + 1) }),
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
		timeout: 180_000,
	});
	writeFileSync(join(dir, `cli-${args[0].replace(/\W/g, '_')}.log`), out);
}

interface Flow {
	id: string;
	path: string;
	muviNodeId: string;
}

/** Webhook trigger → Split Out (one item per prompt) → Muvi Video (Generate, Muvi Webhook) → After. */
function flow(name: string, timeoutSeconds: number, extra: Record<string, unknown> = {}): Flow & { json: unknown } {
	const id = `muviWait${name}`.padEnd(16, '0').slice(0, 16);
	const path = `muvi-wait-${name.toLowerCase()}`;
	const muviNodeId = randomUUID();
	const json = {
		id,
		name: `e2e wait webhook ${name}`,
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
					model: MODEL,
					prompt: '={{ $json.prompt }}',
					aspectRatio: '16:9',
					duration: '5',
					hasSound: false,
					maxCostUsd: 100,
					waitForCompletion: true,
					waitMode: 'webhook',
					download: true,
					options: { timeout: timeoutSeconds },
				},
				id: muviNodeId,
				name: 'Muvi Video',
				type: 'n8n-nodes-muvi.muviVideo',
				typeVersion: 2,
				position: [400, 0],
				credentials: { muviApi: { id: CREDENTIAL_ID, name: 'Muvi (https e2e)' } },
				...extra,
			},
			{ parameters: {}, id: randomUUID(), name: 'After', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [600, 0] },
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

const flows = {
	main: flow('Main', 600),
	continueOnFail: flow('Cof', 600, { onError: 'continueRegularOutput' }),
	short: flow('Short', 5),
};

async function executions(workflowId: string): Promise<any[]> {
	const res = await http(`${n8nUrl}/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}&limit=100`, { headers: { cookie } });
	if (res.status !== 200) throw new Error(`executions: HTTP ${res.status} ${JSON.stringify(res.body)}`);
	return (res.body.data?.results ?? res.body.data ?? []) as any[];
}

async function execution(id: string): Promise<any> {
	const res = await http(`${n8nUrl}/rest/executions/${id}`, { headers: { cookie } });
	if (res.status !== 200) throw new Error(`execution ${id}: HTTP ${res.status}`);
	const data = res.body.data;
	// the internal API returns the run data flattened; n8n's own "flatted" format
	const { parse } = require('flatted') as { parse: (s: string) => any };
	return { ...data, data: typeof data.data === 'string' ? parse(data.data) : data.data };
}

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 120_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const v = await probe();
		if (v) return v;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}. n8n log:\n${tail(readFileSync(logFile(), 'utf8'), 60)}`);
		await sleep(300);
	}
}

/** Starts a run of `f` with these prompts; resolves with the submitted job IDs once n8n waits. */
async function startRun(f: Flow, prompts: string[]): Promise<{ executionId: string; jobIds: string[]; resumeUrl: string }> {
	const before = new Set((await executions(f.id)).map((e) => String(e.id)));
	const res = await http(`${n8nUrl}/webhook/${f.path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ items: prompts.map((prompt) => ({ prompt })) }),
	});
	expect(res.status).toBe(200);
	const waiting = await until(`a waiting execution of ${f.id}`, async () =>
		(await executions(f.id)).find((e) => !before.has(String(e.id)) && e.status === 'waiting'),
	);
	const jobs = await until('the submitted jobs', async () => {
		const found = [...fake.jobs.values()].filter((j) => prompts.includes(String((j.input as { prompt?: string }).prompt)));
		return found.length === prompts.length ? found : undefined;
	});
	const byPrompt = prompts.map((p) => jobs.find((j) => (j.input as { prompt?: string }).prompt === p)!);
	return { executionId: String(waiting.id), jobIds: byPrompt.map((j) => j.jobId), resumeUrl: byPrompt[0].webhookUrl as string };
}

/** The fake's answered deliveries of a job (the HTTP status n8n gave each attempt). */
async function deliveryStatuses(jobId: string): Promise<Array<number | null>> {
	const d = await until(`the delivery of ${jobId}`, async () => fake.webhooks.find((w) => w.jobId === jobId && w.status !== 'pending'), 60_000);
	return d.attempts.map((a) => a.responseStatus);
}

const runOf = (exec: any, node: string) => exec.data.resultData.runData[node] as any[] | undefined;

beforeAll(async () => {
	dir = join(env.runDir, 'wait-webhook');
	mkdirSync(dir, { recursive: true });
	execFileSync('openssl', [
		'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '2',
		'-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
		'-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
	], { stdio: 'ignore' });
	cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
	agent = new Agent({ connect: { ca: cert } });
	fake = await startFakeMuvi({ apiKey: API_KEY, webhookSecret: SECRET, webhookCa: cert, autoProgress: false, acceptAnyModel: true, webhookRetryScale: 0.05 });

	const port = await freePort();
	brokerPort = String(await freePort());
	n8nUrl = `https://127.0.0.1:${port}`;
	// the package as the suite installed it (scripts/e2e.sh), into this instance's community-nodes folder
	cpSync(join(env.userFolder, '.n8n', 'nodes'), join(dir, 'n8n', '.n8n', 'nodes'), { recursive: true });
	writeFileSync(
		join(dir, 'credential.json'),
		JSON.stringify([{ id: CREDENTIAL_ID, name: 'Muvi (https e2e)', type: 'muviApi', data: { apiKey: API_KEY, baseUrl: fake.url, webhookSecret: SECRET } }]),
		{ mode: 0o600 },
	);
	runCli(port, ['import:credentials', `--input=${join(dir, 'credential.json')}`]);
	mkdirSync(join(dir, 'workflows'), { recursive: true });
	for (const f of Object.values(flows)) writeFileSync(join(dir, 'workflows', `${f.id}.json`), JSON.stringify(f.json));
	runCli(port, ['import:workflow', '--separate', `--input=${join(dir, 'workflows')}`]);
	for (const f of Object.values(flows)) runCli(port, ['publish:workflow', `--id=${f.id}`]);

	const out = openSync(logFile(), 'a');
	const child = spawn(env.n8nBin, ['start'], { env: n8nProcessEnv(instanceEnv(port)), detached: true, stdio: ['ignore', out, out] });
	child.unref();
	serverPid = child.pid!;
	writeFileSync(join(dir, 'n8n.pid'), String(serverPid));
	await until('https n8n to be ready', async () => (await http(`${n8nUrl}/healthz/readiness`).catch(() => ({ status: 0 }))).status === 200, 180_000);
	const setup = await http(`${n8nUrl}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ email: 'wait@example.com', firstName: 'Wait', lastName: 'Hook', password: 'E2e-Muvi-Password1' }),
	});
	expect(setup.status).toBe(200);
	cookie = (setup.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).find((c) => c.startsWith('n8n-auth=')) ?? '';
	expect(cookie).not.toBe('');
	// the production webhooks are registered once the published workflows are active
	for (const f of Object.values(flows))
		await until(`webhook of ${f.id}`, async () => {
			const probe = await http(`${n8nUrl}/webhook/${f.path}`, { method: 'GET' });
			// registered: n8n says the path exists for POST only
			return probe.status !== 404 || /POST/.test(JSON.stringify(probe.body)) || undefined;
		}, 60_000);
}, 600_000);

afterAll(async () => {
	if (serverPid) {
		try {
			process.kill(-serverPid, 'SIGTERM');
		} catch {
			// already gone
		}
		for (let i = 0; i < 40; i++) {
			try {
				process.kill(serverPid, 0);
			} catch {
				break;
			}
			await sleep(250);
		}
		try {
			process.kill(-serverPid, 'SIGKILL');
		} catch {
			// gone
		}
	}
	await fake?.close();
	await agent?.close();
});

describe('Generate with Wait Mode "Muvi Webhook" (n8n over https)', () => {
	test('one job: the execution waits, a forged call gets 401, Muvi\'s signed call resumes it with the video; a repeat after the resume does not run the workflow again', async () => {
		const run = await startRun(flows.main, ['e2e wait one']);
		const url = new URL(run.resumeUrl);
		expect(url.protocol).toBe('https:');
		expect(url.pathname).toBe(`/webhook-waiting/${run.executionId}/${flows.main.muviNodeId}`);
		expect(url.searchParams.get('signature')).toBeTruthy();

		// forged: right URL, wrong key
		const body = JSON.stringify({ jobId: run.jobIds[0], status: 'completed', completedAt: new Date().toISOString() });
		const ts = String(unixNow());
		const forged = await http(run.resumeUrl, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-pixelbyte-timestamp': ts, 'x-pixelbyte-signature': signature('whsec_wrong', ts, body) },
			body,
		});
		expect(forged.status).toBe(401);
		const unsigned = await http(run.resumeUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
		expect(unsigned.status).toBe(401);
		await sleep(1000);
		expect((await execution(run.executionId)).status).toBe('waiting');

		fake.completeJob(run.jobIds[0]);
		expect(await deliveryStatuses(run.jobIds[0])).toEqual([200]);
		const done = await until('the resumed execution', async () => {
			const e = await execution(run.executionId);
			return e.status === 'success' ? e : undefined;
		});
		const after = runOf(done, 'After')!;
		expect(after).toHaveLength(1);
		const items = after[0].data.main[0];
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ jobId: run.jobIds[0], status: 'completed' });
		expect(typeof items[0].json.costMicroCents).toBe('number');
		expect(items[0].binary?.data?.mimeType).toBe('video/mp4');
		// the file was fetched from the CDN after the job finished
		expect(fake.cdnRequests.some((r) => r.path.includes(run.jobIds[0]))).toBe(true);

		// a repeat delivery after the resume, correctly signed: n8n refuses it, the workflow does not run again
		const ts2 = String(unixNow());
		const repeat = await http(run.resumeUrl, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-pixelbyte-timestamp': ts2, 'x-pixelbyte-signature': signature(SECRET, ts2, body) },
			body,
		});
		expect([404, 409]).toContain(repeat.status);
		await sleep(1000);
		expect(runOf(await execution(run.executionId), 'After')).toHaveLength(1);
		expect((await executions(flows.main.id)).filter((e) => e.id === run.executionId)).toHaveLength(1);
	});

	test('three jobs finishing at different times: only the last call resumes, with one item per job in item order', async () => {
		const run = await startRun(flows.main, ['e2e wait a', 'e2e wait b', 'e2e wait c']);
		// the middle job first, then the first: each call is answered 200 and the execution keeps waiting
		for (const jobId of [run.jobIds[1], run.jobIds[0]]) {
			fake.completeJob(jobId);
			expect(await deliveryStatuses(jobId)).toEqual([200]);
			await sleep(500);
			expect((await execution(run.executionId)).status).toBe('waiting');
		}
		fake.completeJob(run.jobIds[2]);
		expect(await deliveryStatuses(run.jobIds[2])).toEqual([200]);
		const done = await until('the resumed execution', async () => {
			const e = await execution(run.executionId);
			return e.status === 'success' ? e : undefined;
		});
		const items = runOf(done, 'After')![0].data.main[0];
		expect(items.map((i: any) => i.json.jobId)).toEqual(run.jobIds);
		expect(items.map((i: any) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items.every((i: any) => i.binary?.data?.mimeType === 'video/mp4')).toBe(true);
		// each job was submitted once
		const submits = fake.requests.filter((r) => r.path === '/v1/jobs/submit' && ['e2e wait a', 'e2e wait b', 'e2e wait c'].includes(String((r.json as any)?.input?.prompt)));
		expect(submits.length).toBe(3);
		expect(submits.every((r) => (r.json as any).webhookUrl === run.resumeUrl)).toBe(true);
	});

	test('a failed job under Continue On Fail comes out as an item with error, like polling', async () => {
		const run = await startRun(flows.continueOnFail, ['e2e wait ok', 'e2e wait bad']);
		fake.failJob(run.jobIds[1], { code: 'GENERATION_FAILED', message: 'e2e failure' });
		expect(await deliveryStatuses(run.jobIds[1])).toEqual([200]);
		fake.completeJob(run.jobIds[0]);
		const done = await until('the resumed execution', async () => {
			const e = await execution(run.executionId);
			return e.status === 'success' ? e : undefined;
		});
		const items = runOf(done, 'After')![0].data.main[0];
		expect(items[0].json).toMatchObject({ jobId: run.jobIds[0], status: 'completed' });
		expect(items[1].json).toMatchObject({ jobId: run.jobIds[1], status: 'failed', errorCode: 'GENERATION_FAILED' });
		expect(String(items[1].json.error)).toContain('failed');
	});

	test('with N8N_CONCURRENCY_PRODUCTION_LIMIT=1, two executions wait at the same time and both finish', async () => {
		const a = await startRun(flows.main, ['e2e wait conc a']);
		// the second could not start if the first still held the only production slot
		const b = await startRun(flows.main, ['e2e wait conc b']);
		expect((await execution(a.executionId)).status).toBe('waiting');
		fake.completeJob(b.jobIds[0]);
		fake.completeJob(a.jobIds[0]);
		for (const run of [a, b]) {
			const done = await until(`execution ${run.executionId}`, async () => {
				const e = await execution(run.executionId);
				return e.status === 'success' ? e : undefined;
			});
			expect(runOf(done, 'After')![0].data.main[0][0].json.jobId).toBe(run.jobIds[0]);
		}
	});

	test('a dropped webhook: at the Timeout n8n resumes the node without running it; the job ID stays in the execution\'s custom data', async () => {
		const run = await startRun(flows.short, ['e2e wait dropped']);
		// Muvi's delivery never arrives (the sender trusts another certificate and gives up at once)
		fake.setOptions({ webhookCa: 'not a certificate', webhookMaxAttempts: 1 });
		try {
			fake.completeJob(run.jobIds[0]);
			const statuses = await deliveryStatuses(run.jobIds[0]);
			expect(statuses).toEqual([null]);
			const done = await until('the time limit to pass', async () => {
				const e = await execution(run.executionId);
				return e.status !== 'waiting' && e.status !== 'running' ? e : undefined;
			}, 200_000);
			const items = runOf(done, 'After')![0].data.main[0];
			// the node's input passed through: no job fields
			expect(items[0].json).toEqual({ prompt: 'e2e wait dropped' });
			const custom = JSON.stringify(done.customData ?? {});
			expect(custom).toContain(run.jobIds[0]);
		} finally {
			fake.setOptions({ webhookCa: cert, webhookMaxAttempts: 5 });
		}
	}, 300_000);
});
