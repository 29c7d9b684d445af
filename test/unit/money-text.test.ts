/**
 * Every amount of money the node writes as text is the amount it computed, to the micro-cent: the
 * dropdown's names and descriptions, Estimate Cost's formula, the Estimated Cost line and the Max Cost
 * refusal, for every video and image model. A rounded amount ("$0.13" for 134,000 micro-cents) fails here.
 */
import type { INodePropertyOptions } from 'n8n-workflow';

import { formatUsd } from '../../nodes/muviClient/money';
import { MuviVideo } from '../../nodes/MuviVideo/MuviVideo.node';
import { estimateForParameters, estimateOption } from '../../nodes/MuviVideo/descriptions/estimatedCost';
import { describePrice, priceFormulaLabel, priceLabel } from '../../nodes/MuviVideo/descriptions/priceText';
import { checkCostLimit } from '../../nodes/MuviVideo/engine/costGuard';
import { catalogModels, type PriceFormula } from '../../nodes/MuviVideo/models';
import { estimateCostMicroCents } from '../../nodes/MuviVideo/models/cost';

/** Every "$…" amount in a text, in micro-cents. */
const amounts = (text: string) => [...text.matchAll(/\$(\d+\.\d+)/g)].map((m) => Math.round(Number(m[1]) * 1_000_000));
/** Every "<n> micro-cents … ($x)" pair in a text, as [n, x in micro-cents]. */
const pairs = (text: string) =>
	[...text.matchAll(/([\d,]+) micro-cents(?:\/s)? \(\$(\d+\.\d+)/g)].map((m) => [Number(m[1].replace(/,/g, '')), Math.round(Number(m[2]) * 1_000_000)]);

const unitPrice = (price: PriceFormula) =>
	price.kind === 'perSecond' ? price.microCentsPerSecond : price.kind === 'perImage' ? price.microCentsPerImage : price.microCents;

const dropdownOptions = new MuviVideo().description.properties
	.filter((p) => p.name === 'model')
	.flatMap((p) => p.options as INodePropertyOptions[]);

describe('formatUsd', () => {
	test.each([
		[420_000, '$0.42'],
		[84_000, '$0.084'],
		[134_000, '$0.134'],
		[241_200, '$0.2412'],
		[280_005, '$0.280005'],
		[2_400_000, '$2.40'],
		[1, '$0.000001'],
		[0, '$0.00'],
	])('%d micro-cents read %s', (microCents, text) => {
		expect(formatUsd(microCents)).toBe(text);
	});

	test('two different amounts never read the same, and every text reads back as its amount', () => {
		const seen = new Map<string, number>();
		for (let microCents = 0; microCents <= 3_000_000; microCents += 997) {
			const text = formatUsd(microCents);
			expect(seen.get(text) ?? microCents).toBe(microCents);
			seen.set(text, microCents);
			expect(amounts(text)).toEqual([microCents]);
		}
	});
});

describe.each(catalogModels.map((m) => [m.slug, m] as const))('%s', (slug, model) => {
	test("the dropdown's name and description state the base price exactly", () => {
		const option = dropdownOptions.find((o) => o.value === slug)!;
		expect(amounts(option.name)).toEqual([unitPrice(model.price)]);
		expect(amounts(priceLabel(model.price))).toEqual([unitPrice(model.price)]);
		expect(amounts(priceFormulaLabel(model.price))[0]).toBe(unitPrice(model.price));
		expect(option.description).toContain(priceFormulaLabel(model.price));
	});

	test("Estimate Cost's formula gives the same micro-cents in figures and in dollars", () => {
		const found = pairs(describePrice(model.price));
		expect(found.length).toBeGreaterThan(0);
		for (const [microCents, dollars] of found) expect(dollars).toBe(microCents);
		expect(found[0][0]).toBe(unitPrice(model.price));
	});

	test('the Estimated Cost line states the estimate exactly', () => {
		const estimate = estimateForParameters(slug, {});
		expect(estimate.kind).toBe('known');
		expect(amounts(estimateOption(estimate).name)[0]).toBe(estimateCostMicroCents(model, {}));
	});

	test('a Max Cost one micro-cent below the estimate is refused with two different amounts', async () => {
		const microCents = estimateCostMicroCents(model, {});
		const limitUsd = (microCents - 1) / 1_000_000;
		const verdict = await checkCostLimit({ model: slug, input: {}, localMicroCents: microCents, maxCostUsd: limitUsd }, async () => ({}));
		expect(verdict.allowed).toBe(false);
		const message = verdict.allowed ? '' : verdict.message;
		expect(amounts(message)).toEqual([microCents, microCents - 1]);
		// "$0.2412 (241,200 micro-cents)": the dollars and the figure are the same amount
		const stated = [...message.matchAll(/\$(\d+\.\d+) \(([\d,]+) micro-cents\)/g)].map((m) => [Math.round(Number(m[1]) * 1_000_000), Number(m[2].replace(/,/g, ''))]);
		expect(stated).toEqual([[microCents, microCents]]);
	});
});
