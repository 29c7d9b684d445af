/**
 * The job ledger at any batch size (n8n's engine, the fake Muvi API, n8n's processed-data table as its
 * test double): an editor Retry is a new execution (mode "retry") that may run on another process and
 * may not have the first execution's custom data (a worker that died saves none). Each item that has a
 * job is attached to it, an item whose submit may have reached Muvi is not sent again, and an item that
 * never reached Muvi is sent once.
 */
import type { IDataObject } from 'n8n-workflow';

import { startFakeMuvi, type FakeMuvi } from '../fake-muvi/server';
import { runMuviNode } from '../helpers/engine';
import { defaultProcessedData, MemoryProcessedData, useProcessedDataStore } from '../helpers/processedData';

const API_KEY = 'pb_test_durable_ledger';
let fake: FakeMuvi;
let workflows = 0;

beforeAll(async () => {
	fake = await startFakeMuvi({ apiKey: API_KEY, jobDurationMs: 300 });
});
afterAll(async () => fake.close());
beforeEach(() => {
	fake.reset();
	fake.setOptions({ jobDurationMs: 300, autoProgress: true });
});

const kling = (extra: IDataObject = {}): IDataObject => ({
	resource: 'video',
	operation: 'generate',
	model: 'kling/kling-3.0-standard/image-to-video',
	prompt: '={{ $json.prompt }}',
	imageUrl: 'https://example.com/a.jpg',
	duration: '5',
	hasSound: false,
	...extra,
});
const items = (n: number, mark = '') => Array.from({ length: n }, (_, i) => ({ prompt: `product ${i + 1}${i + 1 === Number(mark) ? ' [fail]' : ''}` }));
const submits = () => fake.requests.filter((r) => r.method === 'POST' && r.path === '/v1/jobs/submit');
const jobsPerPrompt = () => {
	const count = new Map<string, number>();
	for (const job of fake.jobs.values()) {
		const prompt = String((job.input as IDataObject).prompt);
		count.set(prompt, (count.get(prompt) ?? 0) + 1);
	}
	return count;
};

/** One workflow: its runs share n8n's processed-data row, as n8n keeps one per workflow and node. */
function workflow() {
	const workflowId = `wf-durable-${++workflows}`;
	return (parameters: IDataObject, extra: Partial<Parameters<typeof runMuviNode>[0]> = {}) =>
		runMuviNode({ credentials: { apiKey: API_KEY, baseUrl: fake.url }, parameters, typeVersion: 2, workflowId, ...extra });
}

describe('an editor Retry without the first execution\'s custom data', () => {
	test('60 items, item 38\'s job fails: each Retry pays for no item that has a job; every item is attached to its job', async () => {
		const run = workflow();
		const first = await run(kling(), { items: items(60, '38') });
		expect(first.error?.message).toMatch(/item 38|GENERATION_FAILED|failed/i);
		const paid = submits().length;
		expect(paid).toBeGreaterThanOrEqual(38);

		// items that have a job are attached; items the failure kept from being sent (if any) are sent once
		const retry = await run(kling(), { items: items(60, '38'), mode: 'retry' });
		expect(retry.error?.message).toMatch(/failed/i);
		expect(jobsPerPrompt().size).toBe(60);
		expect([...jobsPerPrompt().values()].every((n) => n === 1)).toBe(true);
		const jobOfPrompt = new Map([...fake.jobs.values()].map((j) => [String((j.input as IDataObject).prompt), j.jobId]));
		const again = await run(kling(), { items: items(60, '38'), mode: 'retry', continueOnFail: true });
		expect(submits()).toHaveLength(60);
		const promptOf = (n: number) => `product ${n}${n === 38 ? ' [fail]' : ''}`;
		// every item is its job's: 59 finished, item 38 failed (refunded) and says so
		expect(again.items.map((i, n) => (n === 37 ? i.json.outcome : i.json.jobId))).toEqual(
			items(60).map((_, n) => (n === 37 ? 'failed' : jobOfPrompt.get(promptOf(n + 1)))),
		);
	});

	test('Wait off, 120 items: the Retry attaches all 120 (0 submits), a normal run of the same items pays for new jobs', async () => {
		const run = workflow();
		const first = await run(kling({ waitForCompletion: false }), { items: items(120) });
		expect(first.error).toBeUndefined();
		const firstJobs = first.items.map((i) => i.json.jobId);
		expect(submits()).toHaveLength(120);

		const retry = await run(kling({ waitForCompletion: false }), { items: items(120), mode: 'retry' });
		expect(retry.error).toBeUndefined();
		expect(submits()).toHaveLength(120);
		expect(retry.items.map((i) => i.json.jobId)).toEqual(firstJobs);
		expect(retry.items.every((i) => i.json.outcome === 'running')).toBe(true);

		// a new execution that is not a retry is a new batch: its user wants new videos
		const again = await run(kling({ waitForCompletion: false }), { items: items(120) });
		expect(again.error).toBeUndefined();
		expect(submits()).toHaveLength(240);
		// a retry attaches to the newest job of each item
		const latest = again.items.map((i) => i.json.jobId);
		const retry2 = await run(kling({ waitForCompletion: false }), { items: items(120), mode: 'retry' });
		expect(submits()).toHaveLength(240);
		expect(retry2.items.map((i) => i.json.jobId)).toEqual(latest);
	});

	test('an item whose input changed is a new item: it is sent; the others are attached', async () => {
		const run = workflow();
		await run(kling({ waitForCompletion: false }), { items: items(3) });
		const changed = [{ prompt: 'product 1' }, { prompt: 'product 2, bluer' }, { prompt: 'product 3' }];
		const retry = await run(kling({ waitForCompletion: false }), { items: changed, mode: 'retry' });
		expect(retry.error).toBeUndefined();
		expect(submits()).toHaveLength(4);
		expect(JSON.parse(String(submits()[3].body))).toMatchObject({ input: { prompt: 'product 2, bluer' } });
	});

	test('a Stop half way: the Retry sends each remaining item once and attaches the others', async () => {
		const run = workflow();
		fake.setOptions({ latencyMs: 15 });
		const stop = new AbortController();
		const watch = setInterval(() => {
			if (submits().length >= 20) stop.abort();
		}, 2);
		const first = await run(kling({ waitForCompletion: false }), { items: items(60), abortSignal: stop.signal }).finally(() => clearInterval(watch));
		void first;
		const sentBefore = submits().length;
		expect(sentBefore).toBeGreaterThanOrEqual(20);
		expect(sentBefore).toBeLessThan(60);
		fake.setOptions({ latencyMs: 0 });

		const retry = await run(kling({ waitForCompletion: false }), { items: items(60), mode: 'retry' });
		expect(retry.error).toBeUndefined();
		expect(submits()).toHaveLength(60);
		expect([...jobsPerPrompt().entries()].filter(([, n]) => n !== 1)).toEqual([]);
		expect(jobsPerPrompt().size).toBe(60);
	});

	test('a lost answer: the Retry does not send that item again (a job may exist); a refused submit is sent again', async () => {
		const run = workflow();
		fake.injectFault({ route: 'submit', kind: 'reset-after-accept' });
		const first = await run(kling({ waitForCompletion: false }), { items: items(3), continueOnFail: true });
		expect(first.items[0].json.outcome).toBe('unknown');
		expect(submits()).toHaveLength(3);

		const retry = await run(kling({ waitForCompletion: false }), { items: items(3), mode: 'retry', continueOnFail: true });
		expect(submits()).toHaveLength(3);
		expect(String(retry.items[0].json.error)).toMatch(/may have created a job; not sent again/);
		// the job the lost answer created is named as a candidate: a job of the model no item claims, made at that time
		const lostJob = [...fake.jobs.values()].find((j) => (j.input as IDataObject).prompt === 'product 1')!;
		expect(JSON.stringify(retry.items[0].json)).toContain(lostJob.jobId);
		expect(retry.items.slice(1).map((i) => i.json.jobId)).toEqual(first.items.slice(1).map((i) => i.json.jobId));

		const refusedRun = workflow();
		fake.reset();
		fake.injectFault({ route: 'submit', kind: 'status', status: 400, code: 'INVALID_INPUT', message: 'bad image' });
		const refused = await refusedRun(kling({ waitForCompletion: false }), { items: items(3), continueOnFail: true });
		expect(refused.items[0].json.outcome).toBe('not-submitted');
		expect(submits()).toHaveLength(3);
		const retried = await refusedRun(kling({ waitForCompletion: false }), { items: items(3), mode: 'retry', continueOnFail: true });
		expect(retried.error).toBeUndefined();
		expect(submits()).toHaveLength(4);
		expect(JSON.parse(String(submits()[3].body))).toMatchObject({ input: { prompt: 'product 1' } });
		expect(retried.items.map((i) => i.json.outcome)).toEqual(['running', 'running', 'running']);
	});

	test('jobs out of submit order (an item sent by a later try, jobs of another workflow in between): each Retry still attaches every item', async () => {
		const run = workflow();
		fake.injectFault({ route: 'submit', kind: 'status', status: 400, code: 'INVALID_INPUT', message: 'bad image' });
		await run(kling({ waitForCompletion: false }), { items: items(20), continueOnFail: true });
		expect(submits()).toHaveLength(20);
		// item 1 is sent by the Retry, after the 19 others: its job is the newest
		const retry = await run(kling({ waitForCompletion: false }), { items: items(20), mode: 'retry' });
		expect(retry.error).toBeUndefined();
		expect(submits()).toHaveLength(21);
		// 30 jobs of another workflow, newer than all of these
		await workflow()(kling({ prompt: '={{ "elsewhere " + $json.prompt }}', waitForCompletion: false }), { items: items(30) });
		expect(submits()).toHaveLength(51);
		const again = await run(kling({ waitForCompletion: false }), { items: items(20), mode: 'retry' });
		expect(again.error).toBeUndefined();
		expect(submits()).toHaveLength(51);
		expect(again.items.map((i) => i.json.jobId)).toEqual(retry.items.map((i) => i.json.jobId));
	});

	test('the Retry leaves no marks of its own questions behind: the row holds what the submits wrote', async () => {
		const run = workflow();
		const workflowId = `wf-durable-${workflows}`;
		await run(kling({ waitForCompletion: false }), { items: items(10) });
		const after = defaultProcessedData.entries(workflowId, 'muvi').length;
		// per item: the write-ahead mark and the job mark
		expect(after).toBe(10 * 2);
		await run(kling({ waitForCompletion: false }), { items: items(10), mode: 'retry' });
		expect(defaultProcessedData.entries(workflowId, 'muvi').length).toBe(after);
	});

	test('another process overwrites the row mid-run (n8n reads, then writes it whole): the run writes its marks again at its end', async () => {
		const workflowId = `wf-durable-race-${++workflows}`;
		const store = new MemoryProcessedData();
		useProcessedDataStore(workflowId, store);
		let writes = 0;
		const set = store.processedData.set.bind(store.processedData);
		// the 6th write is another execution's, from a copy of the row read before this run began
		store.processedData.set = (key, value) => set(key, ++writes === 6 ? { mode: value.mode, data: [] } : value);
		const go = (mode?: 'retry') =>
			runMuviNode({ credentials: { apiKey: API_KEY, baseUrl: fake.url }, parameters: kling({ waitForCompletion: false }), typeVersion: 2, workflowId, items: items(5), mode });
		const first = await go();
		expect(first.error).toBeUndefined();
		expect(store.entries(workflowId, 'muvi')).toHaveLength(10);
		const retry = await go('retry');
		expect(submits()).toHaveLength(5);
		expect(retry.items.map((i) => i.json.jobId)).toEqual(first.items.map((i) => i.json.jobId));
	});

	test("n8n's processed-data table failing: the run still submits each item once", async () => {
		const workflowId = `wf-durable-broken-${++workflows}`;
		const store = new MemoryProcessedData();
		store.failProcessedDataCalls = 1_000;
		useProcessedDataStore(workflowId, store);
		const result = await runMuviNode({
			credentials: { apiKey: API_KEY, baseUrl: fake.url },
			parameters: kling({ waitForCompletion: false }),
			typeVersion: 2,
			workflowId,
			items: items(3),
		});
		expect(result.error).toBeUndefined();
		expect(submits()).toHaveLength(3);
		expect(result.items.map((i) => i.json.outcome)).toEqual(['running', 'running', 'running']);
	});
});

describe('Attach to Earlier Jobs (for batches n8n cannot retry: stopped, or their worker died)', () => {
	test('a new run with it on attaches every item that has a job and sends the rest once; off, it pays for new jobs', async () => {
		const run = workflow();
		const stop = new AbortController();
		fake.setOptions({ latencyMs: 15 });
		const watch = setInterval(() => {
			if (submits().length >= 10) stop.abort();
		}, 2);
		await run(kling({ waitForCompletion: false }), { items: items(40), abortSignal: stop.signal }).finally(() => clearInterval(watch));
		fake.setOptions({ latencyMs: 0 });
		const sentBefore = submits().length;
		expect(sentBefore).toBeLessThan(40);
		const before = new Map([...fake.jobs.values()].map((j) => [String((j.input as IDataObject).prompt), j.jobId]));

		// "true" as a sheet sends it
		const again = await run(kling({ waitForCompletion: false, options: { attachToEarlierJobs: 'true' } }), { items: items(40) });
		expect(again.error).toBeUndefined();
		expect(submits()).toHaveLength(40);
		expect(jobsPerPrompt().size).toBe(40);
		expect([...jobsPerPrompt().values()].every((n) => n === 1)).toBe(true);
		for (const [prompt, jobId] of before) expect(again.items[Number(prompt.replace('product ', '')) - 1].json.jobId).toBe(jobId);

		const fresh = await run(kling({ waitForCompletion: false }), { items: items(40) });
		expect(fresh.error).toBeUndefined();
		expect(submits()).toHaveLength(80);
	});

	test('"yes" is an input error naming the field and the item, before any request', async () => {
		const run = workflow();
		const result = await run(kling({ waitForCompletion: false, options: { attachToEarlierJobs: 'yes' } }), { items: items(2) });
		expect(result.error?.message).toMatch(/Item 1: "Attach to Earlier Jobs"/);
		expect(submits()).toHaveLength(0);
	});
});
