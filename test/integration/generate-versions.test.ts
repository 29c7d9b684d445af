/**
 * Node version 2 puts Max Cost (USD) and Download Video on the node (a $2.50 limit and the download on
 * by default); version 1, what existing workflows have, keeps reading them under Options.
 */
import { closeFakes, generate, installLogCapture, run, startFake, submits } from '../fault/support';

beforeAll(installLogCapture);
afterAll(closeFakes);

const pro15WithSound = { model: 'kling/kling-3.0-pro/image-to-video', imageUrl: 'https://example.com/a.jpg', duration: '15', hasSound: true };

describe('version 2 (new nodes)', () => {
	test('the default Max Cost ($2.50) refuses a $2.52 item before anything is sent', async () => {
		const fake = await startFake();
		const result = await run(fake, generate(pro15WithSound), { typeVersion: 2 });
		expect(fake.stats.requests).toBe(0);
		expect(result.error?.message).toBe('Item 1: The estimated cost $2.52 (2,520,000 micro-cents) is above Max Cost $2.50');
		expect(result.error?.description).toMatch(/^Raise Max Cost \(USD\), or/);
	});

	test('Max Cost raised on the node lets it through; the video is downloaded by default; costUsd comes before costMicroCents', async () => {
		const fake = await startFake();
		const result = await run(fake, generate({ ...pro15WithSound, maxCostUsd: 3 }), { typeVersion: 2 });
		expect(result.error).toBeUndefined();
		expect(submits(fake)).toHaveLength(1);
		const item = result.items[0];
		expect(item.binary?.data?.mimeType).toBe('video/mp4');
		const keys = Object.keys(item.json);
		expect(keys.indexOf('costUsd')).toBeLessThan(keys.indexOf('costMicroCents'));
		expect(item.json).toMatchObject({ costUsd: 2.52, costMicroCents: 2_520_000, status: 'completed' });
	});

	test('Download Video off on the node: no binary', async () => {
		const fake = await startFake();
		const result = await run(fake, generate({ download: false }), { typeVersion: 2 });
		expect(result.error).toBeUndefined();
		expect(result.items[0].binary).toBeUndefined();
	});
});

describe('version 1 (existing workflows) keeps its Options', () => {
	test('no Max Cost set: no limit, as before; no download unless Options say so', async () => {
		const fake = await startFake();
		const result = await run(fake, generate(pro15WithSound), { typeVersion: 1 });
		expect(result.error).toBeUndefined();
		expect(submits(fake)).toHaveLength(1);
		expect(result.items[0].binary).toBeUndefined();
	});

	test('options.maxCostUsd and options.download still apply', async () => {
		const fake = await startFake();
		const refused = await run(fake, generate({ ...pro15WithSound, options: { maxCostUsd: 2 } }), { typeVersion: 1 });
		expect(refused.error?.message).toBe('Item 1: The estimated cost $2.52 (2,520,000 micro-cents) is above Max Cost $2.00');
		expect(refused.error?.description).toMatch(/^Raise Max Cost \(USD\) in Options/);
		expect(fake.stats.requests).toBe(0);
		const downloaded = await run(fake, generate({ options: { download: true } }), { typeVersion: 1 });
		expect(downloaded.items[0].binary?.data?.mimeType).toBe('video/mp4');
	});
});
