/**
 * Prepares the n8n instance scripts/e2e.sh set up (package installed, fake Muvi running):
 * imports the credential and every workflow, publishes the webhook workflows, starts `n8n start`,
 * creates the owner account and a public API key. n8n keeps running for all test files;
 * global-teardown.ts stops it.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import {
	CREDENTIAL_ID,
	activateWorkflowArgs,
	env,
	httpJson,
	n8nProcessEnv,
	logFiles,
	n8nVersion,
	runN8nOk,
	sleep,
	startNode,
	startsFromWebhook,
	tail,
	workflowFiles,
	type E2eState,
	setupOwner,
} from './n8n';

const OWNER = { email: 'e2e@example.com', firstName: 'End', lastName: 'ToEnd', password: 'E2e-Muvi-Password1' };

function checkWorkflowFiles(): void {
	const files = workflowFiles();
	const problems: string[] = [];
	const ids = new Map<string, string>();
	for (const wf of files) {
		if (!/^[A-Za-z0-9]{16}$/.test(wf.id ?? '')) problems.push(`${wf.file}: "id" must be 16 letters or digits (n8n's format)`);
		if (ids.has(wf.id)) problems.push(`${wf.file}: id ${wf.id} is also used by ${ids.get(wf.id)}`);
		ids.set(wf.id, wf.file);
		if (!startNode(wf)) problems.push(`${wf.file}: starts with none of a Manual Trigger, a Webhook or a Muvi Video Trigger`);
		for (const node of wf.nodes)
			if (node.credentials?.muviApi && node.credentials.muviApi.id !== CREDENTIAL_ID)
				problems.push(`${wf.file}: node "${node.name}" uses credential ${node.credentials.muviApi.id}, not ${CREDENTIAL_ID}`);
	}
	if (problems.length) throw new Error(`Workflow files:\n${problems.join('\n')}`);
}

async function startServer(): Promise<number> {
	const out = openSync(logFiles.server, 'a');
	const child = spawn(env.n8nBin, ['start'], { env: n8nProcessEnv(), detached: true, stdio: ['ignore', out, out] });
	child.unref();
	const pid = child.pid!;
	writeFileSync(join(env.runDir, 'n8n-server.pid'), String(pid));
	let exited: number | null | undefined;
	child.on('exit', (code) => (exited = code));
	const deadline = Date.now() + 120_000;
	for (;;) {
		if (exited !== undefined)
			throw new Error(`n8n start exited (${exited}) before it was ready. Its log:\n${tail(readFileSync(logFiles.server, 'utf8'), 80)}`);
		try {
			// n8n 1.x answers /healthz/readiness before it has mounted its REST API: wait for both.
			const ready = await fetch(`${env.n8nUrl}/healthz/readiness`);
			if (ready.ok && (await fetch(`${env.n8nUrl}/rest/settings`)).ok) return pid;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline)
			throw new Error(`n8n was not ready after 120 s. Its log:\n${tail(readFileSync(logFiles.server, 'utf8'), 80)}`);
		await sleep(250);
	}
}


export default async function globalSetup(): Promise<void> {
	const started = Date.now();
	const step = (what: string) => process.stderr.write(`[e2e setup +${((Date.now() - started) / 1000).toFixed(1)} s] ${what}\n`);
	checkWorkflowFiles();

	// The credential as a user would create it for the simulator: plain data, n8n encrypts it on import.
	const credentialFile = join(env.runDir, 'credential.json');
	writeFileSync(
		credentialFile,
		JSON.stringify([
			{
				id: CREDENTIAL_ID,
				name: 'Muvi Simulator (e2e, no charges)',
				type: 'muviApi',
				data: { apiKey: env.apiKey, baseUrl: env.fakeUrl, webhookSecret: env.webhookSecret },
			},
		]),
		{ mode: 0o600 },
	);
	step('n8n import:credentials');
	await runN8nOk(['import:credentials', `--input=${credentialFile}`]);

	const importDir = join(env.runDir, 'workflows');
	mkdirSync(importDir, { recursive: true });
	const files = workflowFiles();
	for (const wf of files) copyFileSync(wf.file, join(importDir, `${wf.source}-${wf.id}.json`));
	step(`n8n import:workflow (${files.length} workflows: examples/ and test/e2e/workflows/)`);
	await runN8nOk(['import:workflow', '--separate', `--input=${importDir}`]);

	// 2.x: publish:workflow; 1.x: update:workflow --active=true (see n8nHas.publishing)
	for (const wf of files.filter(startsFromWebhook)) {
		const args = activateWorkflowArgs(wf.id);
		step(`n8n ${args.join(' ')}`);
		await runN8nOk(args);
	}

	step(`n8n start (n8n ${n8nVersion()})`);
	const serverPid = await startServer();
	step(`n8n ready at ${env.n8nUrl}; creating the owner account and an API key`);
	const { cookie, publicApiKey } = await setupOwner(OWNER, 'e2e');

	const state: E2eState = { serverPid, ownerEmail: OWNER.email, cookie, publicApiKey, workflows: files };
	writeFileSync(join(env.runDir, 'state.json'), JSON.stringify(state, null, 2), { mode: 0o600 });
	step('ready');
}
