import { scrubSecrets, scrubText } from '../../nodes/muviClient/secrets';
import { describeJobs, inputFingerprint } from '../../nodes/MuviVideo/engine/ledger';
import { parseFlag, parseNonNegative } from '../../nodes/MuviVideo/engine/validation';

describe('values from sheets and forms', () => {
	test.each([
		[true, true],
		[false, false],
		['true', true],
		['false', false],
		[' TRUE ', true],
		['False', false],
		['yes', undefined],
		['no', undefined],
		[1, undefined],
		[0, undefined],
		['', undefined],
		[null, undefined],
	])('switch %j → %j', (given, expected) => expect(parseFlag(given)).toBe(expected));

	test.each([
		[0, 0],
		[2.5, 2.5],
		['10', 10],
		[' 0.40 ', 0.4],
		[NaN, undefined],
		[Infinity, undefined],
		[-1, undefined],
		['-5', undefined],
		['abc', undefined],
		['', undefined],
		[true, undefined],
		[null, undefined],
	])('amount %j → %j', (given, expected) => expect(parseNonNegative(given)).toBe(expected));
});

describe('secrets in what Muvi sends back', () => {
	const key = 'pb_live_secret_key_123';
	test('the key and any Bearer token are replaced, deep inside a body', () => {
		expect(scrubText(`bad key ${key}`, [key])).toBe('bad key [redacted]');
		expect(scrubText('Authorization: Bearer abc.def-123', [])).toBe('Authorization: Bearer [redacted]');
		expect(scrubSecrets({ error: { message: `x ${key} y`, details: [{ k: `Bearer ${key}` }] }, n: 3 }, [key])).toEqual({
			error: { message: 'x [redacted] y', details: [{ k: 'Bearer [redacted]' }] },
			n: 3,
		});
	});
	test('short strings are not treated as secrets (an empty key must not blank every answer)', () => {
		expect(scrubText('hello', ['', 'ab'])).toBe('hello');
	});
});

describe('the job ledger', () => {
	test('the fingerprint changes with the input and the account, not with key order of the caller', () => {
		const a = inputFingerprint('https://api.muvi.video', { model: 'm', input: { prompt: 'x' } });
		expect(inputFingerprint('https://api.muvi.video', { model: 'm', input: { prompt: 'x' } })).toBe(a);
		expect(inputFingerprint('https://api.muvi.video', { model: 'm', input: { prompt: 'y' } })).not.toBe(a);
		expect(inputFingerprint('https://api.pixelbyte.app', { model: 'm', input: { prompt: 'x' } })).not.toBe(a);
	});
	test('the job list of an error names item, job, status and cost, and how to collect them', () => {
		const text = describeJobs([
			{ itemIndex: 0, jobId: 'job_a', fingerprint: 'f', status: 'completed', costMicroCents: 420_000, submittedAt: 0, summary: {} },
			{ itemIndex: 1, jobId: 'job_b', fingerprint: 'f', status: 'failed', costMicroCents: 420_000, submittedAt: 0, summary: {} },
		]);
		expect(text).toContain('item 1: job_a (completed, $0.42); item 2: job_b (failed (refunded), $0.42)');
		expect(text).toContain('Job → Wait for Completion');
		expect(describeJobs([])).toBe('');
	});
});

describe('the job ledger on n8n 1.x (no this.customData: $execution.customData of the data proxy)', () => {
	test('records the job there and finds it again for a retry with the same input', async () => {
		const { JobLedger } = await import('../../nodes/MuviVideo/engine/ledger');
		const saved: Record<string, string> = {};
		const customData = { set: (k: string, v: string) => (saved[k] = v), setAll: () => undefined, get: (k: string) => saved[k], getAll: () => ({ ...saved }) };
		const logged: string[] = [];
		const ctx = (executionId: string) =>
			({
				getNode: () => ({ id: 'n1', name: 'Muvi Video' }),
				getExecutionId: () => executionId,
				getWorkflow: () => ({ id: 'wf' }),
				logger: { info: (m: string) => logged.push(m), warn: (m: string) => logged.push(m) },
				getWorkflowDataProxy: () => ({ $runIndex: 0, $execution: { customData } }),
			}) as never;
		const first = JobLedger.open(ctx('exec-1'));
		first.record({ itemIndex: 1, jobId: 'job_abc', fingerprint: 'deadbeefcafe', status: 'pending', submittedAt: 0, summary: {} });
		expect(saved).toEqual({ muvi_jobs_Muvi_Video: '#2=job_abc/deadbeef' });
		expect(logged[0]).toBe('Muvi job job_abc submitted by node "Muvi Video" for item 2 (execution exec-1, workflow wf)');
		// the editor's Retry: a new execution ID, the old custom data carried over
		const retry = JobLedger.open(ctx('exec-2'));
		expect(retry.find(1, 'deadbeefcafe')?.jobId).toBe('job_abc');
		expect(retry.find(1, 'ffffffffffff')).toBeUndefined();
		expect(retry.find(0, 'deadbeefcafe')).toBeUndefined();
	});
});
