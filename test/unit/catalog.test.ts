import { NodeHelpers, type INode, type INodeProperties } from 'n8n-workflow';

import { CUSTOM_MODEL, DEFAULT_MODEL, paramName, videoModels } from '../../nodes/MuviVideo/models';
import { findModel, isFileCompanion, modelFieldProperties } from '../helpers/catalog';
import { MuviVideo } from '../../nodes/MuviVideo/MuviVideo.node';

const properties = new MuviVideo().description.properties;
const shownFor = (slug: string, version = 2) => modelFieldProperties(properties, slug, version);
const byName = (slug: string, name: string) => shownFor(slug).find((p) => p.name === name) as INodeProperties;
/** The catalog field behind a parameter: the engine builds `input.<apiName>` from it, in the field's API type. */
const fieldOf = (slug: string, name: string) => findModel(slug)!.fields.find((f) => paramName(f) === name)!;

describe('model catalog → n8n properties', () => {
	test('the two seed models are in the dropdown under their API slugs and display names', () => {
		const model = properties.find((p) => p.name === 'model')!;
		const options = (model.options ?? []) as Array<{ name: string; value: string }>;
		expect(options).toEqual(
			expect.arrayContaining([
				expect.objectContaining({ value: 'kling/kling-3.0-standard/image-to-video', name: 'Kling 3.0 Standard — Image to Video · $0.084/s' }),
				expect.objectContaining({ value: 'kling-plus/kling-3.0-pro/motion-control', name: 'Kling 3.0 Pro — Motion Control · $0.05 per video' }),
				expect.objectContaining({ value: CUSTOM_MODEL }),
			]),
		);
		expect(model.default).toBe(DEFAULT_MODEL);
		expect(findModel(DEFAULT_MODEL)).toBeDefined();
	});

	test('Kling 3.0 Standard I2V fields are named in camelCase and sent to input.<api_field> with the API types', () => {
		const slug = 'kling/kling-3.0-standard/image-to-video';
		expect(shownFor(slug).map((p) => p.name)).toEqual(['prompt', 'imageUrl', 'aspectRatio', 'duration', 'hasSound']);
		expect(byName(slug, 'prompt')).toMatchObject({ required: true });
		expect(fieldOf(slug, 'prompt')).toMatchObject({ apiName: 'prompt', kind: 'text' });
		expect(byName(slug, 'imageUrl')).toMatchObject({ required: true });
		expect(fieldOf(slug, 'imageUrl')).toMatchObject({ apiName: 'image_url', kind: 'url' });
		const aspect = byName(slug, 'aspectRatio');
		expect(aspect.default).toBe('16:9');
		expect((aspect.options as Array<{ value: string }>).map((o) => o.value)).toEqual(['16:9', '9:16', '1:1']);
		const duration = byName(slug, 'duration');
		expect(duration.default).toBe('5');
		expect((duration.options as Array<{ value: string }>).map((o) => o.value)).toEqual(['5', '10', '15']);
		const sound = byName(slug, 'hasSound');
		expect(sound).toMatchObject({ type: 'boolean', default: false });
		// shown as a switch, sent as the string the API wants (test/integration checks the body Muvi receives)
		expect(fieldOf(slug, 'hasSound')).toMatchObject({ apiName: 'has_sound', kind: 'booleanString' });
	});

	test('Kling 3.0 Pro Motion Control fields', () => {
		const slug = 'kling-plus/kling-3.0-pro/motion-control';
		expect(shownFor(slug).map((p) => p.name)).toEqual([
			'image',
			'video',
			'prompt',
			'negativePrompt',
			'characterOrientation',
			'keepOriginalSound',
			'shotType',
		]);
		expect(byName(slug, 'image')).toMatchObject({ required: true });
		expect(byName(slug, 'video')).toMatchObject({ required: true });
		expect(byName(slug, 'prompt').required).toBe(false);
		expect(['image', 'video', 'negativePrompt', 'characterOrientation', 'shotType'].map((name) => fieldOf(slug, name).apiName)).toEqual([
			'image',
			'video',
			'negative_prompt',
			'character_orientation',
			'shot_type',
		]);
		// a real boolean, sent as is
		expect(byName(slug, 'keepOriginalSound')).toMatchObject({ type: 'boolean', default: true });
		expect(fieldOf(slug, 'keepOriginalSound')).toMatchObject({ apiName: 'keep_original_sound', kind: 'boolean' });
		expect(byName(slug, 'shotType')).toMatchObject({ default: 'customize' });
	});

	test('every model field property is shown only for models that have it', () => {
		for (const version of [1, 2, 3])
			for (const m of videoModels) {
				const names = shownFor(m.slug, version).map((p) => p.name);
				expect(new Set(names).size).toBe(names.length);
				expect(names.length).toBe(m.fields.length);
			}
	});

	test('the node is declarative with custom operations for the multi-request flows, usable as a tool', () => {
		const node = new MuviVideo();
		expect((node as unknown as { execute?: unknown }).execute).toBeUndefined();
		expect(node.description.usableAsTool).toBe(true);
		expect(node.description.name).toBe('muviVideo');
		const op = properties.find((p) => p.name === 'operation')!;
		const generate = (op.options as Array<{ value: string; action: string; routing: unknown }>).find((o) => o.value === 'generate')!;
		expect(generate.action).toBe('Generate a video');
		// every operation is a custom operation since the node has webhook() (Wait Mode "Muvi Webhook"): n8n gives a
		// node with webhook() no input items in routed operations; so the description holds no routing at all
		const json = JSON.stringify(node.description);
		expect(json).not.toContain('"routing"');
		expect(json).not.toContain('"requestDefaults"');
		expect(generate.routing).toBeUndefined();
		expect(Object.keys(node.customOperations!)).toEqual(['video', 'image', 'job', 'model', 'file']);
		expect(Object.keys(node.customOperations!.video)).toEqual(['generate', 'estimateCost']);
		// Image → Generate and Estimate Cost are the same operations as Video's
		expect(node.customOperations!.image).toEqual(node.customOperations!.video);
		expect(node.customOperations!.image.generate).toBe(node.customOperations!.video.generate);
		expect(node.customOperations!.image.estimateCost).toBe(node.customOperations!.video.estimateCost);
		expect(Object.keys(node.customOperations!.job)).toEqual(['waitForCompletion', 'get', 'getAll', 'cancel']);
		expect(Object.keys(node.customOperations!.model)).toEqual(['get', 'getAll']);
		expect(Object.keys(node.customOperations!.file)).toEqual(['upload']);
	});
});

describe('binary inputs for URL fields', () => {
	const companions = (slug: string) =>
		properties.filter((p) => isFileCompanion(p.name) && (p.displayOptions?.show?.model as string[] | undefined)?.includes(slug));

	test('every URL field has its own "<Field> Source" (url | binary) and a binary property, shown for its models', () => {
		expect(companions('kling/kling-3.0-standard/image-to-video').map((p) => p.name)).toEqual(['imageUrlSource', 'imageUrlBinaryProperty']);
		// node version 1 and 2 each have their own "video" binary property (different defaults)
		expect(companions('kling-plus/kling-3.0-pro/motion-control').map((p) => p.name)).toEqual([
			'imageSource',
			'imageBinaryProperty',
			'videoSource',
			'videoBinaryProperty',
			'videoBinaryProperty',
		]);
		const source = properties.find((p) => p.name === 'imageUrlSource')!;
		expect(source).toMatchObject({ displayName: 'Image Source', type: 'options', default: 'url' });
		expect((source.options as Array<{ value: string }>).map((o) => o.value)).toEqual(['url', 'binary']);
		const binary = properties.find((p) => p.name === 'imageUrlBinaryProperty')!;
		expect(binary).toMatchObject({ displayName: 'Image Binary Field', type: 'string', default: 'data' });
		expect(binary.displayOptions?.show?.imageUrlSource).toEqual(['binary']);
	});

	test('no two fields of a model share a label, and two binary files never default to the same property (node version 2)', () => {
		const node = { name: 'Muvi Video', type: 'n8n-nodes-muvi.muviVideo', parameters: {} };
		for (const m of videoModels) {
			const files = m.fields.filter((f) => f.kind === 'url' || f.kind === 'urlList').map(paramName);
			if (files.length < 2) continue;
			const binaryOn = Object.fromEntries(files.map((f) => [`${f}Source`, 'binary']));
			for (const typeVersion of [1, 2]) {
				const values = NodeHelpers.getNodeParameters(
					properties,
					{ resource: 'video', operation: 'generate', model: m.slug, ...binaryOn },
					true,
					false,
					{ ...node, typeVersion } as unknown as INode,
					new MuviVideo().description,
				) as Record<string, unknown>;
				const shown = properties.filter(
					(p) => files.some((f) => p.name.startsWith(f)) && NodeHelpers.displayParameter(values, p, { ...node, typeVersion } as unknown as INode, new MuviVideo().description),
				);
				const labels = shown.map((p) => p.displayName);
				expect(new Set(labels).size).toBe(labels.length);
				const defaults = files.map((f) => values[`${f}BinaryProperty`]);
				if (typeVersion === 2) expect({ slug: m.slug, defaults: new Set(defaults).size }).toEqual({ slug: m.slug, defaults: files.length });
				// version 1 keeps "data" everywhere: saved workflows rely on it
				else expect(defaults.every((d) => d === 'data')).toBe(true);
			}
		}
		const sef = (name: string) =>
			properties.filter((p) => p.name === name && (p.displayOptions?.show?.model as string[]).includes('kling/kling-3.0-pro/start-end-frame-to-video'));
		expect(sef('startFrameUrlSource').map((p) => p.displayName)).toEqual(['Start Frame Source']);
		expect(sef('endFrameUrlSource').map((p) => p.displayName)).toEqual(['End Frame Source']);
		expect(sef('endFrameUrlBinaryProperty').map((p) => [p.displayName, p.default, p.displayOptions?.show?.['@version']])).toEqual([
			['End Frame Binary Field', 'data', [1]],
			['End Frame Binary Field', 'endFrame', [{ _cnd: { gte: 2 } }]],
		]);
	});

	test('the URL field itself shows only while its source is URL', () => {
		const url = shownFor('kling/kling-3.0-standard/image-to-video').find((p) => p.name === 'imageUrl')!;
		expect(url.displayOptions?.show?.imageUrlSource).toEqual(['url']);
	});

	test('text-to-video models get no file companions', () => {
		expect(companions('kling/kling-3.0-standard/text-to-video')).toEqual([]);
	});
});
