/** Reads what log files gained since a test started, for the test environments' failure reports. */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';

export function fileSize(file: string): number {
	return existsSync(file) ? statSync(file).size : 0;
}

export function readFrom(file: string, offset: number): string {
	const length = fileSize(file) - offset;
	if (length <= 0) return '';
	const buffer = Buffer.alloc(length);
	const fd = openSync(file, 'r');
	try {
		readSync(fd, buffer, 0, length, offset);
	} finally {
		closeSync(fd);
	}
	return buffer.toString('utf8');
}
