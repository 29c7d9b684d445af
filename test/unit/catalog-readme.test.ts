/** The README's model table is generated from the catalog; this fails when someone forgot to regenerate it. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { paramName, videoModels } from '../../nodes/MuviVideo/models';
import { imageModels } from '../../nodes/MuviVideo/models';
import { priceFormulaLabel } from '../../nodes/MuviVideo/descriptions/priceText';
import { estimateCostMicroCents } from '../../nodes/MuviVideo/models/cost';
import { END, START, renderModelTable, withModelTable } from '../../scripts/model-table';

const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
const table = renderModelTable({ videoModels, imageModels, paramName, priceFormulaLabel, estimateCostMicroCents });

describe('README model table', () => {
	test('is up to date with the catalog (regenerate: node scripts/model-table.ts --write)', () => {
		expect(readme).toContain(START);
		expect(readme).toContain(END);
		const current = readme.slice(readme.indexOf(START) + START.length, readme.indexOf(END)).trim();
		expect(current).toBe(table.trim());
	});

	test('has one row per model with slug, fields, price and default cost', () => {
		const rows = table.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Model'));
		expect(rows).toHaveLength(videoModels.length + imageModels.length);
		expect(rows).toContain(
			'| Kling 3.0 Standard — Image to Video | `kling/kling-3.0-standard/image-to-video` | prompt*, imageUrl*, aspectRatio, duration, hasSound | $0.084/s × seconds, × 1.5 if has_sound=true | 420,000 ($0.42) | ~240 s |',
		);
		expect(rows.find((r) => r.includes('`bytedance-plus/seedance-1.5-pro-super/image-to-video`'))).toContain('| 280,005 ($0.280005) |');
		// image models: per request with a resolution factor, and per image
		expect(rows.find((r) => r.includes('`google/nano-banana-pro/text-to-image`'))).toContain(
			'| $0.134 per request, × 1.8 if resolution=4k | 134,000 ($0.134) |',
		);
		expect(rows.find((r) => r.includes('`alibaba-plus/wan-2.7/text-to-image`'))).toContain(
			'| prompt*, size, imageCount, thinkingMode | $0.03 per image × num_images | 30,000 ($0.03) |',
		);
	});

	test('writing replaces only what is between the markers, or appends the markers', () => {
		const doc = `# Title\n\nIntro\n\n${START}\nold\n${END}\n\n## After\n`;
		expect(withModelTable(doc, 'NEW')).toBe(`# Title\n\nIntro\n\n${START}\nNEW\n${END}\n\n## After\n`);
		expect(withModelTable('# Title\n', 'NEW')).toBe(`# Title\n\n${START}\nNEW\n${END}\n`);
	});
});
