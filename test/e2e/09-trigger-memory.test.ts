/**
 * The trigger's delivery memory in a real n8n, across what happens to n8n in production: a restart
 * (`n8n start` stopped and started on the same user folder and database) and a second n8n process on
 * the same database. Deliveries are signed as Muvi signs them and sent to the production webhook URL;
 * checked: what each sender got, the executions n8n stored (through its public API), whether the
 * workflow's next node ran, and what n8n saved in its database (workflow static data, processed_data).
 *
 * Runs last: it restarts the suite's n8n.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { env, executionsOf, postWebhook, readState, signature, sleep, unixNow, workflowById, type Execution } from './support/n8n';
import { freePorts, restartMainN8n, startN8nProcess, stopN8nProcess, type N8nProcess } from './support/processes';

const WORKFLOW_ID = 'muviTrigMemory01';
const wf = workflowById(WORKFLOW_ID);
const trigger = wf.nodes.find((n) => n.type === 'n8n-nodes-muvi.muviVideoTrigger')!;
const SIDE_EFFECT = 'Side effect (a post, an email)';
const webhookPath = (base: string) => `${base}/webhook/${trigger.webhookId}/muvi`;

/** Numbers for the closing note: printed, and kept in the run folder. */
function report(what: string, numbers: Record<string, unknown>): void {
	const line = `[trigger memory] ${what}: ${JSON.stringify(numbers)}\n`;
	process.stderr.write(line);
	appendFileSync(join(env.runDir, 'numbers.txt'), line);
}

// ---- n8n's database, read directly (SQLite, with the sqlite3 module of the n8n install) ----

/**
 * Runs one read-only query in a child process with the Node.js that runs n8n (its sqlite3 module is
 * built for that Node: on n8n 1.x that is Node 22, not the Node running jest).
 */
function query(sql: string, params: unknown[] = []): Promise<Array<Record<string, unknown>>> {
	const n8nNode = process.env.MUVI_N8N_NODE_DIR ? join(process.env.MUVI_N8N_NODE_DIR, 'bin', 'node') : '';
	const nodeBin = n8nNode && existsSync(n8nNode) ? n8nNode : process.execPath;
	const n8nModules = process.env.MUVI_N8N_DIR ? join(process.env.MUVI_N8N_DIR, 'node_modules') : join(dirname(env.n8nBin), '..');
	const script = `
		const sqlite3 = require(process.argv[1]);
		const db = new sqlite3.Database(process.argv[2], sqlite3.OPEN_READONLY, (e) => {
			if (e) { console.error(e.message); process.exit(1); }
			db.all(process.argv[3], JSON.parse(process.argv[4]), (err, rows) => {
				if (err) { console.error(err.message); process.exit(1); }
				process.stdout.write(JSON.stringify(rows));
				db.close();
			});
		});`;
	const args = ['-e', script, join(n8nModules, 'sqlite3'), join(env.userFolder, '.n8n', 'database.sqlite'), sql, JSON.stringify(params)];
	return new Promise((resolve, reject) => {
		execFile(nodeBin, args, { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
			if (error) reject(new Error(`query failed: ${stderr || error.message}`));
			else resolve(JSON.parse(stdout) as Array<Record<string, unknown>>);
		});
	});
}

const parse = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value) as Record<string, any> | null;

/** The deliveries the trigger's static data holds (as n8n saved them). */
async function storedDeliveries(): Promise<string[]> {
	const [row] = await query('SELECT staticData FROM workflow_entity WHERE id = ?', [WORKFLOW_ID]);
	const staticData = parse(row?.staticData) ?? {};
	return Object.keys(staticData[`node:${trigger.name}`]?.deliveries ?? {});
}

/** How many deliveries n8n's processed_data table holds for the trigger node. */
async function processedCount(): Promise<number> {
	const rows = await query('SELECT value FROM processed_data WHERE workflowId = ? AND context = ?', [WORKFLOW_ID, `n:${trigger.id}`]);
	return (parse(rows[0]?.value)?.data as unknown[] | undefined)?.length ?? 0;
}

// ---- deliveries ----

interface Delivery {
	jobId: string;
	body: string;
	timestamp: string;
	signature: string;
}

function delivery(jobId = `job_${randomBytes(12).toString('hex')}`): Delivery {
	const body = JSON.stringify({
		jobId,
		requestId: `req_${jobId.slice(4)}`,
		status: 'completed',
		output: { url: `${env.fakeCdnUrl}/${jobId}/output_0.mp4`, metadata: { format: 'mp4' } },
		completedAt: new Date().toISOString(),
	});
	const timestamp = String(unixNow());
	return { jobId, body, timestamp, signature: signature(env.webhookSecret, timestamp, body) };
}

/** The original request, byte for byte (a replay). */
const sendExact = (base: string, d: Delivery) =>
	postWebhook(webhookPath(base), d.body, { 'X-PixelByte-Timestamp': d.timestamp, 'X-PixelByte-Signature': d.signature });

/** Muvi's retry: the same body, signed again now. */
function sendRetry(base: string, d: Delivery) {
	const ts = String(unixNow());
	return postWebhook(webhookPath(base), d.body, { 'X-PixelByte-Timestamp': ts, 'X-PixelByte-Signature': signature(env.webhookSecret, ts, d.body) });
}

const jobOf = (e: Execution): string | undefined => e.data.resultData.runData[trigger.name]?.[0]?.data?.main?.[0]?.[0]?.json?.jobId;
/** Executions whose next node ran for the job: the side effects a user would see. */
const sideEffectsOf = (executions: Execution[], jobId: string) =>
	executions.filter((e) => jobOf(e) === jobId && (e.data.resultData.runData[SIDE_EFFECT]?.length ?? 0) > 0).length;

async function settledExecutions(minimum: number, timeoutMs = 120_000): Promise<Execution[]> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const all = await executionsOf(WORKFLOW_ID);
		const running = all.filter((e) => ['new', 'running', 'waiting'].includes(e.status));
		if ((all.length >= minimum && running.length === 0) || Date.now() > deadline) return all;
		await sleep(500);
	}
}

/** Waits a while and returns the executions once none is running (anything a duplicate started has shown up). */
async function quietExecutions(ms = 4000): Promise<Execution[]> {
	await sleep(ms);
	return await settledExecutions(0);
}

let baseUrl = env.n8nUrl;

/**
 * Waits until an n8n process serves the trigger's webhook (not 404) and, for the main one, its public
 * API: n8n 1.x reports ready before it has activated the workflows and mounted the API.
 */
async function waitUntilServing(base: string, withApi = true): Promise<void> {
	const deadline = Date.now() + 120_000;
	for (;;) {
		const webhook = await postWebhook(webhookPath(base), '{}', {}).catch(() => ({ status: 0 }));
		const api = withApi
			? await fetch(`${base}/api/v1/executions?limit=1`, { headers: { 'X-N8N-API-KEY': readState().publicApiKey } }).then(
					(r) => r.status,
					() => 0,
				)
			: 200;
		if (webhook.status !== 404 && webhook.status !== 0 && api === 200) return;
		if (Date.now() > deadline) throw new Error(`${base} does not serve ${webhookPath(base)} (HTTP ${webhook.status}) and its API (HTTP ${api})`);
		await sleep(500);
	}
}

async function restart(): Promise<string> {
	const { url } = await restartMainN8n();
	await waitUntilServing(url);
	return url;
}

beforeAll(async () => {
	// registered once n8n has activated the published workflow
	await waitUntilServing(baseUrl);
});

describe('a restart of n8n', () => {
	test('deliver, restart n8n, deliver the same again (a retry and an exact replay): one execution', async () => {
		const d = delivery();
		const earlier = (await settledExecutions(0)).length;
		const first = await sendExact(baseUrl, d);
		expect(first.status).toBe(200);
		let executions = await settledExecutions(earlier + 1);
		expect(executions.filter((e) => jobOf(e) === d.jobId)).toHaveLength(1);
		expect(sideEffectsOf(executions, d.jobId)).toBe(1);
		// what n8n saved, before the restart
		expect(await storedDeliveries()).toContain(`${d.jobId}:completed`);
		expect(await processedCount()).toBeGreaterThanOrEqual(1);
		const before = executions.length;

		const restartStarted = Date.now();
		baseUrl = await restart();
		const restartMs = Date.now() - restartStarted;

		const retry = await sendRetry(baseUrl, d);
		const replay = await sendExact(baseUrl, d);
		expect(retry.status).toBe(200);
		expect(retry.body).toEqual({ received: true, duplicate: true });
		expect(replay.status).toBe(200);
		expect(replay.body).toEqual({ received: true, duplicate: true });
		executions = await quietExecutions();
		expect(executions).toHaveLength(before);
		expect(sideEffectsOf(executions, d.jobId)).toBe(1);
		report('restart', { restartMs, executionsForTheJob: executions.filter((e) => jobOf(e) === d.jobId).length });
	});

	test('50 distinct deliveries: 50 entries persisted; after another restart, all 50 again start nothing', async () => {
		const before = await settledExecutions(0);
		const processedBefore = await processedCount();
		const deliveries = Array.from({ length: 50 }, () => delivery());
		// one after the other, as Muvi delivers finished jobs (each answered before the next is sent)
		for (const d of deliveries) expect((await sendExact(baseUrl, d)).status).toBe(200);
		const after = await settledExecutions(before.length + 50, 300_000);
		expect(after).toHaveLength(before.length + 50);
		for (const d of deliveries) expect(sideEffectsOf(after, d.jobId)).toBe(1);

		const stored = await storedDeliveries();
		const inStaticData = deliveries.filter((d) => stored.includes(`${d.jobId}:completed`)).length;
		const processed = (await processedCount()) - processedBefore;
		report('50 distinct deliveries', { inProcessedData: processed, inStaticData });
		expect(processed).toBe(50);

		baseUrl = await restart();
		const answers = [];
		for (const d of deliveries) answers.push(await sendRetry(baseUrl, d));
		expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
		const duplicatesAnswered = answers.filter((a) => a.body?.duplicate === true).length;
		const final = await quietExecutions(6000);
		const extraExecutions = final.length - after.length;
		report('the same 50 after a restart', { answeredDuplicate: duplicatesAnswered, executionsCreated: extraExecutions });
		// no side effect ran twice; an execution that a duplicate still created put out no item
		for (const d of deliveries) expect(sideEffectsOf(final, d.jobId)).toBe(1);
		for (const e of final.slice(0, extraExecutions)) {
			expect(e.status).toBe('success');
			expect(jobOf(e)).toBeUndefined();
		}
		expect(extraExecutions).toBe(50 - duplicatesAnswered);
	});
});

describe('two n8n processes on one database', () => {
	let second: N8nProcess | undefined;

	beforeAll(async () => {
		const [port, broker] = await freePorts(2);
		second = await startN8nProcess({
			port,
			logFile: join(env.runDir, 'n8n-second.log'),
			extraEnv: {
				N8N_RUNNERS_BROKER_PORT: String(broker),
				N8N_WEBHOOK_URL: `http://127.0.0.1:${port}/`,
				N8N_EDITOR_BASE_URL: `http://127.0.0.1:${port}/`,
			},
		});
		await waitUntilServing(second.url, false);
	}, 240_000);

	afterAll(async () => {
		if (second) await stopN8nProcess(second.pid);
	});

	test('a copy reaching the other process 1 s after the first was accepted starts nothing (5 jobs)', async () => {
		const TRIALS = 5;
		const sideEffects: number[] = [];
		const executionsPerJob: number[] = [];
		const copyAnswers: string[] = [];
		for (let trial = 0; trial < TRIALS; trial++) {
			const d = delivery();
			const before = (await settledExecutions(0)).length;
			const [toA, toB] = trial % 2 ? [second!.url, baseUrl] : [baseUrl, second!.url];
			expect((await sendExact(toA, d)).status).toBe(200);
			await sleep(1000);
			const copy = await sendRetry(toB, d);
			expect(copy.status).toBe(200);
			copyAnswers.push(copy.body?.duplicate ? 'duplicate' : 'started');
			const all = await quietExecutions(3000);
			sideEffects.push(sideEffectsOf(all, d.jobId));
			executionsPerJob.push(all.length - before);
		}
		report('sequential copies on two processes, 1 s apart', { trials: TRIALS, sideEffects, executionsPerJob, copyAnswers });
		expect(sideEffects).toEqual(Array(TRIALS).fill(1));
	});

	test('measured: simultaneous copies on both processes (the race only a shared lock closes)', async () => {
		const TRIALS = 5;
		const sideEffects: number[] = [];
		const executionsPerJob: number[] = [];
		for (let trial = 0; trial < TRIALS; trial++) {
			const d = delivery();
			const before = (await settledExecutions(0)).length;
			const answers = await Promise.all([sendExact(baseUrl, d), sendRetry(second!.url, d)]);
			expect(answers.map((a) => a.status)).toEqual([200, 200]);
			const all = await quietExecutions(3000);
			sideEffects.push(sideEffectsOf(all, d.jobId));
			executionsPerJob.push(all.length - before);
		}
		report('simultaneous copies on two processes', { trials: TRIALS, sideEffects, executionsPerJob });
		// at least once per job; more than once is the race the README explains
		for (const n of sideEffects) expect(n).toBeGreaterThanOrEqual(1);
	});
});
