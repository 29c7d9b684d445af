// Helpers of scripts/demo.sh (plain Node.js, no dependencies).
//
//   node scripts/lib/demo.mjs owner                       create the n8n owner account if there is none
//   node scripts/lib/demo.mjs summary <cli-output> <node>  what an `n8n execute` run produced, in a few lines
//   node scripts/lib/demo.mjs webhook                     have the Muvi simulator finish a job and call the
//                                                          Muvi Video Trigger workflow with a signed webhook
//
// Settings come from the environment demo.sh sets, or from the demo.json it writes (so `webhook` can
// be run by hand in another terminal while the demo runs).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { homedir } from 'node:os';

const here = new URL('.', import.meta.url).pathname;
const repo = join(here, '..', '..');
const cacheDir = process.env.MUVI_CACHE_DIR || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'n8n-nodes-muvi');

function demoState() {
	try {
		return JSON.parse(readFileSync(join(cacheDir, 'demo', 'demo.json'), 'utf8'));
	} catch {
		console.error(`No running demo found (${join(cacheDir, 'demo', 'demo.json')}). Start it with: npm run demo`);
		process.exit(1);
	}
}

const usd = (microCents) => `$${(microCents / 1_000_000).toFixed(2)}`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function owner() {
	const { n8nUrl, email, password } = demoState();
	const res = await fetch(`${n8nUrl}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ email, firstName: 'Muvi', lastName: 'Demo', password }),
	});
	if (res.ok) return console.log('created');
	const text = await res.text();
	// n8n refuses a second owner setup: the account from an earlier run is still there.
	if (res.status === 400 && /already|setup/i.test(text)) return console.log('exists');
	console.error(`POST /rest/owner/setup answered HTTP ${res.status}: ${text.slice(0, 300)}`);
	process.exit(1);
}

/** The IRun JSON `n8n execute --rawOutput` prints after its log lines. */
function runFromCliOutput(text) {
	const lines = text.split('\n');
	const start = lines.indexOf('{');
	const end = lines.lastIndexOf('}');
	if (start < 0 || end < start) return undefined;
	try {
		return JSON.parse(lines.slice(start, end + 1).join('\n'));
	} catch {
		return undefined;
	}
}

function summary(file, nodeName) {
	const run = runFromCliOutput(readFileSync(file, 'utf8'));
	if (!run) {
		console.log('  (could not read the result; see the output above)');
		process.exit(1);
	}
	const error = run.data?.resultData?.error;
	if (run.status !== 'success' || error) {
		console.log(`  The run failed: ${error?.message ?? run.status}`);
		if (error?.description) console.log(`  ${error.description}`);
		process.exit(1);
	}
	const item = run.data.resultData.runData[nodeName]?.[0]?.data?.main?.[0]?.[0];
	if (!item) {
		console.log(`  (node "${nodeName}" produced no item)`);
		process.exit(1);
	}
	const j = item.json;
	const seconds = ((Date.parse(run.stoppedAt) - Date.parse(run.startedAt)) / 1000).toFixed(1);
	console.log(`  job ${j.jobId}: ${j.status} in ${seconds} s (submit, wait, download)`);
	console.log(`  model ${j.model}`);
	console.log(`  cost ${usd(j.costMicroCents)} (${j.costMicroCents.toLocaleString('en-US')} micro-cents; estimated beforehand ${usd(j.estimatedCostMicroCents)})`);
	console.log(`  video ${j.videoUrl}`);
	const binary = item.binary?.data;
	if (binary) console.log(`  file  ${binary.fileName} (${binary.mimeType}, ${binary.fileSize}) in the item's binary data`);
}

async function webhook() {
	const s = demoState();
	if (!s.simulatorUrl) {
		console.error('The demo runs against the real Muvi API: Muvi can only call public https URLs, so there is nothing to send locally.');
		process.exit(1);
	}
	const submit = await fetch(`${s.simulatorUrl}/v1/jobs/submit`, {
		method: 'POST',
		headers: { authorization: `Bearer ${s.simulatorApiKey}`, 'content-type': 'application/json' },
		body: JSON.stringify({
			model: 'kling/kling-3.0-standard/image-to-video',
			input: {
				prompt: 'A paper boat drifts across a puddle after the rain',
				image_url: 'https://interactive-examples.mdn.mozilla.net/media/cc0-images/grapefruit-slice-332-332.jpg',
				duration: '5',
			},
			webhookUrl: s.webhookUrl,
		}),
	});
	const body = await submit.json();
	const job = body.data && typeof body.data === 'object' ? body.data : body;
	if (!submit.ok) {
		console.error(`The simulator refused the job: HTTP ${submit.status} ${JSON.stringify(body)}`);
		process.exit(1);
	}
	console.log(`  submitted ${job.jobId} to the simulator with webhookUrl ${s.webhookUrl}`);
	const deadline = Date.now() + 120_000;
	for (;;) {
		const deliveries = await (await fetch(`${s.simulatorUrl}/__fake/webhooks`)).json();
		const d = deliveries.find((x) => x.jobId === job.jobId && x.attempts.length > 0 && x.status !== 'pending');
		if (d) {
			const status = d.attempts[0].responseStatus;
			console.log(`  the simulator signed and sent the "${d.event}" webhook; n8n answered HTTP ${status ?? d.attempts[0].error}`);
			if (status !== 200) process.exit(1);
			console.log(`  → a new execution of "Muvi: when a video is finished (webhook)" (Executions tab in the editor)`);
			return;
		}
		if (Date.now() > deadline) {
			console.error('  no webhook was sent within 2 minutes');
			process.exit(1);
		}
		await sleep(500);
	}
}

const [command, ...args] = process.argv.slice(2);
if (command === 'owner') await owner();
else if (command === 'summary') summary(args[0], args[1]);
else if (command === 'webhook') await webhook();
else {
	console.error('usage: node scripts/lib/demo.mjs owner | summary <file> <node> | webhook');
	process.exit(2);
}
