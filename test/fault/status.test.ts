/**
 * Faults on the status calls while the node waits for a job: reads are safe to repeat, so a short
 * outage is retried away; a lasting one ends in an error that names the job, which keeps running.
 */
import { canarySightings, closeFakes, expectNoCanaryInLogs, generate, installLogCapture, run, startFake, submits } from './support';

beforeAll(installLogCapture);
afterAll(async () => {
	await closeFakes();
	expectNoCanaryInLogs();
});

describe('status calls that fail for a while are retried', () => {
	test.concurrent('two 5xx answers (500, 502): the item completes, one job, three status calls', async () => {
		const fake = await startFake();
		fake.injectFault({ route: 'status', kind: 'status', status: 500, code: 'INTERNAL_ERROR' });
		fake.injectFault({ route: 'status', kind: 'status', status: 502, code: 'BAD_GATEWAY' });
		const result = await run(fake, generate());

		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		const jobId = String(result.items[0].json.jobId);
		expect(result.items[0].json.status).toBe('completed');
		expect(fake.stats.jobsCreated).toBe(1);
		expect(submits(fake)).toHaveLength(1);
		expect(fake.stats.statusCalls[jobId]).toBe(3);
		expect(canarySightings(result)).toEqual([]);
	});

	test.concurrent('two answers that are not valid JSON: the item completes, one job', async () => {
		const fake = await startFake();
		fake.injectFault({ route: 'status', kind: 'malformed-json', times: 2 });
		const result = await run(fake, generate());

		expect(result.error).toBeUndefined();
		expect(result.items[0].json.status).toBe('completed');
		expect(fake.stats.jobsCreated).toBe(1);
		expect(fake.stats.statusCalls[String(result.items[0].json.jobId)]).toBe(3);
		expect(canarySightings(result)).toEqual([]);
	});

	test.concurrent('an outage longer than one round of retries (6 × 503) is waited out within the Timeout', async () => {
		const fake = await startFake();
		fake.injectFault({ route: 'status', kind: 'status', status: 503, code: 'SERVICE_UNAVAILABLE', times: 6 });
		const result = await run(fake, generate({ options: { timeout: 60 } }));

		expect(result.error).toBeUndefined();
		expect(result.items[0].json.status).toBe('completed');
		expect(fake.stats.jobsCreated).toBe(1);
		expect(fake.stats.statusCalls[String(result.items[0].json.jobId)]).toBe(7);
		expect(canarySightings(result)).toEqual([]);
	});

	test.concurrent('a reset and a 429 on status calls: the item completes, one job', async () => {
		const fake = await startFake();
		fake.injectFault({ route: 'status', kind: 'reset-before-read' });
		fake.injectFault({ route: 'status', kind: 'status', status: 429, code: 'RATE_LIMITED', details: { retryAfter: 0.2 } });
		const result = await run(fake, generate());

		expect(result.error).toBeUndefined();
		expect(result.items[0].json.status).toBe('completed');
		expect(fake.stats.jobsCreated).toBe(1);
		expect(canarySightings(result)).toEqual([]);
	});
});

describe('status calls that keep failing', () => {
	test.concurrent('5xx on every status call until the Timeout: a clear error with the job id, the job left running', async () => {
		const fake = await startFake({ jobDurationMs: 60_000, etaFactor: 0.01 });
		fake.injectFault({ route: 'status', kind: 'status', status: 503, code: 'SERVICE_UNAVAILABLE', times: 1000 });
		const result = await run(fake, generate({ options: { timeout: 5 } }));

		const [job] = fake.jobs.values();
		expect(fake.stats.jobsCreated).toBe(1);
		expect(submits(fake)).toHaveLength(1);
		expect(result.items).toHaveLength(0);
		expect(result.error?.message).toBe(`Could not read the status of job ${job.jobId}: Muvi is temporarily unavailable`);
		expect(result.error?.description).toContain(`Wait for Completion and this job ID`);
		expect(result.error?.httpCode).toBe('503');
		expect(fake.stats.statusCalls[job.jobId]).toBe(4);
		expect(job.status).not.toBe('cancelled');
		expect(canarySightings(result)).toEqual([]);
	});

	test.concurrent('invalid JSON on every status call until the Timeout: a clear error with the job id', async () => {
		const fake = await startFake({ jobDurationMs: 60_000, etaFactor: 0.01 });
		fake.injectFault({ route: 'status', kind: 'malformed-json', times: 1000 });
		const result = await run(fake, generate({ options: { timeout: 5 } }));

		const [job] = fake.jobs.values();
		expect(fake.stats.jobsCreated).toBe(1);
		expect(result.items).toHaveLength(0);
		expect(result.error?.message).toBe(
			`Could not read the status of job ${job.jobId}: Muvi sent an answer that is not valid JSON while checking job ${job.jobId}`,
		);
		expect(result.error?.description).toContain('Wait for Completion and this job ID');
		expect(fake.stats.statusCalls[job.jobId]).toBe(4);
		expect(canarySightings(result)).toEqual([]);
	});

	test.concurrent('with Continue On Fail the item carries the error and the job id', async () => {
		const fake = await startFake({ jobDurationMs: 60_000, etaFactor: 0.01 });
		fake.injectFault({ route: 'status', kind: 'status', status: 500, code: 'INTERNAL_ERROR', times: 1000 });
		const result = await run(fake, generate({ options: { timeout: 5 } }), { continueOnFail: true });

		const [job] = fake.jobs.values();
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		expect(String(result.items[0].json.error)).toContain(job.jobId);
		expect(canarySightings(result)).toEqual([]);
	});
});
