/**
 * The instance scripts/queue.sh started is really the scaled-out setup, with the package in it:
 * queue mode on Postgres and Redis, n8n's default binary data mode for it, and Muvi's nodes known.
 */
import { MUVI_TRIGGER, MUVI_VIDEO, asOwner } from '../e2e/support/n8n';
import { logOf, queue } from './support/queue';

test('main runs in queue mode and knows both Muvi nodes from the installed package', async () => {
	const settings = await asOwner('/rest/settings');
	expect(settings.data.executionMode).toBe('queue');
	const types: Array<{ name: string }> = await asOwner('/types/nodes.json');
	const names = types.map((t) => t.name);
	expect(names).toEqual(expect.arrayContaining([MUVI_VIDEO, MUVI_TRIGGER]));
});

test('two workers and two webhook processes are up (readiness checks the database and Redis)', async () => {
	const all = [...queue.workers, ...queue.webhooks];
	expect(all).toHaveLength(4);
	for (const p of all) expect((await fetch(`${p.url}/healthz/readiness`)).status).toBe(200);
	for (const w of queue.workers) expect(logOf(w.name)).toMatch(/n8n worker is now ready\n \* Version: 2\.\d+\.\d+\n \* Concurrency: 3/);
	for (const w of queue.webhooks) expect(logOf(w.name)).toContain('Webhook listener waiting for requests.');
});

test('no process failed to load the package', () => {
	for (const name of ['main', ...queue.workers.map((w) => w.name), ...queue.webhooks.map((w) => w.name)]) {
		const log = logOf(name);
		expect(log).not.toMatch(/n8n-nodes-muvi[^\n]*(error|failed)/i);
		expect(log).not.toMatch(/(error|failed)[^\n]*n8n-nodes-muvi/i);
	}
});
