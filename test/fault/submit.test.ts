/**
 * Faults around the submit, the one call that costs money. Each case counts the jobs the fake Muvi
 * created and the items the workflow produced: a lost answer must never become a second job, and a
 * submit Muvi never read must be sent again.
 */
import {
	CANARY_KEY,
	canarySightings,
	closeFakes,
	generate,
	expectNoCanaryInLogs,
	installLogCapture,
	promptOf,
	run,
	startFake,
	submits,
} from './support';

beforeAll(installLogCapture);
afterAll(async () => {
	await closeFakes();
	expectNoCanaryInLogs();
});

describe('the connection is lost after Muvi accepted the submit', () => {
	test.concurrent('a reset: exactly one job, no second submit, an error that names the job and how to find it', async () => {
		const fake = await startFake();
		fake.injectFault({ route: 'submit', kind: 'reset-after-accept' });
		const result = await run(fake, generate());

		expect(submits(fake)).toHaveLength(1);
		expect(fake.stats.jobsCreated).toBe(1);
		const [jobId] = fake.jobs.keys();
		expect(result.items).toHaveLength(0);
		expect(result.error?.message).toBe("The video job may have been created, but Muvi's answer was lost (the connection was cut)");
		expect(result.error?.description).toContain('did not send the job again');
		expect(result.error?.description).toContain(jobId);
		expect(result.error?.description).toContain('Job → Get Many');
		// the key was sent (so it could have leaked), and it did not leak
		expect(submits(fake)[0].headers.authorization).toBe(`Bearer ${CANARY_KEY}`);
		expect(canarySightings(result)).toEqual([]);
	});

	test.concurrent('no answer at all (Muvi hangs): one job, given up after the Timeout option, the job named', async () => {
		const fake = await startFake();
		fake.injectFault({ route: 'submit', kind: 'hang-after-accept' });
		const started = Date.now();
		// the submit's HTTP timeout is min(60 s, Timeout)
		const result = await run(fake, generate({ options: { timeout: 2 } }));

		expect(Date.now() - started).toBeLessThan(8000);
		expect(submits(fake)).toHaveLength(1);
		expect(fake.stats.jobsCreated).toBe(1);
		const [jobId] = fake.jobs.keys();
		expect(result.items).toHaveLength(0);
		expect(result.error?.message).toBe("The video job may have been created, but Muvi's answer was lost (no answer in time)");
		expect(result.error?.description).toContain(jobId);
		expect(canarySightings(result)).toEqual([]);
	});

	test.concurrent('a timeout while Muvi is still working on the submit: the job it creates later is the only one', async () => {
		const fake = await startFake();
		// Muvi creates the job 4 s after receiving it; the node gives up at 2 s and reads the job list at ~3 s
		fake.injectFault({ route: 'submit', kind: 'delay', ms: 4000 });
		const result = await run(fake, generate({ waitForCompletion: false, options: { timeout: 2 } }));
		await fake.waitFor(() => fake.stats.jobsCreated >= 1, 5000);
		await new Promise((r) => setTimeout(r, 300));

		expect(submits(fake)).toHaveLength(1);
		expect(fake.stats.jobsCreated).toBe(1);
		expect(result.items).toHaveLength(0);
		expect(result.error?.message).toBe("The video job may have been created, but Muvi's answer was lost (no answer in time)");
		expect(result.error?.description).toMatch(/did not send the job again.*Check your recent jobs/);
		expect(canarySightings(result)).toEqual([]);
	});

	test.concurrent('a 2xx answer that cannot be read: not sent again, the job named', async () => {
		const fake = await startFake();
		fake.injectFault({ route: 'submit', kind: 'malformed-json' });
		const result = await run(fake, generate());

		expect(submits(fake)).toHaveLength(1);
		expect(fake.stats.jobsCreated).toBe(1);
		expect(result.error?.message).toBe("The video job may have been created, but Muvi's answer was lost (the answer could not be read)");
		expect(result.error?.description).toContain([...fake.jobs.keys()][0]);
		expect(canarySightings(result)).toEqual([]);
	});

	test.concurrent('with Continue On Fail, a batch keeps one job per item: the cut item fails, the others finish', async () => {
		const fake = await startFake();
		fake.injectFault({ route: 'submit', kind: 'reset-after-accept' });
		const prompts = ['one', 'two', 'three', 'four'];
		const result = await run(fake, generate(), { items: prompts.map((prompt) => ({ prompt })), continueOnFail: true });

		expect(submits(fake)).toHaveLength(4);
		expect(fake.stats.jobsCreated).toBe(4);
		expect(result.error).toBeUndefined();
		expect(result.items.map((i) => i.pairedItem)).toEqual(prompts.map((_, item) => ({ item })));
		// the submit that was cut is the first one Muvi received
		const cutPrompt = (submits(fake)[0].json as { input: { prompt: string } }).input.prompt;
		result.items.forEach((item, i) => {
			if (prompts[i] === cutPrompt) {
				expect(String(item.json.error)).toMatch(/may have been created/);
			} else {
				expect(item.json.status).toBe('completed');
				expect(promptOf(fake, String(item.json.jobId))).toBe(prompts[i]);
			}
		});
		expect(new Set(result.items.map((i) => i.json.jobId).filter(Boolean)).size).toBe(3);
		expect(canarySightings(result)).toEqual([]);
	});
});

describe('the connection is lost before Muvi read the submit', () => {
	test.concurrent('a reset before the request was read: not sent again (the body may have arrived), no job, and the user is told to check', async () => {
		const fake = await startFake();
		fake.injectFault({ route: 'submit', kind: 'reset-before-read' });
		const result = await run(fake, generate());

		// the connection was open: from the node's side the body may have reached Muvi, so it is not re-sent
		expect(submits(fake)).toHaveLength(1);
		expect(fake.stats.jobsCreated).toBe(0);
		expect(fake.stats.listCalls).toBe(2);
		expect(result.items).toHaveLength(0);
		expect(result.error?.message).toBe("The video job may have been created, but Muvi's answer was lost (the connection was cut)");
		expect(result.error?.description).toContain("Muvi's job list showed no new job of this model yet");
		expect(canarySightings(result)).toEqual([]);
	});
});
