/**
 * Needs issue #11's fix (branch `money`): "the job IDs are also written where a failed or killed
 * execution keeps them (n8n's logger at submit time, with execution and item)".
 *
 * A worker killed while the node waits loses the execution's run data (n8n saves it at the end), so
 * n8n's log is the only place left: the killed worker's log must name the paid job next to the
 * execution, in n8n's default log format (text, info level), where an operator looks.
 */
import { env, executionsOf, fake, sleep } from '../../e2e/support/n8n';
import {
	GENERATE_PATH,
	GENERATE_WORKFLOW,
	callWebhook,
	fakeJobs,
	killProcess,
	lastExecutionId,
	logOf,
	queue,
	record,
	restartProcess,
	setFakeOptions,
	workerThatRan,
} from '../support/queue';

test("a worker killed while the node waits: the paid job's ID is in that worker's n8n log, with the execution", async () => {
	await setFakeOptions({ jobDurationMs: 600_000 });
	const prompt = `queue mode: job id findable after a kill, run ${Date.now()}`;
	const after = await lastExecutionId(GENERATE_WORKFLOW);
	let killed: (typeof queue.workers)[number] | undefined;
	try {
		expect((await callWebhook(queue.webhooks[1], GENERATE_PATH, { items: [{ prompt }] })).status).toBe(200);
		const deadline = Date.now() + 120_000;
		let jobId: string | undefined;
		let executionId: string | undefined;
		let worker: string | undefined;
		while (!(jobId && worker)) {
			jobId = (await fakeJobs()).find((j) => j.input?.prompt === prompt)?.jobId;
			executionId = (await executionsOf(GENERATE_WORKFLOW)).find((e) => Number(e.id) > after)?.id;
			worker = executionId ? workerThatRan(executionId) : undefined;
			if (Date.now() > deadline) throw new Error(`no submit or no worker after 120 s (job ${jobId}, execution ${executionId})`);
			await sleep(250);
		}
		// the node logs at submit time; give the log line a moment to be written before the kill
		await sleep(1_000);
		killed = queue.workers.find((w) => w.name === worker)!;
		await killProcess(killed.name);

		const lines = logOf(killed.name)
			.split('\n')
			.filter((line) => line.includes(jobId!));
		expect(lines.length).toBeGreaterThanOrEqual(1);
		expect(lines.some((line) => new RegExp(`\\b${executionId}\\b`).test(line))).toBe(true);
		record('killed worker: job id in its log', { worker: killed.name, lines });
		await fake(`/jobs/${jobId}/complete`, { method: 'POST' });
	} finally {
		await setFakeOptions({ jobDurationMs: env.jobMs });
		if (killed) await restartProcess(killed);
	}
});
