/**
 * The e2e tests' environment: when a test fails, prints what n8n (server and CLI) and the fake Muvi
 * API logged while it ran, so a CI failure explains itself.
 */
import { join } from 'node:path';

import type { Circus } from '@jest/types';
import { TestEnvironment } from 'jest-environment-node';

import { fileSize as size, readFrom } from './log-files';

const LOGS: Array<[label: string, file: string]> = [
	['n8n server log', 'n8n-server.log'],
	['n8n CLI output', 'n8n-cli.log'],
	['fake Muvi API log', 'fake-muvi.log'],
];
const MAX_LINES = 150;
const QUIET_LINES = 40;


export default class E2eEnvironment extends TestEnvironment {
	private offsets = new Map<string, number>();

	private files(): Array<[string, string]> {
		const dir = process.env.MUVI_E2E_RUN_DIR;
		return dir ? LOGS.map(([label, name]) => [label, join(dir, name)]) : [];
	}

	async handleTestEvent(event: Circus.Event): Promise<void> {
		if (event.name === 'test_start' || event.name === 'run_start') {
			for (const [, file] of this.files()) this.offsets.set(file, size(file));
		}
		if (event.name === 'test_done' && event.test.errors.length > 0) {
			const title: string[] = [];
			for (let block: Circus.DescribeBlock | undefined = event.test.parent; block && block.name !== 'ROOT_DESCRIBE_BLOCK'; block = block.parent)
				title.unshift(block.name);
			title.push(event.test.name);
			let report = `\n########## "${title.join(' › ')}" failed; logged meanwhile (${process.env.MUVI_E2E_RUN_DIR}):\n`;
			for (const [label, file] of this.files()) {
				const text = readFrom(file, this.offsets.get(file) ?? 0).trimEnd();
				let lines = text ? text.split('\n') : [];
				let heading = `${label}${lines.length > MAX_LINES ? ` (last ${MAX_LINES} of ${lines.length} lines)` : ''}`;
				if (!lines.length) {
					// nothing new during the test: the cause may be older (e.g. at start-up), so show the end
					lines = readFrom(file, 0).trimEnd().split('\n').filter(Boolean).slice(-QUIET_LINES);
					heading = `${label}: nothing during the test; its last ${lines.length} lines`;
				}
				report += `\n---------- ${heading} ----------\n${lines.slice(-MAX_LINES).join('\n')}\n`;
			}
			process.stderr.write(report + '##########\n');
		}
	}
}
