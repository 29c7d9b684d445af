/**
 * Generate with Wait for Completion and Download Video, started by a production webhook on a webhook
 * process and run by a worker: the item, its cost, and the video in n8n's default binary data mode for
 * queue mode (`database`), served by the main process to whoever opens the execution.
 * (MUVI_QUEUE_BINARY_MODE=default|filesystem runs it in another mode: `filesystem` fails here, as
 * n8n's main process cannot read the file from the worker's disk.)
 */
import { env, fakeApiRequests, fakeCdnRequests, fakeJob, runView, sha256 } from '../e2e/support/n8n';
import {
	GENERATE_PATH,
	GENERATE_WORKFLOW,
	binaryFromMain,
	binaryMode,
	callWebhook,
	expectStoredInMode,
	lastExecutionId,
	promptsOf,
	queue,
	record,
	waitForExecution,
	workerThatRan,
} from './support/queue';

test('a webhook on a webhook process → a worker submits once, waits, downloads; main serves the video', async () => {
	const prompt = `queue mode: a lighthouse at dusk, run ${Date.now()}`;
	const after = await lastExecutionId(GENERATE_WORKFLOW);
	const started = Date.now();
	const answer = await callWebhook(queue.webhooks[0], GENERATE_PATH, { items: [{ prompt }] });
	expect(answer.status).toBe(200);

	const execution = await waitForExecution(GENERATE_WORKFLOW, (e) => promptsOf(e)[0] === prompt, 180_000, after);
	const elapsedMs = Date.now() - started;
	if (execution.status !== 'success') throw new Error(`execution ${execution.id} ended ${execution.status}: ${JSON.stringify(execution.data.resultData.error)}`);
	expect(execution.mode).toBe('webhook');
	const worker = workerThatRan(execution.id);
	expect(queue.workers.map((w) => w.name)).toContain(worker);

	const [item] = runView(execution).items('Generate video');
	const job = await fakeJob(item.json.jobId);
	expect(job).toMatchObject({ status: 'completed', input: expect.objectContaining({ prompt }) });
	expect(item.json).toMatchObject({
		jobId: job.jobId,
		status: 'completed',
		costMicroCents: 420_000,
		costUsd: 0.42,
		videoUrl: job.output,
	});

	const requests = await fakeApiRequests();
	const submits = requests.filter((r) => r.method === 'POST' && r.path === '/v1/jobs/submit' && r.json?.input?.prompt === prompt);
	expect(submits).toHaveLength(1);
	const statusCalls = requests.filter((r) => r.method === 'GET' && r.path === `/v1/jobs/${job.jobId}`).length;
	expect(statusCalls).toBeGreaterThanOrEqual(1);
	const downloads = (await fakeCdnRequests()).filter((r) => r.path === `/outputs/${job.jobId}/output_0.mp4`);
	expect(downloads.length).toBeGreaterThanOrEqual(1);

	// the binary: stored by the worker in the instance's binary data mode, read back through the main process
	const ref = item.binary?.data;
	expect(ref).toMatchObject({ mimeType: 'video/mp4', fileName: `${job.jobId}.mp4` });
	expectStoredInMode(ref);
	const fromMain = await binaryFromMain(ref!);
	expect(fromMain.status).toBe(200);
	const fromCdn = Buffer.from(await (await fetch(job.output!)).arrayBuffer());
	expect(fromMain.bytes.length).toBe(job.outputSizeBytes);
	expect(sha256(fromMain.bytes)).toBe(sha256(fromCdn));

	record('generate on a worker', {
		worker,
		submits: submits.length,
		statusCalls,
		downloads: downloads.length,
		binaryMode: binaryMode(),
		binaryStoredAs: ref!.id ? `${ref!.id.split(':')[0]}:…` : 'inline base64',
		webhookToFinishedMs: elapsedMs,
		jobMs: env.jobMs,
	});
});
