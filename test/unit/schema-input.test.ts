/**
 * Typed fields for a custom slug (engine/schemaInput.ts, descriptions/customModel.ts), from the JSON Schema the fake's catalog
 * serves for its models (§2.7): the resource mapper's fields, and the conversion and checks that run
 * before anything is sent.
 */
import type { IDataObject } from 'n8n-workflow';

import { readInputSchema } from '../../nodes/muviClient/catalog';
import { schemaToMapperFields } from '../../nodes/MuviVideo/descriptions/customModel';
import { prepareSchemaInput } from '../../nodes/MuviVideo/engine/schemaInput';
import type { ModelInputSchema } from '../../nodes/muviClient/catalog';
import { builtinModelSpecs } from '../fake-muvi/models';

/** The schema exactly as the fake's `GET /v1/catalog/models/{slug}` publishes it. */
function fakeSchema(slug: string): ModelInputSchema {
	const spec = builtinModelSpecs().find((s) => s.slug === slug)!;
	const schema = readInputSchema({ slug, inputSchema: JSON.parse(JSON.stringify(spec.inputSchema)) });
	expect(schema).not.toBeNull();
	return schema!;
}

const VEO = 'google/veo-3.1-fast/text-to-video';
const MOTION = 'kling-plus/kling-3.0-pro/motion-control';
const WAN = 'alibaba-plus/wan-2.7/image-to-image';

describe('resource mapper fields from inputSchema', () => {
	test('Veo 3.1 Fast: required prompt first, enums as dropdowns with their defaults, seed a number', () => {
		const fields = schemaToMapperFields(fakeSchema(VEO));
		expect(fields.map((f) => [f.id, f.type, f.required])).toEqual([
			['prompt', 'string', true],
			['aspect_ratio', 'options', false],
			['resolution', 'options', false],
			['duration', 'options', false],
			['has_sound', 'options', false],
			['seed', 'number', false],
		]);
		expect(fields.find((f) => f.id === 'duration')).toMatchObject({
			displayName: 'Duration',
			options: [
				{ name: '4', value: '4' },
				{ name: '6', value: '6' },
				{ name: '8', value: '8' },
			],
			defaultValue: '8',
			display: true,
			defaultMatch: false,
		});
	});

	test('motion control: a real boolean, URL fields named as in the API', () => {
		const fields = schemaToMapperFields(fakeSchema(MOTION));
		expect(fields.slice(0, 2).map((f) => [f.id, f.required])).toEqual([
			['image', true],
			['video', true],
		]);
		expect(fields.find((f) => f.id === 'keep_original_sound')).toMatchObject({ type: 'boolean', defaultValue: true });
	});

	test('image lists are arrays', () => {
		expect(schemaToMapperFields(fakeSchema(WAN)).find((f) => f.id === 'image_urls')).toMatchObject({ type: 'array', required: true, displayName: 'Image URLs' });
	});

	test('readInputSchema takes flat or wrapped answers and returns null without a schema', () => {
		const inner = { properties: { prompt: { type: 'string' } }, required: ['prompt'] };
		expect(readInputSchema({ success: true, data: { slug: 'a/b', inputSchema: inner } })).toEqual(inner);
		expect(readInputSchema({ slug: 'a/b' })).toBeNull();
		expect(readInputSchema({ inputSchema: { properties: {} } })).toEqual({ properties: {}, required: [] });
		expect(readInputSchema('nope')).toBeNull();
	});
});

describe('checking mapped values before submitting', () => {
	test('values from sheets are converted to the schema types', () => {
		expect(prepareSchemaInput(VEO, fakeSchema(VEO), { prompt: 'a fox', duration: 8, has_sound: 'false', seed: '42', resolution: '' })).toEqual({
			input: { prompt: 'a fox', duration: '8', has_sound: 'false', seed: 42 },
		});
		expect(
			prepareSchemaInput(MOTION, fakeSchema(MOTION), { image: 'https://e.com/a.png', video: 'https://e.com/b.mp4', keep_original_sound: 'FALSE' }).input,
		).toEqual({ image: 'https://e.com/a.png', video: 'https://e.com/b.mp4', keep_original_sound: false });
		expect(
			prepareSchemaInput(WAN, fakeSchema(WAN), { prompt: 'p', image_urls: 'https://e.com/a.png, https://e.com/b.png', num_images: 2, thinking_mode: 'true' }).input,
		).toEqual({ prompt: 'p', image_urls: ['https://e.com/a.png', 'https://e.com/b.png'], num_images: '2', thinking_mode: true });
		expect(prepareSchemaInput(WAN, fakeSchema(WAN), { prompt: 'p', image_urls: '["https://e.com/a.png"]' }).input).toEqual({
			prompt: 'p',
			image_urls: ['https://e.com/a.png'],
		});
	});

	test.each<[string, string, IDataObject, string, RegExp]>([
		['missing required prompt', VEO, { duration: '8' }, 'prompt', /^"Prompt" \(prompt\) is required for google\/veo-3\.1-fast\/text-to-video$/],
		['blank required video', MOTION, { image: 'https://e.com/a.png', video: '  ' }, 'video', /"Video" \(video\) is required/],
		['a duration outside the enum', VEO, { prompt: 'p', duration: '10' }, 'duration', /"Duration" \(duration\) of google\/veo-3\.1-fast\/text-to-video cannot be "10"/],
		['a seed that is not a number', VEO, { prompt: 'p', seed: 'abc' }, 'seed', /must be a whole number/],
		['a seed with decimals', VEO, { prompt: 'p', seed: 1.5 }, 'seed', /must be a whole number/],
		['a prompt too long', VEO, { prompt: 'x'.repeat(4001) }, 'prompt', /4001 characters long; the model accepts at most 4000/],
		['a flag that is not true or false', MOTION, { image: 'https://e.com/a.png', video: 'https://e.com/b.mp4', keep_original_sound: 'maybe' }, 'keep_original_sound', /must be true or false/],
		['a file path instead of a URL', MOTION, { image: '/tmp/a.png', video: 'https://e.com/b.mp4' }, 'image', /must be a web address/],
		['five source images', WAN, { prompt: 'p', image_urls: ['https://e.com/1', 'https://e.com/2', 'https://e.com/3', 'https://e.com/4', 'https://e.com/5'] }, 'image_urls', /5 entries; the model accepts at most 4/],
		['a bad URL in a list', WAN, { prompt: 'p', image_urls: ['https://e.com/1', 'nope'] }, 'image_urls', /entry 2 must be a web address/],
		['broken JSON list', WAN, { prompt: 'p', image_urls: '["https://e.com/1"' }, 'image_urls', /not a valid JSON array/],
	])('%s is refused, naming the field', (_, slug, values, field, message) => {
		const result = prepareSchemaInput(slug, fakeSchema(slug), values);
		expect(result.input).toBeUndefined();
		expect(result.problem?.field).toBe(field);
		expect(result.problem?.message).toMatch(message);
	});

	test('fields the schema does not list are sent as given', () => {
		expect(prepareSchemaInput(VEO, fakeSchema(VEO), { prompt: 'p', extra_knob: 3 }).input).toEqual({ prompt: 'p', extra_knob: 3 });
	});
});
