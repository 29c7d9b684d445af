/**
 * The published trigger workflow in the running `n8n start`: Muvi (the fake) calls the production
 * webhook URL over HTTP with signed deliveries, and this test sends the deliveries an attacker or a
 * retrying sender would (forged, stale, unsigned, duplicate). Checked: the HTTP status each sender got,
 * and the executions n8n stored.
 */
import { readFileSync } from 'node:fs';

import {
	MUVI_TRIGGER,
	asOwner,
	binaryPath,
	env,
	executionsOf,
	fakeWebhooks,
	logFiles,
	postWebhook,
	runView,
	sha256,
	signature,
	sleep,
	startNode,
	submitToFake,
	unixNow,
	waitForExecutions,
	waitForFakeJob,
	workflowFiles,
	type Execution,
	type FakeWebhookDelivery,
	type WorkflowFile,
} from './support/n8n';

const triggerWorkflows = workflowFiles().filter((w) => startNode(w)?.type === MUVI_TRIGGER);

describe.each(triggerWorkflows.map((w) => [w.name, w] as const))('published trigger workflow: %s', (_name, wf: WorkflowFile) => {
	const trigger = startNode(wf)!;
	const options = (trigger.parameters.options ?? {}) as { download?: boolean; binaryPropertyName?: string; fetchJob?: boolean };
	let webhookUrl = '';
	let baseline = 0;
	let delivered: FakeWebhookDelivery | undefined;

	const countExecutions = async () => (await executionsOf(wf.id)).length;

	/** Waits for the fake to report the job's delivery as answered. */
	async function deliveryOf(jobId: string): Promise<FakeWebhookDelivery> {
		const deadline = Date.now() + 30_000;
		for (;;) {
			const delivery = (await fakeWebhooks()).find((d) => d.jobId === jobId && d.attempts.length > 0);
			if (delivery && delivery.status !== 'pending') return delivery;
			if (Date.now() > deadline) throw new Error(`the fake did not deliver the webhook of ${jobId}: ${JSON.stringify(delivery)}`);
			await sleep(200);
		}
	}

	beforeAll(async () => {
		const types: Array<{ name: string; webhooks?: Array<{ path: string; httpMethod: string }> }> = await asOwner('/types/nodes.json');
		const description = types.find((t) => t.name === MUVI_TRIGGER)!;
		expect(description.webhooks?.[0]).toMatchObject({ httpMethod: 'POST' });
		webhookUrl = `${env.n8nUrl}/webhook/${trigger.webhookId}/${description.webhooks![0].path}`;
		// registered once n8n has activated the published workflow: a 404 means not (yet)
		const deadline = Date.now() + 30_000;
		for (;;) {
			const probe = await postWebhook(webhookUrl, '{}', {});
			if (probe.status !== 404) break;
			if (Date.now() > deadline) throw new Error(`${webhookUrl} is not registered (HTTP 404): the workflow is not active`);
			await sleep(500);
		}
		baseline = await countExecutions();
	});

	test('a signed delivery for a completed job starts one execution with the job and its video', async () => {
		const submitted = await submitToFake({
			model: 'kling/kling-3.0-standard/image-to-video',
			input: { prompt: 'e2e webhook: fireworks over a harbour', image_url: 'https://example.com/e2e/harbour.jpg', duration: '5' },
			webhookUrl,
		});
		const job = await waitForFakeJob(submitted.jobId);
		expect(job.status).toBe('completed');
		delivered = await deliveryOf(job.jobId);
		expect(delivered.attempts[0].responseStatus).toBe(200);
		expect(delivered.status).toBe('sent');

		const executions = await waitForExecutions(wf.id, baseline + 1);
		expect(executions).toHaveLength(baseline + 1);
		const execution = executions[0];
		expect(execution).toMatchObject({ status: 'success', mode: 'webhook' });
		const run = runView(execution);
		const [item] = run.items(trigger.name);
		expect(item.json).toMatchObject({
			jobId: job.jobId,
			requestId: job.requestId,
			status: 'completed',
			signatureVerified: true,
			videoUrl: job.output,
		});
		if (options.fetchJob !== false) expect(item.json.outputs).toEqual([expect.objectContaining({ url: job.output, type: 'video' })]);
		if (options.download) {
			const ref = item.binary?.[options.binaryPropertyName || 'data'];
			expect(ref).toMatchObject({ mimeType: 'video/mp4', fileName: `${job.jobId}.mp4` });
			const stored = readFileSync(binaryPath(ref!));
			const served = Buffer.from(await (await fetch(job.output!)).arrayBuffer());
			expect(sha256(stored)).toBe(sha256(served));
		}
		if (wf.id === 'muviExVideoReady') {
			expect(run.items('Video ready (use the binary data)')).toHaveLength(1);
			expect(execution.data.resultData.runData['Job failed (credits refunded)']).toBeUndefined();
		}
	});

	test('a signed delivery for a failed job starts an execution with the error', async () => {
		const before = await countExecutions();
		const submitted = await submitToFake({
			model: 'kling/kling-3.0-standard/image-to-video',
			input: { prompt: 'e2e webhook: a storm that never renders [fail]', image_url: 'https://example.com/e2e/storm.jpg' },
			webhookUrl,
		});
		const job = await waitForFakeJob(submitted.jobId);
		expect(job.status).toBe('failed');
		expect((await deliveryOf(job.jobId)).attempts[0].responseStatus).toBe(200);
		const executions = await waitForExecutions(wf.id, before + 1);
		const run = runView(executions[0]);
		expect(run.items(trigger.name)[0].json).toMatchObject({
			jobId: job.jobId,
			status: 'failed',
			error: { code: 'GENERATION_FAILED' },
			signatureVerified: true,
		});
		expect(run.items(trigger.name)[0].binary).toBeUndefined();
		if (wf.id === 'muviExVideoReady') expect(run.items('Job failed (credits refunded)')).toHaveLength(1);
	});

	describe('deliveries that must not start the workflow', () => {
		let before = 0;
		beforeAll(async () => {
			before = await countExecutions();
		});

		/** n8n's log has the refusal with its reason, and neither the secret nor the body. */
		async function expectRefusalLogged(reason: string): Promise<void> {
			const deadline = Date.now() + 10_000;
			for (;;) {
				const log = readFileSync(logFiles.server, 'utf8');
				const lines = log.split('\n').filter((l) => l.includes('Muvi Video Trigger refused a webhook request'));
				const found = lines.some((l) => l.includes(`(${reason})`));
				if (found) {
					expect(log).not.toContain(env.webhookSecret);
					expect(log).not.toContain(rawBody());
					return;
				}
				if (Date.now() > deadline) throw new Error(`n8n's log has no refusal with reason ${reason}:\n${lines.slice(-5).join('\n')}`);
				await sleep(250);
			}
		}

		const rawBody = () => {
			if (!delivered) throw new Error('needs the completed-job delivery of the first test');
			return delivered.body;
		};

		test('forged: signed with the wrong secret → 401', async () => {
			const ts = String(unixNow());
			const res = await postWebhook(webhookUrl, rawBody(), {
				'X-PixelByte-Timestamp': ts,
				'X-PixelByte-Signature': signature('not-the-secret', ts, rawBody()),
			});
			expect(res.status).toBe(401);
			// the caller is not told which check failed; n8n's log tells the operator
			expect(res.body).toEqual({ error: 'unauthorized', message: 'The request was refused.' });
			await expectRefusalLogged('signature-mismatch');
		});

		test('tampered: a valid signature over a different body → 401', async () => {
			const ts = String(unixNow());
			const tampered = rawBody().replace('"completed"', '"failed"');
			const res = await postWebhook(webhookUrl, tampered, {
				'X-PixelByte-Timestamp': ts,
				'X-PixelByte-Signature': signature(env.webhookSecret, ts, rawBody()),
			});
			expect(res.status).toBe(401);
		});

		test('stale: correctly signed, but an hour old → 401', async () => {
			const ts = String(unixNow() - 3600);
			const res = await postWebhook(webhookUrl, rawBody(), {
				'X-PixelByte-Timestamp': ts,
				'X-PixelByte-Signature': signature(env.webhookSecret, ts, rawBody()),
			});
			expect(res.status).toBe(401);
			expect(res.body).toEqual({ error: 'unauthorized', message: 'The request was refused.' });
			await expectRefusalLogged('stale-timestamp');
		});

		test('unsigned → 401', async () => {
			const res = await postWebhook(webhookUrl, rawBody(), {});
			expect(res.status).toBe(401);
			await expectRefusalLogged('missing-timestamp');
		});

		test('duplicate: the same delivery again (a retry with a fresh signature, and an exact replay) → 2xx, ignored', async () => {
			const ts = String(unixNow());
			const retry = await postWebhook(webhookUrl, rawBody(), {
				'X-PixelByte-Timestamp': ts,
				'X-PixelByte-Signature': signature(env.webhookSecret, ts, rawBody()),
			});
			expect(retry.status).toBeGreaterThanOrEqual(200);
			expect(retry.status).toBeLessThan(300);
			const original = delivered!.attempts[0];
			const replay = await postWebhook(webhookUrl, rawBody(), {
				'X-PixelByte-Timestamp': original.timestamp,
				'X-PixelByte-Signature': original.signature,
			});
			expect(replay.status).toBeGreaterThanOrEqual(200);
			expect(replay.status).toBeLessThan(300);
		});

		test('none of them started an execution', async () => {
			// time for n8n to store anything these requests might (wrongly) have started
			await sleep(2000);
			const executions: Execution[] = await executionsOf(wf.id);
			expect(executions.length).toBe(before);
		});
	});
});

test('there is at least one trigger workflow to test', () => {
	expect(triggerWorkflows.length).toBeGreaterThanOrEqual(1);
});
