import type { INodeProperties } from 'n8n-workflow';

/**
 * Resource Image runs the image models of the catalog (§6.12) through the same operations as video:
 * the same parameters, shown for Image with image wording.
 */
/** Video wording → image wording, for the parameters Image shares with Video by name. */
const IMAGE_WORDS: Record<string, Partial<INodeProperties>> = {
	waitForCompletion: {
		description: 'Whether to wait until the images are finished (or failed) before continuing. Off: output the job ID right after submitting.',
	},
	download: {
		displayName: 'Download Images',
		description: "Whether to put the finished images into the item's binary data: one field each, data, data_1 …",
	},
};

/** A Video parameter shown for Image instead, with image wording. */
export function forImages(property: INodeProperties): INodeProperties {
	const show = { ...(property.displayOptions?.show ?? {}), resource: ['image'] };
	const words = IMAGE_WORDS[property.name] ?? {};
	const options = property.options?.map((o) => {
		if (!('name' in o) || typeof o.name !== 'string') return o;
		const option = o as INodeProperties;
		if (option.name === 'download') return { ...option, ...IMAGE_WORDS.download };
		if (option.name === 'binaryPropertyName')
			return { ...option, description: 'The binary property that receives the first image (further images: <name>_1, <name>_2 …)' };
		return option;
	}) as INodeProperties['options'];
	return { ...property, ...words, ...(options ? { options } : {}), displayOptions: { ...property.displayOptions, show } };
}
