/**
 * Video → Estimate Cost, executed by n8n's own engine: the local price from the catalog, and with
 * "Ask Muvi Too" the answer of POST /v1/jobs/estimate (both documented shapes) from a tiny local
 * stand-in for Muvi that records what it received. Nothing is ever submitted.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { runMuviNode } from '../helpers/engine';

interface Received {
	method: string;
	path: string;
	headers: IncomingHttpHeaders;
	json: unknown;
}

let server: Server;
let baseUrl = '';
const received: Received[] = [];
let answer: { status: number; body: unknown } = { status: 200, body: {} };

beforeAll(async () => {
	server = createServer((req, res) => {
		let raw = '';
		req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
		req.on('end', () => {
			received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, json: raw ? JSON.parse(raw) : undefined });
			res.writeHead(answer.status, { 'content-type': 'application/json' });
			res.end(JSON.stringify(answer.body));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
	received.length = 0;
	answer = { status: 200, body: {} };
});

const run = (parameters: Record<string, unknown>, items?: Array<Record<string, unknown>>) =>
	runMuviNode({ credentials: { apiKey: 'pb_test_key', baseUrl }, parameters: { resource: 'video', operation: 'estimateCost', ...parameters }, items });

const seedance15 = {
	model: 'bytedance-plus/seedance-1.5-pro-super/image-to-video',
	prompt: 'A paper boat drifts down a rainy street',
	imageUrl: 'https://example.com/boat.jpg',
};

describe('Video → Estimate Cost', () => {
	test('prices locally from the documented formula and sends nothing', async () => {
		const { items, error } = await run(seedance15);
		expect(error).toBeUndefined();
		expect(received).toHaveLength(0);
		expect(items).toHaveLength(1);
		expect(items[0].json).toEqual({
			model: 'bytedance-plus/seedance-1.5-pro-super/image-to-video',
			modelName: 'ByteDance Seedance 1.5 Pro Super — Image to Video',
			estimatedCostMicroCents: 280_005,
			estimatedCostUsd: 0.280005,
			priceFormula:
				'15,000 micro-cents/s ($0.015/s) × seconds × (1.8667 if resolution=720p, 3.7333 if resolution=1080p) × (2 if generate_audio=true)',
			seconds: 5,
			priceFactors: {
				resolution: { value: '720p', multiplier: 1.8667 },
				generate_audio: { value: 'true', multiplier: 2 },
			},
		});
		expect(items[0].pairedItem).toEqual({ item: 0 });
	});

	test('uses the fields as set, one result per item', async () => {
		const { items } = await run(
			{ model: 'openai/sora-2-pro/text-to-video', prompt: '={{ $json.idea }}', resolution: '1080p', duration: '={{ $json.seconds }}' },
			[
				{ idea: 'a lighthouse', seconds: '4' },
				{ idea: 'a glacier', seconds: '12' },
			],
		);
		expect(items.map((i) => i.json.estimatedCostMicroCents)).toEqual([2_004_000, 6_012_000]);
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	test('checks the input first, like Generate', async () => {
		const { error } = await run({ ...seedance15, prompt: '={{ $json.missing ?? "" }}' });
		expect(error?.message).toMatch(/"Prompt" \(prompt\) is required for ByteDance Seedance 1\.5 Pro Super — Image to Video/);
		expect(error?.description).toMatch(/Nothing was sent to Muvi/);
		expect(received).toHaveLength(0);
		const badUrl = await run({ ...seedance15, imageUrl: 'boat.jpg', options: { askApi: true } });
		expect(badUrl.error?.message).toMatch(/must be a web address/);
		expect(received).toHaveLength(0);
	});

	test('with Ask Muvi Too: the API figure beside the local one (reference shape)', async () => {
		answer = {
			status: 200,
			body: {
				baseCostMicroCents: 280_005,
				estimatedCostMicroCents: 224_004,
				breakdown: [{ component: 'base_generation', costMicroCents: 280_005 }],
				hasDiscount: true,
				discounted: { type: 'volume', percentage: 20, savedMicroCents: 56_001 },
			},
		};
		const { items, error } = await run({ ...seedance15, generateAudio: false, options: { askApi: true, version: 'v1.0' } });
		expect(error).toBeUndefined();
		expect(received).toHaveLength(1);
		expect(received[0]).toMatchObject({ method: 'POST', path: '/v1/jobs/estimate' });
		expect(received[0].headers.authorization).toBe('Bearer pb_test_key');
		expect(received[0].json).toEqual({
			model: 'bytedance-plus/seedance-1.5-pro-super/image-to-video',
			version: 'v1.0',
			input: {
				prompt: 'A paper boat drifts down a rainy street',
				image_url: 'https://example.com/boat.jpg',
				aspect_ratio: '16:9',
				resolution: '720p',
				duration: '5',
				generate_audio: false,
				camera_fixed: false,
			},
		});
		expect(items[0].json).toMatchObject({
			estimatedCostMicroCents: 140_003,
			apiEstimatedCostMicroCents: 224_004,
			apiEstimatedCostUsd: 0.224004,
			apiBaseCostMicroCents: 280_005,
			hasDiscount: true,
			breakdown: [{ component: 'base_generation', costMicroCents: 280_005 }],
			discounted: { type: 'volume', percentage: 20, savedMicroCents: 56_001 },
		});
	});

	test('with Ask Muvi Too: reads the wrapped pricing-page shape too', async () => {
		answer = {
			status: 200,
			body: {
				success: true,
				data: { estimatedCost: 2_400_000, baseCost: 200_000, factors: { duration: { value: 8, multiplier: 8 } }, currency: 'micro-cents' },
				requestId: 'req_1',
			},
		};
		const { items } = await run({ model: 'google/veo-3.1-fast/text-to-video', prompt: 'Fireworks over a harbour', options: { askApi: true } });
		expect(items[0].json).toMatchObject({
			estimatedCostMicroCents: 2_400_000,
			apiEstimatedCostMicroCents: 2_400_000,
			apiEstimatedCostUsd: 2.4,
			apiBaseCostMicroCents: 200_000,
			factors: { duration: { value: 8, multiplier: 8 } },
		});
		expect((received[0].json as { input: object }).input).toEqual({
			prompt: 'Fireworks over a harbour',
			aspect_ratio: '16:9',
			resolution: '720p',
			duration: '8',
			has_sound: 'true',
		});
	});

	test('Other Model (by Slug): no local price, says so; Ask Muvi Too still works', async () => {
		const custom = { model: 'custom', customModel: 'pixverse/v5/text-to-video', inputJson: '{"prompt": "a kite", "duration": "5"}' };
		const local = await run(custom);
		expect(received).toHaveLength(0);
		expect(local.items[0].json).toMatchObject({ model: 'pixverse/v5/text-to-video', estimatedCostMicroCents: null, estimatedCostUsd: null });
		expect(String(local.items[0].json.note)).toMatch(/No local price/);

		answer = { status: 200, body: { estimatedCostMicroCents: 300_000, baseCostMicroCents: 300_000 } };
		const asked = await run({ ...custom, options: { askApi: true } });
		expect(received[0].json).toEqual({ model: 'pixverse/v5/text-to-video', input: { prompt: 'a kite', duration: '5' } });
		expect(asked.items[0].json).toMatchObject({ estimatedCostMicroCents: null, apiEstimatedCostMicroCents: 300_000, apiEstimatedCostUsd: 0.3 });
	});

	test("Muvi's error answer becomes the node's error", async () => {
		answer = { status: 402, body: { success: false, error: { code: 'INSUFFICIENT_BALANCE', message: 'Not enough balance' }, requestId: 'req_2' } };
		const { error } = await run({ ...seedance15, options: { askApi: true } });
		expect(error).toBeDefined();
		expect(`${error?.message} ${error?.description}`).toMatch(/balance/i);
		expect(received).toHaveLength(1);
	});
});
