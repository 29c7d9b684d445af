import { description as videoEstimateCost, execute } from '../video/estimateCost.operation';
import { forImages } from './imageWording';

/** Image → Estimate Cost: Video → Estimate Cost's parameters and run, for the image models. */
export const description = videoEstimateCost.map(forImages);
export { execute };
