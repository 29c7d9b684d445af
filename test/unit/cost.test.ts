import { findModel } from '../helpers/catalog';
import { formatUsd, microCentsToUsd } from '../../nodes/muviClient/money';
import { describePrice } from '../../nodes/MuviVideo/descriptions/priceText';
import { estimateCostMicroCents } from '../../nodes/MuviVideo/models/cost';

const kling = findModel('kling/kling-3.0-standard/image-to-video')!;
const motion = findModel('kling-plus/kling-3.0-pro/motion-control')!;

describe('local cost estimate (muvi-api.md §5 worked examples)', () => {
	test('Kling 3.0 Standard: 5 s silent = 420,000; 15 s with sound = 1,890,000', () => {
		expect(estimateCostMicroCents(kling, { duration: '5', has_sound: 'false' })).toBe(420_000);
		expect(estimateCostMicroCents(kling, { duration: '15', has_sound: 'true' })).toBe(1_890_000);
		expect(estimateCostMicroCents(kling, { duration: '10', has_sound: 'false' })).toBe(840_000);
	});

	test('missing inputs take the documented defaults (5 s, no sound)', () => {
		expect(estimateCostMicroCents(kling, {})).toBe(420_000);
	});

	test('motion control is flat 50,000 whatever the input', () => {
		expect(estimateCostMicroCents(motion, {})).toBe(50_000);
		expect(estimateCostMicroCents(motion, { duration: '30' })).toBe(50_000);
	});

	test('micro-cents to USD: 1,000,000 = $1', () => {
		expect(microCentsToUsd(420_000)).toBe(0.42);
		expect(microCentsToUsd(1_890_000)).toBe(1.89);
		expect(microCentsToUsd(50_000)).toBe(0.05);
		expect(formatUsd(2_400_000)).toBe('$2.40');
	});

	test('price descriptions read like the docs', () => {
		expect(describePrice(kling.price)).toBe('84,000 micro-cents/s ($0.084/s) × seconds × (1.5 if has_sound=true)');
		expect(describePrice(motion.price)).toBe('flat 50,000 micro-cents ($0.05) per job');
	});
});
