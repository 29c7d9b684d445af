/**
 * The trigger's memory of delivered jobs across webhook processes (issue #12): "a duplicate that
 * reaches another webhook process 1 s or more after the first was accepted starts nothing".
 *
 * Muvi delivers a job's webhook to webhook process A; 1 s later the same delivery (a retry with a
 * fresh signature, and the exact replay) reaches webhook process B, then A again. The senders get 2xx
 * and the workflow runs once for the job: exactly one execution whose trigger put out the job.
 */
import { executionsOf, postWebhook, signature, sleep, submitToFake, unixNow, waitForFakeJob } from '../e2e/support/n8n';
import { TRIGGER_WORKFLOW, deliveryOf, queue, record, triggerJobIdOf, triggerUrl, waitForExecution } from './support/queue';

const TRIALS = 5;

test(`sequential duplicates across both webhook processes start one run (${TRIALS} jobs)`, async () => {
	const [a, b] = queue.webhooks;
	const urlA = await triggerUrl(a);
	const urlB = await triggerUrl(b);
	const secret = process.env.MUVI_E2E_WEBHOOK_SECRET!;
	const runsPerJob: number[] = [];
	const executionsPerJob: number[] = [];
	for (let trial = 0; trial < TRIALS; trial++) {
		const submitted = await submitToFake({
			model: 'kling/kling-3.0-standard/image-to-video',
			input: { prompt: `queue duplicates, trial ${trial + 1}`, image_url: 'https://example.com/queue/dup.jpg', duration: '5' },
			webhookUrl: urlA,
		});
		const job = await waitForFakeJob(submitted.jobId, 60_000);
		const delivery = await deliveryOf(job.jobId);
		expect(delivery.attempts[0].responseStatus).toBe(200);
		await waitForExecution(TRIGGER_WORKFLOW, (e) => triggerJobIdOf(e) === job.jobId, 120_000);
		const before = (await executionsOf(TRIGGER_WORKFLOW)).length;

		await sleep(1_000);
		const ts = String(unixNow());
		const retryOnB = await postWebhook(urlB, delivery.body, { 'X-PixelByte-Timestamp': ts, 'X-PixelByte-Signature': signature(secret, ts, delivery.body) });
		const replay = { 'X-PixelByte-Timestamp': delivery.attempts[0].timestamp, 'X-PixelByte-Signature': delivery.attempts[0].signature };
		const replayOnB = await postWebhook(urlB, delivery.body, replay);
		const replayOnA = await postWebhook(urlA, delivery.body, replay);
		for (const res of [retryOnB, replayOnB, replayOnA]) {
			expect(res.status).toBeGreaterThanOrEqual(200);
			expect(res.status).toBeLessThan(300);
		}
		// time for n8n to run anything these duplicates might (wrongly) have started
		await sleep(8_000);
		const all = await executionsOf(TRIGGER_WORKFLOW);
		runsPerJob.push(all.filter((e) => triggerJobIdOf(e) === job.jobId).length);
		executionsPerJob.push(all.length - before + 1);
	}
	record('trigger duplicates across webhook processes', { trials: TRIALS, runsPerJob, executionsPerJob });
	expect(runsPerJob).toEqual(Array(TRIALS).fill(1));
});
