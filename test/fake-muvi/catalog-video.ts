/**
 * The rest of the documented video models (muvi-api.md §6.2–§6.10) for the fake's public catalog,
 * so `GET /v1/catalog/models` lists every documented model with its schema and price, as §2.7
 * describes. Written from the doc's tables, independently of the node's catalog: the drift check
 * (npm run catalog:check) run against the fake compares the two readings field by field.
 * The seed models and their neighbours stay in models.ts (BUILTIN_SPECS); these add the others.
 *
 * Self-contained (no imports from models.ts, which imports this file); erasable syntax only.
 */
import type { FakeModelSpec, FakePricing, InputSchema, JsonSchemaProperty, PriceMultiplier } from './models';

type Props = Record<string, JsonSchemaProperty>;

const str = (maxLength?: number): JsonSchemaProperty => ({ type: 'string', ...(maxLength !== undefined ? { maxLength } : {}) });
const url = (): JsonSchemaProperty => ({ type: 'string', format: 'uri' });
const urls = (minItems?: number, maxItems?: number): JsonSchemaProperty => ({
	type: 'array',
	items: { type: 'string', format: 'uri' },
	...(minItems !== undefined ? { minItems } : {}),
	...(maxItems !== undefined ? { maxItems } : {}),
});
const oneOf = (values: string[], def?: string): JsonSchemaProperty => ({ type: 'string', enum: values, ...(def !== undefined ? { default: def } : {}) });
const bool = (def: boolean): JsonSchemaProperty => ({ type: 'boolean', default: def });
const seconds = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));
const sound = (def: 'true' | 'false') => oneOf(['true', 'false'], def);
const ASPECT_3 = ['16:9', '9:16', '1:1'];
const ASPECT_2 = ['16:9', '9:16'];
const SEED: JsonSchemaProperty = { type: 'integer' };

const perSecond = (rate: number, defaultDuration: string, ...multipliers: PriceMultiplier[]): FakePricing => ({
	perSecondMicroCents: rate,
	defaultDuration,
	...(multipliers.length ? { multipliers } : {}),
});
const flat = (microCents: number): FakePricing => ({ flatMicroCents: microCents });
const by = (field: string, values: Record<string, number>, def?: string): PriceMultiplier => ({ field, values, ...(def !== undefined ? { default: def } : {}) });

function model(slug: string, name: string, pricing: FakePricing, properties: Props, required: string[]): FakeModelSpec {
	const schema: InputSchema = { type: 'object', properties, required };
	return { slug, name, description: `${name} (${slug.split('/')[2]})`, category: 'video', pricing, inputSchema: schema };
}

// §6.0 K3 — base Kling, Kling 3.0
const K3 = (rate: number) => perSecond(rate, '5', by('has_sound', { true: 1.5 }, 'false'));
const k3 = (extra: Props): Props => ({
	prompt: str(2500),
	...extra,
	aspect_ratio: oneOf(ASPECT_3, '16:9'),
	duration: oneOf(['5', '10', '15'], '5'),
	has_sound: sound('false'),
});
// §6.0 KQ — base Kling with a quality switch
const KQ = (rate: number) => perSecond(rate, '5', by('quality', { pro: 1.5 }, 'std'));
const kq = (extra: Props, durations: string[]): Props => ({
	...extra,
	quality: oneOf(['std', 'pro'], 'std'),
	aspect_ratio: oneOf(ASPECT_3, '16:9'),
	duration: oneOf(durations, '5'),
});
const FIVE_TEN = ['5', '10'];

const kling: FakeModelSpec[] = [
	model('kling/kling-3.0-pro/text-to-video', 'Kling 3.0 Pro', K3(112_000), k3({}), ['prompt']),
	model('kling/kling-3.0-pro/start-end-frame-to-video', 'Kling 3.0 Pro', K3(112_000), k3({ start_frame_url: url(), end_frame_url: url() }), ['prompt', 'start_frame_url', 'end_frame_url']),
	model('kling/kling-2.6-pro/text-to-video', 'Kling 2.6 Pro', perSecond(70_000, '5', by('has_sound', { true: 2 }, 'false')), {
		prompt: str(2500),
		aspect_ratio: oneOf(ASPECT_2, '16:9'),
		duration: oneOf(FIVE_TEN, '5'),
		has_sound: sound('false'),
	}, ['prompt']),
	model('kling/kling-2.6-pro/image-to-video', 'Kling 2.6 Pro', perSecond(70_000, '5', by('has_sound', { true: 2 }, 'false')), {
		prompt: str(2500),
		image_url: url(),
		aspect_ratio: oneOf(ASPECT_2, '16:9'),
		duration: oneOf(FIVE_TEN, '5'),
		has_sound: sound('false'),
	}, ['prompt', 'image_url']),
	model('kling/kling-2.6-i2v/image-to-video', 'Kling 2.6 I2V', perSecond(40_000, '5'), { prompt: str(2500), image_url: url(), duration: oneOf(FIVE_TEN, '5') }, ['prompt', 'image_url']),
	model('kling/kling-text2video-v3/text-to-video', 'Kling V3', KQ(75_000), kq({ prompt: str() }, seconds(3, 15)), ['prompt']),
	model('kling/kling-i2v-frames-v3/image-to-video', 'Kling V3', KQ(80_000), kq({ image_url: url(), prompt: str() }, seconds(3, 15)), ['image_url']),
	model('kling/kling-i2v-frames-v3/start-end-frame-to-video', 'Kling V3', KQ(80_000), kq({ prompt: str(), start_frame_url: url(), end_frame_url: url() }, seconds(3, 15)), ['prompt', 'start_frame_url', 'end_frame_url']),
	model('kling/kling-elements-i2v-v3/image-to-video-elements', 'Kling V3 Elements', KQ(85_000), kq({
		prompt: str(),
		image_url: url(),
		elements: { type: 'array', minItems: 1, items: { type: 'object' } },
	}, seconds(3, 15)), ['prompt', 'image_url', 'elements']),
	model('kling/kling-extend-v3/extend-video', 'Kling V3 Extend', perSecond(70_000, '5', by('quality', { pro: 1.5 }, 'std')), {
		video_url: url(),
		work_id: str(),
		prompt: str(2500),
		negative_prompt: str(1000),
		quality: oneOf(['std', 'pro'], 'std'),
		duration: oneOf(FIVE_TEN, '5'),
	}, ['video_url']),
	model('kling/kling-motion-create-v3/motion-transfer-to-video', 'Kling V3 Motion Transfer', KQ(70_000), {
		image_url: url(),
		motion_video_url: url(),
		prompt: str(2500),
		quality: oneOf(['std', 'pro'], 'std'),
	}, ['image_url', 'motion_video_url']),
	model('kling/kling-text2video-v26/text-to-video', 'Kling V2.6', KQ(55_000), kq({ prompt: str() }, FIVE_TEN), ['prompt']),
	model('kling/kling-i2v-frames-v26/image-to-video', 'Kling V2.6', KQ(60_000), kq({ image_url: url(), prompt: str() }, FIVE_TEN), ['image_url']),
	model('kling/kling-i2v-frames-v26/start-end-frame-to-video', 'Kling V2.6', KQ(60_000), kq({ prompt: str(), start_frame_url: url(), end_frame_url: url() }, FIVE_TEN), ['prompt', 'start_frame_url', 'end_frame_url']),
	model('kling/kling-text2video-v25/text-to-video', 'Kling V2.5', KQ(45_000), kq({ prompt: str(), seed: SEED }, FIVE_TEN), ['prompt']),
	model('kling/kling-i2v-frames-v25/image-to-video', 'Kling V2.5', KQ(50_000), kq({ image_url: url(), prompt: str(), seed: SEED }, FIVE_TEN), ['image_url']),
	model('kling/kling-i2v-frames-v25/start-end-frame-to-video', 'Kling V2.5', KQ(50_000), kq({ image_url: url(), end_image_url: url(), prompt: str(), seed: SEED }, FIVE_TEN), ['image_url', 'end_image_url']),
	model('kling/kling-omni-o1/text-to-video', 'Kling O1', KQ(70_000), kq({ prompt: str() }, FIVE_TEN), ['prompt']),
	model('kling/kling-omni-o1/image-to-video', 'Kling O1', KQ(70_000), kq({ prompt: str(), image_url: url() }, FIVE_TEN), ['prompt', 'image_url']),
	model('kling/kling-i2v-frames-o1/start-end-frame-to-video', 'Kling O1', KQ(70_000), kq({ prompt: str(), start_frame_url: url(), end_frame_url: url() }, FIVE_TEN), ['prompt', 'start_frame_url', 'end_frame_url']),
];

// §6.1/§6.3 Kling Plus
const motion26 = (): Props => ({
	image: url(),
	video: url(),
	character_orientation: oneOf(['image', 'video']),
	prompt: str(1000),
	negative_prompt: str(1000),
	keep_original_sound: bool(true),
});
const SHOT = oneOf(['customize', 'intelligent'], 'customize');
/** KP3: Kling Plus, Kling 3.0 (sound on by default). */
const KP3 = (rate: number) => perSecond(rate, '5', by('has_sound', { true: 1.5 }, 'true'));
const kp3 = (extra: Props): Props => ({
	...extra,
	duration: oneOf(seconds(3, 15), '5'),
	has_sound: sound('true'),
	cfg_scale: { type: 'number', minimum: 0, maximum: 1, default: 0.5 },
	negative_prompt: str(1000),
	shot_type: SHOT,
});
/** KP2: Kling Plus, Kling 2.1 / 2.5 (guidance_scale). */
const kp2 = (extra: Props): Props => ({
	...extra,
	duration: oneOf(FIVE_TEN, '5'),
	guidance_scale: { type: 'number', minimum: 0, maximum: 1, default: 0.5 },
	negative_prompt: str(1000),
});
const kp2t2v = (): Props => kp2({ prompt: str(2500), aspect_ratio: oneOf(ASPECT_3, '16:9') });
const kp2i2v = (): Props => kp2({ image_url: url(), prompt: str(2500) });
/** KO1: Kling Plus, Kling O1 (no sound). */
const O1_LONG = seconds(3, 10);
const imagesList = (max: number): JsonSchemaProperty => ({ type: 'array', items: { type: 'string', format: 'uri' }, maxItems: max });
/** KO3: Kling Plus, Kling O3. */
const MULTISHOT: JsonSchemaProperty = { type: 'array', items: { type: 'object' } };
const ko3 = (extra: Props, opts: { aspect?: boolean; elements?: boolean }): Props => ({
	...extra,
	...(opts.aspect ? { aspect_ratio: oneOf(ASPECT_3, '16:9') } : {}),
	duration: oneOf(seconds(3, 15), '5'),
	has_sound: sound('false'),
	shot_type: SHOT,
	multishot: MULTISHOT,
	...(opts.elements ? { elements: { type: 'array', items: { type: 'object' } } as JsonSchemaProperty } : {}),
});
const KO3 = (rate: number) => perSecond(rate, '5', by('has_sound', { true: 1.5 }, 'false'));

const klingPlus: FakeModelSpec[] = [
	model('kling-plus/kling-2.6-pro/motion-control', 'Kling 2.6 Pro Motion Control', flat(40_000), motion26(), ['image', 'video', 'character_orientation']),
	model('kling-plus/kling-2.6-standard/motion-control', 'Kling 2.6 Standard Motion Control', flat(25_000), motion26(), ['image', 'video', 'character_orientation']),
	model('kling-plus/kling-3.0-standard/image-to-video', 'Kling 3.0 Standard (Plus)', KP3(84_000), kp3({ image_url: url(), prompt: str(2500) }), ['image_url']),
	model('kling-plus/kling-3.0-standard/start-end-frame-to-video', 'Kling 3.0 Standard (Plus)', KP3(84_000), kp3({ start_frame_url: url(), end_frame_url: url(), prompt: str(2500) }), ['start_frame_url', 'end_frame_url']),
	model('kling-plus/kling-3.0-pro/text-to-video', 'Kling 3.0 Pro (Plus)', KP3(112_000), kp3({ prompt: str(2500), aspect_ratio: oneOf(ASPECT_3, '16:9') }), ['prompt']),
	model('kling-plus/kling-3.0-pro/image-to-video', 'Kling 3.0 Pro (Plus)', KP3(112_000), kp3({ image_url: url(), prompt: str(2500) }), ['image_url']),
	model('kling-plus/kling-3.0-pro/start-end-frame-to-video', 'Kling 3.0 Pro (Plus)', KP3(112_000), kp3({ start_frame_url: url(), end_frame_url: url(), prompt: str(2500) }), ['start_frame_url', 'end_frame_url']),
	model('kling-plus/kling-2.6-pro/text-to-video', 'Kling 2.6 Pro (Plus)', perSecond(70_000, '5', by('has_sound', { true: 2 }, 'true')), {
		prompt: str(2500),
		aspect_ratio: oneOf(ASPECT_3, '1:1'),
		duration: oneOf(FIVE_TEN, '5'),
		has_sound: sound('true'),
		cfg_scale: { type: 'number', minimum: 0, maximum: 1, default: 0.5 },
		negative_prompt: str(1000),
	}, ['prompt']),
	model('kling-plus/kling-2.6-pro/image-to-video', 'Kling 2.6 Pro (Plus)', perSecond(70_000, '5', by('has_sound', { true: 2 }, 'true')), {
		image_url: url(),
		prompt: str(2500),
		end_image: url(),
		duration: oneOf(FIVE_TEN, '5'),
		has_sound: sound('true'),
		cfg_scale: { type: 'number', minimum: 0, maximum: 1, default: 0.5 },
		negative_prompt: str(1000),
	}, ['image_url']),
	model('kling-plus/kling-2.6-standard/text-to-video', 'Kling 2.6 Standard (Plus)', perSecond(50_000, '5'), {
		prompt: str(2500),
		aspect_ratio: oneOf(ASPECT_3, '16:9'),
		duration: oneOf(FIVE_TEN, '5'),
		negative_prompt: str(1000),
	}, ['prompt']),
	model('kling-plus/kling-2.6-standard/image-to-video', 'Kling 2.6 Standard (Plus)', perSecond(50_000, '5'), {
		image_url: url(),
		prompt: str(2500),
		duration: oneOf(FIVE_TEN, '5'),
		negative_prompt: str(1000),
	}, ['image_url']),
	model('kling-plus/kling-2.5-turbo-pro/text-to-video', 'Kling 2.5 Turbo Pro', perSecond(50_000, '5'), kp2t2v(), ['prompt']),
	model('kling-plus/kling-2.5-turbo-pro/image-to-video', 'Kling 2.5 Turbo Pro', perSecond(50_000, '5'), kp2i2v(), ['image_url']),
	model('kling-plus/kling-2.5-turbo-standard/image-to-video', 'Kling 2.5 Turbo Standard', perSecond(35_000, '5'), kp2i2v(), ['image_url']),
	model('kling-plus/kling-2.1-master/text-to-video', 'Kling 2.1 Master', perSecond(40_000, '5'), kp2t2v(), ['prompt']),
	model('kling-plus/kling-2.1-master/image-to-video', 'Kling 2.1 Master', perSecond(40_000, '5'), kp2i2v(), ['image_url']),
	model('kling-plus/kling-2.1-pro/image-to-video', 'Kling 2.1 Pro', perSecond(50_000, '5'), kp2i2v(), ['image_url']),
	model('kling-plus/kling-2.1-pro/start-end-frame-to-video', 'Kling 2.1 Pro', perSecond(50_000, '5'), kp2({ image_url: url(), end_image_url: url(), prompt: str(2500) }), ['image_url', 'end_image_url']),
	model('kling-plus/kling-o1-pro/text-to-video', 'Kling O1 Pro', perSecond(70_000, '5'), { prompt: str(2500), aspect_ratio: oneOf(ASPECT_3, '16:9'), duration: oneOf(FIVE_TEN, '5') }, ['prompt']),
	model('kling-plus/kling-o1-pro/image-to-video', 'Kling O1 Pro', perSecond(70_000, '5'), { image_url: url(), prompt: str(2500), duration: oneOf(O1_LONG, '5') }, ['image_url']),
	model('kling-plus/kling-o1-pro/reference-to-video', 'Kling O1 Pro', perSecond(70_000, '5'), {
		prompt: str(2500),
		video_url: url(),
		images: imagesList(7),
		aspect_ratio: oneOf(ASPECT_3, '16:9'),
		duration: oneOf(O1_LONG, '5'),
		keep_original_sound: bool(true),
	}, ['prompt']),
	model('kling-plus/kling-o1-pro/start-end-frame-to-video', 'Kling O1 Pro', perSecond(70_000, '5'), { image_url: url(), end_image_url: url(), prompt: str(2500), duration: oneOf(O1_LONG, '5') }, ['image_url', 'end_image_url']),
	model('kling-plus/kling-o1-pro/video-edit', 'Kling O1 Pro', flat(40_000), { prompt: str(2500), video_url: url(), images: imagesList(4), keep_original_sound: bool(true) }, ['prompt', 'video_url']),
	model('kling-plus/kling-o1-pro/video-edit-fast', 'Kling O1 Pro', flat(30_000), {
		prompt: str(2500),
		video_url: url(),
		images: imagesList(4),
		keep_original_sound: bool(true),
		aspect_ratio: oneOf(ASPECT_3),
	}, ['prompt', 'video_url']),
	model('kling-plus/kling-o1-standard/text-to-video', 'Kling O1 Standard', perSecond(50_000, '5'), { prompt: str(2500), aspect_ratio: oneOf(ASPECT_3, '16:9'), duration: oneOf(FIVE_TEN, '5') }, ['prompt']),
	model('kling-plus/kling-o1-standard/image-to-video', 'Kling O1 Standard', perSecond(50_000, '5'), { image_url: url(), prompt: str(2500), duration: oneOf(O1_LONG, '5') }, ['image_url']),
	model('kling-plus/kling-o1-standard/reference-to-video', 'Kling O1 Standard', perSecond(50_000, '5'), {
		prompt: str(2500),
		video_url: url(),
		images: imagesList(10),
		duration: oneOf(O1_LONG, '5'),
		keep_original_sound: bool(true),
	}, ['prompt']),
	model('kling-plus/kling-o1-standard/start-end-frame-to-video', 'Kling O1 Standard', perSecond(50_000, '5'), { image_url: url(), end_image_url: url(), prompt: str(2500), duration: oneOf(O1_LONG, '5') }, ['image_url', 'end_image_url']),
	model('kling-plus/kling-o1-standard/video-edit', 'Kling O1 Standard', flat(30_000), { prompt: str(2500), video_url: url(), images: imagesList(10), keep_original_sound: bool(true) }, ['prompt', 'video_url']),
	model('kling-plus/kling-o3-pro/text-to-video', 'Kling O3 Pro', KO3(112_000), ko3({ prompt: str(2500) }, { aspect: true, elements: true }), ['prompt']),
	model('kling-plus/kling-o3-pro/image-to-video', 'Kling O3 Pro', KO3(112_000), ko3({ image_url: url(), prompt: str(2500) }, { elements: true }), ['image_url']),
	model('kling-plus/kling-o3-pro/reference-to-video', 'Kling O3 Pro', KO3(112_000), ko3({
		prompt: str(2500),
		video_url: url(),
		images: imagesList(7),
		keep_original_sound: bool(true),
	}, { aspect: true, elements: true }), []),
	model('kling-plus/kling-o3-pro/start-end-frame-to-video', 'Kling O3 Pro', KO3(112_000), ko3({ start_frame_url: url(), end_frame_url: url(), prompt: str(2500) }, { elements: true }), ['start_frame_url', 'end_frame_url']),
	model('kling-plus/kling-o3-pro/video-edit', 'Kling O3 Pro', flat(50_000), { prompt: str(2500), video_url: url(), images: imagesList(4), keep_original_sound: bool(true), shot_type: SHOT }, ['prompt', 'video_url']),
	model('kling-plus/kling-o3-standard/text-to-video', 'Kling O3 Standard', KO3(84_000), ko3({ prompt: str(2500) }, { aspect: true }), ['prompt']),
	model('kling-plus/kling-o3-standard/image-to-video', 'Kling O3 Standard', KO3(84_000), ko3({ image_url: url(), prompt: str(2500) }, {}), ['image_url']),
	model('kling-plus/kling-o3-standard/reference-to-video', 'Kling O3 Standard', KO3(84_000), ko3({
		prompt: str(2500),
		video_url: url(),
		images: imagesList(7),
		keep_original_sound: bool(true),
	}, { aspect: true }), []),
	model('kling-plus/kling-o3-standard/start-end-frame-to-video', 'Kling O3 Standard', KO3(84_000), ko3({ start_frame_url: url(), end_frame_url: url(), prompt: str(2500) }, {}), ['start_frame_url', 'end_frame_url']),
	model('kling-plus/kling-o3-standard/video-edit', 'Kling O3 Standard', flat(30_000), { prompt: str(2500), video_url: url(), images: imagesList(4), keep_original_sound: bool(true), shot_type: SHOT }, ['prompt', 'video_url']),
];

// §6.4 Google Veo — GV
const GV = (dur: string, soundDefault: 'true' | 'false') =>
	perSecond(200_000, dur, by('resolution', { '4k': 1.5 }, '720p'), by('has_sound', { true: 1.5 }, soundDefault));
const gv = (extra: Props, soundDefault: 'true' | 'false'): Props => ({
	prompt: str(4000),
	...extra,
	aspect_ratio: oneOf(ASPECT_2, '16:9'),
	resolution: oneOf(['720p', '1080p', '4k'], '720p'),
	duration: oneOf(['4', '6', '8'], '8'),
	has_sound: sound(soundDefault),
	seed: SEED,
});
const google: FakeModelSpec[] = [
	model('google/veo-3.1-fast/image-to-video', 'Veo 3.1 Fast', GV('8', 'true'), gv({ image_url: url() }, 'true'), ['prompt', 'image_url']),
	model('google/veo-3.1-fast/reference-to-video', 'Veo 3.1 Fast', GV('8', 'true'), gv({ image_urls: urls(1, 3) }, 'true'), ['prompt', 'image_urls']),
	model('google/veo-3.1-fast/start-end-frame-to-video', 'Veo 3.1 Fast', perSecond(100_000, '4'), {
		prompt: str(4000),
		start_frame_url: url(),
		end_frame_url: url(),
		aspect_ratio: oneOf(ASPECT_2, '16:9'),
		duration: oneOf(['4', '6', '8'], '4'),
		resolution: oneOf(['720p', '1080p', '4k']),
	}, ['start_frame_url', 'end_frame_url']),
	model('google/veo-3.1/text-to-video', 'Veo 3.1', GV('8', 'false'), gv({}, 'false'), ['prompt']),
	model('google/veo-3.1/image-to-video', 'Veo 3.1', GV('8', 'false'), gv({ image_url: url() }, 'false'), ['prompt', 'image_url']),
	model('google/veo-3.1/reference-to-video', 'Veo 3.1', GV('8', 'false'), gv({ image_urls: urls(1) }, 'false'), ['prompt', 'image_urls']),
	model('google/veo-3.1/start-end-frame-to-video', 'Veo 3.1', perSecond(200_000, '4'), {
		prompt: str(4000),
		start_frame_url: url(),
		end_frame_url: url(),
		aspect_ratio: oneOf(ASPECT_2, '16:9'),
		duration: oneOf(['4', '6', '8'], '4'),
		resolution: oneOf(['720p', '1080p', '4k']),
	}, ['start_frame_url', 'end_frame_url', 'aspect_ratio']),
	model('google/veo-3.1-ecl/image-to-video', 'Veo 3.1 ECL', perSecond(200_000, '4', by('has_sound', { true: 1.5 }, 'false')), {
		prompt: str(4000),
		image_url: url(),
		aspect_ratio: oneOf(ASPECT_2, '16:9'),
		duration: oneOf(['4', '6', '8'], '4'),
		has_sound: sound('false'),
		resolution: oneOf(['720p', '1080p', '4k']),
	}, ['prompt', 'image_url']),
	model('google/veo-3.1-ecl/start-end-frame-to-video', 'Veo 3.1 ECL', perSecond(200_000, '4', by('has_sound', { true: 1.5 }, 'false')), {
		prompt: str(4000),
		first_frame_url: url(),
		last_frame_url: url(),
		aspect_ratio: oneOf(ASPECT_2, '16:9'),
		duration: oneOf(['4', '6', '8'], '4'),
		has_sound: sound('false'),
		resolution: oneOf(['720p', '1080p', '4k']),
	}, ['first_frame_url', 'last_frame_url']),
];

// §6.5 OpenAI Sora
const SORA_DUR = oneOf(['4', '8', '12'], '4');
const openai: FakeModelSpec[] = [
	model('openai/sora-2/image-to-video', 'Sora 2', perSecond(100_000, '4'), { image_url: url(), aspect_ratio: oneOf(ASPECT_2, '16:9'), duration: SORA_DUR }, ['image_url']),
	model('openai/sora-2-pro/text-to-video', 'Sora 2 Pro', perSecond(300_000, '4', by('resolution', { '1080p': 1.67 }, '720p')), {
		prompt: str(1000),
		aspect_ratio: oneOf(ASPECT_2, '16:9'),
		duration: SORA_DUR,
		resolution: oneOf(['720p', '1080p'], '720p'),
	}, ['prompt']),
	model('openai/sora-2-pro/image-to-video', 'Sora 2 Pro', perSecond(300_000, '4', by('resolution', { '1080p': 1.67 }, '720p')), {
		image_url: url(),
		aspect_ratio: oneOf(ASPECT_2, '16:9'),
		duration: SORA_DUR,
		resolution: oneOf(['720p', '1080p'], '720p'),
	}, ['image_url']),
];

// §6.6 Runway
const RUNWAY_ASPECTS = ['16:9', '9:16', '1:1', '4:3', '3:4', '21:9'];
const runway: FakeModelSpec[] = [
	model('runway/gen-4.5/text-to-video', 'Runway Gen-4.5', perSecond(120_000, '5'), { prompt: str(5000), aspect_ratio: oneOf(RUNWAY_ASPECTS, '16:9'), duration: oneOf(seconds(2, 10), '5') }, ['prompt']),
	model('runway/gen-4.5/image-to-video', 'Runway Gen-4.5', perSecond(120_000, '5'), { image_url: url(), prompt: str(5000), aspect_ratio: oneOf(RUNWAY_ASPECTS, '16:9'), duration: oneOf(seconds(2, 10), '5') }, ['image_url']),
	model('runway/gen-4/image-to-video', 'Runway Gen-4', perSecond(100_000, '5'), { prompt: str(1000), image_url: url(), aspect_ratio: oneOf(RUNWAY_ASPECTS, '16:9'), duration: oneOf(FIVE_TEN, '5') }, ['prompt', 'image_url']),
	model('runway/gen-4-turbo/image-to-video', 'Runway Gen-4 Turbo', perSecond(50_000, '5'), { prompt: str(1000), image_url: url(), aspect_ratio: oneOf(RUNWAY_ASPECTS, '16:9'), duration: oneOf(FIVE_TEN, '5') }, ['prompt', 'image_url']),
];

// §6.0 SD / §6.7 Seedance
const SD_ASPECTS = ['21:9', '16:9', '4:3', '1:1', '3:4', '9:16'];
const SD = (rate: number, res1440: number) =>
	perSecond(rate, '5', by('resolution', { '1440p': res1440 }, '720p'), by('fps', { '24': 1, '30': 1.1, '60': 1.25 }, '24'));
const sd = (extra: Props, aspect: boolean): Props => ({
	prompt: str(5000),
	...extra,
	...(aspect ? { aspect_ratio: oneOf(SD_ASPECTS, '16:9') } : {}),
	duration: oneOf(seconds(4, 15), '5'),
	resolution: oneOf(['720p', '1440p'], '720p'),
	fps: oneOf(['24', '30', '60'], '24'),
});
const omni = (): Props => ({
	omni_images: { type: 'array', items: { type: 'string', format: 'uri' }, maxItems: 9 },
	omni_videos: { type: 'array', items: { type: 'string', format: 'uri' }, maxItems: 3 },
	omni_audios: { type: 'array', items: { type: 'string', format: 'uri' }, maxItems: 3 },
});
const seedance15 = (extra: Props): Props => ({
	prompt: str(5000),
	...extra,
	resolution: oneOf(['480p', '720p', '1080p'], '720p'),
	duration: oneOf(seconds(4, 12), '5'),
	aspect_ratio: oneOf(SD_ASPECTS, '16:9'),
	generate_audio: bool(true),
	camera_fixed: bool(false),
});
const SEEDANCE15: FakePricing = perSecond(
	15_000,
	'5',
	by('resolution', { '480p': 1, '720p': 1.8667, '1080p': 3.7333 }, '720p'),
	by('generate_audio', { true: 2 }, 'true'),
);
const bytedance: FakeModelSpec[] = [
	...(
		[
			['seedance-2.0', 'Seedance 2.0', 240_000, 2],
			['seedance-2.0-fast', 'Seedance 2.0 Fast', 200_000, 1.5],
		] as Array<[string, string, number, number]>
	).flatMap(([part, name, rate, res]) => [
		model(`bytedance/${part}/text-to-video`, name, SD(rate, res), sd({}, true), ['prompt']),
		model(`bytedance/${part}/image-to-video`, name, SD(rate, res), sd({ image_url: url() }, false), ['prompt', 'image_url']),
		model(`bytedance/${part}/start-end-frame-to-video`, name, SD(rate, res), sd({ start_frame_url: url(), end_frame_url: url() }, false), ['prompt', 'start_frame_url', 'end_frame_url']),
		model(`bytedance/${part}/omni-reference`, name, SD(rate, res), sd(omni(), true), ['prompt', 'aspect_ratio']),
	]),
	model('bytedance-plus/seedance-1.5-pro-super/image-to-video', 'Seedance 1.5 Pro Super', SEEDANCE15, seedance15({ image_url: url() }), ['prompt', 'image_url']),
	model('bytedance-plus/seedance-1.5-pro-super/start-end-frame-to-video', 'Seedance 1.5 Pro Super', SEEDANCE15, seedance15({ start_frame_url: url(), end_frame_url: url() }), ['start_frame_url', 'end_frame_url']),
];

// §6.8 Alibaba Wan
const RES_1080 = (def: string) => oneOf(['720p', '1080p'], def);
const WAN27 = perSecond(150_000, '5', by('resolution', { '1080p': 1.5 }, '1080p'));
const WAN_ASPECT_5 = ['16:9', '9:16', '1:1', '4:3', '3:4'];
const wan27Common = (): Props => ({
	negative_prompt: str(500),
	enable_prompt_expansion: bool(true),
	seed: SEED,
	resolution: RES_1080('1080p'),
});
const alibaba: FakeModelSpec[] = [
	model('alibaba/wan-2.6-flash/image-to-video', 'Wan 2.6 Flash', perSecond(50_000, '5', by('resolution', { '1080p': 1.5 }, '720p'), by('has_sound', { true: 1.3 }, 'false')), {
		prompt: str(1500),
		image_url: url(),
		aspect_ratio: oneOf(ASPECT_3, '16:9'),
		duration: oneOf(['5', '10', '15'], '5'),
		resolution: RES_1080('720p'),
		has_sound: sound('false'),
	}, ['prompt', 'image_url']),
	model('alibaba/wan-2.2-super/image-to-video', 'Wan 2.2 Super', perSecond(45_000, '5', by('quality', { '720p': 2 }, '480p')), {
		image_url: url(),
		prompt: str(),
		duration: oneOf(['5', '8'], '5'),
		quality: oneOf(['480p', '720p'], '480p'),
		seed: { type: 'number', default: -1 },
	}, ['image_url', 'prompt', 'duration']),
	model('alibaba-plus/wan-2.6/text-to-video', 'Wan 2.6', perSecond(100_000, '5'), {
		prompt: str(2500),
		aspect_ratio: oneOf(ASPECT_2, '16:9'),
		negative_prompt: str(1000),
		duration: oneOf(['5', '10', '15'], '5'),
	}, ['prompt']),
	model('alibaba-plus/wan-2.6/image-to-video', 'Wan 2.6', perSecond(100_000, '5', by('resolution', { '1080p': 1.5 }, '720p')), {
		prompt: str(2500),
		image_url: url(),
		negative_prompt: str(1000),
		duration: oneOf(['5', '10', '15'], '5'),
		resolution: RES_1080('720p'),
	}, ['prompt', 'image_url']),
	model('alibaba-plus/wan-2.6/reference-to-video', 'Wan 2.6', perSecond(150_000, '5'), {
		prompt: str(2500),
		video_urls: urls(1, 3),
		aspect_ratio: oneOf(WAN_ASPECT_5),
		negative_prompt: str(1000),
		resolution: RES_1080('1080p'),
		enable_prompt_expansion: bool(true),
		multi_shots: bool(true),
		seed: SEED,
		enable_safety_checker: bool(true),
		duration: oneOf(FIVE_TEN, '5'),
	}, ['prompt', 'video_urls']),
	model('alibaba-plus/wan-2.6/video-extend', 'Wan 2.6', perSecond(150_000, '5'), {
		prompt: str(2500),
		video_url: url(),
		resolution: RES_1080('720p'),
		negative_prompt: str(1000),
		duration: oneOf(['5', '10', '15'], '5'),
	}, ['video_url']),
	model('alibaba-plus/wan-2.6-flash/image-to-video', 'Wan 2.6 Flash (Plus)', perSecond(500_000, '5', by('resolution', { '1080p': 1.5 }, '720p')), {
		prompt: str(2500),
		image_url: url(),
		negative_prompt: str(1000),
		duration: oneOf(seconds(2, 15), '5'),
		resolution: RES_1080('720p'),
	}, ['prompt', 'image_url']),
	model('alibaba-plus/wan-2.6-flash/reference-to-video', 'Wan 2.6 Flash (Plus)', perSecond(100_000, '5'), {
		prompt: str(2500),
		reference_urls: urls(1, 5),
		aspect_ratio: oneOf(ASPECT_2, '16:9'),
		negative_prompt: str(1000),
		duration: oneOf(FIVE_TEN, '5'),
	}, ['prompt', 'reference_urls']),
	model('alibaba-plus/wan-2.6-pro/image-to-video', 'Wan 2.6 Pro', perSecond(150_000, '5', by('resolution', { '1080p': 1, '2k': 2, '4k': 4 }, '1080p')), {
		prompt: str(2500),
		image_url: url(),
		negative_prompt: str(1000),
		duration: oneOf(['5', '10', '15'], '5'),
		resolution: oneOf(['1080p', '2k', '4k'], '1080p'),
	}, ['prompt', 'image_url']),
	model('alibaba-plus/wan-2.6-super/image-to-video', 'Wan 2.6 Super', perSecond(100_000, '5', by('resolution', { '1080p': 1.5 }, '720p')), {
		image_url: url(),
		prompt: str(2500),
		resolution: RES_1080('720p'),
		duration: oneOf(['5', '10', '15'], '5'),
		negative_prompt: str(1000),
	}, ['image_url']),
	model('alibaba-plus/wan-2.7/text-to-video', 'Wan 2.7', WAN27, {
		prompt: str(5000),
		aspect_ratio: oneOf(WAN_ASPECT_5, '16:9'),
		audio_url: url(),
		duration: oneOf(seconds(2, 15), '5'),
		...wan27Common(),
	}, ['prompt']),
	model('alibaba-plus/wan-2.7/image-to-video', 'Wan 2.7', WAN27, {
		prompt: str(5000),
		image_url: url(),
		end_frame_url: url(),
		input_video_url: url(),
		audio_url: url(),
		duration: oneOf(seconds(2, 15), '5'),
		...wan27Common(),
	}, ['prompt', 'image_url']),
	model('alibaba-plus/wan-2.7/reference-to-video', 'Wan 2.7', WAN27, {
		prompt: str(5000),
		image_url: url(),
		image_urls: urls(),
		video_url: url(),
		start_frame_url: url(),
		reference_voice_url: url(),
		aspect_ratio: oneOf(WAN_ASPECT_5, '16:9'),
		shot_type: oneOf(['single', 'multi'], 'single'),
		duration: oneOf(seconds(2, 10), '5'),
		...wan27Common(),
	}, ['prompt', 'image_url']),
];

// §6.9 MiniMax Hailuo
const minimax: FakeModelSpec[] = [
	model('minimax-plus/hailuo-2.3-standard/text-to-video', 'Hailuo 2.3 Standard', perSecond(35_000, '6'), { prompt: str(2500), duration: oneOf(['6', '10'], '6') }, ['prompt']),
	model('minimax-plus/hailuo-2.3-standard/image-to-video', 'Hailuo 2.3 Standard', perSecond(35_000, '6'), { image_url: url(), prompt: str(2500), duration: oneOf(['6', '10'], '6') }, ['image_url']),
	model('minimax-plus/hailuo-2.3-fast/image-to-video', 'Hailuo 2.3 Fast', perSecond(25_000, '6'), { image_url: url(), prompt: str(2500), duration: oneOf(['6', '10'], '6') }, ['image_url']),
	model('minimax-plus/hailuo-2.3-pro/text-to-video', 'Hailuo 2.3 Pro', flat(50_000), { prompt: str(2500) }, ['prompt']),
	model('minimax-plus/hailuo-2.3-pro/image-to-video', 'Hailuo 2.3 Pro', flat(50_000), { image_url: url(), prompt: str(2500) }, ['image_url']),
	model('minimax-plus/hailuo-2.3-fast-pro/image-to-video', 'Hailuo 2.3 Fast Pro', flat(35_000), { image_url: url(), prompt: str(2500) }, ['image_url']),
];

// §6.10 xAI
const xai: FakeModelSpec[] = [
	model('xai/grok-imagine/image-to-video', 'Grok Imagine', perSecond(50_000, '6', by('resolution', { '720p': 1.4 }, '480p')), {
		prompt: str(),
		image_url: url(),
		duration: oneOf(['6', '10', '15']),
		resolution: oneOf(['480p', '720p']),
	}, ['prompt', 'image_url', 'duration', 'resolution']),
];

/** Every documented video model not already among the fake's built-ins. */
export const DOCUMENTED_VIDEO_SPECS: FakeModelSpec[] = [...kling, ...klingPlus, ...google, ...openai, ...runway, ...bytedance, ...alibaba, ...minimax, ...xai];
