/**
 * Never pay twice, never lose a paid job (issue #11), in a real n8n: the node's Retry On Fail setting,
 * Continue On Fail, a batch with one failing item, the workflow timeout, and the editor's Retry of a
 * failed execution (through n8n's REST API, as the editor calls it). Each case counts the jobs the fake
 * Muvi created and checks what the user has afterwards: the error, the items, the execution's custom
 * data and n8n's log.
 */
import { readFileSync } from 'node:fs';

import { env, executeWorkflow, executionsOf, fake, httpJson, logFiles, readState, runN8n, runView, sleep, type Execution, type FakeJob } from './support/n8n';

const jobsWith = async (prefix: string) => (await fake<FakeJob[]>('/jobs')).filter((j) => String(j.input.prompt).startsWith(prefix));

/** The execution's custom data, as n8n stored it (the node writes each job's ID there at submit). */
function customDataOf(execution: Execution): string {
	const exec = execution as Execution & { customData?: Record<string, string>; data: { resultData: { metadata?: Record<string, string> } } };
	return JSON.stringify({ ...(exec.customData ?? {}), ...(exec.data?.resultData?.metadata ?? {}) });
}

const nodeError = (execution: Execution) => {
	const error = execution.data.resultData.error ?? execution.data.resultData.runData['Muvi Video']?.at(-1)?.error;
	return { message: String(error?.message ?? ''), description: String(error?.description ?? '') };
};

describe('Retry On Fail (3 tries)', () => {
	test("item 2's job fails: one job per item, the error and the custom data name all three", async () => {
		const run = await executeWorkflow('muviE2eMoneyRtry');
		const jobs = await jobsWith('e2e retry ');

		expect(jobs.map((j) => j.input.prompt).sort()).toEqual(['e2e retry one', 'e2e retry three', 'e2e retry two [fail]']);
		expect(run.execution.status).toBe('error');
		const { message, description } = nodeError(run.execution);
		expect(message).toMatch(/failed \(GENERATION_FAILED/);
		for (const job of jobs) {
			expect(description).toContain(job.jobId);
			expect(customDataOf(run.execution)).toContain(job.jobId);
		}
	}, 180_000);

	test('with Continue On Fail, item 1 fails: n8n retries the node, still one job per item; the failed item has jobId', async () => {
		const run = await executeWorkflow('muviE2eMoneyRtCo');
		const jobs = await jobsWith('e2e cof ');

		expect(jobs).toHaveLength(3);
		expect(run.execution.status).toBe('success');
		const items = run.items('Muvi Video');
		expect(items).toHaveLength(3);
		const failed = jobs.find((j) => j.input.prompt === 'e2e cof one [fail]')!;
		expect(items[0].json).toMatchObject({ jobId: failed.jobId, status: 'failed', errorCode: 'GENERATION_FAILED' });
		expect(items.slice(1).map((i) => i.json.status)).toEqual(['completed', 'completed']);
		expect(items[1].binary?.data?.mimeType).toBe('video/mp4');
	}, 180_000);
});

describe('a batch of 5 items, item 3 fails (no Continue On Fail)', () => {
	let failed: Execution;

	test('5 jobs; every ID in the error, in the custom data and in n8n\'s log', async () => {
		const run = await executeWorkflow('muviE2eMoneyBtch');
		failed = run.execution;
		const jobs = await jobsWith('e2e batch ');

		expect(jobs).toHaveLength(5);
		expect(run.execution.status).toBe('error');
		const { description } = nodeError(run.execution);
		for (const job of jobs) {
			expect(description).toContain(job.jobId);
			expect(customDataOf(run.execution)).toContain(job.jobId);
			// n8n's logger (the CLI process ran the execution) has each job at submit time, with execution and item
			expect(run.cli.output).toMatch(new RegExp(`Muvi job ${job.jobId} submitted by node "Muvi Video" for item \\d \\(execution ${run.execution.id}`));
		}
		expect((description.match(/\(completed, \$0\.42\)/g) ?? []).length).toBe(4);
	}, 180_000);

	test("the editor's Retry of that execution attaches to its jobs: no new submit", async () => {
		const { cookie } = readState();
		const before = (await fake<Array<{ route: string }>>('/requests')).filter((r) => r.route === 'submit').length;
		const res = await httpJson(`${env.n8nUrl}/rest/executions/${failed.id}/retry`, {
			method: 'POST',
			headers: { cookie, 'content-type': 'application/json' },
			body: JSON.stringify({ loadWorkflow: false }),
		});
		expect(res.status).toBe(200);
		let retried: Execution | undefined;
		const deadline = Date.now() + 60_000;
		while (!retried && Date.now() < deadline) {
			retried = (await executionsOf('muviE2eMoneyBtch')).find((e) => Number(e.id) > Number(failed.id) && !['new', 'running'].includes(e.status));
			if (!retried) await sleep(500);
		}
		const after = (await fake<Array<{ route: string }>>('/requests')).filter((r) => r.route === 'submit').length;

		expect(after - before).toBe(0);
		expect(await jobsWith('e2e batch ')).toHaveLength(5);
		expect(retried?.mode).toBe('retry');
		// item 3's job failed at Muvi (refunded): the retry reports it again, with every job of the run
		const { description } = nodeError(retried!);
		for (const job of await jobsWith('e2e batch ')) expect(description).toContain(job.jobId);
	}, 180_000);
});

describe('the workflow timeout ends the execution while its jobs run', () => {
	afterAll(async () => {
		await fake('/options', { method: 'POST', body: JSON.stringify({ modelDurationsMs: {} }) });
	});

	test('3 jobs, each once; the execution is canceled and the job IDs are in n8n\'s log and custom data', async () => {
		await fake('/options', { method: 'POST', body: JSON.stringify({ modelDurationsMs: { 'kling/kling-3.0-pro/text-to-video': 120_000 } }) });
		// like executeWorkflow, but a canceled execution can take a while to be stored on a busy machine
		const before = new Set((await executionsOf('muviE2eMoneyTmot')).map((e) => e.id));
		const cli = await runN8n(['execute', '--id=muviE2eMoneyTmot', '--rawOutput'], 120_000);
		let execution: Execution | undefined;
		for (const deadline = Date.now() + 90_000; !execution && Date.now() < deadline; await sleep(500))
			execution = (await executionsOf('muviE2eMoneyTmot')).find((e) => !before.has(e.id) && !['new', 'running'].includes(e.status));
		if (!execution) throw new Error(`no stored execution; the CLI (exit ${cli.code}) said:\n${cli.output.slice(-3000)}`);
		const run = { cli, execution, ...runView(execution) };
		const jobs = await jobsWith('e2e timeout ');

		expect(jobs).toHaveLength(3);
		expect(['canceled', 'error']).toContain(run.execution.status);
		const log = `${run.cli.output}\n${readFileSync(logFiles.server, 'utf8')}`;
		for (const job of jobs) expect(log).toContain(`Muvi job ${job.jobId} submitted`);
		const saved = customDataOf(run.execution);
		process.stderr.write(`[e2e money] timeout: execution ${run.execution.id} ${run.execution.status}; custom data ${saved}\n`);
		for (const job of jobs) expect(saved).toContain(job.jobId);
	}, 180_000);
});

describe("Muvi's answers around the submit (faults injected in the fake)", () => {
	const stats = () => fake<{ jobsCreated: number; submitsReceived: number }>('/stats');
	const injectSubmitFault = (spec: Record<string, unknown>) => fake('/faults', { method: 'POST', body: JSON.stringify({ route: 'submit', ...spec }) });
	afterEach(async () => {
		await fake('/faults', { method: 'DELETE' });
	});

	test('a 503 HTML page after the job was created: one submit, one job, "a job may exist" naming it', async () => {
		const before = await stats();
		await injectSubmitFault({ kind: 'status-after-accept', status: 503, html: true });
		const run = await executeWorkflow('muviE2eMoneySngl');
		const after = await stats();

		expect(after.submitsReceived - before.submitsReceived).toBe(1);
		expect(after.jobsCreated - before.jobsCreated).toBe(1);
		const newest = (await jobsWith('e2e single: ')).sort((a, b) => String(b.jobId).localeCompare(String(a.jobId)));
		const { message, description } = nodeError(run.execution);
		expect(message).toBe("The video job may have been created, but Muvi's answer was lost (HTTP 503 without a Muvi error code)");
		expect(newest.some((j) => description.includes(j.jobId))).toBe(true);
	}, 180_000);

	test("Muvi's message echoes the key: n8n never stores or prints it", async () => {
		await injectSubmitFault({ kind: 'echo-auth', status: 400, code: 'INVALID_INPUT' });
		const run = await executeWorkflow('muviE2eMoneySngl');

		const { description } = nodeError(run.execution);
		expect(description).toContain('Bearer [redacted]');
		expect(JSON.stringify(run.execution)).not.toContain(env.apiKey);
		expect(run.cli.output).not.toContain(env.apiKey);
		expect(readFileSync(logFiles.server, 'utf8')).not.toContain(env.apiKey);
	}, 180_000);

	test('a 307 redirect to another host: not followed, the key never reaches that host', async () => {
		const { createServer } = await import('node:http');
		const seen: Array<{ url?: string; authorization?: string }> = [];
		const other = createServer((req, res) => {
			seen.push({ url: req.url, authorization: req.headers.authorization });
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end('{"jobId":"job_elsewhere","status":"pending"}');
		});
		await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
		const port = (other.address() as { port: number }).port;
		try {
			await injectSubmitFault({ kind: 'redirect', location: `http://127.0.0.1:${port}/v1/jobs/submit` });
			const run = await executeWorkflow('muviE2eMoneySngl');

			expect(seen).toEqual([]);
			expect(nodeError(run.execution).message).toMatch(/redirect \(HTTP 307\) to http:\/\/127\.0\.0\.1:\d+ while submitting the job; the node does not follow it/);
		} finally {
			other.close();
		}
	}, 180_000);
});

describe('switches from a sheet', () => {
	test('"false" and "FALSE" are sent as "false"; "yes" is refused before anything is sent for any item', async () => {
		const refused = await executeWorkflow('muviE2eMoneyShet');
		expect(await jobsWith('e2e sheet ')).toHaveLength(0);
		expect(nodeError(refused.execution).message).toMatch(/^Item 3: .* must be true or false$/);

		const ok = await executeWorkflow('muviE2eMoneyShOk');
		expect(ok.execution.status).toBe('success');
		const jobs = (await jobsWith('e2e sheetok ')).sort((a, b) => String(a.input.prompt).localeCompare(String(b.input.prompt)));
		expect(jobs.map((j) => [j.input.prompt, j.input.has_sound, j.costMicroCents])).toEqual([
			['e2e sheetok one', 'false', 420_000],
			['e2e sheetok two', 'true', 630_000],
		]);
	}, 180_000);
});
