import type { IExecuteFunctions, INode } from 'n8n-workflow';

import {
	batchEntries,
	chooseWaitMode,
	isPublicHttps,
	jobsOfEntries,
	recordKey,
	resumeUrlOf,
	saveBatch,
	type WaitingJob,
} from '../../nodes/MuviVideo/engine/webhookWait';

const node = { id: 'a1b2c3d4-0000-4000-8000-000000000001', name: 'Muvi Video', typeVersion: 2 } as INode;

/** Just enough of IExecuteFunctions: the resume URL n8n would give, the credential, custom data like n8n's (10 keys, values cut at 512). */
function context(resumeUrl: string | undefined, webhookSecret = 'whsec_x') {
	const metadata: Record<string, string> = {};
	const ctx = {
		getNode: () => node,
		evaluateExpression: () => resumeUrl,
		getCredentials: async () => ({ apiKey: 'k', webhookSecret }),
		customData: {
			set(key: string, value: string) {
				if (!(key in metadata) && Object.keys(metadata).length >= 10) return; // n8n drops it silently
				metadata[key.slice(0, 50)] = String(value).slice(0, 512);
			},
			get: (key: string) => metadata[key],
		},
	};
	return { ctx: ctx as unknown as IExecuteFunctions, metadata };
}

describe('which URLs Muvi could call', () => {
	test.each([
		['https://n8n.example.com/webhook-waiting/1', true],
		['https://203.0.113.7/webhook-waiting/1', true],
		['http://n8n.example.com/webhook-waiting/1', false],
		['https://localhost:5678/webhook-waiting/1', false],
		['https://127.0.0.1:5678/webhook-waiting/1', false],
		['https://192.168.1.20/webhook-waiting/1', false],
		['https://10.0.0.5/webhook-waiting/1', false],
		['https://172.20.0.2/webhook-waiting/1', false],
		['https://n8n.local/webhook-waiting/1', false],
		['https://n8n/webhook-waiting/1', false],
		['https://[::1]/webhook-waiting/1', false],
		['not a url', false],
	])('%s → %s', (url, expected) => expect(isPublicHttps(url)).toBe(expected));
});

describe('the resume URL', () => {
	test("is n8n's $execution.resumeUrl with the node's ID as path; the signature token stays", () => {
		const { ctx } = context('https://n8n.example.com/webhook-waiting/42?signature=tok123');
		expect(resumeUrlOf(ctx)).toBe(`https://n8n.example.com/webhook-waiting/42/${node.id}?signature=tok123`);
	});
	test('works without a token (n8n 1.x)', () => {
		const { ctx } = context('https://n8n.example.com/webhook-waiting/42');
		expect(resumeUrlOf(ctx)).toBe(`https://n8n.example.com/webhook-waiting/42/${node.id}`);
	});
});

describe('choosing the wait mode before anything is sent', () => {
	test('Auto picks the webhook only for a public https n8n with a signing secret', async () => {
		expect((await chooseWaitMode(context('https://n8n.example.com/webhook-waiting/1?signature=t').ctx, 'auto', false)).mode).toBe('webhook');
		expect((await chooseWaitMode(context('http://n8n.example.com/webhook-waiting/1').ctx, 'auto', false)).mode).toBe('poll');
		expect((await chooseWaitMode(context('https://localhost/webhook-waiting/1').ctx, 'auto', false)).mode).toBe('poll');
		expect((await chooseWaitMode(context('https://n8n.example.com/webhook-waiting/1', '').ctx, 'auto', false)).mode).toBe('poll');
		expect((await chooseWaitMode(context('https://n8n.example.com/webhook-waiting/1').ctx, 'auto', true)).mode).toBe('poll');
	});
	test('explicit Muvi Webhook fails without https, without a secret, or beside its own Webhook URL', async () => {
		await expect(chooseWaitMode(context('http://127.0.0.1:5678/webhook-waiting/1').ctx, 'webhook', false)).rejects.toThrow(/needs n8n to be reachable over https/);
		await expect(chooseWaitMode(context(undefined).ctx, 'webhook', false)).rejects.toThrow(/https/);
		await expect(chooseWaitMode(context('https://n8n.example.com/webhook-waiting/1', '').ctx, 'webhook', false)).rejects.toThrow(/Webhook Signing Secret/);
		await expect(chooseWaitMode(context('https://n8n.example.com/webhook-waiting/1').ctx, 'webhook', true)).rejects.toThrow(/Webhook URL option/);
	});
	test('explicit Muvi Webhook accepts a private https n8n (a reverse proxy or tunnel may forward to it)', async () => {
		const choice = await chooseWaitMode(context('https://127.0.0.1:5678/webhook-waiting/1?signature=t').ctx, 'webhook', false);
		expect(choice).toEqual({ mode: 'webhook', resumeUrl: `https://127.0.0.1:5678/webhook-waiting/1/${node.id}?signature=t` });
	});
	test('Poll never looks at the URL', async () => {
		expect(await chooseWaitMode(context(undefined, '').ctx, 'poll', false)).toEqual({ mode: 'poll' });
	});
});

describe("the batch in the execution's custom data", () => {
	const job = (i: number, extra: Partial<WaitingJob> = {}): WaitingJob => ({
		itemIndex: i,
		jobId: `job_${String(i).padStart(12, 'a')}`,
		costMicroCents: 840000 + i,
		download: i % 2 === 0,
		binaryPropertyName: 'data',
		...extra,
	});

	test('round-trips item, job ID, cost, download and field', () => {
		const jobs = [job(0), job(1, { costMicroCents: undefined }), job(2, { binaryPropertyName: 'video_1' })];
		expect(jobsOfEntries(batchEntries(jobs)!)).toEqual(jobs);
	});

	test('values stay under 255 characters; a batch that would need more than 3 keys does not fit', () => {
		const { ctx, metadata } = context('https://x.example.com/webhook-waiting/1');
		expect(saveBatch(ctx, Array.from({ length: 10 }, (_, i) => job(i)))).toBe(true);
		const values = Object.values(metadata);
		expect(values.every((v) => v.length <= 255)).toBe(true);
		expect(values.length).toBeLessThanOrEqual(3);
		expect(jobsOfEntries(values.join(' ').split(' '))).toHaveLength(10);
		expect(saveBatch(context('https://x.example.com/webhook-waiting/1').ctx, Array.from({ length: 40 }, (_, i) => job(i)))).toBe(false);
	});

	test('saved, then read back; a full custom data (n8n drops keys silently) is noticed', () => {
		const { ctx, metadata } = context('https://x.example.com/webhook-waiting/1');
		expect(saveBatch(ctx, [job(0), job(1)])).toBe(true);
		expect(recordKey(ctx, 0)).toBe('muvi_wait_Muvi_Video');
		expect(jobsOfEntries(metadata[recordKey(ctx, 0)].split(' '))).toHaveLength(2);

		const full = context('https://x.example.com/webhook-waiting/1');
		for (let i = 0; i < 10; i++) full.metadata[`other_${i}`] = 'x';
		expect(saveBatch(full.ctx, [job(0)])).toBe(false);
	});

	test('an odd field name or job ID is refused rather than mangled', () => {
		expect(batchEntries([job(0, { binaryPropertyName: 'my video' })])).toBeUndefined();
		expect(batchEntries([job(0, { jobId: 'job x' })])).toBeUndefined();
	});
});

describe('the node declares webhook() for resuming', () => {
	// n8n gives a node that has webhook() and no execute() no input items in its routed operations
	// (WorkflowExecute.prepareConnectionInputData): every operation must be a custom operation
	test('and every operation of every resource runs as a custom operation', () => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const { MuviVideo } = require('../../nodes/MuviVideo/MuviVideo.node') as typeof import('../../nodes/MuviVideo/MuviVideo.node');
		const node = new MuviVideo();
		expect(typeof node.webhook).toBe('function');
		expect(node.description.webhooks?.[0]).toMatchObject({ httpMethod: 'POST', path: '={{ $nodeId }}', restartWebhook: true, responseMode: 'onReceived' });
		const operations = node.description.properties.filter((p) => p.name === 'operation');
		const missing: string[] = [];
		for (const property of operations) {
			const resources = (property.displayOptions?.show?.resource ?? []) as string[];
			for (const resource of resources)
				for (const option of (property.options ?? []) as Array<{ value: string }>)
					if (!node.customOperations?.[resource]?.[option.value]) missing.push(`${resource}.${option.value}`);
		}
		expect(missing).toEqual([]);
		expect(operations.length).toBeGreaterThanOrEqual(4);
	});
});
