import { sleep } from 'n8n-workflow';
import { createHash } from 'node:crypto';

import { CREDENTIAL_TYPE, type MuviContext } from '../../muviClient/transport';

/**
 * Paces the submits of one Muvi account once its plan's concurrent-job limit is reached (429
 * CONCURRENT_JOBS_EXCEEDED). Without the gate every refused item would retry after `retryAfter` at the
 * same moment, and all but a few would be refused again. Once a 429 is seen, waiting submits queue
 * here in item order and one at a time asks Muvi: as soon as one of this process's jobs is seen
 * finished (its slot is free), or `retryAfter` after the last 429 when none is. Each success lets the
 * next one go at once; a 429 stops the run. Only `sleep` is used, in slices of at most a second.
 */
export class SubmitGate {
	private queue: Array<{
		order: number;
		deadline: number;
		signal?: AbortSignal;
		resolve: (turn: 'probe' | 'timeout' | 'stopped') => void;
	}> = [];
	/** Muvi said the limit is reached, and no success has shown that it is lifted */
	private limited = false;
	/** a released submit is on its way to Muvi */
	private probing = false;
	/** one of this process's jobs finished while the probe was out */
	private freedDuringProbe = false;
	private lastLimitAt = 0;
	private retryAfterMs = 0;
	private ticking = false;

	/** Waits for a turn: 'free' while the limit is not reached, 'probe' when released, 'timeout' at `deadline`. */
	async enter(order: number, deadline: number, signal?: AbortSignal): Promise<'free' | 'probe' | 'timeout' | 'stopped'> {
		if (!this.limited) return 'free';
		return await new Promise((resolve) => {
			const at = this.queue.findIndex((e) => e.order > order);
			this.queue.splice(at < 0 ? this.queue.length : at, 0, { order, deadline, signal, resolve });
			void this.tick();
		});
	}

	/**
	 * After a submit's answer: `limit` = a 429 after which the submit queues again right away (the
	 * gate stays closed for it), `accepted` = a job was created, `other` = anything else.
	 */
	leave(turn: 'free' | 'probe', outcome: 'accepted' | 'limit' | 'other', retryAfterMs = 0): void {
		const wasProbe = turn === 'probe';
		const freed = wasProbe && this.freedDuringProbe;
		if (wasProbe) {
			this.probing = false;
			this.freedDuringProbe = false;
		}
		if (outcome === 'limit') {
			this.limited = true;
			this.retryAfterMs = retryAfterMs;
			// a slot was freed while this probe was out: the next submit may go at once
			this.lastLimitAt = freed ? 0 : Date.now();
			return;
		}
		if (wasProbe) this.releaseNext();
		this.settle();
	}

	/** One of this process's jobs finished: its slot is free. */
	jobFinished(): void {
		if (!this.limited) return;
		if (this.probing) this.freedDuringProbe = true;
		else this.releaseNext();
	}

	/** Releases the next submit `retryAfter` after the last 429 and gives up on waiters past their deadline or stopped. */
	private async tick(): Promise<void> {
		if (this.ticking) return;
		this.ticking = true;
		try {
			while (this.limited && !this.probing && this.queue.length > 0) {
				const now = Date.now();
				for (const gone of this.queue.filter((e) => e.deadline <= now || e.signal?.aborted)) {
					this.queue.splice(this.queue.indexOf(gone), 1);
					gone.resolve(gone.signal?.aborted ? 'stopped' : 'timeout');
				}
				if (this.queue.length === 0) break;
				const probeAt = this.lastLimitAt + this.retryAfterMs;
				if (now >= probeAt) {
					this.releaseNext();
					break;
				}
				await sleep(Math.min(1000, probeAt - now, ...this.queue.map((e) => e.deadline - now)));
			}
		} finally {
			this.ticking = false;
			this.settle();
		}
	}

	private releaseNext(): void {
		const next = this.queue.shift();
		if (!next) return;
		this.probing = true;
		next.resolve('probe');
	}

	/** Back to free flow when nobody waits and no probe is out. */
	private settle(): void {
		if (!this.probing && this.queue.length === 0) this.limited = false;
	}
}

const submitGates = new Map<string, SubmitGate>();
/** The gate of each job this process submitted and has not yet seen finish (bounded). */
const gateOfJob = new Map<string, SubmitGate>();
const GATE_OF_JOB_MAX = 10_000;

export async function submitGateFor(ctx: MuviContext): Promise<SubmitGate> {
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	// one gate per account: the key is only kept as a hash
	const key = createHash('sha256')
		.update(`${String(credentials.baseUrl ?? '')}\n${String(credentials.apiKey ?? '')}`)
		.digest('hex');
	let gate = submitGates.get(key);
	if (!gate) {
		gate = new SubmitGate();
		submitGates.set(key, gate);
	}
	return gate;
}

/** Tells the submit gate that a job of this process finished, so a waiting submit can take its slot. */
export function jobFinished(jobId: string): void {
	const gate = gateOfJob.get(jobId);
	if (!gate) return;
	gateOfJob.delete(jobId);
	gate.jobFinished();
}

/** A job this process submitted: its slot is freed when it is seen finished (bounded). */
export function submittedThrough(gate: SubmitGate, jobId: string): void {
	gateOfJob.set(jobId, gate);
	if (gateOfJob.size > GATE_OF_JOB_MAX) gateOfJob.delete(gateOfJob.keys().next().value as string);
}
