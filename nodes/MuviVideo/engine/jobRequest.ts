import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { SLUG_PATTERN, type ModelInputSchema } from '../../muviClient/catalog';
import { muviRead, type MuviContext } from '../../muviClient/transport';
import {
	binaryPropertyParam,
	CUSTOM_INPUT,
	CUSTOM_INPUT_MODE,
	CUSTOM_MODEL,
	fieldDisplayName,
	findCatalogModel,
	paramName,
	sourceParam,
	type CatalogModel,
	type ModelField,
} from '../models';
import { costBreakdown, type CostBreakdown } from '../models/cost';
import { listFieldOf, pricedWithShots } from '../descriptions/listFields';
import { checkCostLimit, trustedLocalPrice } from './costGuard';
import { ListProblem, readListField } from './listFields';
import type { OnTimeout } from './timedOut';
import { prepareCustomInput } from './customInput';
import { checkBinary, type CheckedBinary } from './upload';
import { isHttpUrl, parseFlag, parseNonNegative, prepareModelInput, type InputProblem } from './validation';

/** Reads one parameter of the item being checked, whichever kind of n8n context runs the operation. */
export type ParamReader = (name: string, fallback?: unknown) => unknown;

// n8n throws for a missing parameter without a fallback: null stands in for "not set"
export function paramsOf(ctx: IExecuteFunctions, itemIndex: number): ParamReader {
	return (name, fallback) => {
		const value = ctx.getNodeParameter(name, itemIndex, (fallback ?? null) as never) as unknown;
		return value === null && fallback === undefined ? undefined : value;
	};
}

/** A bad input of one item, found before anything was sent: names the item and the field. */
export function inputProblem(node: INode, itemIndex: number, problem: InputProblem | string, hint = ''): NodeOperationError {
	const message = typeof problem === 'string' ? problem : problem.message;
	return new NodeOperationError(node, `Item ${itemIndex + 1}: ${message}`, {
		itemIndex,
		description: `${typeof problem === 'string' ? hint : problem.hint} Nothing was sent to Muvi for any item.`.trim(),
	});
}

export interface FileInput {
	field: ModelField;
	/** binary property names of the item */
	properties: string[];
	/** how errors name the files, when not by their field (an element's images) */
	label?: string;
	/** where the uploaded files' URLs go, when not in the field itself (an element's `characterImages`) */
	place?: (input: IDataObject, urls: string[]) => void;
}

/** URL fields of the model whose value comes from binary files of the item, by API name. */
function filesFor(param: ParamReader, model: CatalogModel): FileInput[] {
	const out: FileInput[] = [];
	for (const field of model.fields) {
		if (field.kind !== 'url' && field.kind !== 'urlList') continue;
		const name = paramName(field);
		if (param(sourceParam(name), 'url') !== 'binary') continue;
		const names = String(param(binaryPropertyParam(name), 'data'))
			.split(',')
			.map((n) => n.trim())
			.filter((n) => n !== '');
		out.push({ field, properties: field.kind === 'url' ? names.slice(0, 1) : names });
	}
	return out;
}

/** What an item asks Muvi for: `{ model, input, version? }`, checked and in the API's types. */
export interface JobRequest {
	body: IDataObject;
	/** the model from the list (video or image), or undefined for "Other Model (by Slug)" */
	model?: CatalogModel;
	/** the local price and how it came about (models from the list only) */
	cost?: CostBreakdown;
	/** the price the cost guard goes by: the local one, or Muvi's estimate where the local one is not trusted */
	estimate?: number;
	/** URL fields filled from binary files, uploaded after every check */
	files: FileInput[];
}

/** Catalog schemas read during one run, by slug, so a batch of items asks once per model. */
const schemasByRun = new WeakMap<object, Map<string, Promise<ModelInputSchema | null>>>();

/**
 * Reads the model and each of its fields from the node's parameters (the catalog says which fields
 * and which API names: one source of truth, no routing), checks them and puts each value in the type
 * the API wants. Shared by Generate and Estimate Cost, for video and image models. A custom slug's
 * fields are checked against its schema in Muvi's catalog (read through `ctx`).
 */
export async function readJobRequest(node: INode, param: ParamReader, itemIndex: number, ctx?: MuviContext): Promise<JobRequest> {
	const selected = String(param('model'));
	const body: IDataObject = {};
	let files: FileInput[] = [];
	let model: CatalogModel | undefined;
	let cost: CostBreakdown | undefined;
	if (selected === CUSTOM_MODEL) {
		const slug = String(param('customModel', '') ?? '').trim();
		if (!SLUG_PATTERN.test(slug))
			throw inputProblem(
				node,
				itemIndex,
				'"Model Slug" must look like provider/model or provider/model/capability',
				`Got "${slug.slice(0, 80)}". e.g. google/veo-3.1-fast/text-to-video`,
			);
		body.model = slug;
		if (param(CUSTOM_INPUT_MODE, 'json') === 'fields' && ctx) {
			let schemas = schemasByRun.get(ctx);
			if (!schemas) schemasByRun.set(ctx, (schemas = new Map()));
			const prepared = await prepareCustomInput(ctx, slug, param(CUSTOM_INPUT, {}), itemIndex, schemas);
			if (prepared.problem) throw inputProblem(node, itemIndex, prepared.problem);
			body.input = prepared.input;
		} else {
			const raw = param('inputJson', '{}');
			let parsed: unknown = raw;
			if (typeof raw === 'string') {
				try {
					parsed = JSON.parse(raw);
				} catch {
					throw inputProblem(node, itemIndex, '"Input (JSON)" is not valid JSON', 'Check brackets, quotes and commas.');
				}
			}
			if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
				throw inputProblem(node, itemIndex, '"Input (JSON)" must be a JSON object', 'e.g. { "prompt": "a cat surfing" }');
			body.input = parsed as IDataObject;
		}
	} else {
		model = findCatalogModel(selected);
		if (!model) throw inputProblem(node, itemIndex, `Unknown model "${selected}"`, 'Pick a model from the list.');
		body.model = model.slug;
		files = filesFor(param, model);
		const fromFiles = Object.fromEntries(files.map((f) => [f.field.apiName, f.properties.length]));
		const given: IDataObject = {};
		const listFiles: FileInput[] = [];
		for (const field of model.fields) {
			if (fromFiles[field.apiName] !== undefined) continue;
			const list = node.typeVersion >= 3 ? listFieldOf(field) : undefined;
			if (list) {
				// version 3: Multi-Shot and Elements from their lists in the editor
				const read = readListField(list, field, model, param);
				if (read instanceof ListProblem) throw inputProblem(node, itemIndex, read.message, read.hint);
				given[field.apiName] = read.value;
				listFiles.push(...read.files);
				continue;
			}
			given[field.apiName] = param(paramName(field), undefined) as IDataObject[string];
		}
		const prepared = prepareModelInput(model, given, fromFiles);
		if (prepared.problem) throw inputProblem(node, itemIndex, prepared.problem);
		body.input = prepared.input;
		files = [...files, ...listFiles];
		cost = costBreakdown(model, pricedWithShots(model, prepared.input));
	}
	const version = String(param('options.version', '') ?? '').trim();
	if (version !== '') body.version = version;
	return { body, model, cost, estimate: cost?.microCents, files };
}

/** Everything one item of Generate needs, checked before any item is sent. */
export interface JobPlan extends JobRequest {
	itemIndex: number;
	/** the files of `files`, checked (type, size) and ready to upload */
	checkedFiles: Array<{ field: ModelField; files: CheckedBinary[]; place?: FileInput['place'] }>;
	wait: boolean;
	download: boolean;
	binaryPropertyName: string;
	timeoutMs: number;
	/** whether the user lets a job go without a known price */
	allowUnknownCost: boolean;
	/** what the Timeout does to a job still rendering */
	onTimeout: OnTimeout;
	/** attach to the job this node submitted earlier for the same input and position (Attach to Earlier Jobs) */
	attachToEarlierJobs: boolean;
	/** Fallback Models: the same item for each model tried in turn, checked and priced like the item */
	fallbacks?: JobPlan[];
}

/** Whether the item asks for images (an image model, or Other Model under the Image resource): the remedies differ. */
const makesImages = (request: JobRequest, param: ParamReader) =>
	request.model ? request.model.output === 'image' : param('resource', 'video') === 'image';

/** A yes/no parameter that may come from an expression ("true"/"false" from a sheet). */
function flagParam(node: INode, itemIndex: number, param: ParamReader, name: string, label: string, fallback: boolean): boolean {
	const raw = param(name, fallback);
	if (raw === undefined || raw === null || raw === '') return fallback;
	const flag = parseFlag(raw);
	if (flag === undefined)
		throw inputProblem(
			node,
			itemIndex,
			`"${label}" must be true or false`,
			`Got ${JSON.stringify(raw).slice(0, 80)}. Accepted: true or false, or the text "true" or "false"; nothing else, such as "yes" or 1.`,
		);
	return flag;
}

/** A number parameter that must be finite and ≥ 0 (also given as text, e.g. "10" from a sheet). */
function amountParam(node: INode, itemIndex: number, raw: unknown, label: string): number {
	const num = parseNonNegative(raw);
	if (num === undefined)
		throw inputProblem(node, itemIndex, `"${label}" must be a number of 0 or more`, `Got ${JSON.stringify(raw)?.slice(0, 80)}.`);
	return num;
}

/**
 * Checks one item of Generate completely (fields, files, webhook URL, Max Cost, Timeout, switches)
 * without sending anything. Node version 1 keeps Max Cost and Download Video under Options; version 2
 * shows them on the node, and Download Video is on by default.
 */
export async function planJob(ctx: IExecuteFunctions, itemIndex: number, priceWanted = false, param: ParamReader = paramsOf(ctx, itemIndex)): Promise<JobPlan> {
	const node = ctx.getNode();
	const request = await readJobRequest(node, param, itemIndex, ctx);
	const item = ctx.getInputData()[itemIndex] as INodeExecutionData;

	// every file is checked (type, size) before anything is sent; uploads come after every item's checks
	const checkedFiles: JobPlan['checkedFiles'] = [];
	for (const { field, properties, label: named, place } of request.files) {
		const label = named ?? `"${fieldDisplayName(field)}" (${paramName(field)}, Input Source: Binary File)`;
		const list: CheckedBinary[] = [];
		for (const property of properties) list.push(await checkBinary(ctx, item, property, itemIndex, label));
		checkedFiles.push({ field, files: list, ...(place ? { place } : {}) });
	}

	const webhookUrl = String(param('options.webhookUrl', '') ?? '').trim();
	if (webhookUrl !== '') {
		if (!webhookUrl.startsWith('https://') || !isHttpUrl(webhookUrl))
			throw inputProblem(node, itemIndex, '"Webhook URL" must start with https://', 'Muvi only calls https addresses (it rejects others with INVALID_WEBHOOK_URL).');
		request.body.webhookUrl = webhookUrl;
	}

	const version2 = node.typeVersion >= 2;
	const rawMaxCost = version2 ? param('maxCostUsd', undefined) : param('options.maxCostUsd', undefined);
	const maxCostUsd = rawMaxCost === undefined ? undefined : amountParam(node, itemIndex, rawMaxCost, 'Max Cost (USD)');
	// The guard never skips: a model without a trusted local price (a custom slug, motion transfer) is
	// priced by Muvi's estimate first; no estimate means no job unless unknown costs are allowed.
	const allowUnknownCost = flagParam(node, itemIndex, param, 'options.allowUnknownCost', 'Allow Unknown Cost', false);
	const verdict = await checkCostLimit(
		{
			model: String(request.body.model),
			input: request.body.input as IDataObject,
			...(request.body.version ? { version: String(request.body.version) } : {}),
			localMicroCents: trustedLocalPrice(request.model, request.estimate),
			maxCostUsd,
			allowUnknownCost,
			priceWanted,
		},
		async (estimateBody) =>
			await muviRead(ctx, { method: 'POST', path: '/v1/jobs/estimate', body: { ...estimateBody } }, `estimating the cost of ${estimateBody.model}`, itemIndex),
	);
	if (!verdict.allowed)
		throw inputProblem(
			node,
			itemIndex,
			verdict.message,
			verdict.reason === 'overLimit'
				? `Raise Max Cost (USD)${version2 ? '' : ' in Options'}, or choose ${makesImages(request, param) ? 'a lower resolution, fewer images' : 'a shorter duration, no sound, a lower resolution'} or a cheaper model.`
				: verdict.hint.replace(/^Nothing was submitted\. /, ''),
		);
	// Muvi's figure replaces a local one the guard does not trust (motion transfer's assumed 5 s)
	if (verdict.source === 'muvi' && verdict.microCents !== null) request.estimate = verdict.microCents;

	const rawTimeout = param('options.timeout', undefined);
	const timeoutSeconds = rawTimeout === undefined ? 1800 : amountParam(node, itemIndex, rawTimeout, 'Timeout (Seconds)');
	const wait = flagParam(node, itemIndex, param, 'waitForCompletion', 'Wait for Completion', true);
	const download = wait
		? version2
			? flagParam(node, itemIndex, param, 'download', 'Download Video', true)
			: flagParam(node, itemIndex, param, 'options.download', 'Download Video', false)
		: false;
	const binaryPropertyName = String(param('options.binaryPropertyName', 'data') || 'data');
	const onTimeout = String(param('options.onTimeout', 'keepRunning') || 'keepRunning');
	if (onTimeout !== 'keepRunning' && onTimeout !== 'cancelPending')
		throw inputProblem(node, itemIndex, '"On Timeout" must be Keep Running or Cancel Pending Jobs', `Got ${JSON.stringify(onTimeout).slice(0, 80)}.`);
	const attachToEarlierJobs = flagParam(node, itemIndex, param, 'options.attachToEarlierJobs', 'Attach to Earlier Jobs', false);
	return { ...request, itemIndex, checkedFiles, wait, download, binaryPropertyName, timeoutMs: timeoutSeconds * 1000, allowUnknownCost, onTimeout, attachToEarlierJobs };
}
