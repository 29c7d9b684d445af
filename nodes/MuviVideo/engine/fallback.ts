import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { FALLBACK_MODELS } from '../descriptions/fallbackModels';
import {
	binaryPropertyParam,
	CUSTOM_INPUT_MODE,
	CUSTOM_MODEL,
	fieldDisplayName,
	findCatalogModel,
	paramName,
	sourceParam,
	type CatalogModel,
	type ModelField,
} from '../models';
import { paramsOf, planJob, type JobPlan, type ParamReader } from './jobRequest';

/**
 * Fallback Models: the item's input carried to each model of its chain by what each field means, so
 * that "the picture the video starts from" reaches `start_frame_url` as well as `image_url`. Every
 * attempt is planned like the item itself (fields checked, files checked, priced, held against Max
 * Cost) before the run sends anything.
 */

/** API names that mean the same thing across models; a name not listed means only itself. */
const MEANINGS: string[][] = [
	['image_url', 'start_frame_url', 'first_frame_url', 'image'],
	['end_image_url', 'end_frame_url', 'last_frame_url', 'end_image'],
	['image_urls', 'images', 'reference_urls', 'omni_images'],
	['video_url', 'video', 'input_video_url'],
	['has_sound', 'generate_audio'],
	['cfg_scale', 'guidance_scale'],
];
const meaningOf = (apiName: string) => MEANINGS.find((group) => group.includes(apiName)) ?? [apiName];

/** What the output is made of: a value of these that a fallback cannot take makes the chain impossible. */
const MUST_CARRY = new Set([
	'prompt',
	...MEANINGS[0],
	...MEANINGS[1],
	...MEANINGS[2],
	...MEANINGS[3],
	'motion_video_url',
	'video_urls',
	'audio_url',
	'reference_voice_url',
	'omni_videos',
	'omni_audios',
	'duration',
	'multishot',
	'elements',
]);

const given = (value: unknown) => value !== undefined && value !== null && value !== '' && !(Array.isArray(value) && value.length === 0);

/** The models of Fallback Models for this item, in order. */
function fallbackChoices(param: ParamReader): Array<{ model: string; customModel: string }> {
	const raw = param(`${FALLBACK_MODELS}.models`, []);
	return (Array.isArray(raw) ? (raw as IDataObject[]) : []).map((entry) => ({
		model: String(entry.model ?? ''),
		customModel: String(entry.customModel ?? '').trim(),
	}));
}

/**
 * The parameters a fallback attempt reads: its model, and each of its fields filled from the field of
 * the item's model that means the same (a file stays a file); everything else (limits, waiting,
 * options) as the node has it.
 */
function readerFor(base: ParamReader, primary: JobPlan, target: CatalogModel): ParamReader {
	const input = (primary.body.input ?? {}) as IDataObject;
	const fromFiles = new Map(primary.files.map((f) => [f.field.apiName, f.properties]));
	const overlay = new Map<string, unknown>([['model', target.slug]]);
	for (const field of target.fields) {
		const name = paramName(field);
		const source = [field.apiName, ...meaningOf(field.apiName)].find((api) => fromFiles.has(api) || given(input[api]));
		overlay.set(sourceParam(name), source !== undefined && fromFiles.has(source) ? 'binary' : 'url');
		if (source === undefined) {
			overlay.set(name, undefined);
			continue;
		}
		if (fromFiles.has(source)) {
			overlay.set(binaryPropertyParam(name), (fromFiles.get(source) ?? []).join(','));
			overlay.set(name, undefined);
			continue;
		}
		const value = input[source];
		overlay.set(name, field.kind === 'url' && Array.isArray(value) ? value[0] : field.kind === 'urlList' && !Array.isArray(value) ? [value] : value);
	}
	return (name, fallback) => (overlay.has(name) ? (overlay.get(name) ?? fallback) : base(name, fallback));
}

/** An Other Model (by slug) attempt: the item's input as it is. */
function readerForSlug(base: ParamReader, primary: JobPlan, slug: string): ParamReader {
	const overlay = new Map<string, unknown>([
		['model', CUSTOM_MODEL],
		['customModel', slug],
		[CUSTOM_INPUT_MODE, 'json'],
		['inputJson', JSON.stringify(primary.body.input ?? {})],
	]);
	return (name, fallback) => (overlay.has(name) ? overlay.get(name) : base(name, fallback));
}

/** The item's fields that carry what the output is made of, and the fallback model has no place for. */
function missingPlaces(primary: JobPlan, target: CatalogModel): string[] {
	const input = (primary.body.input ?? {}) as IDataObject;
	const targetNames = new Set(target.fields.map((f) => f.apiName));
	const usedNames = [...Object.keys(input).filter((k) => given(input[k])), ...primary.files.map((f) => f.field.apiName)];
	return usedNames
		.filter((api) => MUST_CARRY.has(api) && !meaningOf(api).some((m) => targetNames.has(m)))
		.map((api) => {
			const field: ModelField | undefined = primary.model?.fields.find((f) => f.apiName === api);
			return field ? `"${fieldDisplayName(field)}" (${api})` : api;
		});
}

/**
 * Plans every attempt of the item's chain, before anything is sent: an attempt that cannot be made
 * (a field the model lacks, a value it does not accept, a price above Max Cost) is an input error that
 * names the item, the model and the field.
 */
export async function planFallbacks(ctx: IExecuteFunctions, itemIndex: number, primary: JobPlan, priceWanted: boolean): Promise<JobPlan[]> {
	const base = paramsOf(ctx, itemIndex);
	const choices = fallbackChoices(base);
	const node = ctx.getNode();
	const plans: JobPlan[] = [];
	for (const [n, choice] of choices.entries()) {
		const isSlug = choice.model === CUSTOM_MODEL;
		const target = isSlug ? undefined : findCatalogModel(choice.model);
		const name = isSlug ? choice.customModel || 'Other Model' : (target?.name ?? choice.model);
		const problem = (message: string, hint: string) =>
			new NodeOperationError(node, `Item ${itemIndex + 1}: fallback model ${n + 1} "${name}": ${message}`, {
				itemIndex,
				description: `${hint} Nothing was sent to Muvi for any item.`.trim(),
			});
		if (!isSlug && !target) throw problem('choose a model from the list', 'Pick a model for every entry of Fallback Models, or remove the entry.');
		if (isSlug && primary.files.length > 0)
			throw problem("Other Model takes the item's input as it is, and this item's files are binary data", 'Give the files as URLs, or choose a model from the list.');
		if (target) {
			const makes = target.output ?? 'video';
			if (primary.model !== undefined && makes !== (primary.model.output ?? 'video'))
				throw problem(`it makes ${makes === 'image' ? 'images' : 'videos'}, the item's model does not`, 'Choose a fallback of the same kind.');
			const missing = missingPlaces(primary, target);
			if (missing.length > 0)
				throw problem(`it has no field for ${missing.join(', ')}`, 'Choose a fallback that takes the same inputs (an image-to-video model for an image-to-video item …).');
		}
		const planned: JobPlan | Error = await planJob(ctx, itemIndex, priceWanted, target ? readerFor(base, primary, target) : readerForSlug(base, primary, choice.customModel)).catch(
			(error: unknown) => (error instanceof Error ? error : new Error(String(error))),
		);
		if (!(planned instanceof Error)) {
			plans.push(planned);
			continue;
		}
		const prefix = `Item ${itemIndex + 1}: `;
		if (planned instanceof NodeOperationError && planned.message.startsWith(prefix))
			throw problem(planned.message.slice(prefix.length), typeof planned.description === 'string' ? planned.description.replace(/ ?Nothing was sent to Muvi for any item\.$/, '') : '');
		throw planned instanceof NodeOperationError || planned instanceof NodeApiError ? planned : new NodeOperationError(node, planned, { itemIndex });
	}
	return plans;
}

/**
 * The code of Muvi's refusal when it refused the submit because of the model itself (no job was
 * created), so the next model may be tried; undefined for any other error.
 */
export function modelRefusal(error: unknown): 'MODEL_NOT_FOUND' | 'MODEL_ACCESS_DENIED' | undefined {
	if (!(error instanceof NodeApiError)) return undefined;
	const text = `${error.message} ${String(error.description ?? '')} ${JSON.stringify((error as { context?: unknown }).context ?? {})}`;
	return /\b(MODEL_NOT_FOUND|MODEL_ACCESS_DENIED)\b/.exec(text)?.[1] as 'MODEL_NOT_FOUND' | 'MODEL_ACCESS_DENIED' | undefined;
}

/** The error code Muvi answered with (`INVALID_INPUT` …), when the error is Muvi's answer. */
export function muviCodeOf(error: unknown): string | undefined {
	const code = error instanceof NodeApiError ? (error.errorResponse as { muviCode?: unknown } | undefined)?.muviCode : undefined;
	return typeof code === 'string' && code !== '' ? code : undefined;
}
