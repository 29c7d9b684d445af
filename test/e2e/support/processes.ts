/**
 * More `n8n start` processes for the suite's n8n instance: restarting the one global-setup.ts started
 * (same user folder, same SQLite database, same port), and a second process on the same user folder
 * and database with a port of its own (two n8n processes sharing one database, as in a scaled setup).
 * Every process runs in its own process group and is stopped by its PID.
 */
import { spawn } from 'node:child_process';
import { openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

import { env, logFiles, n8nProcessEnv, sleep, tail } from './n8n';

const alive = (pid: number): boolean => {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
};

/** `count` distinct free ports on 127.0.0.1, below the ephemeral range (as scripts/lib/n8n-instance.sh picks them). */
export async function freePorts(count: number): Promise<number[]> {
	const ports: number[] = [];
	while (ports.length < count) {
		const port = 20000 + Math.floor(Math.random() * 12000);
		if (ports.includes(port)) continue;
		const free = await new Promise<boolean>((resolve) => {
			const server = createServer();
			server.once('error', () => resolve(false));
			server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
		});
		if (free) ports.push(port);
	}
	return ports;
}

export interface N8nProcess {
	pid: number;
	url: string;
	logFile: string;
}

/** Starts `n8n start` with the suite's environment plus `extraEnv`; resolves when /healthz/readiness answers. */
export async function startN8nProcess(opts: { port: number; logFile: string; extraEnv?: Record<string, string> }): Promise<N8nProcess> {
	const url = `http://127.0.0.1:${opts.port}`;
	const out = openSync(opts.logFile, 'a');
	const child = spawn(env.n8nBin, ['start'], {
		env: n8nProcessEnv({ ...(opts.extraEnv ?? {}), N8N_PORT: String(opts.port) }),
		detached: true,
		stdio: ['ignore', out, out],
	});
	child.unref();
	const pid = child.pid!;
	let exited: number | null | undefined;
	child.on('exit', (code) => (exited = code));
	const deadline = Date.now() + 180_000;
	for (;;) {
		if (exited !== undefined)
			throw new Error(`n8n start (port ${opts.port}) exited (${exited}) before it was ready. Its log:\n${tail(readFileSync(opts.logFile, 'utf8'), 60)}`);
		try {
			const res = await fetch(`${url}/healthz/readiness`);
			if (res.ok) return { pid, url, logFile: opts.logFile };
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) {
			await stopN8nProcess(pid);
			throw new Error(`n8n start (port ${opts.port}) was not ready after 180 s. Its log:\n${tail(readFileSync(opts.logFile, 'utf8'), 60)}`);
		}
		await sleep(250);
	}
}

/** SIGTERM to the process group (n8n and its task runner), SIGKILL after `graceMs`. */
export async function stopN8nProcess(pid: number, graceMs = 30_000): Promise<void> {
	if (!pid || !alive(pid)) return;
	try {
		process.kill(-pid, 'SIGTERM');
	} catch {
		process.kill(pid, 'SIGTERM');
	}
	const deadline = Date.now() + graceMs;
	while (alive(pid) && Date.now() < deadline) await sleep(200);
	try {
		process.kill(-pid, 'SIGKILL');
	} catch {
		// the group is gone
	}
	while (alive(pid)) await sleep(100);
}

/**
 * Stops the suite's `n8n start` and starts it again on the same port, user folder and database (as an
 * operator restarting n8n). Updates n8n-server.pid, which global-teardown.ts stops at the end.
 */
export async function restartMainN8n(): Promise<N8nProcess> {
	const pidFile = join(env.runDir, 'n8n-server.pid');
	await stopN8nProcess(Number(readFileSync(pidFile, 'utf8')));
	const port = Number(new URL(env.n8nUrl).port);
	// the old process has let go of the port once its group is gone; wait for the kernel too
	for (let i = 0; i < 100 && !(await isFree(port)); i++) await sleep(200);
	const started = await startN8nProcess({ port, logFile: logFiles.server });
	writeFileSync(pidFile, String(started.pid));
	return started;
}

async function isFree(port: number): Promise<boolean> {
	return await new Promise<boolean>((resolve) => {
		const server = createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}
