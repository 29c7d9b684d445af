/**
 * Spending a user can cap, see and reconcile (issue #21), in a real n8n: Max Total Cost over a 5-item
 * run, Max Cost per Execution across two Generate nodes of one execution, each item's outcome with
 * what was charged and refunded, and the execution's `muvi_cost` as n8n stores it with the execution.
 */
import { executeWorkflow, fake, type Execution, type FakeJob } from './support/n8n';

const jobsWith = async (prefix: string) => (await fake<FakeJob[]>('/jobs')).filter((j) => String(j.input.prompt).startsWith(prefix));

/** The execution's custom data, as n8n stored it. */
function customData(execution: Execution): Record<string, string> {
	const exec = execution as Execution & { customData?: Record<string, string>; data: { resultData: { metadata?: Record<string, string> } } };
	return { ...(exec.data?.resultData?.metadata ?? {}), ...(exec.customData ?? {}) };
}

const errorOf = (execution: Execution, node: string) => {
	const error = execution.data.resultData.runData[node]?.at(-1)?.error ?? execution.data.resultData.error;
	return { message: String(error?.message ?? ''), description: String(error?.description ?? '') };
};

describe('Max Total Cost', () => {
	test('5 items whose estimates add up to $2.10 under a $2.00 limit: nothing is submitted, the error names sum, limit and the dearest items', async () => {
		const run = await executeWorkflow('muviE2eSpendTotl');
		expect(run.execution.status).toBe('error');
		const { message, description } = errorOf(run.execution, 'Muvi Video');
		expect(message).toBe('The estimated total $2.10 of 5 items is above Max Total Cost $2.00');
		expect(description).toMatch(/^The most expensive: item 1 \$0\.42, item 2 \$0\.42, item 3 \$0\.42\. Nothing was sent to Muvi for any item\./);
		expect(await jobsWith('e2e total ')).toEqual([]);
	}, 120_000);
});

describe('Max Cost per Execution', () => {
	test('the second Generate node stops at the limit, counting what the first spent; nothing over it is submitted', async () => {
		const run = await executeWorkflow('muviE2eSpendExec');
		expect(run.execution.status).toBe('error');
		const first = run.items('Muvi Video');
		expect(first.map((i) => i.json.outcome)).toEqual(['running', 'running']);
		const { message, description } = errorOf(run.execution, 'Muvi Video 2');
		expect(message).toBe("Item 1: not submitted: it would take this execution's Muvi spend from $0.84 to $1.26, above Max Cost per Execution $1.00");
		expect(description).toContain('This execution has spent $0.84 net, 2 jobs, $0.00 refunded on Muvi so far');
		expect(await jobsWith('e2e exec ')).toHaveLength(2);
		expect(await jobsWith('e2e exec second')).toEqual([]);
		// what the Executions list shows for this execution, without opening it
		expect(customData(run.execution).muvi_cost).toBe('$0.84 net, 2 jobs, $0.00 refunded');
	}, 120_000);
});

describe('each item says what happened to its money', () => {
	test('completed, failed (refunded) and not-submitted side by side; muvi_cost adds them up', async () => {
		const run = await executeWorkflow('muviE2eSpendOutc');
		expect(run.execution.status).toBe('success');
		const items = run.items('Muvi Video').map((i) => i.json);
		expect(items).toHaveLength(3);
		expect(items[0]).toMatchObject({ status: 'completed', outcome: 'completed', costUsd: 0.42, refundedUsd: 0, netCostUsd: 0.42 });
		expect(items[1]).toMatchObject({ status: 'failed', outcome: 'failed', costUsd: 0.42, refundedUsd: 0.42, netCostUsd: 0 });
		expect(items[2]).toMatchObject({ outcome: 'not-submitted', costUsd: 0, refundedUsd: 0, netCostUsd: 0 });
		expect(String(items[2].error)).toMatch(/"Prompt" \(prompt\) is required/);
		expect(await jobsWith('e2e outcome ')).toHaveLength(2);
		expect(customData(run.execution).muvi_cost).toBe('$0.42 net, 2 jobs, $0.42 refunded');
	}, 120_000);
});

describe('the other outcomes, on their paths', () => {
	afterEach(async () => {
		await fake('/faults', { method: 'DELETE' });
	});

	test('On Timeout "Cancel Pending Jobs": a job still pending at the Timeout is cancelled and refunded; the node does not fail', async () => {
		const before = await fake<{ jobDurationMs: number; pendingMs?: number }>('/options');
		await fake('/options', { method: 'POST', body: JSON.stringify({ jobDurationMs: 60_000, pendingMs: 60_000 }) });
		try {
			const run = await executeWorkflow('muviE2eSpendTime');
			expect(run.execution.status).toBe('success');
			const [item] = run.items('Muvi Video');
			expect(item.json).toMatchObject({ status: 'cancelled', outcome: 'cancelled', costUsd: 0.42, refundedUsd: 0.42, netCostUsd: 0 });
			expect(String(item.json.error)).toMatch(/was still pending after 2 seconds, so it was cancelled/);
			const [job] = await jobsWith('e2e timeout pending');
			expect(job.status).toBe('cancelled');
			expect(customData(run.execution).muvi_cost).toBe('$0.00 net, 1 job, $0.42 refunded');
		} finally {
			await fake('/options', { method: 'POST', body: JSON.stringify({ jobDurationMs: before.jobDurationMs, pendingMs: before.pendingMs ?? null }) });
		}
	}, 120_000);

	test('the answer to the submit is lost: unknown, counted as charged at its estimate, never sent again', async () => {
		await fake('/faults', { method: 'POST', body: JSON.stringify({ route: 'submit', kind: 'reset-after-accept' }) });
		const run = await executeWorkflow('muviE2eSpendLost');
		expect(run.execution.status).toBe('success');
		const [item] = run.items('Muvi Video');
		expect(item.json).toMatchObject({ outcome: 'unknown', costUsd: 0.42, refundedUsd: 0, netCostUsd: 0.42 });
		expect(String(item.json.error)).toMatch(/may have been created/);
		expect(await jobsWith('e2e lost answer')).toHaveLength(1);
		expect(customData(run.execution).muvi_cost).toBe('$0.42 net, 1 job, $0.00 refunded');
	}, 120_000);
});
