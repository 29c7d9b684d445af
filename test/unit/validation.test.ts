import { findImageModel, findModel } from '../helpers/catalog';
import { prepareModelInput } from '../../nodes/MuviVideo/engine/validation';

const kling = findModel('kling/kling-3.0-standard/image-to-video')!;
const motion = findModel('kling-plus/kling-3.0-pro/motion-control')!;
const good = { prompt: 'a cat', image_url: 'https://example.com/cat.jpg', aspect_ratio: '16:9', duration: '5', has_sound: 'false' };

describe('input validation before any request', () => {
	test('a number range names the values the API accepts, and the value that sends nothing', () => {
		const runway = findImageModel('runway/gen-4-image/text-to-image')!;
		const result = prepareModelInput(runway, { prompt: 'a cat', diversity: 7 });
		expect(result.problem?.message).toMatch(/"Diversity" \(diversity\) of .* must be between 1 and 5, or 0 to let the model decide \(nothing is sent\)$/);
		expect(prepareModelInput(runway, { prompt: 'a cat', diversity: 0 }).input).not.toHaveProperty('diversity');
		expect(prepareModelInput(runway, { prompt: 'a cat', diversity: '3' }).input).toMatchObject({ diversity: 3 });
	});

	test('a valid input comes back in the API types', () => {
		expect(prepareModelInput(kling, good)).toEqual({ input: good });
	});

	test('values from expressions are put in the API type (numbers → strings, booleans → "true")', () => {
		const { input } = prepareModelInput(kling, { ...good, duration: 10 as unknown as string, has_sound: true as unknown as string });
		expect(input).toMatchObject({ duration: '10', has_sound: 'true' });
		const mc = prepareModelInput(motion, { image: 'https://e.com/a.png', video: 'https://e.com/b.mp4', keep_original_sound: 'false' });
		expect(mc.input).toMatchObject({ keep_original_sound: false });
	});

	test.each([
		['missing prompt', { ...good, prompt: '' }, 'prompt', /"Prompt" \(prompt\) is required/],
		['missing image', { ...good, image_url: '' }, 'image_url', /"Image URL" \(imageUrl\) is required/],
		['not a URL', { ...good, image_url: 'ftp://x/y.jpg' }, 'image_url', /must be a web address/],
		['relative path', { ...good, image_url: '/tmp/cat.jpg' }, 'image_url', /must be a web address/],
		['prompt too long', { ...good, prompt: 'x'.repeat(2501) }, 'prompt', /2501 characters long; the model accepts at most 2500/],
		['duration not allowed', { ...good, duration: '7' }, 'duration', /cannot be "7"/],
		['aspect not allowed', { ...good, aspect_ratio: '4:3' }, 'aspect_ratio', /cannot be "4:3"/],
		['sound not a flag', { ...good, has_sound: 'maybe' }, 'has_sound', /must be true or false/],
	])('%s is refused, naming the field', (_, input, field, message) => {
		const result = prepareModelInput(kling, input);
		expect(result.problem?.field).toBe(field);
		expect(result.problem?.message).toMatch(message);
	});

	test('motion control: prompt limit 1000, both URLs required, optional fields left out when empty', () => {
		expect(prepareModelInput(motion, { image: 'https://e.com/a.png', video: 'https://e.com/b.mp4', prompt: 'y'.repeat(1001) }).problem?.field).toBe('prompt');
		expect(prepareModelInput(motion, { image: 'https://e.com/a.png' }).problem?.field).toBe('video');
		const ok = prepareModelInput(motion, {
			image: 'https://e.com/a.png',
			video: 'https://e.com/b.mp4',
			prompt: '',
			negative_prompt: '',
			character_orientation: '',
			keep_original_sound: true,
			shot_type: 'customize',
		});
		expect(ok.input).toEqual({ image: 'https://e.com/a.png', video: 'https://e.com/b.mp4', keep_original_sound: true, shot_type: 'customize' });
	});
});
