import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CUSTOM_MODEL, fieldDisplayName, findModel, paramName } from '../../models';
import { binaryPropertyParam, sourceParam } from '../../models/properties';
import type { ModelField, VideoModel } from '../../models/types';
import { checkBinary, uploadChecked, type CheckedBinary } from '../../shared/upload';
import { binaryPropertyOption, downloadVideoOption, timeoutOption } from '../../shared/descriptions';
import { estimateCostMicroCents, formatUsd, microCentsToUsd } from '../../shared/cost';
import { finishedJobItem, normalizeJob, pollUntilFinished, submitJob } from '../../shared/jobs';
import { isHttpUrl, prepareModelInput, type InputProblem } from '../../shared/validation';

const showFor = { resource: ['video'], operation: ['generate'] };

export const generateOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	displayOptions: { show: showFor },
	options: [
		downloadVideoOption(' (needs Wait for Completion)'),
		{
			displayName: 'Max Cost (USD)',
			name: 'maxCostUsd',
			type: 'number',
			default: 1,
			typeOptions: { minValue: 0, numberPrecision: 2 },
			description:
				"Refuse to submit an item whose estimated cost is higher than this, in US dollars. Muvi's actual charge can be lower after account discounts.",
		},
		{
			displayName: 'Model Version',
			name: 'version',
			type: 'string',
			default: '',
			placeholder: 'e.g. v1.0',
			description: 'A specific model version; leave empty for the latest stable version',
			routing: { send: { type: 'body', property: 'version' } },
		},
		binaryPropertyOption,
		timeoutOption('the job keeps running at Muvi and can be picked up later by its ID'),
		{
			displayName: 'Webhook URL',
			name: 'webhookUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://n8n.example.com/webhook/…/muvi',
			description:
				'An https:// address Muvi calls when the job finishes, e.g. the production URL of a Muvi Video Trigger node',
			routing: { send: { type: 'body', property: 'webhookUrl' } },
		},
	],
};

/** Generate-only parameters; the model and its fields are shared with Estimate Cost (see index.ts). */
export const generateDescription: INodeProperties[] = [
	{
		displayName: 'Wait for Completion',
		name: 'waitForCompletion',
		type: 'boolean',
		default: true,
		description:
			'Whether to wait until the video is finished (or failed) before continuing. Off: output the job ID right after submitting.',
		displayOptions: { show: showFor },
	},
	generateOptions,
];

function inputProblem(ctx: IExecuteSingleFunctions, problem: InputProblem | string, hint = ''): NodeOperationError {
	const itemIndex = ctx.getItemIndex();
	const message = typeof problem === 'string' ? problem : problem.message;
	return new NodeOperationError(ctx.getNode(), `Item ${itemIndex + 1}: ${message}`, {
		itemIndex,
		description: `${typeof problem === 'string' ? hint : problem.hint} Nothing was sent to Muvi.`.trim(),
	});
}

/**
 * Checks the model and every one of its fields, and puts `body.model` and `body.input` in the form
 * the API wants (shared by Generate and Estimate Cost). Returns the local price estimate, which a
 * model outside the list ("Other Model (by Slug)") does not have.
 */
/** URL fields of the model whose value comes from binary files of the item, by API name. */
function filesFor(ctx: IExecuteSingleFunctions, model: VideoModel): FileInput[] {
	const out: FileInput[] = [];
	for (const field of model.fields) {
		if (field.kind !== 'url' && field.kind !== 'urlList') continue;
		const param = paramName(field);
		if (ctx.getNodeParameter(sourceParam(param), 'url') !== 'binary') continue;
		const names = String(ctx.getNodeParameter(binaryPropertyParam(param), 'data'))
			.split(',')
			.map((n) => n.trim())
			.filter((n) => n !== '');
		out.push({ field, properties: field.kind === 'url' ? names.slice(0, 1) : names });
	}
	return out;
}

export interface FileInput {
	field: ModelField;
	/** binary property names of the item */
	properties: string[];
}

export function checkJobInput(ctx: IExecuteSingleFunctions, body: IDataObject): { estimate?: number; files: FileInput[] } {
	let files: FileInput[] = [];
	const selected = ctx.getNodeParameter('model') as string;
	let input: IDataObject;
	let estimate: number | undefined;
	if (selected === CUSTOM_MODEL) {
		const slug = String(body.model ?? '').trim();
		if (!/^[a-z0-9.+-]+\/[a-z0-9.+-]+(\/[a-z0-9.+-]+)?$/i.test(slug))
			throw inputProblem(ctx, `"Model Slug" must look like provider/model/capability`, `Got "${slug}".`);
		body.model = slug;
		const raw = ctx.getNodeParameter('inputJson', '{}') as unknown;
		let parsed: unknown = raw;
		if (typeof raw === 'string') {
			try {
				parsed = JSON.parse(raw);
			} catch {
				throw inputProblem(ctx, '"Input (JSON)" is not valid JSON', 'Check brackets, quotes and commas.');
			}
		}
		if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
			throw inputProblem(ctx, '"Input (JSON)" must be a JSON object', 'e.g. { "prompt": "a cat surfing" }');
		input = parsed as IDataObject;
	} else {
		const model = findModel(selected);
		if (!model) throw inputProblem(ctx, `Unknown model "${selected}"`, 'Pick a model from the list.');
		files = filesFor(ctx, model);
		const fromFiles = Object.fromEntries(files.map((f) => [f.field.apiName, f.properties.length]));
		const prepared = prepareModelInput(model, (body.input ?? {}) as IDataObject, fromFiles);
		if (prepared.problem) throw inputProblem(ctx, prepared.problem);
		input = prepared.input;
		estimate = estimateCostMicroCents(model, input);
	}
	body.input = input;
	if (String(body.version ?? '').trim() === '') delete body.version;
	return { estimate, files };
}

/**
 * Runs before the request: checks every field of the chosen model, puts each value in the type the
 * API wants, and refuses items whose estimated cost is above Max Cost. A bad input costs nothing.
 */
export async function prepareJobRequest(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const body = (requestOptions.body ?? {}) as IDataObject;
	const { estimate, files } = checkJobInput(this, body);
	const itemIndex = this.getItemIndex();
	// every file is checked (type, size) before anything is sent, then uploaded after the cost check
	const checkedFiles: Array<{ field: ModelField; files: CheckedBinary[] }> = [];
	for (const { field, properties } of files) {
		const label = `"${fieldDisplayName(field)}" (${paramName(field)})`;
		const list: CheckedBinary[] = [];
		for (const property of properties) list.push(await checkBinary(this, property, itemIndex, label));
		checkedFiles.push({ field, files: list });
	}

	const webhookUrl = String(body.webhookUrl ?? '').trim();
	if (webhookUrl === '') delete body.webhookUrl;
	else if (!webhookUrl.startsWith('https://') || !isHttpUrl(webhookUrl))
		throw inputProblem(this, '"Webhook URL" must start with https://', 'Muvi only calls https addresses (it rejects others with INVALID_WEBHOOK_URL).');

	const maxCostUsd = this.getNodeParameter('options.maxCostUsd', -1) as number;
	if (estimate !== undefined && maxCostUsd >= 0 && microCentsToUsd(estimate) > maxCostUsd)
		throw inputProblem(
			this,
			`The estimated cost ${formatUsd(estimate)} (${estimate.toLocaleString('en-US')} micro-cents) is above Max Cost ${formatUsd(maxCostUsd * 1_000_000)}`,
			'Raise Max Cost in Options, or choose a shorter duration, no sound or a cheaper model.',
		);
	const input = body.input as IDataObject;
	for (const { field, files: list } of checkedFiles) {
		const urls: string[] = [];
		for (const file of list) urls.push((await uploadChecked(this, file, itemIndex)).fileUrl);
		input[field.apiName] = field.kind === 'urlList' ? urls : urls[0];
	}
	requestOptions.body = body;
	return requestOptions;
}

/**
 * Sends the submit and, if asked, waits for the result. It takes over the request (n8n's routing hook
 * for a custom request flow) so that a submit is only repeated when Muvi says no job was created.
 */
export async function submitAndWait(
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
): Promise<INodeExecutionData[]> {
	const itemIndex = this.getItemIndex();
	const options = this.getNodeParameter('options', {}) as IDataObject;
	const timeoutMs = Math.max(1, Number(options.timeout ?? 1800)) * 1000;
	const body = requestData.options.body as IDataObject;
	const submittedAt = Date.now();
	const submitted = await submitJob(
		this,
		{ method: 'POST', path: String(requestData.options.url ?? '/v1/jobs/submit'), body },
		itemIndex,
		timeoutMs,
	);
	const summary = normalizeJob({ ...submitted, model: submitted.model ?? body.model, status: submitted.status ?? 'pending' });
	const model = findModel(String(body.model));
	if (model) {
		const estimate = estimateCostMicroCents(model, body.input as IDataObject);
		summary.estimatedCostMicroCents = estimate;
		summary.estimatedCostUsd = microCentsToUsd(estimate);
	}
	if (!this.getNodeParameter('waitForCompletion', true)) return [{ json: summary, pairedItem: { item: itemIndex } }];

	const finished = await pollUntilFinished(this, {
		jobId: String(summary.jobId),
		submittedAt,
		estimatedCompletionTime: summary.estimatedCompletionTime,
		timeoutMs,
		itemIndex,
	});
	return [
		await finishedJobItem(
			this,
			summary,
			finished,
			{ download: options.download === true, binaryPropertyName: options.binaryPropertyName as string },
			itemIndex,
		),
	];
}
