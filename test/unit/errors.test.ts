import type { INode } from 'n8n-workflow';

import { MUVI_ERROR_GUIDE, muviApiError } from '../../nodes/muviClient/errors';

const node = { id: '1', name: 'Muvi Video', type: 'n8n-nodes-muvi.muviVideo', typeVersion: 1, position: [0, 0], parameters: {} } as INode;

/** Every error code in the tables of muvi-api.md §1 (auth) and §3 (jobs and platform), plus those seen elsewhere in it. */
const documented = [
	'UNAUTHORIZED', 'INVALID_API_KEY', 'API_KEY_INACTIVE', 'API_KEY_EXPIRED', 'IP_NOT_WHITELISTED', 'OPERATION_NOT_ALLOWED',
	'INVALID_WORKER_SECRET', 'INVALID_SESSION', 'FORBIDDEN', 'CONFIG_ERROR',
	'MODEL_NOT_FOUND', 'MODEL_VERSION_NOT_FOUND', 'MODEL_VERSION_NOT_ACTIVE', 'INVALID_MODEL_SLUG', 'MODEL_ACCESS_DENIED',
	'INSUFFICIENT_BALANCE', 'INVALID_INPUT', 'JOB_NOT_FOUND', 'JOB_CANNOT_BE_CANCELLED', 'CONCURRENT_JOBS_EXCEEDED',
	'INVALID_WEBHOOK_URL', 'USER_NOT_FOUND', 'USER_BANNED', 'USER_INACTIVE', 'UNAUTHORIZED_ACCESS', 'PUBSUB_PUBLISH_FAILED',
	'INTERNAL_ERROR', 'GENERATION_FAILED', 'VALIDATION_ERROR', 'INVALID_CONTENT_TYPE', 'NOT_FOUND',
];

describe('error mapping', () => {
	const codes = documented;

	test('every documented code has a plain-words message and a hint', () => {
		for (const code of codes) {
			expect(MUVI_ERROR_GUIDE[code]).toBeDefined();
			expect(MUVI_ERROR_GUIDE[code].message.length).toBeGreaterThan(10);
			expect(MUVI_ERROR_GUIDE[code].hint.length).toBeGreaterThan(10);
		}
	});

	test('402 INSUFFICIENT_BALANCE tells the user to top up, keeping the API message and request id', () => {
		const error = muviApiError(node, { status: 402, code: 'INSUFFICIENT_BALANCE', message: 'Balance 10 < cost 420000', requestId: 'req_9' }, 2);
		expect(error.message).toBe('Your Muvi balance is too low for this job');
		expect(error.description).toMatch(/Top up your balance/);
		expect(error.description).toMatch(/INSUFFICIENT_BALANCE: Balance 10 < cost 420000 \(request req_9\)/);
		expect(error.httpCode).toBe('402');
		expect(error.context.itemIndex).toBe(2);
	});

	test('unknown codes fall back on the HTTP status', () => {
		expect(muviApiError(node, { status: 503 }).message).toBe('Muvi is temporarily unavailable');
		expect(muviApiError(node, { status: 418, code: 'TEAPOT' }).message).toBe('Muvi returned an error');
	});
});
