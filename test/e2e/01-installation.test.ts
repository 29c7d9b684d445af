/**
 * n8n only logs a community package that fails to load and carries on, so this looks: the node and
 * credential types must be in what the editor gets, the log must be clean, and the installed files
 * must be what `npm pack` produced.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import {
	CREDENTIAL_ID,
	asOwner,
	env,
	logFiles,
	publicApi,
	readState,
	startsFromWebhook,
	workflowFiles,
} from './support/n8n';

const PACKAGE = 'n8n-nodes-muvi';

describe('the package installed in n8n as a community package', () => {
	const installed = () => join(env.userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE);

	test('only the packed files are installed, in n8n\'s community-nodes folder', () => {
		const dir = installed();
		expect(readdirSync(dir).sort()).toEqual(expect.arrayContaining(['dist', 'package.json']));
		// the sources stay in the repository: what n8n loads came out of `npm pack`
		for (const notShipped of ['nodes', 'credentials', 'test', 'tsconfig.json', 'node_modules/n8n-workflow'])
			expect(existsSync(join(dir, notShipped))).toBe(false);
		const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
		expect(manifest.name).toBe(PACKAGE);
		for (const file of [...manifest.n8n.nodes, ...manifest.n8n.credentials]) expect(existsSync(join(dir, file))).toBe(true);
		const registry = JSON.parse(readFileSync(join(env.userFolder, '.n8n', 'nodes', 'package.json'), 'utf8'));
		expect(registry.dependencies[PACKAGE]).toBe(manifest.version);
	});

	test('n8n loaded both node types and the credential type (what the editor lists)', async () => {
		const nodes: Array<{ name: string; version: number | number[]; displayName: string; credentials?: Array<{ name: string }> }> =
			await asOwner('/types/nodes.json');
		const ours = new Map(nodes.filter((n) => n.name.startsWith(`${PACKAGE}.`)).map((n) => [n.name, n]));
		expect([...ours.keys()]).toEqual(expect.arrayContaining([`${PACKAGE}.muviVideo`, `${PACKAGE}.muviVideoTrigger`]));
		// version 2: a model's second binary file defaults to its own property, Max Cost and Download Video on the node; version 1 nodes keep running
		expect(ours.get(`${PACKAGE}.muviVideo`)).toMatchObject({ displayName: 'Muvi Video', version: [1, 2, 3], defaultVersion: 3, credentials: [{ name: 'muviApi' }] });
		expect(ours.get(`${PACKAGE}.muviVideoTrigger`)).toMatchObject({ displayName: 'Muvi Video Trigger', credentials: [{ name: 'muviApi' }] });
		// usableAsTool: n8n derives an AI-agent tool variant of the action node
		expect(ours.has(`${PACKAGE}.muviVideoTool`)).toBe(true);

		const credentials: Array<{ name: string; properties: Array<{ name: string }> }> = await asOwner('/types/credentials.json');
		const muviApi = credentials.find((c) => c.name === 'muviApi');
		expect(muviApi).toBeDefined();
		expect(muviApi!.properties.map((p) => p.name)).toEqual(expect.arrayContaining(['apiKey', 'baseUrl', 'webhookSecret']));
	});

	test('neither the server nor the CLI logged a problem loading the package', () => {
		for (const file of [logFiles.server, logFiles.cli]) {
			const log = readFileSync(file, 'utf8');
			expect(log).not.toMatch(new RegExp(`Failed to load package "${PACKAGE}"`));
			expect(log).not.toMatch(new RegExp(`Skipping package[^\\n]*${PACKAGE}`));
			expect(log).not.toMatch(/Unrecognized (node|credential) type/i);
		}
	});

	test('the imported credential is there, with the simulator as its base URL', async () => {
		const list = await asOwner('/rest/credentials');
		const credential = (list.data as Array<{ id: string; type: string; name: string }>).find((c) => c.id === CREDENTIAL_ID);
		expect(credential).toMatchObject({ type: 'muviApi' });
		const full = await asOwner(`/rest/credentials/${CREDENTIAL_ID}?includeData=true`);
		expect(full.data.data.baseUrl).toBe(env.fakeUrl);
	});

	test('every workflow file was imported, and the webhook workflows are published', async () => {
		expect(readState().workflows.length).toBeGreaterThanOrEqual(3);
		for (const wf of workflowFiles()) {
			const stored = await publicApi(`/workflows/${wf.id}`);
			expect(stored.name).toBe(wf.name);
			const usesWebhook = startsFromWebhook(wf);
			expect({ workflow: wf.file, active: stored.active }).toEqual({ workflow: wf.file, active: usesWebhook });
		}
	});
});
