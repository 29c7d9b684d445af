/**
 * Benchmark 7: what a fallback costs in status calls. Ten items of one Generate run, Wait for
 * Completion on (Poll): in five of them the first model's job fails (the fake fails it on that model
 * only), and the item's fallback model runs. The status calls of every job are counted: the ideal is 1
 * per job (asked once, at its estimated completion time), whether it is a first job, a failed one or
 * a fallback. Real time, 6-second jobs.
 */
import { startFakeMuvi } from '../test/fake-muvi/server';
import { runMuviNode } from '../test/helpers/engine';
import { API_KEY, fmtS, mean, table } from './lib';

const PRIMARY = 'kling/kling-3.0-standard/text-to-video';
const FALLBACK = 'kling/kling-3.0-pro/text-to-video';
const ITEMS = 10;
const JOB_MS = 6_000;

export interface FallbackResult {
	table: string;
	note: string;
	/** status calls per job: first jobs that finished, failed first jobs, fallback jobs */
	perJob: { completed: number; failed: number; fallback: number };
}

export async function benchFallback(): Promise<FallbackResult> {
	const fake = await startFakeMuvi({ apiKey: API_KEY, jobDurationMs: JOB_MS, idSeed: 'bench-fallback' });
	try {
		const started = Date.now();
		const { items, error } = await runMuviNode({
			credentials: { apiKey: API_KEY, baseUrl: fake.url },
			typeVersion: 2,
			parameters: {
				resource: 'video',
				operation: 'generate',
				model: PRIMARY,
				prompt: '={{ $json.prompt }}',
				download: false,
				fallbackModels: { models: [{ model: FALLBACK }] },
			},
			items: Array.from({ length: ITEMS }, (_, n) => ({ prompt: `bench item ${n + 1}${n % 2 === 1 ? ' [fail:kling-3.0-standard]' : ''}` })),
		});
		const wallMs = Date.now() - started;
		if (error) throw error;
		if (items.some((i) => i.json.status !== 'completed')) throw new Error('an item did not complete');
		const jobs = [...fake.jobs.values()];
		const calls = (list: typeof jobs) => mean(list.map((j) => fake.stats.statusCalls[j.jobId] ?? 0));
		const completed = jobs.filter((j) => j.model === PRIMARY && j.status === 'completed');
		const failed = jobs.filter((j) => j.model === PRIMARY && j.status === 'failed');
		const fallback = jobs.filter((j) => j.model === FALLBACK);
		const perJob = { completed: calls(completed), failed: calls(failed), fallback: calls(fallback) };
		const text = table(
			['Jobs', 'Count', 'Status calls per job'],
			[
				['first model, completed', completed.length, perJob.completed.toFixed(2)],
				['first model, failed (refunded)', failed.length, perJob.failed.toFixed(2)],
				['fallback model, completed', fallback.length, perJob.fallback.toFixed(2)],
			],
		);
		const note =
			`${ITEMS} items in one run, Wait Mode Poll, ${JOB_MS / 1000}-second jobs, real time; every second item's first job fails and its fallback runs. ` +
			`The run took ${fmtS(wallMs)}: an item that falls back takes two job lengths. The ideal is 1 status call per job.`;
		return { table: text, note, perJob };
	} finally {
		await fake.close();
	}
}
