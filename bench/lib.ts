/** Small helpers shared by the benchmarks: statistics, formatting, plain HTTP calls to the fake. */
import { cpus, freemem, totalmem } from 'node:os';
import { execSync } from 'node:child_process';
import { request } from 'node:http';

export const MODEL = 'kling/kling-3.0-standard/text-to-video';
export const API_KEY = 'pb_bench_key_0c7e2a';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

export const MB = 1024 * 1024;
export const fmtMb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;
export const fmtS = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
export const fmtMs = (ms: number) => `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;

/** A Markdown table (also readable as plain text in a terminal). */
export function table(header: string[], rows: Array<Array<string | number>>): string {
	const cells = [header, ...rows.map((r) => r.map(String))];
	const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
	const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
	return [line(cells[0]), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...cells.slice(1).map(line)].join('\n');
}

export interface HttpAnswer {
	status: number;
	body: unknown;
}

/** One plain HTTP/1.1 exchange with a fresh connection (no keep-alive), JSON in and out. */
export function httpJson(method: string, url: string, body?: unknown): Promise<HttpAnswer> {
	return new Promise((resolve, reject) => {
		const payload = body === undefined ? undefined : JSON.stringify(body);
		const req = request(
			url,
			{
				method,
				agent: false,
				headers: {
					authorization: `Bearer ${API_KEY}`,
					accept: 'application/json',
					...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
				},
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8');
					let parsed: unknown = text;
					try {
						parsed = JSON.parse(text);
					} catch {
						// keep the text
					}
					resolve({ status: res.statusCode ?? 0, body: parsed });
				});
				res.on('error', reject);
			},
		);
		req.on('error', reject);
		req.end(payload);
	});
}

/** Submits a job straight to the fake's API (bench setup and the naive clients, not the node). */
export async function submitRaw(apiUrl: string, prompt: string): Promise<HttpAnswer> {
	return await httpJson('POST', `${apiUrl}/v1/jobs/submit`, { model: MODEL, input: { prompt } });
}

export function machine(): { nproc: number; cpu: string; memory: string; node: string; os: string } {
	let os = process.platform;
	try {
		os = execSync('uname -sr', { encoding: 'utf8' }).trim() as NodeJS.Platform;
	} catch {
		// keep the platform name
	}
	return {
		nproc: cpus().length,
		cpu: cpus()[0]?.model ?? 'unknown',
		memory: `${(totalmem() / 1024 ** 3).toFixed(1)} GiB total, ${(freemem() / 1024 ** 3).toFixed(1)} GiB free at start`,
		node: process.version,
		os,
	};
}
