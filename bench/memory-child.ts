/**
 * One memory measurement, in a process of its own (forked by bench/memory.ts) so that the figure is
 * not blurred by the other benchmarks or by the fake server, which runs in the parent.
 *
 * mode 'node':     Muvi Video → Job → Get with Download Video on, executed by n8n-core's WorkflowExecute
 *                  with n8n's filesystem binary mode (N8N_DEFAULT_BINARY_DATA_MODE=filesystem and
 *                  BinaryDataService.init(), as n8n's own start-up does): the video streams to disk.
 * mode 'buffered': the same file fetched with a plain GET and read fully into one Buffer (allocated
 *                  once from Content-Length: the least any non-streaming download needs).
 *
 * Reports, over IPC: RSS before (after a warm-up run and a GC), peak RSS during the download, and a
 * check of the bytes (size and SHA-256).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, createReadStream } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const userFolder = mkdtempSync(join(tmpdir(), 'muvi-bench-mem-'));
process.env.N8N_USER_FOLDER = userFolder;
process.env.N8N_DEFAULT_BINARY_DATA_MODE = 'filesystem';
process.env.N8N_ENCRYPTION_KEY ??= 'muvi-bench-encryption-key';

export interface MemoryJob {
	mode: 'node' | 'buffered';
	apiUrl: string;
	apiKey: string;
	warmJobId: string;
	jobId: string;
	size: number;
	sha256: string;
}

export interface MemoryReport {
	mode: MemoryJob['mode'];
	size: number;
	baselineRss: number;
	peakRss: number;
	growth: number;
	/** the most memory in Buffers during the download, above the baseline (network chunks not yet collected, or the file) */
	peakBuffers: number;
	/** live memory (V8 heap + Buffers) after the download and a full GC, minus the same before: what stays held */
	retained: number;
	ms: number;
	ok: boolean;
	problem?: string;
	binaryMode?: string;
}

function gc(): void {
	const g = (globalThis as { gc?: () => void }).gc;
	if (g) {
		g();
		g();
	}
}

/**
 * Samples every 2 ms (the download keeps the event loop turning, so samples keep coming) the RSS and
 * the memory in Buffers (ArrayBuffers: the network chunks), and keeps the highest of each.
 */
function sampler(): { stop(): { peakRss: number; peakBuffers: number } } {
	let peakRss = 0;
	let peakBuffers = 0;
	const sample = () => {
		peakRss = Math.max(peakRss, process.memoryUsage.rss());
		peakBuffers = Math.max(peakBuffers, process.memoryUsage().arrayBuffers);
	};
	sample();
	const timer = setInterval(sample, 2);
	return {
		stop() {
			clearInterval(timer);
			sample();
			return { peakRss, peakBuffers };
		},
	};
}

async function sha256OfFile(path: string): Promise<string> {
	const hash = createHash('sha256');
	for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
	return hash.digest('hex');
}

function cdnUrlOf(job: MemoryJob, jobId: string): Promise<string> {
	return new Promise((resolve, reject) => {
		get(`${job.apiUrl}/v1/jobs/${jobId}`, { headers: { authorization: `Bearer ${job.apiKey}` }, agent: false }, (res) => {
			let text = '';
			res.on('data', (c: Buffer) => (text += c.toString()));
			res.on('end', () => resolve(String((JSON.parse(text) as { output: string }).output)));
		}).on('error', reject);
	});
}

function downloadIntoBuffer(url: string): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		get(url, { agent: false }, (res) => {
			const length = Number(res.headers['content-length']);
			const buffer = Buffer.allocUnsafe(length);
			let offset = 0;
			res.on('data', (c: Buffer) => {
				c.copy(buffer, offset);
				offset += c.length;
			});
			res.on('end', () => (offset === length ? resolve(buffer) : reject(new Error(`got ${offset} of ${length} bytes`))));
			res.on('error', reject);
		}).on('error', reject);
	});
}

async function measure(job: MemoryJob): Promise<MemoryReport> {
	// Loaded here, after the environment above is set: n8n reads its config when the classes load.
	const { Container } = await import('@n8n/di');
	const { BinaryDataService } = await import('n8n-core');
	const { runMuviNode } = await import('../test/helpers/engine');
	const binaryData = Container.get(BinaryDataService);
	await binaryData.init();

	const credentials = { apiKey: job.apiKey, baseUrl: job.apiUrl };
	const getWithDownload = (jobId: string) =>
		runMuviNode({ credentials, parameters: { resource: 'job', operation: 'get', jobId, options: { download: true } } });

	// Warm-up (same code path, a small file): loads every lazily required module before the baseline.
	if (job.mode === 'node') {
		const warm = await getWithDownload(job.warmJobId);
		if (warm.error) throw warm.error;
	} else {
		await downloadIntoBuffer(await cdnUrlOf(job, job.warmJobId));
	}
	const url = await cdnUrlOf(job, job.jobId);
	gc();
	await new Promise((r) => setTimeout(r, 100));
	const baselineRss = process.memoryUsage.rss();
	const live = () => {
		const m = process.memoryUsage();
		return m.heapUsed + m.external;
	};
	const baselineLive = live();
	const baselineBuffers = process.memoryUsage().arrayBuffers;

	const peaks = sampler();
	const started = Date.now();
	const result = job.mode === 'node' ? await getWithDownload(job.jobId) : await downloadIntoBuffer(url);
	const { peakRss, peakBuffers } = peaks.stop();
	const ms = Date.now() - started;
	gc();
	await new Promise((r) => setTimeout(r, 100));
	// `result` (the item, or the Buffer) is still referenced, as a workflow holds its items
	const retained = live() - baselineLive;

	let problem: string | undefined;
	let binaryMode: string | undefined;
	if (Buffer.isBuffer(result)) {
		const sha = createHash('sha256').update(result).digest('hex');
		if (result.length !== job.size || sha !== job.sha256) problem = `got ${result.length} bytes, sha256 ${sha.slice(0, 12)}…`;
	} else {
		const binary = result.items[0]?.binary?.data;
		binaryMode = binary?.id ? String(binary.id).split(':')[0] : 'in memory (base64 in the item)';
		if (result.error) problem = result.error.message;
		else if (!binary?.id) problem = 'the video was kept in memory, not in the filesystem store';
		else {
			const sha = await sha256OfFile(binaryData.getPath(binary.id));
			if (binary.bytes !== job.size || sha !== job.sha256) problem = `stored ${binary.bytes} bytes, sha256 ${sha.slice(0, 12)}…`;
		}
	}
	return {
		mode: job.mode,
		size: job.size,
		baselineRss,
		peakRss,
		growth: peakRss - baselineRss,
		peakBuffers: peakBuffers - baselineBuffers,
		retained,
		ms,
		ok: problem === undefined,
		problem,
		binaryMode,
	};
}

process.once('message', (job: MemoryJob) => {
	measure(job)
		.then((report) => process.send?.(report))
		.catch((error: Error) =>
			process.send?.({ mode: job.mode, size: job.size, baselineRss: 0, peakRss: 0, growth: 0, peakBuffers: 0, retained: 0, ms: 0, ok: false, problem: error.message }),
		)
		.finally(() => {
			rmSync(userFolder, { recursive: true, force: true });
			process.disconnect?.();
		});
});
