/**
 * Benchmark 4: the time the node adds to a submit, against a plain HTTP request to the same fake.
 *
 * Node: Start → Muvi Video (Generate, Wait for Completion off) executed by n8n-core's WorkflowExecute,
 * which includes n8n's own work (parameter resolution, the declarative routing, credentials, axios).
 * Raw: one POST /v1/jobs/submit with node:http and a fresh connection. Medians of several runs,
 * after warm-up runs.
 */
import { startFakeMuvi } from '../test/fake-muvi/server';
import { runMuviNode } from '../test/helpers/engine';
import { API_KEY, MODEL, fmtMs, median, submitRaw, table } from './lib';

const SINGLE_RUNS = 25;
const BATCH_RUNS = 7;
const BATCH = 100;
const WARM_UP = 5;

export interface OverheadRow {
	label: string;
	rawMs: number;
	nodeMs: number;
}

export interface OverheadResult {
	rows: OverheadRow[];
	table: string;
	note: string;
}

export async function benchOverhead(): Promise<OverheadResult> {
	const fake = await startFakeMuvi({ apiKey: API_KEY, jobDurationMs: 3_600_000, autoProgress: false, idSeed: 'bench-overhead' });
	const credentials = { apiKey: API_KEY, baseUrl: fake.url };
	const nodeRun = async (items: number): Promise<number> => {
		const started = process.hrtime.bigint();
		const { error, items: out } = await runMuviNode({
			credentials,
			parameters: { resource: 'video', operation: 'generate', model: MODEL, prompt: '={{ "item " + $json.n }}', waitForCompletion: false },
			items: Array.from({ length: items }, (_, n) => ({ n })),
		});
		const ms = Number(process.hrtime.bigint() - started) / 1e6;
		if (error || out.length !== items) throw error ?? new Error(`the node returned ${out.length} items`);
		return ms;
	};
	const rawRun = async (items: number): Promise<number> => {
		const started = process.hrtime.bigint();
		const answers = await Promise.all(Array.from({ length: items }, (_, n) => submitRaw(fake.url, `item ${n}`)));
		const ms = Number(process.hrtime.bigint() - started) / 1e6;
		if (answers.some((a) => a.status !== 200)) throw new Error('a raw submit failed');
		return ms;
	};
	try {
		for (let i = 0; i < WARM_UP; i++) {
			await nodeRun(1);
			await rawRun(1);
		}
		const single = { raw: [] as number[], node: [] as number[] };
		for (let i = 0; i < SINGLE_RUNS; i++) {
			single.node.push(await nodeRun(1));
			single.raw.push(await rawRun(1));
		}
		const batch = { raw: [] as number[], node: [] as number[] };
		for (let i = 0; i < BATCH_RUNS; i++) {
			batch.node.push((await nodeRun(BATCH)) / BATCH);
			batch.raw.push((await rawRun(BATCH)) / BATCH);
		}
		const rows: OverheadRow[] = [
			{ label: '1 item per execution (whole execution vs one request)', rawMs: median(single.raw), nodeMs: median(single.node) },
			{ label: `${BATCH} items per execution (per item; raw: ${BATCH} requests at once)`, rawMs: median(batch.raw), nodeMs: median(batch.node) },
		];
		const text = table(
			['Submit', 'Raw HTTP request', 'Node', 'Added by the node', 'Ratio'],
			rows.map((r) => [r.label, fmtMs(r.rawMs), fmtMs(r.nodeMs), fmtMs(r.nodeMs - r.rawMs), `${(r.nodeMs / r.rawMs).toFixed(1)}×`]),
		);
		const note = `Medians of ${SINGLE_RUNS} (1 item) and ${BATCH_RUNS} (${BATCH} items) runs after ${WARM_UP} warm-up runs; Wait for Completion off; the fake answers at once (no network latency), so the ratio is the worst case: against a real API call of 100–300 ms the node's share is a few per cent.`;
		return { rows, table: text, note };
	} finally {
		await fake.close();
	}
}
