/**
 * Benchmark 2: memory while downloading. For each size, one child process runs the node (n8n's
 * filesystem binary mode) and one reads the same file into a Buffer; the fake server stays here.
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';

import { expectedOutputSha256, startFakeMuvi } from '../test/fake-muvi/server';
import { API_KEY, MB, fmtMb, fmtS, submitRaw, table } from './lib';
import type { MemoryJob, MemoryReport } from './memory-child';

export const MEMORY_SIZES_MB = [10, 100, 500];
/** The goal: a peak growth independent of the file size, and below this. */
export const MEMORY_LIMIT = 64 * MB;

function runChild(job: MemoryJob): Promise<MemoryReport> {
	return new Promise((resolve, reject) => {
		const child = fork(join(__dirname, 'memory-child.ts'), [], {
			execArgv: ['--expose-gc', '-r', join(__dirname, 'ts-register.cjs')],
			stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
		});
		let report: MemoryReport | undefined;
		child.on('message', (m) => (report = m as MemoryReport));
		child.on('error', reject);
		child.on('exit', (code) => (report ? resolve(report) : reject(new Error(`memory child exited with ${code} and no report`))));
		child.send(job);
	});
}

/** Node runs per size (the peak depends on when V8 collects the network chunks): median and max are shown. */
export const NODE_RUNS = 3;

export interface MemoryResult {
	/** held after GC = V8 heap + Buffers after the download and a full GC, minus the same before it */
	rows: Array<{ sizeMb: number; node: MemoryReport; nodeRuns: MemoryReport[]; buffered: MemoryReport }>;
	table: string;
	flat: boolean;
}

export async function benchMemory(sizesMb = MEMORY_SIZES_MB): Promise<MemoryResult> {
	const fake = await startFakeMuvi({ apiKey: API_KEY, jobDurationMs: 60_000, autoProgress: false, idSeed: 'bench-memory' });
	const completedJob = async (sizeBytes: number): Promise<string> => {
		fake.setOptions({ outputSizeBytes: sizeBytes });
		const answer = await submitRaw(fake.url, 'memory bench');
		const jobId = (answer.body as { jobId: string }).jobId;
		fake.completeJob(jobId);
		return jobId;
	};
	const rows: MemoryResult['rows'] = [];
	try {
		for (const sizeMb of sizesMb) {
			const size = sizeMb * MB;
			const warmJobId = await completedJob(1 * MB);
			const jobId = await completedJob(size);
			const base = { apiUrl: fake.url, apiKey: API_KEY, warmJobId, jobId, size, sha256: expectedOutputSha256(jobId, size) };
			const nodeRuns: MemoryReport[] = [];
			for (let i = 0; i < NODE_RUNS; i++) nodeRuns.push(await runChild({ ...base, mode: 'node' }));
			const buffered = await runChild({ ...base, mode: 'buffered' });
			// the run with the median peak stands for the size
			const node = [...nodeRuns].sort((a, b) => a.growth - b.growth)[Math.floor(nodeRuns.length / 2)];
			rows.push({ sizeMb, node, nodeRuns, buffered });
		}
	} finally {
		await fake.close();
	}
	const held = (r: MemoryReport) => (r.retained < 0.1 * MB ? '0 MB' : fmtMb(r.retained));
	const text = table(
		[
			'Output file',
			`Node: peak RSS growth, median (max) of ${NODE_RUNS}`,
			'Node: most in Buffers at once',
			'Node: held after GC',
			'Node: download time',
			'Buffered: peak RSS growth',
			'Buffered: held after GC',
			'Bytes verified (size, SHA-256)',
		],
		rows.map((r) => [
			`${r.sizeMb} MB`,
			r.nodeRuns.every((x) => x.ok) ? `${fmtMb(r.node.growth)} (${fmtMb(Math.max(...r.nodeRuns.map((x) => x.growth)))})` : `failed: ${r.nodeRuns.find((x) => !x.ok)?.problem}`,
			fmtMb(r.node.peakBuffers),
			held(r.node),
			fmtS(r.node.ms),
			r.buffered.ok ? fmtMb(r.buffered.growth) : `failed: ${r.buffered.problem}`,
			held(r.buffered),
			r.nodeRuns.every((x) => x.ok) && r.buffered.ok ? 'yes' : 'NO',
		]),
	);
	// flat: from 100 MB on, a bigger file needs no more memory (within noise), and nothing stays held
	const big = rows.filter((r) => r.sizeMb >= 100);
	const flat =
		rows.every((r) => r.node.retained < 8 * MB) &&
		big.every((r) => r.node.growth <= Math.min(...big.map((x) => x.node.growth)) + 16 * MB);
	return { rows, table: text, flat };
}
