import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { CUSTOM_MODEL, findModel } from '../../models';
import { costBreakdown, describePrice, microCentsToUsd } from '../../shared/cost';
import { muviRead } from '../../shared/transport';
import { readJobRequest, singleParamsOf } from './jobInput';

const showFor = { resource: ['video'], operation: ['estimateCost'] };

/** Estimate-only parameters; the model and its fields are shared with Generate (see index.ts). */
export const estimateCostDescription: INodeProperties[] = [
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: showFor },
		options: [
			{
				displayName: 'Ask Muvi Too',
				name: 'askApi',
				type: 'boolean',
				default: false,
				description:
					"Whether to also ask Muvi's estimate endpoint, whose figure includes your account's discounts. Nothing is charged.",
			},
			{
				displayName: 'Model Version',
				name: 'version',
				type: 'string',
				default: '',
				placeholder: 'e.g. v1.0',
				description: 'A specific model version for Muvi\'s estimate; leave empty for the latest stable version',
			},
		],
	},
];

/** Runs before anything is sent: the same checks as Generate, so a bad input fails here too. */
export async function prepareEstimateRequest(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	// the body comes from the catalog, like Generate's; files are not uploaded for an estimate (their URLs do not change the price)
	const { body, files } = readJobRequest(this.getNode(), singleParamsOf(this), this.getItemIndex());
	for (const { field } of files) delete (body.input as IDataObject)[field.apiName];
	requestOptions.body = body;
	return requestOptions;
}

const numberOrNull = (value: unknown): number | null =>
	typeof value === 'number' && Number.isFinite(value) ? value : typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : null;

/** Reads both documented estimate answers: `{estimatedCostMicroCents, baseCostMicroCents, breakdown, …}` and `{estimatedCost, baseCost, factors}`. */
function apiEstimate(data: IDataObject): IDataObject {
	const estimated = numberOrNull(data.estimatedCostMicroCents ?? data.estimatedCost);
	const base = numberOrNull(data.baseCostMicroCents ?? data.baseCost);
	const out: IDataObject = {
		apiEstimatedCostMicroCents: estimated,
		apiEstimatedCostUsd: estimated === null ? null : microCentsToUsd(estimated),
	};
	if (base !== null) out.apiBaseCostMicroCents = base;
	for (const key of ['breakdown', 'factors', 'hasDiscount', 'discounted'])
		if (data[key] !== undefined && data[key] !== null) out[key] = data[key];
	return out;
}

/**
 * Computes the price from the model's documented formula and, with "Ask Muvi Too", adds the figure
 * of `POST /v1/jobs/estimate` (read-only, so it is retried like any read). Without it no request is
 * made at all. Nothing is ever submitted or charged.
 */
export async function estimateCost(
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
): Promise<INodeExecutionData[]> {
	const itemIndex = this.getItemIndex();
	const body = requestData.options.body as IDataObject;
	const options = this.getNodeParameter('options', {}) as IDataObject;
	const model = this.getNodeParameter('model') === CUSTOM_MODEL ? undefined : findModel(String(body.model));

	const json: IDataObject = { model: body.model };
	if (model) {
		const cost = costBreakdown(model, body.input as IDataObject);
		json.modelName = model.name;
		json.estimatedCostMicroCents = cost.microCents;
		json.estimatedCostUsd = microCentsToUsd(cost.microCents);
		json.priceFormula = describePrice(model.price);
		if (model.price.kind === 'perSecond') json.seconds = cost.seconds;
		if (Object.keys(cost.factors).length) json.priceFactors = cost.factors;
		if (model.note) json.note = model.note;
	} else {
		json.estimatedCostMicroCents = null;
		json.estimatedCostUsd = null;
		json.note = options.askApi
			? 'No local price for a model outside the list; see Muvi\'s own estimate.'
			: 'No local price for a model outside the list; turn on "Ask Muvi Too" in Options for Muvi\'s own estimate.';
	}

	if (options.askApi === true) {
		const request: IDataObject = { model: body.model, input: body.input };
		if (body.version !== undefined) request.version = body.version;
		const data = (await muviRead(
			this,
			{ method: 'POST', path: String(requestData.options.url ?? '/v1/jobs/estimate'), body: request },
			`estimating the cost of ${String(body.model)}`,
			itemIndex,
		)) as IDataObject;
		Object.assign(json, apiEstimate(Array.isArray(data) ? {} : data));
	}
	return [{ json, pairedItem: { item: itemIndex } }];
}
