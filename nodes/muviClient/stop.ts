import * as workflow from 'n8n-workflow';

/** Thrown when n8n stops the execution (Stop button, workflow timeout): nothing more is sent. */
export class StoppedError extends Error {
	constructor() {
		super('The execution was stopped');
		this.name = 'StoppedError';
	}
}

export function isStopped(error: unknown): boolean {
	return error instanceof StoppedError || (error instanceof Error && error.name === 'AbortError');
}

export function stopped(): StoppedError {
	return new StoppedError();
}

export function throwIfStopped(signal?: AbortSignal): void {
	if (signal?.aborted) throw stopped();
}

type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;
// n8n-workflow's `sleepWithAbort` (1.x) or `sleep(ms, signal)` (2.x); neither exists in every version
const sleepWithAbort = (workflow as unknown as { sleepWithAbort?: Sleep }).sleepWithAbort;

/**
 * Waits `ms`, or less when n8n stops the execution (then throws StoppedError). Where n8n's sleep
 * ignores the signal, the wait is cut into one-second slices, so a Stop still ends it within a second.
 */
export async function pause(ms: number, signal?: AbortSignal): Promise<void> {
	throwIfStopped(signal);
	if (!signal) return await workflow.sleep(ms);
	const until = Date.now() + ms;
	try {
		for (let left = ms; left > 0; left = until - Date.now()) {
			const slice = Math.min(left, 1000);
			if (sleepWithAbort) await sleepWithAbort(slice, signal);
			else await (workflow.sleep as Sleep)(slice, signal);
			throwIfStopped(signal);
		}
	} catch (caught) {
		if (signal.aborted) throw stopped();
		const error = caught as Error;
		throw error;
	}
}
