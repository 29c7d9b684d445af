/**
 * Workflows that start with a Manual Trigger, run by n8n's CLI (`n8n execute --id`) beside the
 * running server, checked through what n8n stored (public API), the file n8n wrote, and what the fake
 * Muvi API received. Every shipped example with a Manual Trigger runs here, unchanged, so the examples
 * cannot rot.
 */
import { readFileSync } from 'node:fs';

import {
	MANUAL_TRIGGER,
	MUVI_VIDEO,
	binaryPath,
	describeIf,
	fakeCdnRequests,
	fakeJob,
	fakeRequestsSince,
	executeWorkflow,
	env,
	lastRequestId,
	n8nHas,
	sha256,
	startNode,
	tail,
	workflowFiles,
	type FakeRequest,
	type WorkflowNode,
	type WorkflowRun,
} from './support/n8n';

/** What the issue pins down per model: the exact input Muvi must receive and the price. */
const MODEL_CONTRACT: Record<string, { input: (p: Record<string, any>) => Record<string, unknown>; costMicroCents: number }> = {
	'kling/kling-3.0-standard/image-to-video': {
		input: (p) => ({
			prompt: p.prompt,
			image_url: p.imageUrl,
			aspect_ratio: p.aspectRatio,
			duration: p.duration,
			has_sound: p.hasSound ? 'true' : 'false',
		}),
		// 84,000 micro-cents per second × 5 s, no sound (muvi-api.md §5)
		costMicroCents: 420_000,
	},
	'kling-plus/kling-3.0-pro/motion-control': {
		input: (p) => ({
			image: p.image,
			video: p.video,
			prompt: p.prompt,
			character_orientation: p.characterOrientation,
			keep_original_sound: p.keepOriginalSound,
			shot_type: p.shotType ?? 'customize',
		}),
		// flat 50,000 micro-cents per job
		costMicroCents: 50_000,
	},
};

// the image example (two chained nodes, an uploaded binary input) has its own checks in 04-image.test.ts
const manualExamples = workflowFiles().filter(
	(w) => w.source === 'example' && startNode(w)?.type === MANUAL_TRIGGER && w.id !== 'muviExShotToClip',
);
const muviNodes = (nodes: WorkflowNode[]) => nodes.filter((n) => n.type === MUVI_VIDEO);

const submits = (requests: FakeRequest[]) => requests.filter((r) => r.method === 'POST' && r.path === '/v1/jobs/submit');

/** A failed run says what n8n printed, not only which expectation broke. */
function expectSuccess(run: WorkflowRun): void {
	if (run.execution.status !== 'success' || run.cli.code !== 0) {
		const error = run.execution.data.resultData.error;
		throw new Error(
			`execution ${run.execution.id} ended "${run.execution.status}" (CLI exit ${run.cli.code})` +
				(error ? `: ${error.message}${error.description ? ` — ${error.description}` : ''}` : '') +
				`\n${tail(run.cli.output, 40)}`,
		);
	}
}

describe('shipped examples (examples/*.json) run unchanged', () => {
	test('the examples cover both models of the contract', () => {
		const models = manualExamples.flatMap((w) => muviNodes(w.nodes).map((n) => n.parameters.model));
		expect(models).toEqual(expect.arrayContaining(Object.keys(MODEL_CONTRACT)));
	});

	test.each(manualExamples.map((w) => [w.name, w] as const))('%s', async (_name, wf) => {
		const since = await lastRequestId();
		const run = await executeWorkflow(wf.id);
		expectSuccess(run);
		const received = await fakeRequestsSince(since);
		const jobSubmits = submits(received);
		expect(jobSubmits).toHaveLength(muviNodes(wf.nodes).length);

		for (const node of muviNodes(wf.nodes)) {
			const p = node.parameters as Record<string, any>;
			const items = run.items(node.name);
			expect(items).toHaveLength(1);
			const { json, binary } = items[0];

			// the request Muvi received: model, input with the API's exact types, the key as a Bearer token
			const submit = jobSubmits.find((r) => r.json?.model === p.model);
			expect(submit).toBeDefined();
			expect(submit!.auth).toBe('bearer-valid');
			const contract = MODEL_CONTRACT[p.model];
			if (contract) expect(submit!.json.input).toEqual(contract.input(p));
			expect(submit!.json.webhookUrl).toBeUndefined();

			// the item the workflow produced
			const job = await fakeJob(json.jobId);
			expect(job.status).toBe('completed');
			expect(job.input).toEqual(submit!.json.input);
			expect(json).toMatchObject({
				jobId: job.jobId,
				requestId: job.requestId,
				status: 'completed',
				model: p.model,
				costMicroCents: job.costMicroCents,
				costUsd: job.costMicroCents / 1_000_000,
				videoUrl: job.output,
			});
			if (contract) {
				expect(json.costMicroCents).toBe(contract.costMicroCents);
				expect(json.estimatedCostMicroCents).toBe(contract.costMicroCents);
				expect(json.estimatedCostUsd).toBe(contract.costMicroCents / 1_000_000);
			}
			expect(typeof json.estimatedCompletionTime).toBe('string');
			expect(Number.isNaN(Date.parse(json.completedAt))).toBe(false);
			expect(json.outputs).toEqual([expect.objectContaining({ url: job.output, type: 'video' })]);
			expect(json.thumbnailUrl).toMatch(new RegExp(`^${env.fakeCdnUrl}/outputs/${job.jobId}/`));

			// polled until done, and the video fetched from the CDN without the API key
			const polls = received.filter((r) => r.method === 'GET' && r.path === `/v1/jobs/${job.jobId}`);
			expect(polls.length).toBeGreaterThanOrEqual(1);
			expect(polls.every((r) => r.auth === 'bearer-valid')).toBe(true);
			const downloads = (await fakeCdnRequests()).filter((r) => r.id > since && r.path === `/outputs/${job.jobId}/output_0.mp4`);

			// the binary file n8n stored
			const property = (p.options?.binaryPropertyName as string | undefined) || 'data';
			if (p.options?.download) {
				expect(downloads.length).toBeGreaterThanOrEqual(1);
				expect(downloads.some((r) => r.carriesApiKey)).toBe(false);
				const ref = binary?.[property];
				expect(ref).toMatchObject({ mimeType: 'video/mp4', fileName: `${job.jobId}.mp4` });
				const stored = readFileSync(binaryPath(ref!));
				expect(stored.length).toBe(job.outputSizeBytes);
				expect(stored.subarray(4, 8).toString('latin1')).toBe('ftyp');
				const served = Buffer.from(await (await fetch(job.output!)).arrayBuffer());
				expect(sha256(stored)).toBe(sha256(served));
			} else {
				expect(binary).toBeUndefined();
				expect(downloads).toHaveLength(0);
			}
		}
	});
});

describe('errors a user can run into', () => {
	test('an invalid input fails the item before anything is sent to Muvi', async () => {
		const since = await lastRequestId();
		const run = await executeWorkflow('muviE2eBadInput1');
		expect(run.execution.status).toBe('error');
		const error = run.execution.data.resultData.error!;
		expect(error.message).toMatch(/^Item 1: "Image URL" \(imageUrl\)/);
		expect(error.description).toMatch(/Nothing was sent to Muvi/);
		expect(run.nodeRun('Muvi Video').executionStatus).toBe('error');
		expect(run.cli.code).not.toBe(0);
		expect(submits(await fakeRequestsSince(since))).toEqual([]);
	});

	test('Wait Mode "Muvi Webhook" on an n8n without https fails before anything is sent (Muvi only calls https)', async () => {
		const since = await lastRequestId();
		const run = await executeWorkflow('muviE2eHookHttp1');
		expect(run.execution.status).toBe('error');
		const error = run.execution.data.resultData.error!;
		expect(error.message).toBe('Wait Mode "Muvi Webhook" needs n8n to be reachable over https');
		expect(error.description).toMatch(/Nothing was sent to Muvi/);
		expect(submits(await fakeRequestsSince(since))).toEqual([]);
	});

	test('a failed job stops the workflow with an error naming the job and GENERATION_FAILED', async () => {
		const since = await lastRequestId();
		const run = await executeWorkflow('muviE2eFailedJob');
		expect(run.execution.status).toBe('error');
		expect(run.cli.code).not.toBe(0);
		const received = await fakeRequestsSince(since);
		expect(submits(received)).toHaveLength(1);
		expect(submits(received)[0].status).toBe(200);
		const { jobId } = await findJobByPrompt(/storm over the sea/);
		const error = run.execution.data.resultData.error!;
		expect(error.message).toContain(jobId);
		expect(error.message).toContain('GENERATION_FAILED');
		const job = await fakeJob(jobId);
		expect(job).toMatchObject({ status: 'failed', error: { code: 'GENERATION_FAILED' } });
		// nothing to download
		expect((await fakeCdnRequests()).filter((r) => r.id > since && r.path.includes(jobId))).toEqual([]);
	});

	test('with Continue On Fail the failed job becomes an item with `error`, and the workflow succeeds', async () => {
		const run = await executeWorkflow('muviE2eFailedCof');
		expectSuccess(run);
		const items = run.items('Muvi Video');
		expect(items).toHaveLength(1);
		const { json, binary } = items[0];
		const job = await findJobByPrompt(/calm lake at dawn/);
		expect(typeof json.error).toBe('string');
		expect(json.error).toContain('GENERATION_FAILED');
		expect(json.error).toContain(job.jobId);
		expect(json).toMatchObject({ jobId: job.jobId, status: 'failed' });
		expect(binary).toBeUndefined();
	});
});

describeIf(n8nHas.ssrfProtection)("n8n's SSRF protection (N8N_SSRF_PROTECTION_ENABLED, off by default in n8n 2.41)", () => {
	// The node's requests go through n8n's HTTP helpers, so the instance's policy applies to them.
	test('on, with the API host allow-listed: the example works', async () => {
		const run = await executeWorkflow('muviExKlingI2v01', {
			N8N_SSRF_PROTECTION_ENABLED: 'true',
			N8N_SSRF_ALLOWED_IP_RANGES: '127.0.0.0/8',
		});
		expectSuccess(run);
		expect(run.items('Generate video')[0].json.status).toBe('completed');
	});

	test('on, with its default block list (which includes 127.0.0.0/8): the item fails and nothing reaches the API', async () => {
		const since = await lastRequestId();
		const run = await executeWorkflow('muviExKlingI2v01', { N8N_SSRF_PROTECTION_ENABLED: 'true' });
		expect(run.execution.status).toBe('error');
		const error = run.execution.data.resultData.error!;
		// reported as blocked (nothing was sent), not as a lost answer, and with the settings that allow it
		expect(error.message).toMatch(/SSRF protection blocked the request to Muvi.*nothing was sent/);
		expect(error.description).toMatch(/N8N_SSRF_ALLOWED_HOSTNAMES/);
		expect(await fakeRequestsSince(since)).toEqual([]);
	});
});

describeIf(!n8nHas.ssrfProtection)('n8n 1.x has no SSRF protection', () => {
	test('N8N_SSRF_PROTECTION_ENABLED=true changes nothing: the example reaches the API and works', async () => {
		const since = await lastRequestId();
		const run = await executeWorkflow('muviExKlingI2v01', { N8N_SSRF_PROTECTION_ENABLED: 'true' });
		expectSuccess(run);
		expect(run.items('Generate video')[0].json.status).toBe('completed');
		expect((await fakeRequestsSince(since)).some((r) => r.route.includes('submit'))).toBe(true);
	});
});

async function findJobByPrompt(pattern: RegExp) {
	const res = await fetch(`${env.fakeControlUrl}/jobs`);
	const jobs = (await res.json()) as Array<{ jobId: string; input: { prompt?: string }; createdAtMs: number }>;
	const matching = jobs.filter((j) => pattern.test(String(j.input?.prompt ?? ''))).sort((a, b) => b.createdAtMs - a.createdAtMs);
	if (!matching.length) throw new Error(`the fake has no job whose prompt matches ${pattern}`);
	return matching[0];
}
