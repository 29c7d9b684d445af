/**
 * Fallback Models (n8n's engine, the fake Muvi API): a failed job (refunded) or a model Muvi refuses
 * sends the item to the next model of its chain, never after an unclear outcome or an input error; the
 * whole chain is checked and priced before anything is sent; the item lists every attempt.
 */
import type { IDataObject } from 'n8n-workflow';

import { startFakeMuvi, type FakeMuvi } from '../fake-muvi/server';
import { runMuviNode } from '../helpers/engine';

const API_KEY = 'pb_test_fallback';
const PRIMARY = 'kling/kling-3.0-standard/image-to-video';
const FALLBACK = 'kling/kling-3.0-pro/image-to-video';
let fake: FakeMuvi;

beforeAll(async () => {
	fake = await startFakeMuvi({ apiKey: API_KEY, jobDurationMs: 200 });
});
afterAll(async () => fake.close());
beforeEach(() => {
	fake.reset();
	fake.setOptions({ jobDurationMs: 200, autoProgress: true, deniedModels: [] });
});

const generate = (extra: IDataObject = {}): IDataObject => ({
	resource: 'video',
	operation: 'generate',
	model: PRIMARY,
	prompt: '={{ $json.prompt }}',
	imageUrl: 'https://example.com/a.jpg',
	duration: '={{ $json.duration || "5" }}',
	hasSound: false,
	download: false,
	fallbackModels: { models: [{ model: FALLBACK }] },
	...extra,
});
const submits = () => fake.requests.filter((r) => r.method === 'POST' && r.path === '/v1/jobs/submit');
const submitted = () => submits().map((r) => JSON.parse(String(r.body)) as { model: string; input: IDataObject });
const run = (parameters: IDataObject, items: IDataObject[], extra: Partial<Parameters<typeof runMuviNode>[0]> = {}) =>
	runMuviNode({ credentials: { apiKey: API_KEY, baseUrl: fake.url }, parameters, typeVersion: 2, items, ...extra });

const three = [{ prompt: 'one' }, { prompt: 'two [fail:kling-3.0-standard]' }, { prompt: 'three' }];

test("item 2's first job fails: its fallback runs and finishes; 1 job each for items 1 and 3; attempts say so", async () => {
	const result = await run(generate(), three);
	expect(result.error).toBeUndefined();
	const models = submitted().map((b) => `${String(b.input.prompt).split(' ')[0]} ${b.model}`);
	expect(models.sort()).toEqual([`one ${PRIMARY}`, `three ${PRIMARY}`, `two ${FALLBACK}`, `two ${PRIMARY}`].sort());
	const [one, two, three_] = result.items.map((i) => i.json);
	expect(two).toMatchObject({ status: 'completed', model: FALLBACK, outcome: 'completed' });
	expect(two.attempts).toEqual([
		expect.objectContaining({ model: PRIMARY, outcome: 'failed', errorCode: 'GENERATION_FAILED', costUsd: 0.42, refundedUsd: 0.42 }),
		expect.objectContaining({ model: FALLBACK, outcome: 'completed', jobId: two.jobId }),
	]);
	expect((two.attempts as IDataObject[])[0].jobId).not.toBe(two.jobId);
	// the input is carried over: same prompt, image and duration
	const fallbackBody = submitted().find((b) => b.model === FALLBACK)!;
	expect(fallbackBody.input).toMatchObject({ prompt: 'two [fail:kling-3.0-standard]', image_url: 'https://example.com/a.jpg', duration: '5' });
	expect(one.attempts).toEqual([expect.objectContaining({ model: PRIMARY, outcome: 'completed' })]);
	expect(three_.model).toBe(PRIMARY);
});

test('Muvi refuses the model (MODEL_ACCESS_DENIED): the next model is sent, nothing was paid for the refused one', async () => {
	fake.setOptions({ deniedModels: [PRIMARY] });
	const result = await run(generate(), [{ prompt: 'one' }]);
	expect(result.error).toBeUndefined();
	expect(result.items[0].json).toMatchObject({ model: FALLBACK, outcome: 'completed' });
	expect(result.items[0].json.attempts).toEqual([
		expect.objectContaining({ model: PRIMARY, outcome: 'not-submitted', jobId: null, errorCode: 'MODEL_ACCESS_DENIED' }),
		expect.objectContaining({ model: FALLBACK, outcome: 'completed' }),
	]);
});

test('a lost answer does not fall back: 1 submit, outcome "unknown"', async () => {
	fake.injectFault({ route: 'submit', kind: 'reset-after-accept' });
	const result = await run(generate(), [{ prompt: 'one' }], { continueOnFail: true });
	expect(submits()).toHaveLength(1);
	expect(result.items[0].json.outcome).toBe('unknown');
});

test('an input error Muvi reports does not fall back', async () => {
	fake.injectFault({ route: 'submit', kind: 'status', status: 400, code: 'INVALID_INPUT', message: 'bad image' });
	const result = await run(generate(), [{ prompt: 'one' }], { continueOnFail: true });
	expect(submits()).toHaveLength(1);
	expect(result.items[0].json.outcome).toBe('not-submitted');
});

test("a chain whose fallback does not take the item's duration is refused before any submit, naming the model and the field", async () => {
	// Kling 2.6 image-to-video offers 5 and 10 seconds; the item asks for 15
	const result = await run(generate({ fallbackModels: { models: [{ model: 'kling/kling-2.6-i2v/image-to-video' }] } }), [{ prompt: 'one', duration: '15' }, { prompt: 'two' }]);
	expect(result.error?.message).toMatch(/^Item 1: fallback model 1 ".*Kling.*2\.6.*": .*Duration/i);
	expect(submits()).toHaveLength(0);
});

test('a fallback without a place for the item\'s image (text to video) is refused before any submit', async () => {
	const result = await run(generate({ fallbackModels: { models: [{ model: 'kling/kling-3.0-standard/text-to-video' }] } }), [{ prompt: 'one' }]);
	expect(result.error?.message).toMatch(/^Item 1: fallback model 1 ".*": it has no field for "Image URL" \(image_url\)/);
	expect(submits()).toHaveLength(0);
});

test('Max Cost applies to each attempt: a fallback above it is refused before any submit', async () => {
	const result = await run(generate({ maxCostUsd: 0.5 }), [{ prompt: 'one' }]);
	expect(result.error?.message).toMatch(/^Item 1: fallback model 1 ".*Kling 3\.0 Pro.*": The estimated cost \$0\.\d+ .* is above Max Cost \$0\.50/);
	expect(submits()).toHaveLength(0);
});

test('Wait Mode Auto with Fallback Models polls (the chain runs in the node); explicit Muvi Webhook is checked like any webhook wait', async () => {
	const auto = await run(generate({ waitMode: 'auto' }), three);
	expect(auto.error).toBeUndefined();
	expect(auto.items[1].json).toMatchObject({ model: FALLBACK, outcome: 'completed' });
	fake.reset();
	// this engine's n8n is plain http: Muvi Webhook is refused before any submit, as without Fallback Models
	const webhook = await run(generate({ waitMode: 'webhook' }), [{ prompt: 'one' }]);
	expect(webhook.error?.message).toBe('Wait Mode "Muvi Webhook" needs n8n to be reachable over https');
	expect(submits()).toHaveLength(0);
});

test('Retry On Fail with a fallback in flight: no attempt is submitted twice', async () => {
	// item 2 falls back; item 3's only model fails without Continue On Fail, so n8n retries the node
	const items = [{ prompt: 'one' }, { prompt: 'two [fail:kling-3.0-standard]' }, { prompt: 'three [fail]' }];
	const result = await run(generate(), items, { settings: { retryOnFail: true, maxTries: 2, waitBetweenTries: 0 } });
	expect(result.error?.message).toMatch(/failed/);
	const perAttempt = new Map<string, number>();
	for (const b of submitted()) perAttempt.set(`${String(b.input.prompt)}|${b.model}`, (perAttempt.get(`${String(b.input.prompt)}|${b.model}`) ?? 0) + 1);
	expect([...perAttempt.entries()].filter(([, n]) => n !== 1)).toEqual([]);
	// item 3 falls back too (its fallback fails as well): 2 attempts for items 2 and 3, 1 for item 1
	expect(submits()).toHaveLength(5);
});

test('no Fallback Models: the item has no attempts field (versions 1 and 2 keep their outputs)', async () => {
	const result = await run(generate({ fallbackModels: {} }), [{ prompt: 'one' }]);
	expect(result.error).toBeUndefined();
	expect(result.items[0].json.attempts).toBeUndefined();
	expect(result.items[0].json.model).toBe(PRIMARY);
});

test("an editor Retry (a new execution, without the first one's memory) attaches to every attempt: no submit", async () => {
	const workflowId = `wf-fallback-retry-${Date.now()}`;
	const first = await run(generate({ waitForCompletion: true }), three, { workflowId });
	expect(first.error).toBeUndefined();
	expect(submits()).toHaveLength(4);
	const retry = await run(generate({ waitForCompletion: true }), three, { workflowId, mode: 'retry' });
	expect(retry.error).toBeUndefined();
	expect(submits()).toHaveLength(4);
	expect(retry.items.map((i) => i.json.jobId)).toEqual(first.items.map((i) => i.json.jobId));
	expect(retry.items[1].json.model).toBe(FALLBACK);
});

test('Wait Mode Muvi Webhook: Retry On Fail with fallbacks in flight creates no job twice; the execution pauses with the next models ready', async () => {
	// every item's first model is refused, so each item's second model is submitted before the pause;
	// item 3's (the 6th submit) fails once, so n8n runs the node again
	fake.setOptions({ deniedModels: [PRIMARY] });
	const I2V26 = 'kling/kling-2.6-i2v/image-to-video';
	fake.injectFault({ route: 'submit', kind: 'delay', ms: 0, times: 5 });
	fake.injectFault({ route: 'submit', kind: 'status', status: 400, code: 'INVALID_INPUT', message: 'bad once' });
	const result = await run(generate({ waitMode: 'webhook', fallbackModels: { models: [{ model: FALLBACK }, { model: I2V26 }] } }), three.map((t, i) => ({ prompt: i === 1 ? 'two' : t.prompt })), {
		baseUrl: 'https://n8n.example.com',
		credentials: { apiKey: API_KEY, baseUrl: fake.url, webhookSecret: 'whsec_x' },
		settings: { retryOnFail: true, maxTries: 2, waitBetweenTries: 0 },
	});
	expect(result.error).toBeUndefined();
	expect(result.run.waitTill).toBeDefined();
	// one job per item, each of the second model; the refused first models made none
	expect([...fake.jobs.values()].map((j) => `${String(j.input.prompt)} ${j.model}`).sort()).toEqual([`one ${FALLBACK}`, `three ${FALLBACK}`, `two ${FALLBACK}`]);
	expect(submits()).toHaveLength(10);
	// every job carries the resume address; each waiting item carries its next model, ready to send, and its tries so far
	expect(submitted().every((b) => String((b as IDataObject).webhookUrl).startsWith('https://n8n.example.com/webhook-waiting/'))).toBe(true);
	// each item's chain rides on the items the node leaves as its input (what n8n gives webhook(), and passes on at the Timeout)
	const left = result.run.data.executionData?.nodeExecutionStack[0].data.main[0] ?? [];
	expect(left.map((i) => i.json.outcome)).toEqual(['running', 'running', 'running']);
	const chains = left.map((i) => JSON.parse(String(i.json.fallbackChain)) as { model: string; tries: IDataObject[]; next: IDataObject[] });
	expect(chains.map((c) => [c.model, c.next.map((n) => n.model)])).toEqual([[FALLBACK, [I2V26]], [FALLBACK, [I2V26]], [FALLBACK, [I2V26]]]);
	expect(chains[1].tries).toEqual([expect.objectContaining({ model: PRIMARY, outcome: 'not-submitted', errorCode: 'MODEL_ACCESS_DENIED' })]);
	expect(result.items[1].json.attempts).toEqual([
		expect.objectContaining({ model: PRIMARY, outcome: 'not-submitted', errorCode: 'MODEL_ACCESS_DENIED' }),
		expect.objectContaining({ model: FALLBACK, outcome: 'running' }),
	]);
	expect((chains[1].next[0].body as IDataObject).input).toMatchObject({ prompt: 'two', image_url: 'https://example.com/a.jpg' });
	// what passes on at the Timeout holds no resume token (n8n 2.x's signature): webhook() takes it from Muvi's call
	const resumeUrl = new URL(String((submitted()[0] as IDataObject).webhookUrl));
	const carriedUrl = new URL(String((chains[1].next[0].body as IDataObject).webhookUrl));
	expect(`${carriedUrl.origin}${carriedUrl.pathname}`).toBe(`${resumeUrl.origin}${resumeUrl.pathname}`);
	expect(carriedUrl.searchParams.has('signature')).toBe(false);
});

test('Wait Mode Muvi Webhook, a batch too large to keep for the webhook (40 items): polled after all, each chain goes on from its job', async () => {
	const items = Array.from({ length: 40 }, (_, i) => ({ prompt: i === 1 ? 'two [fail:kling-3.0-standard]' : `item ${i + 1}` }));
	const result = await run(generate({ waitMode: 'webhook' }), items, {
		baseUrl: 'https://n8n.example.com',
		credentials: { apiKey: API_KEY, baseUrl: fake.url, webhookSecret: 'whsec_x' },
	});
	expect(result.error).toBeUndefined();
	expect(result.run.waitTill).toBeUndefined();
	expect(result.items).toHaveLength(40);
	expect(result.items[1].json).toMatchObject({ model: FALLBACK, outcome: 'completed' });
	expect(result.items[1].json.attempts).toEqual([
		expect.objectContaining({ model: PRIMARY, outcome: 'failed', errorCode: 'GENERATION_FAILED' }),
		expect.objectContaining({ model: FALLBACK, outcome: 'completed' }),
	]);
	expect(result.items.filter((i) => i.json.outcome === 'completed')).toHaveLength(40);
	// one job per item, two for item 2 (the first refunded)
	expect(fake.jobs.size).toBe(41);
}, 120_000);

test('a binary image is uploaded once for the whole chain: the fallback gets the same file URL (Poll and Muvi Webhook)', async () => {
	const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(3000, 9)]);
	const items = [{ json: { prompt: 'two [fail:kling-3.0-standard]' }, binary: { photo: { data: jpeg.toString('base64'), mimeType: 'image/jpeg', fileName: 'shoe.jpg' } } }];
	const binaryImage = { imageUrl: undefined, imageUrlSource: 'binary', imageUrlBinaryProperty: 'photo' };
	const presigns = () => fake.requests.filter((r) => r.path === '/v1/uploads/presign').length;

	// Poll: the fallback is sent after the first job failed
	const polled = await run(generate(binaryImage), items);
	expect(polled.error).toBeUndefined();
	expect(polled.items[0].json).toMatchObject({ model: FALLBACK, outcome: 'completed' });
	expect(presigns()).toBe(1);
	expect(new Set(submitted().map((b) => b.input.image_url)).size).toBe(1);

	// Muvi Webhook: the fallback's request is made ready before the pause, with the same URL
	fake.reset();
	const paused = await run(generate({ ...binaryImage, waitMode: 'webhook' }), items, {
		baseUrl: 'https://n8n.example.com',
		credentials: { apiKey: API_KEY, baseUrl: fake.url, webhookSecret: 'whsec_x' },
	});
	expect(paused.run.waitTill).toBeDefined();
	expect(presigns()).toBe(1);
	const left = paused.run.data.executionData?.nodeExecutionStack[0].data.main[0] ?? [];
	const next = (JSON.parse(String(left[0].json.fallbackChain)) as { next: Array<{ body: { input: IDataObject } }> }).next[0];
	expect(next.body.input.image_url).toBe(submitted()[0].input.image_url);
});
