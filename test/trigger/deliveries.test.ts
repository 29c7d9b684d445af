/** The duplicate-delivery memory: what counts as a duplicate, and how the memory stays bounded. */
import { createHash } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import {
	MAX_PROCESS_DELIVERIES,
	MAX_PROCESSED_DELIVERIES,
	MAX_STORED_DELIVERIES,
	claimDelivery,
	deliveryKey,
	storeDelivery,
	processDeliveryCount,
	recordInExecution,
	retentionMs,
	storedDeliveryCount,
} from '../../nodes/webhooks/deliveries';

const DAY = 24 * 60 * 60 * 1000;
let scopeCounter = 0;
const newScope = () => `test-scope-${++scopeCounter}`;

describe('claimDelivery', () => {
	const now = 1_800_000_000_000;

	it('accepts a delivery once and refuses the same jobId and status again', () => {
		const staticData: IDataObject = {};
		const scope = newScope();
		expect(claimDelivery({ staticData, scope, key: 'job_1:completed', now, retention: DAY })).toBe(true);
		expect(claimDelivery({ staticData, scope, key: 'job_1:completed', now: now + 1000, retention: DAY })).toBe(false);
		expect(storedDeliveryCount(staticData)).toBe(1);
	});

	it('treats another status of the same job, or another job, as new', () => {
		const staticData: IDataObject = {};
		const scope = newScope();
		expect(claimDelivery({ staticData, scope, key: 'job_1:failed', now, retention: DAY })).toBe(true);
		expect(claimDelivery({ staticData, scope, key: 'job_1:completed', now, retention: DAY })).toBe(true);
		expect(claimDelivery({ staticData, scope, key: 'job_2:completed', now, retention: DAY })).toBe(true);
	});

	it('finds a duplicate in the saved static data alone (another process, or after a restart)', () => {
		const staticData: IDataObject = {};
		expect(claimDelivery({ staticData, scope: newScope(), key: 'job_1:completed', now, retention: DAY })).toBe(true);
		const reloaded = JSON.parse(JSON.stringify(staticData)) as IDataObject;
		expect(claimDelivery({ staticData: reloaded, scope: newScope(), key: 'job_1:completed', now: now + 60_000, retention: DAY })).toBe(false);
	});

	it('finds a duplicate in process memory alone (static data not saved yet)', () => {
		const scope = newScope();
		expect(claimDelivery({ staticData: {}, scope, key: 'job_1:completed', now, retention: DAY })).toBe(true);
		// a second concurrent call read the static data before the first one was saved
		expect(claimDelivery({ staticData: {}, scope, key: 'job_1:completed', now, retention: DAY })).toBe(false);
	});

	it('keeps workflows (scopes) apart in process memory', () => {
		expect(claimDelivery({ staticData: {}, scope: newScope(), key: 'job_1:completed', now, retention: DAY })).toBe(true);
		expect(claimDelivery({ staticData: {}, scope: newScope(), key: 'job_1:completed', now, retention: DAY })).toBe(true);
	});

	it('forgets a delivery after the retention time', () => {
		const staticData: IDataObject = {};
		const scope = newScope();
		expect(claimDelivery({ staticData, scope, key: 'job_1:completed', now, retention: DAY })).toBe(true);
		expect(claimDelivery({ staticData, scope, key: 'job_1:completed', now: now + DAY, retention: DAY })).toBe(false);
		expect(claimDelivery({ staticData, scope, key: 'job_1:completed', now: now + DAY + 1, retention: DAY })).toBe(true);
	});

	it('drops expired entries from static data when it records a new one', () => {
		const staticData: IDataObject = {};
		const scope = newScope();
		for (let i = 0; i < 10; i++) claimDelivery({ staticData, scope, key: `old_${i}:completed`, now, retention: DAY });
		claimDelivery({ staticData, scope, key: 'new:completed', now: now + DAY + 1, retention: DAY });
		expect(staticData.deliveries).toEqual({ 'new:completed': now + DAY + 1 });
	});

	it(`keeps at most ${MAX_STORED_DELIVERIES} entries in static data, dropping the oldest`, () => {
		const staticData: IDataObject = {};
		const scope = newScope();
		const total = MAX_STORED_DELIVERIES + 50;
		for (let i = 0; i < total; i++) expect(claimDelivery({ staticData, scope, key: `job_${i}:completed`, now: now + i, retention: DAY })).toBe(true);
		expect(storedDeliveryCount(staticData)).toBe(MAX_STORED_DELIVERIES);
		const stored = staticData.deliveries as Record<string, number>;
		expect(stored['job_0:completed']).toBeUndefined();
		expect(stored['job_49:completed']).toBeUndefined();
		expect(stored['job_50:completed']).toBe(now + 50);
		expect(stored[`job_${total - 1}:completed`]).toBe(now + total - 1);
		// about 50 bytes per entry
		expect(JSON.stringify(staticData).length).toBeLessThan(MAX_STORED_DELIVERIES * 60);
	});

	it(`keeps at most ${MAX_PROCESS_DELIVERIES} entries in process memory`, () => {
		const scope = newScope();
		for (let i = 0; i < MAX_PROCESS_DELIVERIES + 100; i++)
			claimDelivery({ staticData: undefined, scope, key: `job_${i}:completed`, now: now + i, retention: DAY });
		expect(processDeliveryCount()).toBeLessThanOrEqual(MAX_PROCESS_DELIVERIES);
		// the newest are still remembered
		expect(claimDelivery({ staticData: undefined, scope, key: `job_${MAX_PROCESS_DELIVERIES + 99}:completed`, now: now + 1e5, retention: DAY })).toBe(false);
	});

	it('survives static data it did not write (wrong types are ignored)', () => {
		for (const deliveries of ['junk', 42, null, ['job_1:completed'], { 'job_1:completed': 'yesterday' }]) {
			const staticData: IDataObject = { deliveries: deliveries as IDataObject['deliveries'] };
			expect(claimDelivery({ staticData, scope: newScope(), key: 'job_1:completed', now, retention: DAY })).toBe(true);
			expect(staticData.deliveries).toEqual({ 'job_1:completed': now });
		}
	});

	it('leaves other static data of the node alone', () => {
		const staticData: IDataObject = { somethingElse: { a: 1 } };
		claimDelivery({ staticData, scope: newScope(), key: 'job_1:completed', now, retention: DAY });
		expect(staticData.somethingElse).toEqual({ a: 1 });
	});
});

describe('storeDelivery (the execution writing the delivery again)', () => {
	const now = 1_800_000_000_000;

	it('assigns a new object each time (so n8n sees the static data changed) and keeps when it was first seen', () => {
		const staticData: IDataObject = {};
		storeDelivery(staticData, 'job_1:completed', now, DAY);
		const first = staticData.deliveries;
		storeDelivery(staticData, 'job_1:completed', now + 5000, DAY);
		expect(staticData.deliveries).not.toBe(first);
		expect(staticData.deliveries).toEqual({ 'job_1:completed': now });
	});
});

describe('recordInExecution (the execution writing the delivery again)', () => {
	const now = 1_800_000_000_000;

	it('gives every execution of the trigger in this process one shared object: the one saved last holds all deliveries', () => {
		const scope = newScope();
		// two executions started with the static data the database held then (one delivery from before a restart)
		const first: IDataObject = { deliveries: { 'job_0:completed': now - 5000 } };
		const second: IDataObject = { deliveries: { 'job_0:completed': now - 5000 } };
		recordInExecution({ staticData: first, scope, key: 'job_1:completed', now, retention: DAY });
		recordInExecution({ staticData: second, scope, key: 'job_2:completed', now: now + 1, retention: DAY });
		// n8n saves the first one last: it still holds the second's delivery
		expect(JSON.parse(JSON.stringify(first))).toEqual({
			deliveries: { 'job_0:completed': now - 5000, 'job_1:completed': now, 'job_2:completed': now + 1 },
		});
		expect(first.deliveries).toBe(second.deliveries);
	});

	it(`stays bounded: at most ${MAX_STORED_DELIVERIES} entries after 5,000 deliveries, the newest kept`, () => {
		const scope = newScope();
		let staticData: IDataObject = {};
		for (let i = 0; i < 5000; i++) {
			staticData = JSON.parse(JSON.stringify(staticData)) as IDataObject;
			recordInExecution({ staticData, scope, key: `job_${i}:completed`, now: now + i, retention: DAY });
		}
		const stored = staticData.deliveries as Record<string, number>;
		expect(Object.keys(stored).length).toBeLessThanOrEqual(MAX_STORED_DELIVERIES);
		expect(Object.keys(stored).length).toBeGreaterThanOrEqual(MAX_STORED_DELIVERIES - 100);
		expect(stored['job_4999:completed']).toBe(now + 4999);
		expect(stored['job_0:completed']).toBeUndefined();
	});
});

describe('size after 5,000 deliveries', () => {
	it(`static data keeps ${MAX_STORED_DELIVERIES} entries (about 54 kB); n8n's processed-data row keeps all 5,000 hashes (about 135 kB, cap ${MAX_PROCESSED_DELIVERIES})`, () => {
		const now = 1_800_000_000_000;
		const staticData: IDataObject = {};
		// n8n's DeduplicationHelper ('entries' mode) stores md5/base64 of each value, oldest dropped past maxEntries
		const processed: string[] = [];
		for (let i = 0; i < 5000; i++) {
			// Muvi job IDs as the fake issues them: "job_" and 24 characters
			const key = deliveryKey(`job_${i.toString(36).padStart(24, '0')}`, i % 5 ? 'completed' : 'failed');
			claimDelivery({ staticData, scope: newScope(), key, now: now + i * 1000, retention: DAY });
			processed.push(createHash('md5').update(key).digest('base64'));
			processed.splice(0, processed.length - MAX_PROCESSED_DELIVERIES);
		}
		expect(storedDeliveryCount(staticData)).toBe(MAX_STORED_DELIVERIES);
		const staticBytes = Buffer.byteLength(JSON.stringify(staticData));
		const processedBytes = Buffer.byteLength(JSON.stringify({ mode: 'entries', data: processed }));
		// measured: 54,416 and 135,027 bytes (the README quotes these)
		expect(staticBytes).toBeGreaterThan(50_000);
		expect(staticBytes).toBeLessThan(60_000);
		expect(processed).toHaveLength(5000);
		expect(processedBytes).toBe(5000 * 27 - 1 + '{"mode":"entries","data":[]}'.length);
	});
});

describe('retentionMs', () => {
	it('is a day for the default tolerance, and longer than twice a large tolerance plus Muvi’s retries', () => {
		expect(retentionMs(900)).toBe(DAY);
		expect(retentionMs(86_400)).toBe((2 * 86_400 + 3600) * 1000);
		expect(retentionMs(86_400)).toBeGreaterThan(2 * 86_400 * 1000 + 6 * 60 * 1000);
	});
});
