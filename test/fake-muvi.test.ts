/**
 * Tests of the fake Muvi API itself (test/fake-muvi/). Every other suite trusts the fake to behave
 * like /work/shared/muvi-api.md, so each documented behaviour it offers is proven here.
 */
import { spawn } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fetch, request } from 'undici';
import { expectedOutputSha256, signWebhook, startFakeMuvi } from './fake-muvi/server';
import type { FakeMuvi, FakeMuviOptions } from './fake-muvi/server';

const SEED_I2V = 'kling/kling-3.0-standard/image-to-video';
const SEED_MC = 'kling-plus/kling-3.0-pro/motion-control';
const I2V_INPUT = { prompt: 'a cat surfing', image_url: 'https://example.com/cat.png' };
const MC_INPUT = { image: 'https://example.com/person.png', video: 'https://example.com/dance.mp4' };

let fake: FakeMuvi | undefined;
const extraClosers: Array<() => Promise<void>> = [];

async function start(options: FakeMuviOptions = {}): Promise<FakeMuvi> {
	fake = await startFakeMuvi(options);
	return fake;
}

afterEach(async () => {
	await fake?.close();
	fake = undefined;
	while (extraClosers.length) await (extraClosers.pop() as () => Promise<void>)();
});

interface CallResult {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	text: string;
	json: any;
}

async function call(
	f: FakeMuvi,
	method: string,
	path: string,
	opts: { body?: unknown; key?: string | null; headers?: Record<string, string>; headersTimeout?: number } = {},
): Promise<CallResult> {
	const key = opts.key === undefined ? f.apiKey : opts.key;
	const headers: Record<string, string> = { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(opts.headers ?? {}) };
	let body: string | undefined;
	if (opts.body !== undefined) {
		body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
		headers['content-type'] = 'application/json';
	}
	const res = await request(f.url + path, { method: method as 'GET', headers, body, headersTimeout: opts.headersTimeout });
	const text = await res.body.text();
	let json: any;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: res.statusCode, headers: res.headers, text, json };
}

const submit = (f: FakeMuvi, body: unknown, key?: string | null) => call(f, 'POST', '/v1/jobs/submit', { body, key });
const submitI2V = (f: FakeMuvi, input: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) =>
	submit(f, { model: SEED_I2V, input: { ...I2V_INPUT, ...input }, ...extra });

function expectError(r: CallResult, status: number, code: string): void {
	expect({ status: r.status, code: r.json?.error?.code }).toEqual({ status, code });
	expect(r.json.success).toBe(false);
	expect(typeof r.json.error.message).toBe('string');
	expect(typeof r.json.error.details).toBe('object');
	expect(r.json.requestId).toMatch(/^req_/);
}

/** A loopback webhook receiver answering with the queued statuses (then 200). */
async function receiver(statuses: number[] = [], hang = false) {
	const received: Array<{ headers: IncomingMessage['headers']; body: string; at: number }> = [];
	const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
			if (hang) return;
			res.writeHead(statuses.length ? (statuses.shift() as number) : 200);
			res.end('ok');
		});
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
	extraClosers.push(
		() =>
			new Promise<void>((r) => {
				server.close(() => r());
				server.closeAllConnections();
			}),
	);
	return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
}

// =============================================================================================

describe('signWebhook', () => {
	test('is sha256=<hex HMAC-SHA256(secret, timestamp.rawBody)> (vector computed with openssl)', () => {
		const body = '{"jobId":"job_1","status":"completed"}';
		expect(signWebhook('whsec_test', '1700000000', body)).toBe('sha256=e6f11263f1823fae8afcaeea60d0e29a7753103ad2e0d56534773af52d3fc840');
	});
});

describe('auth', () => {
	test('missing, malformed and wrong keys; catalog is public', async () => {
		const f = await start();
		expectError(await call(f, 'GET', '/v1/jobs', { key: null }), 401, 'UNAUTHORIZED');
		expectError(await call(f, 'GET', '/v1/jobs', { key: null, headers: { authorization: 'Token abc' } }), 401, 'UNAUTHORIZED');
		expectError(await call(f, 'GET', '/v1/jobs', { key: 'pb_wrong' }), 401, 'INVALID_API_KEY');
		expect((await call(f, 'GET', '/v1/jobs')).status).toBe(200);
		expect((await call(f, 'GET', '/v1/catalog/categories', { key: null })).status).toBe(200);
		expect(f.requests.map((r) => r.auth)).toEqual(['none', 'bearer-malformed', 'bearer-unknown', 'bearer-valid', 'none']);
	});

	test('x-api-key only on models/providers; modelsAuth narrows it', async () => {
		const f = await start();
		expect((await call(f, 'GET', '/v1/models', { key: null, headers: { 'x-api-key': f.apiKey } })).status).toBe(200);
		expect((await call(f, 'GET', '/v1/providers')).status).toBe(200);
		expectError(await call(f, 'GET', '/v1/models', { key: null, headers: { 'x-api-key': 'nope' } }), 401, 'INVALID_API_KEY');
		expectError(await call(f, 'GET', '/v1/jobs', { key: null, headers: { 'x-api-key': f.apiKey } }), 401, 'UNAUTHORIZED');
		f.setOptions({ modelsAuth: 'x-api-key' });
		expectError(await call(f, 'GET', '/v1/models'), 401, 'UNAUTHORIZED');
		f.setOptions({ modelsAuth: 'bearer' });
		expectError(await call(f, 'GET', '/v1/models', { key: null, headers: { 'x-api-key': f.apiKey } }), 401, 'UNAUTHORIZED');
		expect((await call(f, 'GET', '/v1/models')).status).toBe(200);
	});

	test('scopes, key states, IP allow-list, other account', async () => {
		const f = await start({
			scopes: ['check_status'],
			keys: [
				{ key: 'k_inactive', state: 'inactive' },
				{ key: 'k_expired', state: 'expired' },
				{ key: 'k_ip', allowedIPs: ['10.0.0.0/8'] },
				{ key: 'k_ip_ok', allowedIPs: ['127.0.0.0/8'] },
				{ key: 'k_other' },
			],
		});
		expectError(await submitI2V(f), 403, 'OPERATION_NOT_ALLOWED');
		expectError(await call(f, 'GET', '/v1/models'), 403, 'OPERATION_NOT_ALLOWED');
		expect((await call(f, 'GET', '/v1/jobs')).status).toBe(200);
		expectError(await call(f, 'GET', '/v1/jobs', { key: 'k_inactive' }), 401, 'API_KEY_INACTIVE');
		expectError(await call(f, 'GET', '/v1/jobs', { key: 'k_expired' }), 401, 'API_KEY_EXPIRED');
		expectError(await call(f, 'GET', '/v1/jobs', { key: 'k_ip' }), 403, 'IP_NOT_WHITELISTED');
		expect((await call(f, 'GET', '/v1/jobs', { key: 'k_ip_ok' })).status).toBe(200);
		const own = await submit(f, { model: SEED_I2V, input: I2V_INPUT }, 'k_other');
		expect(own.status).toBe(200);
		expectError(await call(f, 'GET', `/v1/jobs/${own.json.jobId}`), 403, 'UNAUTHORIZED_ACCESS');
		expect((await call(f, 'GET', `/v1/jobs/${own.json.jobId}`, { key: 'k_other' })).status).toBe(200);
		expect((await call(f, 'GET', '/v1/jobs')).json.jobs).toHaveLength(0);
	});
});

describe('envelopes', () => {
	test("'docs': jobs/catalog flat, uploads wrapped; errors always enveloped", async () => {
		const f = await start();
		const s = await submitI2V(f);
		expect(s.json).toEqual({
			jobId: expect.stringMatching(/^job_/),
			requestId: expect.stringMatching(/^req_/),
			status: 'pending',
			estimatedCompletionTime: expect.any(String),
			costMicroCents: 420_000,
		});
		expect(Array.isArray((await call(f, 'GET', '/v1/catalog/models')).json)).toBe(true);
		const p = await call(f, 'POST', '/v1/uploads/presign', { body: { filename: 'a.png', contentType: 'image/png' } });
		expect(p.json).toMatchObject({ success: true, data: { fileId: expect.any(String) }, requestId: expect.stringMatching(/^req_/) });
	});

	test("'flat' and 'wrapped'", async () => {
		const f = await start({ envelope: 'flat' });
		const p = await call(f, 'POST', '/v1/uploads/presign', { body: { filename: 'a.png', contentType: 'image/png' } });
		expect(p.json.uploadUrl).toEqual(expect.any(String));
		expect(p.json.success).toBeUndefined();
		f.setOptions({ envelope: 'wrapped' });
		const s = await submitI2V(f);
		expect(s.json).toMatchObject({ success: true, data: { jobId: expect.any(String), status: 'pending', costMicroCents: 420_000 } });
		const cat = await call(f, 'GET', '/v1/catalog/models');
		expect(cat.json.success).toBe(true);
		expect(Array.isArray(cat.json.data)).toBe(true);
		const job = await call(f, 'GET', `/v1/jobs/${s.json.data.jobId}`);
		expect(job.json.data.status).toBe('pending');
		expectError(await call(f, 'GET', '/v1/jobs/job_nope'), 404, 'JOB_NOT_FOUND');
	});

	test('legacy quickstart submit shape', async () => {
		const f = await start({ submitShape: 'legacy' });
		const s = await submitI2V(f);
		expect(s.json).toEqual({
			success: true,
			data: { jobId: expect.any(String), status: 'pending', model: SEED_I2V, estimatedCost: 420_000, createdAt: expect.any(String) },
			requestId: expect.any(String),
		});
	});
});

describe('submit validation and pricing', () => {
	test('seed model prices (§6.1) and other built-ins', async () => {
		const f = await start();
		expect((await submitI2V(f)).json.costMicroCents).toBe(420_000);
		expect((await submitI2V(f, { duration: '15', has_sound: 'true' })).json.costMicroCents).toBe(1_890_000);
		expect((await submitI2V(f, { duration: '10', has_sound: 'false' })).json.costMicroCents).toBe(840_000);
		expect((await submit(f, { model: SEED_MC, input: { ...MC_INPUT, keep_original_sound: false } })).json.costMicroCents).toBe(50_000);
		expect((await submit(f, { model: 'google/veo-3.1-fast/text-to-video', input: { prompt: 'x' } })).json.costMicroCents).toBe(2_400_000);
		expect((await submit(f, { model: 'kling/kling-3.0-standard/text-to-video', input: { prompt: 'x' } })).json.costMicroCents).toBe(420_000);
	});

	test('INVALID_INPUT names the field: required, string enums, real booleans, numbers', async () => {
		const f = await start();
		let r = await submit(f, { model: SEED_I2V, input: { prompt: 'x' } });
		expectError(r, 400, 'INVALID_INPUT');
		expect(r.json.error.message).toContain('image_url');
		r = await submitI2V(f, { duration: 5 });
		expectError(r, 400, 'INVALID_INPUT');
		expect(r.json.error.message).toMatch(/duration.*string/);
		r = await submitI2V(f, { duration: '7' });
		expect(r.json.error.details.field).toBe('duration');
		r = await submitI2V(f, { has_sound: true });
		expectError(r, 400, 'INVALID_INPUT');
		expect(r.json.error.message).toContain('has_sound');
		r = await submitI2V(f, { aspect_ratio: '4:3' });
		expect(r.json.error.message).toContain('aspect_ratio');
		r = await submit(f, { model: SEED_MC, input: { ...MC_INPUT, keep_original_sound: 'true' } });
		expectError(r, 400, 'INVALID_INPUT');
		expect(r.json.error.message).toMatch(/keep_original_sound.*boolean/);
		r = await submit(f, { model: SEED_MC, input: { ...MC_INPUT, shot_type: 'wide' } });
		expect(r.json.error.details.field).toBe('shot_type');
		r = await submit(f, { model: SEED_MC, input: { video: MC_INPUT.video } });
		expect(r.json.error.message).toContain('image');
		r = await submit(f, { model: 'kling-plus/kling-3.0-standard/text-to-video', input: { prompt: 'x', cfg_scale: '0.5' } });
		expect(r.json.error.message).toMatch(/cfg_scale.*number/);
		r = await submitI2V(f, { prompt: 'x'.repeat(2501) });
		expect(r.json.error.details.field).toBe('prompt');
		expectError(await submit(f, { model: SEED_I2V }), 400, 'INVALID_INPUT');
		expect(f.stats.jobsCreated).toBe(0);
	});

	test('slugs, versions, webhook URLs, access', async () => {
		const f = await start({ deniedModels: ['openai/sora-2/text-to-video'] });
		expectError(await submit(f, { model: 'acme/unknown/text-to-video', input: { prompt: 'x' } }), 404, 'MODEL_NOT_FOUND');
		expectError(await submit(f, { model: 'Kling 3.0', input: { prompt: 'x' } }), 400, 'INVALID_MODEL_SLUG');
		expectError(await submit(f, { input: { prompt: 'x' } }), 400, 'VALIDATION_ERROR');
		expectError(await submit(f, '{"model":'), 400, 'VALIDATION_ERROR');
		expectError(await submitI2V(f, {}, { version: 'v0.9' }), 400, 'MODEL_VERSION_NOT_ACTIVE');
		expectError(await submitI2V(f, {}, { version: 'v9' }), 404, 'MODEL_VERSION_NOT_FOUND');
		expect((await submitI2V(f, {}, { version: 'v1.0' })).status).toBe(200);
		expectError(await submitI2V(f, {}, { webhookUrl: 'http://127.0.0.1:9/hook' }), 400, 'INVALID_WEBHOOK_URL');
		expectError(await submitI2V(f, {}, { webhookUrl: 'not a url' }), 400, 'INVALID_WEBHOOK_URL');
		expect((await submitI2V(f, {}, { webhookUrl: 'https://hooks.example.com/x' })).status).toBe(200);
		f.setOptions({ allowHttpWebhooks: true });
		expect((await submitI2V(f, {}, { webhookUrl: 'http://127.0.0.1:9/hook' })).status).toBe(200);
		expectError(await submitI2V(f, {}, { webhookUrl: 'http://example.com/hook' }), 400, 'INVALID_WEBHOOK_URL');
		expectError(await submit(f, { model: 'openai/sora-2/text-to-video', input: { prompt: 'x' } }), 403, 'MODEL_ACCESS_DENIED');
		expectError(await submit(f, { modelSlug: SEED_I2V, input: I2V_INPUT }), 400, 'VALIDATION_ERROR');
		f.setOptions({ acceptLegacyFieldNames: true });
		expect((await submit(f, { modelSlug: SEED_I2V, input: I2V_INPUT })).status).toBe(200);
	});

	test('models option and acceptAnyModel have their own prices', async () => {
		const f = await start({
			models: [
				{ slug: 'acme/rocket-1/text-to-video', pricing: { perSecondMicroCents: 10_000, defaultDuration: '6' } },
				{ slug: 'acme/rocket-1/image-to-video', pricing: { flatMicroCents: 77_000 } },
			],
		});
		expect((await submit(f, { model: 'acme/rocket-1/text-to-video', input: { prompt: 'x' } })).json.costMicroCents).toBe(60_000);
		expect((await submit(f, { model: 'acme/rocket-1/text-to-video', input: { prompt: 'x', duration: '3' } })).json.costMicroCents).toBe(30_000);
		expect((await submit(f, { model: 'acme/rocket-1/image-to-video', input: {} })).json.costMicroCents).toBe(77_000);
		expectError(await submit(f, { model: 'zeta/any/text-to-video', input: { prompt: 'x' } }), 404, 'MODEL_NOT_FOUND');
		f.setOptions({ acceptAnyModel: true });
		expect((await submit(f, { model: 'zeta/any/text-to-video', input: { prompt: 'x' } })).json.costMicroCents).toBe(250_000);
		const cat = await call(f, 'GET', '/v1/catalog/models', { key: null });
		expect(cat.json.map((m: { slug: string }) => m.slug)).toEqual(expect.arrayContaining(['acme/rocket-1/text-to-video']));
		expect(cat.json.map((m: { slug: string }) => m.slug)).not.toContain('zeta/any/text-to-video');
	});

	test('balance: 402 INSUFFICIENT_BALANCE, deduction and refunds', async () => {
		const f = await start({ balanceMicroCents: 500_000, autoProgress: false });
		const a = await submitI2V(f);
		expect(a.status).toBe(200);
		expect(f.balanceMicroCents).toBe(80_000);
		expectError(await submitI2V(f), 402, 'INSUFFICIENT_BALANCE');
		expectError(await call(f, 'POST', '/v1/jobs/estimate', { body: { model: SEED_I2V } }), 402, 'INSUFFICIENT_BALANCE');
		const c = await call(f, 'POST', `/v1/jobs/${a.json.jobId}/cancel`);
		expect(c.json).toEqual({ jobId: a.json.jobId, status: 'cancelled', refundedMicroCents: 420_000 });
		expect(f.balanceMicroCents).toBe(500_000);
		const b = await submitI2V(f);
		f.failJob(b.json.jobId);
		expect(f.balanceMicroCents).toBe(500_000);
	});

	test('concurrency: 429 CONCURRENT_JOBS_EXCEEDED with (fractional / omitted) retryAfter', async () => {
		const f = await start({ maxConcurrentJobs: 1, retryAfterSeconds: 0.25, autoProgress: false });
		const a = await submitI2V(f);
		let r = await submitI2V(f);
		expectError(r, 429, 'CONCURRENT_JOBS_EXCEEDED');
		expect(r.json.error.details).toEqual({ retryAfter: 0.25 });
		expect(r.headers['retry-after']).toBeUndefined();
		f.setOptions({ omitRetryAfter: true, retryAfterHeader: true });
		r = await submitI2V(f);
		expect(r.json.error.details).toEqual({});
		expect(r.headers['retry-after']).toBe('1');
		f.completeJob(a.json.jobId);
		expect((await submitI2V(f)).status).toBe(200);
		expect(f.stats).toMatchObject({ submitsReceived: 4, jobsCreated: 2, sent429: 2 });
	});
});

describe('job lifecycle', () => {
	test('pending → processing → completed with outputs, on timers', async () => {
		const f = await start({ jobDurationMs: 400, pendingMs: 150 });
		const s = await submitI2V(f);
		const id = s.json.jobId;
		const first = await call(f, 'GET', `/v1/jobs/${id}`);
		expect(first.json).toEqual({
			jobId: id,
			status: 'pending',
			progress: 0,
			output: null,
			outputs: null,
			error: null,
			createdAt: expect.any(String),
			completedAt: null,
		});
		await f.waitForJob(id, ['processing']);
		expect((await call(f, 'GET', `/v1/jobs/${id}`)).json).toMatchObject({ status: 'processing', progress: 50, outputs: null });
		await f.waitForJob(id, ['completed']);
		const done = (await call(f, 'GET', `/v1/jobs/${id}`)).json;
		const base = `${f.cdnUrl}/outputs/${id}`;
		expect(done).toMatchObject({
			status: 'completed',
			progress: 100,
			output: `${base}/output_0.mp4`,
			outputs: [{ url: `${base}/output_0.mp4`, type: 'video', thumbnail: `${base}/thumb_0.jpg`, posterImage: `${base}/poster_0.jpg` }],
			completedAt: expect.any(String),
		});
		expect(f.stats.statusCalls[id]).toBe(3);
	});

	test('estimatedCompletionTime follows jobDurationMs × etaFactor; per-model durations', async () => {
		const f = await start({ jobDurationMs: 10_000, etaFactor: 0.7, modelDurationsMs: { [SEED_MC]: 2000 } });
		const before = Date.now();
		const s = await submitI2V(f);
		const eta = Date.parse(s.json.estimatedCompletionTime) - before;
		expect(eta).toBeGreaterThanOrEqual(6900);
		expect(eta).toBeLessThan(7300);
		const m = await submit(f, { model: SEED_MC, input: MC_INPUT });
		expect(f.jobs.get(m.json.jobId)?.durationMs).toBe(2000);
	});

	test('[fail] in the prompt, failJobs and failJob() end failed with a refund message', async () => {
		const f = await start({ autoProgress: false, failJobs: 1 });
		const armed = await submitI2V(f);
		const tagged = await submitI2V(f, { prompt: 'please [fail] now' });
		const normal = await submitI2V(f);
		for (const id of [armed.json.jobId, tagged.json.jobId, normal.json.jobId]) {
			f.advanceJob(id);
			f.advanceJob(id);
		}
		const failed = (await call(f, 'GET', `/v1/jobs/${tagged.json.jobId}`)).json;
		expect(failed).toMatchObject({ status: 'failed', progress: 0, output: null, outputs: null, completedAt: expect.any(String) });
		expect(failed.error.code).toBe('GENERATION_FAILED');
		expect(failed.error.message).toContain('credits have been refunded');
		expect(f.jobs.get(armed.json.jobId)?.status).toBe('failed');
		expect(f.jobs.get(normal.json.jobId)?.status).toBe('completed');
		expect(f.jobs.get(tagged.json.jobId)?.refundedMicroCents).toBe(420_000);
	});

	test('legacyOutput: output object + cost (wrapped like the quickstart)', async () => {
		const f = await start({ autoProgress: false, legacyOutput: true });
		const s = await submitI2V(f, { duration: '10' });
		f.completeJob(s.json.jobId);
		const r = (await call(f, 'GET', `/v1/jobs/${s.json.jobId}`)).json;
		expect(r.success).toBe(true);
		expect(r.data.output).toEqual({ url: `${f.cdnUrl}/outputs/${s.json.jobId}/output_0.mp4`, contentType: 'video/mp4', durationSeconds: 10 });
		expect(r.data.cost).toBe(840_000);
		expect(r.data.outputs).toBeUndefined();
	});
});

describe('list, cancel, estimate', () => {
	test('list: newest first, base64 cursor paging, filters, limit bounds', async () => {
		const f = await start({ autoProgress: false });
		const ids: string[] = [];
		for (let i = 0; i < 5; i++) ids.push((await submitI2V(f)).json.jobId);
		ids.push((await submit(f, { model: SEED_MC, input: MC_INPUT })).json.jobId);
		const seen: string[] = [];
		let cursor: string | null = null;
		let pages = 0;
		do {
			const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
			const r = (await call(f, 'GET', `/v1/jobs?limit=2${q}`)).json;
			expect(Object.keys(r).sort()).toEqual(['hasMore', 'jobs', 'nextCursor']);
			for (const j of r.jobs) expect(Object.keys(j).sort()).toEqual(['completedAt', 'createdAt', 'jobId', 'model', 'progress', 'status']);
			seen.push(...r.jobs.map((j: { jobId: string }) => j.jobId));
			cursor = r.nextCursor;
			if (cursor) expect(JSON.parse(Buffer.from(cursor, 'base64').toString('utf8')).createdAt).toEqual(expect.any(String));
			expect(r.hasMore).toBe(cursor !== null);
			pages++;
		} while (cursor);
		expect(pages).toBe(3);
		expect(seen).toEqual([...ids].reverse());
		expect((await call(f, 'GET', '/v1/jobs')).json.jobs).toHaveLength(6);
		expect((await call(f, 'GET', `/v1/jobs?modelId=${encodeURIComponent(SEED_MC)}`)).json.jobs.map((j: { jobId: string }) => j.jobId)).toEqual([ids[5]]);
		await call(f, 'POST', `/v1/jobs/${ids[0]}/cancel`);
		expect((await call(f, 'GET', '/v1/jobs?status=cancelled')).json.jobs).toEqual([expect.objectContaining({ jobId: ids[0], status: 'cancelled' })]);
		expect((await call(f, 'GET', '/v1/jobs?limit=100')).status).toBe(200);
		expectError(await call(f, 'GET', '/v1/jobs?limit=101'), 400, 'VALIDATION_ERROR');
		expectError(await call(f, 'GET', '/v1/jobs?limit=0'), 400, 'VALIDATION_ERROR');
		expectError(await call(f, 'GET', '/v1/jobs?status=done'), 400, 'VALIDATION_ERROR');
		expectError(await call(f, 'GET', '/v1/jobs?cursor=%%%'), 400, 'VALIDATION_ERROR');
	});

	test('cancel: pending only', async () => {
		const f = await start({ autoProgress: false });
		const a = await submitI2V(f);
		f.advanceJob(a.json.jobId);
		expectError(await call(f, 'POST', `/v1/jobs/${a.json.jobId}/cancel`), 400, 'JOB_CANNOT_BE_CANCELLED');
		expectError(await call(f, 'POST', '/v1/jobs/job_missing/cancel'), 404, 'JOB_NOT_FOUND');
		const b = await submitI2V(f, { duration: '5' });
		expect((await call(f, 'POST', `/v1/jobs/${b.json.jobId}/cancel`)).json.status).toBe('cancelled');
		expect(f.jobs.get(b.json.jobId)?.status).toBe('cancelled');
	});

	test('estimate: reference (flat) and pricing-page (wrapped) shapes, discount', async () => {
		const f = await start({ discountPercent: 20 });
		const body = { model: SEED_I2V, input: { duration: '15', has_sound: 'true' } };
		const ref = (await call(f, 'POST', '/v1/jobs/estimate', { body })).json;
		expect(ref).toEqual({
			baseCostMicroCents: 1_890_000,
			estimatedCostMicroCents: 1_512_000,
			breakdown: [
				{ component: 'base_generation', costMicroCents: 1_260_000 },
				{ component: 'has_sound', costMicroCents: 630_000 },
			],
			hasDiscount: true,
			discounted: { type: 'volume', percentage: 20, savedMicroCents: 378_000 },
		});
		// submit charges the discounted price
		expect((await submitI2V(f, body.input)).json.costMicroCents).toBe(1_512_000);
		f.setOptions({ estimateShape: 'pricing', discountPercent: 0 });
		const pricing = (await call(f, 'POST', '/v1/jobs/estimate', { body })).json;
		expect(pricing).toEqual({
			success: true,
			data: {
				estimatedCost: 1_890_000,
				baseCost: 84_000,
				factors: { duration: { value: '15', multiplier: 15 }, has_sound: { value: 'true', multiplier: 1.5 } },
				currency: 'micro-cents',
			},
			requestId: expect.any(String),
		});
		f.setOptions({ estimateShape: 'reference' });
		expect((await call(f, 'POST', '/v1/jobs/estimate', { body: { model: SEED_MC } })).json).toMatchObject({
			estimatedCostMicroCents: 50_000,
			hasDiscount: false,
			discounted: null,
		});
		expectError(await call(f, 'POST', '/v1/jobs/estimate', { body: { model: 'nope/nope/nope' } }), 404, 'MODEL_NOT_FOUND');
		expectError(await call(f, 'POST', '/v1/jobs/estimate', { body: { model: SEED_I2V, input: { duration: 15 } } }), 400, 'INVALID_INPUT');
		expect(f.stats.estimateCalls).toBe(5);
	});
});

describe('catalog and models', () => {
	test('public catalog endpoints', async () => {
		const f = await start();
		const list = (await call(f, 'GET', '/v1/catalog/models', { key: null })).json;
		const seed = list.find((m: { slug: string }) => m.slug === SEED_I2V);
		expect(seed).toEqual({
			slug: SEED_I2V,
			provider: { id: 'kling', name: 'Kling', logoUrl: expect.any(String) },
			category: 'video',
			capability: 'image-to-video',
			pricing: { baseCredits: expect.any(Number), unit: 'per_second' },
			tags: expect.any(Array),
			ratings: { average: expect.any(Number), count: expect.any(Number) },
		});
		const detail = (await call(f, 'GET', `/v1/catalog/models/${SEED_I2V}`, { key: null })).json;
		expect(detail.inputSchema.required).toEqual(['prompt', 'image_url']);
		expect(detail.inputSchema.properties.duration).toMatchObject({ type: 'string', enum: ['5', '10', '15'], default: '5' });
		expect(detail.inputSchema.properties.has_sound).toMatchObject({ type: 'string', enum: ['true', 'false'] });
		expect(detail.siblings).toEqual(expect.arrayContaining([{ slug: 'kling/kling-3.0-standard/text-to-video', capability: 'text-to-video' }]));
		const mc = (await call(f, 'GET', `/v1/catalog/models/${encodeURIComponent(SEED_MC)}`, { key: null })).json;
		expect(mc.inputSchema.properties.keep_original_sound).toMatchObject({ type: 'boolean', default: true });
		expect((await call(f, 'GET', '/v1/catalog/models/kling/kling-3.0-standard', { key: null })).json.slug).toMatch(/^kling\/kling-3\.0-standard\//);
		expectError(await call(f, 'GET', '/v1/catalog/models/kling/nothing/here', { key: null }), 404, 'MODEL_NOT_FOUND');
		const cats = (await call(f, 'GET', '/v1/catalog/categories', { key: null })).json;
		expect(cats.map((c: { id: string }) => c.id)).toEqual(['video', 'image']);
		const groups = (await call(f, 'GET', '/v1/catalog/capability-groups', { key: null })).json;
		expect(groups).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'text-to-video', label: 'T2V' }), expect.objectContaining({ id: 'image-to-video', label: 'I2V' })]));
		const providers = (await call(f, 'GET', '/v1/catalog/providers', { key: null })).json;
		// the ten documented Veo 3.1 models (§6.4) and the eight Nano Banana image models (§6.12)
		expect(providers.find((p: { id: string }) => p.id === 'google')).toMatchObject({ name: 'Google', color: '#4285F4', modelCount: 18 });
		const kp = (await call(f, 'GET', '/v1/catalog/providers/kling-plus', { key: null })).json;
		expect(kp.models.map((m: { slug: string }) => m.slug)).toContain(SEED_MC);
	});

	test('authenticated /v1/models and /v1/providers shapes', async () => {
		const f = await start();
		const models = (await call(f, 'GET', '/v1/models')).json.models;
		const veo = models.find((m: { name: string }) => m.name === 'Veo 3.1 Fast');
		expect(veo).toEqual({
			id: expect.stringMatching(/^model_/),
			providerId: 'google',
			providerName: 'Google',
			name: 'Veo 3.1 Fast',
			description: expect.any(String),
			category: 'video',
			currentVersion: 'v1.0',
			versionCount: 2,
			currentVersionPricing: { baseCredits: expect.any(Number), unit: 'per_second' },
		});
		const one = (await call(f, 'GET', `/v1/models/${veo.id}`)).json;
		expect(one.versions[1]).toMatchObject({ versionId: expect.any(String), status: 'active', inputSchema: { type: 'object' }, rateLimits: { requestsPerMinute: 10, requestsPerDay: 500 } });
		expectError(await call(f, 'GET', '/v1/models/model_missing'), 404, 'MODEL_NOT_FOUND');
		const providers = (await call(f, 'GET', '/v1/providers')).json.providers;
		expect(providers.find((p: { id: string }) => p.id === 'google')).toMatchObject({ categories: ['video', 'image'], isActive: true });
		const pm = (await call(f, 'GET', '/v1/providers/kling/models')).json;
		expect(pm.provider.id).toBe('kling');
		expect(pm.models.length).toBeGreaterThan(0);
	});
});

describe('uploads and the CDN', () => {
	test('presign → PUT (content type checked) → fileUrl serves the same bytes; API key never reaches the CDN', async () => {
		const f = await start();
		const p = await call(f, 'POST', '/v1/uploads/presign', { body: { filename: 'cat photo.png', contentType: 'image/png' } });
		expect(p.status).toBe(200);
		const d = p.json.data;
		expect(d).toEqual({ uploadUrl: expect.any(String), fileUrl: expect.any(String), fileId: expect.any(String), expiresAt: expect.any(String), maxSize: 10_485_760 });
		expect(d.uploadUrl.startsWith(f.cdnUrl + '/')).toBe(true);
		expect(d.fileUrl.startsWith(f.cdnUrl + '/')).toBe(true);
		const bytes = Buffer.from('\x89PNG fake image bytes', 'latin1');
		const wrong = await request(d.uploadUrl, { method: 'PUT', body: bytes, headers: { 'content-type': 'image/jpeg' } });
		await wrong.body.text();
		expect(wrong.statusCode).toBe(403);
		const put = await request(d.uploadUrl, { method: 'PUT', body: bytes, headers: { 'content-type': 'image/png' } });
		await put.body.text();
		expect(put.statusCode).toBe(200);
		const sha = createHash('sha256').update(bytes).digest('hex');
		expect(f.uploads.get(d.fileId)?.received).toMatchObject({ size: bytes.length, contentType: 'image/png', sha256: sha });
		const got = await fetch(d.fileUrl);
		expect(got.headers.get('content-type')).toBe('image/png');
		expect(Buffer.from(await got.arrayBuffer()).equals(bytes)).toBe(true);
		const st = (await call(f, 'GET', `/v1/uploads/${d.fileId}`)).json;
		expect(st).toMatchObject({ success: true, data: { id: d.fileId, filename: 'cat photo.png', contentType: 'image/png', fileUrl: d.fileUrl, status: 'pending' } });
		expectError(await call(f, 'GET', '/v1/uploads/file_missing'), 404, 'NOT_FOUND');
		expect(f.cdnRequests.length).toBe(3);
		expect(f.cdnRequests.every((r) => !r.carriesApiKey && r.headers.authorization === undefined)).toBe(true);
		expect(f.cdnRequests[1].bodySha256).toBe(sha);
		// and the detector does fire when a client leaks the key
		await (await fetch(d.fileUrl, { headers: { authorization: `Bearer ${f.apiKey}` } })).arrayBuffer();
		expect(f.cdnRequests[3].carriesApiKey).toBe(true);
	});

	test('presign errors, 413 over maxSize, expired upload URL', async () => {
		const f = await start();
		expectError(await call(f, 'POST', '/v1/uploads/presign', { body: { filename: 'a.tiff', contentType: 'image/tiff' } }), 400, 'INVALID_CONTENT_TYPE');
		expectError(await call(f, 'POST', '/v1/uploads/presign', { body: { contentType: 'image/png' } }), 400, 'VALIDATION_ERROR');
		expectError(await call(f, 'POST', '/v1/uploads/presign', { body: { filename: 'a.png' } }), 400, 'VALIDATION_ERROR');
		const v = (await call(f, 'POST', '/v1/uploads/presign', { body: { filename: 'a.mp4', contentType: 'video/mp4' } })).json.data;
		expect(v.maxSize).toBe(100 * 1024 * 1024);
		expect((await call(f, 'POST', '/v1/uploads/presign', { body: { filename: 'a.wav', contentType: 'audio/wav' } })).json.data.maxSize).toBe(50 * 1024 * 1024);
		const img = (await call(f, 'POST', '/v1/uploads/presign', { body: { filename: 'big.jpg', contentType: 'image/jpeg' } })).json.data;
		const big = await request(img.uploadUrl, { method: 'PUT', body: Buffer.alloc(10 * 1024 * 1024 + 1), headers: { 'content-type': 'image/jpeg' } });
		await big.body.text();
		expect(big.statusCode).toBe(413);
		expect(f.uploads.get(img.fileId)?.received).toBeNull();
		f.setOptions({ uploadUrlTtlMs: 0 });
		const late = (await call(f, 'POST', '/v1/uploads/presign', { body: { filename: 'late.png', contentType: 'image/png' } })).json.data;
		await new Promise((r) => setTimeout(r, 5));
		const r = await request(late.uploadUrl, { method: 'PUT', body: 'x', headers: { 'content-type': 'image/png' } });
		expect(await r.body.text()).toContain('expired');
		expect(r.statusCode).toBe(403);
	});

	test('image jobs: one PNG output per requested image (num_images), priced per image, served as image/png', async () => {
		const f = await start({ autoProgress: false });
		const s = await call(f, 'POST', '/v1/jobs/submit', {
			body: { model: 'alibaba-plus/wan-2.7/text-to-image', input: { prompt: 'a mug', num_images: '3' } },
		});
		expect(s.status).toBe(200);
		expect(s.json.costMicroCents).toBe(90_000);
		// Wan 2.7 wants the count as a string; a number is refused like any other type error
		const bad = await call(f, 'POST', '/v1/jobs/submit', {
			body: { model: 'alibaba-plus/wan-2.7/text-to-image', input: { prompt: 'a mug', num_images: 3 } },
		});
		expectError(bad, 400, 'INVALID_INPUT');
		const id = s.json.jobId;
		f.completeJob(id);
		const job = (await call(f, 'GET', `/v1/jobs/${id}`)).json;
		expect(job.outputs).toEqual([0, 1, 2].map((n) => ({ url: `${f.cdnUrl}/outputs/${id}/output_${n}.png`, type: 'image' })));
		expect(job.output).toBe(job.outputs[0].url);
		for (const o of job.outputs) {
			const res = await request(o.url);
			expect(res.statusCode).toBe(200);
			expect(res.headers['content-type']).toBe('image/png');
			expect(Buffer.from(await res.body.arrayBuffer()).subarray(1, 4).toString('latin1')).toBe('PNG');
		}
		const beyond = await request(`${f.cdnUrl}/outputs/${id}/output_3.png`);
		await beyond.body.text();
		expect(beyond.statusCode).toBe(404);
		// a model without a count makes one image; edit models need their source images
		const one = await call(f, 'POST', '/v1/jobs/submit', { body: { model: 'google/nano-banana', input: { prompt: 'a mug', resolution: '4k' } } });
		expect(one.json.costMicroCents).toBe(80_000);
		f.completeJob(one.json.jobId);
		expect((await call(f, 'GET', `/v1/jobs/${one.json.jobId}`)).json.outputs).toHaveLength(1);
		expectError(await call(f, 'POST', '/v1/jobs/submit', { body: { model: 'google/nano-banana/edit-image', input: { prompt: 'x' } } }), 400, 'INVALID_INPUT');
	});

	test('outputs: mp4 with ftyp, deterministic bytes, ranges, thumbnails; 404 before completion', async () => {
		const f = await start({ autoProgress: false, outputSizeBytes: 300_000 });
		const id = (await submitI2V(f)).json.jobId;
		const early = await request(f.outputUrl(id));
		await early.body.text();
		expect(early.statusCode).toBe(404);
		f.completeJob(id);
		const res = await request(f.outputUrl(id));
		expect(res.statusCode).toBe(200);
		expect(res.headers['content-type']).toBe('video/mp4');
		expect(res.headers['content-length']).toBe('300000');
		const buf = Buffer.from(await res.body.arrayBuffer());
		expect(buf.length).toBe(300_000);
		expect(buf.subarray(4, 8).toString('latin1')).toBe('ftyp');
		expect(buf.subarray(36, 40).toString('latin1')).toBe('mdat');
		expect(createHash('sha256').update(buf).digest('hex')).toBe(expectedOutputSha256(id, 300_000));
		const part = await request(f.outputUrl(id), { headers: { range: 'bytes=100-199' } });
		const pb = Buffer.from(await part.body.arrayBuffer());
		expect(part.statusCode).toBe(206);
		expect(part.headers['content-range']).toBe('bytes 100-199/300000');
		expect(pb.equals(buf.subarray(100, 200))).toBe(true);
		for (const file of ['thumb_0.jpg', 'poster_0.jpg']) {
			const r = await request(f.outputUrl(id, file));
			const b = Buffer.from(await r.body.arrayBuffer());
			expect(r.headers['content-type']).toBe('image/jpeg');
			expect(b.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
		}
		expect(f.cdnRequests.every((r) => !r.carriesApiKey)).toBe(true);
	});

	test('streams a 500 MB output without buffering it', async () => {
		const size = 500 * 1024 * 1024;
		const f = await start({ autoProgress: false, outputSizeBytes: size });
		const id = (await submitI2V(f)).json.jobId;
		f.completeJob(id);
		const rssBefore = process.memoryUsage().rss;
		const res = await request(f.outputUrl(id));
		expect(res.headers['content-length']).toBe(String(size));
		let total = 0;
		let peak = 0;
		for await (const chunk of res.body) {
			total += (chunk as Buffer).length;
			if ((total & 0x3ffffff) < (chunk as Buffer).length) peak = Math.max(peak, process.memoryUsage().rss);
		}
		expect(total).toBe(size);
		expect(peak - rssBefore).toBeLessThan(200 * 1024 * 1024);
	}, 60_000);
});

describe('faults', () => {
	test('status faults: 503 PUBSUB_PUBLISH_FAILED twice, then success; no job until then', async () => {
		const f = await start();
		f.injectFault({ route: 'submit', kind: { kind: 'status', status: 503, code: 'PUBSUB_PUBLISH_FAILED' }, times: 2 });
		expectError(await submitI2V(f), 503, 'PUBSUB_PUBLISH_FAILED');
		expectError(await submitI2V(f), 503, 'PUBSUB_PUBLISH_FAILED');
		expect(f.jobs.size).toBe(0);
		expect((await submitI2V(f)).status).toBe(200);
		expect(f.stats).toMatchObject({ submitsReceived: 3, jobsCreated: 1, faultsTriggered: 2 });
		f.injectFault({ route: 'submit', kind: 'status', status: 429, code: 'CONCURRENT_JOBS_EXCEEDED', details: { retryAfter: 0.1 } });
		const r = await submitI2V(f);
		expectError(r, 429, 'CONCURRENT_JOBS_EXCEEDED');
		expect(r.json.error.details.retryAfter).toBe(0.1);
		expect(f.stats.sent429).toBe(1);
		f.injectFault({ route: 'any', kind: 'status', status: 500, code: 'INTERNAL_ERROR' });
		expectError(await call(f, 'GET', '/v1/catalog/categories', { key: null }), 500, 'INTERNAL_ERROR');
		expect((await call(f, 'GET', '/v1/catalog/categories', { key: null })).status).toBe(200);
	});

	test('status fault for one job id only', async () => {
		const f = await start({ autoProgress: false });
		const a = (await submitI2V(f)).json.jobId;
		const b = (await submitI2V(f)).json.jobId;
		f.injectFault({ route: 'status', jobId: b, kind: 'status', status: 500, code: 'INTERNAL_ERROR' });
		expect((await call(f, 'GET', `/v1/jobs/${a}`)).status).toBe(200);
		expectError(await call(f, 'GET', `/v1/jobs/${b}`), 500, 'INTERNAL_ERROR');
	});

	test('malformed-json: 200 with a truncated body (the job exists)', async () => {
		const f = await start();
		f.injectFault({ route: 'submit', kind: 'malformed-json' });
		const r = await submitI2V(f);
		expect(r.status).toBe(200);
		expect(() => JSON.parse(r.text)).toThrow();
		expect(f.jobs.size).toBe(1);
	});

	test('reset-before-read: connection dropped, no job', async () => {
		const f = await start();
		f.injectFault({ route: 'submit', kind: 'reset-before-read' });
		await expect(submitI2V(f)).rejects.toThrow();
		expect(f.jobs.size).toBe(0);
		expect(f.stats.submitsReceived).toBe(1);
		expect(f.requests[0].fault).toBe('reset-before-read');
	});

	test('reset-after-accept: connection dropped, job created and charged', async () => {
		const f = await start({ balanceMicroCents: 1_000_000 });
		f.injectFault({ route: 'submit', kind: 'reset-after-accept' });
		await expect(submitI2V(f)).rejects.toThrow();
		expect(f.jobs.size).toBe(1);
		expect(f.balanceMicroCents).toBe(580_000);
	});

	test('hang-after-accept: no answer (client timeout), job created', async () => {
		const f = await start();
		f.injectFault({ route: 'submit', kind: 'hang-after-accept' });
		const t0 = Date.now();
		await expect(call(f, 'POST', '/v1/jobs/submit', { body: { model: SEED_I2V, input: I2V_INPUT }, headersTimeout: 300 })).rejects.toThrow(/timeout/i);
		expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
		expect(f.jobs.size).toBe(1);
	});

	test('delay fault and latencyMs', async () => {
		const f = await start({ latencyMs: 150 });
		let t0 = Date.now();
		await call(f, 'GET', '/v1/catalog/categories', { key: null });
		expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
		f.setOptions({ latencyMs: 0 });
		f.injectFault({ route: 'list', kind: 'delay', ms: 200 });
		t0 = Date.now();
		await call(f, 'GET', '/v1/jobs');
		expect(Date.now() - t0).toBeGreaterThanOrEqual(190);
	});

	test('CDN truncate-body: fewer bytes than Content-Length, then the connection closes', async () => {
		const f = await start({ autoProgress: false, outputSizeBytes: 1_000_000 });
		const id = (await submitI2V(f)).json.jobId;
		f.completeJob(id);
		f.injectFault({ route: 'cdn-output', kind: 'truncate-body', bytes: 100_000 });
		const res = await request(f.outputUrl(id));
		expect(res.headers['content-length']).toBe('1000000');
		let got = 0;
		await expect(
			(async () => {
				for await (const c of res.body) got += (c as Buffer).length;
			})(),
		).rejects.toThrow();
		expect(got).toBe(100_000);
		f.injectFault({ route: 'cdn-output', kind: 'status', status: 503, code: 'SlowDown' });
		const r503 = await request(f.outputUrl(id));
		expect(await r503.body.text()).toContain('SlowDown');
		expect(r503.statusCode).toBe(503);
	});
});

describe('webhooks', () => {
	test('completed job: signed POST with the documented headers and payload', async () => {
		const hook = await receiver();
		const f = await start({ allowHttpWebhooks: true, autoProgress: false, webhookSecret: 'whsec_abc' });
		const s = await submitI2V(f, {}, { webhookUrl: hook.url });
		f.completeJob(s.json.jobId);
		const d = await f.waitForWebhook(s.json.jobId);
		expect(d.status).toBe('sent');
		expect(hook.received).toHaveLength(1);
		const { headers, body } = hook.received[0];
		expect(headers['content-type']).toBe('application/json');
		const ts = headers['x-pixelbyte-timestamp'] as string;
		expect(ts).toMatch(/^\d+$/);
		expect(Math.abs(Number(ts) - Date.now() / 1000)).toBeLessThan(5);
		const expected = 'sha256=' + createHmac('sha256', 'whsec_abc').update(`${ts}.${body}`).digest('hex');
		expect(headers['x-pixelbyte-signature']).toBe(expected);
		const payload = JSON.parse(body);
		expect(payload).toEqual({
			jobId: s.json.jobId,
			requestId: s.json.requestId,
			status: 'completed',
			output: expect.objectContaining({ url: `${f.cdnUrl}/outputs/${s.json.jobId}/output_0.mp4` }),
			completedAt: expect.any(String),
		});
		expect(JSON.stringify(payload)).not.toContain(f.apiKey);
	});

	test('failed job payload; webhookOutput variants; duplicates', async () => {
		const hook = await receiver();
		const f = await start({ allowHttpWebhooks: true, autoProgress: false, webhookOutput: 'string', webhookDuplicates: 1 });
		const bad = await submitI2V(f, { prompt: '[fail]' }, { webhookUrl: hook.url });
		f.advanceJob(bad.json.jobId);
		f.advanceJob(bad.json.jobId);
		await f.waitFor(() => hook.received.length === 2);
		const p = JSON.parse(hook.received[0].body);
		expect(p).toEqual({
			jobId: bad.json.jobId,
			requestId: bad.json.requestId,
			status: 'failed',
			error: { code: 'GENERATION_FAILED', message: expect.stringContaining('refunded') },
			completedAt: expect.any(String),
		});
		expect(hook.received[1].body).toBe(hook.received[0].body);
		f.setOptions({ webhookDuplicates: 0 });
		const good = await submitI2V(f, {}, { webhookUrl: hook.url });
		f.completeJob(good.json.jobId);
		await f.waitFor(() => hook.received.length === 3);
		const g = JSON.parse(hook.received[2].body);
		expect(typeof g.output).toBe('string');
		expect(g.outputs[0].type).toBe('video');
	});

	test('retries after 1,4,16,64 s × webhookRetryScale on non-2xx, then succeeds', async () => {
		const hook = await receiver([500, 503]);
		const f = await start({ allowHttpWebhooks: true, autoProgress: false, webhookRetryScale: 0.01 });
		const s = await submitI2V(f, {}, { webhookUrl: hook.url });
		f.completeJob(s.json.jobId);
		const d = await f.waitForWebhook(s.json.jobId);
		expect(d.status).toBe('sent');
		expect(d.attempts.map((a) => a.responseStatus)).toEqual([500, 503, 200]);
		expect(hook.received[1].at - hook.received[0].at).toBeGreaterThanOrEqual(9);
		expect(hook.received[2].at - hook.received[1].at).toBeGreaterThanOrEqual(39);
		for (const r of hook.received) {
			expect(r.headers['x-pixelbyte-signature']).toBe(signWebhook(f.options.webhookSecret, r.headers['x-pixelbyte-timestamp'] as string, r.body));
		}
	});

	test('gives up after 5 failed attempts; timeouts count as failures; non-loopback is skipped', async () => {
		const hook = await receiver([500, 500, 500, 500, 500, 500]);
		const f = await start({ allowHttpWebhooks: true, autoProgress: false, webhookRetryScale: 0.001 });
		const s = await submitI2V(f, {}, { webhookUrl: hook.url });
		f.completeJob(s.json.jobId);
		const d = await f.waitForWebhook(s.json.jobId);
		expect(d.status).toBe('failed');
		expect(d.attempts).toHaveLength(5);
		expect(f.stats.webhookAttempts).toBe(5);

		const silent = await receiver([], true);
		f.setOptions({ webhookTimeoutMs: 100, webhookMaxAttempts: 1 });
		const t = await submitI2V(f, {}, { webhookUrl: silent.url });
		f.completeJob(t.json.jobId);
		const dt = await f.waitForWebhook(t.json.jobId);
		expect(dt.status).toBe('failed');
		expect(dt.attempts[0].error).toMatch(/no response/);

		const ext = await submitI2V(f, {}, { webhookUrl: 'https://hooks.example.com/muvi' });
		f.completeJob(ext.json.jobId);
		expect((await f.waitForWebhook(ext.json.jobId)).status).toBe('skipped');
	});
});

describe('recording, reset and control endpoints', () => {
	test('fake.requests records method, path, query, headers, body, json', async () => {
		const f = await start();
		await call(f, 'GET', '/v1/jobs?limit=3&status=pending');
		await submitI2V(f);
		const [list, sub] = f.requests;
		expect(list).toMatchObject({ method: 'GET', path: '/v1/jobs', query: { limit: '3', status: 'pending' }, status: 200, route: 'list' });
		expect(list.headers.authorization).toBe(`Bearer ${f.apiKey}`);
		expect(sub.json).toEqual({ model: SEED_I2V, input: I2V_INPUT });
		expect(JSON.parse(sub.body)).toEqual(sub.json);
		f.reset();
		expect(f.requests).toHaveLength(0);
		expect(f.jobs.size).toBe(0);
		expect(f.stats.submitsReceived).toBe(0);
	});

	test('HTTP control: options, faults, requests (redacted), jobs, stats, job control, reset', async () => {
		const f = await start({ autoProgress: false });
		const ctl = async (method: string, path: string, body?: unknown) => {
			const r = await fetch(`${f.controlUrl}${path}`, {
				method,
				headers: body === undefined ? {} : { 'content-type': 'application/json' },
				body: body === undefined ? undefined : JSON.stringify(body),
			});
			return { status: r.status, json: (await r.json()) as any };
		};
		expect((await ctl('GET', '')).json.cdnUrl).toBe(f.cdnUrl);
		expect((await ctl('POST', '/options', { envelope: 'wrapped' })).status).toBe(200);
		expect(f.options.envelope).toBe('wrapped');
		const s = await submitI2V(f);
		expect(s.json.success).toBe(true);
		const id = s.json.data.jobId;
		expect((await ctl('POST', '/faults', { route: 'submit', kind: 'status', status: 503, code: 'PUBSUB_PUBLISH_FAILED' })).json.ids).toHaveLength(1);
		expectError(await submitI2V(f), 503, 'PUBSUB_PUBLISH_FAILED');
		const reqs = (await ctl('GET', '/requests')).json;
		expect(reqs).toHaveLength(2);
		expect(reqs[0].headers.authorization).toBe('[redacted]');
		expect(JSON.stringify(reqs)).not.toContain(f.apiKey);
		expect((await ctl('GET', '/jobs')).json.map((j: { jobId: string }) => j.jobId)).toEqual([id]);
		expect((await ctl('POST', `/jobs/${id}/complete`)).json.status).toBe('completed');
		expect((await ctl('GET', '/stats')).json).toMatchObject({ submitsReceived: 2, jobsCreated: 1, statusCalls: {} });
		expect(JSON.stringify((await ctl('GET', '/options')).json)).not.toContain(f.apiKey);
		expect((await ctl('POST', '/reset')).json).toEqual({ ok: true });
		expect(f.jobs.size).toBe(0);
		expect(f.requests).toHaveLength(0); // control calls are never recorded
		expect((await ctl('POST', '/faults', { nope: 1 })).status).toBe(400);
	});

	test('close() leaves nothing running even with pending timers, hanging requests and webhook retries', async () => {
		const hook = await receiver([500]);
		const f = await startFakeMuvi({ jobDurationMs: 60_000, allowHttpWebhooks: true, webhookRetryScale: 100 });
		await submitI2V(f);
		const w = await submitI2V(f, {}, { webhookUrl: hook.url });
		f.completeJob(w.json.jobId);
		await f.waitFor(() => hook.received.length === 1);
		f.injectFault({ route: 'list', kind: 'hang-after-accept' });
		const hung = call(f, 'GET', '/v1/jobs').catch((e: unknown) => e);
		await f.waitFor(() => f.requests.length === 3);
		await f.close();
		expect(await hung).toBeInstanceOf(Error);
	});
});

describe('clock and fault validation', () => {
	test('jest fake timers in a test do not freeze the fake (it keeps the real clock)', async () => {
		// In-process HTTP needs the real nextTick/setImmediate/queueMicrotask (Node streams use them);
		// setTimeout/Date may be faked: the fake captured the real ones at import.
		jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
		try {
			const f = await start({ jobDurationMs: 150, latencyMs: 20 });
			const s = await submitI2V(f);
			expect(s.status).toBe(200);
			expect((await f.waitForJob(s.json.jobId)).status).toBe('completed');
			// the fake's timestamps advance with the real clock even though Date is faked here
			const job = f.jobs.get(s.json.jobId);
			expect((job?.completedAtMs ?? 0) - (job?.createdAtMs ?? 0)).toBeGreaterThanOrEqual(140);
		} finally {
			jest.useRealTimers();
		}
	});

	test('faults that make no sense for a route are refused', async () => {
		const f = await start();
		expect(() => f.injectFault({ route: 'submit', kind: 'truncate-body' })).toThrow();
		expect(() => f.injectFault({ route: 'cdn-output', kind: 'malformed-json' })).toThrow();
		expect(() => f.injectFault({ route: 'submit', kind: 'status' })).toThrow(/status and code/);
		expect(f.faults).toHaveLength(0);
	});
});

describe('CLI (node test/fake-muvi/cli.ts on Node 24 type stripping)', () => {
	const cli = join(__dirname, 'fake-muvi', 'cli.ts');

	function run(args: string[]) {
		const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '';
		let err = '';
		child.stdout.on('data', (c: Buffer) => (out += c.toString()));
		child.stderr.on('data', (c: Buffer) => (err += c.toString()));
		const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
		extraClosers.push(async () => {
			if (child.exitCode === null && child.signalCode === null) {
				child.kill('SIGKILL');
				await exited;
			}
		});
		const waitFor = async (re: RegExp, ms = 10_000) => {
			const deadline = Date.now() + ms;
			while (!re.test(out)) {
				if (Date.now() > deadline) throw new Error(`CLI output never matched ${re}\nstdout:\n${out}\nstderr:\n${err}`);
				if (child.exitCode !== null) throw new Error(`CLI exited ${child.exitCode}\n${out}\n${err}`);
				await new Promise((r) => setTimeout(r, 20));
			}
			return out;
		};
		return { child, exited, waitFor, output: () => ({ out, err }) };
	}

	test('banner, request log without the key, control URL file, clean exit on SIGTERM', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'fake-muvi-cli-'));
		extraClosers.push(async () => rmSync(dir, { recursive: true, force: true }));
		const urlFile = join(dir, 'urls.json');
		const key = 'pb_cli_secret_key_123';
		const p = run(['--port', '0', '--api-key', key, '--webhook-secret', 'whsec_cli', '--job-ms', '200', '--envelope', 'flat', '--url-file', urlFile]);
		const banner = await p.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
		expect(banner).toContain('Muvi simulator (fake Muvi API, no real videos, no charges) listening on http://127.0.0.1:');
		const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(banner)?.[1] as string;
		await p.waitFor(/Control URL\s*:/);
		const urls = JSON.parse(readFileSync(urlFile, 'utf8'));
		expect(urls).toMatchObject({ url, controlUrl: `${url}/__fake`, cdnUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) });

		const sub = await fetch(`${url}/v1/jobs/submit`, {
			method: 'POST',
			headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
			body: JSON.stringify({ model: 'anyco/any-model/text-to-video', input: { prompt: 'x' } }),
		});
		const job = (await sub.json()) as { jobId: string; costMicroCents: number };
		expect(sub.status).toBe(200);
		expect(job.costMicroCents).toBe(250_000);
		expect((await fetch(`${url}/v1/jobs`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
		const stats = (await (await fetch(`${url}/__fake/stats`)).json()) as { jobsCreated: number };
		expect(stats.jobsCreated).toBe(1);
		await p.waitFor(/POST\s+\/v1\/jobs\/submit -> 200/);
		await p.waitFor(/GET\s+\/v1\/jobs -> 401/);

		p.child.kill('SIGTERM');
		expect(await p.exited).toBe(0);
		const { out, err } = p.output();
		expect(out).toContain('SIGTERM');
		expect(out + err).not.toContain(key);
		expect(out + err).not.toMatch(/authorization|Bearer/i);
		expect(err).toBe('');
	});

	test('SIGINT also exits cleanly; --help; bad flags exit 2', async () => {
		const p = run(['--port', '0', '--quiet']);
		await p.waitFor(/listening on/);
		p.child.kill('SIGINT');
		expect(await p.exited).toBe(0);
		const h = run(['--help']);
		expect(await h.exited).toBe(0);
		expect(h.output().out).toContain('--envelope');
		const bad = run(['--envelope', 'weird']);
		expect(await bad.exited).toBe(2);
	});
});
