import type { IBinaryKeyData, IDataObject, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { attachVideo, downloadVideo, type BinaryContext } from './download';

/** The image outputs of a finished job (§2.2 `outputs[]` entries of type "image"), in order. */
export function imageOutputs(job: IDataObject): string[] {
	const outputs = Array.isArray(job.outputs) ? (job.outputs as IDataObject[]) : [];
	return outputs.filter((o) => o && o.type === 'image' && typeof o.url === 'string').map((o) => o.url as string);
}

/** `data`, `data_1`, `data_2` …: one binary property per output image, the first under the name given. */
export const imagePropertyName = (base: string, n: number) => (n === 0 ? base : `${base}_${n}`);

/** MIME types by file extension, for a CDN that answers without a usable Content-Type. */
const IMAGE_TYPES: Record<string, string> = {
	png: 'image/png',
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	webp: 'image/webp',
	gif: 'image/gif',
};

/**
 * Downloads every image of a completed image job into the item: one binary property each (`data`,
 * `data_1` …), named `<jobId>_<n>.<ext>`, with the image's MIME type. The URLs stay in `outputs`.
 */
export async function attachImages(
	ctx: BinaryContext,
	item: INodeExecutionData,
	binaryPropertyName: string,
	itemIndex: number,
	signal?: AbortSignal,
): Promise<INodeExecutionData> {
	const job = item.json as IDataObject;
	const urls = imageOutputs(job);
	if (urls.length === 0)
		throw new NodeApiError(
			ctx.getNode(),
			{ reason: 'no-output' },
			{ message: `Job ${String(job.jobId)} completed without an image URL`, description: 'Nothing to download.', itemIndex },
		);
	const binary: IBinaryKeyData = { ...(item.binary ?? {}) };
	const base = binaryPropertyName || 'data';
	for (let n = 0; n < urls.length; n++) {
		const file = await downloadVideo(ctx, urls[n], String(job.jobId), itemIndex, signal);
		const ext = /\.([a-z0-9]{2,5})$/i.exec(new URL(urls[n]).pathname)?.[1]?.toLowerCase() ?? 'png';
		if (!file.mimeType?.startsWith('image/')) file.mimeType = IMAGE_TYPES[ext] ?? 'image/png';
		file.fileName = `${String(job.jobId)}_${n}.${ext}`;
		file.fileExtension = ext;
		binary[imagePropertyName(base, n)] = file;
	}
	return { ...item, json: { ...job, imageUrls: urls }, binary };
}

/** The job's files into the item: its images when it made images, else its video. */
export async function attachOutputs(
	ctx: BinaryContext,
	item: INodeExecutionData,
	binaryPropertyName: string,
	itemIndex: number,
	signal?: AbortSignal,
): Promise<INodeExecutionData> {
	if (imageOutputs(item.json as IDataObject).length > 0) return await attachImages(ctx, item, binaryPropertyName, itemIndex, signal);
	return await attachVideo(ctx, item, binaryPropertyName, itemIndex, signal);
}
