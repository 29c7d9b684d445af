import type { IDataObject } from 'n8n-workflow';

/**
 * Remembers which deliveries (`jobId:status`) already started the workflow, because Muvi retries
 * a delivery it thinks failed and the docs tell receivers to deduplicate.
 *
 * Two memories, both bounded by age and size:
 * - the workflow's static data (persisted by n8n after each webhook call; survives restarts);
 * - a map in this process, which also catches a duplicate arriving while the first delivery is
 *   still being handled (each webhook call reads static data as it was when the call began).
 */

/** Persisted entries per trigger node; about 50 bytes each. */
export const MAX_STORED_DELIVERIES = 1000;
/** Entries kept in this process, across all workflows. */
export const MAX_PROCESS_DELIVERIES = 10_000;
const DAY_MS = 24 * 60 * 60 * 1000;

const STORE_KEY = 'deliveries';

/**
 * How long a delivery is remembered: a day, and at least long enough to cover Muvi's retries
 * (about 6 minutes) plus a replay of a signature that is still inside the tolerance window.
 */
export function retentionMs(toleranceSeconds: number): number {
	return Math.max(DAY_MS, (2 * toleranceSeconds + 3600) * 1000);
}

const recentInProcess = new Map<string, number>();

function pruneProcessMemory(now: number, retention: number): void {
	// Map iteration follows insertion order, which is time order here.
	for (const [key, seenAt] of recentInProcess) {
		if (recentInProcess.size <= MAX_PROCESS_DELIVERIES && now - seenAt <= retention) break;
		recentInProcess.delete(key);
	}
}

/** The stored entries, newest last, without expired ones, at most MAX_STORED_DELIVERIES - 1 (room for one more). */
function prunedStore(stored: unknown, now: number, retention: number): Record<string, number> {
	const entries =
		stored && typeof stored === 'object' && !Array.isArray(stored)
			? Object.entries(stored as IDataObject).filter(
					(entry): entry is [string, number] =>
						typeof entry[1] === 'number' && now - entry[1] <= retention && entry[1] <= now + retention,
				)
			: [];
	entries.sort((a, b) => a[1] - b[1]);
	return Object.fromEntries(entries.slice(Math.max(0, entries.length - (MAX_STORED_DELIVERIES - 1))));
}

export interface DeliveryClaim {
	/** the node's static data (`this.getWorkflowStaticData('node')`), or undefined to use only process memory */
	staticData: IDataObject | undefined;
	/** identifies the trigger node across workflows in the process memory */
	scope: string;
	/** `jobId:status` */
	key: string;
	now: number;
	retention: number;
}

/**
 * Records the delivery and returns true when it is new; returns false for a duplicate.
 * Synchronous on purpose: no other webhook call can run between the check and the record.
 */
export function claimDelivery({ staticData, scope, key, now, retention }: DeliveryClaim): boolean {
	const processKey = `${scope}\u0000${key}`;
	const seenHere = recentInProcess.get(processKey);
	if (seenHere !== undefined && now - seenHere <= retention) return false;

	const store = prunedStore(staticData?.[STORE_KEY], now, retention);
	if (store[key] !== undefined) return false;

	recentInProcess.delete(processKey);
	recentInProcess.set(processKey, now);
	pruneProcessMemory(now, retention);
	if (staticData) {
		store[key] = now;
		// A new object (rather than a nested write) so n8n sees the static data changed and saves it.
		staticData[STORE_KEY] = store;
	}
	return true;
}

/** How many deliveries this process remembers (for tests and diagnostics). */
export function processDeliveryCount(): number {
	return recentInProcess.size;
}

/** How many deliveries the static data currently remembers (for tests and diagnostics). */
export function storedDeliveryCount(staticData: IDataObject | undefined): number {
	const stored = staticData?.[STORE_KEY];
	return stored && typeof stored === 'object' ? Object.keys(stored).length : 0;
}
