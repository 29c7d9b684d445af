/**
 * Generate with Wait Mode "Muvi Webhook" in a real n8n served over https (self-signed certificate made
 * with openssl; the fake's webhook sender trusts exactly that certificate). This file starts its own
 * n8n (https, N8N_CONCURRENCY_PRODUCTION_LIMIT=1) with the package the suite installed, and its own
 * fake Muvi in this process (jobs finish only when the test says so). Workflows start from a
 * production Webhook trigger, so they run inside `n8n start` under its concurrency limit.
 * Checked: what the fake received (submit bodies, deliveries and the statuses n8n answered), the
 * execution's status while waiting, and the items the node after Muvi Video got.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { startFakeMuvi, type FakeMuvi } from '../fake-muvi/server';
import { startHttpsN8n, waitFlow, type HttpsN8n, type WaitFlow } from './support/https-n8n';
import { activateWorkflowArgs, env, n8nHas, signature, sleep, tail, unixNow } from './support/n8n';

const SECRET = `whsec_e2e_wait_${randomBytes(8).toString('hex')}`;
const API_KEY = `pb_test_e2e_wait_${randomBytes(8).toString('hex')}`;

let fake: FakeMuvi;
let n8n: HttpsN8n;
type Flow = WaitFlow;
/** Like main, but After calls the fake once per run (GET /race-probe), so every run of it is counted. */
let raceFlow: Flow;
const RACE_PROBE = '/race-probe';

const flows = {
	main: waitFlow('Main', { waitMode: 'webhook', timeoutSeconds: 600 }),
	continueOnFail: waitFlow('Cof', { waitMode: 'webhook', timeoutSeconds: 600 }, { onError: 'continueRegularOutput' }),
	short: waitFlow('Short', { waitMode: 'webhook', timeoutSeconds: 5 }),
	// Fallback Models (issue #22): Kling 3.0 Standard, then Pro
	fallback: waitFlow('Fallback', { waitMode: 'webhook', timeoutSeconds: 600, download: false, parameters: { fallbackModels: { models: [{ model: 'kling/kling-3.0-pro/text-to-video' }] } } }),
	// the same with n8n's Retry On Fail (2 tries, no pause between them)
	fallbackRetry: waitFlow(
		'FbRetry',
		{ waitMode: 'webhook', timeoutSeconds: 600, download: false, parameters: { fallbackModels: { models: [{ model: 'kling/kling-3.0-pro/text-to-video' }] } } },
		{ retryOnFail: true, maxTries: 2, waitBetweenTries: 0 },
	),
};

const http = (url: string, init?: { method?: string; headers?: Record<string, string>; body?: string }) => n8n.http(url.replace(n8n.url, ''), init);
const executions = (workflowId: string) => n8n.executions(workflowId);
const execution = (id: string) => n8n.execution(id);
const logFile = () => n8n.logFile;

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 120_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const v = await probe();
		if (v) return v;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}. n8n log:\n${tail(readFileSync(logFile(), 'utf8'), 60)}`);
		await sleep(300);
	}
}

/** Starts a run of `f` with these prompts; resolves with the submitted job IDs once n8n waits. */
async function startRun(f: Flow, prompts: string[]): Promise<{ executionId: string; jobIds: string[]; resumeUrl: string }> {
	const before = new Set((await executions(f.id)).map((e) => String(e.id)));
	const res = await http(`/webhook/${f.path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ items: prompts.map((prompt) => ({ prompt })) }),
	});
	expect(res.status).toBe(200);
	const waiting = await until(`a waiting execution of ${f.id}`, async () =>
		(await executions(f.id)).find((e) => !before.has(String(e.id)) && e.status === 'waiting'),
	);
	const jobs = await until('the submitted jobs', async () => {
		const found = [...fake.jobs.values()].filter((j) => prompts.includes(String((j.input as { prompt?: string }).prompt)));
		return found.length === prompts.length ? found : undefined;
	});
	const byPrompt = prompts.map((p) => jobs.find((j) => (j.input as { prompt?: string }).prompt === p)!);
	return { executionId: String(waiting.id), jobIds: byPrompt.map((j) => j.jobId), resumeUrl: byPrompt[0].webhookUrl as string };
}

/** The fake's answered deliveries of a job (the HTTP status n8n gave each attempt). */
async function deliveryStatuses(jobId: string): Promise<Array<number | null>> {
	const d = await until(`the delivery of ${jobId}`, async () => fake.webhooks.find((w) => w.jobId === jobId && w.status !== 'pending'), 60_000);
	return d.attempts.map((a) => a.responseStatus);
}

/**
 * A node's runs in an execution as n8n stored it. n8n 1.x can show an execution as "success" a moment
 * before its data is saved (with SQLite, ExecutionRepository.updateExistingExecution writes the status and
 * the data in two updates, outside a transaction), so the waits below wait for the data too.
 */
const runOf = (exec: any, node: string) => exec.data?.resultData?.runData?.[node] as any[] | undefined;

beforeAll(async () => {
	// the sender trusts exactly the certificate n8n serves, as Muvi trusts public CAs: set once n8n made it
	fake = await startFakeMuvi({ apiKey: API_KEY, webhookSecret: SECRET, autoProgress: false, acceptAnyModel: true, webhookRetryScale: 0.05 });
	raceFlow = waitFlow('Race', { waitMode: 'webhook', timeoutSeconds: 600, download: false }, {}, {
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		executeOnce: true,
		onError: 'continueRegularOutput',
		parameters: { method: 'GET', url: `=${fake.url}${RACE_PROBE}?execution={{ $execution.id }}`, options: {} },
	});
	n8n = await startHttpsN8n({
		n8nBin: env.n8nBin,
		nodesDir: join(env.userFolder, '.n8n', 'nodes'),
		dir: join(env.runDir, 'wait-webhook'),
		fakeUrl: fake.url,
		apiKey: API_KEY,
		webhookSecret: SECRET,
		workflows: [...Object.values(flows), raceFlow],
		concurrencyLimit: 1,
		logLevel: 'debug',
		activateArgs: activateWorkflowArgs,
	});
	fake.setOptions({ webhookCa: n8n.cert });
}, 600_000);

afterAll(async () => {
	await n8n?.stop();
	await fake?.close();
});

describe('Generate with Wait Mode "Muvi Webhook" (n8n over https)', () => {
	test('one job: the execution waits, a forged call gets 401, Muvi\'s signed call resumes it with the video; a repeat after the resume does not run the workflow again', async () => {
		const run = await startRun(flows.main, ['e2e wait one']);
		const url = new URL(run.resumeUrl);
		expect(url.protocol).toBe('https:');
		expect(url.pathname).toBe(`/webhook-waiting/${run.executionId}/${flows.main.muviNodeId}`);
		// 2.x signs its resume URLs with a token; 1.x's have none
		if (n8nHas.signedResumeUrls) expect(url.searchParams.get('signature')).toBeTruthy();
		else expect(url.searchParams.has('signature')).toBe(false);

		// forged: right URL, wrong key
		const body = JSON.stringify({ jobId: run.jobIds[0], status: 'completed', completedAt: new Date().toISOString() });
		const ts = String(unixNow());
		const forged = await http(run.resumeUrl, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-pixelbyte-timestamp': ts, 'x-pixelbyte-signature': signature('whsec_wrong', ts, body) },
			body,
		});
		expect(forged.status).toBe(401);
		const unsigned = await http(run.resumeUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
		expect(unsigned.status).toBe(401);
		await sleep(1000);
		expect((await execution(run.executionId)).status).toBe('waiting');

		fake.completeJob(run.jobIds[0]);
		expect(await deliveryStatuses(run.jobIds[0])).toEqual([200]);
		const done = await until('the resumed execution', async () => {
			const e = await execution(run.executionId);
			return e.status === 'success' && runOf(e, 'After') ? e : undefined;
		});
		const after = runOf(done, 'After')!;
		expect(after).toHaveLength(1);
		const items = after[0].data.main[0];
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ jobId: run.jobIds[0], status: 'completed' });
		expect(typeof items[0].json.costMicroCents).toBe('number');
		expect(items[0].binary?.data?.mimeType).toBe('video/mp4');
		// the file was fetched from the CDN after the job finished
		expect(fake.cdnRequests.some((r) => r.path.includes(run.jobIds[0]))).toBe(true);

		// a repeat delivery after the resume, correctly signed: n8n refuses it, the workflow does not run again
		const ts2 = String(unixNow());
		const repeat = await http(run.resumeUrl, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-pixelbyte-timestamp': ts2, 'x-pixelbyte-signature': signature(SECRET, ts2, body) },
			body,
		});
		expect([404, 409]).toContain(repeat.status);
		await sleep(1000);
		expect(runOf(await execution(run.executionId), 'After')).toHaveLength(1);
		expect((await executions(flows.main.id)).filter((e) => e.id === run.executionId)).toHaveLength(1);
	});

	test('three jobs finishing at different times: only the last call resumes, with one item per job in item order', async () => {
		const run = await startRun(flows.main, ['e2e wait a', 'e2e wait b', 'e2e wait c']);
		// the middle job first, then the first: each call is answered 200 and the execution keeps waiting
		for (const jobId of [run.jobIds[1], run.jobIds[0]]) {
			fake.completeJob(jobId);
			expect(await deliveryStatuses(jobId)).toEqual([200]);
			await sleep(500);
			expect((await execution(run.executionId)).status).toBe('waiting');
		}
		fake.completeJob(run.jobIds[2]);
		expect(await deliveryStatuses(run.jobIds[2])).toEqual([200]);
		const done = await until('the resumed execution', async () => {
			const e = await execution(run.executionId);
			return e.status === 'success' && runOf(e, 'After') ? e : undefined;
		});
		const items = runOf(done, 'After')![0].data.main[0];
		expect(items.map((i: any) => i.json.jobId)).toEqual(run.jobIds);
		expect(items.map((i: any) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items.every((i: any) => i.binary?.data?.mimeType === 'video/mp4')).toBe(true);
		// each job was submitted once
		const submits = fake.requests.filter((r) => r.path === '/v1/jobs/submit' && ['e2e wait a', 'e2e wait b', 'e2e wait c'].includes(String((r.json as any)?.input?.prompt)));
		expect(submits.length).toBe(3);
		expect(submits.every((r) => (r.json as any).webhookUrl === run.resumeUrl)).toBe(true);
	});

	test('a failed job under Continue On Fail comes out as an item with error, like polling', async () => {
		const run = await startRun(flows.continueOnFail, ['e2e wait ok', 'e2e wait bad']);
		fake.failJob(run.jobIds[1], { code: 'GENERATION_FAILED', message: 'e2e failure' });
		expect(await deliveryStatuses(run.jobIds[1])).toEqual([200]);
		fake.completeJob(run.jobIds[0]);
		const done = await until('the resumed execution', async () => {
			const e = await execution(run.executionId);
			return e.status === 'success' && runOf(e, 'After') ? e : undefined;
		});
		const items = runOf(done, 'After')![0].data.main[0];
		expect(items[0].json).toMatchObject({ jobId: run.jobIds[0], status: 'completed' });
		expect(items[1].json).toMatchObject({ jobId: run.jobIds[1], status: 'failed', errorCode: 'GENERATION_FAILED' });
		expect(String(items[1].json.error)).toContain('failed');
	});

	test('with N8N_CONCURRENCY_PRODUCTION_LIMIT=1, two executions wait at the same time and both finish', async () => {
		const a = await startRun(flows.main, ['e2e wait conc a']);
		// the second could not start if the first still held the only production slot
		const b = await startRun(flows.main, ['e2e wait conc b']);
		expect((await execution(a.executionId)).status).toBe('waiting');
		fake.completeJob(b.jobIds[0]);
		fake.completeJob(a.jobIds[0]);
		for (const run of [a, b]) {
			const done = await until(`execution ${run.executionId}`, async () => {
				const e = await execution(run.executionId);
				return e.status === 'success' && runOf(e, 'After') ? e : undefined;
			});
			expect(runOf(done, 'After')![0].data.main[0][0].json.jobId).toBe(run.jobIds[0]);
		}
	});

	test('simultaneous final calls (a batch finishing together, Muvi retrying): the rest of the workflow runs once', async () => {
		const run = await startRun(raceFlow, ['e2e wait race a', 'e2e wait race b']);
		// both jobs finish while Muvi's own deliveries fail; then the calls arrive together (as Muvi's retries can)
		fake.setOptions({ webhookCa: 'not a certificate', webhookMaxAttempts: 1 });
		try {
			for (const jobId of run.jobIds) {
				fake.completeJob(jobId);
				expect(await deliveryStatuses(jobId)).toEqual([null]);
			}
		} finally {
			fake.setOptions({ webhookCa: n8n.cert, webhookMaxAttempts: 5 });
		}
		expect((await execution(run.executionId)).status).toBe('waiting');
		const calls = [run.jobIds[0], run.jobIds[1], run.jobIds[0], run.jobIds[1]].map((jobId) => {
			const body = JSON.stringify({ jobId, status: 'completed', completedAt: new Date().toISOString() });
			const ts = String(unixNow());
			return http(run.resumeUrl, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'x-pixelbyte-timestamp': ts, 'x-pixelbyte-signature': signature(SECRET, ts, body) },
				body,
			});
		});
		const statuses = (await Promise.all(calls)).map((r) => r.status);
		// one call resumes; the others are answered without resuming (by the node, or by n8n once the execution went on)
		expect(statuses).toContain(200);
		for (const s of statuses) expect([200, 404, 409, 500]).toContain(s);
		await until('the resumed execution', async () => {
			const e = await execution(run.executionId);
			return e.status === 'success' ? e : undefined;
		});
		// give any further resume time to show: each run of After calls the fake once
		await sleep(5000);
		const probes = fake.requests.filter((r) => r.path === RACE_PROBE && r.query.execution === run.executionId);
		expect(probes).toHaveLength(1);
		const final = await execution(run.executionId);
		expect(final.status).toBe('success');
		expect(runOf(final, 'Muvi Video')!.at(-1).data.main[0].map((i: any) => i.json.jobId)).toEqual(run.jobIds);
	});

	test('Fallback Models: item 2\'s job fails, its call submits the next model with the same (tagged) resume address; the batch waits for it and resumes once every chain ended', async () => {
		const PRIMARY = 'kling/kling-3.0-standard/text-to-video';
		const NEXT = 'kling/kling-3.0-pro/text-to-video';
		const prompts = ['e2e wfb one', 'e2e wfb two', 'e2e wfb three'];
		const run = await startRun(flows.fallback, prompts);
		fake.completeJob(run.jobIds[0]);
		expect(await deliveryStatuses(run.jobIds[0])).toEqual([200]);

		fake.failJob(run.jobIds[1], { code: 'GENERATION_FAILED', message: 'e2e failure' });
		expect(await deliveryStatuses(run.jobIds[1])).toEqual([200]);
		const next = await until('the next model\'s job', async () => [...fake.jobs.values()].find((j) => j.model === NEXT && (j.input as any).prompt === prompts[1]));
		const tagged = new URL(String(next.webhookUrl));
		expect(`${tagged.origin}${tagged.pathname}`).toBe(run.resumeUrl.split('?')[0]);
		expect([tagged.searchParams.get('muviItem'), tagged.searchParams.get('muviAttempt')]).toEqual(['1', '1']);
		if (n8nHas.signedResumeUrls) expect(tagged.searchParams.get('signature')).toBe(new URL(run.resumeUrl).searchParams.get('signature'));

		// Muvi sends the failure again (signed): answered, nothing submitted again
		const failure = JSON.stringify({ jobId: run.jobIds[1], status: 'failed', error: { code: 'GENERATION_FAILED', message: 'e2e failure' } });
		const ts = String(unixNow());
		const repeat = await http(run.resumeUrl, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-pixelbyte-timestamp': ts, 'x-pixelbyte-signature': signature(SECRET, ts, failure) },
			body: failure,
		});
		expect(repeat.status).toBe(200);

		fake.completeJob(run.jobIds[2]);
		expect(await deliveryStatuses(run.jobIds[2])).toEqual([200]);
		await sleep(500);
		expect((await execution(run.executionId)).status).toBe('waiting');

		fake.completeJob(next.jobId);
		expect(await deliveryStatuses(next.jobId)).toEqual([200]);
		const done = await until('the resumed execution', async () => {
			const e = await execution(run.executionId);
			return e.status === 'success' && runOf(e, 'After') ? e : undefined;
		});
		const items = runOf(done, 'After')![0].data.main[0];
		expect(items.map((i: any) => [i.json.jobId, i.json.outcome, i.pairedItem.item])).toEqual([
			[run.jobIds[0], 'completed', 0],
			[next.jobId, 'completed', 1],
			[run.jobIds[2], 'completed', 2],
		]);
		expect(items[1].json.model).toBe(NEXT);
		expect(items[1].json.attempts).toEqual([
			expect.objectContaining({ model: PRIMARY, jobId: run.jobIds[1], outcome: 'failed', errorCode: 'GENERATION_FAILED', costUsd: 0.42, refundedUsd: 0.42 }),
			expect.objectContaining({ model: NEXT, jobId: next.jobId, outcome: 'completed' }),
		]);
		// one job each for items 1 and 3, two for item 2 (one refunded)
		const submits = fake.requests.filter((r) => r.path === '/v1/jobs/submit' && prompts.includes(String((r.json as any)?.input?.prompt)));
		expect(submits.map((r) => `${(r.json as any).input.prompt} ${(r.json as any).model}`).sort()).toEqual(
			[`${prompts[0]} ${PRIMARY}`, `${prompts[1]} ${PRIMARY}`, `${prompts[1]} ${NEXT}`, `${prompts[2]} ${PRIMARY}`].sort(),
		);
	});

	test('Fallback Models: the next model\'s submit loses its answer: not sent again, the batch resumes with outcome "unknown" for that try', async () => {
		const NEXT = 'kling/kling-3.0-pro/text-to-video';
		const prompts = ['e2e wfb lost one', 'e2e wfb lost two'];
		const run = await startRun(flows.fallback, prompts);
		fake.completeJob(run.jobIds[0]);
		expect(await deliveryStatuses(run.jobIds[0])).toEqual([200]);
		fake.injectFault({ route: 'submit', kind: 'reset-after-accept' });
		fake.failJob(run.jobIds[1], { code: 'GENERATION_FAILED', message: 'e2e failure' });
		expect(await deliveryStatuses(run.jobIds[1])).toEqual([200]);
		const done = await until('the resumed execution', async () => {
			const e = await execution(run.executionId);
			return e.status === 'success' && runOf(e, 'After') ? e : undefined;
		});
		const items = runOf(done, 'After')![0].data.main[0];
		// the item's money: the lost answer may have made a paid job (at its estimate, $0.56 for Kling 3.0 Pro 5 s)
		expect(items[1].json).toMatchObject({ jobId: run.jobIds[1], status: 'failed', outcome: 'unknown', costUsd: 0.56, refundedUsd: 0, netCostUsd: 0.56 });
		expect(items[1].json.attempts.at(-1)).toMatchObject({ model: NEXT, jobId: null, outcome: 'unknown' });
		expect(String(items[1].json.error)).toMatch(/the answer to its submit was lost, so a job may exist and be paid; it was not sent again/);
		const nextSubmits = fake.requests.filter((r) => r.path === '/v1/jobs/submit' && (r.json as any)?.model === NEXT && (r.json as any)?.input?.prompt === prompts[1]);
		expect(nextSubmits).toHaveLength(1);
	});

	test('Fallback Models with Retry On Fail: the second model is in flight when a submit fails; n8n\'s retry attaches to it, no job is made twice, the batch waits and resumes', async () => {
		const PRIMARY = 'kling/kling-3.0-standard/text-to-video';
		const NEXT = 'kling/kling-3.0-pro/text-to-video';
		const prompts = ['e2e wfb retry one', 'e2e wfb retry two'];
		const mine = () => fake.requests.filter((r) => r.path === '/v1/jobs/submit' && prompts.includes(String((r.json as any)?.input?.prompt)));
		// the first model is refused for every item (no job), so each item's second model is submitted before the pause;
		// item 2's (the 4th submit) fails once: n8n runs the node again
		fake.setOptions({ deniedModels: [PRIMARY] });
		fake.injectFault({ route: 'submit', kind: 'delay', ms: 0, times: 3 });
		fake.injectFault({ route: 'submit', kind: 'status', status: 400, code: 'INVALID_INPUT', message: 'e2e bad once' });
		let run: Awaited<ReturnType<typeof startRun>>;
		try {
			run = await startRun(flows.fallbackRetry, prompts);
		} finally {
			fake.setOptions({ deniedModels: [] });
		}
		const jobs = [...fake.jobs.values()].filter((j) => prompts.includes(String((j.input as any).prompt)));
		expect(jobs.map((j) => `${(j.input as any).prompt} ${j.model}`).sort()).toEqual([`${prompts[0]} ${NEXT}`, `${prompts[1]} ${NEXT}`]);
		// first try: 2 refused + 1 job + 1 failed submit; retry: 2 refused + 1 job (item 1 attached to its job)
		expect(mine()).toHaveLength(7);
		for (const job of jobs) fake.completeJob(job.jobId);
		const done = await until('the resumed execution', async () => {
			const e = await execution(run.executionId);
			return e.status === 'success' && runOf(e, 'After') ? e : undefined;
		});
		const items = runOf(done, 'After')![0].data.main[0];
		expect(items.map((i: any) => [i.json.model, i.json.outcome])).toEqual([
			[NEXT, 'completed'],
			[NEXT, 'completed'],
		]);
		expect(items[1].json.attempts).toEqual([
			expect.objectContaining({ model: PRIMARY, jobId: null, outcome: 'not-submitted', errorCode: 'MODEL_ACCESS_DENIED' }),
			expect.objectContaining({ model: NEXT, outcome: 'completed' }),
		]);
	});

	test('a dropped webhook: at the Timeout the item says the job is paid and running, with its job ID and an error', async () => {
		const run = await startRun(flows.short, ['e2e wait dropped']);
		// Muvi's delivery never arrives (the sender trusts another certificate and gives up at once)
		fake.setOptions({ webhookCa: 'not a certificate', webhookMaxAttempts: 1 });
		try {
			fake.completeJob(run.jobIds[0]);
			const statuses = await deliveryStatuses(run.jobIds[0]);
			expect(statuses).toEqual([null]);
			const done = await until('the time limit to pass', async () => {
				const e = await execution(run.executionId);
				return e.status !== 'waiting' && e.status !== 'running' ? e : undefined;
			}, 200_000);
			const items = runOf(done, 'After')![0].data.main[0];
			// n8n ends the wait without running the node and forwards what the node left as its input
			expect(done.status).toBe('success');
			expect(items).toHaveLength(1);
			expect(items[0].json).toMatchObject({ jobId: run.jobIds[0], outcome: 'running', refundedUsd: 0 });
			expect(items[0].json.netCostUsd).toBe(items[0].json.costUsd);
			expect(String(items[0].json.error)).toMatch(new RegExp(`^Muvi's webhook did not report job ${run.jobIds[0]} finished within the Timeout \\(5 seconds; .*it is paid and may still be rendering\\. Collect it with Job → Wait for Completion`));
			const custom = JSON.stringify(done.customData ?? {});
			expect(custom).toContain(run.jobIds[0]);
		} finally {
			fake.setOptions({ webhookCa: n8n.cert, webhookMaxAttempts: 5 });
		}
	}, 300_000);
});
