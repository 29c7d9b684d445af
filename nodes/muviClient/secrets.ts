import type { IDataObject } from 'n8n-workflow';

/** What replaces a secret that Muvi (or a proxy in front of it) sent back in an answer. */
export const REDACTED = '[redacted]';

const BEARER = /\bBearer\s+[A-Za-z0-9._~+/=-]+/gi;

/** The text with the given secrets and any `Bearer …` token replaced, so they reach no error, item or log. */
export function scrubText(text: string, secrets: string[]): string {
	let out = text.replace(BEARER, `Bearer ${REDACTED}`);
	for (const secret of secrets) if (secret.length >= 6) out = out.split(secret).join(REDACTED);
	return out;
}

/** A deep copy of an answer body with every string scrubbed (see scrubText). */
export function scrubSecrets<T>(value: T, secrets: string[], depth = 0): T {
	if (typeof value === 'string') return scrubText(value, secrets) as T;
	if (depth > 20 || value === null || typeof value !== 'object') return value;
	if (Array.isArray(value)) return value.map((v) => scrubSecrets(v, secrets, depth + 1)) as T;
	const out: IDataObject = {};
	for (const [key, v] of Object.entries(value as IDataObject)) out[scrubText(key, secrets)] = scrubSecrets(v, secrets, depth + 1);
	return out as T;
}
