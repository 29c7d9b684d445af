/**
 * The price of every model, written down from muvi-api.md §5/§6 (the "formula / default" column and
 * the pages' worked examples), NOT from the catalog: a wrong factor in the catalog fails here.
 * Inputs are what the API receives (`input.<api_name>`, strings where the API wants strings).
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { paramName, videoModels } from '../../nodes/MuviVideo/models';
import { findModel } from '../helpers/catalog';
import { MuviVideo } from '../../nodes/MuviVideo/MuviVideo.node';
import { describePrice } from '../../nodes/MuviVideo/descriptions/priceText';
import { estimateCostMicroCents } from '../../nodes/MuviVideo/models/cost';
import { prepareModelInput } from '../../nodes/MuviVideo/engine/validation';

type Case = [input: IDataObject, microCents: number];
interface Expected {
	/** the documented cost with default inputs */
	default: number;
	/** other documented (or directly derived) combinations */
	cases?: Case[];
}

const same = (n: number, slugs: string[], cases?: Case[]): Record<string, Expected> =>
	Object.fromEntries(slugs.map((s) => [s, { default: n, ...(cases ? { cases } : {}) }]));

const PRICES: Record<string, Expected> = {
	// §6.1/§6.2 Kling — K3: base × seconds × 1.5 with sound; §5 worked examples
	...same(420_000, ['kling/kling-3.0-standard/text-to-video', 'kling/kling-3.0-standard/start-end-frame-to-video'], [
		[{ duration: '15', has_sound: 'true' }, 1_890_000],
	]),
	'kling/kling-3.0-standard/image-to-video': {
		default: 420_000,
		cases: [
			[{ duration: '15', has_sound: 'true' }, 1_890_000],
			[{ duration: '10', has_sound: 'false' }, 840_000],
		],
	},
	...same(560_000, ['kling/kling-3.0-pro/text-to-video', 'kling/kling-3.0-pro/image-to-video', 'kling/kling-3.0-pro/start-end-frame-to-video'], [
		[{ has_sound: 'true' }, 840_000],
	]),
	// Kling 2.6 Pro: sound × 2
	...same(350_000, ['kling/kling-2.6-pro/text-to-video', 'kling/kling-2.6-pro/image-to-video'], [
		[{ has_sound: 'true' }, 700_000],
		[{ duration: '10', has_sound: 'true' }, 1_400_000],
	]),
	'kling/kling-2.6-i2v/image-to-video': { default: 200_000, cases: [[{ duration: '10' }, 400_000]] },
	// KQ: base × seconds × (pro 1.5)
	'kling/kling-text2video-v3/text-to-video': {
		default: 375_000,
		cases: [
			[{ quality: 'pro' }, 562_500],
			[{ duration: '15', quality: 'pro' }, 1_687_500],
		],
	},
	...same(400_000, ['kling/kling-i2v-frames-v3/image-to-video', 'kling/kling-i2v-frames-v3/start-end-frame-to-video'], [
		[{ quality: 'pro' }, 600_000],
	]),
	'kling/kling-elements-i2v-v3/image-to-video-elements': { default: 425_000, cases: [[{ quality: 'pro' }, 637_500]] },
	'kling/kling-extend-v3/extend-video': { default: 350_000, cases: [[{ duration: '10', quality: 'pro' }, 1_050_000]] },
	// the duration follows the motion video; the docs' default assumes 5 s
	'kling/kling-motion-create-v3/motion-transfer-to-video': { default: 350_000, cases: [[{ quality: 'pro' }, 525_000]] },
	'kling/kling-text2video-v26/text-to-video': { default: 275_000, cases: [[{ duration: '10' }, 550_000]] },
	...same(300_000, ['kling/kling-i2v-frames-v26/image-to-video', 'kling/kling-i2v-frames-v26/start-end-frame-to-video']),
	'kling/kling-text2video-v25/text-to-video': { default: 225_000, cases: [[{ quality: 'pro', duration: '10' }, 675_000]] },
	...same(250_000, ['kling/kling-i2v-frames-v25/image-to-video', 'kling/kling-i2v-frames-v25/start-end-frame-to-video']),
	...same(350_000, ['kling/kling-omni-o1/text-to-video', 'kling/kling-omni-o1/image-to-video', 'kling/kling-i2v-frames-o1/start-end-frame-to-video'], [
		[{ quality: 'pro' }, 525_000],
	]),

	// §6.1/§6.3 Kling Plus — motion control and video edit are flat per job
	'kling-plus/kling-3.0-pro/motion-control': { default: 50_000, cases: [[{ duration: '30' }, 50_000]] },
	'kling-plus/kling-3.0-standard/motion-control': { default: 30_000 },
	'kling-plus/kling-2.6-pro/motion-control': { default: 40_000 },
	'kling-plus/kling-2.6-standard/motion-control': { default: 25_000 },
	// KP3: sound on by default (× 1.5)
	...same(630_000, ['kling-plus/kling-3.0-standard/text-to-video', 'kling-plus/kling-3.0-standard/image-to-video', 'kling-plus/kling-3.0-standard/start-end-frame-to-video'], [
		[{ has_sound: 'false' }, 420_000],
		[{ duration: '15' }, 1_890_000],
	]),
	...same(840_000, ['kling-plus/kling-3.0-pro/text-to-video', 'kling-plus/kling-3.0-pro/image-to-video', 'kling-plus/kling-3.0-pro/start-end-frame-to-video'], [
		[{ has_sound: 'false', duration: '3' }, 336_000],
	]),
	// Kling Plus 2.6 Pro: sound on by default, × 2
	...same(700_000, ['kling-plus/kling-2.6-pro/text-to-video', 'kling-plus/kling-2.6-pro/image-to-video'], [
		[{ has_sound: 'false' }, 350_000],
		[{ duration: '10' }, 1_400_000],
	]),
	...same(250_000, ['kling-plus/kling-2.6-standard/text-to-video', 'kling-plus/kling-2.6-standard/image-to-video'], [[{ duration: '10' }, 500_000]]),
	// KP2
	...same(250_000, ['kling-plus/kling-2.5-turbo-pro/text-to-video', 'kling-plus/kling-2.5-turbo-pro/image-to-video', 'kling-plus/kling-2.1-pro/image-to-video', 'kling-plus/kling-2.1-pro/start-end-frame-to-video']),
	'kling-plus/kling-2.5-turbo-standard/image-to-video': { default: 175_000 },
	...same(200_000, ['kling-plus/kling-2.1-master/text-to-video', 'kling-plus/kling-2.1-master/image-to-video'], [[{ duration: '10' }, 400_000]]),
	// KO1
	...same(350_000, ['kling-plus/kling-o1-pro/text-to-video', 'kling-plus/kling-o1-pro/reference-to-video', 'kling-plus/kling-o1-pro/start-end-frame-to-video']),
	'kling-plus/kling-o1-pro/image-to-video': { default: 350_000, cases: [[{ duration: '3' }, 210_000]] },
	'kling-plus/kling-o1-pro/video-edit': { default: 40_000 },
	'kling-plus/kling-o1-pro/video-edit-fast': { default: 30_000 },
	...same(250_000, ['kling-plus/kling-o1-standard/text-to-video', 'kling-plus/kling-o1-standard/image-to-video', 'kling-plus/kling-o1-standard/reference-to-video', 'kling-plus/kling-o1-standard/start-end-frame-to-video']),
	'kling-plus/kling-o1-standard/video-edit': { default: 30_000 },
	// KO3: sound off by default (× 1.5)
	...same(560_000, ['kling-plus/kling-o3-pro/text-to-video', 'kling-plus/kling-o3-pro/image-to-video', 'kling-plus/kling-o3-pro/reference-to-video', 'kling-plus/kling-o3-pro/start-end-frame-to-video'], [
		[{ has_sound: 'true' }, 840_000],
	]),
	'kling-plus/kling-o3-pro/video-edit': { default: 50_000 },
	...same(420_000, ['kling-plus/kling-o3-standard/text-to-video', 'kling-plus/kling-o3-standard/image-to-video', 'kling-plus/kling-o3-standard/reference-to-video', 'kling-plus/kling-o3-standard/start-end-frame-to-video'], [
		[{ has_sound: 'true', duration: '15' }, 1_890_000],
	]),
	'kling-plus/kling-o3-standard/video-edit': { default: 30_000 },

	// §6.4 Google Veo — GV: 200,000/s × resolution (4k × 1.5) × sound (× 1.5); Fast sounds by default
	...same(2_400_000, ['google/veo-3.1-fast/text-to-video', 'google/veo-3.1-fast/image-to-video', 'google/veo-3.1-fast/reference-to-video'], [
		[{ resolution: '4k' }, 3_600_000],
		[{ resolution: '1080p' }, 2_400_000],
		[{ has_sound: 'false' }, 1_600_000],
		[{ duration: '4', has_sound: 'false' }, 800_000],
	]),
	'google/veo-3.1-fast/start-end-frame-to-video': { default: 400_000, cases: [[{ duration: '8', resolution: '4k' }, 800_000]] },
	...same(1_600_000, ['google/veo-3.1/text-to-video', 'google/veo-3.1/image-to-video', 'google/veo-3.1/reference-to-video'], [
		[{ has_sound: 'true' }, 2_400_000],
		[{ resolution: '4k' }, 2_400_000],
		[{ resolution: '4k', has_sound: 'true' }, 3_600_000],
	]),
	'google/veo-3.1/start-end-frame-to-video': { default: 800_000, cases: [[{ duration: '8' }, 1_600_000]] },
	...same(800_000, ['google/veo-3.1-ecl/image-to-video', 'google/veo-3.1-ecl/start-end-frame-to-video'], [
		[{ has_sound: 'true' }, 1_200_000],
		[{ duration: '8', resolution: '4k' }, 1_600_000],
	]),

	// §6.5 OpenAI Sora — Sora 2 Pro 1080p × 1.67
	...same(400_000, ['openai/sora-2/text-to-video', 'openai/sora-2/image-to-video'], [[{ duration: '12' }, 1_200_000]]),
	...same(1_200_000, ['openai/sora-2-pro/text-to-video', 'openai/sora-2-pro/image-to-video'], [
		[{ resolution: '1080p' }, 2_004_000],
		[{ resolution: '1080p', duration: '12' }, 6_012_000],
	]),

	// §6.6 Runway
	...same(600_000, ['runway/gen-4.5/text-to-video', 'runway/gen-4.5/image-to-video'], [[{ duration: '10' }, 1_200_000]]),
	'runway/gen-4/image-to-video': { default: 500_000 },
	'runway/gen-4-turbo/image-to-video': { default: 250_000, cases: [[{ duration: '10' }, 500_000]] },

	// §6.7 Seedance — SD: × resolution (1440p × 2, Fast × 1.5) × fps (30 × 1.1, 60 × 1.25)
	...same(1_200_000, ['bytedance/seedance-2.0/text-to-video', 'bytedance/seedance-2.0/image-to-video', 'bytedance/seedance-2.0/start-end-frame-to-video', 'bytedance/seedance-2.0/omni-reference'], [
		[{ resolution: '1440p' }, 2_400_000],
		[{ fps: '30' }, 1_320_000],
		[{ resolution: '1440p', fps: '60' }, 3_000_000],
		[{ duration: '15' }, 3_600_000],
	]),
	...same(1_000_000, ['bytedance/seedance-2.0-fast/text-to-video', 'bytedance/seedance-2.0-fast/image-to-video', 'bytedance/seedance-2.0-fast/start-end-frame-to-video', 'bytedance/seedance-2.0-fast/omni-reference'], [
		[{ resolution: '1440p' }, 1_500_000],
		[{ fps: '60' }, 1_250_000],
		[{ resolution: '1440p', fps: '30' }, 1_650_000],
	]),
	// Seedance 1.5 Pro Super: 15,000 × 5 × 1.8667 (720p) × 2 (audio) = 280,005 (Math.round of a non-integer product)
	...same(280_005, ['bytedance-plus/seedance-1.5-pro-super/image-to-video', 'bytedance-plus/seedance-1.5-pro-super/start-end-frame-to-video'], [
		[{ resolution: '480p' }, 150_000],
		[{ resolution: '1080p' }, 559_995],
		[{ resolution: '480p', generate_audio: false }, 75_000],
		[{ resolution: '1080p', duration: '12' }, 1_343_988],
	]),

	// §6.8 Alibaba Wan
	'alibaba/wan-2.6-flash/image-to-video': {
		default: 250_000,
		cases: [
			[{ resolution: '1080p' }, 375_000],
			[{ has_sound: 'true' }, 325_000],
			[{ resolution: '1080p', has_sound: 'true' }, 487_500],
		],
	},
	// the page's own table
	'alibaba/wan-2.2-super/image-to-video': {
		default: 225_000,
		cases: [
			[{ duration: '5', quality: '480p' }, 225_000],
			[{ duration: '5', quality: '720p' }, 450_000],
			[{ duration: '8', quality: '480p' }, 360_000],
			[{ duration: '8', quality: '720p' }, 720_000],
		],
	},
	'alibaba-plus/wan-2.6/text-to-video': { default: 500_000, cases: [[{ duration: '15' }, 1_500_000]] },
	'alibaba-plus/wan-2.6/image-to-video': { default: 500_000, cases: [[{ resolution: '1080p' }, 750_000]] },
	// resolution is not priced here
	'alibaba-plus/wan-2.6/reference-to-video': { default: 750_000, cases: [[{ duration: '10', resolution: '720p' }, 1_500_000]] },
	'alibaba-plus/wan-2.6/video-extend': { default: 750_000, cases: [[{ duration: '15', resolution: '1080p' }, 2_250_000]] },
	// 500,000/s as documented (looks anomalous, see muvi-api.md §9)
	'alibaba-plus/wan-2.6-flash/image-to-video': { default: 2_500_000, cases: [[{ resolution: '1080p' }, 3_750_000]] },
	'alibaba-plus/wan-2.6-flash/reference-to-video': { default: 500_000, cases: [[{ duration: '10' }, 1_000_000]] },
	'alibaba-plus/wan-2.6-pro/image-to-video': {
		default: 750_000,
		cases: [
			[{ resolution: '2k' }, 1_500_000],
			[{ resolution: '4k' }, 3_000_000],
		],
	},
	'alibaba-plus/wan-2.6-super/image-to-video': { default: 500_000, cases: [[{ resolution: '1080p' }, 750_000]] },
	// Wan 2.7 defaults to 1080p (× 1.5)
	...same(1_125_000, ['alibaba-plus/wan-2.7/text-to-video', 'alibaba-plus/wan-2.7/image-to-video', 'alibaba-plus/wan-2.7/reference-to-video'], [
		[{ resolution: '720p' }, 750_000],
		[{ duration: '10' }, 2_250_000],
	]),

	// §6.9 MiniMax Hailuo
	...same(210_000, ['minimax-plus/hailuo-2.3-standard/text-to-video', 'minimax-plus/hailuo-2.3-standard/image-to-video'], [[{ duration: '10' }, 350_000]]),
	'minimax-plus/hailuo-2.3-fast/image-to-video': { default: 150_000, cases: [[{ duration: '10' }, 250_000]] },
	...same(50_000, ['minimax-plus/hailuo-2.3-pro/text-to-video', 'minimax-plus/hailuo-2.3-pro/image-to-video']),
	'minimax-plus/hailuo-2.3-fast-pro/image-to-video': { default: 35_000 },

	// §6.10 xAI Grok Imagine: 50,000 × seconds × (720p × 1.4). The page prints 300,000 as "$3.00";
	// by the docs' own unit (§5) it is $0.30 — the micro-cent figures are followed here.
	'xai/grok-imagine/image-to-video': {
		default: 300_000,
		cases: [
			[{ resolution: '720p' }, 420_000],
			[{ duration: '15', resolution: '720p' }, 1_050_000],
		],
	},
};

const properties = new MuviVideo().description.properties;
const shownFor = (slug: string) =>
	properties.filter((p) => (p.displayOptions?.show?.model as string[] | undefined)?.includes(slug));

/** What Generate sends when the user only fills in the required fields: the n8n defaults of every field. */
function inputFromNodeDefaults(slug: string): IDataObject {
	const input: IDataObject = {};
	for (const p of shownFor(slug) as INodeProperties[]) {
		// the URL fields' Source / Binary Field companions are not model fields
		const field = findModel(slug)!.fields.find((f) => paramName(f) === p.name);
		if (!field) continue;
		const apiName = field.apiName;
		let value = p.default as IDataObject[string];
		if (p.required && (value === '' || (Array.isArray(value) && value.length === 0) || value === '[]')) {
			value =
				p.type === 'json'
					? '[{"prompt": "a shot"}]'
					: Array.isArray(value)
						? ['https://example.com/a.jpg']
						: /url|^image$|^video$/i.test(p.name)
							? 'https://example.com/a.jpg'
							: 'A cat surfs a wave';
		}
		input[apiName] = value;
	}
	return input;
}

describe('every model has a documented price', () => {
	test('the table and the dropdown list the same models', () => {
		expect(videoModels.map((m) => m.slug).sort()).toEqual(Object.keys(PRICES).sort());
	});

	test.each(Object.entries(PRICES))('%s', (slug, expected) => {
		const model = findModel(slug)!;
		expect(estimateCostMicroCents(model, {})).toBe(expected.default);
		// an untouched node (n8n's defaults, validated as Generate does) costs the documented default
		const prepared = prepareModelInput(model, inputFromNodeDefaults(slug));
		expect(prepared.problem).toBeUndefined();
		expect(estimateCostMicroCents(model, prepared.input!)).toBe(expected.default);
		for (const [input, microCents] of expected.cases ?? []) expect([input, estimateCostMicroCents(model, input)]).toEqual([input, microCents]);
	});

	test('Math.round reproduces the documented 280,005 for Seedance 1.5 (15,000 × 5 × 1.8667 × 2)', () => {
		expect(Math.round(15_000 * 5 * 1.8667 * 2)).toBe(280_005);
	});

	test('every price has a readable formula', () => {
		for (const m of videoModels) expect(describePrice(m.price)).toMatch(/micro-cents/);
		expect(describePrice(findModel('xai/grok-imagine/image-to-video')!.price)).toBe(
			'50,000 micro-cents/s ($0.05/s) × seconds × (1.4 if resolution=720p)',
		);
		expect(describePrice(findModel('kling/kling-motion-create-v3/motion-transfer-to-video')!.price)).toBe(
			'70,000 micro-cents/s ($0.07/s) × 5 s × (1.5 if quality=pro)',
		);
	});
});
