/** Job, Model and File operations through n8n's engine against the fake Muvi server. */
import { createHash } from 'node:crypto';

import { request } from 'undici';

import { startFakeMuvi, type FakeMuvi } from '../fake-muvi/server';
import { runMuviNode } from '../helpers/engine';

const API_KEY = 'pb_canary_jobs_4242';
let fake: FakeMuvi;

beforeAll(async () => {
	fake = await startFakeMuvi({ apiKey: API_KEY, jobDurationMs: 400 });
});
afterAll(async () => fake.close());
beforeEach(() => {
	fake.reset();
	fake.setOptions({ jobDurationMs: 400, autoProgress: true });
});

const run = (parameters: Record<string, unknown>, extra: Parameters<typeof runMuviNode>[0] extends infer O ? Partial<O> : never = {}) =>
	runMuviNode({ credentials: { apiKey: API_KEY, baseUrl: fake.url }, parameters, ...extra });

/** Creates jobs straight through the API (test setup, not the node under test). */
async function createJobs(count: number, prompt = 'setup'): Promise<string[]> {
	const ids: string[] = [];
	for (let i = 0; i < count; i++) {
		const res = await request(`${fake.url}/v1/jobs/submit`, {
			method: 'POST',
			headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
			body: JSON.stringify({
				model: 'kling/kling-3.0-standard/image-to-video',
				input: { prompt: `${prompt} ${i}`, image_url: 'https://example.com/a.jpg' },
			}),
		});
		const body = (await res.body.json()) as { jobId: string };
		ids.push(body.jobId);
	}
	return ids;
}

describe('Job → Get / Wait for Completion / Cancel', () => {
	test('Get normalises a job like a waited Generate, and downloads when asked', async () => {
		const [id] = await createJobs(1);
		await new Promise((r) => setTimeout(r, 500));
		const { items, error } = await run({ resource: 'job', operation: 'get', jobId: id, options: { download: true } });
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ jobId: id, status: 'completed', progress: 100 });
		expect(String(items[0].json.videoUrl)).toMatch(new RegExp(`/outputs/${id}/output_0.mp4$`));
		expect(items[0].binary?.data.mimeType).toBe('video/mp4');
		expect(items[0].pairedItem).toEqual({ item: 0 });
	});

	test('Get of an unknown job says so', async () => {
		const { error } = await run({ resource: 'job', operation: 'get', jobId: 'job_nope' });
		expect(error?.message).toBe('Muvi has no job with this ID');
	});

	test('Wait for Completion waits for a job submitted earlier', async () => {
		const [id] = await createJobs(1);
		const { items, error } = await run({ resource: 'job', operation: 'waitForCompletion', jobId: id });
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ jobId: id, status: 'completed' });
	});

	test('Cancel a pending job: refund in micro-cents and USD', async () => {
		fake.setOptions({ autoProgress: false });
		const [id] = await createJobs(1);
		const { items, error } = await run({ resource: 'job', operation: 'cancel', jobId: id });
		expect(error).toBeUndefined();
		expect(items[0].json).toEqual({
			jobId: id,
			status: 'cancelled',
			refundedMicroCents: 420_000,
			refundedUsd: 0.42,
			outcome: 'cancelled',
			costUsd: 0.42,
			costMicroCents: 420_000,
			netCostUsd: 0,
		});
	});

	test('Cancel a job that is no longer pending: a clear message', async () => {
		const [id] = await createJobs(1);
		await new Promise((r) => setTimeout(r, 500));
		const { error } = await run({ resource: 'job', operation: 'cancel', jobId: id });
		expect(error?.message).toBe('This job can no longer be cancelled');
		expect(error?.description).toMatch(/Only jobs that are still pending/);
	});

	test('a job id that is not one is refused before any request', async () => {
		const { error } = await run({ resource: 'job', operation: 'get', jobId: '../../v1/uploads' });
		expect(error?.message).toMatch(/"Job ID" must be a Muvi job ID/);
		expect(fake.requests).toHaveLength(0);
	});
});

describe('Job → Get Many (cursor pagination)', () => {
	test('Return All follows the cursor across pages of 100 until hasMore is false', async () => {
		const ids = await createJobs(230);
		const { items, error } = await run({ resource: 'job', operation: 'getAll', returnAll: true });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(230);
		expect(new Set(items.map((i) => i.json.jobId))).toEqual(new Set(ids));
		const lists = fake.requests.filter((r) => r.path === '/v1/jobs');
		expect(lists.map((r) => r.query.limit)).toEqual(['100', '100', '100']);
		expect(lists[0].query.cursor).toBeUndefined();
		expect(lists[1].query.cursor).toBeTruthy();
	});

	test('a limit smaller than a page makes one request of that size', async () => {
		await createJobs(30);
		const { items } = await run({ resource: 'job', operation: 'getAll', returnAll: false, limit: 7 });
		expect(items).toHaveLength(7);
		const lists = fake.requests.filter((r) => r.path === '/v1/jobs');
		expect(lists.map((r) => r.query.limit)).toEqual(['7']);
	});

	test('a limit above a page size pages until it is reached', async () => {
		await createJobs(150);
		const { items } = await run({ resource: 'job', operation: 'getAll', returnAll: false, limit: 120 });
		expect(items).toHaveLength(120);
		expect(fake.requests.filter((r) => r.path === '/v1/jobs').map((r) => r.query.limit)).toEqual(['100', '20']);
	});

	test('filters go to the API; an empty page gives no items', async () => {
		await createJobs(3);
		const { items, error } = await run({
			resource: 'job',
			operation: 'getAll',
			returnAll: true,
			filters: { status: 'failed', model: 'kling/kling-3.0-standard/image-to-video' },
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(0);
		const q = fake.requests.find((r) => r.path === '/v1/jobs')!.query;
		expect(q).toMatchObject({ status: 'failed', modelId: 'kling/kling-3.0-standard/image-to-video' });
	});
});

describe('Model', () => {
	test('Get Many lists the public catalog, filtered by category and capability', async () => {
		const { items, error } = await run({ resource: 'model', operation: 'getAll', returnAll: true, filters: { category: 'video', capability: 'motion-control' } });
		expect(error).toBeUndefined();
		expect(items.length).toBeGreaterThan(0);
		expect(items.every((i) => i.json.capability === 'motion-control' && i.json.category === 'video')).toBe(true);
		expect(items.map((i) => i.json.slug)).toContain('kling-plus/kling-3.0-pro/motion-control');
	});

	test('Get returns one model with its input schema (the slug keeps its slashes)', async () => {
		const { items, error } = await run({ resource: 'model', operation: 'get', slug: 'kling/kling-3.0-standard/image-to-video' });
		expect(error).toBeUndefined();
		expect(items[0].json.slug).toBe('kling/kling-3.0-standard/image-to-video');
		expect(items[0].json.inputSchema).toBeDefined();
		expect(fake.requests[0].path).toBe('/v1/catalog/models/kling/kling-3.0-standard/image-to-video');
	});
});

describe('File → Upload', () => {
	const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(5000, 3)]);
	const withBinary = (data: Buffer, mimeType: string, fileName: string) => [
		{ json: {}, binary: { data: { data: data.toString('base64'), mimeType, fileName } } },
	];

	test('presigns, PUTs the bytes unchanged with the same Content-Type, returns the file URL', async () => {
		const { items, error } = await run({ resource: 'file', operation: 'upload', binaryPropertyName: 'data' }, { items: withBinary(png, 'image/png', 'cat.png') });
		expect(error).toBeUndefined();
		const upload = [...fake.uploads.values()][0];
		expect(upload.received).toMatchObject({ size: png.length, contentType: 'image/png', sha256: createHash('sha256').update(png).digest('hex') });
		expect(items[0].json).toMatchObject({ fileUrl: upload.fileUrl, fileId: upload.fileId, expiresAt: upload.expiresAt, mimeType: 'image/png', fileSize: png.length });
		const presign = fake.requests.find((r) => r.path === '/v1/uploads/presign')!;
		expect(presign.json).toEqual({ filename: 'cat.png', contentType: 'image/png' });
		// the PUT to storage carries no API key
		expect(fake.cdnRequests.every((r) => !r.carriesApiKey)).toBe(true);
	});

	test('a file over the limit is refused before any request', async () => {
		const big = Buffer.alloc(10 * 1024 * 1024 + 1, 1);
		const { error } = await run({ resource: 'file', operation: 'upload', binaryPropertyName: 'data' }, { items: withBinary(big, 'image/jpeg', 'big.jpg') });
		expect(error?.message).toMatch(/the file is 10\.0 MB; Muvi accepts at most 10\.0 MB for image\/jpeg/);
		expect(fake.requests).toHaveLength(0);
	});

	test('a type Muvi does not accept is refused before any request', async () => {
		const { error } = await run({ resource: 'file', operation: 'upload', binaryPropertyName: 'data' }, { items: withBinary(Buffer.from('%PDF'), 'application/pdf', 'a.pdf') });
		expect(error?.message).toMatch(/does not accept files of type "application\/pdf"/);
		expect(fake.requests).toHaveLength(0);
	});

	test('a missing binary property is named', async () => {
		const { error } = await run({ resource: 'file', operation: 'upload', binaryPropertyName: 'photo' }, { items: withBinary(png, 'image/png', 'a.png') });
		expect(error?.message).toMatch(/no binary property "photo"/);
		expect(error?.description).toMatch(/data/);
	});

	test('Continue On Fail keeps the good items', async () => {
		const items = [...withBinary(Buffer.from('x'), 'text/plain', 'a.txt'), ...withBinary(png, 'image/png', 'b.png')];
		const result = await run({ resource: 'file', operation: 'upload', binaryPropertyName: 'data' }, { items, continueOnFail: true });
		expect(result.items).toHaveLength(2);
		expect(String(result.items[0].json.error)).toMatch(/does not accept/);
		expect(result.items[1].json.fileUrl).toBeTruthy();
	});
});
