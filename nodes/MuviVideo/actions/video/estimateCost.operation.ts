import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { microCentsToUsd } from '../../../muviClient/money';
import { muviRead } from '../../../muviClient/transport';
import { describePrice } from '../../descriptions/priceText';
import { runItems } from '../../engine/itemLoop';
import { paramsOf, readJobRequest, type JobRequest } from '../../engine/jobRequest';

const showFor = { resource: ['video'], operation: ['estimateCost'] };

/** Estimate-only parameters; the model and its fields are shared with Generate (see index.ts). */
export const description: INodeProperties[] = [
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

/** The item's price from the model's documented formula, as the request was read: nothing is priced twice. */
function localEstimate(request: JobRequest, askApi: boolean): IDataObject {
	const { model, cost } = request;
	if (!model || !cost)
		return {
			model: request.body.model,
			estimatedCostMicroCents: null,
			estimatedCostUsd: null,
			note: askApi
				? 'No local price for a model outside the list; see Muvi\'s own estimate.'
				: 'No local price for a model outside the list; turn on "Ask Muvi Too" in Options for Muvi\'s own estimate.',
		};
	const json: IDataObject = {
		model: request.body.model,
		modelName: model.name,
		estimatedCostMicroCents: cost.microCents,
		estimatedCostUsd: microCentsToUsd(cost.microCents),
		priceFormula: describePrice(model.price),
	};
	if (model.price.kind === 'perSecond') json.seconds = cost.seconds;
	if (cost.images !== undefined) json.images = cost.images;
	if (Object.keys(cost.factors).length) json.priceFactors = cost.factors;
	if (model.note) json.note = model.note;
	return json;
}

/**
 * Video and Image → Estimate Cost: every item is checked like Generate's, then priced from the
 * model's documented formula; with "Ask Muvi Too", `POST /v1/jobs/estimate` (read-only, so retried
 * like any read) adds Muvi's figure. Without it no request is made. Nothing is ever submitted.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runItems(
		this,
		async (i) => ({
			request: await readJobRequest(this.getNode(), paramsOf(this, i), i, this),
			askApi: (this.getNodeParameter('options', i, {}) as IDataObject).askApi === true,
		}),
		async ({ request, askApi }, i) => {
			const json = localEstimate(request, askApi);
			if (askApi) {
				// files are not uploaded for an estimate: their URLs do not change the price
				const input = { ...(request.body.input as IDataObject) };
				for (const { field } of request.files) delete input[field.apiName];
				const body: IDataObject = { model: request.body.model, input };
				if (request.body.version !== undefined) body.version = request.body.version;
				const data = await muviRead(this, { method: 'POST', path: '/v1/jobs/estimate', body }, `estimating the cost of ${String(request.body.model)}`, i);
				Object.assign(json, apiEstimate(Array.isArray(data) ? {} : data));
			}
			return { json, pairedItem: { item: i } };
		},
	);
}
