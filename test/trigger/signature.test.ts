/**
 * The webhook signature check. Expected signatures are computed here with node:crypto from the
 * formula in muvi-api.md §4, never with the module's own code.
 */
import { createHmac } from 'node:crypto';

import { verifyWebhookSignature } from '../../nodes/webhooks/signature';

const SECRET = 'whsec_test_5f2b8c1e9a';
const NOW_MS = 1_767_225_600_000; // 2026-01-01T00:00:00Z
const TS = String(NOW_MS / 1000);
const BODY =
	'{"jobId":"job_abc123def456","requestId":"req_789xyz","status":"completed","output":{"url":"https://cdn.muvi.video/outputs/job_abc123def456/output_0.mp4"},"completedAt":"2026-01-01T00:00:00Z"}';

/** sha256= + lowercase hex HMAC-SHA256(secret, timestamp + "." + body), straight from the docs. */
function sign(secret: string, timestamp: string, body: string | Buffer): string {
	return 'sha256=' + createHmac('sha256', secret).update(Buffer.concat([Buffer.from(`${timestamp}.`), Buffer.from(body)])).digest('hex');
}

function check(overrides: Partial<Parameters<typeof verifyWebhookSignature>[0]> = {}) {
	return verifyWebhookSignature({
		secret: SECRET,
		timestamp: TS,
		signature: sign(SECRET, TS, BODY),
		rawBody: Buffer.from(BODY),
		toleranceSeconds: 300,
		now: NOW_MS,
		...overrides,
	});
}

describe('verifyWebhookSignature', () => {
	describe('accepts', () => {
		it('a correctly signed body (Buffer)', () => {
			expect(check()).toEqual({ ok: true });
		});

		it('a correctly signed body given as a string', () => {
			expect(check({ rawBody: BODY })).toEqual({ ok: true });
		});

		it('a fixed known vector (computed once with node:crypto and with openssl, written down)', () => {
			// echo -n '1700000000.{"jobId":"job_1","status":"completed"}' | openssl dgst -sha256 -hmac whsec_test
			const digest = 'e6f11263f1823fae8afcaeea60d0e29a7753103ad2e0d56534773af52d3fc840';
			const input = {
				secret: 'whsec_test',
				timestamp: '1700000000',
				rawBody: Buffer.from('{"jobId":"job_1","status":"completed"}'),
				now: 1_700_000_000_000,
			};
			expect(verifyWebhookSignature({ ...input, signature: `sha256=${digest}` })).toEqual({ ok: true });
			// the same digest with its last nibble changed
			expect(verifyWebhookSignature({ ...input, signature: `sha256=${digest.slice(0, -1)}1` })).toEqual({
				ok: false,
				reason: 'signature-mismatch',
			});
		});

		it('a vector computed in this test with node:crypto', () => {
			const expected = createHmac('sha256', 'secret').update('1700000000.{}').digest('hex');
			expect(
				verifyWebhookSignature({
					secret: 'secret',
					timestamp: '1700000000',
					signature: `sha256=${expected}`,
					rawBody: Buffer.from('{}'),
					now: 1_700_000_000_000,
				}),
			).toEqual({ ok: true });
		});

		it('uppercase hex (compared as bytes; the prefix stays lowercase)', () => {
			const sig = sign(SECRET, TS, BODY);
			expect(check({ signature: 'sha256=' + sig.slice(7).toUpperCase() })).toEqual({ ok: true });
		});

		it('a body with non-ASCII bytes, signed over the exact bytes', () => {
			const body = Buffer.from('{"jobId":"job_1","status":"completed","note":"café ✓"}', 'utf8');
			expect(check({ rawBody: body, signature: sign(SECRET, TS, body) })).toEqual({ ok: true });
		});

		it('timestamps exactly at the tolerance, past and future', () => {
			for (const ts of [String(NOW_MS / 1000 - 300), String(NOW_MS / 1000 + 300)])
				expect(check({ timestamp: ts, signature: sign(SECRET, ts, BODY) })).toEqual({ ok: true });
		});

		it('an empty body when it was signed as empty', () => {
			expect(check({ rawBody: Buffer.alloc(0), signature: sign(SECRET, TS, '') })).toEqual({ ok: true });
		});
	});

	describe('refuses', () => {
		it('a tampered body (one byte changed)', () => {
			expect(check({ rawBody: Buffer.from(BODY.replace('completed', 'completeD')) })).toEqual({
				ok: false,
				reason: 'signature-mismatch',
			});
		});

		it('a re-serialised body (whitespace differs from what was signed)', () => {
			const pretty = JSON.stringify(JSON.parse(BODY), null, 2);
			expect(check({ rawBody: pretty })).toEqual({ ok: false, reason: 'signature-mismatch' });
		});

		it('a body with a trailing newline added', () => {
			expect(check({ rawBody: BODY + '\n' })).toEqual({ ok: false, reason: 'signature-mismatch' });
		});

		it('a signature made with another secret', () => {
			expect(check({ signature: sign('whsec_other', TS, BODY) })).toEqual({ ok: false, reason: 'signature-mismatch' });
		});

		it('a signature computed without the timestamp (body only)', () => {
			const bodyOnly = 'sha256=' + createHmac('sha256', SECRET).update(BODY).digest('hex');
			expect(check({ signature: bodyOnly })).toEqual({ ok: false, reason: 'signature-mismatch' });
		});

		it('a valid signature moved to another timestamp', () => {
			const other = String(NOW_MS / 1000 - 10);
			expect(check({ timestamp: other })).toEqual({ ok: false, reason: 'signature-mismatch' });
		});

		it('a stale timestamp (301 s old), even when correctly signed', () => {
			const ts = String(NOW_MS / 1000 - 301);
			expect(check({ timestamp: ts, signature: sign(SECRET, ts, BODY) })).toEqual({ ok: false, reason: 'stale-timestamp' });
		});

		it('a future timestamp (301 s ahead), even when correctly signed', () => {
			const ts = String(NOW_MS / 1000 + 301);
			expect(check({ timestamp: ts, signature: sign(SECRET, ts, BODY) })).toEqual({ ok: false, reason: 'future-timestamp' });
		});

		it('honours a custom tolerance', () => {
			const ts = String(NOW_MS / 1000 - 61);
			const signature = sign(SECRET, ts, BODY);
			expect(check({ timestamp: ts, signature, toleranceSeconds: 60 })).toEqual({ ok: false, reason: 'stale-timestamp' });
			expect(check({ timestamp: ts, signature, toleranceSeconds: 120 })).toEqual({ ok: true });
		});

		it('a timestamp in milliseconds (13 digits: not Unix seconds)', () => {
			const ts = String(NOW_MS);
			expect(check({ timestamp: ts, signature: sign(SECRET, ts, BODY) })).toEqual({ ok: false, reason: 'malformed-timestamp' });
		});

		it('a timestamp far in the future', () => {
			const ts = String(NOW_MS / 1000 + 86_400 * 365);
			expect(check({ timestamp: ts, signature: sign(SECRET, ts, BODY) })).toEqual({ ok: false, reason: 'future-timestamp' });
		});

		it.each([
			['an ISO date', '2026-01-01T00:00:00Z'],
			['a negative number', '-1767225600'],
			['a fraction', '1767225600.5'],
			['padded with spaces', ' 1767225600'],
			['hex', '0x69559580'],
		])('a malformed timestamp: %s', (_label, ts) => {
			expect(check({ timestamp: ts, signature: sign(SECRET, ts, BODY) })).toEqual({ ok: false, reason: 'malformed-timestamp' });
		});

		it('a missing timestamp header', () => {
			expect(check({ timestamp: undefined })).toEqual({ ok: false, reason: 'missing-timestamp' });
			expect(check({ timestamp: '' })).toEqual({ ok: false, reason: 'missing-timestamp' });
		});

		it('a missing signature header', () => {
			expect(check({ signature: undefined })).toEqual({ ok: false, reason: 'missing-signature' });
			expect(check({ signature: '' })).toEqual({ ok: false, reason: 'missing-signature' });
		});

		it('both headers missing', () => {
			expect(check({ signature: undefined, timestamp: undefined })).toEqual({ ok: false, reason: 'missing-timestamp' });
		});

		it('repeated headers (arrays)', () => {
			const sig = sign(SECRET, TS, BODY);
			expect(check({ signature: [sig, sig] })).toEqual({ ok: false, reason: 'malformed-signature' });
			expect(check({ timestamp: [TS, TS] })).toEqual({ ok: false, reason: 'malformed-timestamp' });
		});

		it('no secret configured, even with a signature made with an empty key', () => {
			const emptyKeySig = sign('', TS, BODY);
			expect(check({ secret: '', signature: emptyKeySig })).toEqual({ ok: false, reason: 'missing-secret' });
			expect(check({ secret: undefined, signature: emptyKeySig })).toEqual({ ok: false, reason: 'missing-secret' });
		});

		it('the hex digest without the sha256= prefix', () => {
			expect(check({ signature: sign(SECRET, TS, BODY).slice('sha256='.length) })).toEqual({
				ok: false,
				reason: 'malformed-signature',
			});
		});

		it.each([
			['another algorithm prefix', (s: string) => s.replace('sha256=', 'sha1=')],
			['an uppercase prefix', (s: string) => s.replace('sha256=', 'SHA256=')],
			['a space after the prefix', (s: string) => s.replace('sha256=', 'sha256= ')],
			['trailing garbage', (s: string) => s + 'zz'],
			['non-hex characters', (s: string) => s.slice(0, -2) + 'zz'],
			['base64 instead of hex', () => 'sha256=' + createHmac('sha256', SECRET).update(`${TS}.${BODY}`).digest('base64')],
			['one hex digit short', (s: string) => s.slice(0, -1)],
			['one hex digit too many', (s: string) => s + '0'],
			['a sha512-length digest', (s: string) => s + s.slice(7)],
			['only the prefix', () => 'sha256='],
			['several comma-separated signatures', (s: string) => `${s},${s}`],
		])('a malformed signature: %s', (_label, mutate) => {
			expect(check({ signature: mutate(sign(SECRET, TS, BODY)) })).toEqual({ ok: false, reason: 'malformed-signature' });
		});
	});

	it('never returns the expected signature or the secret in its answer', () => {
		const result = check({ signature: sign('wrong', TS, BODY) });
		const text = JSON.stringify(result);
		expect(text).not.toContain(SECRET);
		expect(text).not.toContain(sign(SECRET, TS, BODY).slice(7));
	});

	it('uses the current time when none is given', () => {
		const ts = String(Math.floor(Date.now() / 1000));
		expect(
			verifyWebhookSignature({ secret: SECRET, timestamp: ts, signature: sign(SECRET, ts, BODY), rawBody: BODY }),
		).toEqual({ ok: true });
		const old = String(Math.floor(Date.now() / 1000) - 3600);
		expect(
			verifyWebhookSignature({ secret: SECRET, timestamp: old, signature: sign(SECRET, old, BODY), rawBody: BODY }),
		).toEqual({ ok: false, reason: 'stale-timestamp' });
	});
});
