/**
 * Benchmark 1: status calls per job while waiting, and how late the end of a job is noticed.
 *
 * Three fake Muvi servers run side by side, whose estimatedCompletionTime is accurate, 30 % early and
 * 30 % late (etaFactor 1, 0.7, 1.3). On each, five jobs of 21 to 29.4 s are waited for by the node
 * (Generate with Wait for Completion, one execution per job, all running at once) and five more, with
 * the same durations, by a naive poller written here: submit, then GET the job every 5 s until it is
 * finished. Real time, nothing scaled.
 */
import { startFakeMuvi, type FakeMuvi } from '../test/fake-muvi/server';
import { runMuviNode } from '../test/helpers/engine';
import { API_KEY, MODEL, fmtS, httpJson, mean, sleep, submitRaw, table } from './lib';

export const JOB_DURATIONS_MS = [21_000, 23_100, 25_200, 27_300, 29_400];
export const NAIVE_INTERVAL_MS = 5_000;
const CASES = [
	{ label: 'accurate (etaFactor 1)', etaFactor: 1 },
	{ label: '30 % early (etaFactor 0.7)', etaFactor: 0.7 },
	{ label: '30 % late (etaFactor 1.3)', etaFactor: 1.3 },
];
const FINAL = ['completed', 'failed', 'cancelled'];

interface JobFigures {
	calls: number;
	/** ms between the job finishing and the first status answer that said so */
	lagMs: number;
}

interface PollCase {
	label: string;
	node: JobFigures[];
	naive: JobFigures[];
}

/** Status calls of a job and how long after completion the first status call saw it finished. */
function figuresFor(fake: FakeMuvi, jobId: string): JobFigures {
	const job = fake.jobs.get(jobId);
	if (!job || job.completedAtMs === null) throw new Error(`job ${jobId} did not finish`);
	const finishedAt = job.completedAtMs;
	const seen = fake.requests
		.filter((r) => r.route === 'status' && r.path.endsWith(`/${jobId}`) && Date.parse(r.at) >= finishedAt)
		.map((r) => Date.parse(r.at));
	if (seen.length === 0) throw new Error(`nobody asked about job ${jobId} after it finished`);
	return { calls: fake.stats.statusCalls[jobId] ?? 0, lagMs: Math.min(...seen) - finishedAt };
}

/** The naive client: submit, then GET the job every 5 s until it is finished. */
async function naivePoller(fake: FakeMuvi): Promise<string> {
	const answer = await submitRaw(fake.url, 'naive poller');
	const jobId = (answer.body as { jobId: string }).jobId;
	for (;;) {
		await sleep(NAIVE_INTERVAL_MS);
		const status = await httpJson('GET', `${fake.url}/v1/jobs/${jobId}`);
		if (FINAL.includes(String((status.body as { status?: string }).status))) return jobId;
	}
}

async function nodeWaits(fake: FakeMuvi): Promise<string> {
	const { items, error } = await runMuviNode({
		credentials: { apiKey: API_KEY, baseUrl: fake.url },
		parameters: { resource: 'video', operation: 'generate', model: MODEL, prompt: 'polling bench' },
	});
	if (error) throw error;
	if (items[0]?.json.status !== 'completed') throw new Error(`the node returned ${JSON.stringify(items[0]?.json)}`);
	return String(items[0].json.jobId);
}

async function runCase(label: string, etaFactor: number): Promise<PollCase> {
	const fake = await startFakeMuvi({ apiKey: API_KEY, etaFactor, idSeed: `bench-poll-${etaFactor}` });
	try {
		const nodeRuns: Array<Promise<string>> = [];
		const naiveRuns: Array<Promise<string>> = [];
		// The fake reads jobDurationMs when a job is created: start each pair once the previous jobs exist.
		for (const [i, duration] of JOB_DURATIONS_MS.entries()) {
			fake.setOptions({ jobDurationMs: duration });
			nodeRuns.push(nodeWaits(fake));
			naiveRuns.push(naivePoller(fake));
			await fake.waitFor(() => fake.stats.jobsCreated === 2 * (i + 1));
		}
		const [nodeIds, naiveIds] = await Promise.all([Promise.all(nodeRuns), Promise.all(naiveRuns)]);
		return { label, node: nodeIds.map((id) => figuresFor(fake, id)), naive: naiveIds.map((id) => figuresFor(fake, id)) };
	} finally {
		await fake.close();
	}
}

export interface PollingResult {
	cases: PollCase[];
	table: string;
	note: string;
}

export async function benchPolling(): Promise<PollingResult> {
	const cases = await Promise.all(CASES.map((c) => runCase(c.label, c.etaFactor)));
	const avgCalls = (f: JobFigures[]) => mean(f.map((x) => x.calls)).toFixed(1);
	const lag = (f: JobFigures[]) => `${fmtS(mean(f.map((x) => x.lagMs)))} (max ${fmtS(Math.max(...f.map((x) => x.lagMs)))})`;
	const text = table(
		['Estimated completion time', 'Node: status calls per job', 'Node: noticed after (mean)', 'Naive 5 s poller: calls per job', 'Naive: noticed after (mean)'],
		cases.map((c) => [c.label, avgCalls(c.node), lag(c.node), avgCalls(c.naive), lag(c.naive)]),
	);
	const note =
		`${JOB_DURATIONS_MS.length} jobs per row for each client, lasting ${JOB_DURATIONS_MS.map((d) => d / 1000).join(', ')} s, all waited for at once; ` +
		`real time (nothing scaled), the naive poller asks every ${NAIVE_INTERVAL_MS / 1000} s. The ideal is 1 call per job.`;
	return { cases, table: text, note };
}
