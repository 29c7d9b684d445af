import type { IDataObject } from 'n8n-workflow';

/**
 * Remembers which deliveries (`jobId:status`) already started the workflow, because Muvi retries
 * a delivery it thinks failed and the docs tell receivers to deduplicate.
 *
 * Three memories, each bounded:
 * - a map in this process: catches a copy that arrives while the first is still being handled;
 * - the workflow's static data: n8n loads it from the database for every webhook call, so webhook()
 *   can refuse a known duplicate before any execution exists. n8n 2.41 does not save what webhook()
 *   writes there when the call starts an execution, so the trigger's execute() writes the entry again:
 *   the execution saves its static data when it ends (on the worker, in queue mode). Executions of
 *   one trigger in one process share the object they write (recordInExecution), so overlapping
 *   executions do not save over each other's entries;
 * - n8n's processed-data table (`checkProcessedAndRecord`, see the trigger's execute()): written as
 *   soon as the execution starts, in the database every n8n process shares. A duplicate that got past
 *   webhook() (another process, or static data not saved yet) stops there and runs no other node.
 *   n8n's helper reads the row and writes it back whole, so the trigger makes the calls of one process
 *   in turn (inTurn); calls from two processes at the same moment can still lose an entry.
 */

/** Entries kept in the static data of one trigger node; about 60 bytes each. */
export const MAX_STORED_DELIVERIES = 1000;
/** Entries kept in n8n's processed-data table for one trigger node; 24-character hashes, about 27 bytes each. */
export const MAX_PROCESSED_DELIVERIES = 10_000;
/** Entries kept in this process, across all workflows. */
export const MAX_PROCESS_DELIVERIES = 10_000;
const DAY_MS = 24 * 60 * 60 * 1000;

const STORE_KEY = 'deliveries';

/** What identifies a delivery: one workflow start per job and status. */
export function deliveryKey(jobId: string, status: string): string {
	return `${jobId}:${status}`;
}

/**
 * How long a delivery is remembered in static data and process memory: a day, and at least long
 * enough to cover Muvi's retries plus a replay of a signature that is still inside the tolerance window.
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

/** Whether the static data already remembers the delivery. */
export function isStored(staticData: IDataObject | undefined, key: string, now: number, retention: number): boolean {
	const stored = staticData?.[STORE_KEY];
	if (!stored || typeof stored !== 'object' || Array.isArray(stored)) return false;
	const seenAt = (stored as IDataObject)[key];
	return typeof seenAt === 'number' && now - seenAt <= retention && seenAt <= now + retention;
}

/**
 * Writes the delivery into the static data (again, if it is there), pruned to the bounds. Always
 * assigns a new object, so n8n sees the static data changed and saves it with the execution.
 */
export function storeDelivery(staticData: IDataObject, key: string, now: number, retention: number): void {
	const store = prunedStore(staticData[STORE_KEY], now, retention);
	// Keeps when it was first seen, so an entry does not live longer each time it is written again.
	store[key] = Math.min(store[key] ?? now, now);
	staticData[STORE_KEY] = store;
}

/**
 * Records the delivery and returns true when it is new; returns false for a duplicate.
 * Synchronous on purpose: no other webhook call can run between the check and the record.
 */
export function claimDelivery({ staticData, scope, key, now, retention }: DeliveryClaim): boolean {
	const processKey = `${scope}\u0000${key}`;
	const seenHere = recentInProcess.get(processKey);
	if (seenHere !== undefined && now - seenHere <= retention) return false;
	if (isStored(staticData, key, now, retention)) return false;

	recentInProcess.delete(processKey);
	recentInProcess.set(processKey, now);
	pruneProcessMemory(now, retention);
	if (staticData) storeDelivery(staticData, key, now, retention);
	return true;
}

/**
 * Per trigger node, the deliveries this process's executions handled, as one object that every
 * execution's static data refers to. n8n loads an execution's static data when the execution starts
 * and saves all of it when it ends: with separate copies, an execution that started before another
 * one saved would save over that one's entry. With one shared object, whichever execution n8n saves
 * last holds every delivery this process handled (and what the database held when each started).
 */
const sharedStores = new Map<string, Record<string, number>>();

/** Drops expired entries, then the oldest, in place (the object is shared), down to `keep`. */
function pruneInPlace(store: Record<string, number>, now: number, retention: number, keep: number): void {
	const entries = Object.entries(store).sort((a, b) => a[1] - b[1]);
	const expired = entries.filter(([, seenAt]) => now - seenAt > retention || seenAt > now + retention).length;
	const drop = Math.max(expired, entries.length - keep);
	for (const [key] of entries.slice(0, drop)) delete store[key];
}

/**
 * What an execution does with its delivery (in execute(), where n8n saves static data afterwards):
 * adds the delivery, and what the execution's static data already held, to the trigger's shared
 * object for this process, and puts that object in the execution's static data (a new value for
 * n8n, which then saves the static data when the execution ends).
 */
export function recordInExecution({ staticData, scope, key, now, retention }: DeliveryClaim & { staticData: IDataObject }): void {
	let shared = sharedStores.get(scope);
	if (!shared) {
		shared = {};
		sharedStores.set(scope, shared);
	}
	if (staticData[STORE_KEY] !== shared)
		for (const [known, seenAt] of Object.entries(prunedStore(staticData[STORE_KEY], now, retention)))
			shared[known] = Math.min(shared[known] ?? seenAt, seenAt);
	shared[key] = Math.min(shared[key] ?? now, now);
	// pruned in steps of 100, so that not every delivery sorts the whole store
	if (Object.keys(shared).length > MAX_STORED_DELIVERIES) pruneInPlace(shared, now, retention, MAX_STORED_DELIVERIES - 100);
	staticData[STORE_KEY] = shared;

	const processKey = `${scope}\u0000${key}`;
	if (!recentInProcess.has(processKey)) {
		recentInProcess.set(processKey, now);
		pruneProcessMemory(now, retention);
	}
}

/** Empties this process's memory, as a restart does (for tests). */
export function forgetProcessMemory(): void {
	recentInProcess.clear();
	sharedStores.clear();
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
