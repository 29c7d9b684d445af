/**
 * n8n's processed-data table (`checkProcessedAndRecord` and `removeProcessed`, n8n's
 * DeduplicationHelper in 'entries' mode) as a test double with n8n's semantics: one row per workflow
 * and context (`n:<nodeId>` for scope 'node'), md5 hashes of the values, read then written back (another
 * call can run in between), `maxEntries` drops the oldest, `removeProcessed` drops the first equal hash.
 * n8n-core keeps one deduplicator per process; each test file gets its own module registry, so its own.
 */
import { createHash } from 'node:crypto';

import { DataDeduplicationService } from 'n8n-core';
import type {
	DeduplicationItemTypes,
	DeduplicationScope,
	ICheckProcessedContextData,
	ICheckProcessedOptions,
	IDataDeduplicator,
	IDeduplicationOutput,
} from 'n8n-workflow';

/** Where a workflow's processed-data rows live. */
export interface ProcessedDataStore {
	/** `workflowId|context` → the processed_data row's value */
	readonly processedData: Map<string, { mode: string; data: string[] }>;
	/** calls made */
	processedDataCalls: number;
	/** how many of the next calls fail (a database error) */
	failProcessedDataCalls: number;
	/** how long a call takes between reading the row and writing it back (0: one event-loop turn) */
	processedDataDelayMs: number;
}

export class MemoryProcessedData implements ProcessedDataStore {
	readonly processedData = new Map<string, { mode: string; data: string[] }>();
	processedDataCalls = 0;
	failProcessedDataCalls = 0;
	processedDataDelayMs = 0;

	/** The hashes kept for a node (scope 'node'). */
	entries(workflowId: string, nodeId: string): string[] {
		return [...(this.processedData.get(`${workflowId}|n:${nodeId}`)?.data ?? [])];
	}
}

/** Rows of workflows no test registered. */
export const defaultProcessedData = new MemoryProcessedData();
const storeOfWorkflow = new Map<string, ProcessedDataStore>();

export function useProcessedDataStore(workflowId: string, store: ProcessedDataStore): void {
	storeOfWorkflow.set(workflowId, store);
}

export const processedDataHash = (value: DeduplicationItemTypes) => createHash('md5').update(value.toString()).digest('base64');

class FakeDeduplicator implements IDataDeduplicator {
	private async row(scope: DeduplicationScope, contextData: ICheckProcessedContextData) {
		const workflowId = contextData.workflow.id;
		if (!workflowId) throw new Error('AssertionError: workflow.id');
		const store = storeOfWorkflow.get(workflowId) ?? defaultProcessedData;
		if (scope === 'node' && !contextData.node) throw new Error("No node information has been provided and so cannot use scope 'node'");
		store.processedDataCalls++;
		if (store.failProcessedDataCalls > 0) {
			store.failProcessedDataCalls--;
			throw new Error('SQLITE_CONSTRAINT: UNIQUE constraint failed: processed_data.workflowId, processed_data.context');
		}
		const key = `${workflowId}|${scope === 'node' ? `n:${contextData.node!.id}` : ''}`;
		// n8n reads the row, then writes it back: another call can run in between
		const found = structuredClone(store.processedData.get(key));
		await new Promise((resolve) => (store.processedDataDelayMs > 0 ? setTimeout(resolve, store.processedDataDelayMs) : setImmediate(resolve)));
		return { store, key, found };
	}

	async checkProcessedAndRecord(
		items: DeduplicationItemTypes[],
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
		options: ICheckProcessedOptions,
	): Promise<IDeduplicationOutput> {
		if (options.mode !== 'entries') throw new Error('the fake deduplicator only models "entries" mode');
		const { store, key, found } = await this.row(scope, contextData);
		const result: IDeduplicationOutput = { new: [], processed: [] };
		const data = found?.data ?? [];
		const known = new Set(data);
		items.forEach((item) => {
			const hash = processedDataHash(item);
			if (found && known.has(hash)) result.processed.push(item);
			else {
				result.new.push(item);
				data.push(hash);
			}
		});
		if (options.maxEntries) data.splice(0, data.length - options.maxEntries);
		store.processedData.set(key, { mode: options.mode, data });
		return result;
	}

	async removeProcessed(items: DeduplicationItemTypes[], scope: DeduplicationScope, contextData: ICheckProcessedContextData): Promise<void> {
		const { store, key, found } = await this.row(scope, contextData);
		if (!found) return;
		for (const item of items) {
			const at = found.data.indexOf(processedDataHash(item));
			if (at !== -1) found.data.splice(at, 1);
		}
		store.processedData.set(key, found);
	}

	async clearAllProcessedItems(scope: DeduplicationScope, contextData: ICheckProcessedContextData): Promise<void> {
		const { store, key } = await this.row(scope, contextData);
		store.processedData.delete(key);
	}

	async getProcessedDataCount(scope: DeduplicationScope, contextData: ICheckProcessedContextData): Promise<number> {
		const { store, key, found } = await this.row(scope, contextData);
		void store;
		void key;
		return found?.data.length ?? 0;
	}
}

let ready: Promise<void> | undefined;
export function ensureProcessedData(): Promise<void> {
	ready ??= DataDeduplicationService.init(new FakeDeduplicator());
	return ready;
}
