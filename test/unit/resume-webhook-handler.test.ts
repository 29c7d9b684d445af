/**
 * The node's webhook() for Wait Mode "Muvi Webhook", called the way n8n calls it for a waiting
 * execution, against the fake Muvi API: what it answers the caller and whether it resumes.
 * (The same flows run in a real n8n over https in test/e2e/04-wait-webhook.test.ts.)
 */
import type { IDataObject, IExecuteFunctions, IHttpRequestOptions, IWebhookFunctions } from 'n8n-workflow';
import { createHmac } from 'node:crypto';

import { resumeOnMuviWebhook } from '../../nodes/MuviVideo/engine/resume';
import { forgetChains } from '../../nodes/MuviVideo/engine/webhookChain';
import { saveBatch, type WaitingJob } from '../../nodes/MuviVideo/engine/webhookWait';
import { DEFAULT_TOLERANCE_SECONDS } from '../../nodes/webhooks/signature';
import { startFakeMuvi, type FakeMuvi } from '../fake-muvi/server';

const SECRET = 'whsec_handler_test';
const API_KEY = 'pb_test_handler_key';
const NODE = { id: 'node-1', name: 'Muvi Video', typeVersion: 2, type: 'n8n-nodes-muvi.muviVideo', parameters: {}, position: [0, 0] };

let fake: FakeMuvi;
beforeAll(async () => {
	fake = await startFakeMuvi({ apiKey: API_KEY, webhookSecret: SECRET, autoProgress: false, acceptAnyModel: true });
});
afterAll(async () => fake.close());
beforeEach(() => fake.reset());

async function submit(prompt: string): Promise<string> {
	const res = await fetch(`${fake.url}/v1/jobs/submit`, {
		method: 'POST',
		headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
		body: JSON.stringify({ model: 'kling/kling-3.0-standard/text-to-video', input: { prompt } }),
	});
	const body = (await res.json()) as IDataObject;
	return String(body.jobId ?? (body.data as IDataObject).jobId);
}

function signed(body: string, secret = SECRET, timestamp = String(Math.floor(Date.now() / 1000))) {
	return { 'x-pixelbyte-timestamp': timestamp, 'x-pixelbyte-signature': `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}` };
}

let executionCounter = 0;

/** A waiting execution of the node with this batch, and one call to its resume URL. */
/** What else a call brings: its address's query, and the items the node left as its input when it paused (Fallback Models). */
interface CallExtras {
	query?: IDataObject;
	waiting?: IDataObject[];
}

function call(jobs: WaitingJob[], body: IDataObject, headers: Record<string, string>, executionId = `e${++executionCounter}`, extras: CallExtras = {}) {
	const raw = JSON.stringify(body);
	const metadata: Record<string, string> = {};
	const customData = { set: (key: string, value: string) => void (metadata[key] = value), get: (key: string) => metadata[key] };
	if (!saveBatch({ getNode: () => NODE, customData } as unknown as IExecuteFunctions, jobs)) throw new Error('the batch did not fit');
	const answer: { status?: number; body?: unknown } = {};
	const res = {
		headersSent: false,
		status(code: number) {
			answer.status = code;
			return this;
		},
		json(b: unknown) {
			answer.body = b;
			this.headersSent = true;
		},
		end() {
			this.headersSent = true;
		},
	};
	const ctx = {
		getNode: () => NODE,
		getWorkflow: () => ({ id: 'wf-handler' }),
		getCredentials: async () => ({ apiKey: API_KEY, baseUrl: fake.url, webhookSecret: SECRET }),
		getRequestObject: () => ({ headers: headers, rawBody: Buffer.from(raw), originalUrl: `/webhook-waiting/${executionId}/${NODE.id}?signature=x`, url: '' }),
		getResponseObject: () => res,
		getBodyData: () => body,
		getQueryData: () => extras.query ?? {},
		// the one expression webhook() evaluates: a field of an item the node left as its input when it paused
		evaluateExpression: (expression: string) => {
			const m = /^\{\{ \$input\.all\(\)\[(\d+)\]\.json\.(\w+) \}\}$/.exec(expression);
			if (!m) throw new Error(`unexpected expression ${expression}`);
			return extras.waiting?.[Number(m[1])]?.[m[2]];
		},
		customData: { get: (k: string) => metadata[k], set: () => undefined },
		logger: { info: () => undefined, warn: () => undefined, debug: () => undefined, error: () => undefined },
		helpers: {
			// n8n's plain request helper (the submit uses it, with the key in its headers)
			async httpRequest(o: IHttpRequestOptions) {
				const { Authorization: _given, ...headers } = (o.headers ?? {}) as Record<string, string>;
				return await ctx.helpers.httpRequestWithAuthentication('muviApi', { ...o, headers });
			},
			async httpRequestWithAuthentication(_type: string, o: IHttpRequestOptions) {
				const url = new URL(String(o.url));
				for (const [k, v] of Object.entries(o.qs ?? {})) url.searchParams.set(k, String(v));
				const r = await fetch(url, {
					method: o.method,
					headers: { ...(o.headers as Record<string, string>), authorization: `Bearer ${API_KEY}`, ...(o.body ? { 'content-type': 'application/json' } : {}) },
					body: o.body ? JSON.stringify(o.body) : undefined,
				});
				const text = await r.text();
				return { statusCode: r.status, headers: Object.fromEntries(r.headers), body: text };
			},
		},
	};
	return { run: () => resumeOnMuviWebhook.call(ctx as unknown as IWebhookFunctions), answer };
}

const job = (itemIndex: number, jobId: string): WaitingJob => ({ itemIndex, jobId, costMicroCents: 420000, download: false, binaryPropertyName: 'data' });
const statusCalls = (jobId: string) => fake.stats.statusCalls[jobId] ?? 0;

test('unsigned, forged and stale calls get 401 and do not resume; nothing is asked of Muvi', async () => {
	const id = await submit('a');
	fake.completeJob(id);
	const body = { jobId: id, status: 'completed' };
	for (const headers of [{}, signed(JSON.stringify(body), 'whsec_forged'), signed(JSON.stringify(body), SECRET, String(Math.floor(Date.now() / 1000) - DEFAULT_TOLERANCE_SECONDS - 60))]) {
		const c = call([job(0, id)], body, headers);
		const result = await c.run();
		expect(c.answer.status).toBe(401);
		expect(result.workflowData).toBeUndefined();
	}
	expect(statusCalls(id)).toBe(0);
});

test('while another job of the batch runs: 200, keeps waiting; the last call resumes with one item per job in item order', async () => {
	const [a, b] = [await submit('a'), await submit('b')];
	const batch = [job(0, a), job(1, b)];
	fake.completeJob(a);
	const first = call(batch, { jobId: a, status: 'completed' }, signed(JSON.stringify({ jobId: a, status: 'completed' })), 'exec-two');
	expect((await first.run()).workflowData).toBeUndefined();
	expect(first.answer.status).toBe(200);

	fake.failJob(b, { code: 'GENERATION_FAILED', message: 'no' });
	const last = call(batch, { jobId: b, status: 'failed' }, signed(JSON.stringify({ jobId: b, status: 'failed' })), 'exec-two');
	const result = await last.run();
	expect(last.answer.status).toBe(200);
	const items = result.workflowData![0];
	expect(items.map((i) => [i.json.jobId, i.json.status, i.pairedItem])).toEqual([
		[a, 'completed', { item: 0 }],
		[b, 'failed', { item: 1 }],
	]);
	expect(items[0].json).toMatchObject({ costMicroCents: 420000, costUsd: 0.42 });
	expect(items[1].json).toMatchObject({ errorCode: 'GENERATION_FAILED' });

	// the same final call again (Muvi repeats deliveries): answered, not resumed a second time
	const again = call(batch, { jobId: b, status: 'failed' }, signed(JSON.stringify({ jobId: b, status: 'failed' })), 'exec-two');
	expect((await again.run()).workflowData).toBeUndefined();
	expect(again.answer.status).toBe(200);
});

test('two simultaneous final calls of one execution resume it once', async () => {
	const [a, b] = [await submit('a'), await submit('b')];
	fake.completeJob(a);
	fake.completeJob(b);
	const batch = [job(0, a), job(1, b)];
	const results = await Promise.all(
		[a, b].map((id) => call(batch, { jobId: id, status: 'completed' }, signed(JSON.stringify({ jobId: id, status: 'completed' })), 'exec-race').run()),
	);
	expect(results.filter((r) => r.workflowData !== undefined)).toHaveLength(1);
});

test('a signed call about a job outside the batch is answered and ignored', async () => {
	const [a, other] = [await submit('a'), await submit('other')];
	fake.completeJob(other);
	const c = call([job(0, a)], { jobId: other, status: 'completed' }, signed(JSON.stringify({ jobId: other, status: 'completed' })));
	expect((await c.run()).workflowData).toBeUndefined();
	expect(c.answer.status).toBe(200);
});

test("when Muvi's status cannot be read, the call gets 503 (Muvi calls again) and nothing resumes", async () => {
	const [a, b] = [await submit('a'), await submit('b')];
	fake.completeJob(a);
	fake.completeJob(b);
	fake.injectFault({ route: 'status', kind: 'status', status: 500, code: 'INTERNAL_ERROR', times: 100 });
	const c = call([job(0, a), job(1, b)], { jobId: b, status: 'completed' }, signed(JSON.stringify({ jobId: b, status: 'completed' })), 'exec-outage');
	const result = await c.run();
	expect(result.workflowData).toBeUndefined();
	expect(c.answer.status).toBe(503);
}, 60_000);

test('a batch of five finishing together: five simultaneous calls, one resume, one status call per job', async () => {
	const ids = await Promise.all(['a', 'b', 'c', 'd', 'e'].map(submit));
	for (const id of ids) fake.completeJob(id);
	const batch = ids.map((id, i) => job(i, id));
	const results = await Promise.all(
		ids.map((id) => call(batch, { jobId: id, status: 'completed' }, signed(JSON.stringify({ jobId: id, status: 'completed' })), 'exec-five').run()),
	);
	expect(results.filter((r) => r.workflowData !== undefined)).toHaveLength(1);
	expect(results.find((r) => r.workflowData)!.workflowData![0].map((i) => i.json.jobId)).toEqual(ids);
	expect(ids.map(statusCalls)).toEqual([1, 1, 1, 1, 1]);
});

describe('Fallback Models: a failed job\'s call submits the next model with the same resume address', () => {
	const PRIMARY = 'kling/kling-3.0-standard/text-to-video';
	const NEXT = 'kling/kling-3.0-pro/text-to-video';
	const RESUME = 'https://n8n.example.com/webhook-waiting/exec-chain/node-1?signature=tok';
	const submits = () => fake.requests.filter((r) => r.method === 'POST' && r.path === '/v1/jobs/submit');
	/** item 1 (index 0) alone; item 2 (index 1) with one fallback model, as execute() leaves them */
	const setUp = async (executionId: string, models = [NEXT], limits: IDataObject = {}) => {
		const [a, b] = [await submit('one'), await submit('two')];
		const batch: WaitingJob[] = [job(0, a), { ...job(1, b), attempt: 0, chain: 1 + models.length }];
		const waiting: IDataObject[] = [
			{ jobId: a, model: PRIMARY, outcome: 'running' },
			{
				jobId: b,
				model: PRIMARY,
				outcome: 'running',
				attempts: [{ model: PRIMARY, jobId: b, outcome: 'running' }],
				fallbackChain: JSON.stringify({
					model: PRIMARY,
					tries: [],
					...limits,
					next: models.map((model) => ({ model, body: { model, input: { prompt: 'two' }, webhookUrl: RESUME.replace('exec-chain', executionId).replace('?signature=tok', '') }, budgetMs: 60_000, estimatedCostMicroCents: 560000 })),
				}),
			},
		];
		// n8n 2.x calls webhook() only with the resume token in the address, which the items do not keep
		const deliver = (jobId: string, status: string, query?: IDataObject) =>
			call(batch, { jobId, status }, signed(JSON.stringify({ jobId, status })), executionId, { query: { signature: 'tok', ...query }, waiting });
		return { a, b, deliver };
	};
	const nextJob = () => {
		const found = [...fake.jobs.values()].filter((j) => j.model === NEXT);
		expect(found).toHaveLength(1);
		return found[0];
	};

	test('item 2 fails: its next model is submitted once (tagged address), the batch waits for it, then resumes with attempts in order', async () => {
		const { a, b, deliver } = await setUp('exec-chain');
		fake.completeJob(a);
		expect((await deliver(a, 'completed').run()).workflowData).toBeUndefined();

		fake.failJob(b, { code: 'GENERATION_FAILED', message: 'no' });
		const failed = deliver(b, 'failed');
		expect((await failed.run()).workflowData).toBeUndefined();
		expect(failed.answer.status).toBe(200);
		const next = nextJob();
		expect(next.webhookUrl).toBe(`${RESUME}&muviItem=1&muviAttempt=1`);
		// Muvi repeats the failure call: nothing is sent again
		expect((await deliver(b, 'failed').run()).workflowData).toBeUndefined();
		expect(submits()).toHaveLength(3);

		fake.completeJob(next.jobId);
		const last = deliver(next.jobId, 'completed', { muviItem: '1', muviAttempt: '1' });
		const items = (await last.run()).workflowData![0];
		expect(items.map((i) => [i.json.jobId, i.json.status, i.pairedItem])).toEqual([
			[a, 'completed', { item: 0 }],
			[next.jobId, 'completed', { item: 1 }],
		]);
		expect(items[0].json.attempts).toBeUndefined();
		expect(items[1].json).toMatchObject({ model: NEXT, outcome: 'completed' });
		expect(items[1].json.attempts).toEqual([
			expect.objectContaining({ model: PRIMARY, jobId: b, outcome: 'failed', errorCode: 'GENERATION_FAILED', costUsd: 0.42, refundedUsd: 0.42 }),
			expect.objectContaining({ model: NEXT, jobId: next.jobId, outcome: 'completed' }),
		]);
	});

	test('a process that did not see the failure answers 503 (Muvi calls again); the next job\'s tagged call resumes anywhere', async () => {
		const { a, b, deliver } = await setUp('exec-chain-2');
		fake.failJob(b, { code: 'GENERATION_FAILED', message: 'no' });
		expect((await deliver(b, 'failed').run()).workflowData).toBeUndefined();
		const next = nextJob();
		forgetChains(); // the next calls reach another process (or this one after a restart)
		fake.completeJob(a);
		const other = deliver(a, 'completed');
		expect((await other.run()).workflowData).toBeUndefined();
		expect(other.answer.status).toBe(503);
		fake.completeJob(next.jobId);
		const items = (await deliver(next.jobId, 'completed', { muviItem: '1', muviAttempt: '1' }).run()).workflowData![0];
		expect(items[1].json).toMatchObject({ jobId: next.jobId, outcome: 'completed' });
		expect(submits()).toHaveLength(3);
	});

	test('a chain of three: the second model is refused by Muvi (no job), the third is submitted; attempts in the order they happened, each refund once', async () => {
		const THIRD = 'kling/kling-2.6/text-to-video';
		fake.setOptions({ deniedModels: [NEXT] });
		try {
			const { a, b, deliver } = await setUp('exec-chain-5', [NEXT, THIRD]);
			fake.completeJob(a);
			await deliver(a, 'completed').run();
			fake.failJob(b, { code: 'GENERATION_FAILED', message: 'no' });
			await deliver(b, 'failed').run();
			const third = [...fake.jobs.values()].find((j) => j.model === THIRD)!;
			expect(third.webhookUrl).toContain('muviItem=1&muviAttempt=2');
			fake.completeJob(third.jobId);
			const items = (await deliver(third.jobId, 'completed', { muviItem: '1', muviAttempt: '2' }).run()).workflowData![0];
			expect(items[1].json).toMatchObject({ jobId: third.jobId, model: THIRD, outcome: 'completed' });
			expect(items[1].json.attempts).toEqual([
				expect.objectContaining({ model: PRIMARY, jobId: b, outcome: 'failed', refundedUsd: 0.42 }),
				expect.objectContaining({ model: NEXT, jobId: null, outcome: 'not-submitted', errorCode: 'MODEL_ACCESS_DENIED' }),
				expect.objectContaining({ model: THIRD, jobId: third.jobId, outcome: 'completed' }),
			]);
		} finally {
			fake.setOptions({ deniedModels: [] });
		}
	});

	test('every model after the failed job is refused: the item is that failed job, its tries listed once each', async () => {
		fake.setOptions({ deniedModels: [NEXT] });
		try {
			const { a, b, deliver } = await setUp('exec-chain-6');
			fake.completeJob(a);
			await deliver(a, 'completed').run();
			fake.failJob(b, { code: 'GENERATION_FAILED', message: 'no' });
			const items = (await deliver(b, 'failed').run()).workflowData![0];
			expect(items[1].json).toMatchObject({ jobId: b, outcome: 'failed' });
			expect(items[1].json.attempts).toEqual([
				expect.objectContaining({ model: PRIMARY, jobId: b, outcome: 'failed' }),
				expect.objectContaining({ model: NEXT, jobId: null, outcome: 'not-submitted', errorCode: 'MODEL_ACCESS_DENIED' }),
			]);
		} finally {
			fake.setOptions({ deniedModels: [] });
		}
	});

	test('Max Cost per Execution holds for a fallback: spent at the pause, less the failed job\'s refund, plus its estimate', async () => {
		// $0.84 spent at the pause (two jobs); item 2's job fails ($0.42 back): $0.42 + $0.56 = $0.98
		const over = await setUp('exec-chain-7', [NEXT], { limitMicroCents: 950_000, spentMicroCents: 840_000 });
		fake.completeJob(over.a);
		await over.deliver(over.a, 'completed').run();
		fake.failJob(over.b, { code: 'GENERATION_FAILED', message: 'no' });
		const items = (await over.deliver(over.b, 'failed').run()).workflowData![0];
		expect(String(items[1].json.error)).toContain('was not submitted: it would take this execution\'s Muvi spend from $0.42 to $0.98, above Max Cost per Execution $0.95');
		expect((items[1].json.attempts as IDataObject[]).at(-1)).toMatchObject({ model: NEXT, outcome: 'not-submitted' });
		expect(submits()).toHaveLength(2);

		const within = await setUp('exec-chain-8', [NEXT], { limitMicroCents: 1_000_000, spentMicroCents: 840_000 });
		fake.failJob(within.b, { code: 'GENERATION_FAILED', message: 'no' });
		await within.deliver(within.b, 'failed').run();
		expect(submits().filter((r) => JSON.parse(String(r.body)).model === NEXT)).toHaveLength(1);
	});

	test('the next model\'s submit loses its answer: never sent again; the item says a job may exist (outcome "unknown", at its estimate)', async () => {
		const { a, b, deliver } = await setUp('exec-chain-4');
		fake.completeJob(a);
		expect((await deliver(a, 'completed').run()).workflowData).toBeUndefined();
		fake.injectFault({ route: 'submit', kind: 'reset-after-accept' });
		fake.failJob(b, { code: 'GENERATION_FAILED', message: 'no' });
		const items = (await deliver(b, 'failed').run()).workflowData![0];
		expect(items[1].json).toMatchObject({ jobId: b, status: 'failed', outcome: 'unknown', costUsd: 0.56, refundedUsd: 0, netCostUsd: 0.56 });
		expect((items[1].json.attempts as IDataObject[]).at(-1)).toMatchObject({ model: NEXT, jobId: null, outcome: 'unknown', costUsd: 0.56 });
		expect(submits().filter((r) => JSON.parse(String(r.body)).model === NEXT)).toHaveLength(1);
		// Muvi repeats the failure call: still nothing sent again
		await deliver(b, 'failed').run();
		expect(submits().filter((r) => JSON.parse(String(r.body)).model === NEXT)).toHaveLength(1);
	});

	test('the next model is refused (input error): the chain ends, the batch resumes with item 2 failed and both tries listed; no job made twice', async () => {
		const { a, b, deliver } = await setUp('exec-chain-3');
		fake.completeJob(a);
		expect((await deliver(a, 'completed').run()).workflowData).toBeUndefined();
		fake.injectFault({ route: 'submit', kind: 'status', status: 400, code: 'INVALID_INPUT', message: 'bad prompt' });
		fake.failJob(b, { code: 'GENERATION_FAILED', message: 'no' });
		const items = (await deliver(b, 'failed').run()).workflowData![0];
		expect(items[1].json).toMatchObject({ jobId: b, status: 'failed', outcome: 'failed' });
		expect(String(items[1].json.error)).toMatch(/Fallback model "kling\/kling-3\.0-pro\/text-to-video" was not submitted/);
		expect(items[1].json.attempts).toEqual([
			expect.objectContaining({ model: PRIMARY, jobId: b, outcome: 'failed' }),
			expect.objectContaining({ model: NEXT, jobId: null, outcome: 'not-submitted', errorCode: 'INVALID_INPUT' }),
		]);
		expect(submits()).toHaveLength(3);
	});
});
