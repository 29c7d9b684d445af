/**
 * The delivery memory as n8n 2.41.1 really persists it (see harness.ts: what webhook() writes to
 * static data is not saved when it starts an execution; an execution saves its static data when it
 * ends; n8n's processed-data table is shared by every process on the database). Restarts and a second
 * n8n process are modelled by harnesses that share one FakeN8nDatabase.
 */
import { randomUUID } from 'node:crypto';

import { request } from 'undici';

import { forgetProcessMemory } from '../../nodes/webhooks/deliveries';
import { startFakeMuvi, type FakeMuvi } from '../fake-muvi/server';
import { FakeN8nDatabase, startTriggerHarness, type TriggerHarness, type TriggerHarnessOptions } from './harness';

const SECRET = 'whsec_durable_test_5b1e';
const API_KEY = 'pb_durable_test_key_0c7a';
const NODE_KEY = 'node:Muvi Video Trigger';

const completed = (jobId: string) => ({
	jobId,
	requestId: `req_${jobId}`,
	status: 'completed',
	output: { url: `https://cdn.muvi.video/outputs/${jobId}/output_0.mp4` },
	completedAt: '2026-01-01T00:00:10Z',
});

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
	while (open.length) await open.pop()!.close();
});

/** One n8n instance (or process) on `db`; the same workflow and webhook as every other on that db. */
function instanceOn(db: FakeN8nDatabase, ids: { workflowId: string; webhookId: string }) {
	return async (overrides: Partial<TriggerHarnessOptions> = {}): Promise<TriggerHarness> => {
		const h = await startTriggerHarness({
			credentials: { apiKey: API_KEY, baseUrl: 'http://127.0.0.1:9', webhookSecret: SECRET },
			parameters: { options: { fetchJob: false } },
			database: db,
			...ids,
			...overrides,
		});
		open.push(h);
		return h;
	};
}

function newInstance() {
	const db = new FakeN8nDatabase();
	return { db, start: instanceOn(db, { workflowId: `wf-${randomUUID()}`, webhookId: randomUUID() }) };
}

const storedKeys = (h: TriggerHarness) => Object.keys((h.savedStaticData()[NODE_KEY] as { deliveries?: object })?.deliveries ?? {});

describe('the delivery memory persists without relying on n8n saving what webhook() wrote', () => {
	it('the execution writes the delivery again, so the static data n8n saves after it holds it, and the processed-data table too', async () => {
		const { start } = newInstance();
		const h = await start();
		expect((await h.postSigned(completed('job_p1'), SECRET)).status).toBe(200);
		await h.settle();
		expect(h.executions).toHaveLength(1);
		expect(storedKeys(h)).toEqual(['job_p1:completed']);
		expect(h.processedEntries()).toHaveLength(1);
	});

	it('after a restart (process memory gone), the same delivery starts no execution', async () => {
		const { start } = newInstance();
		const before = await start();
		await before.postSigned(completed('job_restart'), SECRET);
		await before.settle();
		forgetProcessMemory();

		const after = await start();
		const answer = await after.postSigned(completed('job_restart'), SECRET);
		expect(answer.status).toBe(200);
		expect(answer.json).toEqual({ received: true, duplicate: true });
		await after.settle();
		expect(after.executions).toHaveLength(0);
	});

	it('50 distinct deliveries, one after the other: 50 entries in the saved static data and in the processed-data table', async () => {
		const { start } = newInstance();
		const h = await start();
		for (let i = 0; i < 50; i++) {
			expect((await h.postSigned(completed(`job_seq_${i}`), SECRET)).status).toBe(200);
			await h.settle();
		}
		expect(h.executions).toHaveLength(50);
		expect(storedKeys(h)).toHaveLength(50);
		expect(h.processedEntries()).toHaveLength(50);

		forgetProcessMemory();
		const again = await Promise.all(Array.from({ length: 50 }, (_, i) => h.postSigned(completed(`job_seq_${i}`), SECRET)));
		expect(again.map((a) => (a.json as { duplicate?: boolean }).duplicate)).toEqual(Array(50).fill(true));
		await h.settle();
		expect(h.executions).toHaveLength(50);
	});

	it('10 deliveries whose executions overlap and end in reverse order: all 10 in the saved static data and in the processed-data table', async () => {
		const fake = await startFakeMuvi({ apiKey: API_KEY, webhookSecret: SECRET, allowHttpWebhooks: true, jobDurationMs: 10, idSeed: `overlap-${Math.random()}` });
		open.push(fake);
		const { start } = newInstance();
		const h = await start({ credentials: { apiKey: API_KEY, baseUrl: fake.url, webhookSecret: SECRET }, parameters: {} });
		const jobIds: string[] = [];
		for (let i = 0; i < 10; i++) {
			const res = await request(`${fake.url}/v1/jobs/submit`, {
				method: 'POST',
				headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
				body: JSON.stringify({ model: 'kling/kling-3.0-standard/text-to-video', input: { prompt: `overlap ${i}` } }),
			});
			jobIds.push(((await res.body.json()) as { jobId: string }).jobId);
		}
		await fake.waitFor(() => jobIds.every((id) => fake.jobs.get(id)?.status === 'completed'));
		// reading the first job takes longest: the first execution ends last, with the static data it loaded first
		jobIds.forEach((jobId, i) => fake.injectFault({ route: 'status', kind: 'delay', ms: 100 + (10 - i) * 150, jobId }));
		for (const jobId of jobIds) expect((await h.postSigned(completed(jobId), SECRET)).status).toBe(200);
		await h.settle();
		expect(h.executions.map((e) => e.items.length)).toEqual(Array(10).fill(1));
		// they did end out of order
		expect(h.executions.map((e) => e.items[0].json.jobId)).not.toEqual(jobIds);
		expect(storedKeys(h).sort()).toEqual(jobIds.map((id) => `${id}:completed`).sort());
		expect(h.processedEntries()).toHaveLength(10);
	});

	it('a duplicate that gets past webhook() (its static data entry was lost) runs no other node: the trigger outputs no item', async () => {
		const { db, start } = newInstance();
		const h = await start();
		await h.postSigned(completed('job_lost'), SECRET);
		await h.settle();
		// an execution that started earlier saved its (older) static data last: the entry is gone
		db.staticData.set(h.workflowId, {});
		forgetProcessMemory();

		const answer = await h.postSigned(completed('job_lost'), SECRET);
		expect(answer.status).toBe(200);
		await h.settle();
		expect(h.executions).toHaveLength(2);
		expect(h.executions[1].error).toBeUndefined();
		expect(h.executions[1].items).toEqual([]);
		expect(h.processedEntries()).toHaveLength(1);
		expect(h.logs().filter((l) => l.level === 'info')).toEqual([
			expect.objectContaining({
				message: expect.stringContaining('duplicate delivery'),
				meta: expect.objectContaining({ jobId: 'job_lost', status: 'completed' }),
			}),
		]);
		// and it is back in the static data, for the next copy
		expect(storedKeys(h)).toEqual(['job_lost:completed']);
	});

	it('a database error on the processed-data table is retried once; a second failure lets the delivery run and warns', async () => {
		const { db, start } = newInstance();
		const h = await start();
		db.failProcessedDataCalls = 1;
		await h.postSigned(completed('job_db_1'), SECRET);
		await h.settle();
		expect(h.executions[0].items).toHaveLength(1);
		expect(db.processedDataCalls).toBe(2);
		expect(h.processedEntries()).toHaveLength(1);

		db.failProcessedDataCalls = 2;
		await h.postSigned(completed('job_db_2'), SECRET);
		await h.settle();
		expect(h.executions[1].items).toHaveLength(1);
		expect(h.executions[1].items[0].json.jobId).toBe('job_db_2');
		const warned = h.logs().filter((l) => l.level === 'warn');
		expect(warned).toHaveLength(1);
		expect(warned[0].message).toContain('processed-data');
		expect(JSON.stringify(warned)).not.toContain(SECRET);
	});

	it('10 distinct deliveries at once: their processed-data calls take turns, so the table keeps all 10', async () => {
		const { db, start } = newInstance();
		const h = await start();
		// long enough that the ten executions reach the table while earlier calls are still between read and write
		db.processedDataDelayMs = 50;
		const jobIds = Array.from({ length: 10 }, (_, i) => `job_burst_${i}`);
		const answers = await Promise.all(jobIds.map((jobId) => h.postSigned(completed(jobId), SECRET)));
		expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
		await h.settle();
		expect(h.executions.map((e) => e.items.length)).toEqual(Array(10).fill(1));
		expect(db.processedDataCalls).toBe(10);
		expect(h.processedEntries()).toHaveLength(10);
	});

	it('a processed-data call that fails among overlapping ones holds up none of the others, and is retried', async () => {
		const { db, start } = newInstance();
		const h = await start();
		db.processedDataDelayMs = 50;
		db.failProcessedDataCalls = 1;
		const jobIds = Array.from({ length: 5 }, (_, i) => `job_burst_fail_${i}`);
		await Promise.all(jobIds.map((jobId) => h.postSigned(completed(jobId), SECRET)));
		await h.settle();
		expect(h.executions.map((e) => e.items.length)).toEqual(Array(5).fill(1));
		expect(db.processedDataCalls).toBe(6);
		expect(h.processedEntries()).toHaveLength(5);
		expect(h.logs().filter((l) => l.level === 'warn')).toEqual([]);
	});

	it('a manual test event touches neither memory', async () => {
		const { db, start } = newInstance();
		const h = await start({ mode: 'manual' });
		await h.postSigned(completed('job_manual'), SECRET);
		await h.settle();
		expect(h.executions[0].items).toHaveLength(1);
		expect(db.processedDataCalls).toBe(0);
		expect(h.savedStaticData()).toEqual({});
	});
});

describe('two n8n processes on one database', () => {
	let fake: FakeMuvi;
	beforeEach(async () => {
		fake = await startFakeMuvi({ apiKey: API_KEY, webhookSecret: SECRET, allowHttpWebhooks: true, jobDurationMs: 50, idSeed: `durable-${Math.random()}` });
		open.push(fake);
	});

	function twoProcesses(parameters = { options: { fetchJob: false } } as TriggerHarnessOptions['parameters']) {
		const db = new FakeN8nDatabase();
		const start = instanceOn(db, { workflowId: `wf-${randomUUID()}`, webhookId: randomUUID() });
		const credentials = { apiKey: API_KEY, baseUrl: fake.url, webhookSecret: SECRET };
		return { db, start: async () => await start({ credentials, parameters }) };
	}

	it('a copy reaching process B after A finished: B starts no execution', async () => {
		const { start } = twoProcesses();
		const a = await start();
		const b = await start();
		await a.postSigned(completed('job_ab'), SECRET);
		await a.settle();
		forgetProcessMemory(); // B is another process: it never saw the delivery
		const copy = await b.postSigned(completed('job_ab'), SECRET);
		expect(copy.json).toEqual({ received: true, duplicate: true });
		await b.settle();
		expect(a.executions).toHaveLength(1);
		expect(b.executions).toHaveLength(0);
	});

	it('a copy reaching process B while A’s execution still runs: B’s execution outputs nothing', async () => {
		// A's execution reads the job from a slow Muvi API: its static data is saved only when it ends
		const { start } = twoProcesses({});
		const a = await start();
		const b = await start();
		fake.injectFault({ route: 'status', kind: 'delay', ms: 1500 });
		const submitted = await request(`${fake.url}/v1/jobs/submit`, {
			method: 'POST',
			headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
			body: JSON.stringify({ model: 'kling/kling-3.0-standard/text-to-video', input: { prompt: 'two processes' }, webhookUrl: a.url }),
		});
		const { jobId } = (await submitted.body.json()) as { jobId: string };
		const delivery = await fake.waitForWebhook(jobId);
		expect(delivery.attempts[0].responseStatus).toBe(200);
		forgetProcessMemory(); // B is another process: it never saw the delivery
		// the same signed delivery, sent to B (a load balancer in front of two webhook processes)
		const copy = await b.post(delivery.body, {
			'x-pixelbyte-timestamp': delivery.attempts[0].timestamp,
			'x-pixelbyte-signature': delivery.attempts[0].signature,
		});
		expect(copy.status).toBe(200);
		await Promise.all([a.settle(), b.settle()]);
		expect(a.executions).toHaveLength(1);
		expect(a.executions[0].items).toHaveLength(1);
		expect(a.executions[0].items[0].json).toMatchObject({ jobId, outputs: fake.jobs.get(jobId)!.outputs });
		// B's execution exists (its static data had no entry yet) but runs nothing: not even the job read
		expect(b.executions).toHaveLength(1);
		expect(b.executions[0].error).toBeUndefined();
		expect(b.executions[0].items).toEqual([]);
		expect(fake.requests.filter((r) => r.path === `/v1/jobs/${jobId}`)).toHaveLength(1);
	});

});
