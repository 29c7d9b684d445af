/**
 * Muvi simulator: runs the fake Muvi API (test/fake-muvi/server.ts) as a standalone process, for the
 * e2e suite and the local demo. No real videos are generated and nothing is charged.
 *
 *   node test/fake-muvi/cli.ts --port 4010 --api-key KEY [--webhook-secret S] [--job-ms 4000]
 *        [--envelope flat|wrapped|docs] [--host 127.0.0.1] [--cdn-port 0] [--url-file path]
 *        [--options '{"maxConcurrentJobs":2}'] [--strict-models] [--https-webhooks-only]
 *
 * Runs directly on Node 24 (type stripping): only erasable TypeScript syntax here.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
// @ts-ignore TS5097: Node's type stripping needs the .ts extension.
import { startFakeMuvi } from './server.ts';
import type { Envelope, FakeMuviOptions, LogEntry } from './server';

const HELP = `Muvi simulator (fake Muvi API, no real videos, no charges)

Usage: node test/fake-muvi/cli.ts [flags]

  --port N               API port (default 4010; 0 = any free port)
  --cdn-port N           CDN port for outputs and uploads (default 0 = any free port)
  --host H               interface to bind (default 127.0.0.1)
  --api-key KEY          the API key clients must send (default: the fake's test key pb_test_fake_muvi_key)
  --webhook-secret S     secret for X-PixelByte-Signature (default whsec_fake_muvi_secret)
  --job-ms N             time from submit to completion (default 4000)
  --envelope E           docs (default) | flat | wrapped
  --url-file PATH        write {url, cdnUrl, controlUrl, pid} as JSON once listening
  --options JSON         any other FakeMuviOptions as a JSON object
  --strict-models        only the fake's known models (default: any provider/model/capability slug)
  --https-webhooks-only  reject http:// webhook URLs (default: http://127.0.0.1 is allowed)
  --quiet                no per-request log lines
  --help                 this text
`;

function fail(message: string): never {
	process.stderr.write(`muvi-simulator: ${message}\n\n${HELP}`);
	process.exit(2);
}

function int(name: string, text: string | undefined): number | undefined {
	if (text === undefined) return undefined;
	if (!/^\d+$/.test(text)) fail(`--${name} must be a non-negative integer`);
	return Number(text);
}

async function main(): Promise<void> {
	let parsed;
	try {
		parsed = parseArgs({
			options: {
				port: { type: 'string' },
				'cdn-port': { type: 'string' },
				host: { type: 'string' },
				'api-key': { type: 'string' },
				'webhook-secret': { type: 'string' },
				'job-ms': { type: 'string' },
				envelope: { type: 'string' },
				'url-file': { type: 'string' },
				options: { type: 'string' },
				'strict-models': { type: 'boolean' },
				'https-webhooks-only': { type: 'boolean' },
				quiet: { type: 'boolean' },
				help: { type: 'boolean' },
			},
			strict: true,
		});
	} catch (e) {
		fail(e instanceof Error ? e.message : String(e));
	}
	const v = parsed.values;
	if (v.help) {
		process.stdout.write(HELP);
		return;
	}
	let extra: FakeMuviOptions = {};
	if (v.options !== undefined) {
		try {
			extra = JSON.parse(v.options) as FakeMuviOptions;
		} catch {
			fail('--options must be a JSON object');
		}
	}
	const envelope = v.envelope;
	if (envelope !== undefined && !['docs', 'flat', 'wrapped'].includes(envelope)) fail('--envelope must be docs, flat or wrapped');

	const log = (entry: LogEntry) => {
		// Method, path and status only: never headers, so never the Authorization header or the key.
		const status = entry.status === null ? 'no-response' : String(entry.status);
		const fault = entry.fault ? ` [fault: ${entry.fault}]` : '';
		process.stdout.write(`${new Date().toISOString()} ${entry.listener.padEnd(7)} ${entry.method.padEnd(6)} ${entry.path} -> ${status} (${entry.durationMs} ms)${fault}\n`);
	};

	const options: FakeMuviOptions = {
		jobDurationMs: 4000,
		// A fresh id seed per run, so a restarted simulator never hands out a job id seen before.
		idSeed: `cli-${process.pid}-${Date.now()}`,
		acceptAnyModel: !v['strict-models'],
		allowHttpWebhooks: !v['https-webhooks-only'],
		...extra,
		port: int('port', v.port) ?? extra.port ?? 4010,
		cdnPort: int('cdn-port', v['cdn-port']) ?? extra.cdnPort ?? 0,
		host: v.host ?? extra.host ?? '127.0.0.1',
		...(v['api-key'] !== undefined ? { apiKey: v['api-key'] } : {}),
		...(v['webhook-secret'] !== undefined ? { webhookSecret: v['webhook-secret'] } : {}),
		...(v['job-ms'] !== undefined ? { jobDurationMs: int('job-ms', v['job-ms']) } : {}),
		...(envelope !== undefined ? { envelope: envelope as Envelope } : {}),
		onLog: v.quiet ? undefined : log,
	};

	let fake;
	try {
		fake = await startFakeMuvi(options);
	} catch (e) {
		process.stderr.write(`muvi-simulator: could not start: ${e instanceof Error ? e.message : String(e)}\n`);
		process.exit(1);
	}
	// Before the banner: whoever waits for it may signal at once (a signal with no handler kills the process).
	const started = fake;
	let stopping = false;
	const stop = (signal: string) => {
		if (stopping) return;
		stopping = true;
		process.stdout.write(`Muvi simulator: ${signal} received, shutting down\n`);
		// Safety net only: close() normally lets the process end on its own.
		setTimeout(() => process.exit(0), 3000).unref();
		started.close().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.on('SIGINT', () => stop('SIGINT'));
	process.on('SIGTERM', () => stop('SIGTERM'));
	const o = fake.options;
	process.stdout.write(
		[
			`Muvi simulator (fake Muvi API, no real videos, no charges) listening on ${fake.url}`,
			`  API base URL : ${fake.url}   (use it as the credential's base URL; paths start with /v1)`,
			`  CDN origin   : ${fake.cdnUrl}`,
			`  Control URL  : ${fake.controlUrl}`,
			`  API key      : ${v['api-key'] !== undefined ? 'as given with --api-key (not printed)' : 'the default test key pb_test_fake_muvi_key'}`,
			`  Settings     : envelope=${o.envelope} jobMs=${o.jobDurationMs} acceptAnyModel=${o.acceptAnyModel} httpWebhooks=${o.allowHttpWebhooks}`,
			'',
		].join('\n'),
	);
	if (v['url-file']) {
		writeFileSync(v['url-file'], JSON.stringify({ url: fake.url, cdnUrl: fake.cdnUrl, controlUrl: fake.controlUrl, pid: process.pid }) + '\n');
	}
}

main().catch((e: unknown) => {
	process.stderr.write(`muvi-simulator: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
	process.exit(1);
});
