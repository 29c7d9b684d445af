import type { IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';

import { formatUsd, MICRO_CENTS_PER_USD } from '../../muviClient/money';
import { executionCustomData } from './executionStore';

/** The execution's custom-data key with its spend, as the Executions list shows it. */
export const SPEND_KEY = 'muvi_cost';
const SPEND = /^\$(\d+(?:\.\d+)?) net, (\d+) jobs?, \$(\d+(?:\.\d+)?) refunded$/;

const toMicroCents = (usd: string) => Math.round(Number(usd) * MICRO_CENTS_PER_USD);

/**
 * What this execution has spent on Muvi, across all its Muvi Video nodes and runs: charged at submit
 * (a submit whose answer was lost counts as charged, at its estimate), less what Muvi refunded for
 * failed and cancelled jobs. Kept in the execution's custom data as `muvi_cost`, e.g.
 * "$1.68 net, 5 jobs, $0.42 refunded": exact to the micro-cent (see formatUsd), so it reads back as it
 * was written, and an editor Retry, which carries the custom data over, goes on from it.
 */
export class ExecutionSpend {
	private constructor(
		private readonly ctx: IExecuteFunctions | IWebhookFunctions,
		public chargedMicroCents: number,
		public refundedMicroCents: number,
		public jobs: number,
	) {}

	static of(ctx: IExecuteFunctions | IWebhookFunctions): ExecutionSpend {
		let saved: unknown;
		try {
			saved = executionCustomData(ctx)?.get(SPEND_KEY);
		} catch {
			saved = undefined;
		}
		const m = typeof saved === 'string' ? SPEND.exec(saved) : null;
		if (!m) return new ExecutionSpend(ctx, 0, 0, 0);
		const refunded = toMicroCents(m[3]);
		return new ExecutionSpend(ctx, toMicroCents(m[1]) + refunded, refunded, Number(m[2]));
	}

	get netMicroCents(): number {
		return this.chargedMicroCents - this.refundedMicroCents;
	}

	/** A job was submitted (or may have been): what it cost, or may have cost. */
	charge(microCents: number | undefined): void {
		this.chargedMicroCents += microCents ?? 0;
		this.jobs += 1;
		this.save();
	}

	/** Muvi refunded a failed or cancelled job. */
	refund(microCents: number | undefined): void {
		if (!microCents) return;
		this.refundedMicroCents += microCents;
		this.save();
	}

	toString(): string {
		return `${formatUsd(this.netMicroCents)} net, ${this.jobs} job${this.jobs === 1 ? '' : 's'}, ${formatUsd(this.refundedMicroCents)} refunded`;
	}

	private save(): void {
		try {
			executionCustomData(this.ctx)?.set(SPEND_KEY, this.toString());
		} catch {
			// custom data full (10 keys an execution): the figure is in each item still
		}
	}
}
