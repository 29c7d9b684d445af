/**
 * Helpers for the queue-mode suite: the processes scripts/queue.sh started (main, workers, webhook
 * processes; each with a launcher in <run>/bin, a log in <run>/<name>.log and its PID in
 * <run>/pids/<name>.pid), and the webhooks a user or Muvi would call on them. n8n's APIs and the fake
 * Muvi API are reached through the e2e helpers (test/e2e/support/n8n.ts), which read the same run folder.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import {
	MUVI_TRIGGER,
	asOwner,
	env,
	executionsOf,
	fake,
	fakeWebhooks,
	httpJson,
	n8nProcessEnv,
	readState,
	sleep,
	workflowById,
	type BinaryRef,
	type Execution,
	type FakeWebhookDelivery,
} from '../../e2e/support/n8n';

export interface QueueProcess {
	name: string;
	port: number;
	url: string;
}

function required(name: string): string {
	const value = process.env[name];
	if (!value) throw new Error(`${name} is not set: run the queue-mode suite with \`npm run test:queue\` (scripts/queue.sh).`);
	return value;
}

function processes(variable: string): QueueProcess[] {
	return required(variable)
		.split(' ')
		.map((entry) => {
			const [name, port] = entry.split(':');
			return { name, port: Number(port), url: `http://127.0.0.1:${port}` };
		});
}

export const queue = {
	get runDir() {
		return required('MUVI_QUEUE_RUN_DIR');
	},
	get workers() {
		return processes('MUVI_QUEUE_WORKERS');
	},
	get webhooks() {
		return processes('MUVI_QUEUE_WEBHOOKS');
	},
};

/** The binary data mode of every process: n8n's queue-mode default unless the run asked for another. */
export const binaryMode = () => process.env.N8N_DEFAULT_BINARY_DATA_MODE || 'database';

/** How n8n refers to a stored binary in that mode (`default` keeps it inline, base64, without an id). */
export function expectStoredInMode(ref: BinaryRef | undefined): void {
	const mode = binaryMode();
	if (mode === 'default') {
		expect(ref?.data).toBeTruthy();
	} else {
		expect(ref?.id).toMatch(new RegExp(`^${mode}(-v2)?:`));
	}
}

/**
 * The binary as a user gets it when opening the execution: from the main process (GET
 * /rest/binary-data, signed in), or inline in the execution for `default` mode.
 */
export async function binaryFromMain(ref: BinaryRef): Promise<{ status: number; bytes: Buffer }> {
	if (!ref.id) return { status: 200, bytes: Buffer.from(ref.data ?? '', 'base64') };
	const { cookie } = readState();
	const res = await fetch(`${env.n8nUrl}/rest/binary-data?id=${encodeURIComponent(ref.id)}&action=download`, { headers: { cookie } });
	return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()) };
}

/** The workflow of test/queue/workflows/generate-by-webhook.json: Webhook → Split Out (body.items) → Generate. */
export const GENERATE_WORKFLOW = 'muviQueueGenerat';
export const GENERATE_PATH = 'muvi-queue-generate';

export const logOf = (name: string): string => {
	const file = join(queue.runDir, `${name}.log`);
	return existsSync(file) ? readFileSync(file, 'utf8') : '';
};

/** The worker whose log says it started execution `id` ("Worker started execution 12 (job 7)"). */
export function workerThatRan(executionId: string): string | undefined {
	const line = new RegExp(`Worker started execution ${executionId} \\(job`);
	return queue.workers.find((w) => line.test(logOf(w.name)))?.name;
}

/** POSTs a JSON body to the production webhook `path` of webhook process `target`. */
export async function callWebhook(target: QueueProcess, path: string, body: unknown): Promise<{ status: number; body: any }> {
	const res = await httpJson(`${target.url}/webhook/${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	return { status: res.status, body: res.body };
}

/** Waits until the workflow has an execution (newer than `afterId`) matching `match`, in a final status. */
export async function waitForExecution(
	workflowId: string,
	match: (e: Execution) => boolean,
	timeoutMs: number,
	afterId = 0,
): Promise<Execution> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const found = (await executionsOf(workflowId)).find((e) => Number(e.id) > afterId && match(e));
		if (found && !['new', 'running', 'waiting'].includes(found.status)) return found;
		if (Date.now() > deadline) throw new Error(`no finished execution of ${workflowId} matched within ${timeoutMs} ms (last seen: ${found?.status ?? 'none'})`);
		await sleep(500);
	}
}

export const lastExecutionId = async (workflowId: string) => Math.max(0, ...(await executionsOf(workflowId)).map((e) => Number(e.id)));

/** The prompts an execution of the generate workflow was asked for (its webhook body). */
export function promptsOf(execution: Execution): string[] {
	const webhook = execution.data.resultData.runData.Webhook?.[0]?.data?.main?.[0]?.[0];
	const items = (webhook?.json?.body as { items?: Array<{ prompt: string }> } | undefined)?.items ?? [];
	return items.map((i) => i.prompt);
}

export interface FakeJobSummary {
	jobId: string;
	status: string;
	input: { prompt?: string };
	createdAtMs: number;
	completedAtMs: number | null;
	costMicroCents: number;
}

export const fakeJobs = () => fake<FakeJobSummary[]>('/jobs');
export const fakeStats = () => fake<{ submitsReceived: number; jobsCreated: number; sent429: number; statusCalls: Record<string, number> }>('/stats');
export const setFakeOptions = (options: Record<string, unknown>) => fake('/options', { method: 'POST', body: JSON.stringify(options) });

const pidFile = (name: string) => join(queue.runDir, 'pids', `${name}.pid`);
export const pidOf = (name: string) => Number(readFileSync(pidFile(name), 'utf8'));

export function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

/** SIGKILL to the process group of `name` (n8n and its task runner): a machine or container that dies. */
export async function killProcess(name: string): Promise<void> {
	const pid = pidOf(name);
	process.kill(-pid, 'SIGKILL');
	const deadline = Date.now() + 10_000;
	while (alive(pid) && Date.now() < deadline) await sleep(100);
	if (alive(pid)) throw new Error(`${name} (pid ${pid}) still runs after SIGKILL`);
}

/**
 * Starts process `name` again from its launcher (<run>/bin/<name>.sh), in its own process group,
 * output appended to its log; records the new PID (scripts/queue.sh stops it at the end) and waits
 * until it is ready.
 */
export async function restartProcess(target: QueueProcess, timeoutMs = 180_000): Promise<void> {
	const out = openSync(join(queue.runDir, `${target.name}.log`), 'a');
	// n8nProcessEnv: without jest's NODE_ENV=test, which n8n takes for its own unit tests (silent, features off)
	const child = spawn('bash', [join(queue.runDir, 'bin', `${target.name}.sh`)], {
		detached: true,
		stdio: ['ignore', out, out],
		env: n8nProcessEnv(),
	});
	closeSync(out);
	child.unref();
	writeFileSync(pidFile(target.name), String(child.pid));
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (!alive(child.pid!)) throw new Error(`${target.name} exited while starting; see ${target.name}.log`);
		try {
			if ((await fetch(`${target.url}/healthz/readiness`)).ok) return;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) throw new Error(`${target.name} was not ready after ${timeoutMs} ms`);
		await sleep(500);
	}
}

/** Numbers a case measured: printed, and kept in <run>/numbers.json for the closing note. */
export function record(caseName: string, numbers: Record<string, unknown>): void {
	const file = join(queue.runDir, 'numbers.json');
	const all = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
	all[caseName] = numbers;
	writeFileSync(file, JSON.stringify(all, null, 2));
	process.stderr.write(`[queue numbers] ${caseName}: ${JSON.stringify(numbers)}\n`);
}

// ---------------------------------------------------------------------------------------------
// The trigger (examples/video-finished-webhook.json, published)
// ---------------------------------------------------------------------------------------------

export const TRIGGER_WORKFLOW = 'muviExVideoReady';

/** The trigger's production URL on webhook process `target`. */
export async function triggerUrl(target: QueueProcess): Promise<string> {
	const trigger = workflowById(TRIGGER_WORKFLOW).nodes.find((n) => n.type === MUVI_TRIGGER)!;
	const types: Array<{ name: string; webhooks?: Array<{ path: string }> }> = await asOwner('/types/nodes.json');
	const path = types.find((t) => t.name === MUVI_TRIGGER)!.webhooks![0].path;
	return `${target.url}/webhook/${trigger.webhookId}/${path}`;
}

/** Waits for the fake to report the job's delivery as answered. */
export async function deliveryOf(jobId: string): Promise<FakeWebhookDelivery> {
	const deadline = Date.now() + 60_000;
	for (;;) {
		const delivery = (await fakeWebhooks()).find((d) => d.jobId === jobId && d.attempts.length > 0);
		if (delivery && delivery.status !== 'pending') return delivery;
		if (Date.now() > deadline) throw new Error(`the fake did not deliver the webhook of ${jobId}: ${JSON.stringify(delivery)}`);
		await sleep(200);
	}
}

export const triggerJobIdOf = (e: { data: { resultData: { runData: Record<string, any> } } }) =>
	e.data.resultData.runData['Muvi Video Trigger']?.[0]?.data?.main?.[0]?.[0]?.json?.jobId as string | undefined;

