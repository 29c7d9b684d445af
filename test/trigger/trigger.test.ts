/**
 * The Muvi Video Trigger served like an n8n production webhook (see harness.ts): real HTTP requests,
 * n8n-core's WebhookContext and WorkflowExecute, and the fake Muvi API/CDN for fetch and download.
 * Each case asserts what the sender got (status, body, time) and what the workflow got (executions).
 */
import { createHash } from 'node:crypto';

import { request } from 'undici';

import { expectedOutputSha256, startFakeMuvi, type FakeMuvi } from '../fake-muvi/server';
import { muviSignature, startTriggerHarness, unixNow, type TriggerHarness, type TriggerHarnessOptions } from './harness';

const SECRET = 'whsec_trigger_test_7d3f1a';
const API_KEY = 'pb_trigger_test_key_91c2';
const CDN = 'https://cdn.muvi.video/outputs';

const completed = (jobId = 'job_abc123def456') => ({
	jobId,
	requestId: 'req_789xyz',
	status: 'completed',
	output: { url: `${CDN}/${jobId}/output_0.mp4`, metadata: { format: 'mp4' } },
	completedAt: '2026-01-01T00:00:10Z',
});
const failed = (jobId = 'job_failed0001') => ({
	jobId,
	requestId: 'req_failed',
	status: 'failed',
	error: { code: 'GENERATION_FAILED', message: 'Generation failed; credits were refunded' },
	completedAt: '2026-01-01T00:00:10Z',
});

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
	while (open.length) await open.pop()!.close();
});

async function harness(overrides: Partial<TriggerHarnessOptions> = {}): Promise<TriggerHarness> {
	const h = await startTriggerHarness({
		credentials: { apiKey: API_KEY, baseUrl: 'http://127.0.0.1:9', webhookSecret: SECRET },
		// fetchJob is on by default; these cases have no Muvi API to read from
		parameters: { options: { fetchJob: false } },
		...overrides,
	});
	open.push(h);
	return h;
}

async function fakeMuvi(options: Parameters<typeof startFakeMuvi>[0] = {}): Promise<FakeMuvi> {
	const fake = await startFakeMuvi({
		apiKey: API_KEY,
		webhookSecret: SECRET,
		allowHttpWebhooks: true,
		jobDurationMs: 100,
		idSeed: `trigger-${Math.random()}`,
		...options,
	});
	open.push(fake);
	return fake;
}

/** Submits a job to the fake Muvi API with the trigger's URL as webhookUrl. */
async function submitJob(
	fake: FakeMuvi,
	webhookUrl: string,
	job: { model: string; input: Record<string, unknown> } = { model: 'kling/kling-3.0-standard/text-to-video', input: { prompt: 'a red fox in snow' } },
): Promise<string> {
	const res = await request(`${fake.url}/v1/jobs/submit`, {
		method: 'POST',
		headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
		body: JSON.stringify({ ...job, webhookUrl }),
	});
	const body = (await res.body.json()) as { jobId: string };
	expect(res.statusCode).toBe(200);
	return body.jobId;
}

/** Nothing the workflow or the sender sees may carry the secret or the API key. */
function expectNoSecrets(h: TriggerHarness, ...texts: string[]): void {
	const seen = JSON.stringify(h.executions.map((e) => e.items)) + texts.join('\n');
	expect(seen).not.toContain(SECRET);
	expect(seen).not.toContain(API_KEY);
}

describe('Muvi Video Trigger: accepted deliveries', () => {
	it('starts one execution with the job fields for a signed "completed" delivery', async () => {
		const h = await harness();
		const answer = await h.postSigned(completed(), SECRET);
		expect(answer.status).toBe(200);
		expect(answer.json).toEqual({ message: 'Workflow was started' });
		await h.settle();
		expect(h.executions).toHaveLength(1);
		const [execution] = h.executions;
		expect(execution.error).toBeUndefined();
		expect(execution.items).toHaveLength(1);
		const json = execution.items[0].json;
		expect(json).toMatchObject({
			jobId: 'job_abc123def456',
			requestId: 'req_789xyz',
			status: 'completed',
			completedAt: '2026-01-01T00:00:10Z',
			videoUrl: `${CDN}/job_abc123def456/output_0.mp4`,
			signatureVerified: true,
		});
		// with Fetch Job Details off, the webhook's own output is passed on as received
		expect(json.output).toEqual(completed().output);
		expect(json.outputs).toBeUndefined();
		expect(json.error).toBeUndefined();
		expect(Date.parse(json.receivedAt as string)).toBeGreaterThan(Date.now() - 10_000);
		expect(execution.items[0].binary).toBeUndefined();
		expectNoSecrets(h, answer.text);
	});

	it('starts one execution with error {code, message} for a signed "failed" delivery', async () => {
		const h = await harness();
		const answer = await h.postSigned(failed(), SECRET);
		expect(answer.status).toBe(200);
		await h.settle();
		expect(h.executions).toHaveLength(1);
		const json = h.executions[0].items[0].json;
		expect(json).toMatchObject({
			jobId: 'job_failed0001',
			status: 'failed',
			error: { code: 'GENERATION_FAILED', message: 'Generation failed; credits were refunded' },
		});
		expect(json.videoUrl).toBeUndefined();
	});

	it('accepts the signature in uppercase hex', async () => {
		const h = await harness();
		const body = JSON.stringify(completed('job_upper'));
		const ts = String(unixNow());
		const signature = 'sha256=' + muviSignature(SECRET, ts, body).slice(7).toUpperCase();
		const answer = await h.post(body, { 'x-pixelbyte-timestamp': ts, 'x-pixelbyte-signature': signature });
		expect(answer.status).toBe(200);
		await h.settle();
		expect(h.executions).toHaveLength(1);
	});

	it('verifies the exact bytes received (pretty-printed JSON, non-ASCII text, charset parameter)', async () => {
		const h = await harness();
		const body = JSON.stringify({ ...completed('job_bytes'), note: 'café ✓' }, null, 4);
		const ts = String(unixNow());
		const answer = await h.post(Buffer.from(body, 'utf8'), {
			'content-type': 'application/json; charset=utf-8',
			'x-pixelbyte-timestamp': ts,
			'x-pixelbyte-signature': muviSignature(SECRET, ts, body),
		});
		expect(answer.status).toBe(200);
		await h.settle();
		expect(h.executions[0].items[0].json.jobId).toBe('job_bytes');
	});

	it('without a raw body on the request, falls back to the parsed body as Muvi’s Node example serialises it', async () => {
		const h = await harness({ exposeRawBody: false });
		// compact JSON.stringify output verifies; anything else cannot be reconstructed and is refused
		expect((await h.postSigned(completed('job_compact'), SECRET)).status).toBe(200);
		const pretty = JSON.stringify(completed('job_pretty'), null, 2);
		expect((await h.postSigned(pretty, SECRET)).status).toBe(401);
		await h.settle();
		expect(h.executions.map((e) => e.items[0].json.jobId)).toEqual(['job_compact']);
	});

	it('reads the video URL from any documented output shape', async () => {
		const h = await harness();
		const shapes = [
			{ jobId: 'job_s1', status: 'completed', output: `${CDN}/job_s1/output_0.mp4` },
			{ jobId: 'job_s2', status: 'completed', output: { videoUrl: `${CDN}/job_s2/output_0.mp4` } },
			{ jobId: 'job_s3', status: 'completed', outputs: [{ url: `${CDN}/job_s3/output_0.mp4`, type: 'video' }] },
			{ jobId: 'job_s4', status: 'completed' },
		];
		for (const payload of shapes) expect((await h.postSigned(payload, SECRET)).status).toBe(200);
		await h.settle();
		expect(h.executions.map((e) => e.items[0].json.videoUrl)).toEqual([
			`${CDN}/job_s1/output_0.mp4`,
			`${CDN}/job_s2/output_0.mp4`,
			`${CDN}/job_s3/output_0.mp4`,
			null,
		]);
		expect(h.executions.map((e) => e.items[0].json.requestId)).toEqual([null, null, null, null]);
	});
});

describe('Muvi Video Trigger: refused with 401, no execution', () => {
	const body = JSON.stringify(completed('job_refused'));
	/** the timestamp the case signed with, to check the expected signature is not echoed */
	let lastTs: string | undefined;
	beforeEach(() => {
		lastTs = undefined;
	});

	async function expect401(
		h: TriggerHarness,
		send: () => Promise<{ status: number; text: string; json: unknown; ms: number }>,
		reason: string,
	): Promise<void> {
		const answer = await send();
		expect(answer.status).toBe(401);
		// an anonymous caller learns nothing about which check failed
		expect(answer.json).toEqual({ error: 'unauthorized', message: 'The request was refused.' });
		await h.settle();
		expect(h.executions).toHaveLength(0);
		expect(h.webhookResults.at(-1)).toEqual({ noWebhookResponse: true });
		// the operator finds the reason in n8n's log, without the secret, the signature or the body
		const logged = h.logs().filter((entry) => entry.level === 'warn');
		expect(logged).toHaveLength(1);
		expect(logged[0].meta).toMatchObject({ reason, workflowId: h.workflowId, node: 'Muvi Video Trigger' });
		expect(Object.keys(logged[0].meta!).filter((k) => !['file', 'function'].includes(k)).sort()).toEqual(['node', 'reason', 'workflowId']);
		expect(logged[0].message.startsWith(`Muvi Video Trigger refused a webhook request (${reason}): `)).toBe(true);
		const logText = JSON.stringify(logged);
		const ts = lastTs ?? String(unixNow());
		for (const text of [answer.text, logText]) {
			expect(text).not.toContain(SECRET);
			expect(text).not.toContain(muviSignature(SECRET, ts, body).slice(7));
			expect(text).not.toContain('job_refuse');
			expect(text).not.toContain('completedAt');
		}
		expectNoSecrets(h, answer.text, logText);
	}

	it.each([
		['no headers at all', {}, 'missing-timestamp'],
		['only the signature', { signatureOnly: true }, 'missing-timestamp'],
		['only the timestamp', { timestampOnly: true }, 'missing-signature'],
	] as const)('missing headers: %s', async (_label, which, reason) => {
		const h = await harness();
		const ts = String(unixNow());
		lastTs = ts;
		const headers: Record<string, string> = {};
		if ('signatureOnly' in which) headers['x-pixelbyte-signature'] = muviSignature(SECRET, ts, body);
		if ('timestampOnly' in which) headers['x-pixelbyte-timestamp'] = ts;
		await expect401(h, () => h.post(body, headers), reason);
	});

	it('no signing secret in the credential (a signature made with an empty key does not help)', async () => {
		const h = await harness({ credentials: { apiKey: API_KEY, baseUrl: 'http://127.0.0.1:9', webhookSecret: '' } });
		await expect401(h, () => h.postSigned(body, ''), 'missing-secret');
	});

	it('a secret of only whitespace counts as none', async () => {
		const h = await harness({ credentials: { apiKey: API_KEY, baseUrl: 'http://127.0.0.1:9', webhookSecret: '   ' } });
		await expect401(h, () => h.postSigned(body, '   '), 'missing-secret');
	});

	it('signed with another secret', async () => {
		const h = await harness();
		await expect401(h, () => h.postSigned(body, 'whsec_someone_else'), 'signature-mismatch');
	});

	it('the body was altered after signing', async () => {
		const h = await harness();
		const ts = String(unixNow());
		lastTs = ts;
		const altered = body.replace('job_refused', 'job_refusee');
		await expect401(
			h,
			() => h.post(altered, { 'x-pixelbyte-timestamp': ts, 'x-pixelbyte-signature': muviSignature(SECRET, ts, body) }),
			'signature-mismatch',
		);
	});

	it('the timestamp was changed after signing', async () => {
		const h = await harness();
		const ts = String(unixNow());
		lastTs = ts;
		await expect401(
			h,
			() => h.post(body, { 'x-pixelbyte-timestamp': String(Number(ts) - 5), 'x-pixelbyte-signature': muviSignature(SECRET, ts, body) }),
			'signature-mismatch',
		);
	});

	it('a replay: correctly signed, but 901 s old (the default tolerance is 900 s)', async () => {
		const h = await harness();
		const ts = String(unixNow() - 901);
		lastTs = ts;
		await expect401(h, () => h.postSigned(body, SECRET, { timestamp: ts }), 'stale-timestamp');
	});

	it('correctly signed, but dated 901 s in the future', async () => {
		const h = await harness();
		const ts = String(unixNow() + 901);
		lastTs = ts;
		await expect401(h, () => h.postSigned(body, SECRET, { timestamp: ts }), 'future-timestamp');
	});

	it('a tighter tolerance option refuses a 90 s old request', async () => {
		const h = await harness({ parameters: { options: { fetchJob: false, toleranceSeconds: 60 } } });
		const ts = String(unixNow() - 90);
		lastTs = ts;
		await expect401(h, () => h.postSigned(body, SECRET, { timestamp: ts }), 'stale-timestamp');
	});

	it.each([
		['without the sha256= prefix', (s: string) => s.slice(7)],
		['non-hex garbage', () => 'sha256=' + 'zz'.repeat(32)],
		['wrong length', (s: string) => s.slice(0, -2)],
		['base64 digest', () => 'sha256=' + Buffer.alloc(32, 7).toString('base64')],
	])('a malformed signature: %s', async (_label, mutate) => {
		const h = await harness();
		const ts = String(unixNow());
		lastTs = ts;
		await expect401(
			h,
			() => h.post(body, { 'x-pixelbyte-timestamp': ts, 'x-pixelbyte-signature': mutate(muviSignature(SECRET, ts, body)) }),
			'malformed-signature',
		);
	});

	it('a timestamp that is not Unix seconds', async () => {
		const h = await harness();
		const ts = new Date().toISOString();
		lastTs = ts;
		await expect401(h, () => h.postSigned(body, SECRET, { timestamp: ts }), 'malformed-timestamp');
	});

	it('refuses before it looks at the body (a forged delivery leaves no trace in the duplicate memory)', async () => {
		const h = await harness();
		await h.postSigned(completed('job_forged'), 'whsec_attacker');
		expect(h.savedStaticData()).toEqual({});
		// the real delivery of that job still starts the workflow
		expect((await h.postSigned(completed('job_forged'), SECRET)).status).toBe(200);
		await h.settle();
		expect(h.executions).toHaveLength(1);
	});
});

describe('Muvi Video Trigger: bad bodies', () => {
	it('unparsable JSON sent as application/json: n8n itself answers 422 before the node runs', async () => {
		const h = await harness();
		const answer = await h.postSigned('{"jobId": "job_1", "status": ', SECRET);
		expect(answer.status).toBe(422);
		expect(h.webhookCalls).toBe(0);
		await h.settle();
		expect(h.executions).toHaveLength(0);
	});

	it('unparsable JSON under another content type, correctly signed: 400 from the node', async () => {
		const h = await harness();
		const answer = await h.postSigned('{"jobId": "job_1", "status": ', SECRET, { headers: { 'content-type': 'text/plain' } });
		expect(answer.status).toBe(400);
		expect(answer.json).toMatchObject({ error: 'bad_request' });
		expect(h.webhookCalls).toBe(1);
		await h.settle();
		expect(h.executions).toHaveLength(0);
	});

	it.each([
		['a JSON array', '[{"jobId":"job_1","status":"completed"}]'],
		['a JSON string', '"completed"'],
		['no jobId', '{"status":"completed"}'],
		['an empty jobId', '{"jobId":"","status":"completed"}'],
		['a numeric jobId', '{"jobId":42,"status":"completed"}'],
		['no status', '{"jobId":"job_1"}'],
		['an empty body', ''],
	])('valid signature, but %s: 400, no execution', async (_label, body) => {
		const h = await harness();
		const answer = await h.postSigned(body, SECRET);
		expect(answer.status).toBe(400);
		await h.settle();
		expect(h.executions).toHaveLength(0);
	});

	it('an unsigned bad body is refused as unsigned (401), not parsed', async () => {
		const h = await harness();
		const answer = await h.post('{"jobId":"job_1"}', { 'content-type': 'text/plain' });
		expect(answer.status).toBe(401);
	});
});

describe('Muvi Video Trigger: duplicates and filtering', () => {
	it('a repeated delivery (same jobId and status, new timestamp) starts the workflow once and still answers 200', async () => {
		const h = await harness();
		const first = await h.postSigned(completed('job_dup'), SECRET);
		const again = await h.postSigned(completed('job_dup'), SECRET, { timestamp: String(unixNow() + 1) });
		expect(first.status).toBe(200);
		expect(again.status).toBe(200);
		expect(again.json).toEqual({ received: true, duplicate: true });
		await h.settle();
		expect(h.executions).toHaveLength(1);
		expect(h.webhookResults.at(-1)).toEqual({ webhookResponse: { received: true, duplicate: true } });
		// remembered in the workflow's static data, which n8n saves after the answer
		expect(Object.keys(h.savedStaticData()['node:Muvi Video Trigger'] as object)).toEqual(['deliveries']);
		expect((h.savedStaticData()['node:Muvi Video Trigger'] as { deliveries: object }).deliveries).toHaveProperty(['job_dup:completed']);
	});

	it('simultaneous copies of one delivery start the workflow once', async () => {
		const h = await harness();
		const answers = await Promise.all(Array.from({ length: 8 }, () => h.postSigned(completed('job_burst'), SECRET)));
		expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
		await h.settle();
		expect(h.executions).toHaveLength(1);
		expect(answers.filter((a) => (a.json as { duplicate?: boolean }).duplicate)).toHaveLength(7);
	});

	it('remembers deliveries across a restart through the saved static data', async () => {
		const before = await harness();
		await before.postSigned(completed('job_restart'), SECRET);
		await before.settle();
		// a new workflow instance (different process memory scope) with the static data as n8n saved it
		const after = await harness({ initialStaticData: before.savedStaticData() });
		const answer = await after.postSigned(completed('job_restart'), SECRET);
		expect(answer.json).toEqual({ received: true, duplicate: true });
		await after.settle();
		expect(after.executions).toHaveLength(0);
	});

	it('"failed" and "completed" of the same job are different events', async () => {
		const h = await harness();
		await h.postSigned({ ...failed('job_both') }, SECRET);
		await h.postSigned(completed('job_both'), SECRET);
		await h.settle();
		expect(h.executions.map((e) => e.items[0].json.status)).toEqual(['failed', 'completed']);
	});

	it('an event not selected in Events answers 200 and starts nothing (nor is it remembered)', async () => {
		const h = await harness({ parameters: { events: ['completed'], options: { fetchJob: false } } });
		const answer = await h.postSigned(failed('job_filtered'), SECRET);
		expect(answer.status).toBe(200);
		expect(answer.json).toMatchObject({ received: true });
		expect((answer.json as { ignored: string }).ignored).toContain('failed');
		const other = await h.postSigned({ jobId: 'job_cancel', status: 'cancelled' }, SECRET);
		expect(other.status).toBe(200);
		await h.settle();
		expect(h.executions).toHaveLength(0);
		expect(h.savedStaticData()).toEqual({});
	});

	it('a manual test run does not use the duplicate memory (the same test event can be sent again)', async () => {
		const h = await harness({ mode: 'manual' });
		await h.postSigned(completed('job_test_event'), SECRET);
		await h.postSigned(completed('job_test_event'), SECRET);
		await h.settle();
		expect(h.executions).toHaveLength(2);
	});
});

describe('Muvi Video Trigger: Accept Unsigned Requests (insecure)', () => {
	it('accepts an unsigned request when no secret is set, and marks the item unverified', async () => {
		const h = await harness({
			credentials: { apiKey: API_KEY, baseUrl: 'http://127.0.0.1:9', webhookSecret: '' },
			parameters: { options: { fetchJob: false, allowUnsigned: true } },
		});
		const answer = await h.post(JSON.stringify(completed('job_unsigned')));
		expect(answer.status).toBe(200);
		await h.settle();
		expect(h.executions[0].items[0].json).toMatchObject({ jobId: 'job_unsigned', signatureVerified: false });
	});

	it('with a secret set: accepts a request without signature headers, still refuses a wrong signature', async () => {
		const h = await harness({ parameters: { options: { fetchJob: false, allowUnsigned: true } } });
		expect((await h.post(JSON.stringify(completed('job_u1')))).status).toBe(200);
		expect((await h.postSigned(completed('job_u2'), 'whsec_wrong')).status).toBe(401);
		const ok = await h.postSigned(completed('job_u3'), SECRET);
		expect(ok.status).toBe(200);
		await h.settle();
		expect(h.executions.map((e) => [e.items[0].json.jobId, e.items[0].json.signatureVerified])).toEqual([
			['job_u1', false],
			['job_u3', true],
		]);
	});
});

describe('Muvi Video Trigger: with the fake Muvi API and CDN', () => {
	it('an image job: the item names its images (imageUrl, imageUrls)', async () => {
		const fake = await fakeMuvi();
		const h = await harness({ credentials: { apiKey: API_KEY, baseUrl: fake.url, webhookSecret: SECRET }, parameters: { options: {} } });
		const jobId = await submitJob(fake, h.url, { model: 'alibaba-plus/wan-2.7/text-to-image', input: { prompt: 'a red fox', num_images: '2' } });
		await fake.waitForWebhook(jobId);
		await h.settle();
		const [item] = h.executions[0].items;
		const urls = (fake.jobs.get(jobId)!.outputs as Array<{ url: string; type: string }>).filter((o) => o.type === 'image').map((o) => o.url);
		expect(urls).toHaveLength(2);
		expect(item.json).toMatchObject({ jobId, status: 'completed', imageUrl: urls[0], imageUrls: urls });
	});

	it('a real signed delivery: fetches the job with the API key, downloads the video without it', async () => {
		const fake = await fakeMuvi({ outputSizeBytes: 300_000 });
		const h = await harness({
			credentials: { apiKey: API_KEY, baseUrl: fake.url, webhookSecret: SECRET },
			parameters: { options: { download: true, binaryPropertyName: 'video' } },
		});
		const jobId = await submitJob(fake, h.url);
		const delivery = await fake.waitForWebhook(jobId);
		expect(delivery.status).toBe('sent');
		expect(delivery.attempts).toHaveLength(1);
		expect(delivery.attempts[0].responseStatus).toBe(200);
		await h.settle();

		expect(h.executions).toHaveLength(1);
		const [item] = h.executions[0].items;
		expect(h.executions[0].error).toBeUndefined();
		const job = fake.jobs.get(jobId)!;
		expect(item.json).toMatchObject({
			jobId,
			requestId: job.requestId,
			status: 'completed',
			completedAt: job.completedAt,
			videoUrl: fake.outputUrl(jobId),
			outputs: job.outputs,
			thumbnailUrl: fake.outputUrl(jobId, 'thumb_0.jpg'),
		});

		// GET /v1/jobs/{id} carried the Bearer key
		const reads = fake.requests.filter((r) => r.method === 'GET' && r.path === `/v1/jobs/${jobId}`);
		expect(reads).toHaveLength(1);
		expect(reads[0].headers.authorization).toBe(`Bearer ${API_KEY}`);
		expect(reads[0].auth).toBe('bearer-valid');

		// the CDN download did not
		const downloads = fake.cdnRequests.filter((r) => r.path === `/outputs/${jobId}/output_0.mp4`);
		expect(downloads).toHaveLength(1);
		expect(downloads[0].carriesApiKey).toBe(false);
		expect(downloads[0].headers.authorization).toBeUndefined();

		// the binary arrived, byte for byte
		const binary = item.binary?.video;
		expect(binary).toBeDefined();
		expect(binary!.mimeType).toBe('video/mp4');
		expect(binary!.fileName).toBe(`${jobId}.mp4`);
		const bytes = Buffer.from(binary!.data, 'base64');
		expect(bytes.length).toBe(300_000);
		expect(createHash('sha256').update(bytes).digest('hex')).toBe(expectedOutputSha256(jobId, 300_000));
		expectNoSecrets(h);
	});

	it('answers Muvi at once even when the API and the CDN are slow (fetch and download run after the answer)', async () => {
		const fake = await fakeMuvi();
		const h = await harness({
			credentials: { apiKey: API_KEY, baseUrl: fake.url, webhookSecret: SECRET },
			parameters: { options: { download: true } },
		});
		fake.injectFault({ route: 'status', kind: 'delay', ms: 4000 });
		fake.injectFault({ route: 'cdn-output', kind: 'delay', ms: 4000 });
		const jobId = await submitJob(fake, h.url);
		const delivery = await fake.waitForWebhook(jobId);
		expect(delivery.attempts[0].responseStatus).toBe(200);
		expect(delivery.attempts[0].durationMs).toBeLessThan(4000); // answered before the 8 s of fetching, however busy the machine
		expect(h.executions).toHaveLength(0); // still fetching
		await h.settle();
		expect(h.executions).toHaveLength(1);
		expect(h.executions[0].items[0].binary?.data).toBeDefined();
		expect(h.executions[0].items[0].json.outputs).toEqual(fake.jobs.get(jobId)!.outputs);
	});

	it('Muvi delivers the same webhook three times: one execution, every copy answered 200', async () => {
		const fake = await fakeMuvi({ webhookDuplicates: 2 });
		const h = await harness({ credentials: { apiKey: API_KEY, baseUrl: fake.url, webhookSecret: SECRET }, parameters: {} });
		const jobId = await submitJob(fake, h.url);
		await fake.waitFor(() => fake.webhooks.filter((d) => d.jobId === jobId && d.status !== 'pending').length === 3);
		await h.settle();
		expect(fake.webhooks.filter((d) => d.jobId === jobId).map((d) => d.attempts.map((a) => a.responseStatus))).toEqual([
			[200],
			[200],
			[200],
		]);
		expect(h.executions).toHaveLength(1);
		expect(h.executions[0].items[0].json).toMatchObject({ jobId, outputs: fake.jobs.get(jobId)!.outputs });
		// the job was read once, for the one execution
		expect(fake.requests.filter((r) => r.path === `/v1/jobs/${jobId}`)).toHaveLength(1);
	});

	it('a job that fails: the item carries the error, nothing is fetched or downloaded', async () => {
		const fake = await fakeMuvi({ failJobs: true });
		const h = await harness({
			credentials: { apiKey: API_KEY, baseUrl: fake.url, webhookSecret: SECRET },
			parameters: { options: { download: true } },
		});
		const jobId = await submitJob(fake, h.url);
		await fake.waitForWebhook(jobId);
		await h.settle();
		const job = fake.jobs.get(jobId)!;
		expect(h.executions[0].items[0].json).toMatchObject({ jobId, status: 'failed', error: job.error });
		expect(h.executions[0].items[0].binary).toBeUndefined();
		expect(fake.requests.filter((r) => r.path === `/v1/jobs/${jobId}`)).toHaveLength(0);
		expect(fake.cdnRequests).toHaveLength(0);
	});

	it('a delivery signed with another secret is refused, and Muvi retries it until it gives up', async () => {
		const fake = await fakeMuvi({ webhookSecret: 'whsec_rotated', webhookRetryScale: 0.001, webhookMaxAttempts: 3 });
		const h = await harness({ credentials: { apiKey: API_KEY, baseUrl: fake.url, webhookSecret: SECRET } });
		const jobId = await submitJob(fake, h.url);
		const delivery = await fake.waitForWebhook(jobId);
		expect(delivery.status).toBe('failed');
		expect(delivery.attempts.map((a) => a.responseStatus)).toEqual([401, 401, 401]);
		await h.settle();
		expect(h.executions).toHaveLength(0);
	});

	it('a delivery whose clock is 20 minutes off is refused as a replay', async () => {
		const fake = await fakeMuvi({ webhookTimestampOffsetSeconds: -1200, webhookMaxAttempts: 1 });
		const h = await harness({ credentials: { apiKey: API_KEY, baseUrl: fake.url, webhookSecret: SECRET } });
		const jobId = await submitJob(fake, h.url);
		const delivery = await fake.waitForWebhook(jobId);
		expect(delivery.attempts.map((a) => a.responseStatus)).toEqual([401]);
		expect(h.executions).toHaveLength(0);
	});

	it('downloads from the webhook output URL when Fetch Job Details is off', async () => {
		const fake = await fakeMuvi();
		const h = await harness({
			credentials: { apiKey: API_KEY, baseUrl: fake.url, webhookSecret: SECRET },
			parameters: { options: { fetchJob: false, download: true } },
		});
		const jobId = await submitJob(fake, h.url);
		await fake.waitForWebhook(jobId);
		await h.settle();
		expect(fake.requests.filter((r) => r.path === `/v1/jobs/${jobId}`)).toHaveLength(0);
		expect(h.executions[0].items[0].binary?.data).toBeDefined();
		expect(fake.cdnRequests[0].carriesApiKey).toBe(false);
	});

	it('when the job cannot be read, the execution fails with Muvi’s error (the delivery was still answered 200)', async () => {
		const fake = await fakeMuvi();
		const h = await harness({ credentials: { apiKey: API_KEY, baseUrl: fake.url, webhookSecret: SECRET }, parameters: {} });
		fake.injectFault({ route: 'status', kind: 'status', status: 403, code: 'OPERATION_NOT_ALLOWED', message: 'missing scope check_status' });
		const jobId = await submitJob(fake, h.url);
		const delivery = await fake.waitForWebhook(jobId);
		expect(delivery.attempts[0].responseStatus).toBe(200);
		await h.settle();
		expect(h.executions).toHaveLength(1);
		expect(h.executions[0].items).toHaveLength(0);
		expect(h.executions[0].error?.message).toMatch(/not allowed/i);
	});

	it('with Continue On Fail, a failed read gives the item with an error message', async () => {
		const fake = await fakeMuvi();
		const h = await harness({
			credentials: { apiKey: API_KEY, baseUrl: fake.url, webhookSecret: SECRET },
			parameters: {},
			continueOnFail: true,
		});
		fake.injectFault({ route: 'status', kind: 'status', status: 404, code: 'JOB_NOT_FOUND', message: 'no such job' });
		const jobId = await submitJob(fake, h.url);
		await fake.waitForWebhook(jobId);
		await h.settle();
		const json = h.executions[0].items[0].json;
		expect(json.jobId).toBe(jobId);
		expect(typeof json.error).toBe('string');
		expect(json.outputs).toBeUndefined();
	});
});
