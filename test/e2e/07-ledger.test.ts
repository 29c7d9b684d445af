/**
 * Never pays twice at any batch size (issue #20), in a real n8n: 200-item batches, far beyond what the
 * execution's custom data holds (10 keys). Batches run in the CLI process (`n8n execute`; the Stop case in the server, from a webhook); the
 * editor's Retry (REST, as the editor sends it) runs in the server process, so nothing of the first run
 * is in its memory: it finds the jobs in n8n's processed-data table and Muvi's job list.
 */
import { env, executeWorkflow, executionsOf, fake, httpJson, readState, sleep, type Execution, type FakeJob } from './support/n8n';

const jobsWith = async (prefix: string) => (await fake<FakeJob[]>('/jobs')).filter((j) => String(j.input.prompt).startsWith(`${prefix} `));
const submitCount = async () => (await fake<Array<{ route: string }>>('/requests')).filter((r) => r.route === 'submit').length;

/** How many jobs each prompt has at the fake Muvi: every value must be 1. */
async function jobsPerPrompt(prefix: string): Promise<Map<string, number>> {
	const count = new Map<string, number>();
	for (const job of await jobsWith(prefix)) count.set(String(job.input.prompt), (count.get(String(job.input.prompt)) ?? 0) + 1);
	return count;
}

/** The editor's Retry of an execution ("Retry with original workflow"), and the execution it makes, once ended. */
async function retry(workflowId: string, failed: Execution): Promise<Execution> {
	const { cookie } = readState();
	const res = await httpJson(`${env.n8nUrl}/rest/executions/${failed.id}/retry`, {
		method: 'POST',
		headers: { cookie, 'content-type': 'application/json' },
		body: JSON.stringify({ loadWorkflow: false }),
	});
	expect(res.status).toBe(200);
	const deadline = Date.now() + 150_000;
	for (;;) {
		const retried = (await executionsOf(workflowId)).find((e) => Number(e.id) > Number(failed.id) && !['new', 'running', 'waiting'].includes(e.status));
		if (retried) return retried;
		if (Date.now() > deadline) throw new Error(`the retry of execution ${failed.id} did not end in 150 s`);
		await sleep(500);
	}
}

const nodeItems = (execution: Execution) => execution.data.resultData.runData['Muvi Video']?.at(-1)?.data?.main?.[0] ?? [];

describe('200 items, item 137\'s job fails (no Continue On Fail)', () => {
	let failed: Execution;
	let before: Map<string, string>;

	test('the batch: at most one job per item (the failure may stop the submits after it); the node fails', async () => {
		const run = await executeWorkflow('muviE2eLedgr200a');
		failed = run.execution;
		expect(failed.status).toBe('error');
		const perPrompt = await jobsPerPrompt('e2e ledger a');
		expect(perPrompt.size).toBeGreaterThanOrEqual(137);
		expect([...perPrompt.values()].every((n) => n === 1)).toBe(true);
		before = new Map((await jobsWith('e2e ledger a')).map((j) => [String(j.input.prompt), j.jobId]));
	}, 240_000);

	test("the editor's Retry creates 0 jobs for items that have one, and sends any other item once", async () => {
		const submitsBefore = await submitCount();
		const retried = await retry('muviE2eLedgr200a', failed);
		expect(retried.mode).toBe('retry');
		expect((await submitCount()) - submitsBefore).toBe(200 - before.size);
		const after = await jobsWith('e2e ledger a');
		expect(after).toHaveLength(200);
		for (const [prompt, jobId] of before) expect(after.filter((j) => j.input.prompt === prompt).map((j) => j.jobId)).toEqual([jobId]);
		// item 137's job failed (refunded): the retry reports that failure again, it does not pay for a new try
		const error = retried.data.resultData.error ?? retried.data.resultData.runData['Muvi Video']?.at(-1)?.error;
		expect(String(error?.message)).toMatch(/GENERATION_FAILED|failed/);
		const again = await retry('muviE2eLedgr200a', retried);
		expect(again.mode).toBe('retry');
		expect(await jobsWith('e2e ledger a')).toHaveLength(200);
	}, 400_000);
});

test('Retry On Fail (2 tries) on the same 200-item batch: still at most one job per item', async () => {
	const run = await executeWorkflow('muviE2eLedgrRoF2');
	expect(run.execution.status).toBe('error');
	const perPrompt = await jobsPerPrompt('e2e ledger r');
	expect(perPrompt.size).toBeGreaterThanOrEqual(137);
	expect([...perPrompt.entries()].filter(([, n]) => n !== 1)).toEqual([]);
}, 240_000);

describe('a 200-item batch stopped half way and retried', () => {
	test('the balance runs out after 100 jobs (Muvi refuses the next submit): after a top-up, the Retry sends each remaining item once', async () => {
		await fake('/options', { method: 'POST', body: JSON.stringify({ balanceMicroCents: 100 * 420_000 }) });
		let stopped: Execution;
		try {
			stopped = (await executeWorkflow('muviE2eLedgrBaln')).execution;
		} finally {
			await fake('/options', { method: 'POST', body: JSON.stringify({ balanceMicroCents: 1e12 }) });
		}
		expect(stopped.status).toBe('error');
		expect((await jobsWith('e2e ledger b')).length).toBe(100);

		const retried = await retry('muviE2eLedgrBaln', stopped);
		expect(retried.status).toBe('success');
		const perPrompt = await jobsPerPrompt('e2e ledger b');
		expect(perPrompt.size).toBe(200);
		expect([...perPrompt.entries()].filter(([, n]) => n !== 1)).toEqual([]);
		// every item of the retry names its job: the 100 from before, and the 100 new ones
		const jobOfPrompt = new Map((await jobsWith('e2e ledger b')).map((j) => [String(j.input.prompt), j.jobId]));
		expect(nodeItems(retried).map((i) => i.json.jobId)).toEqual(Array.from({ length: 200 }, (_, n) => jobOfPrompt.get(`e2e ledger b ${n + 1}`)));
	}, 300_000);

	test("a Stop (the workflow timeout) half way: n8n's Retry runs nothing; a new run with Attach to Earlier Jobs sends each remaining item once", async () => {
		// The batch runs in the server process, from a webhook, as a production workflow runs: a CLI run
		// (`n8n execute`) ends its process as soon as the execution is stopped, which cuts a submit in flight
		// (that item is then refused by the new run, its job named as a candidate: the worker-kill case of
		// the queue suite). The server stops the node before its next submit and keeps the answer of the one
		// in flight. The node reads Attach to Earlier Jobs from the webhook's body.
		const start = async (attach: boolean): Promise<Execution> => {
			const known = new Set((await executionsOf('muviE2eLedgrStop')).map((e) => e.id));
			const res = await httpJson(`${env.n8nUrl}/webhook/muvi-e2e-ledger-stop`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ attach }),
			});
			expect(res.status).toBe(200);
			const deadline = Date.now() + 150_000;
			for (;;) {
				const ended = (await executionsOf('muviE2eLedgrStop')).find((e) => !known.has(e.id) && !['new', 'running', 'waiting'].includes(e.status));
				if (ended) return ended;
				if (Date.now() > deadline) throw new Error('the webhook run of muviE2eLedgrStop did not end in 150 s');
				await sleep(500);
			}
		};
		// slow submits, so that the 10-second timeout stops the batch part way
		await fake('/options', { method: 'POST', body: JSON.stringify({ latencyMs: 100 }) });
		let stopped: Execution;
		try {
			stopped = await start(false);
			// the submit in flight at the stop is answered after it
			await sleep(2000);
		} finally {
			await fake('/options', { method: 'POST', body: JSON.stringify({ latencyMs: 0 }) });
		}
		const before = new Map((await jobsWith('e2e ledger s')).map((j) => [String(j.input.prompt), j.jobId]));
		process.stderr.write(`[e2e ledger] stopped execution ${stopped.id} (${stopped.status}) after ${before.size} of 200 submits\n`);
		expect(stopped.status).toBe('canceled');
		expect(before.size).toBeGreaterThan(0);
		expect(before.size).toBeLessThan(200);
		// n8n saves a stopped execution without the node it stopped (n8n-core's cancel hook), so its Retry
		// (which n8n's editor only offers for failed and crashed executions) runs nothing: nothing is paid twice
		const retried = await retry('muviE2eLedgrStop', stopped);
		expect(Boolean(retried.data.resultData.runData['Muvi Video'])).toBe(false);
		expect((await jobsWith('e2e ledger s')).length).toBe(before.size);

		const again = await start(true);
		const error = again.data.resultData.error ?? again.data.resultData.runData['Muvi Video']?.at(-1)?.error;
		expect({ status: again.status, error: error?.message }).toEqual({ status: 'success', error: undefined });
		const after = await jobsWith('e2e ledger s');
		expect(after).toHaveLength(200);
		const perPrompt = await jobsPerPrompt('e2e ledger s');
		expect([...perPrompt.values()].every((n) => n === 1)).toBe(true);
		const items = nodeItems(again);
		for (const [prompt, jobId] of before) expect(items[Number(prompt.split(' ').at(-1)) - 1].json.jobId).toBe(jobId);
	}, 300_000);
});
