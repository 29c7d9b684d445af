/**
 * Fallback Models (issue #22) in a real n8n: a failed job sends its item to the next model, never after
 * a lost answer or an input error; an impossible chain is refused before any submit; Retry On Fail with
 * a fallback in flight submits no attempt twice. Wait Mode Poll (the node's default). And node version 3's Multi-Shot and Elements lists.
 */
import { executeWorkflow, fake, type FakeJob } from './support/n8n';

const PRIMARY = 'kling/kling-3.0-standard/image-to-video';
const FALLBACK = 'kling/kling-3.0-pro/image-to-video';
const jobsWith = async (prefix: string) => (await fake<FakeJob[]>('/jobs')).filter((j) => String(j.input.prompt).startsWith(prefix));
const submitsWith = async (prefix: string) =>
	(await fake<Array<{ route: string; json?: { model?: string; input?: { prompt?: string } } }>>('/requests')).filter(
		(r) => r.route === 'submit' && String(r.json?.input?.prompt ?? '').startsWith(prefix),
	);

describe('3 items, item 2\'s first job fails', () => {
	afterEach(async () => {
		await fake('/faults', { method: 'DELETE' });
	});

	test('item 2: 1 refunded + 1 completed job; items 1 and 3: 1 job each; attempts in order', async () => {
		const run = await executeWorkflow('muviE2eFallback3');
		expect(run.execution.status).toBe('success');
		const jobs = await jobsWith('e2e fallback ');
		const of = (word: string) => jobs.filter((j) => String(j.input.prompt).includes(` ${word}`));
		expect(of('one').map((j) => j.model)).toEqual([PRIMARY]);
		expect(of('three').map((j) => j.model)).toEqual([PRIMARY]);
		expect(of('two').map((j) => `${j.model} ${j.status}`).sort()).toEqual([`${FALLBACK} completed`, `${PRIMARY} failed`].sort());
		const [, two] = run.items('Muvi Video').map((i) => i.json);
		expect(two).toMatchObject({ model: FALLBACK, outcome: 'completed', status: 'completed' });
		expect(two.attempts).toEqual([
			expect.objectContaining({ model: PRIMARY, outcome: 'failed', errorCode: 'GENERATION_FAILED', costUsd: 0.42, refundedUsd: 0.42 }),
			expect.objectContaining({ model: FALLBACK, outcome: 'completed', jobId: two.jobId }),
		]);
	}, 180_000);

	test('a lost answer does not fall back: item 1 has 1 job and outcome "unknown"', async () => {
		const before = (await submitsWith('e2e fallback one')).length;
		await fake('/faults', { method: 'POST', body: JSON.stringify({ route: 'submit', kind: 'reset-after-accept' }) });
		const run = await executeWorkflow('muviE2eFallback3');
		expect((await submitsWith('e2e fallback one')).length - before).toBe(1);
		expect(run.items('Muvi Video')[0].json.outcome).toBe('unknown');
	}, 180_000);

	test('an input error (INVALID_INPUT) does not fall back: no second model is sent for item 1', async () => {
		const before = await submitsWith('e2e fallback one');
		await fake('/faults', { method: 'POST', body: JSON.stringify({ route: 'submit', kind: 'status', status: 400, code: 'INVALID_INPUT', message: 'bad image' }) });
		const run = await executeWorkflow('muviE2eFallback3');
		const after = await submitsWith('e2e fallback one');
		expect(after.length - before.length).toBe(1);
		expect(after.at(-1)?.json?.model).toBe(PRIMARY);
		expect(run.items('Muvi Video')[0].json.outcome).toBe('not-submitted');
	}, 180_000);
});

test("a chain whose fallback does not offer the item's duration is refused before any submit", async () => {
	const run = await executeWorkflow('muviE2eFallbkDur');
	expect(run.execution.status).toBe('error');
	const error = run.execution.data.resultData.error ?? run.execution.data.resultData.runData['Muvi Video']?.at(-1)?.error;
	expect(String(error?.message)).toMatch(/^Item 1: fallback model 1 ".*2\.6.*": .*Duration/i);
	expect(await submitsWith('e2e fallback duration')).toHaveLength(0);
}, 180_000);

test('Retry On Fail with a fallback in flight: no attempt is submitted twice', async () => {
	const run = await executeWorkflow('muviE2eFallbkRoF');
	expect(run.execution.status).toBe('error');
	const count = new Map<string, number>();
	for (const s of await submitsWith('e2e fbrof ')) {
		const key = `${s.json?.input?.prompt} ${s.json?.model}`;
		count.set(key, (count.get(key) ?? 0) + 1);
	}
	expect([...count.entries()].filter(([, n]) => n !== 1)).toEqual([]);
	// item 1 once; items 2 and 3 on both models
	expect(count.size).toBe(5);
}, 180_000);

describe('node version 3: Multi-Shot and Elements filled as lists, from sheet-like values', () => {
	const O3_PRO = 'kling-plus/kling-o3-pro/text-to-video';

	test('each item sends its shots and elements as the arrays Muvi documents; durations "4" and 6 are numbers', async () => {
		const run = await executeWorkflow('muviE2eShotLists');
		expect(run.execution.status).toBe('success');
		const sent = await submitsWith('e2e lists ');
		expect(sent.map((r) => r.json?.model)).toEqual([O3_PRO, O3_PRO]);
		const inputs = sent.map((r) => r.json?.input as Record<string, unknown>);
		expect(inputs.map((i) => i.multishot)).toEqual([
			[
				{ prompt: 'e2e lists one: wide shot', duration: 4 },
				{ prompt: 'Close-up of Anna', duration: 6 },
			],
			[
				{ prompt: 'e2e lists two: wide shot', duration: 5 },
				{ prompt: 'Close-up of Anna', duration: 5 },
			],
		]);
		expect(inputs[0].elements).toEqual([
			{ characterImages: ['https://example.com/e2e/anna.jpg', 'https://example.com/e2e/anna-side.jpg'], name: 'Anna', voice: 'https://example.com/e2e/anna.mp3' },
		]);
		expect((inputs[1].elements as Array<{ characterImages: string[] }>)[0].characterImages[0]).toBe('https://example.com/e2e/anna2.jpg');
		expect(run.items('Muvi Video').map((i) => i.json.status)).toEqual(['completed', 'completed']);
	}, 180_000);

	test('a shot of 16 seconds on item 2 is an input error naming the item, the list and the shot; nothing is sent', async () => {
		const run = await executeWorkflow('muviE2eShotLsBad');
		expect(run.execution.status).toBe('error');
		const error = run.execution.data.resultData.error ?? run.execution.data.resultData.runData['Muvi Video']?.at(-1)?.error;
		expect(String(error?.message)).toBe('Item 2: "Multi-Shot" (shotList) shot 1: "Duration (Seconds)" must be a whole number from 1 to 15');
		expect(await submitsWith('e2e lists bad')).toHaveLength(0);
	}, 120_000);
});
