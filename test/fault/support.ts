/**
 * Shared by the fault suite: a fresh fake Muvi per case, the node run through n8n's engine, and a
 * capture of every log line (n8n's LoggerProxy, n8n-core's Logger behind its ErrorReporter, the
 * console and the fake's own request log) so each case can check that the API key, a canary value,
 * never shows up in an item, an error or a log line.
 */
import { Container } from '@n8n/di';
import { ErrorReporter } from 'n8n-core';
import { LoggerProxy, type IDataObject } from 'n8n-workflow';

import { startFakeMuvi, type FakeMuvi, type FakeMuviOptions, type LogEntry } from '../fake-muvi/server';
import { runMuviNode, type RunOptions, type RunResult } from '../helpers/engine';

/** The API key of every fault case: it must never appear anywhere but in the Authorization header. */
export const CANARY_KEY = 'pb_live_CANARY_7f3a9c2e41d8';

export const MODEL = 'kling/kling-3.0-standard/text-to-video';
export const generate = (extra: IDataObject = {}): IDataObject => ({
	resource: 'video',
	operation: 'generate',
	model: MODEL,
	prompt: '={{ $json.prompt ?? "a lighthouse in a storm" }}',
	...extra,
});

export interface CapturedLine {
	source: 'LoggerProxy' | 'n8n Logger' | 'console' | 'fake';
	level: string;
	text: string;
}

/** Every log line of the process since installLogCapture(). */
export const logLines: CapturedLine[] = [];

/** Flattens anything (errors with their message, description, stack, cause and context) to searchable text. */
export function textOf(value: unknown, seen = new Set<unknown>()): string {
	if (value === null || value === undefined) return '';
	if (typeof value !== 'object') return String(value);
	if (seen.has(value)) return '';
	seen.add(value);
	const parts: string[] = [];
	if (value instanceof Error) {
		const e = value as Error & { description?: unknown; cause?: unknown; context?: unknown };
		parts.push(e.name, e.message, String(e.description ?? ''), String(e.stack ?? ''), textOf(e.cause, seen), textOf(e.context, seen));
	}
	for (const key of Object.keys(value)) {
		let v: unknown;
		try {
			v = (value as Record<string, unknown>)[key];
		} catch {
			continue;
		}
		if (typeof v === 'function') continue;
		parts.push(key, textOf(v, seen));
	}
	return parts.join(' ');
}

const record = (source: CapturedLine['source'], level: string) => (message: unknown, meta?: unknown) => {
	logLines.push({ source, level, text: `${textOf(message)} ${textOf(meta)}` });
};

let installed = false;

/**
 * Routes n8n's logging into `logLines` (call in beforeAll). n8n-core's Logger sends its lines to the
 * console and makes itself LoggerProxy's target when it is built, so it is built first and both are
 * then pointed here; console output is recorded (and kept quiet) too.
 */
export function installLogCapture(): void {
	if (installed) return;
	installed = true;
	// n8n-core's Logger (what its ErrorReporter and services log through); building it also makes it LoggerProxy's target
	const logger = (Container.get(ErrorReporter) as unknown as { logger: { setInternalLogger(l: unknown): void } }).logger;
	const sink = {
		log: (level: string, message: unknown, meta?: unknown) => record('n8n Logger', level)(message, meta),
		child: () => sink,
	};
	logger.setInternalLogger(sink);
	LoggerProxy.init({
		error: record('LoggerProxy', 'error'),
		warn: record('LoggerProxy', 'warn'),
		info: record('LoggerProxy', 'info'),
		debug: record('LoggerProxy', 'debug'),
	} as unknown as Parameters<typeof LoggerProxy.init>[0]);
	for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
		jest.spyOn(console, level).mockImplementation((...args: unknown[]) => record('console', level)(args));
	}
}

/** Fakes started by startFake(), closed by closeFakes() (afterEach). */
const fakes: FakeMuvi[] = [];

export async function startFake(options: FakeMuviOptions = {}): Promise<FakeMuvi> {
	const fake = await startFakeMuvi({
		apiKey: CANARY_KEY,
		jobDurationMs: 300,
		retryAfterSeconds: 0.2,
		idSeed: `fault-${Math.random()}`,
		onLog: (entry: LogEntry) => logLines.push({ source: 'fake', level: 'info', text: textOf(entry) }),
		...options,
	});
	fakes.push(fake);
	return fake;
}

export async function closeFakes(): Promise<void> {
	while (fakes.length) await fakes.pop()!.close();
}

export async function run(fake: FakeMuvi, parameters: IDataObject, extra: Partial<RunOptions> = {}): Promise<RunResult> {
	return await runMuviNode({ credentials: { apiKey: CANARY_KEY, baseUrl: fake.url }, parameters, ...extra });
}

/** Where the canary shows up in a run's items, error and data, or in the log lines so far. */
export function canarySightings(result?: RunResult): string[] {
	const found: string[] = [];
	if (result) {
		if (textOf(result.items).includes(CANARY_KEY)) found.push('items');
		if (textOf(result.error).includes(CANARY_KEY)) found.push('error');
		if (textOf(result.run.data).includes(CANARY_KEY)) found.push('execution data');
	}
	for (const line of logLines) if (line.text.includes(CANARY_KEY)) found.push(`${line.source} ${line.level}: ${line.text.slice(0, 200)}`);
	return found;
}

/**
 * For afterAll: after every case of a file, no log line carries the key. The capture must have seen
 * n8n's own lines and the fake's, or the check would prove nothing.
 */
export function expectNoCanaryInLogs(): void {
	expect(logLines.some((l) => l.source === 'fake')).toBe(true);
	expect(logLines.some((l) => l.source === 'LoggerProxy')).toBe(true);
	expect(canarySightings()).toEqual([]);
}

/** Submits the fake received (in arrival order). */
export const submits = (fake: FakeMuvi) => fake.requests.filter((r) => r.route === 'submit');

/** The prompt each job was created with. */
export const promptOf = (fake: FakeMuvi, jobId: string) => String(fake.jobs.get(jobId)?.input.prompt);
