/**
 * Benchmark 5: Generate's Wait Mode, Poll against Muvi Webhook, side by side in a real n8n 2.41
 * served over https (test/e2e/support/https-n8n.ts), with the packed package installed by
 * scripts/bench.sh. For a batch of 1 and of 10 jobs (each lasting JOB_MS on the fake, submitted one
 * after the other by the node), one execution per mode, one after the other:
 * - status calls per job (GET /v1/jobs/{id} the fake received for the batch's jobs, divided by N);
 * - lag: from the last job of the batch finishing at the fake to the node after Muvi Video starting
 *   (n8n's own startTime of that node);
 * - time the execution held a concurrency slot: its status sampled every 200 ms, time spent "running".
 * Download Video is off in both, so the figures are about waiting only.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startFakeMuvi, type FakeMuvi } from '../test/fake-muvi/server';
import { startHttpsN8n, waitFlow, type HttpsN8n, type WaitFlow } from '../test/e2e/support/https-n8n';
import { fmtS, sleep, table } from './lib';

export const JOB_MS = 20_000;
export const BATCHES = [1, 10];
const SAMPLE_MS = 200;

export interface WaitModeRow {
	mode: 'poll' | 'webhook';
	batch: number;
	statusCallsPerJob: number;
	lagMs: number;
	slotMs: number;
	totalMs: number;
	deliveries: number;
}

export interface WaitModesResult {
	rows: WaitModeRow[];
	table: string;
	note: string;
	skipped?: string;
}

async function runOnce(n8n: HttpsN8n, fake: FakeMuvi, flow: WaitFlow, mode: 'poll' | 'webhook', batch: number): Promise<WaitModeRow> {
	const prompts = Array.from({ length: batch }, (_, i) => `wait bench ${mode} ${batch} #${i + 1} ${randomBytes(3).toString('hex')}`);
	const before = new Set((await n8n.executions(flow.id)).map((e) => String(e.id)));
	const started = Date.now();
	const res = await n8n.http(`/webhook/${flow.path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ items: prompts.map((prompt) => ({ prompt })) }),
	});
	if (res.status !== 200) throw new Error(`starting the ${mode} run: HTTP ${res.status}`);
	let executionId: string | undefined;
	let runningMs = 0;
	let last = Date.now();
	let lastStatus = 'new';
	for (;;) {
		await sleep(SAMPLE_MS);
		const now = Date.now();
		if (!executionId) executionId = (await n8n.executions(flow.id)).map((e) => String(e.id)).find((id) => !before.has(id));
		if (!executionId) continue;
		const status = String((await n8n.executions(flow.id)).find((e) => String(e.id) === executionId)?.status);
		if (lastStatus === 'running') runningMs += now - last;
		last = now;
		lastStatus = status;
		if (['success', 'error', 'crashed', 'canceled'].includes(status)) break;
		if (now - started > 10 * 60_000) throw new Error(`the ${mode} run did not finish in 10 minutes`);
	}
	const totalMs = Date.now() - started;
	const execution = await n8n.execution(executionId);
	if (execution.status !== 'success') throw new Error(`the ${mode} run ended ${execution.status}`);
	const after = execution.data.resultData.runData.After?.[0];
	const items = after?.data?.main?.[0] ?? [];
	if (items.length !== batch || !items.every((i: any) => i.json.status === 'completed')) throw new Error(`the ${mode} run gave ${JSON.stringify(items.map((i: any) => i.json.status))}`);
	const jobIds = items.map((i: any) => String(i.json.jobId));
	const finishedAt = Math.max(...jobIds.map((id: string) => fake.jobs.get(id)?.completedAtMs ?? NaN));
	const calls = jobIds.reduce((sum: number, id: string) => sum + (fake.stats.statusCalls[id] ?? 0), 0);
	const deliveries = fake.webhooks.filter((d) => jobIds.includes(d.jobId)).reduce((n, d) => n + d.attempts.length, 0);
	return { mode, batch, statusCallsPerJob: calls / batch, lagMs: Number(after.startTime) - finishedAt, slotMs: runningMs, totalMs, deliveries };
}

export async function benchWaitModes(): Promise<WaitModesResult> {
	const n8nBin = process.env.MUVI_N8N_BIN;
	const nodesDir = process.env.MUVI_BENCH_NODES_DIR;
	if (!n8nBin || !nodesDir)
		return { rows: [], table: '', note: '', skipped: 'needs n8n and the packed package (scripts/bench.sh prepares them; MUVI_N8N_BIN, MUVI_BENCH_NODES_DIR)' };
	const apiKey = `pb_bench_wait_${randomBytes(6).toString('hex')}`;
	const secret = `whsec_bench_${randomBytes(6).toString('hex')}`;
	const fake = await startFakeMuvi({ apiKey, webhookSecret: secret, jobDurationMs: JOB_MS, acceptAnyModel: true, idSeed: `bench-wait-${Date.now()}` });
	const flows = {
		poll: waitFlow('BenchPoll', { waitMode: 'poll', timeoutSeconds: 900, download: false }),
		webhook: waitFlow('BenchHook', { waitMode: 'webhook', timeoutSeconds: 900, download: false }),
	};
	const dir = mkdtempSync(join(tmpdir(), 'muvi-bench-wait-'));
	let n8n: HttpsN8n | undefined;
	try {
		n8n = await startHttpsN8n({ n8nBin, nodesDir, dir, fakeUrl: fake.url, apiKey, webhookSecret: secret, workflows: Object.values(flows), concurrencyLimit: 5 });
		fake.setOptions({ webhookCa: n8n.cert });
		const rows: WaitModeRow[] = [];
		for (const batch of BATCHES) for (const mode of ['poll', 'webhook'] as const) rows.push(await runOnce(n8n, fake, flows[mode], mode, batch));
		const text = table(
			['Batch', 'Wait Mode', 'Status calls per job', 'Muvi done → workflow continues', 'Concurrency slot held', 'Whole run', 'Webhook calls'],
			rows.map((r) => [
				`${r.batch} job${r.batch === 1 ? '' : 's'}`,
				r.mode === 'poll' ? 'Poll' : 'Muvi Webhook',
				r.statusCallsPerJob.toFixed(1),
				fmtS(r.lagMs),
				fmtS(r.slotMs),
				fmtS(r.totalMs),
				r.mode === 'poll' ? '–' : String(r.deliveries),
			]),
		);
		const note =
			`Real n8n 2.41.1 over https (self-signed, trusted by the fake's webhook sender), one execution per row, one after the other; ` +
			`each job lasts ${JOB_MS / 1000} s on the fake with an accurate estimate; Download Video off. "Slot held" is the time n8n showed the execution as running ` +
			`(sampled every ${SAMPLE_MS} ms), which is what counts against N8N_CONCURRENCY_PRODUCTION_LIMIT; a waiting execution holds none. ` +
			'Muvi Webhook also reads each job once in webhook() (to check the batch and for the canonical result), which is what its status calls are.';
		return { rows, table: text, note };
	} finally {
		await n8n?.stop();
		await fake.close();
		rmSync(dir, { recursive: true, force: true });
	}
}
