/**
 * The published trigger workflow (examples/video-finished-webhook.json, unchanged) on two webhook
 * processes: Muvi (the fake) delivers each job's signed webhook to one of them; the webhook process
 * checks it and answers, and a worker runs the execution (fetch, download into the binary store).
 * Forged deliveries are refused on every process. Duplicates across processes: 05-trigger-duplicates.
 */
import { executionsOf, postWebhook, runView, signature, sleep, submitToFake, unixNow, waitForFakeJob } from '../e2e/support/n8n';
import { TRIGGER_WORKFLOW, deliveryOf, expectStoredInMode, queue, record, triggerJobIdOf, triggerUrl, waitForExecution, workerThatRan } from './support/queue';

describe.each([0, 1])('Muvi delivers to webhook process %i', (index) => {
	test('one signed delivery → 200, one execution on a worker, with the video', async () => {
		const target = queue.webhooks[index];
		const url = await triggerUrl(target);
		const submitted = await submitToFake({
			model: 'kling/kling-3.0-standard/image-to-video',
			input: { prompt: `queue trigger via ${target.name}`, image_url: 'https://example.com/queue/harbour.jpg', duration: '5' },
			webhookUrl: url,
		});
		const job = await waitForFakeJob(submitted.jobId, 60_000);
		expect(job.status).toBe('completed');
		const delivery = await deliveryOf(job.jobId);
		expect(delivery.attempts.map((a) => a.responseStatus)).toEqual([200]);

		const execution = await waitForExecution(TRIGGER_WORKFLOW, (e) => triggerJobIdOf(e) === job.jobId, 120_000);
		expect(execution).toMatchObject({ status: 'success', mode: 'webhook' });
		const worker = workerThatRan(execution.id);
		expect(queue.workers.map((w) => w.name)).toContain(worker);
		const [item] = runView(execution).items('Muvi Video Trigger');
		expect(item.json).toMatchObject({ jobId: job.jobId, status: 'completed', signatureVerified: true, videoUrl: job.output });
		expect(item.binary?.data).toMatchObject({ mimeType: 'video/mp4', fileName: `${job.jobId}.mp4` });
		expectStoredInMode(item.binary!.data);
		expect(runView(execution).items('Video ready (use the binary data)')).toHaveLength(1);
		const all = (await executionsOf(TRIGGER_WORKFLOW)).filter((e) => triggerJobIdOf(e) === job.jobId);
		expect(all).toHaveLength(1);
		record(`trigger via ${target.name}`, { worker, deliveryAttempts: delivery.attempts.length });
	});

	test('forged and unsigned deliveries → 401, nothing starts', async () => {
		const target = queue.webhooks[index];
		const url = await triggerUrl(target);
		const before = (await executionsOf(TRIGGER_WORKFLOW)).length;
		const body = JSON.stringify({ jobId: `job_forged_${index}_${Date.now()}`, status: 'completed', model: 'kling/kling-3.0-standard/image-to-video' });
		const ts = String(unixNow());
		const forged = await postWebhook(url, body, { 'X-PixelByte-Timestamp': ts, 'X-PixelByte-Signature': signature('not-the-secret', ts, body) });
		expect(forged.status).toBe(401);
		const unsigned = await postWebhook(url, body, {});
		expect(unsigned.status).toBe(401);
		await sleep(3000);
		expect((await executionsOf(TRIGGER_WORKFLOW)).length).toBe(before);
	});
});
