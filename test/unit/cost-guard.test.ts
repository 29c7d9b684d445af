/**
 * The Max Cost guard (engine/costGuard.ts): a local price is checked without asking Muvi; a model
 * without one (custom slug, motion transfer) is checked against Muvi's estimate; no estimate means
 * no job unless the user allowed unknown costs.
 */
import { findModel } from '../helpers/catalog';
import { findImageModel } from '../helpers/catalog';
import { estimateCostMicroCents } from '../../nodes/MuviVideo/models/cost';
import { checkCostLimit, limitInMicroCents, readEstimate, trustedLocalPrice } from '../../nodes/MuviVideo/engine/costGuard';
import type { AskMuviForEstimate, EstimateRequest } from '../../nodes/MuviVideo/engine/costGuard';

const SLUG = 'acme/new-model/text-to-video';

/** An estimate endpoint that records what it was asked and answers with `answer` (or throws it). */
function muvi(answer: unknown, fails = false): AskMuviForEstimate & { asked: EstimateRequest[] } {
	const asked: EstimateRequest[] = [];
	const ask = async (request: EstimateRequest) => {
		asked.push(request);
		if (fails) throw answer;
		return answer;
	};
	return Object.assign(ask, { asked });
}

describe('Max Cost guard', () => {
	test('a local price under the limit passes without asking Muvi', async () => {
		const ask = muvi({ estimatedCostMicroCents: 9_999_999 });
		const verdict = await checkCostLimit({ model: SLUG, input: {}, localMicroCents: 420_000, maxCostUsd: 1 }, ask);
		expect(verdict).toEqual({ allowed: true, microCents: 420_000, source: 'local', limitMicroCents: 1_000_000 });
		expect(ask.asked).toEqual([]);
	});

	test('a local price over the limit is refused, naming both amounts', async () => {
		const verdict = await checkCostLimit({ model: SLUG, input: {}, localMicroCents: 2_400_000, maxCostUsd: '1.00' }, muvi({}));
		expect(verdict).toMatchObject({ allowed: false, reason: 'overLimit', microCents: 2_400_000, source: 'local' });
		expect(verdict.allowed === false && verdict.message).toBe(
			'The estimated cost $2.40 (2,400,000 micro-cents) is above Max Cost $1.00',
		);
	});

	test('the issue\'s case: a custom slug Muvi prices at $2.40 is refused under a $1.00 limit', async () => {
		const ask = muvi({ estimatedCostMicroCents: 2_400_000, baseCostMicroCents: 2_400_000, breakdown: [] });
		const verdict = await checkCostLimit({ model: SLUG, input: { prompt: 'p', duration: '8' }, version: 'v1.0', maxCostUsd: 1 }, ask);
		expect(verdict).toMatchObject({ allowed: false, reason: 'overLimit', microCents: 2_400_000, source: 'muvi', limitMicroCents: 1_000_000 });
		expect(verdict.allowed === false && verdict.message).toMatch(/^Muvi's estimate for acme\/new-model\/text-to-video, \$2\.40/);
		expect(ask.asked).toEqual([{ model: SLUG, version: 'v1.0', input: { prompt: 'p', duration: '8' } }]);
	});

	test.each([
		['flat reference answer', { estimatedCostMicroCents: 400_000, baseCostMicroCents: 500_000 }],
		['wrapped pricing-page answer', { success: true, data: { estimatedCost: 400_000, baseCost: 500_000, currency: 'micro-cents' } }],
		['wrapped reference answer', { success: true, data: { estimatedCostMicroCents: 400_000 } }],
	])('Muvi\'s estimate under the limit passes (%s)', async (_, answer) => {
		const verdict = await checkCostLimit({ model: SLUG, input: {}, maxCostUsd: 0.5 }, muvi(answer));
		expect(verdict).toEqual({ allowed: true, microCents: 400_000, source: 'muvi', limitMicroCents: 500_000 });
	});

	test('an estimate equal to the limit passes; one micro-cent more does not', async () => {
		expect((await checkCostLimit({ model: SLUG, input: {}, maxCostUsd: 0.4 }, muvi({ estimatedCostMicroCents: 400_000 }))).allowed).toBe(true);
		expect((await checkCostLimit({ model: SLUG, input: {}, maxCostUsd: 0.4 }, muvi({ estimatedCostMicroCents: 400_001 }))).allowed).toBe(false);
	});

	test.each([
		['Muvi fails', muvi(new Error('503 Service Unavailable'), true), /Muvi's estimate failed \(503 Service Unavailable\)/],
		['the answer has no price', muvi({ breakdown: [] }), /its answer had no estimated cost/],
		['the price is not a number', muvi({ estimatedCostMicroCents: 'lots' }), /its answer had no estimated cost/],
		['the answer is not an object', muvi('<html>'), /its answer had no estimated cost/],
	])('no estimate (%s): refused, nothing to submit', async (_, ask, message) => {
		const verdict = await checkCostLimit({ model: SLUG, input: {}, maxCostUsd: 1 }, ask);
		expect(verdict).toMatchObject({ allowed: false, reason: 'noEstimate', microCents: null, source: 'unknown' });
		expect(verdict.allowed === false && verdict.message).toMatch(message);
		expect(verdict.allowed === false && verdict.hint).toMatch(/Allow Unknown Cost/);
		expect(ask.asked).toHaveLength(1);
	});

	test('no estimate but unknown costs allowed: passes with no price', async () => {
		const verdict = await checkCostLimit({ model: SLUG, input: {}, maxCostUsd: 1, allowUnknownCost: true }, muvi(new Error('timeout'), true));
		expect(verdict).toEqual({ allowed: true, microCents: null, source: 'unknown', limitMicroCents: 1_000_000 });
	});

	test('allowing unknown costs never lets a known price over the limit through', async () => {
		const verdict = await checkCostLimit({ model: SLUG, input: {}, maxCostUsd: 1, allowUnknownCost: true }, muvi({ estimatedCostMicroCents: 1_500_000 }));
		expect(verdict).toMatchObject({ allowed: false, reason: 'overLimit' });
	});

	test('no limit: Muvi is not asked', async () => {
		for (const maxCostUsd of [undefined, '', -1, '  ']) {
			const ask = muvi({ estimatedCostMicroCents: 1 });
			expect(await checkCostLimit({ model: SLUG, input: {}, maxCostUsd }, ask)).toEqual({
				allowed: true,
				microCents: null,
				source: 'unknown',
				limitMicroCents: null,
			});
			expect(ask.asked).toEqual([]);
		}
	});

	test('a limit that is not a number is refused before anything is asked', async () => {
		const ask = muvi({ estimatedCostMicroCents: 1 });
		const verdict = await checkCostLimit({ model: SLUG, input: {}, maxCostUsd: 'one dollar' }, ask);
		expect(verdict).toMatchObject({ allowed: false, reason: 'badLimit' });
		expect(verdict.allowed === false && verdict.message).toBe('Max Cost must be a number of US dollars, not "one dollar"');
		expect(ask.asked).toEqual([]);
	});

	test('a limit of 0 refuses anything that costs', async () => {
		expect(await checkCostLimit({ model: SLUG, input: {}, maxCostUsd: 0 }, muvi({ estimatedCostMicroCents: 1 }))).toMatchObject({
			allowed: false,
			reason: 'overLimit',
		});
	});
});

describe('helpers', () => {
	test('trustedLocalPrice: catalog formulas yes; custom slugs and motion transfer (priced by the reference video) no', () => {
		const kling = findModel('kling/kling-3.0-standard/image-to-video')!;
		expect(trustedLocalPrice(kling, estimateCostMicroCents(kling, { duration: '10' }))).toBe(840_000);
		const wan = findImageModel('alibaba-plus/wan-2.7/text-to-image')!;
		expect(trustedLocalPrice(wan, estimateCostMicroCents(wan, { num_images: '2' }))).toBe(60_000);
		expect(trustedLocalPrice(undefined, undefined)).toBeUndefined();
		const transfer = findModel('kling/kling-motion-create-v3/motion-transfer-to-video');
		expect(transfer).toBeDefined();
		expect(trustedLocalPrice(transfer, estimateCostMicroCents(transfer!, { quality: 'pro' }))).toBeUndefined();
	});

	test('motion transfer under a limit asks Muvi, whose price follows the real video', async () => {
		const transfer = findModel('kling/kling-motion-create-v3/motion-transfer-to-video')!;
		const ask = muvi({ estimatedCostMicroCents: 1_400_000 });
		const input = { image_url: 'https://e.com/a.png', motion_video_url: 'https://e.com/20s.mp4' };
		const verdict = await checkCostLimit({ model: transfer.slug, input, localMicroCents: trustedLocalPrice(transfer, estimateCostMicroCents(transfer, input)), maxCostUsd: 1 }, ask);
		expect(verdict).toMatchObject({ allowed: false, reason: 'overLimit', microCents: 1_400_000, source: 'muvi' });
		expect(ask.asked).toEqual([{ model: transfer.slug, input }]);
	});

	test('limitInMicroCents reads numbers and sheet text exactly', () => {
		expect(limitInMicroCents(1)).toBe(1_000_000);
		expect(limitInMicroCents('2.40')).toBe(2_400_000);
		expect(limitInMicroCents('$0.05')).toBe(50_000);
		expect(limitInMicroCents(0.1 + 0.2)).toBe(300_000);
		expect(limitInMicroCents(undefined)).toBeNull();
		expect(limitInMicroCents(-1)).toBeNull();
		expect(limitInMicroCents('abc')).toBeNaN();
	});

	test('readEstimate prefers estimatedCostMicroCents, accepts both shapes, rejects negatives', () => {
		expect(readEstimate({ estimatedCostMicroCents: 5, estimatedCost: 9 })).toBe(5);
		expect(readEstimate({ data: { estimatedCost: '120000' } })).toBe(120_000);
		expect(readEstimate({ estimatedCostMicroCents: -5 })).toBeNull();
		expect(readEstimate(null)).toBeNull();
		expect(readEstimate([])).toBeNull();
	});
});
