/**
 * A webhook storm on the Muvi Video Trigger, served like an n8n production webhook (test/trigger/
 * harness.ts: real HTTP, n8n-core's WebhookContext and WorkflowExecute): 1,000 deliveries sent at
 * once, of which 10 % repeat an earlier one (half byte for byte, half re-signed later, as Muvi's
 * retries do) and 5 % are forged. Exactly one execution per valid job and status; every forgery 401.
 */
import { muviSignature, startTriggerHarness, unixNow, type TriggerHarness, type WebhookAnswer } from '../trigger/harness';
import { CANARY_KEY, canarySightings, installLogCapture, textOf } from './support';

const SECRET = 'whsec_storm_canary_5b1e';
const TOTAL = 1000;
const DUPLICATES = 100;
const FORGED = 50;
const VALID = TOTAL - DUPLICATES - FORGED;

/** Deterministic shuffling and picking (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
	let a = seed;
	return () => {
		a = (a + 0x6d2b79f5) | 0;
		let t = Math.imul(a ^ (a >>> 15), 1 | a);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

interface Delivery {
	kind: 'valid' | 'duplicate' | 'forged';
	jobId: string;
	body: string;
	headers: Record<string, string>;
}

function payload(jobId: string, status: 'completed' | 'failed'): string {
	return JSON.stringify(
		status === 'completed'
			? { jobId, requestId: `req_${jobId}`, status, output: { url: `https://cdn.muvi.video/outputs/${jobId}/output_0.mp4` }, completedAt: new Date().toISOString() }
			: { jobId, requestId: `req_${jobId}`, status, error: { code: 'GENERATION_FAILED', message: 'refunded' }, completedAt: new Date().toISOString() },
	);
}

function signed(body: string, timestamp: number, secret = SECRET): Record<string, string> {
	return { 'x-pixelbyte-timestamp': String(timestamp), 'x-pixelbyte-signature': muviSignature(secret, String(timestamp), body) };
}

function storm(rand: () => number): Delivery[] {
	const now = unixNow();
	const valid: Delivery[] = Array.from({ length: VALID }, (_, i) => {
		const jobId = `job_storm_${String(i).padStart(4, '0')}`;
		const body = payload(jobId, i % 5 === 0 ? 'failed' : 'completed');
		return { kind: 'valid', jobId, body, headers: signed(body, now - Math.floor(rand() * 60)) };
	});
	const duplicates: Delivery[] = Array.from({ length: DUPLICATES }, (_, i) => {
		const original = valid[Math.floor(rand() * VALID)];
		// half are the same bytes again (a replayed request), half Muvi's retry: same body, new timestamp and signature
		const headers = i % 2 === 0 ? original.headers : signed(original.body, now + 1 + (i % 7));
		return { kind: 'duplicate', jobId: original.jobId, body: original.body, headers };
	});
	const forged: Delivery[] = Array.from({ length: FORGED }, (_, i) => {
		const jobId = `job_forged_${i}`;
		const body = payload(jobId, 'completed');
		if (i < 20) return { kind: 'forged', jobId, body, headers: signed(body, now, 'whsec_guessed_by_attacker') };
		if (i < 35) {
			// a genuine signature of another delivery, on a tampered body
			const genuine = valid[Math.floor(rand() * VALID)];
			return { kind: 'forged', jobId, body, headers: genuine.headers };
		}
		if (i < 45) return { kind: 'forged', jobId, body, headers: signed(body, now - 1200) }; // replay outside the 15-minute window
		return { kind: 'forged', jobId, body, headers: { 'x-pixelbyte-timestamp': String(now) } }; // no signature
	});
	const all = [...valid, ...duplicates, ...forged];
	for (let i = all.length - 1; i > 0; i--) {
		const j = Math.floor(rand() * (i + 1));
		[all[i], all[j]] = [all[j], all[i]];
	}
	return all;
}

let harness: TriggerHarness;
beforeAll(async () => {
	installLogCapture();
	harness = await startTriggerHarness({
		credentials: { apiKey: CANARY_KEY, baseUrl: 'http://127.0.0.1:9', webhookSecret: SECRET },
		// the storm is about the webhook path; fetching each job would only add API calls
		parameters: { options: { fetchJob: false } },
	});
});
afterAll(async () => harness.close());

test(`${TOTAL} concurrent deliveries, ${DUPLICATES} repeated, ${FORGED} forged: exactly ${VALID} executions, every forgery refused`, async () => {
	const deliveries = storm(random(20260101));
	expect(deliveries).toHaveLength(TOTAL);
	const started = Date.now();
	const answers: WebhookAnswer[] = await Promise.all(deliveries.map((d) => harness.post(d.body, d.headers)));
	await harness.settle();
	const elapsed = Date.now() - started;

	// what the senders got
	const by = (kind: Delivery['kind']) => answers.filter((_, i) => deliveries[i].kind === kind);
	expect(by('forged').map((a) => a.status)).toEqual(Array(FORGED).fill(401));
	expect([...by('valid'), ...by('duplicate')].every((a) => a.status === 200)).toBe(true);
	// a duplicate is acknowledged with { received: true, duplicate: true }; a new delivery starts the workflow
	const isDuplicate = (a: WebhookAnswer) => (a.json as { duplicate?: boolean } | undefined)?.duplicate === true;
	const started200 = answers.filter((a) => a.status === 200 && !isDuplicate(a));
	const duplicate200 = answers.filter((a) => a.status === 200 && isDuplicate(a));
	expect(started200).toHaveLength(VALID);
	expect(duplicate200).toHaveLength(DUPLICATES);
	expect(harness.webhookCalls).toBe(TOTAL);

	// what the workflow got: one execution per valid job and status, nothing forged, nothing twice
	expect(harness.executions).toHaveLength(VALID);
	expect(harness.executions.filter((e) => e.error)).toEqual([]);
	const jobIds = harness.executions.flatMap((e) => e.items.map((item) => String(item.json.jobId)));
	expect(jobIds).toHaveLength(VALID);
	expect(new Set(jobIds).size).toBe(VALID);
	const validIds = new Set(deliveries.filter((d) => d.kind === 'valid').map((d) => d.jobId));
	expect(jobIds.filter((id) => !validIds.has(id))).toEqual([]);
	expect(harness.executions.every((e) => e.items[0].json.signatureVerified === true)).toBe(true);

	// neither the API key nor the signing secret reaches an item, an answer or a log line
	const seen = textOf(harness.executions.map((e) => e.items)) + textOf(answers);
	expect(seen).not.toContain(CANARY_KEY);
	expect(seen).not.toContain(SECRET);
	expect(canarySightings()).toEqual([]);
	expect(elapsed).toBeLessThan(25_000);
}, 30_000);
