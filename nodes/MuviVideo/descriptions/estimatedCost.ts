/**
 * The price a user sees while configuring, before anything runs: the Estimated Cost line in the
 * panel (a loadOptions field, which n8n re-evaluates live when a pricing field changes) and the
 * subtitle on the canvas (an expression over `$parameter`). Both take the model slug and the node's
 * parameter values, whatever the operation does with them, and price them with models/cost.ts.
 */
import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { formatUsd } from '../../muviClient/money';
import { catalogModels, CUSTOM_MODEL, fieldDisplayName, findCatalogModel, paramName, type CatalogModel, type ModelField } from '../models';
import { costBreakdown } from '../models/cost';
import { LIST_FIELDS, pricedWithShots } from './listFields';

export type ParameterValues = Record<string, unknown>;

export type EditorEstimate =
	| { kind: 'known'; model: CatalogModel; microCents: number; seconds?: number; images?: number; factors: Array<{ field: string; value: string; multiplier: number }> }
	| { kind: 'otherModel' }
	| { kind: 'noModel' }
	| { kind: 'expression'; model: CatalogModel; field: ModelField }
	| { kind: 'unsupported'; model: CatalogModel; field: ModelField; value: string };

const isExpression = (value: unknown) => typeof value === 'string' && value.startsWith('=');

/** The API fields that change a model's price: its duration or image-count field and every price factor's field. */
function pricingFields(model: CatalogModel): ModelField[] {
	const price = model.price;
	if (price.kind === 'flat') return [];
	const counted =
		price.kind === 'perSecond'
			? price.fixedSeconds === undefined
				? [price.durationField ?? 'duration']
				: []
			: price.kind === 'perImage'
				? [price.countField ?? 'num_images']
				: [];
	const names = new Set([...counted, ...(price.factors ?? []).map((f) => f.field)]);
	return model.fields.filter((f) => names.has(f.apiName));
}

/** The n8n parameter names of every pricing field of every model (the Estimated Cost line depends on them). */
export const PRICING_PARAMETERS: string[] = [...new Set(catalogModels.flatMap((m) => pricingFields(m).map(paramName)))].sort();

/** The values a list field offers ("5", "10" …), or undefined for free fields and switches. */
export function offeredValues(field: ModelField): string[] | undefined {
	if (field.kind !== 'enum' || !field.options) return undefined;
	return field.options.map((o) => (typeof o === 'string' ? o : o.value));
}

/** A parameter value as the API (and so the price formula) sees it: switches sent as "true"/"false" strings. */
function apiValue(field: ModelField, value: unknown): unknown {
	if (field.kind === 'booleanString') return value === true || value === 'true' ? 'true' : 'false';
	return value;
}

/**
 * The local estimate for a model slug and the node's parameter values (missing ones take the model's
 * defaults, as Muvi does). "Other Model (by Slug)" has no local price; a pricing field set by an
 * expression is priced per item at run time.
 */
export function estimateForParameters(slug: unknown, parameters: ParameterValues): EditorEstimate {
	if (slug === CUSTOM_MODEL) return { kind: 'otherModel' };
	const model = typeof slug === 'string' ? findCatalogModel(slug) : undefined;
	if (!model) return { kind: 'noModel' };
	const input: IDataObject = {};
	for (const field of pricingFields(model)) {
		const value = parameters[paramName(field)];
		if (value === undefined || value === null || value === '') continue;
		if (isExpression(value)) return { kind: 'expression', model, field };
		// n8n keeps a same-named field's value when the model changes (10 s from Kling on Veo, which has 4, 6 or 8)
		const offered = offeredValues(field);
		if (offered && !offered.includes(String(value))) return { kind: 'unsupported', model, field, value: String(value) };
		input[field.apiName] = apiValue(field, value) as IDataObject[string];
	}
	// version 3's Multi-Shot list: the shots count when they last longer than Duration (as when the node runs)
	const shots = (parameters[LIST_FIELDS.multishot.param] as IDataObject | undefined)?.[LIST_FIELDS.multishot.entries];
	if (Array.isArray(shots) && model.fields.some((f) => f.apiName === 'multishot')) {
		// a duration given by an expression is known only per item: it counts when the node runs
		input.multishot = (shots as IDataObject[]).map((s) => ({ duration: isExpression(s?.duration) ? 0 : (s?.duration ?? 5) }));
	}
	const cost = costBreakdown(model, pricedWithShots(model, input));
	return {
		kind: 'known',
		model,
		microCents: cost.microCents,
		...(model.price.kind === 'perSecond' ? { seconds: cost.seconds } : {}),
		...(model.price.kind === 'perImage' ? { images: cost.images } : {}),
		factors: Object.entries(cost.factors).map(([field, f]) => ({ field, value: f.value, multiplier: f.multiplier })),
	};
}

const DISCOUNTS =
	"From Muvi's published price list. Muvi's own estimate (Estimate Cost with Ask Muvi Too) and the charge can be lower after your account's discounts; the finished job's costUsd is what was charged.";

/** One line of text in the Estimated Cost field (an option whose value never changes). */
const line = (name: string, description?: string): INodePropertyOptions => ({
	name,
	value: ESTIMATE_VALUE,
	...(description ? { description } : {}),
});

/** The Estimated Cost line: one option whose name is the estimate and whose description explains it. */
export function estimateOption(estimate: EditorEstimate): INodePropertyOptions {
	switch (estimate.kind) {
		case 'otherModel':
			return line(
				'Not known for Other Model (by Slug)',
				"There is no local price for a model outside the list: use Estimate Cost with Ask Muvi Too for Muvi's own figure.",
			);
		case 'noModel':
			return line('Choose a model to see its price');
		case 'expression':
			return line(
				`Depends on each item (${fieldDisplayName(estimate.field)} is an expression)`,
				`Priced per item when the node runs. ${DISCOUNTS}`,
			);
		case 'unsupported':
			return line(
				`Not known: ${fieldDisplayName(estimate.field)} "${estimate.value}" is not offered by this model`,
				`The value was kept from the model chosen before. Choose one of: ${offeredValues(estimate.field)?.join(', ')}.`,
			);
		case 'known': {
			const price = estimate.model.price;
			const multipliers = estimate.factors
				.filter((f) => f.multiplier !== 1)
				.map((f) => ` × ${f.multiplier} (${f.field} ${f.value})`)
				.join('');
			const how =
				price.kind === 'flat'
					? 'flat price per video'
					: price.kind === 'perSecond'
						? `${estimate.seconds} s × ${formatUsd(price.microCentsPerSecond)}/s${multipliers}`
						: price.kind === 'perImage'
							? `${estimate.images} × ${formatUsd(price.microCentsPerImage)} per image${multipliers}`
							: `${formatUsd(price.microCents)} per request${multipliers}`;
			const per = estimate.model.output === 'image' ? 'per job' : 'per video';
			return line(`${formatUsd(estimate.microCents)} ${per} (${how})`, DISCOUNTS);
		}
	}
}

/** The value of the Estimated Cost field: constant, so the shown name is always the latest estimate. */
export const ESTIMATE_VALUE = 'estimate';

/** `methods.loadOptions.estimatedCost`: re-run by the editor whenever the model or a pricing field changes. */
export async function estimatedCost(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const parameters = (this.getCurrentNodeParameters() ?? {}) as ParameterValues;
	return [estimateOption(estimateForParameters(parameters.model, parameters))];
}
