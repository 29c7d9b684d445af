import { FALLBACK_MODELS, fallbackModelsProperty } from '../../descriptions/fallbackModels';
import { description as videoGenerate, execute } from '../video/generate.operation';
import { forImages } from './imageWording';

/**
 * Image → Generate: Video → Generate's parameters and run (checks, cost guard, one submit per item,
 * waiting); each output image becomes its own binary property (`data`, `data_1` …).
 */
export const description = videoGenerate
	.map(forImages)
	.map((p) => (p.name === FALLBACK_MODELS ? fallbackModelsProperty({ resource: ['image'], operation: ['generate'] }, 'image') : p));
export { execute };
