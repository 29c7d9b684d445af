import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { formatUsd } from '../../muviClient/money';
import { limitInMicroCents } from './costGuard';
import type { ItemLoop } from './itemLoop';
import type { JobPlan } from './jobRequest';
import type { ExecutionSpend } from './spend';

/** The spending limits of a Generate run, in micro-cents; null = no limit. */
export interface RunLimits {
	/** Max Total Cost: the sum of this run's estimates */
	totalMicroCents: number | null;
	/** Max Cost per Execution: what the execution may spend on Muvi, net of refunds */
	executionMicroCents: number | null;
}

/** Reads one limit (version 2 on the node, version 1 under Options); empty or 0 is no limit, "$25" from a sheet is 25. */
function readLimit(ctx: IExecuteFunctions, name: string, label: string): number | null {
	const version2 = ctx.getNode().typeVersion >= 2;
	const raw = ctx.getNodeParameter(version2 ? name : `options.${name}`, 0, null) as unknown;
	const limit = limitInMicroCents(raw === null ? undefined : (raw as number | string));
	if (limit !== null && Number.isNaN(limit))
		throw new NodeOperationError(ctx.getNode(), `Item 1: "${label}" must be a number of US dollars`, {
			itemIndex: 0,
			description: `Got ${JSON.stringify(raw)?.slice(0, 80)}. Enter e.g. 25 or $25, or 0 for no limit. Nothing was sent to Muvi for any item.`,
		});
	return limit === null || limit <= 0 ? null : limit;
}

export function readRunLimits(ctx: IExecuteFunctions): RunLimits {
	return {
		totalMicroCents: readLimit(ctx, 'maxTotalCostUsd', 'Max Total Cost (USD)'),
		executionMicroCents: readLimit(ctx, 'maxExecutionCostUsd', 'Max Cost per Execution (USD)'),
	};
}

/** Whether any limit needs a price for every item (then an item without a local price asks Muvi's estimate). */
export const needsPrices = (limits: RunLimits) => limits.totalMicroCents !== null || limits.executionMicroCents !== null;

/**
 * Max Total Cost: the estimates of every item of the run added up before anything is sent; above the
 * limit no item is submitted, and the error names the sum, the limit and the most expensive items.
 */
export function checkTotal(ctx: IExecuteFunctions, loop: ItemLoop<JobPlan>, limits: RunLimits): void {
	const limit = limits.totalMicroCents;
	const plans = loop.plans.filter((p): p is JobPlan => p !== undefined);
	if (limit === null || plans.length === 0) return;
	const unpriced = plans.filter((p) => p.estimate === undefined && !p.allowUnknownCost);
	if (unpriced.length > 0)
		return loop.refuseAll(
			new NodeOperationError(ctx.getNode(), `Max Total Cost ${formatUsd(limit)} cannot be checked: the cost of item ${unpriced[0].itemIndex + 1} is unknown`, {
				description: 'Muvi gave no estimate for it. Nothing was sent to Muvi for any item. Try again later, turn on "Allow Unknown Cost" in Options, or remove Max Total Cost.',
			}),
		);
	const total = plans.reduce((sum, p) => sum + (p.estimate ?? 0), 0);
	if (total <= limit) return;
	const dearest = [...plans].sort((a, b) => (b.estimate ?? 0) - (a.estimate ?? 0)).slice(0, 3);
	return loop.refuseAll(
		new NodeOperationError(ctx.getNode(), `The estimated total ${formatUsd(total)} of ${plans.length} items is above Max Total Cost ${formatUsd(limit)}`, {
			description: `The most expensive: ${dearest.map((p) => `item ${p.itemIndex + 1} ${formatUsd(p.estimate ?? 0)}`).join(', ')}. Nothing was sent to Muvi for any item. Raise Max Total Cost (USD), or send fewer or cheaper items.`,
		}),
	);
}

/** Max Cost per Execution, checked right before each submit: refuses the item whose estimate would take the execution's spend above the limit. */
export function checkExecutionSpend(ctx: IExecuteFunctions, plan: JobPlan, limits: RunLimits, spend: ExecutionSpend): void {
	const limit = limits.executionMicroCents;
	if (limit === null) return;
	const estimate = plan.estimate ?? 0;
	if (spend.netMicroCents + estimate <= limit) return;
	throw new NodeOperationError(
		ctx.getNode(),
		`Item ${plan.itemIndex + 1}: not submitted: it would take this execution's Muvi spend from ${formatUsd(spend.netMicroCents)} to ${formatUsd(spend.netMicroCents + estimate)}, above Max Cost per Execution ${formatUsd(limit)}`,
		{
			itemIndex: plan.itemIndex,
			description: `This execution has spent ${spend.toString()} on Muvi so far (all its Muvi Video nodes and runs). Nothing was sent for this item. Raise Max Cost per Execution (USD) to go on.`,
		},
	);
}
