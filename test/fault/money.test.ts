/**
 * Never pay twice, never lose a paid job (issue #11): n8n's own mechanisms (Retry On Fail, Continue
 * On Fail, batches, Stop, the editor's Retry of an execution) and Muvi's server errors, run through
 * n8n's engine against the fake Muvi. Each case counts the jobs the fake created and checks what the
 * user has afterwards: the items, the error (with every job of the run) and the execution's custom data.
 */
import { WorkflowExecute } from 'n8n-core';
import type { IDataObject, IRun } from 'n8n-workflow';

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { CANARY_KEY, MODEL, canarySightings, closeFakes, expectNoCanaryInLogs, generate, installLogCapture, logLines, run, startFake, submits } from './support';
import type { FakeMuvi } from '../fake-muvi/server';

beforeAll(installLogCapture);
afterAll(async () => {
	await closeFakes();
	expectNoCanaryInLogs();
});

const PRO = 'kling/kling-3.0-pro/text-to-video';
const retry3 = { settings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 } };
const three = (second: IDataObject = { prompt: 'item two [fail]' }) => [{ prompt: 'item one' }, second, { prompt: 'item three' }];
const jobsOf = (fake: FakeMuvi) => [...fake.jobs.values()];
const jobsPerPrompt = (fake: FakeMuvi) => {
	const count: Record<string, number> = {};
	for (const j of jobsOf(fake)) count[String(j.input.prompt)] = (count[String(j.input.prompt)] ?? 0) + 1;
	return count;
};
/** The execution's custom data (n8n saves it with failed and stopped executions). */
const customData = (r: { run: IRun }) => Object.values(r.run.data.resultData.metadata ?? {}).join(' ');

describe('n8n Retry On Fail (3 tries) attaches to the jobs it paid for', () => {
	test.concurrent("item 2's job fails: one job per item, the error lists all three", async () => {
		const fake = await startFake();
		const result = await run(fake, generate(), { items: three(), ...retry3 });

		expect(jobsPerPrompt(fake)).toEqual({ 'item one': 1, 'item two [fail]': 1, 'item three': 1 });
		expect(submits(fake)).toHaveLength(3);
		expect(result.error?.message).toMatch(/^Muvi job job_\w+ failed \(GENERATION_FAILED/);
		for (const job of jobsOf(fake)) {
			expect(result.error?.description).toContain(job.jobId);
			expect(customData(result)).toContain(job.jobId);
		}
		expect(result.error?.description).toMatch(/item 1: job_\w+ \(completed, \$0\.42\); item 2: job_\w+ \(failed \(refunded\), \$0\.42\); item 3: job_\w+ \(completed, \$0\.42\)/);
		expect(result.error?.description).toContain('Job → Wait for Completion');
		expect(canarySightings(result)).toEqual([]);
	});

	test.concurrent("item 2's image URL is invalid: nothing is submitted for any item, on any try", async () => {
		const fake = await startFake();
		const result = await run(
			fake,
			{ ...generate(), model: 'kling/kling-3.0-standard/image-to-video', imageUrl: '={{ $json.image }}' },
			{ items: [{ image: 'https://example.com/a.jpg' }, { image: 'not a url' }, { image: 'https://example.com/c.jpg' }], ...retry3 },
		);

		expect(fake.stats.submitsReceived).toBe(0);
		expect(fake.stats.jobsCreated).toBe(0);
		expect(result.error?.message).toMatch(/^Item 2: "Image URL" \(imageUrl\) of .* must be a web address/);
		expect(result.error?.description).toContain('Input Source');
		expect(result.error?.description).toContain('Nothing was sent to Muvi');
	});

	test.concurrent('item 2 times out: one job per item; no retry (a timeout is no node error), item 2 says it is paid and running', async () => {
		// Muvi finishes items 1 and 3 at once; item 2's job is still running after the Timeout
		const fake = await startFake({ autoProgress: false });
		const finishing = setInterval(() => {
			for (const job of fake.jobs.values()) if (job.status === 'pending' && job.input.prompt !== 'two') fake.completeJob(job.jobId);
		}, 50);
		const result = await run(fake, generate({ options: { timeout: 3 } }), {
			items: [{ prompt: 'one' }, { prompt: 'two' }, { prompt: 'three' }],
			...retry3,
		}).finally(() => clearInterval(finishing));

		expect(jobsPerPrompt(fake)).toEqual({ one: 1, two: 1, three: 1 });
		expect(result.error).toBeUndefined();
		expect(result.items.map((i) => i.json.outcome)).toEqual(['completed', 'running', 'completed']);
		expect(String(result.items[1].json.error)).toMatch(/^Job job_\w+ is still (pending|processing) after 3 seconds: it is paid/);
	});

	test.concurrent("item 1's submit gets a 500 after Muvi created the job: no try sends it again, nor spends on item 2", async () => {
		const fake = await startFake();
		fake.injectFault({ route: 'submit', kind: 'status-after-accept', status: 500, code: 'INTERNAL_ERROR' });
		const result = await run(fake, generate(), { items: [{ prompt: 'one' }, { prompt: 'two' }], ...retry3 });

		// the failed submit stops the ones after it (no Continue On Fail), on every try
		expect(jobsPerPrompt(fake)).toEqual({ one: 1 });
		expect(submits(fake)).toHaveLength(1);
		expect(result.error?.message).toBe("Item 1: an earlier try's submit may have created a job; not sent again");
		expect(customData(result)).toMatch(/#1=\?\/[0-9a-f]{8}/);
	});

	test.concurrent('with Continue On Fail, item 1 fails: n8n retries the node, still one job per item; the failed item carries jobId', async () => {
		const fake = await startFake();
		const result = await run(fake, generate(), {
			items: [{ prompt: 'one [fail]' }, { prompt: 'two' }, { prompt: 'three' }],
			continueOnFail: true,
			...retry3,
		});

		expect(jobsPerPrompt(fake)).toEqual({ 'one [fail]': 1, two: 1, three: 1 });
		// n8n re-ran the node (its retry on a first item with `error`): the later runs only read statuses
		const failedJob = jobsOf(fake).find((j) => j.input.prompt === 'one [fail]')!;
		expect(fake.stats.statusCalls[failedJob.jobId]).toBeGreaterThanOrEqual(3);
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(3);
		expect(result.items[0].json).toMatchObject({ jobId: failedJob.jobId, status: 'failed', errorCode: 'GENERATION_FAILED' });
		expect(result.items.slice(1).map((i) => i.json.status)).toEqual(['completed', 'completed']);
	});
});

describe('a batch of 5 items', () => {
	test.concurrent("item 3's job fails without Continue On Fail: the error and the execution name all 5 paid jobs", async () => {
		const fake = await startFake();
		const items = [1, 2, 3, 4, 5].map((n) => ({ prompt: n === 3 ? 'item 3 [fail]' : `item ${n}` }));
		const result = await run(fake, generate(), { items });

		expect(fake.stats.jobsCreated).toBe(5);
		expect(result.items).toHaveLength(0);
		const ids = jobsOf(fake).map((j) => j.jobId);
		for (const id of ids) {
			expect(result.error?.description).toContain(id);
			expect(customData(result)).toContain(id);
		}
		expect((result.error?.description?.match(/\(completed, \$0\.42\)/g) ?? []).length).toBe(4);
		// and n8n's log has each job with the execution and the item, at submit time
		for (const [i, id] of ids.entries())
			expect(logLines.some((l) => l.text.includes(`Muvi job ${id} submitted`) && l.text.includes(`item ${i + 1} (execution test-execution-`))).toBe(true);
	});

	test.concurrent('Wait off, item 3 invalid (prompt of spaces): nothing is submitted', async () => {
		const fake = await startFake();
		const items = [1, 2, 3, 4, 5].map((n) => ({ prompt: n === 3 ? '   ' : `item ${n}` }));
		const result = await run(fake, generate({ waitForCompletion: false }), { items });

		expect(fake.stats.submitsReceived).toBe(0);
		expect(result.error?.message).toBe('Item 3: "Prompt" (prompt) is required for Kling 3.0 Standard — Text to Video');
		// a NodeOperationError without an HTTP code: the editor shows no "Error code" line for it
		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.httpCode).toBeUndefined();
		expect(result.error?.description).toContain('Nothing was sent to Muvi for any item');
	});
});

describe('Stop means stop', () => {
	test.concurrent('stopped while the first submit is on its way: no further submit, no status reads, the job is kept', async () => {
		const fake = await startFake({ jobDurationMs: 5000 });
		fake.injectFault({ route: 'submit', kind: 'delay', ms: 1500 });
		const stop = new AbortController();
		void fake.waitFor(() => submits(fake).length >= 1, 10_000).then(() => stop.abort());
		const started = Date.now();
		const result = await run(fake, generate(), { items: three({ prompt: 'two' }), abortSignal: stop.signal }).catch((e: Error) => ({ error: e }) as never);
		const elapsed = Date.now() - started;
		// the submit already sent is answered 1.5 s after it arrived; the node records that job, then stops
		await fake.waitFor(() => fake.jobs.size >= 1, 10_000);
		const [created] = fake.jobs.keys();
		await fake.waitFor(() => logLines.some((l) => l.text.includes(`Muvi job ${created} submitted`)), 10_000).catch(() => undefined);
		await new Promise((r) => setTimeout(r, 1000));

		expect(elapsed).toBeLessThan(8000);
		expect(submits(fake)).toHaveLength(1);
		expect(fake.stats.jobsCreated).toBe(1);
		expect(Object.values(fake.stats.statusCalls).reduce((a, b) => a + b, 0)).toBe(0);
		const [jobId] = fake.jobs.keys();
		expect(logLines.filter((l) => l.text.includes(jobId)).map((l) => l.text.slice(0, 120))).toEqual(
			expect.arrayContaining([expect.stringContaining(`Muvi job ${jobId} submitted by node "Muvi Video" for item 1`)]),
		);
		if (result.run) expect(customData(result)).toContain(jobId);
	});

	test.concurrent('stopped while waiting: the wait ends at once, the jobs stay in the custom data', async () => {
		const fake = await startFake({ jobDurationMs: 30_000 });
		const stop = new AbortController();
		void fake.waitFor(() => fake.stats.jobsCreated >= 3, 10_000).then(() => setTimeout(() => stop.abort(), 300));
		const started = Date.now();
		const result = await run(fake, generate(), { items: three({ prompt: 'two' }), abortSignal: stop.signal });

		expect(Date.now() - started).toBeLessThan(10_000);
		expect(fake.stats.jobsCreated).toBe(3);
		for (const id of fake.jobs.keys()) expect(customData(result)).toContain(id);
	});
});

describe("the editor's Retry of a failed execution", () => {
	test.concurrent('sees the jobs of the failed execution (its custom data) and attaches to them', async () => {
		const fake = await startFake();
		const first = await run(fake, generate(), { items: three() });
		expect(fake.stats.jobsCreated).toBe(3);
		expect(first.error).toBeDefined();

		// what n8n's ExecutionService.retry does: the old execution's data, minus the failed run, in mode "retry"
		const data = first.run.data;
		delete data.resultData.error;
		data.resultData.runData['Muvi Video'].pop();
		const { additionalDataFor, nodeTypes } = await import('../helpers/engine');
		const { Workflow } = await import('n8n-workflow');
		const nodes = [
			{ id: 'start', name: 'Start', type: 'test.start', typeVersion: 1, position: [0, 0] as [number, number], parameters: { items: JSON.stringify(three()) } },
			{
				id: 'muvi',
				name: 'Muvi Video',
				type: 'n8n-nodes-muvi.muviVideo',
				typeVersion: 1,
				position: [200, 0] as [number, number],
				parameters: generate(),
				credentials: { muviApi: { id: 'cred-1', name: 'Muvi test' } },
			},
		];
		const connections = { Start: { main: [[{ node: 'Muvi Video', type: 'main' as const, index: 0 }]] } };
		const workflow = new Workflow({ id: 'wf-1', name: 'test', nodes, connections, active: false, nodeTypes, settings: {} });
		const additional = additionalDataFor({ apiKey: CANARY_KEY, baseUrl: fake.url }, { id: 'wf-1', nodes, connections } as never);
		const retried = await new WorkflowExecute(additional, 'retry', data).processRunExecutionData(workflow);

		expect(fake.stats.jobsCreated).toBe(3);
		expect(submits(fake)).toHaveLength(3);
		const error = retried.data.resultData.error as Error & { description?: string };
		expect(error?.message).toMatch(/failed \(GENERATION_FAILED/);
		for (const id of fake.jobs.keys()) expect(error.description).toContain(id);
	});
});

describe("Muvi's answers after the job was created", () => {
	test.concurrent('a cut connection, the job visible in the list only 2.5 s later: not sent again, the error names it', async () => {
		const fake = await startFake({ jobListLagMs: 2500 });
		fake.injectFault({ route: 'submit', kind: 'reset-after-accept' });
		const result = await run(fake, generate());

		expect(submits(fake)).toHaveLength(1);
		expect(fake.stats.jobsCreated).toBe(1);
		const [jobId] = fake.jobs.keys();
		expect(result.error?.message).toBe("The video job may have been created, but Muvi's answer was lost (the connection was cut)");
		expect(result.error?.description).toContain(jobId);
		expect(logLines.some((l) => l.text.includes('Muvi job may exist for item 1') && l.text.includes(jobId))).toBe(true);
	});

	test.concurrent('a 503 HTML page from a proxy: one submit, one job, "a job may exist" naming it', async () => {
		const fake = await startFake();
		fake.injectFault({ route: 'submit', kind: 'status-after-accept', status: 503, html: true });
		const result = await run(fake, generate());

		expect(submits(fake)).toHaveLength(1);
		expect(fake.stats.jobsCreated).toBe(1);
		const [jobId] = fake.jobs.keys();
		expect(result.error?.message).toBe("The video job may have been created, but Muvi's answer was lost (HTTP 503 without a Muvi error code)");
		expect(result.error?.description).toContain(jobId);
	});

	test.concurrent.each([
		[500, 'INTERNAL_ERROR'],
		[504, 'GATEWAY_TIMEOUT'],
	])('%i %s: one job, the error says a job may exist (not "try again later")', async (status, code) => {
		const fake = await startFake();
		fake.injectFault({ route: 'submit', kind: 'status-after-accept', status, code });
		const result = await run(fake, generate(), { continueOnFail: true });

		expect(submits(fake)).toHaveLength(1);
		expect(fake.stats.jobsCreated).toBe(1);
		const [jobId] = fake.jobs.keys();
		expect(result.items[0].json.error).toBe(`The video job may have been created, but Muvi's answer was lost (HTTP ${status} ${code})`);
		expect(result.items[0].json.possibleJobIds).toEqual([jobId]);
		expect(String(result.items[0].json.errorDescription)).not.toMatch(/try again/i);
	});

	test.concurrent('a JSON 503 PUBSUB_PUBLISH_FAILED (nothing queued): sent again, one job', async () => {
		const fake = await startFake();
		fake.injectFault({ route: 'submit', kind: 'status', status: 503, code: 'PUBSUB_PUBLISH_FAILED' });
		const result = await run(fake, generate({ waitForCompletion: false }));

		expect(result.error).toBeUndefined();
		expect(submits(fake)).toHaveLength(2);
		expect(fake.stats.jobsCreated).toBe(1);
	});

	test.concurrent('a connection that never opened: sent again once Muvi is reachable, one job', async () => {
		const fake = await startFake();
		// a port with nothing listening at first: the connection is refused, nothing was sent
		const gate = createServer();
		await new Promise<void>((r) => gate.listen(0, '127.0.0.1', r));
		const port = (gate.address() as AddressInfo).port;
		await new Promise((r) => gate.close(r));
		const proxy = createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => {
				void fetch(`${fake.url}${req.url}`, { method: req.method, headers: req.headers as never, body: req.method === 'GET' ? undefined : Buffer.concat(chunks) }).then(
					async (r) => {
						res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/json' });
						res.end(Buffer.from(await r.arrayBuffer()));
					},
				);
			});
		});
		setTimeout(() => proxy.listen(port, '127.0.0.1'), 700);
		try {
			const result = await runWithBase(fake, `http://127.0.0.1:${port}`, generate({ waitForCompletion: false }));
			expect(result.error).toBeUndefined();
			expect(submits(fake)).toHaveLength(1);
			expect(fake.stats.jobsCreated).toBe(1);
		} finally {
			proxy.close();
		}
	});
});

describe('inputs from sheets and forms', () => {
	test.concurrent('"false" for Generate Sound is sent as "false" (no sound, no +50 %)', async () => {
		const fake = await startFake();
		const result = await run(fake, generate({ waitForCompletion: false, hasSound: '={{ $json.sound }}' }), { items: [{ sound: 'false' }, { sound: 'TRUE' }] });

		expect(result.error).toBeUndefined();
		expect(submits(fake).map((r) => (r.json as { input: IDataObject }).input.has_sound)).toEqual(['false', 'true']);
		expect(result.items.map((i) => i.json.costMicroCents)).toEqual([420_000, 630_000]);
	});

	test.concurrent.each([['yes'], ['1'], ['no']])('Generate Sound %j is refused before any request (an empty cell means "not given")', async (sound) => {
		const fake = await startFake();
		const result = await run(fake, generate({ hasSound: '={{ $json.sound }}' }), { items: [{ sound: 'true' }, { sound }] });

		expect(fake.stats.requests).toBe(0);
		expect(result.error?.message).toMatch(/^Item 2: "Generate Sound"|^Item 2: "Has Sound"|^Item 2: .*must be true or false/);
	});

	test.concurrent.each([
		['Max Cost', { maxCostUsd: '={{ $json.v }}' }, 'NaN'],
		['Max Cost', { maxCostUsd: '={{ $json.v }}' }, 'abc'],
		['Max Cost', { maxCostUsd: '={{ $json.v }}' }, -1],
		['Timeout', { timeout: '={{ $json.v }}' }, -5],
		['Timeout', { timeout: '={{ $json.v }}' }, 'abc'],
	])('%s %j is refused before any request', async (label, option, value) => {
		const fake = await startFake();
		const v = value === 'NaN' ? '={{ NaN }}' : undefined;
		const options = Object.fromEntries(Object.entries(option).map(([k, e]) => [k, v ?? e]));
		const result = await run(fake, generate({ options }), { items: [{ v: 1 }, { v: value }] });

		expect(fake.stats.requests).toBe(0);
		expect(result.error?.message).toMatch(new RegExp(`^Item ${v ? 1 : 2}: "${label}.*" must be a number of 0 or more`));
	});

	test.concurrent('"Max Cost" as text from a sheet works as a number', async () => {
		const fake = await startFake();
		const result = await run(fake, generate({ waitForCompletion: false, options: { maxCostUsd: '={{ "0.40" }}' } }));
		expect(fake.stats.requests).toBe(0);
		expect(result.error?.message).toBe('Item 1: The estimated cost $0.42 (420,000 micro-cents) is above Max Cost $0.40');
	});

	test.concurrent('a custom slug must look like provider/model[/capability]', async () => {
		const fake = await startFake();
		const result = await run(fake, { resource: 'video', operation: 'generate', model: 'custom', customModel: 'not a slug', inputJson: '{"prompt":"x"}' });
		expect(fake.stats.requests).toBe(0);
		expect(result.error?.message).toBe('Item 1: "Model Slug" must look like provider/model or provider/model/capability');
	});
});

describe('secrets', () => {
	test.concurrent("Muvi's error message echoes the key: it is removed before any error, item or log", async () => {
		const fake = await startFake();
		fake.injectFault({ route: 'submit', kind: 'echo-auth', status: 400, code: 'INVALID_INPUT' });
		const result = await run(fake, generate());

		expect(fake.stats.jobsCreated).toBe(0);
		expect(result.error?.description).toContain('Request rejected (authorization: Bearer [redacted])');
		expect(canarySightings(result)).toEqual([]);
	});

	test.concurrent('a 307 redirect to another host is not followed: the key never reaches it', async () => {
		const fake = await startFake();
		const other = await startFake({ apiKey: 'pb_other_host_key' });
		fake.injectFault({ route: 'submit', kind: 'redirect', location: `${other.url}/v1/jobs/submit` });
		const result = await run(fake, generate());

		expect(other.requests).toHaveLength(0);
		expect(fake.stats.jobsCreated + other.stats.jobsCreated).toBe(0);
		expect(result.error?.message).toMatch(/answered with a redirect \(HTTP 307\) to http:\/\/127\.0\.0\.1:\d+ while submitting the job; the node does not follow it/);
		expect(canarySightings(result)).toEqual([]);
	});
});

async function runWithBase(fake: FakeMuvi, baseUrl: string, parameters: IDataObject) {
	const { runMuviNode } = await import('../helpers/engine');
	void fake;
	return await runMuviNode({ credentials: { apiKey: CANARY_KEY, baseUrl }, parameters });
}
