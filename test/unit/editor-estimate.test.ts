/**
 * The price before the run: the canvas subtitle (an n8n expression over `$parameter`, evaluated here by
 * n8n-workflow's own expression engine as the editor does) and the panel's Estimated Cost line
 * (`methods.loadOptions.estimatedCost`), for every model of the catalog.
 */
import { NodeHelpers, Workflow, type ILoadOptionsFunctions, type INode, type INodeParameters, type INodeProperties } from 'n8n-workflow';

import { estimatedCost, estimateForParameters, estimateOption, PRICING_PARAMETERS } from '../../nodes/MuviVideo/descriptions/estimatedCost';
import { shortModelName } from '../../nodes/MuviVideo/descriptions/subtitle';
import { paramName, videoModels } from '../../nodes/MuviVideo/models';
import { findModel } from '../helpers/catalog';
import { imageModels } from '../../nodes/MuviVideo/models';
import { formatUsd as exactUsd } from '../../nodes/muviClient/money';
import { priceLabel } from '../../nodes/MuviVideo/descriptions/priceText';
import type { CatalogModel, ImageModel, VideoModel } from '../../nodes/MuviVideo/models/types';
import { MuviVideo } from '../../nodes/MuviVideo/MuviVideo.node';
import { estimateCostMicroCents } from '../../nodes/MuviVideo/models/cost';
import { nodeTypes } from '../helpers/engine';

const nodeType = new MuviVideo();
const description = nodeType.description;

/** The parameters the editor holds for a node: what the user set plus every shown field's default. */
function editorParameters(set: INodeParameters, typeVersion = 2): INodeParameters {
	const node = { name: 'Muvi Video', type: 'n8n-nodes-muvi.muviVideo', typeVersion, parameters: set } as unknown as INode;
	return NodeHelpers.getNodeParameters(description.properties, set, true, false, node, description) as INodeParameters;
}

function subtitleFor(parameters: INodeParameters, typeVersion = 2): unknown {
	const node: INode = {
		id: 'n1',
		name: 'Muvi Video',
		type: 'n8n-nodes-muvi.muviVideo',
		typeVersion,
		position: [0, 0],
		parameters,
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	return workflow.expression.getSimpleParameterValue(node, description.subtitle as string, 'internal', {});
}

/** Parameter values that change the price of a model: the longest duration and every non-1 factor value. */
function pricedVariants(model: VideoModel): INodeParameters[] {
	const variants: INodeParameters[] = [{}];
	const duration = model.fields.find((f) => f.apiName === 'duration');
	if (duration?.options?.length) {
		const last = duration.options[duration.options.length - 1];
		variants.push({ duration: typeof last === 'string' ? last : last.value });
	}
	if (model.price.kind === 'perSecond')
		for (const factor of model.price.factors ?? []) {
			const field = model.fields.find((f) => f.apiName === factor.field);
			if (!field) continue;
			for (const value of Object.keys(factor.factors)) {
				const param = field.kind === 'booleanString' || field.kind === 'boolean' ? value === 'true' : value;
				variants.push({ [paramName(field)]: param, ...(duration ? { duration: variants[1]?.duration ?? duration.default } : {}) });
			}
		}
	return variants;
}

/** Parameter values that change the price of an image model: the largest image count and every non-1 factor value. */
function imageVariants(model: ImageModel): INodeParameters[] {
	const variants: INodeParameters[] = [{}];
	const price = model.price;
	if (price.kind === 'perImage') {
		const count = model.fields.find((f) => f.apiName === (price.countField ?? 'num_images'));
		const last = count?.options?.[count.options.length - 1];
		if (count && last !== undefined) variants.push({ [paramName(count)]: typeof last === 'string' ? last : last.value });
		else if (count?.max !== undefined) variants.push({ [paramName(count)]: count.max });
	}
	if (price.kind === 'perRequest' || price.kind === 'perImage')
		for (const factor of price.factors ?? []) {
			const field = model.fields.find((f) => f.apiName === factor.field);
			if (field) for (const value of Object.keys(factor.factors)) variants.push({ [paramName(field)]: value });
		}
	return variants;
}

/** The same values as the API input the node would send (switches as "true"/"false" where the API wants strings). */
function apiInput(model: CatalogModel, parameters: INodeParameters): Record<string, never> {
	const input: Record<string, unknown> = {};
	for (const field of model.fields) {
		const value = parameters[paramName(field)];
		if (value === undefined || value === '') continue;
		input[field.apiName] = field.kind === 'booleanString' ? (value ? 'true' : 'false') : value;
	}
	return input as Record<string, never>;
}

describe('estimated price in the editor', () => {
	test('the documented examples: Kling 3.0 Standard 5 s $0.42, 10 s with sound $1.26; Seedance 1.5 Pro Super $0.280005', () => {
		const kling = 'kling/kling-3.0-standard/image-to-video';
		const at = (set: INodeParameters) => estimateForParameters(set.model, editorParameters({ resource: 'video', operation: 'generate', ...set }));
		expect(at({ model: kling })).toMatchObject({ kind: 'known', microCents: 420_000, seconds: 5 });
		expect(at({ model: kling, duration: '10', hasSound: true })).toMatchObject({ kind: 'known', microCents: 1_260_000, seconds: 10 });
		expect(at({ model: 'bytedance-plus/seedance-1.5-pro-super/image-to-video' })).toMatchObject({ microCents: 280_005 });
		expect(at({ model: 'kling-plus/kling-3.0-pro/motion-control' })).toMatchObject({ microCents: 50_000 });
		expect(exactUsd(280_005)).toBe('$0.280005');
		expect(exactUsd(420_000)).toBe('$0.42');
		expect(exactUsd(84_000)).toBe('$0.084');
		expect(exactUsd(1_000_000)).toBe('$1.00');
	});

	test.each(videoModels.map((m) => [m.slug, m] as const))('%s: subtitle and Estimated Cost agree with the price formula', (slug, model) => {
		for (const variant of pricedVariants(model)) {
			const parameters = editorParameters({ resource: 'video', operation: 'generate', model: slug, ...variant });
			const expected = estimateCostMicroCents(model, apiInput(model, parameters));
			const estimate = estimateForParameters(slug, parameters);
			expect(estimate).toMatchObject({ kind: 'known', microCents: expected });
			expect(subtitleFor(parameters)).toBe(`est. ${exactUsd(expected)} · ${shortModelName(model)}`);
		}
	});

	test.each(imageModels.map((m) => [m.slug, m] as const))('image %s: subtitle and Estimated Cost agree with the price formula', (slug, model) => {
		for (const variant of imageVariants(model)) {
			const parameters = editorParameters({ resource: 'image', operation: 'generate', model: slug, ...variant });
			const expected = estimateCostMicroCents(model, apiInput(model, parameters));
			expect(estimateForParameters(slug, parameters)).toMatchObject({ kind: 'known', microCents: expected });
			expect(subtitleFor(parameters)).toBe(`est. ${exactUsd(expected)} · ${shortModelName(model)}`);
		}
	});

	test('image prices in the editor: per request × resolution, per image × count', () => {
		const at = (set: INodeParameters) => estimateForParameters(set.model, editorParameters({ resource: 'image', operation: 'generate', ...set }));
		const pro4k = at({ model: 'google/nano-banana-pro/text-to-image', resolution: '4k' });
		expect(pro4k).toMatchObject({ kind: 'known', microCents: 241_200 });
		expect(estimateOption(pro4k).name).toBe('$0.2412 per job ($0.134 per request × 1.8 (resolution 4k))');
		const wan = at({ model: 'alibaba-plus/wan-2.7/text-to-image', imageCount: '4' });
		expect(wan).toMatchObject({ kind: 'known', microCents: 120_000, images: 4 });
		expect(estimateOption(wan).name).toBe('$0.12 per job (4 × $0.03 per image)');
		expect(subtitleFor({ resource: 'image', operation: 'generate', model: 'alibaba-plus/wan-2.7/text-to-image', imageCount: '4' })).toBe(
			'est. $0.12 · Wan 2.7 — Text to Image',
		);
		expect(priceLabel({ kind: 'perRequest', microCents: 40_000 })).toBe('$0.04 per request');
		expect(priceLabel({ kind: 'perImage', microCentsPerImage: 30_000 })).toBe('$0.03 per image');
	});

	test('the subtitle falls back to the model defaults when the editor holds no value, and says "not known" for Other Model', () => {
		const model = findModel('google/veo-3.1/text-to-video')!;
		// defaults 8 s, sound off, 720p: 200,000 × 8
		expect(subtitleFor({ resource: 'video', operation: 'generate', model: model.slug })).toBe('est. $1.60 · Veo 3.1 — Text to Video');
		expect(subtitleFor({ resource: 'video', operation: 'generate', model: 'custom', customModel: 'acme/new/text-to-video' })).toBe(
			'est. not known · acme/new/text-to-video',
		);
		expect(subtitleFor({ resource: 'video', operation: 'generate', model: 'kling/kling-3.0-standard/image-to-video' })).toBe(
			'est. $0.42 · Kling 3.0 Standard — Image to Video',
		);
		expect(subtitleFor({ resource: 'job', operation: 'get' })).toBe('job: get');
		expect(subtitleFor({ resource: 'video', operation: 'estimateCost', model: model.slug, duration: '4', hasSound: true, resolution: '4k' })).toBe(
			'est. $1.80 · Veo 3.1 — Text to Video',
		);
	});

	test('a value the new model does not offer (n8n keeps a same-named field when the model changes) has no price', async () => {
		// Kling's 10 s kept after switching to Veo 3.1 Fast, which offers 4, 6 or 8 s
		const veo = { resource: 'video', operation: 'generate', model: 'google/veo-3.1-fast/text-to-video', duration: '10', hasSound: true };
		const model = findModel(veo.model)!;
		expect(estimateForParameters(veo.model, editorParameters(veo))).toMatchObject({ kind: 'unsupported', value: '10' });
		expect(subtitleFor(editorParameters(veo))).toBe('est. not known · Veo 3.1 Fast — Text to Video');
		const [line] = await estimatedCost.call({ getCurrentNodeParameters: () => editorParameters(veo) } as unknown as ILoadOptionsFunctions);
		expect(line.name).toBe('Not known: Duration "10" is not offered by this model');
		expect(line.description).toContain('Choose one of: 4, 6, 8');
		// an unsupported value of a price factor too (Kling quality "ultra")
		const kq = { resource: 'video', operation: 'generate', model: 'kling/kling-text2video-v3/text-to-video', quality: 'ultra' };
		expect(subtitleFor(editorParameters(kq))).toBe('est. not known · Kling V3 (Std/Pro) — Text to Video');
		expect(subtitleFor(editorParameters({ ...veo, duration: '8' }))).toBe(`est. $2.40 · ${shortModelName(model)}`);
	});

	test('the Estimated Cost field re-loads when the model or any pricing field changes, and reads the current values', async () => {
		const field = description.properties.find((p) => p.name === 'estimatedCost') as INodeProperties;
		expect(field).toMatchObject({ displayName: 'Estimated Cost', type: 'options', typeOptions: { loadOptionsMethod: 'estimatedCost' } });
		// and version 3's Multi-Shot list, whose shots are priced when they last longer than the duration
		expect(field.typeOptions?.loadOptionsDependsOn).toEqual(['model', ...PRICING_PARAMETERS, ...Array.from({ length: 15 }, (_, n) => `shotList.shots[${n}].duration`)]);
		expect(PRICING_PARAMETERS).toEqual(expect.arrayContaining(['duration', 'hasSound', 'resolution', 'quality', 'fps', 'generateAudio']));
		expect(field.displayOptions?.show).toMatchObject({ resource: ['video'], operation: ['generate', 'estimateCost'] });
		expect(nodeType.methods.loadOptions.estimatedCost).toBe(estimatedCost);

		const load = (parameters: INodeParameters) =>
			estimatedCost.call({ getCurrentNodeParameters: () => parameters } as unknown as ILoadOptionsFunctions);
		const kling = { resource: 'video', operation: 'generate', model: 'kling/kling-3.0-standard/image-to-video' };
		const [five] = await load(editorParameters(kling));
		expect(five).toMatchObject({ name: '$0.42 per video (5 s × $0.084/s)', value: field.default });
		expect(five.description).toMatch(/discounts/);
		const [withSound] = await load(editorParameters({ ...kling, duration: '15', hasSound: true }));
		expect(withSound.name).toBe('$1.89 per video (15 s × $0.084/s × 1.5 (has_sound true))');
		const [flat] = await load(editorParameters({ ...kling, model: 'kling-plus/kling-2.6-standard/motion-control' }));
		expect(flat.name).toBe('$0.025 per video (flat price per video)');
		const [other] = await load(editorParameters({ ...kling, model: 'custom', customModel: 'acme/x/text-to-video' }));
		expect(other.name).toBe('Not known for Other Model (by Slug)');
		const [byItem] = await load(editorParameters({ ...kling, duration: '={{ $json.seconds }}' }));
		expect(byItem.name).toBe('Depends on each item (Duration is an expression)');
	});
});

describe("version 3's Multi-Shot list: the shots are priced when they last longer than Duration (as the node does)", () => {
	const o3 = { resource: 'video', operation: 'generate', model: 'kling-plus/kling-o3-pro/text-to-video', duration: '5' };
	const shots = (...durations: unknown[]) => ({ shotList: { shots: durations.map((duration, n) => ({ prompt: `shot ${n + 1}`, duration })) } });
	const line = async (set: INodeParameters) =>
		(await estimatedCost.call({ getCurrentNodeParameters: () => editorParameters(set, 3) } as unknown as ILoadOptionsFunctions))[0].name;

	test.each([
		[[], '$0.56 per video (5 s × $0.112/s)', 'est. $0.56'],
		[[3], '$0.56 per video (5 s × $0.112/s)', 'est. $0.56'],
		[[6, '6'], '$1.344 per video (12 s × $0.112/s)', 'est. $1.344'],
		// a duration from an expression is known per item only; the missing one counts its default, 5 s
		[['={{ $json.d }}', 4, undefined], '$1.008 per video (9 s × $0.112/s)', 'est. $1.008'],
	])('shots %j: the Estimated Cost line and the canvas subtitle agree', async (durations, expected, subtitle) => {
		const set = { ...o3, ...shots(...(durations as unknown[])) } as INodeParameters;
		expect(await line(set)).toBe(expected);
		expect(subtitleFor(editorParameters(set, 3), 3)).toBe(`${subtitle} · Kling O3 Pro — Text to Video`);
	});

	test('a model without Multi-Shot ignores a list kept from the model chosen before', async () => {
		const set = { ...o3, model: 'kling/kling-3.0-standard/image-to-video', ...shots(10) } as INodeParameters;
		expect(await line(set)).toBe('$0.42 per video (5 s × $0.084/s)');
		expect(subtitleFor({ ...set } as INodeParameters)).toBe('est. $0.42 · Kling 3.0 Standard — Image to Video');
	});
});
