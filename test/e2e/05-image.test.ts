/**
 * Resource Image and "Other Model (by Slug)" in a real n8n: the shipped example "product shot →
 * 5-second clip" (examples/product-shot-to-clip.json) runs unchanged against the fake Muvi API, and
 * the editor's resource mapper loads a custom slug's typed fields from the fake's catalog.
 */
import { readFileSync } from 'node:fs';

import {
	CREDENTIAL_ID,
	binaryPath,
	env,
	executeWorkflow,
	fake,
	fakeCdnRequests,
	fakeJob,
	fakeRequestsSince,
	httpJson,
	lastRequestId,
	n8nHas,
	readState,
	sha256,
	tail,
	type FakeRequest,
	type WorkflowRun,
} from './support/n8n';

const submits = (requests: FakeRequest[]) => requests.filter((r) => r.method === 'POST' && r.path === '/v1/jobs/submit');

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

interface FakeUploadView {
	fileId: string;
	contentType: string;
	fileUrl: string;
	received: { size: number; contentType: string; sha256: string } | null;
}

describe('example: product shot → 5-second clip', () => {
	test('an image model draws the shot, its file feeds Kling 3.0 Standard image to video', async () => {
		const since = await lastRequestId();
		const run = await executeWorkflow('muviExShotToClip');
		expectSuccess(run);
		const received = await fakeRequestsSince(since);
		const jobSubmits = submits(received);
		expect(jobSubmits.map((r) => r.json.model)).toEqual(['google/nano-banana', 'kling/kling-3.0-standard/image-to-video']);

		// 1. the product shot: Nano Banana, exact input, one PNG in binary `data`
		expect(jobSubmits[0].json.input).toEqual({
			prompt: 'Studio product shot of a matte white ceramic coffee mug on a walnut table, soft window light, shallow depth of field',
			aspect_ratio: '16:9',
			resolution: '1k',
		});
		const [shot] = run.items('Product shot');
		const shotJob = await fakeJob(shot.json.jobId);
		expect(shotJob.status).toBe('completed');
		expect(shot.json).toMatchObject({
			status: 'completed',
			model: 'google/nano-banana',
			costMicroCents: 40_000,
			costUsd: 0.04,
			estimatedCostMicroCents: 40_000,
			imageUrls: [`${env.fakeCdnUrl}/outputs/${shotJob.jobId}/output_0.png`],
		});
		expect(Object.keys(shot.binary ?? {})).toEqual(['data']);
		expect(shot.binary!.data).toMatchObject({ mimeType: 'image/png', fileName: `${shotJob.jobId}_0.png` });
		const png = readFileSync(binaryPath(shot.binary!.data));
		expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
		const served = Buffer.from(await (await fetch(shotJob.output!)).arrayBuffer());
		expect(sha256(png)).toBe(sha256(served));

		// 2. the clip: that PNG uploaded to Muvi (presign + PUT), its address sent as image_url
		const uploads = (await fake<FakeUploadView[]>('/uploads')).filter((u) => u.received?.sha256 === sha256(png));
		expect(uploads).toHaveLength(1);
		expect(uploads[0]).toMatchObject({ contentType: 'image/png', received: { contentType: 'image/png', size: png.length } });
		expect(jobSubmits[1].json.input).toEqual({
			prompt: 'Steam rises from the mug as the camera slowly circles it, warm morning light',
			image_url: uploads[0].fileUrl,
			aspect_ratio: '16:9',
			duration: '5',
			has_sound: 'false',
		});
		const [clip] = run.items('5-second clip');
		const clipJob = await fakeJob(clip.json.jobId);
		expect(clip.json).toMatchObject({ status: 'completed', costMicroCents: 420_000, estimatedCostMicroCents: 420_000, videoUrl: clipJob.output });
		expect(clip.binary?.data).toMatchObject({ mimeType: 'video/mp4', fileName: `${clipJob.jobId}.mp4` });
		expect(readFileSync(binaryPath(clip.binary!.data)).subarray(4, 8).toString('latin1')).toBe('ftyp');

		// both outputs fetched from the CDN without the API key
		const downloads = (await fakeCdnRequests()).filter((r) => r.id > since && r.path.startsWith('/outputs/'));
		expect(downloads.map((r) => r.path)).toEqual(
			expect.arrayContaining([`/outputs/${shotJob.jobId}/output_0.png`, `/outputs/${clipJob.jobId}/output_0.mp4`]),
		);
		expect(downloads.some((r) => r.carriesApiKey)).toBe(false);
	});
});

describe('Other Model (by Slug): typed fields in the editor', () => {
	/** What the editor asks n8n for when it shows the resource mapper of "Input Fields". */
	async function mapperFields(slug: string) {
		const { cookie } = readState();
		return await httpJson(`${env.n8nUrl}/rest/dynamic-node-parameters/resource-mapper-fields`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', cookie },
			body: JSON.stringify({
				path: 'parameters.customInput',
				methodName: 'getCustomModelFields',
				nodeTypeAndVersion: { name: 'n8n-nodes-muvi.muviVideo', version: 2 },
				currentNodeParameters: { resource: 'video', operation: 'generate', model: 'custom', customModel: slug, customInputMode: 'fields' },
				credentials: { muviApi: { id: CREDENTIAL_ID, name: 'Muvi account' } },
			}),
		});
	}

	test("a slug outside the list shows the fields of the fake's schema, with types, required and choices", async () => {
		const since = await lastRequestId();
		const res = await mapperFields('google/veo-3.1-fast/text-to-video');
		expect(res.status).toBe(200);
		const fields = (res.body.data ?? res.body).fields as Array<Record<string, any>>;
		expect(fields.map((f) => [f.id, f.type, f.required])).toEqual([
			['prompt', 'string', true],
			['aspect_ratio', 'options', false],
			['resolution', 'options', false],
			['duration', 'options', false],
			['has_sound', 'options', false],
			['seed', 'number', false],
		]);
		expect(fields.find((f) => f.id === 'duration')).toMatchObject({ displayName: 'Duration', defaultValue: '8', options: [{ value: '4' }, { value: '6' }, { value: '8' }].map((o) => expect.objectContaining(o)) });
		// read from the public catalog, nothing submitted
		const received = await fakeRequestsSince(since);
		expect(received.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/catalog/models/google/veo-3.1-fast/text-to-video']);
	});

	test('an unknown slug gives a notice, not an error', async () => {
		const res = await mapperFields('acme/nothing-here/text-to-video');
		expect(res.status).toBe(200);
		const body = res.body.data ?? res.body;
		expect(body.fields).toEqual([]);
		expect(body.emptyFieldsNotice).toMatch(/Could not load the fields of acme\/nothing-here\/text-to-video/);
	});
});

describe('Image → Generate: money shown exactly', () => {
	test('Nano Banana Pro at 4k ($0.2412) under Max Cost $0.2411: refused with two different amounts and image remedies; nothing is sent', async () => {
		const since = await lastRequestId();
		const run = await executeWorkflow('muviE2eImageMaxC');
		expect(run.execution.status).toBe('error');
		const error = run.execution.data.resultData.error!;
		expect(error.message).toBe('Item 1: The estimated cost $0.2412 (241,200 micro-cents) is above Max Cost $0.2411');
		expect(error.description).toMatch(/a lower resolution, fewer images or a cheaper model/);
		expect(error.description).not.toMatch(/duration|sound/);
		expect(submits(await fakeRequestsSince(since))).toEqual([]);
	});
});

describe('Other Model (by Slug): checks before anything is sent', () => {
	const estimates = (requests: FakeRequest[]) => requests.filter((r) => r.method === 'POST' && r.path === '/v1/jobs/estimate');

	test('a value the schema does not allow stops the item naming the field; Muvi receives no job', async () => {
		const since = await lastRequestId();
		const run = await executeWorkflow('muviE2eCustomBad');
		expect(run.execution.status).toBe('error');
		expect(run.cli.code).not.toBe(0);
		const error = run.execution.data.resultData.error!;
		if (n8nHas.runTimeParameterChecksOnly) expect(`${error.message} ${error.description ?? ''}`).toMatch(/duration/i);
		// 1.x refuses to start the workflow at all: the value is a parameter issue of the node (the editor marks the field)
		else expect(error.message).toMatch(/workflow has issues/i);
		const received = await fakeRequestsSince(since);
		expect(submits(received)).toEqual([]);
		expect(estimates(received)).toEqual([]);
	});

	test('above Max Cost: Muvi is asked for an estimate ($2.40 > $1.00) and nothing is submitted', async () => {
		const since = await lastRequestId();
		const run = await executeWorkflow('muviE2eCustomMax');
		expect(run.execution.status).toBe('error');
		const error = run.execution.data.resultData.error!;
		expect(error.message).toBe("Item 1: Muvi's estimate for google/veo-3.1-fast/text-to-video, $2.40 (2,400,000 micro-cents), is above Max Cost $1.00");
		expect(error.description).toMatch(/Nothing was sent to Muvi/);
		const received = await fakeRequestsSince(since);
		expect(estimates(received).map((r) => r.json)).toEqual([
			{
				model: 'google/veo-3.1-fast/text-to-video',
				input: { prompt: 'e2e custom: a fox in the snow, expensive', aspect_ratio: '16:9', duration: '8', has_sound: 'true' },
			},
		]);
		expect(submits(received)).toEqual([]);
	});
});
