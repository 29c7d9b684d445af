/**
 * The queue-mode instance is already running (scripts/queue.sh started and published everything):
 * this creates the owner account and a public API key on the main process and writes them to
 * <run>/state.json, where the e2e helpers (publicApi, executionsOf, asOwner) read them.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { env, setupOwner, type E2eState } from '../../e2e/support/n8n';

const OWNER = { email: 'queue@example.com', firstName: 'Queue', lastName: 'Mode', password: 'Queue-Muvi-Password1' };

export default async function globalSetup(): Promise<void> {
	const { cookie, publicApiKey } = await setupOwner(OWNER, 'queue');
	const state: E2eState = { serverPid: 0, ownerEmail: OWNER.email, cookie, publicApiKey, workflows: [] };
	writeFileSync(join(env.runDir, 'state.json'), JSON.stringify(state, null, 2), { mode: 0o600 });
}
