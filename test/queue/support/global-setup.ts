/**
 * The queue-mode instance is already running (scripts/queue.sh started and published everything):
 * this creates the owner account and a public API key on the main process and writes them to
 * <run>/state.json, where the e2e helpers (publicApi, executionsOf, asOwner) read them.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { env, httpJson, type E2eState } from '../../e2e/support/n8n';

const OWNER = { email: 'queue@example.com', firstName: 'Queue', lastName: 'Mode', password: 'Queue-Muvi-Password1' };

export default async function globalSetup(): Promise<void> {
	const setup = await fetch(`${env.n8nUrl}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(OWNER),
	});
	if (setup.status !== 200) throw new Error(`POST /rest/owner/setup: HTTP ${setup.status} ${await setup.text()}`);
	const cookie = setup.headers
		.getSetCookie()
		.map((c) => c.split(';')[0])
		.find((c) => c.startsWith('n8n-auth='));
	if (!cookie) throw new Error('POST /rest/owner/setup set no n8n-auth cookie');
	const key = await httpJson(`${env.n8nUrl}/rest/api-keys`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', cookie },
		body: JSON.stringify({
			label: 'queue',
			scopes: ['workflow:read', 'workflow:list', 'execution:read', 'execution:list'],
			expiresAt: null,
		}),
	});
	if (key.status !== 200 || !key.body?.data?.rawApiKey) throw new Error(`POST /rest/api-keys: HTTP ${key.status} ${JSON.stringify(key.body)}`);
	const state: E2eState = { serverPid: 0, ownerEmail: OWNER.email, cookie, publicApiKey: key.body.data.rawApiKey, workflows: [] };
	writeFileSync(join(env.runDir, 'state.json'), JSON.stringify(state, null, 2), { mode: 0o600 });
}
