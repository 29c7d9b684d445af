/**
 * Muvi saying no: 429 CONCURRENT_JOBS_EXCEEDED (with and without retryAfter) and 402
 * INSUFFICIENT_BALANCE in the middle of a batch. Each case counts the jobs created and the items
 * produced: a refused submit is sent again only when it is its turn, never creates a second job, and
 * a batch that runs out of money keeps what it already made.
 */
import type { FakeMuvi } from '../fake-muvi/server';
import { CANARY_KEY, MODEL, canarySightings, closeFakes, expectNoCanaryInLogs, generate, installLogCapture, promptOf, run, startFake, submits } from './support';

beforeAll(installLogCapture);
afterAll(async () => {
	await closeFakes();
	expectNoCanaryInLogs();
});

/** A job created outside the node (another workflow, the dashboard …) that holds a slot. */
async function outsideJob(fake: FakeMuvi): Promise<string> {
	const res = await fetch(`${fake.url}/v1/jobs/submit`, {
		method: 'POST',
		headers: { authorization: `Bearer ${CANARY_KEY}`, 'content-type': 'application/json' },
		body: JSON.stringify({ model: MODEL, input: { prompt: 'outside' } }),
	});
	expect(res.status).toBe(200);
	return ((await res.json()) as { jobId: string }).jobId;
}

const gapsMs = (times: number[]) => times.slice(1).map((t, i) => t - times[i]);

describe('429 CONCURRENT_JOBS_EXCEEDED', () => {
	test.concurrent('with retryAfter: asked again no sooner than retryAfter, one job for the item', async () => {
		const fake = await startFake({ maxConcurrentJobs: 1, retryAfterSeconds: 0.3, jobDurationMs: 3000 });
		await outsideJob(fake);
		const result = await run(fake, generate({ waitForCompletion: false }));

		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		expect(result.items[0].json.status).toBe('pending');
		expect(fake.stats.jobsCreated).toBe(2);
		const nodeSubmits = submits(fake).slice(1);
		expect(nodeSubmits.length).toBe(fake.stats.sent429 + 1);
		// the outside job holds the slot for 3 s: several refusals, each followed by a wait of retryAfter
		expect(fake.stats.sent429).toBeGreaterThanOrEqual(3);
		const gaps = gapsMs(nodeSubmits.map((r) => Date.parse(r.at)));
		expect(gaps.length).toBeGreaterThanOrEqual(3);
		expect(Math.min(...gaps)).toBeGreaterThanOrEqual(280);
		expect(canarySightings(result)).toEqual([]);
	});

	test.concurrent('with a Retry-After header instead of the body field: the header is honoured', async () => {
		const fake = await startFake({ maxConcurrentJobs: 1, retryAfterSeconds: 1, omitRetryAfter: true, retryAfterHeader: true, jobDurationMs: 2500 });
		await outsideJob(fake);
		const result = await run(fake, generate({ waitForCompletion: false }));

		expect(result.error).toBeUndefined();
		expect(fake.stats.jobsCreated).toBe(2);
		const gaps = gapsMs(submits(fake).slice(1).map((r) => Date.parse(r.at)));
		expect(gaps.length).toBeGreaterThanOrEqual(1);
		expect(Math.min(...gaps)).toBeGreaterThanOrEqual(950);
		expect(canarySightings(result)).toEqual([]);
	});

	test.concurrent('without retryAfter: the next item goes as soon as this execution’s job finishes, not after the 30 s fallback', async () => {
		// long enough that the second submit (sent right after the first answer) meets the running first job, even on a busy machine
		const fake = await startFake({ maxConcurrentJobs: 1, omitRetryAfter: true, jobDurationMs: 2500 });
		const started = Date.now();
		const result = await run(fake, generate(), { items: [{ prompt: 'first' }, { prompt: 'second' }] });

		expect(result.error).toBeUndefined();
		expect(Date.now() - started).toBeLessThan(15_000);
		expect(result.items.map((i) => i.json.status)).toEqual(['completed', 'completed']);
		expect(result.items.map((i) => promptOf(fake, String(i.json.jobId)))).toEqual(['first', 'second']);
		expect(fake.stats.jobsCreated).toBe(2);
		expect(fake.stats.sent429).toBe(1);
		expect(submits(fake)).toHaveLength(3);
		expect(canarySightings(result)).toEqual([]);
	});

	test.concurrent('without retryAfter and a Timeout shorter than the 30 s fallback: a clear error at once, no job', async () => {
		const fake = await startFake({ maxConcurrentJobs: 1, omitRetryAfter: true, jobDurationMs: 60_000 });
		await outsideJob(fake);
		const started = Date.now();
		const result = await run(fake, generate({ options: { timeout: 10 } }));

		expect(Date.now() - started).toBeLessThan(9000); // before the 10 s Timeout: the node did not wait it out
		expect(fake.stats.jobsCreated).toBe(1);
		expect(submits(fake)).toHaveLength(2);
		expect(result.error?.message).toBe('Your Muvi plan is already running as many jobs as it allows');
		expect(result.error?.description).toMatch(/send fewer items at once/);
		expect(canarySightings(result)).toEqual([]);
	});

	test.concurrent('20 items against a limit of 3: exactly 20 jobs, never more than 3 at once, few 429s', async () => {
		const fake = await startFake({ maxConcurrentJobs: 3, retryAfterSeconds: 0.2, jobDurationMs: 400 });
		let maxActive = 0;
		const sampler = setInterval(() => {
			const active = [...fake.jobs.values()].filter((j) => j.status === 'pending' || j.status === 'processing').length;
			maxActive = Math.max(maxActive, active);
		}, 5);
		const prompts = Array.from({ length: 20 }, (_, i) => ({ prompt: `item ${i}` }));
		const result = await run(fake, generate(), { items: prompts }).finally(() => clearInterval(sampler));

		expect(result.error).toBeUndefined();
		expect(fake.stats.jobsCreated).toBe(20);
		expect(result.items.map((i) => i.json.status)).toEqual(prompts.map(() => 'completed'));
		expect(result.items.map((i) => promptOf(fake, String(i.json.jobId)))).toEqual(prompts.map((p) => p.prompt));
		expect(maxActive).toBe(3);
		// 17 refused in the first burst, then two or three per round of 3: about 30. Retrying every refused
		// item after retryAfter (the node before its submit gate) got 92 here.
		expect(fake.stats.sent429).toBeLessThan(60);
		expect(canarySightings(result)).toEqual([]);
	});
});

describe('402 INSUFFICIENT_BALANCE in the middle of a batch', () => {
	test.concurrent('with Continue On Fail: the items before it keep their videos, the ones after fail clearly, nothing is retried', async () => {
		const fake = await startFake();
		// the price of one item, as Muvi charges it
		const probe = await run(fake, generate({ waitForCompletion: false }));
		const price = Number(probe.items[0].json.costMicroCents);
		expect(price).toBeGreaterThan(0);
		fake.reset();
		fake.setOptions({ balanceMicroCents: Math.floor(price * 3.5) });

		const prompts = ['a', 'b', 'c', 'd', 'e', 'f'];
		const result = await run(fake, generate(), { items: prompts.map((prompt) => ({ prompt })), continueOnFail: true });

		expect(result.error).toBeUndefined();
		expect(submits(fake)).toHaveLength(6);
		expect(fake.stats.jobsCreated).toBe(3);
		expect(result.items.map((i) => i.pairedItem)).toEqual(prompts.map((_, item) => ({ item })));
		// the first three submits Muvi received were paid for; the other three were refused
		const paid = submits(fake)
			.slice(0, 3)
			.map((r) => (r.json as { input: { prompt: string } }).input.prompt);
		result.items.forEach((item, i) => {
			if (paid.includes(prompts[i])) {
				expect(item.json.status).toBe('completed');
				expect(String(item.json.videoUrl)).toMatch(/output_0\.mp4$/);
				expect(promptOf(fake, String(item.json.jobId))).toBe(prompts[i]);
			} else {
				expect(item.json.error).toBe('Your Muvi balance is too low for this job');
				expect(item.json.jobId).toBeUndefined();
			}
		});
		expect(canarySightings(result)).toEqual([]);
	});

	test.concurrent('without Continue On Fail: the execution stops with the top-up guidance', async () => {
		const fake = await startFake({ balanceMicroCents: 1 });
		const result = await run(fake, generate(), { items: [{ prompt: 'a' }, { prompt: 'b' }] });

		expect(fake.stats.jobsCreated).toBe(0);
		// submits go one after the other, and the first refusal stops the ones after it
		expect(submits(fake)).toHaveLength(1);
		expect(result.error?.message).toBe('Your Muvi balance is too low for this job');
		expect(result.error?.description).toMatch(/Top up your balance.*Nothing was charged for this item/);
		expect(result.error?.httpCode).toBe('402');
		expect(canarySightings(result)).toEqual([]);
	});
});
