/**
 * Resource Image, "Other Model (by Slug)" with typed fields, and the cost guard, executed by n8n's
 * own engine against the fake Muvi server: what the API received, what items and binaries came out.
 */
import { startFakeMuvi, type FakeMuvi } from '../fake-muvi/server';
import { runMuviNode, type RunOptions } from '../helpers/engine';

const API_KEY = 'pb_canary_key_image_1';
let fake: FakeMuvi;

beforeAll(async () => {
	fake = await startFakeMuvi({ apiKey: API_KEY, jobDurationMs: 300 });
});
afterAll(async () => fake.close());
beforeEach(() => {
	fake.reset();
	fake.setOptions({ jobDurationMs: 300, acceptAnyModel: false });
});

/** Node version 2: Max Cost (default $2.50) and the download are on the node. */
const run = (parameters: Record<string, unknown>, extra: Partial<RunOptions> = {}) =>
	runMuviNode({ credentials: { apiKey: API_KEY, baseUrl: fake.url }, parameters, typeVersion: 2, ...extra });

const sent = (path: string) => fake.requests.filter((r) => r.method === 'POST' && r.path === path);
const submits = () => sent('/v1/jobs/submit');
const estimates = () => sent('/v1/jobs/estimate');

describe('Image → Generate', () => {
	test('Wan 2.7, three images: the API gets "3" as a string; three binaries data, data_1, data_2 as PNG', async () => {
		const { items, error } = await run({
			resource: 'image',
			operation: 'generate',
			model: 'alibaba-plus/wan-2.7/text-to-image',
			prompt: 'A ceramic mug on a walnut table, soft daylight',
			size: '1K',
			imageCount: '3',
			thinkingMode: false,
		});
		expect(error).toBeUndefined();
		expect(submits().map((r) => r.json)).toEqual([
			{
				model: 'alibaba-plus/wan-2.7/text-to-image',
				input: { prompt: 'A ceramic mug on a walnut table, soft daylight', size: '1K', num_images: '3', thinking_mode: false },
			},
		]);
		expect(estimates()).toHaveLength(0); // a local price exists: Muvi is not asked
		expect(items).toHaveLength(1);
		const { json, binary } = items[0];
		expect(json).toMatchObject({ status: 'completed', costMicroCents: 90_000, costUsd: 0.09, estimatedCostMicroCents: 90_000 });
		const id = String(json.jobId);
		expect(json.imageUrls).toEqual([0, 1, 2].map((n) => `${fake.cdnUrl}/outputs/${id}/output_${n}.png`));
		expect(Object.keys(binary ?? {})).toEqual(['data', 'data_1', 'data_2']);
		for (const [n, key] of ['data', 'data_1', 'data_2'].entries()) {
			expect(binary![key]).toMatchObject({ mimeType: 'image/png', fileName: `${id}_${n}.png`, fileExtension: 'png' });
			expect(Buffer.from(binary![key].data, 'base64').subarray(1, 4).toString('latin1')).toBe('PNG');
		}
	});

	test('Nano Banana edit: a missing source image is refused naming the field, nothing sent', async () => {
		const { error } = await run({ resource: 'image', operation: 'generate', model: 'google/nano-banana/edit-image', prompt: 'make it blue' });
		expect(error?.message).toBe('Item 1: "Image URLs" (imageUrls) is required for Google Nano Banana — Edit Image');
		expect(fake.requests).toHaveLength(0);
	});

	test('over Max Cost: Nano Banana Pro at 4k ($0.2412) under a $0.20 limit is refused before submitting', async () => {
		const { error } = await run({
			resource: 'image',
			operation: 'generate',
			model: 'google/nano-banana-pro/text-to-image',
			prompt: 'a poster',
			resolution: '4k',
			maxCostUsd: 0.2,
		});
		expect(error?.message).toBe('Item 1: The estimated cost $0.2412 (241,200 micro-cents) is above Max Cost $0.20');
		// remedies an image model has: no duration or sound
		expect((error as { description?: string }).description).toMatch(/choose a lower resolution, fewer images or a cheaper model/);
		expect(submits()).toHaveLength(0);
	});
});

describe('Image → Estimate Cost', () => {
	test('the documented price with its factors; nothing submitted', async () => {
		const { items, error } = await run({
			resource: 'image',
			operation: 'estimateCost',
			model: 'pixelbyte-plus/pixel-image-1.0-pro/image-to-image',
			prompt: 'p',
			imageUrls: ['https://example.com/a.png'],
			numImages: 4,
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ estimatedCostMicroCents: 180_000, estimatedCostUsd: 0.18, images: 4 });
		expect(submits()).toHaveLength(0);
	});
});

describe('Other Model (by Slug) with fields from the catalog', () => {
	const veo = {
		resource: 'video',
		operation: 'generate',
		model: 'custom',
		customModel: 'google/veo-3.1-fast/text-to-video',
		waitForCompletion: false,
	};
	const mapped = (value: Record<string, unknown>) => ({ mappingMode: 'defineBelow', value, matchingColumns: [], schema: [] });

	test('values from a sheet are converted to the schema types; the schema is read from the catalog', async () => {
		const { items, error } = await run({ ...veo, customInput: mapped({ prompt: 'a fox', duration: 4, has_sound: 'false', seed: '42', resolution: '' }) });
		expect(error).toBeUndefined();
		expect(fake.requests.some((r) => r.method === 'GET' && r.path === '/v1/catalog/models/google/veo-3.1-fast/text-to-video')).toBe(true);
		expect(submits().map((r) => r.json)).toEqual([
			{ model: 'google/veo-3.1-fast/text-to-video', input: { prompt: 'a fox', duration: '4', has_sound: 'false', seed: 42 } },
		]);
		// no local price: Muvi's estimate was asked under the default Max Cost, and is reported
		expect(estimates().map((r) => r.json)).toEqual([
			{ model: 'google/veo-3.1-fast/text-to-video', input: { prompt: 'a fox', duration: '4', has_sound: 'false', seed: 42 } },
		]);
		expect(items[0].json).toMatchObject({ status: 'pending', estimatedCostMicroCents: 800_000, costMicroCents: 800_000 });
	});

	test.each([
		['a duration the schema does not allow', { prompt: 'a fox', duration: '10' }, /"Duration" \(duration\) of google\/veo-3\.1-fast\/text-to-video cannot be "10"/],
		['no prompt', { duration: '4' }, /"Prompt" \(prompt\) is required for google\/veo-3\.1-fast\/text-to-video/],
		['a seed that is not a number', { prompt: 'a fox', seed: 'abc' }, /"Seed" \(seed\) .* must be a whole number/],
	])('%s is refused naming the field; nothing submitted', async (_, value, message) => {
		const { error } = await run({ ...veo, customInput: mapped(value) });
		expect(error?.message).toMatch(message);
		expect(error?.description).toMatch(/Nothing was sent to Muvi/);
		expect(submits()).toHaveLength(0);
		expect(estimates()).toHaveLength(0);
	});

	test('JSON stays available as Input Mode', async () => {
		const { error } = await run({ ...veo, customInputMode: 'json', inputJson: '{"prompt": "raw", "duration": "6"}' });
		expect(error).toBeUndefined();
		expect(submits()[0].json).toEqual({ model: 'google/veo-3.1-fast/text-to-video', input: { prompt: 'raw', duration: '6' } });
	});
});

describe('the cost guard never skips', () => {
	const custom = (extra: Record<string, unknown> = {}) => ({
		resource: 'video',
		operation: 'generate',
		model: 'custom',
		customModel: 'google/veo-3.1-fast/text-to-video',
		customInputMode: 'json',
		inputJson: '{"prompt": "a fox"}',
		waitForCompletion: false,
		maxCostUsd: 1,
		...extra,
	});

	test("the issue's case: a custom slug Muvi prices at $2.40 is refused under $1.00, nothing submitted", async () => {
		const { error } = await run(custom());
		expect(error?.message).toBe("Item 1: Muvi's estimate for google/veo-3.1-fast/text-to-video, $2.40 (2,400,000 micro-cents), is above Max Cost $1.00");
		expect(estimates()).toHaveLength(1);
		expect(submits()).toHaveLength(0);
	});

	test('no estimate (Muvi answers 503 every time): refused unless Allow Unknown Cost is on', async () => {
		fake.injectFault({ route: 'estimate', kind: 'status', status: 503, code: 'SERVICE_UNAVAILABLE', times: 100 });
		const refused = await run(custom({ inputJson: '{"prompt": "a fox", "duration": "4", "has_sound": "false"}' }));
		expect(refused.error?.message).toMatch(/^Item 1: The cost of google\/veo-3\.1-fast\/text-to-video is unknown, so Max Cost \$1\.00 cannot be checked/);
		expect(refused.error?.description).toMatch(/Allow Unknown Cost/);
		expect(submits()).toHaveLength(0);

		fake.reset();
		fake.injectFault({ route: 'estimate', kind: 'status', status: 503, code: 'SERVICE_UNAVAILABLE', times: 100 });
		const allowed = await run(custom({ inputJson: '{"prompt": "a fox", "duration": "4", "has_sound": "false"}', options: { allowUnknownCost: true } }));
		expect(allowed.error).toBeUndefined();
		expect(submits()).toHaveLength(1);
	}, 60_000);

	test('motion transfer (priced by the reference video) is checked against Muvi too', async () => {
		const { error } = await run({
			resource: 'video',
			operation: 'generate',
			model: 'kling/kling-motion-create-v3/motion-transfer-to-video',
			imageUrl: 'https://example.com/a.png',
			motionVideoUrl: 'https://example.com/b.mp4',
			quality: 'pro',
			waitForCompletion: false,
			maxCostUsd: 0.5,
		});
		// the fake prices it as 5 s × 70,000 × 1.5 = 525,000: above $0.50
		expect(error?.message).toBe("Item 1: Muvi's estimate for kling/kling-motion-create-v3/motion-transfer-to-video, $0.525 (525,000 micro-cents), is above Max Cost $0.50");
		expect(estimates()).toHaveLength(1);
		expect(submits()).toHaveLength(0);
	});
});

describe('an image job picked up later by Job', () => {
	test('Generate with Wait off, then Job → Wait for Completion and Job → Get give every image as data, data_1', async () => {
		const submitted = await run({
			resource: 'image',
			operation: 'generate',
			model: 'pixelbyte-plus/pixel-image-1.0/text-to-image',
			prompt: 'two mugs',
			numImages: 2,
			waitForCompletion: false,
		});
		expect(submitted.error).toBeUndefined();
		const jobId = String(submitted.items[0].json.jobId);
		const waited = await run({ resource: 'job', operation: 'waitForCompletion', jobId, options: { download: true } });
		expect(waited.error).toBeUndefined();
		expect(Object.keys(waited.items[0].binary ?? {})).toEqual(['data', 'data_1']);
		expect(waited.items[0].binary!.data_1).toMatchObject({ mimeType: 'image/png', fileName: `${jobId}_1.png` });
		const got = await run({ resource: 'job', operation: 'get', jobId, options: { download: true, binaryPropertyName: 'shot' } });
		expect(got.error).toBeUndefined();
		expect(Object.keys(got.items[0].binary ?? {})).toEqual(['shot', 'shot_1']);
		expect(got.items[0].json.imageUrls).toHaveLength(2);
	});
});
