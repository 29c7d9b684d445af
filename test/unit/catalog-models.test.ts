/**
 * The whole catalog (muvi-api.md §6.1–§6.10) as the user meets it: the dropdown, each model's fields
 * with their API names and types, the checks made before any request.
 */
import type { INodeProperties } from 'n8n-workflow';

import { paramName, videoModels } from '../../nodes/MuviVideo/models';
import { findModel, modelFieldProperties } from '../helpers/catalog';
import type { FieldKind, ModelField } from '../../nodes/MuviVideo/models/types';
import { MuviVideo } from '../../nodes/MuviVideo/MuviVideo.node';
import { prepareModelInput } from '../../nodes/MuviVideo/engine/validation';

const properties = new MuviVideo().description.properties;
const shownFor = (slug: string, version = 2) => modelFieldProperties(properties, slug, version);
const model = (slug: string) => {
	const m = findModel(slug);
	if (!m) throw new Error(`${slug} is not in the catalog`);
	return m;
};
/** `prompt*,image_url*,aspect_ratio` — API names in the order shown, * for required */
const signature = (slug: string) => model(slug).fields.map((f) => f.apiName + (f.required ? '*' : '')).join(',');
const field = (slug: string, apiName: string) => model(slug).fields.find((f) => f.apiName === apiName) as ModelField;

describe('the model dropdown', () => {
	const options = (properties.find((p) => p.name === 'model')!.options ?? []) as Array<{ name: string; value: string; description: string }>;

	test('offers all 114 documented video models plus "Other Model (by Slug)"', () => {
		expect(videoModels).toHaveLength(114);
		expect(options).toHaveLength(115);
		expect(options[options.length - 1].value).toBe('custom');
	});

	test.each([
		'kling/kling-3.0-pro/motion-control',
		'kling/kling-3.0-standard/motion-control',
		'google/veo-3.1-eachlabs/text-to-video',
		'google/veo-3.1-quality/text-to-video',
		'bytedance/seedance-2.0-mini/text-to-video',
		'bytedance/seedance-2.0-mini/reference-to-video',
		'google/nano-banana-pro/edit-image',
		'runway/gen-4-image/text-to-image',
	])('leaves out the unconfirmed, legacy or image model %s', (slug) => {
		expect(findModel(slug)).toBeUndefined();
		expect(options.map((o) => o.value)).not.toContain(slug);
	});

	test('names say maker, model, capability and the exact base price; near-namesakes are told apart', () => {
		const names = options.map((o) => o.name);
		expect(new Set(names).size).toBe(names.length);
		expect(options).toEqual(
			expect.arrayContaining([
				expect.objectContaining({ value: 'google/veo-3.1-fast/text-to-video', name: 'Google Veo 3.1 Fast — Text to Video · $0.20/s' }),
				expect.objectContaining({ value: 'kling-plus/kling-3.0-pro/text-to-video', name: 'Kling 3.0 Pro (Kling Plus) — Text to Video · $0.112/s' }),
				expect.objectContaining({ value: 'kling/kling-3.0-pro/text-to-video', name: 'Kling 3.0 Pro — Text to Video · $0.112/s' }),
				expect.objectContaining({ value: 'kling/kling-3.0-standard/image-to-video', name: 'Kling 3.0 Standard — Image to Video · $0.084/s' }),
				expect.objectContaining({ value: 'kling/kling-2.6-i2v/image-to-video', name: 'Kling 2.6 (Audio Always On) — Image to Video · $0.04/s' }),
				expect.objectContaining({ value: 'kling/kling-i2v-frames-v26/image-to-video', name: 'Kling V2.6 (Std/Pro) — Image to Video · $0.06/s' }),
				expect.objectContaining({ value: 'alibaba-plus/wan-2.6-flash/image-to-video', name: 'Alibaba Wan 2.6 Flash (Alibaba+) — Image to Video · $0.50/s' }),
				expect.objectContaining({ value: 'bytedance/seedance-2.0/omni-reference', name: 'ByteDance Seedance 2.0 — Omni Reference · $0.24/s' }),
				expect.objectContaining({ value: 'bytedance-plus/seedance-1.5-pro-super/image-to-video', name: 'ByteDance Seedance 1.5 Pro Super — Image to Video · $0.015/s' }),
				expect.objectContaining({ value: 'kling-plus/kling-3.0-pro/motion-control', name: 'Kling 3.0 Pro — Motion Control · $0.05 per video' }),
			]),
		);
		// every near-namesake (same name but for the route tag) explains itself under its name
		const plus = options.find((o) => o.value === 'kling-plus/kling-3.0-pro/text-to-video')!;
		const base = options.find((o) => o.value === 'kling/kling-3.0-pro/text-to-video')!;
		expect(plus.description).toMatch(/^Kling Plus route: 3 to 15 s, sound on by default/);
		expect(base.description).toMatch(/^Kling route: 5, 10 or 15 s, sound off by default/);
		expect(options.find((o) => o.value === 'kling/kling-2.6-i2v/image-to-video')!.description).toMatch(/unlike Kling 2.6 Pro and Kling V2.6/);
		for (const o of options) expect(o.description).not.toMatch(/anomalous/);
	});

	test.each([
		['google', 'google/veo-3.1/text-to-video'],
		['openai', 'openai/sora-2/text-to-video'],
		['bytedance', 'bytedance/seedance-2.0/text-to-video'],
		['seedance', 'bytedance/seedance-2.0/text-to-video'],
		['veo', 'google/veo-3.1/text-to-video'],
		['image to video', 'kling/kling-3.0-standard/image-to-video'],
		['$0.084', 'kling/kling-3.0-standard/image-to-video'],
		['$0.015/s', 'bytedance-plus/seedance-1.5-pro-super/image-to-video'],
		['motion control', 'kling-plus/kling-3.0-pro/motion-control'],
	])('typing "%s" (n8n filters on the name) finds %s', (typed, slug) => {
		const found = options.filter((o) => o.name.toLowerCase().includes(typed.toLowerCase())).map((o) => o.value);
		expect(found).toContain(slug);
	});

	test('is sorted by maker, newest generation first, then model, route and capability', () => {
		const makers = options.slice(0, -1).map((o) => o.name.split(' ')[0]);
		expect([...new Set(makers)]).toEqual(['Alibaba', 'ByteDance', 'Google', 'Kling', 'MiniMax', 'OpenAI', 'Runway', 'xAI']);
		const series = (prefix: string) => [...new Set(options.filter((o) => o.name.startsWith(prefix)).map((o) => o.name.split(' — ')[0]))];
		expect(series('Alibaba')).toEqual([
			'Alibaba Wan 2.7',
			'Alibaba Wan 2.6',
			'Alibaba Wan 2.6 Flash',
			'Alibaba Wan 2.6 Flash (Alibaba+)',
			'Alibaba Wan 2.6 Pro',
			'Alibaba Wan 2.6 Super',
			'Alibaba Wan 2.2 Super',
		]);
		expect(series('ByteDance')).toEqual(['ByteDance Seedance 2.0', 'ByteDance Seedance 2.0 Fast', 'ByteDance Seedance 1.5 Pro Super']);
		expect(series('Kling').slice(0, 6)).toEqual([
			'Kling 3.0 Pro',
			'Kling 3.0 Pro (Kling Plus)',
			'Kling 3.0 Standard',
			'Kling 3.0 Standard (Kling Plus)',
			'Kling O3 Pro',
			'Kling O3 Standard',
		]);
		expect(series('Kling').slice(-3)).toEqual(['Kling V2.5 (Std/Pro)', 'Kling 2.1 Master', 'Kling 2.1 Pro']);
		const veo = options.filter((o) => o.value.startsWith('google/veo-3.1/')).map((o) => o.name.split(' — ')[1].split(' · ')[0]);
		expect(veo).toEqual(['Text to Video', 'Image to Video', 'Start & End Frame to Video', 'Reference to Video']);
	});

	test('each option says what sets it apart, its exact price formula, typical time and slug', () => {
		const veo = options.find((o) => o.value === 'google/veo-3.1-fast/text-to-video')!;
		expect(veo.description).toBe(
			'$0.20/s × seconds, × 1.5 if resolution=4k, × 1.5 if has_sound=true · about 240 s · google/veo-3.1-fast/text-to-video',
		);
		const kling = options.find((o) => o.value === 'kling/kling-3.0-standard/image-to-video')!;
		expect(kling.description).toContain('$0.084/s × seconds, × 1.5 if has_sound=true');
		const motion = options.find((o) => o.value === 'kling-plus/kling-3.0-pro/motion-control')!;
		expect(motion.description).toContain('$0.05 per video, whatever its length');
	});
});

describe('fields, as documented per model', () => {
	test.each([
		// families (§6.0) and the odd ones out
		['kling/kling-3.0-pro/start-end-frame-to-video', 'prompt*,start_frame_url*,end_frame_url*,aspect_ratio,duration,has_sound'],
		['kling/kling-2.6-pro/text-to-video', 'prompt*,aspect_ratio,duration,has_sound'],
		['kling/kling-i2v-frames-v25/start-end-frame-to-video', 'prompt,image_url*,end_image_url*,aspect_ratio,quality,duration,seed'],
		['kling/kling-elements-i2v-v3/image-to-video-elements', 'prompt*,image_url*,elements*,aspect_ratio,quality,duration'],
		['kling/kling-extend-v3/extend-video', 'prompt,video_url*,work_id,negative_prompt,quality,duration'],
		['kling/kling-motion-create-v3/motion-transfer-to-video', 'prompt,image_url*,motion_video_url*,quality'],
		['kling-plus/kling-2.6-pro/motion-control', 'image*,video*,prompt,negative_prompt,character_orientation*,keep_original_sound'],
		['kling-plus/kling-3.0-standard/image-to-video', 'prompt,image_url*,negative_prompt,duration,has_sound,shot_type,cfg_scale'],
		['kling-plus/kling-2.6-pro/image-to-video', 'prompt,image_url*,end_image,negative_prompt,duration,has_sound,cfg_scale'],
		['kling-plus/kling-2.1-pro/start-end-frame-to-video', 'prompt,image_url*,end_image_url*,negative_prompt,duration,guidance_scale'],
		['kling-plus/kling-o1-pro/start-end-frame-to-video', 'prompt,image_url*,end_image_url*,duration'],
		['kling-plus/kling-o1-pro/reference-to-video', 'prompt*,images,video_url,aspect_ratio,duration,keep_original_sound'],
		['kling-plus/kling-o1-standard/reference-to-video', 'prompt*,images,video_url,duration,keep_original_sound'],
		['kling-plus/kling-o1-pro/video-edit-fast', 'prompt*,images,video_url*,aspect_ratio,keep_original_sound'],
		['kling-plus/kling-o3-pro/reference-to-video', 'prompt,images,video_url,elements,multishot,aspect_ratio,duration,has_sound,keep_original_sound,shot_type'],
		['kling-plus/kling-o3-standard/start-end-frame-to-video', 'prompt,start_frame_url*,end_frame_url*,multishot,duration,has_sound,shot_type'],
		['kling-plus/kling-o3-pro/video-edit', 'prompt*,images,video_url*,keep_original_sound,shot_type'],
		['google/veo-3.1-fast/reference-to-video', 'prompt*,image_urls*,aspect_ratio,resolution,duration,has_sound,seed'],
		['google/veo-3.1/start-end-frame-to-video', 'prompt,start_frame_url*,end_frame_url*,aspect_ratio*,resolution,duration'],
		['google/veo-3.1-ecl/start-end-frame-to-video', 'prompt,first_frame_url*,last_frame_url*,aspect_ratio,resolution,duration,has_sound'],
		['openai/sora-2/image-to-video', 'image_url*,aspect_ratio,duration'],
		['openai/sora-2-pro/text-to-video', 'prompt*,aspect_ratio,resolution,duration'],
		['runway/gen-4.5/image-to-video', 'prompt,image_url*,aspect_ratio,duration'],
		['bytedance/seedance-2.0/omni-reference', 'prompt*,omni_images,omni_videos,omni_audios,aspect_ratio*,resolution,duration,fps'],
		['bytedance-plus/seedance-1.5-pro-super/start-end-frame-to-video', 'prompt,start_frame_url*,end_frame_url*,aspect_ratio,resolution,duration,generate_audio,camera_fixed'],
		['alibaba/wan-2.2-super/image-to-video', 'prompt*,image_url*,quality,duration*,seed'],
		['alibaba-plus/wan-2.6/reference-to-video', 'prompt*,video_urls*,negative_prompt,aspect_ratio,resolution,duration,multi_shots,enable_prompt_expansion,enable_safety_checker,seed'],
		['alibaba-plus/wan-2.6-flash/reference-to-video', 'prompt*,reference_urls*,negative_prompt,aspect_ratio,duration'],
		['alibaba-plus/wan-2.7/image-to-video', 'prompt*,image_url*,end_frame_url,input_video_url,audio_url,negative_prompt,resolution,duration,enable_prompt_expansion,seed'],
		['alibaba-plus/wan-2.7/reference-to-video', 'prompt*,image_url*,start_frame_url,image_urls,video_url,reference_voice_url,negative_prompt,aspect_ratio,resolution,duration,shot_type,enable_prompt_expansion,seed'],
		['minimax-plus/hailuo-2.3-pro/text-to-video', 'prompt*'],
		['minimax-plus/hailuo-2.3-standard/image-to-video', 'prompt,image_url*,duration'],
		['xai/grok-imagine/image-to-video', 'prompt*,image_url*,resolution*,duration*'],
	])('%s: %s', (slug, expected) => {
		expect(signature(slug)).toBe(expected);
	});

	test('every field has the JSON type the API documents', () => {
		const kinds: Record<string, FieldKind> = {
			prompt: 'text',
			negative_prompt: 'text',
			work_id: 'text',
			has_sound: 'booleanString',
			keep_original_sound: 'boolean',
			generate_audio: 'boolean',
			camera_fixed: 'boolean',
			enable_prompt_expansion: 'boolean',
			enable_safety_checker: 'boolean',
			multi_shots: 'boolean',
			cfg_scale: 'number',
			guidance_scale: 'number',
			seed: 'integer',
			image_urls: 'urlList',
			images: 'urlList',
			video_urls: 'urlList',
			reference_urls: 'urlList',
			omni_images: 'urlList',
			omni_videos: 'urlList',
			omni_audios: 'urlList',
			elements: 'json',
			multishot: 'json',
			aspect_ratio: 'enum',
			duration: 'enum',
			resolution: 'enum',
			quality: 'enum',
			fps: 'enum',
			shot_type: 'enum',
			character_orientation: 'enum',
		};
		for (const m of videoModels)
			for (const f of m.fields) {
				const expected = kinds[f.apiName] ?? (/(_url|^image|^video|^end_image)$/.test(f.apiName) ? 'url' : undefined);
				expect([m.slug, f.apiName, f.kind]).toEqual([m.slug, f.apiName, expected]);
				// enum values are the API's strings ("5", "1080p"), never numbers
				for (const o of f.options ?? []) expect(typeof (typeof o === 'string' ? o : o.value)).toBe('string');
			}
	});

	test('reference limits: Veo Fast 1–3 images, Kling O1/O3 ≤7 (≤4 with a video), O1 Standard ≤10, Wan 2.6 1–3 videos, Wan 2.6 Flash ≤5, Seedance omni 9/3/3', () => {
		expect(field('google/veo-3.1-fast/reference-to-video', 'image_urls')).toMatchObject({ minItems: 1, maxItems: 3 });
		expect(field('kling-plus/kling-o1-pro/reference-to-video', 'images')).toMatchObject({ maxItems: 7, maxItemsWith: { field: 'video_url', maxItems: 4 } });
		expect(field('kling-plus/kling-o3-standard/reference-to-video', 'images')).toMatchObject({ maxItems: 7, maxItemsWith: { field: 'video_url', maxItems: 4 } });
		expect(field('kling-plus/kling-o1-standard/reference-to-video', 'images').maxItems).toBe(10);
		expect(field('kling-plus/kling-o1-standard/video-edit', 'images').maxItems).toBe(10);
		expect(field('kling-plus/kling-o3-pro/video-edit', 'images').maxItems).toBe(4);
		expect(field('alibaba-plus/wan-2.6/reference-to-video', 'video_urls')).toMatchObject({ required: true, minItems: 1, maxItems: 3 });
		expect(field('alibaba-plus/wan-2.6-flash/reference-to-video', 'reference_urls')).toMatchObject({ required: true, maxItems: 5 });
		const omni = model('bytedance/seedance-2.0-fast/omni-reference');
		expect(omni.fields.filter((f) => f.kind === 'urlList').map((f) => [f.apiName, f.maxItems])).toEqual([
			['omni_images', 9],
			['omni_videos', 3],
			['omni_audios', 3],
		]);
	});

	test('prompt limits as documented', () => {
		const limit = (slug: string) => field(slug, 'prompt').maxLength;
		expect(limit('kling/kling-3.0-pro/text-to-video')).toBe(2500);
		expect(limit('kling-plus/kling-3.0-pro/motion-control')).toBe(1000);
		expect(limit('google/veo-3.1/text-to-video')).toBe(4000);
		expect(limit('openai/sora-2/text-to-video')).toBe(1000);
		expect(limit('runway/gen-4.5/text-to-video')).toBe(5000);
		expect(limit('runway/gen-4/image-to-video')).toBe(1000);
		expect(limit('bytedance/seedance-2.0/text-to-video')).toBe(5000);
		expect(limit('alibaba/wan-2.6-flash/image-to-video')).toBe(1500);
		expect(limit('alibaba-plus/wan-2.7/text-to-video')).toBe(5000);
		expect(field('alibaba-plus/wan-2.7/text-to-video', 'negative_prompt').maxLength).toBe(500);
		expect(limit('minimax-plus/hailuo-2.3-standard/text-to-video')).toBe(2500);
		// no documented limit: none is enforced
		expect(limit('kling/kling-text2video-v3/text-to-video')).toBeUndefined();
	});

	test('defaults as documented (strings where the API wants strings)', () => {
		expect(field('google/veo-3.1-fast/text-to-video', 'duration').default).toBe('8');
		expect(field('google/veo-3.1-fast/text-to-video', 'has_sound').default).toBe(true);
		expect(field('google/veo-3.1/text-to-video', 'has_sound').default).toBe(false);
		expect(field('google/veo-3.1/start-end-frame-to-video', 'duration').default).toBe('4');
		expect(field('kling-plus/kling-2.6-pro/text-to-video', 'aspect_ratio').default).toBe('1:1');
		expect(field('kling-plus/kling-3.0-pro/text-to-video', 'has_sound').default).toBe(true);
		expect(field('kling-plus/kling-3.0-pro/text-to-video', 'cfg_scale').default).toBe(0.5);
		expect(field('kling-plus/kling-2.1-master/text-to-video', 'guidance_scale').default).toBe(0.5);
		expect(field('alibaba-plus/wan-2.7/text-to-video', 'resolution').default).toBe('1080p');
		expect(field('alibaba-plus/wan-2.6/reference-to-video', 'resolution').default).toBe('1080p');
		expect(field('minimax-plus/hailuo-2.3-fast/image-to-video', 'duration').default).toBe('6');
		expect(field('bytedance-plus/seedance-1.5-pro-super/image-to-video', 'generate_audio').default).toBe(true);
		expect(field('bytedance-plus/seedance-1.5-pro-super/image-to-video', 'camera_fixed').default).toBe(false);
		// no documented default: "Model Default", nothing sent
		expect(field('kling-plus/kling-o1-pro/video-edit-fast', 'aspect_ratio').default).toBe('');
	});
});

describe('n8n properties', () => {
	test('every model shows its fields in its own order, each sent to input.<api_name>', () => {
		for (const version of [1, 2])
			for (const m of videoModels) {
				const shown = shownFor(m.slug, version);
				expect([m.slug, shown.map((p) => p.name)]).toEqual([m.slug, m.fields.map(paramName)]);
				// each parameter is the catalog field the engine sends as input.<apiName>
				shown.forEach((p, i) => expect(paramName(m.fields[i])).toBe(p.name));
			}
		// version 3: Multi-Shot and Elements are lists in the editor (their own parameters), in the same place
		const asList: Record<string, string> = { multishot: 'shotList', elements: 'elementList' };
		for (const m of videoModels)
			expect([m.slug, shownFor(m.slug, 3).map((p) => p.name)]).toEqual([m.slug, m.fields.map((f) => asList[paramName(f)] ?? paramName(f))]);
	});

	test('one n8n type per parameter name across the whole node (n8n keeps values when switching models)', () => {
		const types = new Map<string, Set<string>>();
		for (const p of properties) types.set(p.name, (types.get(p.name) ?? new Set()).add(p.type));
		const clashes = [...types].filter(([, t]) => t.size > 1).map(([name, t]) => `${name}: ${[...t].join(', ')}`);
		expect(clashes).toEqual([]);
	});

	test('URL lists are multi-value fields, arrays of objects are JSON, seeds start at -1 (not sent)', () => {
		const veoRef = shownFor('google/veo-3.1-fast/reference-to-video');
		expect(veoRef.find((p) => p.name === 'imageUrls')).toMatchObject({ type: 'string', default: [], typeOptions: { multipleValues: true } });
		expect(veoRef.find((p) => p.name === 'seed')).toMatchObject({ type: 'number', default: -1 });
		const elements = shownFor('kling/kling-elements-i2v-v3/image-to-video-elements').find((p) => p.name === 'elements') as INodeProperties;
		expect(elements).toMatchObject({ type: 'json', required: true });
		expect(findModel('kling/kling-elements-i2v-v3/image-to-video-elements')!.fields.find((f) => paramName(f) === 'elements')).toMatchObject({ apiName: 'elements', kind: 'json' });
		expect(shownFor('bytedance-plus/seedance-1.5-pro-super/image-to-video').find((p) => p.name === 'generateAudio')).toMatchObject({
			type: 'boolean',
			default: true,
		});
	});

	test('Estimate Cost shows the same model fields as Generate, but not Generate-only parameters', () => {
		const forOperation = (operation: string) =>
			properties.filter((p) => {
				const show = p.displayOptions?.show ?? {};
				return (show.resource as string[] | undefined)?.includes('video') && (show.operation as string[] | undefined)?.includes(operation);
			});
		const generate = forOperation('generate').map((p) => p.name);
		const estimate = forOperation('estimateCost').map((p) => p.name);
		expect(generate).toEqual(expect.arrayContaining(['model', 'customModel', 'inputJson', 'prompt', 'imageUrl', 'waitForCompletion', 'options']));
		expect(estimate).toEqual(expect.arrayContaining(['model', 'customModel', 'inputJson', 'prompt', 'imageUrl', 'options']));
		expect(estimate).not.toContain('waitForCompletion');
		const optionNames = (operation: string) =>
			(forOperation(operation).find((p) => p.name === 'options')!.options as INodeProperties[]).map((o) => o.name);
		expect(optionNames('estimateCost')).toEqual(['askApi', 'version']);
		expect(optionNames('generate')).toEqual(expect.arrayContaining(['maxCostUsd', 'download', 'webhookUrl']));
		const op = properties.find((p) => p.name === 'operation' && (p.displayOptions?.show?.resource as string[]).includes('video'))!;
		expect(op.options).toEqual(
			expect.arrayContaining([expect.objectContaining({ value: 'estimateCost', name: 'Estimate Cost', action: 'Estimate the cost of a video' })]),
		);
	});

	test('the description stays small', () => {
		// 223,043 characters after the merge of the image models (resource Image, 29 models: about 28,000
		// with their rows in the subtitle's price table) with the editor's price subtitle (27,000) and names
		expect(JSON.stringify(new MuviVideo().description).length).toBeLessThan(240_000);
	});
});

describe('validation per model, before any request', () => {
	const ok = 'https://example.com/a.jpg';

	test('seed: -1 (the default) is not sent, 0 and other values are, as integers', () => {
		const slug = 'google/veo-3.1/text-to-video';
		expect(prepareModelInput(model(slug), { prompt: 'x', seed: -1 }).input).toEqual({ prompt: 'x' });
		expect(prepareModelInput(model(slug), { prompt: 'x', seed: 0 }).input).toEqual({ prompt: 'x', seed: 0 });
		expect(prepareModelInput(model(slug), { prompt: 'x', seed: '42' }).input).toEqual({ prompt: 'x', seed: 42 });
		expect(prepareModelInput(model(slug), { prompt: 'x', seed: 1.5 }).problem?.field).toBe('seed');
	});

	test('Kling O1 Pro reference: at most 7 images, or 4 with a reference video', () => {
		const m = model('kling-plus/kling-o1-pro/reference-to-video');
		const images = (n: number) => Array.from({ length: n }, (_, i) => `https://example.com/${i}.jpg`);
		expect(prepareModelInput(m, { prompt: 'x', images: images(7) }).problem).toBeUndefined();
		expect(prepareModelInput(m, { prompt: 'x', images: images(8) }).problem?.field).toBe('images');
		expect(prepareModelInput(m, { prompt: 'x', images: images(4), video_url: ok }).problem).toBeUndefined();
		const tooMany = prepareModelInput(m, { prompt: 'x', images: images(5), video_url: ok }).problem;
		expect(tooMany?.field).toBe('images');
		expect(tooMany?.message).toMatch(/has 5 entries; with "Video URL" \(videoUrl\) set, the model accepts at most 4/);
	});

	test('lists: required and counted (Veo Fast reference 1–3, Wan 2.6 Flash ≤5, Seedance omni ≤3 videos)', () => {
		const veo = model('google/veo-3.1-fast/reference-to-video');
		expect(prepareModelInput(veo, { prompt: 'x', image_urls: [] }).problem?.message).toMatch(/is required/);
		expect(prepareModelInput(veo, { prompt: 'x', image_urls: [ok, ok, ok, ok] }).problem?.field).toBe('image_urls');
		expect(prepareModelInput(veo, { prompt: 'x', image_urls: [ok, ok] }).input?.image_urls).toEqual([ok, ok]);
		expect(prepareModelInput(model('alibaba-plus/wan-2.6-flash/reference-to-video'), { prompt: 'x', reference_urls: Array(6).fill(ok) }).problem?.field).toBe('reference_urls');
		expect(prepareModelInput(model('bytedance/seedance-2.0/omni-reference'), { prompt: 'x', aspect_ratio: '16:9', omni_videos: Array(4).fill(ok) }).problem?.field).toBe('omni_videos');
	});

	test('JSON lists (elements, multishot) must be arrays; required ones must be given', () => {
		const elementsModel = model('kling/kling-elements-i2v-v3/image-to-video-elements');
		expect(prepareModelInput(elementsModel, { prompt: 'x', image_url: ok, elements: '[]' }).problem?.message).toMatch(/is required/);
		expect(prepareModelInput(elementsModel, { prompt: 'x', image_url: ok, elements: '{"characterImages": []}' }).problem?.message).toMatch(/must be a JSON array/);
		const elements = [{ characterImages: [ok], type: 'IMAGE' }];
		expect(prepareModelInput(elementsModel, { prompt: 'x', image_url: ok, elements: JSON.stringify(elements) }).input?.elements).toEqual(elements);
		const o3 = model('kling-plus/kling-o3-standard/text-to-video');
		expect(prepareModelInput(o3, { prompt: 'x', multishot: '[]' }).input).toEqual({ prompt: 'x' });
		expect(prepareModelInput(o3, { prompt: 'x', multishot: '[{"prompt": "a", "duration": 3}]' }).input?.multishot).toEqual([{ prompt: 'a', duration: 3 }]);
	});

	test('model-specific rules: Kling 2.6 motion control needs an orientation, Veo 3.1 start-end an aspect ratio, Grok a duration', () => {
		const mc = model('kling-plus/kling-2.6-standard/motion-control');
		expect(prepareModelInput(mc, { image: ok, video: ok, character_orientation: '' }).problem?.field).toBe('character_orientation');
		expect(prepareModelInput(mc, { image: ok, video: ok, character_orientation: 'video', shot_type: 'customize' }).input).toEqual({
			image: ok,
			video: ok,
			character_orientation: 'video',
		});
		expect(prepareModelInput(model('google/veo-3.1/start-end-frame-to-video'), { start_frame_url: ok, end_frame_url: ok }).problem?.field).toBe('aspect_ratio');
		expect(prepareModelInput(model('xai/grok-imagine/image-to-video'), { prompt: 'x', image_url: ok, resolution: '720p' }).problem?.field).toBe('duration');
		expect(prepareModelInput(model('openai/sora-2/text-to-video'), { prompt: 'x'.repeat(1001) }).problem?.field).toBe('prompt');
		expect(prepareModelInput(model('bytedance/seedance-2.0/text-to-video'), { prompt: 'x', fps: '25' }).problem?.message).toMatch(/cannot be "25"/);
	});

	test('real booleans stay booleans, string booleans stay strings, numbers stay numbers', () => {
		const s15 = prepareModelInput(model('bytedance-plus/seedance-1.5-pro-super/image-to-video'), {
			prompt: 'x',
			image_url: ok,
			generate_audio: 'false',
			camera_fixed: true,
		});
		expect(s15.input).toMatchObject({ generate_audio: false, camera_fixed: true });
		const wan = prepareModelInput(model('alibaba/wan-2.6-flash/image-to-video'), { prompt: 'x', image_url: ok, has_sound: true });
		expect(wan.input).toMatchObject({ has_sound: 'true' });
		const kp = prepareModelInput(model('kling-plus/kling-3.0-pro/text-to-video'), { prompt: 'x', cfg_scale: '0.7' });
		expect(kp.input).toMatchObject({ cfg_scale: 0.7 });
		expect(prepareModelInput(model('kling-plus/kling-3.0-pro/text-to-video'), { prompt: 'x', cfg_scale: 2 }).problem?.field).toBe('cfg_scale');
	});
});
