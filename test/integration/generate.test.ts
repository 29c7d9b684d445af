/**
 * Generate, executed by n8n's own engine against the fake Muvi server: what the API received, and
 * what items and binary data the workflow produced.
 */
import { startFakeMuvi, type FakeMuvi } from '../fake-muvi/server';
import { runMuviNode, type RunOptions } from '../helpers/engine';

const API_KEY = 'pb_canary_key_9f8e7d';
let fake: FakeMuvi;

beforeAll(async () => {
	fake = await startFakeMuvi({ apiKey: API_KEY, jobDurationMs: 300, retryAfterSeconds: 0.2 });
});
afterAll(async () => fake.close());
beforeEach(() => {
	fake.reset();
	fake.setOptions({ jobDurationMs: 300, envelope: 'docs', legacyOutput: false, retryAfterSeconds: 0.2, maxConcurrentJobs: undefined, autoProgress: true });
});

const klingI2V = {
	resource: 'video',
	operation: 'generate',
	model: 'kling/kling-3.0-standard/image-to-video',
	prompt: 'A sneaker rotates on a marble pedestal',
	imageUrl: 'https://example.com/sneaker.jpg',
	aspectRatio: '9:16',
	duration: '10',
	hasSound: true,
};

const motion = {
	resource: 'video',
	operation: 'generate',
	model: 'kling-plus/kling-3.0-pro/motion-control',
	image: 'https://example.com/mascot.png',
	video: 'https://example.com/dance.mp4',
	prompt: 'The mascot dances',
	negativePrompt: '',
	characterOrientation: 'image',
	keepOriginalSound: false,
	shotType: 'intelligent',
};

const run = (parameters: Record<string, unknown>, extra: Partial<RunOptions> = {}) =>
	runMuviNode({ credentials: { apiKey: API_KEY, baseUrl: fake.url }, parameters, ...extra });

const submits = () => fake.requests.filter((r) => r.method === 'POST' && r.path === '/v1/jobs/submit');

describe('Generate: Kling 3.0 Standard image to video', () => {
	test('waits, downloads, reports cost; the API got exact types and the Bearer key', async () => {
		const { items, error } = await run({ ...klingI2V, options: { download: true } });
		expect(error).toBeUndefined();
		expect(submits()).toHaveLength(1);
		const sent = submits()[0];
		expect(sent.headers.authorization).toBe(`Bearer ${API_KEY}`);
		expect(sent.json).toEqual({
			model: 'kling/kling-3.0-standard/image-to-video',
			input: {
				prompt: 'A sneaker rotates on a marble pedestal',
				image_url: 'https://example.com/sneaker.jpg',
				aspect_ratio: '9:16',
				duration: '10',
				has_sound: 'true',
			},
		});

		expect(items).toHaveLength(1);
		const json = items[0].json;
		expect(json).toMatchObject({
			status: 'completed',
			model: 'kling/kling-3.0-standard/image-to-video',
			costMicroCents: 1_260_000,
			costUsd: 1.26,
			estimatedCostMicroCents: 1_260_000,
		});
		expect(json.jobId).toMatch(/^job_/);
		expect(typeof json.requestId).toBe('string');
		expect(typeof json.estimatedCompletionTime).toBe('string');
		expect(json.videoUrl).toBe(`${fake.cdnUrl}/outputs/${json.jobId}/output_0.mp4`);
		expect(json.thumbnailUrl).toBe(`${fake.cdnUrl}/outputs/${json.jobId}/thumb_0.jpg`);
		expect(Array.isArray(json.outputs)).toBe(true);
		expect(typeof json.completedAt).toBe('string');
		expect(items[0].pairedItem).toEqual({ item: 0 });

		const binary = items[0].binary!.data;
		expect(binary.mimeType).toBe('video/mp4');
		expect(binary.fileName).toBe(`${json.jobId}.mp4`);
		expect(binary.bytes ?? Buffer.from(binary.data, 'base64').length).toBe(64 * 1024);

		// the CDN download carried no key; one status call sufficed (the estimate was accurate)
		expect(fake.cdnRequests.filter((r) => r.path.endsWith('output_0.mp4'))).toHaveLength(1);
		expect(fake.cdnRequests.every((r) => !r.carriesApiKey)).toBe(true);
		expect(fake.stats.statusCalls[json.jobId as string]).toBe(1);
	});

	test('without waiting: the job id, status pending and the cost, and no status call', async () => {
		const { items } = await run({ ...klingI2V, duration: '5', hasSound: false, waitForCompletion: false });
		expect(items[0].json).toMatchObject({ status: 'pending', costMicroCents: 420_000, costUsd: 0.42 });
		expect(items[0].json.videoUrl).toBeUndefined();
		expect(fake.stats.statusCalls).toEqual({});
		expect(items[0].binary).toBeUndefined();
	});

	test('several items: one job each, paired with their input item', async () => {
		const { items } = await run(
			{ ...klingI2V, prompt: '={{ $json.p }}', waitForCompletion: false },
			{ items: [{ p: 'one' }, { p: 'two' }, { p: 'three' }] },
		);
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(submits().map((s) => (s.json as { input: { prompt: string } }).input.prompt).sort()).toEqual(['one', 'three', 'two']);
	});
});

describe('Generate: Kling 3.0 Pro motion control', () => {
	test('sends the real boolean and the documented names; flat cost 50,000', async () => {
		const { items, error } = await run({ ...motion, options: { download: true, binaryPropertyName: 'video' } });
		expect(error).toBeUndefined();
		expect(submits()[0].json).toEqual({
			model: 'kling-plus/kling-3.0-pro/motion-control',
			input: {
				image: 'https://example.com/mascot.png',
				video: 'https://example.com/dance.mp4',
				prompt: 'The mascot dances',
				character_orientation: 'image',
				keep_original_sound: false,
				shot_type: 'intelligent',
			},
		});
		expect(items[0].json).toMatchObject({ status: 'completed', costMicroCents: 50_000, costUsd: 0.05 });
		expect(items[0].binary!.video.mimeType).toBe('video/mp4');
	});
});

describe('validation before any request', () => {
	test.each([
		['an image URL that is not http(s)', { imageUrl: 'file:///tmp/x.jpg' }, /Item 1: "Image URL" \(imageUrl\).*must be a web address/],
		['a prompt over 2500 characters', { prompt: 'x'.repeat(2600) }, /2600 characters long; the model accepts at most 2500/],
		['a duration the model does not offer', { duration: '7' }, /"Duration" \(duration\).*cannot be "7"/],
		['a webhook URL that is not https', { options: { webhookUrl: 'http://example.com/hook' } }, /"Webhook URL" must start with https/],
	])('%s fails the item and sends nothing', async (_, change, message) => {
		const { error } = await run({ ...klingI2V, ...change });
		expect(error?.message).toMatch(message);
		expect(error?.description).toMatch(/Nothing was sent to Muvi/);
		expect(fake.requests).toHaveLength(0);
	});

	test('a prompt that an expression leaves empty is refused (n8n itself refuses an empty literal)', async () => {
		const { error } = await run({ ...klingI2V, prompt: '={{ $json.p }}' }, { items: [{ p: '' }] });
		expect(error?.message).toMatch(/Item 1: "Prompt" \(prompt\) is required/);
		expect(fake.requests).toHaveLength(0);
	});

	test('the second item is named when it is the bad one', async () => {
		const { error } = await run({ ...klingI2V, imageUrl: '={{ $json.url }}' }, { items: [{ url: 'https://e.com/a.jpg' }, { url: 'nope' }] });
		expect(error?.message).toMatch(/^Item 2: "Image URL"/);
	});

	test('Max Cost refuses an item above it, naming both amounts', async () => {
		const { error } = await run({ ...klingI2V, duration: '15', hasSound: true, options: { maxCostUsd: 1 } });
		expect(error?.message).toMatch(/estimated cost \$1\.89 \(1,890,000 micro-cents\) is above Max Cost \$1\.00/);
		expect(fake.requests).toHaveLength(0);
	});

	test('Max Cost lets a cheaper item through', async () => {
		const { error, items } = await run({ ...klingI2V, duration: '5', hasSound: false, waitForCompletion: false, options: { maxCostUsd: 0.5 } });
		expect(error).toBeUndefined();
		expect(items[0].json.costMicroCents).toBe(420_000);
	});

	test('with Continue On Fail a bad item becomes an item with error and the others still run', async () => {
		const { items, error } = await run(
			{ ...klingI2V, imageUrl: '={{ $json.url }}', waitForCompletion: false },
			{ items: [{ url: 'bad' }, { url: 'https://e.com/b.jpg' }], continueOnFail: true },
		);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(2);
		expect(String(items[0].json.error)).toMatch(/"Image URL"/);
		expect(items[1].json.status).toBe('pending');
		expect(submits()).toHaveLength(1);
	});
});

describe('jobs that fail', () => {
	test('a failed job is an error naming the job, the code and the refund', async () => {
		const { error } = await run({ ...klingI2V, prompt: 'please [fail]' });
		const job = [...fake.jobs.values()][0];
		expect(error?.message).toContain(job.jobId);
		expect(error?.message).toContain('GENERATION_FAILED');
		expect(error?.description).toMatch(/refund/);
	});

	test('with Continue On Fail: an item with error, job id and code', async () => {
		const { items, error } = await run({ ...klingI2V, prompt: 'please [fail]' }, { continueOnFail: true });
		expect(error).toBeUndefined();
		const job = [...fake.jobs.values()][0];
		expect(items[0].json).toMatchObject({ jobId: job.jobId, status: 'failed', errorCode: 'GENERATION_FAILED' });
		expect(String(items[0].json.error)).toContain(job.jobId);
	});
});

describe('API answers', () => {
	test('402 INSUFFICIENT_BALANCE says to top up', async () => {
		fake.setOptions({ balanceMicroCents: 100 });
		const { error } = await run(klingI2V);
		expect(error?.message).toBe('Your Muvi balance is too low for this job');
		expect(error?.description).toMatch(/Top up/);
		fake.setOptions({ balanceMicroCents: 1e12 });
	});

	test('429 CONCURRENT_JOBS_EXCEEDED is retried after retryAfter: one job', async () => {
		fake.injectFault({ route: 'submit', kind: 'status', status: 429, code: 'CONCURRENT_JOBS_EXCEEDED', details: { retryAfter: 0.2 } });
		const { items, error } = await run({ ...klingI2V, waitForCompletion: false });
		expect(error).toBeUndefined();
		expect(submits()).toHaveLength(2);
		expect(fake.stats.jobsCreated).toBe(1);
		expect(items[0].json.status).toBe('pending');
	});

	test('503 PUBSUB_PUBLISH_FAILED is retried with backoff: one job', async () => {
		fake.injectFault({ route: 'submit', kind: 'status', status: 503, code: 'PUBSUB_PUBLISH_FAILED' });
		const { error } = await run({ ...klingI2V, waitForCompletion: false });
		expect(error).toBeUndefined();
		expect(fake.stats.jobsCreated).toBe(1);
	});

	test('a connection cut after Muvi accepted the submit: one job, never re-sent, a clear error', async () => {
		fake.injectFault({ route: 'submit', kind: 'reset-after-accept' });
		const { error } = await run(klingI2V);
		expect(error?.message).toMatch(/may have been created/);
		expect(error?.description).toMatch(/did not send the job again/);
		// the job list was checked, and the job Muvi created is named so the user can find it
		expect(error?.description).toContain([...fake.jobs.keys()][0]);
		expect(submits()).toHaveLength(1);
		expect(fake.stats.jobsCreated).toBe(1);
	});

	test('a connection cut before Muvi read the submit: never re-sent (the body may have arrived), a job-may-exist error', async () => {
		fake.injectFault({ route: 'submit', kind: 'reset-before-read' });
		const { items, error } = await run({ ...klingI2V, waitForCompletion: false });
		expect(error?.message).toMatch(/may have been created/);
		expect(submits()).toHaveLength(1);
		expect(fake.stats.jobsCreated).toBe(0);
		expect(items).toHaveLength(0);
	});

	test('a malformed answer to a submit is not re-sent either', async () => {
		fake.injectFault({ route: 'submit', kind: 'malformed-json' });
		const { error } = await run(klingI2V);
		expect(error?.message).toMatch(/may have been created/);
		expect(fake.stats.jobsCreated).toBe(1);
	});

	test('status reads recover from 500 and malformed JSON', async () => {
		fake.injectFault({ route: 'status', kind: 'status', status: 500, code: 'INTERNAL_ERROR' });
		fake.injectFault({ route: 'status', kind: 'malformed-json' });
		const { items, error } = await run(klingI2V);
		expect(error).toBeUndefined();
		expect(items[0].json.status).toBe('completed');
	});

	test('the wrapped envelope and the legacy output shape are both read', async () => {
		fake.setOptions({ envelope: 'wrapped', legacyOutput: true });
		const { items, error } = await run({ ...klingI2V, options: { download: true } });
		expect(error).toBeUndefined();
		expect(items[0].json.status).toBe('completed');
		expect(String(items[0].json.videoUrl)).toMatch(/output_0\.mp4$/);
		expect(items[0].binary?.data).toBeDefined();
	});

	test('a job still running at the Timeout: no node error; its item says it is paid and running, with its id; the job left alone', async () => {
		fake.setOptions({ jobDurationMs: 20_000 });
		const { items, error } = await run({ ...klingI2V, options: { timeout: 1 } });
		const job = [...fake.jobs.values()][0];
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ jobId: job.jobId, outcome: 'running', costUsd: 1.26, refundedUsd: 0, netCostUsd: 1.26 });
		expect(String(items[0].json.error)).toMatch(new RegExp(`^Job ${job.jobId} is still (pending|processing) after 1 seconds: it is paid and keeps rendering at Muvi\\. Collect it with Job → Wait for Completion`));
		expect(job.status).not.toBe('cancelled');
	});

	test('On Timeout "Cancel Pending Jobs": a job still pending is cancelled and refunded', async () => {
		fake.setOptions({ autoProgress: false });
		const { items, error } = await run({ ...klingI2V, options: { timeout: 1, onTimeout: 'cancelPending' } });
		const job = [...fake.jobs.values()][0];
		expect(error).toBeUndefined();
		expect(job.status).toBe('cancelled');
		expect(items[0].json).toMatchObject({ jobId: job.jobId, status: 'cancelled', outcome: 'cancelled', costUsd: 1.26, refundedUsd: 1.26, netCostUsd: 0 });
		expect(String(items[0].json.error)).toMatch(/was still pending after 1 seconds, so it was cancelled .*refunded/);
	});

	test('On Timeout "Cancel Pending Jobs": a job already processing is not cancelled, and its item says why', async () => {
		fake.setOptions({ autoProgress: false });
		const pending = run({ ...klingI2V, options: { timeout: 2, onTimeout: 'cancelPending' } });
		for (let i = 0; i < 50 && fake.jobs.size === 0; i++) await new Promise((r) => setTimeout(r, 20));
		fake.advanceJob([...fake.jobs.keys()][0]);
		const { items, error } = await pending;
		const job = [...fake.jobs.values()][0];
		expect(error).toBeUndefined();
		expect(job.status).toBe('processing');
		expect(items[0].json).toMatchObject({ jobId: job.jobId, outcome: 'running', netCostUsd: 1.26 });
		expect(String(items[0].json.error)).toMatch(/Muvi can only cancel a job that is still pending, and this one is processing/);
	});

	test('a wrong key: the API message, and the key in no output', async () => {
		const result = await runMuviNode({ credentials: { apiKey: 'pb_wrong_key_123456', baseUrl: fake.url }, parameters: klingI2V });
		expect(result.error?.message).toBe('Muvi does not recognise this API key');
		expect(JSON.stringify(result.run.data)).not.toContain('pb_wrong_key_123456');
	});

	test('the canary key never appears in items or errors', async () => {
		const ok = await run({ ...klingI2V, options: { download: true } });
		const failed = await run({ ...klingI2V, prompt: '[fail]' });
		fake.injectFault({ route: 'submit', kind: 'reset-after-accept' });
		const cut = await run(klingI2V);
		for (const r of [ok, failed, cut]) {
			expect(JSON.stringify(r.run.data)).not.toContain(API_KEY);
			expect(JSON.stringify({ m: r.error?.message, d: r.error?.description })).not.toContain(API_KEY);
		}
	});
});
