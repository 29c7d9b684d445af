/** Generate with model inputs taken from the item's binary data instead of public URLs. */
import { createHash } from 'node:crypto';

import { startFakeMuvi, type FakeMuvi } from '../fake-muvi/server';
import { runMuviNode } from '../helpers/engine';

const API_KEY = 'pb_canary_binary_77';
let fake: FakeMuvi;

beforeAll(async () => {
	fake = await startFakeMuvi({ apiKey: API_KEY, jobDurationMs: 300 });
});
afterAll(async () => fake.close());
beforeEach(() => fake.reset());

const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(3000, 9)]);
const mp4 = Buffer.concat([Buffer.from('0000001866747970', 'hex'), Buffer.alloc(9000, 1)]);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const item = (binary: Record<string, { data: Buffer; mimeType: string; fileName: string }>) => [
	{
		json: {},
		binary: Object.fromEntries(
			Object.entries(binary).map(([k, v]) => [k, { data: v.data.toString('base64'), mimeType: v.mimeType, fileName: v.fileName }]),
		),
	},
];
const run = (parameters: Record<string, unknown>, items: ReturnType<typeof item>) =>
	runMuviNode({ credentials: { apiKey: API_KEY, baseUrl: fake.url }, parameters, items });

test('Kling I2V: the image comes from binary data, is uploaded, and its file URL is sent as image_url', async () => {
	const { items, error } = await run(
		{
			resource: 'video',
			operation: 'generate',
			model: 'kling/kling-3.0-standard/image-to-video',
			prompt: 'The photo comes alive',
			imageUrlSource: 'binary',
			imageUrlBinaryProperty: 'photo',
			waitForCompletion: false,
		},
		item({ photo: { data: jpeg, mimeType: 'image/jpeg', fileName: 'shoe.jpg' } }),
	);
	expect(error).toBeUndefined();
	const upload = [...fake.uploads.values()][0];
	expect(upload.received).toMatchObject({ size: jpeg.length, contentType: 'image/jpeg', sha256: sha(jpeg) });
	const submit = fake.requests.find((r) => r.path === '/v1/jobs/submit')!;
	expect((submit.json as { input: Record<string, unknown> }).input.image_url).toBe(upload.fileUrl);
	expect(items[0].json.status).toBe('pending');
	// presign before submit, and the storage PUT without the key
	const order = fake.requests.map((r) => r.path);
	expect(order.indexOf('/v1/uploads/presign')).toBeLessThan(order.indexOf('/v1/jobs/submit'));
	expect(fake.cdnRequests.every((r) => !r.carriesApiKey)).toBe(true);
});

test('motion control: image by URL, video from binary data', async () => {
	const { error } = await run(
		{
			resource: 'video',
			operation: 'generate',
			model: 'kling-plus/kling-3.0-pro/motion-control',
			image: 'https://example.com/mascot.png',
			videoSource: 'binary',
			videoBinaryProperty: 'data',
			waitForCompletion: false,
		},
		item({ data: { data: mp4, mimeType: 'video/mp4', fileName: 'dance.mp4' } }),
	);
	expect(error).toBeUndefined();
	const input = (fake.requests.find((r) => r.path === '/v1/jobs/submit')!.json as { input: Record<string, unknown> }).input;
	expect(input.image).toBe('https://example.com/mascot.png');
	expect(input.video).toBe([...fake.uploads.values()][0].fileUrl);
});

test('a binary file Muvi would refuse stops the item before any request (no upload, no job)', async () => {
	const { error } = await run(
		{
			resource: 'video',
			operation: 'generate',
			model: 'kling/kling-3.0-standard/image-to-video',
			prompt: 'x',
			imageUrlSource: 'binary',
			imageUrlBinaryProperty: 'data',
		},
		item({ data: { data: Buffer.from('GIF89a'), mimeType: 'image/bmp', fileName: 'a.bmp' } }),
	);
	expect(error?.message).toMatch(/"Image URL" \(imageUrl, Input Source: Binary File\): Muvi does not accept files of type "image\/bmp"/);
	expect(fake.requests).toHaveLength(0);
});

test('an invalid other field stops the item before the file is uploaded', async () => {
	const { error } = await run(
		{
			resource: 'video',
			operation: 'generate',
			model: 'kling/kling-3.0-standard/image-to-video',
			prompt: '={{ "y".repeat(3000) }}',
			imageUrlSource: 'binary',
		},
		item({ data: { data: jpeg, mimeType: 'image/jpeg', fileName: 'a.jpg' } }),
	);
	expect(error?.message).toMatch(/3000 characters long/);
	expect(fake.requests).toHaveLength(0);
	expect(fake.uploads.size).toBe(0);
});
