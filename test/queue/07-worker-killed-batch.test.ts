/**
 * A worker dies (SIGKILL to n8n and its task runner) in the middle of a 50-item batch, while the node
 * is still submitting (issue #20). n8n saves run data and custom data only when an execution ends, so
 * the dead execution holds none of the job IDs. What must hold: the jobs submitted before the kill are
 * written in n8n's processed-data table (the database every process shares). n8n marks the dead
 * execution failed with an empty node stack, so its Retry runs no node (measured); the same batch run
 * again with Attach to Earlier Jobs, on another worker, attaches every item that has a job to it: no
 * second job for any item, and every job ID shows in that execution.
 *
 * Runs after 06 (it also replaces the killed worker before it ends).
 */
import { env, executionsOf, fake, httpJson, readState, sleep, type Execution } from '../e2e/support/n8n';
import {
	GENERATE_PATH,
	GENERATE_WORKFLOW,
	callWebhook,
	fakeJobs,
	killProcess,
	lastExecutionId,
	queue,
	record,
	restartProcess,
	setFakeOptions,
	waitForExecution,
	workerThatRan,
} from './support/queue';

test('a worker killed during a 50-item batch: n8n\'s Retry runs nothing; the batch run again with Attach to Earlier Jobs creates no second job and names every job', async () => {
	const stamp = Date.now();
	const prompts = Array.from({ length: 50 }, (_, i) => `queue batch killed ${stamp} #${i + 1}`);
	const mine = async () => (await fakeJobs()).filter((j) => prompts.includes(String(j.input?.prompt)));
	// slow submits, so that the kill lands part way through the batch
	await setFakeOptions({ latencyMs: 150 });
	const after = await lastExecutionId(GENERATE_WORKFLOW);
	let killed: (typeof queue.workers)[number] | undefined;
	try {
		expect((await callWebhook(queue.webhooks[0], GENERATE_PATH, { items: prompts.map((prompt) => ({ prompt })) })).status).toBe(200);
		const deadline = Date.now() + 120_000;
		let executionId: string | undefined;
		let worker: string | undefined;
		while (!(worker && (await mine()).length >= 15)) {
			executionId = (await executionsOf(GENERATE_WORKFLOW)).find((e) => Number(e.id) > after)?.id;
			worker = executionId ? workerThatRan(executionId) : undefined;
			if (Date.now() > deadline) throw new Error(`the batch did not start on a worker within 120 s (execution ${executionId})`);
			await sleep(100);
		}
		killed = queue.workers.find((w) => w.name === worker)!;
		await killProcess(killed.name);
		// a submit in flight at the kill still creates its job at Muvi (the fake, like a server, finishes a
		// request it has read): read the jobs once their number has stayed the same for well over a submit
		let paidBeforeKill = await mine();
		for (let stableSince = Date.now(); Date.now() - stableSince < 1_500; ) {
			await sleep(250);
			const now = await mine();
			if (now.length !== paidBeforeKill.length) stableSince = Date.now();
			paidBeforeKill = now;
		}
		await setFakeOptions({ latencyMs: 0 });
		expect(paidBeforeKill.length).toBeGreaterThanOrEqual(15);
		expect(paidBeforeKill.length).toBeLessThan(50);

		const dead = await waitForExecution(GENERATE_WORKFLOW, (e) => e.id === executionId, 280_000, after);
		expect(dead.status).not.toBe('success');
		// the dead execution keeps no job ID: n8n had not saved its run data or custom data
		const jobsInDeadExecution = paidBeforeKill.filter((j) => JSON.stringify(dead).includes(j.jobId)).length;

		// n8n's Retry of the dead execution: n8n stored it with an empty node stack, so the retry runs no node
		const { cookie } = readState();
		const res = await httpJson(`${env.n8nUrl}/rest/executions/${executionId}/retry`, {
			method: 'POST',
			headers: { cookie, 'content-type': 'application/json' },
			body: JSON.stringify({ loadWorkflow: false }),
		});
		expect(res.status).toBe(200);
		const retried = await waitForExecution(GENERATE_WORKFLOW, (e) => Number(e.id) > Number(executionId) && e.mode === 'retry', 280_000, Number(executionId));
		const retryRanTheNode = Boolean(retried.data.resultData.runData['Generate video']);
		expect((await mine()).length).toBe(paidBeforeKill.length);

		// the same batch again, with Attach to Earlier Jobs: every item that has a job is attached to it
		const rerunAfter = await lastExecutionId(GENERATE_WORKFLOW);
		expect((await callWebhook(queue.webhooks[1], GENERATE_PATH, { items: prompts.map((prompt) => ({ prompt, attach: true })) })).status).toBe(200);
		const rerun = await waitForExecution(GENERATE_WORKFLOW, (e) => e.mode !== 'retry', 280_000, rerunAfter);

		// one job per item, whoever sent it
		const jobs = await mine();
		const perPrompt = new Map<string, number>();
		for (const j of jobs) perPrompt.set(String(j.input?.prompt), (perPrompt.get(String(j.input?.prompt)) ?? 0) + 1);
		expect([...perPrompt.entries()].filter(([, n]) => n !== 1)).toEqual([]);
		// every job paid before the kill is named by the new run (an item's jobId, or the node's error when
		// an item's submit was cut by the kill and may have created a job: that item is not sent again)
		const shown = JSON.stringify(rerun.data.resultData);
		const named = paidBeforeKill.filter((j) => shown.includes(j.jobId));
		expect(named.map((j) => j.jobId)).toEqual(paidBeforeKill.map((j) => j.jobId));
		record('worker killed during a 50-item batch', {
			killedWorker: killed.name,
			jobsBeforeKill: paidBeforeKill.length,
			deadExecutionStatus: dead.status,
			jobIdsInDeadExecution: jobsInDeadExecution,
			retriedExecution: `${retried.id} ${retried.status}, ran the node: ${retryRanTheNode}`,
			rerun: `${rerun.id} ${rerun.status}`,
			jobsAfterRerun: jobs.length,
			jobsBeforeKillNamedByRerun: named.length,
		});
	} finally {
		await setFakeOptions({ latencyMs: 0, jobDurationMs: env.jobMs });
		if (killed) await restartProcess(killed);
	}
});

test('the replacement worker is ready', async () => {
	for (const w of queue.workers) expect((await fetch(`${w.url}/healthz/readiness`)).status).toBe(200);
});
