/**
 * Spending a user can cap, see and reconcile (Generate run by n8n's own engine against the fake Muvi
 * API): Max Total Cost over the run's items, Max Cost per Execution across two nodes of one execution,
 * each item's outcome with what was charged and refunded, and the execution's `muvi_cost`.
 */
import type { IDataObject } from 'n8n-workflow';

import { startFakeMuvi, type FakeMuvi } from '../fake-muvi/server';
import { runMuviNode } from '../helpers/engine';

const API_KEY = 'pb_test_spend_key';
let fake: FakeMuvi;
let baseUrl: string;

beforeAll(async () => {
	fake = await startFakeMuvi({ apiKey: API_KEY, jobDurationMs: 300 });
	baseUrl = fake.url;
});
afterAll(async () => fake.close());
beforeEach(() => {
	fake.reset();
	fake.setOptions({ jobDurationMs: 300, autoProgress: true });
});

/** Kling 3.0 Standard, 5 s without sound: $0.42 an item. */
const kling = (extra: IDataObject = {}): IDataObject => ({
	resource: 'video',
	operation: 'generate',
	model: 'kling/kling-3.0-standard/image-to-video',
	prompt: '={{ $json.prompt || "a sneaker on a pedestal" }}',
	imageUrl: 'https://example.com/a.jpg',
	duration: '5',
	hasSound: false,
	...extra,
});
const items = (n: number) => Array.from({ length: n }, (_, i) => ({ prompt: `item ${i + 1}` }));
const submits = () => fake.requests.filter((r) => r.method === 'POST' && r.path === '/v1/jobs/submit');
const run = (parameters: IDataObject, extra: Partial<Parameters<typeof runMuviNode>[0]> = {}) =>
	runMuviNode({ credentials: { apiKey: API_KEY, baseUrl }, parameters, typeVersion: 2, ...extra });

describe('Max Total Cost (USD)', () => {
	test('5 items whose estimates add up above it: nothing is sent; the error gives the sum, the limit and the dearest items', async () => {
		const result = await run(kling({ maxTotalCostUsd: 2, waitForCompletion: false }), {
			items: items(5),
		});
		expect(result.error?.message).toBe('The estimated total $2.10 of 5 items is above Max Total Cost $2.00');
		expect(result.error?.description).toMatch(/^The most expensive: item 1 \$0\.42, item 2 \$0\.42, item 3 \$0\.42\. Nothing was sent to Muvi for any item\./);
		expect(submits()).toHaveLength(0);
	});

	test('the most expensive items are named first', async () => {
		const result = await run(kling({ maxTotalCostUsd: 1, duration: '={{ $json.d }}', waitForCompletion: false }), {
			items: [{ prompt: 'a', d: '5' }, { prompt: 'b', d: '15' }, { prompt: 'c', d: '10' }],
		});
		expect(result.error?.message).toBe('The estimated total $2.52 of 3 items is above Max Total Cost $1.00');
		expect(result.error?.description).toMatch(/^The most expensive: item 2 \$1\.26, item 3 \$0\.84, item 1 \$0\.42\./);
		expect(submits()).toHaveLength(0);
	});

	test('"$25" from a sheet is a limit; under it every item is submitted once', async () => {
		const result = await run(kling({ maxTotalCostUsd: '$25', waitForCompletion: false }), { items: items(3) });
		expect(result.error).toBeUndefined();
		expect(submits()).toHaveLength(3);
		expect(result.items.map((i) => i.json.outcome)).toEqual(['running', 'running', 'running']);
	});

	test('0 means no limit; "abc" is an input error before any request', async () => {
		expect((await run(kling({ maxTotalCostUsd: 0, waitForCompletion: false }), { items: items(2) })).error).toBeUndefined();
		expect(submits()).toHaveLength(2);
		fake.reset();
		const bad = await run(kling({ maxTotalCostUsd: 'abc', waitForCompletion: false }), { items: items(2) });
		expect(bad.error?.message).toBe('Item 1: "Max Total Cost (USD)" must be a number of US dollars');
		expect(submits()).toHaveLength(0);
	});

	test('node version 1 reads it under Options; with Continue On Fail every item says it was not submitted', async () => {
		const result = await run(kling({ options: { maxTotalCostUsd: 0.5 }, waitForCompletion: false }), { items: items(2), typeVersion: 1, continueOnFail: true });
		expect(result.error).toBeUndefined();
		expect(submits()).toHaveLength(0);
		expect(result.items.map((i) => i.json)).toEqual([
			expect.objectContaining({ error: 'The estimated total $0.84 of 2 items is above Max Total Cost $0.50', outcome: 'not-submitted', costUsd: 0, netCostUsd: 0 }),
			expect.objectContaining({ outcome: 'not-submitted', costUsd: 0, refundedUsd: 0 }),
		]);
	});
});

describe('Max Cost per Execution (USD)', () => {
	test('two Generate nodes in one execution: the second stops at the limit, counting what the first spent', async () => {
		const result = await run(kling({ waitForCompletion: false }), {
			items: items(2),
			then: { parameters: kling({ maxExecutionCostUsd: 1, waitForCompletion: false }), typeVersion: 2 },
		});
		expect(result.error).toBeUndefined();
		expect(result.then?.error?.message).toBe(
			"Item 1: not submitted: it would take this execution's Muvi spend from $0.84 to $1.26, above Max Cost per Execution $1.00",
		);
		expect(result.then?.error?.description).toMatch(/This execution has spent \$0\.84 net, 2 jobs, \$0\.00 refunded on Muvi so far/);
		// the first node's two jobs, and nothing from the second
		expect(submits()).toHaveLength(2);
		expect(result.customData.muvi_cost).toBe('$0.84 net, 2 jobs, $0.00 refunded');
	});

	test('under the limit the second node submits; refunds of failed jobs count back', async () => {
		const result = await run(kling({ prompt: '[fail] first' }), {
			continueOnFail: true,
			then: { parameters: kling({ maxExecutionCostUsd: 0.5, waitForCompletion: false }), typeVersion: 2 },
		});
		// the first job failed and was refunded: $0.00 net, so the second node's $0.42 fits under $0.50
		expect(result.items[0].json).toMatchObject({ outcome: 'failed', costUsd: 0.42, refundedUsd: 0.42, netCostUsd: 0 });
		expect(result.then?.error).toBeUndefined();
		expect(result.then?.items[0].json).toMatchObject({ outcome: 'running', costUsd: 0.42, netCostUsd: 0.42 });
		expect(result.customData.muvi_cost).toBe('$0.42 net, 2 jobs, $0.42 refunded');
	});
});

describe('muvi_cost across retries', () => {
	test("Retry On Fail attaches to the jobs it paid for: each job charged once, the failed one's refund counted once", async () => {
		const result = await run(kling(), {
			items: [{ prompt: 'one' }, { prompt: 'two [fail]' }, { prompt: 'three' }],
			settings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 },
		});
		expect(result.error?.message).toMatch(/failed \(GENERATION_FAILED/);
		expect(submits()).toHaveLength(3);
		expect(result.customData.muvi_cost).toBe('$0.84 net, 3 jobs, $0.42 refunded');
	});
});

describe("each item says what happened to its money", () => {
	test('completed: charged, nothing refunded', async () => {
		const result = await run(kling());
		expect(result.items[0].json).toMatchObject({ status: 'completed', outcome: 'completed', costUsd: 0.42, refundedUsd: 0, netCostUsd: 0.42 });
		expect(result.customData.muvi_cost).toBe('$0.42 net, 1 job, $0.00 refunded');
	});

	test('failed: refunded (Continue On Fail)', async () => {
		const result = await run(kling({ prompt: '[fail] x' }), { continueOnFail: true });
		expect(result.items[0].json).toMatchObject({ status: 'failed', outcome: 'failed', costUsd: 0.42, refundedUsd: 0.42, netCostUsd: 0 });
		expect(result.customData.muvi_cost).toBe('$0.00 net, 1 job, $0.42 refunded');
	});

	test('running: Wait for Completion off', async () => {
		const result = await run(kling({ waitForCompletion: false }));
		expect(result.items[0].json).toMatchObject({ status: 'pending', outcome: 'running', costUsd: 0.42, refundedUsd: 0, netCostUsd: 0.42 });
	});

	test('unknown: the answer to the submit was lost; it counts as charged at its estimate', async () => {
		fake.injectFault({ route: 'submit', kind: 'reset-after-accept' });
		const result = await run(kling({ waitForCompletion: false }), { continueOnFail: true });
		expect(submits()).toHaveLength(1);
		expect(result.items[0].json).toMatchObject({ outcome: 'unknown', costUsd: 0.42, refundedUsd: 0, netCostUsd: 0.42 });
		expect(String(result.items[0].json.error)).toMatch(/may have been created/);
		expect(result.customData.muvi_cost).toBe('$0.42 net, 1 job, $0.00 refunded');
	});

	test('not-submitted: refused before any request, nothing charged', async () => {
		const result = await run(kling({ imageUrl: 'not a url' }), { continueOnFail: true });
		expect(submits()).toHaveLength(0);
		expect(result.items[0].json).toMatchObject({ outcome: 'not-submitted', costUsd: 0, refundedUsd: 0, netCostUsd: 0 });
		expect(result.customData.muvi_cost).toBeUndefined();
	});

	test('Job → Get and Wait for Completion report the same fields', async () => {
		const done = await run(kling());
		const jobId = String(done.items[0].json.jobId);
		const got = await run({ resource: 'job', operation: 'get', jobId });
		expect(got.items[0].json).toMatchObject({ jobId, outcome: 'completed', refundedUsd: 0 });
		const waited = await run({ resource: 'job', operation: 'waitForCompletion', jobId });
		expect(waited.items[0].json).toMatchObject({ jobId, outcome: 'completed', refundedUsd: 0 });
	});
});
