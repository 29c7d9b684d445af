import { normalizeJob } from '../../nodes/muviClient/jobs';
import { nextPollDelayMs } from '../../nodes/MuviVideo/engine/poll';
import { errorInfo, networkFailure, unwrap } from '../../nodes/muviClient/transport';

describe('poll schedule', () => {
	const t0 = 1_000_000;
	test('the first status call waits for the estimated completion time', () => {
		expect(nextPollDelayMs(t0, t0, t0 + 240_000, 0)).toBe(240_000);
		expect(nextPollDelayMs(t0 + 10_000, t0, t0 + 240_000, 0)).toBe(230_000);
	});
	test('an estimate in the past means ask now; no estimate means 5 s', () => {
		expect(nextPollDelayMs(t0 + 10_000, t0, t0, 0)).toBe(0);
		expect(nextPollDelayMs(t0, t0, undefined, 0)).toBe(5000);
	});
	test('after that it backs off with the time spent: a quarter of it, between 2 and 30 s', () => {
		expect(nextPollDelayMs(t0 + 4000, t0, t0, 1)).toBe(2000);
		expect(nextPollDelayMs(t0 + 40_000, t0, t0, 1)).toBe(10_000);
		expect(nextPollDelayMs(t0 + 240_000, t0, t0, 3)).toBe(30_000);
		// a 240 s job whose estimate was 30% early is asked about at most ~4 more times
		let now = t0 + 168_000;
		let calls = 1;
		while (now < t0 + 240_000) {
			now += nextPollDelayMs(now, t0, t0 + 168_000, calls);
			calls++;
		}
		expect(calls).toBeLessThanOrEqual(5);
		expect(now - (t0 + 240_000)).toBeLessThanOrEqual(30_000);
	});
});

describe('reading answers', () => {
	test('both envelopes unwrap to the same object', () => {
		const flat = { jobId: 'job_1', status: 'pending' };
		expect(unwrap(flat)).toEqual(flat);
		expect(unwrap({ success: true, data: flat, requestId: 'req_1' })).toEqual({ ...flat, requestId: 'req_1' });
		expect(unwrap([{ slug: 'a' }])).toEqual([{ slug: 'a' }]);
	});

	test('error bodies give code, message, details and request id', () => {
		expect(
			errorInfo(429, { success: false, error: { code: 'CONCURRENT_JOBS_EXCEEDED', message: 'busy', details: { retryAfter: 30 } }, requestId: 'req_2' }),
		).toEqual({ status: 429, code: 'CONCURRENT_JOBS_EXCEEDED', message: 'busy', details: { retryAfter: 30 }, requestId: 'req_2' });
		expect(errorInfo(500, 'oops')).toMatchObject({ status: 500, code: undefined });
	});

	test('a job normalises from the current and the legacy shapes', () => {
		expect(
			normalizeJob({ jobId: 'j', status: 'completed', output: 'https://cdn/x.mp4', outputs: [{ url: 'https://cdn/x.mp4', type: 'video', thumbnail: 'https://cdn/t.jpg' }] }),
		).toMatchObject({ videoUrl: 'https://cdn/x.mp4', thumbnailUrl: 'https://cdn/t.jpg' });
		expect(normalizeJob({ jobId: 'j', status: 'completed', output: { url: 'https://cdn/y.mp4', contentType: 'video/mp4' }, cost: 480_000 })).toMatchObject({
			videoUrl: 'https://cdn/y.mp4',
			costMicroCents: 480_000,
			costUsd: 0.48,
		});
	});

	test('an image job says imageUrl and imageUrls (videoUrl stays, as node versions 1 and 2 output it)', () => {
		const job = normalizeJob({
			jobId: 'j',
			status: 'completed',
			outputs: [
				{ url: 'https://cdn/a.png', type: 'image' },
				{ url: 'https://cdn/b.png', type: 'image' },
			],
		});
		expect(job).toMatchObject({ imageUrl: 'https://cdn/a.png', imageUrls: ['https://cdn/a.png', 'https://cdn/b.png'], videoUrl: 'https://cdn/a.png' });
		expect(normalizeJob({ jobId: 'j', status: 'completed', output: 'https://cdn/x.mp4' })).not.toHaveProperty('imageUrl');
	});
});

describe('network failures', () => {
	const wrap = (inner: object) => Object.assign(new Error('wrapped'), { cause: Object.assign(new Error('axios'), { cause: inner }) });
	test('a refused or unresolved connection proves nothing was sent', () => {
		expect(networkFailure(wrap({ code: 'ECONNREFUSED', syscall: 'connect' })).notSent).toBe(true);
		expect(networkFailure(wrap({ code: 'ENOTFOUND', syscall: 'getaddrinfo' })).notSent).toBe(true);
	});
	test('a reset or timeout after connecting leaves the outcome unknown', () => {
		expect(networkFailure(wrap({ code: 'ECONNRESET', message: 'socket hang up' }))).toMatchObject({ notSent: false, timedOut: false });
		expect(networkFailure(wrap({ code: 'ECONNABORTED', message: 'timeout of 5000ms exceeded' }))).toMatchObject({ notSent: false, timedOut: true });
	});
});

describe("n8n's SSRF protection", () => {
	test('a blocked address is reported as blocked, not as a lost answer', () => {
		const blocked = Object.assign(new Error('The request was blocked because it resolves to a restricted IP address'), {
			name: 'SsrfBlockedIpError',
		});
		expect(networkFailure(Object.assign(new Error('wrapped'), { cause: blocked }))).toEqual({
			code: 'SSRF_BLOCKED',
			timedOut: false,
			notSent: true,
			blocked: true,
		});
	});
});
