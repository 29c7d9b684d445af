/** Stops the `n8n start` of global-setup.ts (its whole process group: n8n and its task runner). */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { env, sleep } from './n8n';

const alive = (pid: number) => {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
};

export default async function globalTeardown(): Promise<void> {
	const pidFile = join(env.runDir, 'n8n-server.pid');
	if (!existsSync(pidFile)) return;
	const pid = Number(readFileSync(pidFile, 'utf8'));
	if (!pid || !alive(pid)) return;
	try {
		process.kill(-pid, 'SIGTERM');
	} catch {
		process.kill(pid, 'SIGTERM');
	}
	const deadline = Date.now() + 15_000;
	while (alive(pid) && Date.now() < deadline) await sleep(200);
	try {
		process.kill(-pid, 'SIGKILL');
	} catch {
		// the group is gone
	}
}
