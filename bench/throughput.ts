/**
 * Benchmark 3: 100 items in one execution against a plan that allows 5 concurrent jobs.
 *
 * The fake answers 429 CONCURRENT_JOBS_EXCEEDED (with details.retryAfter) to a submit while 5 jobs
 * are pending or processing. Time is scaled down 1:50: a job takes 1.6 s and retryAfter is 0.6 s,
 * i.e. an 80 s video and the docs' example retryAfter of 30 s.
 *
 * Beside the node, the same batch is sent by a "herd" client written here: every item submits at
 * once and, on 429, retries after retryAfter, then reads the job at its estimated completion time
 * (what the node did before its submit gate).
 */
import { startFakeMuvi, type FakeMuvi } from '../test/fake-muvi/server';
import { runMuviNode } from '../test/helpers/engine';
import { API_KEY, MODEL, fmtS, httpJson, sleep, submitRaw, table } from './lib';

export const ITEMS = 100;
export const CONCURRENT_JOBS = 5;
export const JOB_MS = 1_600;
export const RETRY_AFTER_S = 0.6;
const IDEAL_MS = (ITEMS / CONCURRENT_JOBS) * JOB_MS;

export interface ThroughputRow {
	client: string;
	wallMs: number;
	sent429: number;
	submits: number;
	jobsCreated: number;
	completedItems: number;
	distinctJobs: number;
	maxActive: number;
}

async function fakeWithLimit(seed: string): Promise<{ fake: FakeMuvi; maxActive: () => number; stop: () => void }> {
	const fake = await startFakeMuvi({
		apiKey: API_KEY,
		jobDurationMs: JOB_MS,
		maxConcurrentJobs: CONCURRENT_JOBS,
		retryAfterSeconds: RETRY_AFTER_S,
		idSeed: seed,
	});
	// Sampled, to show the limit was really used (and never exceeded).
	let max = 0;
	const timer = setInterval(() => {
		let active = 0;
		for (const j of fake.jobs.values()) if (j.status === 'pending' || j.status === 'processing') active++;
		max = Math.max(max, active);
	}, 5);
	return { fake, maxActive: () => max, stop: () => clearInterval(timer) };
}

async function nodeBatch(): Promise<ThroughputRow> {
	const { fake, maxActive, stop } = await fakeWithLimit('bench-throughput-node');
	try {
		const started = Date.now();
		const { items, error } = await runMuviNode({
			credentials: { apiKey: API_KEY, baseUrl: fake.url },
			parameters: { resource: 'video', operation: 'generate', model: MODEL, prompt: '={{ "item " + $json.n }}' },
			items: Array.from({ length: ITEMS }, (_, n) => ({ n })),
		});
		const wallMs = Date.now() - started;
		if (error) throw error;
		const completed = items.filter((i) => i.json.status === 'completed');
		return {
			client: 'the node (one execution, 100 items)',
			wallMs,
			sent429: fake.stats.sent429,
			submits: fake.stats.submitsReceived,
			jobsCreated: fake.stats.jobsCreated,
			completedItems: completed.length,
			distinctJobs: new Set(completed.map((i) => i.json.jobId)).size,
			maxActive: maxActive(),
		};
	} finally {
		stop();
		await fake.close();
	}
}

async function herdBatch(): Promise<ThroughputRow> {
	const { fake, maxActive, stop } = await fakeWithLimit('bench-throughput-herd');
	try {
		const started = Date.now();
		const one = async (n: number): Promise<{ jobId: string; status: string }> => {
			for (;;) {
				const answer = await submitRaw(fake.url, `item ${n}`);
				const body = answer.body as { jobId?: string; estimatedCompletionTime?: string; error?: { details?: { retryAfter?: number } } };
				if (answer.status === 429) {
					await sleep((body.error?.details?.retryAfter ?? 30) * 1000);
					continue;
				}
				if (answer.status !== 200 || !body.jobId) throw new Error(`submit answered ${answer.status}`);
				await sleep(Math.max(0, Date.parse(String(body.estimatedCompletionTime)) - Date.now()));
				for (;;) {
					const job = (await httpJson('GET', `${fake.url}/v1/jobs/${body.jobId}`)).body as { status: string };
					if (job.status === 'completed' || job.status === 'failed') return { jobId: body.jobId, status: job.status };
					await sleep(500);
				}
			}
		};
		const results = await Promise.all(Array.from({ length: ITEMS }, (_, n) => one(n)));
		const wallMs = Date.now() - started;
		const completed = results.filter((r) => r.status === 'completed');
		return {
			client: 'herd: every item retries after retryAfter',
			wallMs,
			sent429: fake.stats.sent429,
			submits: fake.stats.submitsReceived,
			jobsCreated: fake.stats.jobsCreated,
			completedItems: completed.length,
			distinctJobs: new Set(completed.map((r) => r.jobId)).size,
			maxActive: maxActive(),
		};
	} finally {
		stop();
		await fake.close();
	}
}

export interface ThroughputResult {
	rows: ThroughputRow[];
	table: string;
	note: string;
	idealMs: number;
}

export async function benchThroughput(): Promise<ThroughputResult> {
	// One after the other, so that neither slows the other down.
	const rows = [await nodeBatch(), await herdBatch()];
	const text = table(
		['Client', 'Wall time', 'vs ideal', '429 answers', 'Submits sent', 'Jobs created', 'Items completed (distinct jobs)', 'Most jobs running at once'],
		rows.map((r) => [
			r.client,
			fmtS(r.wallMs),
			`${(r.wallMs / IDEAL_MS).toFixed(2)}×`,
			r.sent429,
			r.submits,
			r.jobsCreated,
			`${r.completedItems} (${r.distinctJobs})`,
			r.maxActive,
		]),
	);
	const note =
		`${ITEMS} items, plan limit ${CONCURRENT_JOBS} concurrent jobs, job ${JOB_MS / 1000} s, retryAfter ${RETRY_AFTER_S} s ` +
		`(time scaled 1:50 from an 80 s video and the docs' example retryAfter of 30 s). Ideal = ${ITEMS} / ${CONCURRENT_JOBS} × ${JOB_MS / 1000} s = ${fmtS(IDEAL_MS)}.`;
	return { rows, table: text, note, idealMs: IDEAL_MS };
}
