/**
 * The plan limit across workers: 6 executions × 5 items, sent to both webhook processes at once and
 * run by both workers, against a Muvi account that allows 3 concurrent jobs (429
 * CONCURRENT_JOBS_EXCEEDED with details.retryAfter otherwise). Each n8n process paces its submits on
 * its own, so 429s are expected; what must hold exactly: one job per item (30), every item completed
 * with its own job, and every submit either created a job or was refused with 429. Wall time against
 * the ideal and the number of 429s are recorded, not asserted (the machine is shared).
 *
 * Time is scaled as in the benchmark (bench/throughput.ts): a job takes 3 s and retryAfter is 1.1 s,
 * i.e. an 80 s video and the docs' example retryAfter of 30 s.
 */
import { env, runView, type Execution } from '../e2e/support/n8n';
import {
	GENERATE_PATH,
	GENERATE_WORKFLOW,
	callWebhook,
	fakeJobs,
	fakeStats,
	lastExecutionId,
	promptsOf,
	queue,
	record,
	setFakeOptions,
	waitForExecution,
	workerThatRan,
} from './support/queue';

const EXECUTIONS = 6;
const ITEMS = 5;
const LIMIT = 3;
const JOB_MS = 3_000;
const RETRY_AFTER_S = 1.1;

afterAll(async () => {
	await setFakeOptions({ maxConcurrentJobs: null, retryAfterSeconds: null, jobDurationMs: env.jobMs });
});

test(`${EXECUTIONS} executions × ${ITEMS} items on two workers with a ${LIMIT}-job plan limit: exactly one job per item`, async () => {
	await setFakeOptions({ maxConcurrentJobs: LIMIT, retryAfterSeconds: RETRY_AFTER_S, jobDurationMs: JOB_MS });
	const run = `plan limit ${Date.now()}`;
	const prompts = Array.from({ length: EXECUTIONS }, (_, e) => Array.from({ length: ITEMS }, (_, i) => `${run}: execution ${e + 1}, item ${i + 1}`));
	const after = await lastExecutionId(GENERATE_WORKFLOW);
	const before = await fakeStats();
	const started = Date.now();

	const answers = await Promise.all(
		prompts.map((batch, e) => callWebhook(queue.webhooks[e % queue.webhooks.length], GENERATE_PATH, { items: batch.map((prompt) => ({ prompt })) })),
	);
	expect(answers.map((a) => a.status)).toEqual(Array(EXECUTIONS).fill(200));

	const executions: Execution[] = [];
	for (const batch of prompts) executions.push(await waitForExecution(GENERATE_WORKFLOW, (e) => promptsOf(e)[0] === batch[0], 280_000, after));
	const finishedMs = Date.now() - started;
	const stats = await fakeStats();

	// every execution succeeded with one completed item per prompt, each with its own job
	const jobIds: string[] = [];
	executions.forEach((execution, e) => {
		if (execution.status !== 'success') throw new Error(`execution ${execution.id} ended ${execution.status}: ${JSON.stringify(execution.data.resultData.error)}`);
		const items = runView(execution).items('Generate video');
		expect(items).toHaveLength(ITEMS);
		for (const item of items) {
			expect(item.json.status).toBe('completed');
			expect(item.binary?.data?.mimeType).toBe('video/mp4');
			jobIds.push(item.json.jobId);
		}
		expect(promptsOf(execution)).toEqual(prompts[e]);
	});
	expect(new Set(jobIds).size).toBe(EXECUTIONS * ITEMS);

	// what the fake Muvi account saw: exactly one job per prompt, and nothing else charged
	const jobs = (await fakeJobs()).filter((j) => String(j.input?.prompt ?? '').startsWith(run));
	expect(jobs).toHaveLength(EXECUTIONS * ITEMS);
	expect(new Set(jobs.map((j) => j.input.prompt)).size).toBe(EXECUTIONS * ITEMS);
	expect(jobs.map((j) => j.jobId).sort()).toEqual([...jobIds].sort());
	const created = stats.jobsCreated - before.jobsCreated;
	const refused = stats.sent429 - before.sent429;
	const submits = stats.submitsReceived - before.submitsReceived;
	expect(created).toBe(EXECUTIONS * ITEMS);
	expect(submits).toBe(created + refused);

	// both workers took executions (each runs at most 3 at once)
	const workers = executions.map((e) => workerThatRan(e.id));
	expect(new Set(workers)).toEqual(new Set(queue.workers.map((w) => w.name)));

	// recorded: how well the 3 slots were used, from the first job created to the last one finished
	const firstCreated = Math.min(...jobs.map((j) => j.createdAtMs));
	const lastDone = Math.max(...jobs.map((j) => j.completedAtMs ?? 0));
	const idealMs = ((EXECUTIONS * ITEMS) / LIMIT) * JOB_MS;
	record('plan limit across workers', {
		jobsCreated: created,
		submits,
		refused429: refused,
		jobsWallS: (lastDone - firstCreated) / 1000,
		idealS: idealMs / 1000,
		vsIdeal: Number(((lastDone - firstCreated) / idealMs).toFixed(2)),
		webhooksToAllFinishedS: finishedMs / 1000,
		executionsPerWorker: Object.fromEntries(queue.workers.map((w) => [w.name, workers.filter((x) => x === w.name).length])),
	});
});
