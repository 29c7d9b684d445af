/**
 * A worker dies (SIGKILL to n8n and its task runner) while the node waits for a paid job. n8n 2.x
 * never runs an execution whose worker died again (Bull's maxStalledCount is 0): it marks it failed.
 * What must hold for the user: the job was submitted once and is never submitted again, by any
 * process, and the paid job stays findable. The execution's run data dies with the worker (n8n saves
 * it at the end), so n8n's log is the place left: the killed worker's log names the job next to the
 * execution, in n8n's default log format (text, info level), where an operator looks.
 *
 * Runs last: it replaces the killed worker with a fresh one before it ends.
 */
import { env, executionsOf, fake, sleep } from '../e2e/support/n8n';
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
	waitForExecution,
	workerThatRan,
} from './support/queue';

test('the worker is killed while the node waits: no second submit, not re-run, the paid job named in its log', async () => {
	// a job that stays unfinished for the whole test, so the node is certainly waiting when the worker dies
	await setFakeOptions({ jobDurationMs: 600_000 });
	const prompt = `queue mode: worker killed while waiting, run ${Date.now()}`;
	const after = await lastExecutionId(GENERATE_WORKFLOW);
	let killed: (typeof queue.workers)[number] | undefined;
	try {
		expect((await callWebhook(queue.webhooks[0], GENERATE_PATH, { items: [{ prompt }] })).status).toBe(200);

		// the job is submitted (paid) and a worker runs the execution
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
		// the node logs the job at submit time; give the line a moment to reach the log before the kill
		await sleep(1_000);
		killed = queue.workers.find((w) => w.name === worker)!;
		const killedAt = Date.now();
		await killProcess(killed.name);

		const execution = await waitForExecution(GENERATE_WORKFLOW, (e) => e.id === executionId, 280_000, after);
		const endedAfterS = (Date.now() - killedAt) / 1000;
		expect(execution.status).not.toBe('success');
		const error = execution.data.resultData.error;
		// time for anything that would re-run it to show
		await sleep(5_000);

		const submits = (await fake<Array<{ method: string; path: string; json: any }>>('/requests')).filter(
			(r) => r.method === 'POST' && r.path === '/v1/jobs/submit' && r.json?.input?.prompt === prompt,
		);
		expect(submits).toHaveLength(1);
		expect((await fakeJobs()).filter((j) => j.input?.prompt === prompt)).toHaveLength(1);
		const later = (await executionsOf(GENERATE_WORKFLOW)).filter((e) => Number(e.id) > after);
		expect(later.map((e) => e.id)).toEqual([executionId]);

		// the paid job is findable: the killed worker's log has it with the execution
		const logLines = logOf(killed.name)
			.split('\n')
			.filter((line) => line.includes(jobId!));
		expect(logLines.some((line) => new RegExp(`\\b${executionId}\\b`).test(line))).toBe(true);

		record('worker killed while waiting', {
			killedWorker: killed.name,
			executionStatus: execution.status,
			executionError: error?.message,
			failedAfterKillS: endedAfterS,
			submits: submits.length,
			jobIdInStoredExecution: JSON.stringify(execution).includes(jobId!),
			killedWorkerLogLines: logLines,
		});
		await fake(`/jobs/${jobId}/complete`, { method: 'POST' });
	} finally {
		await setFakeOptions({ jobDurationMs: env.jobMs });
		if (killed) await restartProcess(killed);
	}
});

test('the replacement worker is ready', async () => {
	for (const w of queue.workers) expect((await fetch(`${w.url}/healthz/readiness`)).status).toBe(200);
});
