import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Muvi signs each webhook (muvi-api.md §4):
 *   X-PixelByte-Signature = "sha256=" + hex(HMAC-SHA256(webhookSecret, `${X-PixelByte-Timestamp}.${rawBody}`))
 * with X-PixelByte-Timestamp in Unix seconds.
 */

/**
 * How old a signed request may be. Muvi retries a failed delivery after 1, 4, 16, 64 and 256 s, and an
 * attempt counts as failed only after 30 s without an answer: if a retry carries the first attempt's
 * timestamp, the last one can be 341 s + 4 × 30 s = 461 s old. 900 s covers that with margin for clock
 * skew; a replay inside the window is still stopped by the duplicate memory (same job and status).
 */
export const DEFAULT_TOLERANCE_SECONDS = 900;

export type SignatureFailure =
	| 'missing-secret'
	| 'missing-timestamp'
	| 'missing-signature'
	| 'malformed-timestamp'
	| 'malformed-signature'
	| 'stale-timestamp'
	| 'future-timestamp'
	| 'signature-mismatch';

export type SignatureCheck = { ok: true } | { ok: false; reason: SignatureFailure };

export interface SignatureInput {
	/** the webhook signing secret from the Muvi dashboard */
	secret: string | undefined;
	/** the X-PixelByte-Timestamp header (a repeated header arrives as an array and is refused) */
	timestamp: string | string[] | undefined;
	/** the X-PixelByte-Signature header */
	signature: string | string[] | undefined;
	/** the request body exactly as received */
	rawBody: Buffer | string;
	/** how far (either way) the timestamp may be from now */
	toleranceSeconds?: number;
	/** current time in milliseconds (for tests) */
	now?: number;
}

/** Unix seconds, as Muvi sends them: digits only, no sign, no fraction. */
const TIMESTAMP = /^\d{1,12}$/;
/** The prefix is required as documented; the hex may be either case (it is compared as bytes). */
const SIGNATURE = /^sha256=([0-9a-fA-F]{64})$/;

export function verifyWebhookSignature(input: SignatureInput): SignatureCheck {
	const { secret, timestamp, signature, rawBody } = input;
	if (typeof secret !== 'string' || secret === '') return { ok: false, reason: 'missing-secret' };
	if (timestamp === undefined || timestamp === '') return { ok: false, reason: 'missing-timestamp' };
	if (signature === undefined || signature === '') return { ok: false, reason: 'missing-signature' };
	if (typeof timestamp !== 'string' || !TIMESTAMP.test(timestamp)) return { ok: false, reason: 'malformed-timestamp' };
	const match = typeof signature === 'string' ? SIGNATURE.exec(signature) : null;
	if (!match) return { ok: false, reason: 'malformed-signature' };

	const tolerance =
		typeof input.toleranceSeconds === 'number' && Number.isFinite(input.toleranceSeconds) && input.toleranceSeconds >= 0
			? input.toleranceSeconds
			: DEFAULT_TOLERANCE_SECONDS;
	const nowSeconds = Math.floor((input.now ?? Date.now()) / 1000);
	const age = nowSeconds - Number(timestamp);
	if (age > tolerance) return { ok: false, reason: 'stale-timestamp' };
	if (-age > tolerance) return { ok: false, reason: 'future-timestamp' };

	const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
	const received = Buffer.from(match[1], 'hex');
	// Both are 32 bytes here (the pattern fixes the length), as timingSafeEqual requires.
	if (received.length !== expected.length || !timingSafeEqual(received, expected))
		return { ok: false, reason: 'signature-mismatch' };
	return { ok: true };
}
