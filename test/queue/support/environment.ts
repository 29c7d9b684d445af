/**
 * The queue-mode tests' environment: when a test fails, prints what every process logged meanwhile
 * (main, workers, webhook processes, the n8n CLI, the fake Muvi API), so a CI failure explains itself.
 */
import { join } from 'node:path';

import type { Circus } from '@jest/types';
import { TestEnvironment } from 'jest-environment-node';

import { fileSize as size, readFrom } from '../../e2e/support/log-files';

const LOGS = ['main', 'worker1', 'worker2', 'webhook1', 'webhook2', 'n8n-cli', 'fake-muvi'];
const MAX_LINES = 80;


export default class QueueEnvironment extends TestEnvironment {
	private offsets = new Map<string, number>();

	private files(): string[] {
		const dir = process.env.MUVI_QUEUE_RUN_DIR;
		return dir ? LOGS.map((name) => join(dir, `${name}.log`)) : [];
	}

	async handleTestEvent(event: Circus.Event): Promise<void> {
		if (event.name === 'test_start') for (const file of this.files()) this.offsets.set(file, size(file));
		if (event.name === 'test_done' && event.test.errors.length > 0) {
			let report = `\n########## "${event.test.name}" failed; logged meanwhile (${process.env.MUVI_QUEUE_RUN_DIR}):\n`;
			for (const file of this.files()) {
				const lines = readFrom(file, this.offsets.get(file) ?? 0).trimEnd().split('\n').filter(Boolean);
				report += `\n---------- ${file}${lines.length > MAX_LINES ? ` (last ${MAX_LINES} of ${lines.length} lines)` : ''} ----------\n`;
				report += `${lines.slice(-MAX_LINES).join('\n')}\n`;
			}
			process.stderr.write(report + '##########\n');
		}
	}
}
