import type { IBinaryData, IDataObject, IExecuteFunctions, IN8nHttpFullResponse, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { throwIfStopped } from '../../muviClient/stop';
import { checked, sendOnce } from '../../muviClient/transport';

type UploadContext = IExecuteFunctions;

/** What the presign endpoint accepts (muvi-api.md §2.8), with the documented size limits. */
export const UPLOAD_LIMITS: Record<string, number> = {
	'image/jpeg': 10 * 1024 * 1024,
	'image/png': 10 * 1024 * 1024,
	'image/webp': 10 * 1024 * 1024,
	'image/gif': 10 * 1024 * 1024,
	'video/mp4': 100 * 1024 * 1024,
	'video/webm': 100 * 1024 * 1024,
	'audio/mpeg': 50 * 1024 * 1024,
	'audio/wav': 50 * 1024 * 1024,
};

const ALIASES: Record<string, string> = {
	'image/jpg': 'image/jpeg',
	'audio/mp3': 'audio/mpeg',
	'audio/x-wav': 'audio/wav',
	'audio/wave': 'audio/wav',
};

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export interface UploadedFile extends IDataObject {
	fileUrl: string;
	fileId: string;
	expiresAt: string;
	fileName: string;
	mimeType: string;
	fileSize: number;
}

/** A binary property that passed the local checks and can be uploaded. */
export interface CheckedBinary {
	binary: IBinaryData;
	mimeType: string;
	size: number;
	fileName: string;
	label: string;
}

/**
 * Checks one binary property of the current item against what Muvi accepts (type and size), without
 * any request, so a file Muvi would refuse costs nothing.
 */
export async function checkBinary(
	ctx: UploadContext,
	item: INodeExecutionData,
	binaryPropertyName: string,
	itemIndex: number,
	fieldLabel = 'File',
): Promise<CheckedBinary> {
	const binary = item.binary?.[binaryPropertyName] as IBinaryData | undefined;
	if (!binary)
		throw new NodeOperationError(ctx.getNode(), `Item ${itemIndex + 1}: ${fieldLabel}: the item has no binary property "${binaryPropertyName}"`, {
			itemIndex,
			description: `Binary properties on this item: ${Object.keys(item.binary ?? {}).join(', ') || 'none'}. Set the property name to one of them. Nothing was sent to Muvi.`,
		});
	const rawType = String(binary.mimeType ?? '').split(';')[0].trim().toLowerCase();
	const mimeType = ALIASES[rawType] ?? rawType;
	const limit = UPLOAD_LIMITS[mimeType];
	if (limit === undefined)
		throw new NodeOperationError(ctx.getNode(), `Item ${itemIndex + 1}: ${fieldLabel}: Muvi does not accept files of type "${rawType || 'unknown'}"`, {
			itemIndex,
			description: `Muvi accepts ${Object.keys(UPLOAD_LIMITS).join(', ')}. Convert the file first. Nothing was sent to Muvi.`,
		});
	const size = binary.id
		? (await ctx.helpers.getBinaryMetadata(binary.id)).fileSize
		: Buffer.byteLength(binary.data, 'base64');
	if (size > limit)
		throw new NodeOperationError(ctx.getNode(), `Item ${itemIndex + 1}: ${fieldLabel}: the file is ${mb(size)}; Muvi accepts at most ${mb(limit)} for ${mimeType}`, {
			itemIndex,
			description: 'Use a smaller or compressed file. Nothing was sent to Muvi.',
		});
	const fileName = binary.fileName || `upload.${mimeType.split('/')[1]}`;
	return { binary, mimeType, size, fileName, label: fieldLabel };
}

/**
 * Uploads a checked binary to Muvi's temporary storage (presign, then PUT the bytes) and returns the
 * file URL to use as a model input. The PUT goes to the presigned URL without the API key.
 */
export async function uploadChecked(
	ctx: UploadContext,
	file: CheckedBinary,
	itemIndex: number,
	signal?: AbortSignal,
): Promise<UploadedFile> {
	const { binary, mimeType, size, fileName } = file;
	throwIfStopped(signal);
	const presigned = checked(
		ctx,
		await sendOnce(ctx, { method: 'POST', path: '/v1/uploads/presign', body: { filename: fileName, contentType: mimeType }, abortSignal: signal }),
		'preparing the upload',
		itemIndex,
	) as IDataObject;
	if (typeof presigned.uploadUrl !== 'string' || typeof presigned.fileUrl !== 'string')
		throw new NodeApiError(ctx.getNode(), { reason: 'presign' }, { message: 'Muvi did not return an upload address', itemIndex });
	const maxSize = Number(presigned.maxSize);
	if (Number.isFinite(maxSize) && maxSize > 0 && size > maxSize)
		throw new NodeOperationError(ctx.getNode(), `Item ${itemIndex + 1}: ${file.label}: the file is ${mb(size)}; Muvi accepts at most ${mb(maxSize)}`, {
			itemIndex,
			description: 'Use a smaller or compressed file.',
		});

	// Stream large files from n8n's binary store rather than loading them into memory.
	const body = binary.id ? await ctx.helpers.getBinaryStream(binary.id) : Buffer.from(binary.data, 'base64');
	const put = (await ctx.helpers.httpRequest({
		method: 'PUT',
		url: presigned.uploadUrl,
		body: body as Buffer,
		headers: { 'Content-Type': mimeType, 'Content-Length': size },
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		json: false,
		timeout: 600_000,
		...(signal ? { abortSignal: signal } : {}),
	})) as IN8nHttpFullResponse;
	if (put.statusCode < 200 || put.statusCode >= 300)
		throw new NodeApiError(
			ctx.getNode(),
			{ reason: 'upload' },
			{
				message: `Muvi's file storage refused the upload (HTTP ${put.statusCode})`,
				description: 'The upload address is valid for 15 minutes; run the item again to get a new one.',
				httpCode: String(put.statusCode),
				itemIndex,
			},
		);
	return {
		fileUrl: presigned.fileUrl,
		fileId: String(presigned.fileId ?? ''),
		expiresAt: String(presigned.expiresAt ?? ''),
		fileName,
		mimeType,
		fileSize: size,
	};
}
