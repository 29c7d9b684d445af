/**
 * Node version 3: Kling's Multi-Shot and Elements are lists filled in the editor (Add Shot, Add Element),
 * read through n8n's own parameter resolution, checked like every other field before anything is sent,
 * and sent as the arrays Muvi documents. Versions 1 and 2 keep their JSON text fields.
 */
import { NodeHelpers, type INode } from 'n8n-workflow';

import { MuviVideo } from '../../nodes/MuviVideo/MuviVideo.node';
import { startFakeMuvi, type FakeMuvi } from '../fake-muvi/server';
import { runMuviNode } from '../helpers/engine';

const API_KEY = 'pb_canary_lists_31';
let fake: FakeMuvi;

beforeAll(async () => {
	fake = await startFakeMuvi({ apiKey: API_KEY, jobDurationMs: 300 });
});
afterAll(async () => fake.close());
beforeEach(() => fake.reset());

const O3_PRO = 'kling-plus/kling-o3-pro/text-to-video';
const ELEMENTS_V3 = 'kling/kling-elements-i2v-v3/image-to-video-elements';
const jpeg = (fill: number) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, fill)]);

const run = (parameters: Record<string, unknown>, typeVersion = 3, items?: Array<Record<string, unknown>>) =>
	runMuviNode({
		credentials: { apiKey: API_KEY, baseUrl: fake.url },
		parameters: { resource: 'video', operation: 'generate', waitForCompletion: false, maxCostUsd: 5, ...parameters },
		typeVersion,
		...(items ? { items } : {}),
	});
const submitted = () => fake.requests.filter((r) => r.path === '/v1/jobs/submit').map((r) => (r.json as { input: Record<string, unknown> }).input);
const shots = (...list: Array<{ prompt: unknown; duration?: unknown }>) => ({ shots: list });

describe("n8n's parameters for each version", () => {
	const description = new MuviVideo().description;
	const values = (typeVersion: number) =>
		NodeHelpers.getNodeParameters(
			description.properties,
			{ resource: 'video', operation: 'generate', model: O3_PRO },
			true,
			false,
			{ name: 'Muvi Video', type: 'n8n-nodes-muvi.muviVideo', typeVersion, parameters: {} } as unknown as INode,
			description,
		) as Record<string, unknown>;

	test('a new node is version 3, with the lists; versions 1 and 2 keep their JSON fields', () => {
		expect(description.defaultVersion).toBe(3);
		expect(description.version).toEqual([1, 2, 3]);
		const v3 = values(3);
		expect(v3).toMatchObject({ shotList: {}, elementList: {} });
		expect(v3).not.toHaveProperty('multishot');
		expect(v3).not.toHaveProperty('elements');
		for (const v of [1, 2]) {
			expect(values(v)).toMatchObject({ multishot: '[]', elements: '[]' });
			expect(values(v)).not.toHaveProperty('shotList');
		}
		// everything else of version 2 stays: Max Cost and Download Video on the node
		expect(v3).toMatchObject({ maxCostUsd: values(2).maxCostUsd, download: values(2).download });
	});
});

describe('Multi-Shot (Add Shot: prompt, duration)', () => {
	test('the shots are sent as input.multishot, in order, durations as numbers (sheet text "4" too)', async () => {
		const result = await run({ model: O3_PRO, prompt: 'A city at dawn', duration: '10', shotList: shots({ prompt: ' Wide shot ', duration: 6 }, { prompt: 'Close-up', duration: '4' }) });
		expect(result.error).toBeUndefined();
		expect(submitted()[0].multishot).toEqual([
			{ prompt: 'Wide shot', duration: 6 },
			{ prompt: 'Close-up', duration: 4 },
		]);
	});

	test('no shots: nothing is sent for multishot', async () => {
		const result = await run({ model: O3_PRO, prompt: 'A city at dawn' });
		expect(result.error).toBeUndefined();
		expect(submitted()[0]).not.toHaveProperty('multishot');
	});

	test.each([
		[[{ prompt: 'a', duration: 0 }], /shot 1: "Duration \(Seconds\)" must be a whole number from 1 to 15/],
		[[{ prompt: 'a', duration: '16' }], /shot 1: "Duration \(Seconds\)" must be a whole number from 1 to 15/],
		[[{ prompt: 'a', duration: 2.5 }], /shot 1: "Duration \(Seconds\)"/],
		[[{ prompt: 'a', duration: 5 }, { prompt: '  ', duration: 5 }], /shot 2: "Prompt" is empty/],
		[[{ prompt: 'a', duration: 10 }, { prompt: 'b', duration: 10 }], /the shots last 20 seconds together; .* makes videos of 3–15 seconds/],
		[[{ prompt: 'a', duration: 2 }], /the shots last 2 seconds together/],
	])('%j is an input error naming the item and the field, before anything is sent', async (list, message) => {
		const result = await run({ model: O3_PRO, prompt: 'A city', shotList: { shots: list } });
		expect(result.error?.message).toMatch(/^Item 1: "Multi-Shot" \(shotList\)/);
		expect(result.error?.message).toMatch(message);
		expect(result.error?.description).toMatch(/Nothing was sent to Muvi for any item\.$/);
		expect(fake.requests).toHaveLength(0);
	});

	test('the price goes by the longer of Duration and the shots (Muvi does not say which it bills): Max Cost holds', async () => {
		// O3 Pro, no sound: $0.112/s; Duration 5 s = $0.56, but shots of 12 s together = $1.344
		const refused = await run({ model: O3_PRO, prompt: 'A city', duration: '5', maxCostUsd: 1, shotList: shots({ prompt: 'a', duration: 6 }, { prompt: 'b', duration: 6 }) });
		expect(refused.error?.message).toMatch(/^Item 1: The estimated cost \$1\.34/);
		expect(fake.requests).toHaveLength(0);
		const shorter = await run({ model: O3_PRO, prompt: 'A city', duration: '5', maxCostUsd: 1, shotList: shots({ prompt: 'a', duration: 3 }) });
		expect(shorter.error).toBeUndefined();
		expect(shorter.items[0].json.estimatedCostUsd).toBe(0.56);
	});

	test('version 2 keeps reading the JSON text', async () => {
		const result = await run({ model: O3_PRO, prompt: 'A city', multishot: '[{"prompt": "Wide", "duration": 5}]' }, 2);
		expect(result.error).toBeUndefined();
		expect(submitted()[0].multishot).toEqual([{ prompt: 'Wide', duration: 5 }]);
	});
});

describe('Elements (Add Element: 1–4 images by URL or binary, name, optional voice)', () => {
	test('by URL, with a name and a voice: sent as characterImages, name, voice', async () => {
		const result = await run({
			model: ELEMENTS_V3,
			prompt: 'Anna walks in',
			imageUrl: 'https://example.com/scene.jpg',
			elementList: {
				elements: [
					{ name: 'Anna', imageSource: 'url', imageUrls: 'https://example.com/a1.jpg, https://example.com/a2.jpg', voiceUrl: 'https://example.com/anna.mp3' },
					{ imageSource: 'url', imageUrls: 'https://example.com/dog.jpg\nhttps://example.com/dog2.jpg' },
				],
			},
		});
		expect(result.error).toBeUndefined();
		expect(submitted()[0].elements).toEqual([
			{ characterImages: ['https://example.com/a1.jpg', 'https://example.com/a2.jpg'], name: 'Anna', voice: 'https://example.com/anna.mp3' },
			{ characterImages: ['https://example.com/dog.jpg', 'https://example.com/dog2.jpg'] },
		]);
	});

	test('from binary properties of the item: each file uploaded, its URL in its place', async () => {
		const binary = Object.fromEntries(
			[
				['face', 1],
				['side', 2],
			].map(([name, fill]) => [name, { data: jpeg(fill as number).toString('base64'), mimeType: 'image/jpeg', fileName: `${name}.jpg` }]),
		);
		const result = await run(
			{
				model: ELEMENTS_V3,
				prompt: 'Anna walks in',
				imageUrl: 'https://example.com/scene.jpg',
				elementList: {
					elements: [
						{ name: 'Anna', imageSource: 'binary', binaryPropertyNames: 'face, side' },
						{ imageSource: 'url', imageUrls: 'https://example.com/dog.jpg' },
					],
				},
			},
			3,
			[{ json: {}, binary }],
		);
		expect(result.error).toBeUndefined();
		const uploads = [...fake.uploads.values()].map((u) => u.fileUrl);
		expect(uploads).toHaveLength(2);
		expect(submitted()[0].elements).toEqual([{ characterImages: uploads, name: 'Anna' }, { characterImages: ['https://example.com/dog.jpg'] }]);
	});

	test.each([
		[{ imageSource: 'url', imageUrls: '' }, /element 1: "Image URLs" must name 1–4 images; it names 0/],
		[{ imageSource: 'url', imageUrls: 'https://e.com/1.jpg,https://e.com/2.jpg,https://e.com/3.jpg,https://e.com/4.jpg,https://e.com/5.jpg' }, /it names 5/],
		[{ imageSource: 'url', imageUrls: 'face.jpg' }, /element 1: "Image URLs" has "face.jpg", which is not a web address/],
		[{ imageSource: 'url', imageUrls: 'https://e.com/1.jpg', voiceUrl: 'voice' }, /element 1: "Voice URL" must be a web address/],
	])('%j is an input error before anything is sent', async (element, message) => {
		const result = await run({ model: ELEMENTS_V3, prompt: 'p', imageUrl: 'https://example.com/scene.jpg', elementList: { elements: [element] } });
		expect(result.error?.message).toMatch(/^Item 1: "Elements" \(elementList\)/);
		expect(result.error?.message).toMatch(message);
		expect(fake.requests).toHaveLength(0);
	});

	test('a binary property the item lacks is an input error naming the element', async () => {
		const result = await run({
			model: ELEMENTS_V3,
			prompt: 'p',
			imageUrl: 'https://example.com/scene.jpg',
			elementList: { elements: [{ imageSource: 'binary', binaryPropertyNames: 'face' }] },
		});
		expect(result.error?.message).toMatch(/^Item 1: .*"Elements" \(elementList\) element 1, "Image Binary Fields"/);
		expect(fake.requests).toHaveLength(0);
	});

	test('the model needs elements: an empty list is refused as a missing field', async () => {
		const result = await run({ model: ELEMENTS_V3, prompt: 'p', imageUrl: 'https://example.com/scene.jpg' });
		expect(result.error?.message).toBe('Item 1: "Elements" (elementList) is required for this model');
		expect(fake.requests).toHaveLength(0);
	});
});

describe('with Fallback Models', () => {
	const O3_STANDARD = 'kling-plus/kling-o3-standard/text-to-video';

	test("the shots go to the fallback as they went to the first model (the item's list, read for each attempt)", async () => {
		const result = await run({
			model: O3_PRO,
			prompt: 'A city [fail:o3-pro]',
			duration: '10',
			waitForCompletion: true,
			download: false,
			shotList: shots({ prompt: 'Wide', duration: 4 }, { prompt: 'Close', duration: '6' }),
			fallbackModels: { models: [{ model: O3_STANDARD }] },
		});
		expect(result.error).toBeUndefined();
		const sent = fake.requests.filter((r) => r.path === '/v1/jobs/submit').map((r) => r.json as { model: string; input: Record<string, unknown> });
		expect(sent.map((s) => s.model)).toEqual([O3_PRO, O3_STANDARD]);
		expect(sent[1].input.multishot).toEqual(sent[0].input.multishot);
		expect(sent[1].input.multishot).toEqual([
			{ prompt: 'Wide', duration: 4 },
			{ prompt: 'Close', duration: 6 },
		]);
		expect(result.items[0].json).toMatchObject({ model: O3_STANDARD, outcome: 'completed' });
	});

	test('a fallback without Elements for an item with elements is refused before anything is sent', async () => {
		const result = await run({
			model: O3_PRO,
			prompt: 'A city',
			elementList: { elements: [{ imageSource: 'url', imageUrls: 'https://example.com/a.jpg' }] },
			fallbackModels: { models: [{ model: O3_STANDARD }] },
		});
		expect(result.error?.message).toMatch(/^Item 1: fallback model 1 ".*Kling O3 Standard.*": .*"Elements" \(elements\)/);
		expect(fake.requests).toHaveLength(0);
	});
});
