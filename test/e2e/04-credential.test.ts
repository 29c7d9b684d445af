/**
 * The credential's "Test" button in n8n's editor (POST /rest/credentials/test, as the signed-in owner):
 * what a user sees for a good and a bad API key, and the request the test made to Muvi. n8n words a
 * failed test differently per line (see `n8nHas.credentialTestRuleMessages`); the node is the same.
 */
import {
	CREDENTIAL_ID,
	env,
	fakeRequestsSince,
	httpJson,
	lastRequestId,
	n8nHas,
	readState,
} from './support/n8n';

async function testCredential(data: Record<string, string>): Promise<{ status: string; message: string }> {
	const { cookie } = readState();
	const res = await httpJson(`${env.n8nUrl}/rest/credentials/test`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', cookie },
		body: JSON.stringify({ credentials: { id: CREDENTIAL_ID, name: 'Muvi (credential test)', type: 'muviApi', data } }),
	});
	if (res.status !== 200) throw new Error(`POST /rest/credentials/test: HTTP ${res.status} ${JSON.stringify(res.body)}`);
	return res.body.data;
}

describe('testing the Muvi credential in n8n', () => {
	test('a valid API key: the test passes, after one authenticated read-only request to Muvi', async () => {
		const since = await lastRequestId();
		const result = await testCredential({ apiKey: env.apiKey, baseUrl: env.fakeUrl, webhookSecret: env.webhookSecret });
		expect(result.status).toBe('OK');
		const requests = await fakeRequestsSince(since);
		expect(requests.map((r) => [r.method, r.route, r.status])).toEqual([['GET', 'list', 200]]);
		expect(requests[0].auth).toBe('bearer-valid');
	});

	test('a wrong API key: the test fails with a message that does not echo the key', async () => {
		const wrongKey = 'pb_test_wrong_key_0123456789abcdef';
		const since = await lastRequestId();
		const result = await testCredential({ apiKey: wrongKey, baseUrl: env.fakeUrl, webhookSecret: '' });
		expect(result.status).toBe('Error');
		expect(result.message).not.toContain(wrongKey);
		// 2.x: the credential's own message for Muvi's 401 (its test `rules`); 1.x: n8n's generic wording
		if (n8nHas.credentialTestRuleMessages) expect(result.message).toMatch(/^Muvi: The API key is invalid \(INVALID_API_KEY\)/);
		else expect(result.message).toBe('Authorization failed - please check your credentials');
		const requests = await fakeRequestsSince(since);
		// n8n 1.123.81 and 2.41.1 both send the test request twice when it is refused
		expect(requests.length).toBeGreaterThanOrEqual(1);
		for (const r of requests) expect([r.method, r.route, r.status, r.auth]).toEqual(['GET', 'list', 401, 'bearer-unknown']);
	});
});
