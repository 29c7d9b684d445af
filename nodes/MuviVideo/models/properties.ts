import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { fieldRank } from './fields';
import { CUSTOM_MODEL, DEFAULT_MODEL, fieldDisplayName, paramName, videoModels } from './index';
import type { ModelField, VideoModel } from './types';
import { describePrice } from '../shared/cost';

/** The n8n property for one model field, without its displayOptions. */
function fieldProperty(field: ModelField): INodeProperties {
	const name = paramName(field);
	const target = `input.${field.apiName}`;
	const base = {
		displayName: fieldDisplayName(field),
		name,
		required: field.required ?? false,
		description: field.description,
		...(field.placeholder ? { placeholder: field.placeholder } : {}),
	};
	switch (field.kind) {
		case 'text':
			return {
				...base,
				type: 'string',
				default: '',
				typeOptions: field.apiName.includes('prompt') ? { rows: 3 } : undefined,
				routing: { send: { type: 'body', property: target } },
			};
		case 'url':
			return { ...base, type: 'string', default: '', routing: { send: { type: 'body', property: target } } };
		case 'urlList':
			return {
				...base,
				type: 'string',
				default: [],
				typeOptions: { multipleValues: true, multipleValueButtonText: 'Add URL' },
				routing: { send: { type: 'body', property: target } },
			};
		case 'enum':
			return {
				...base,
				type: 'options',
				default: (field.default as string | undefined) ?? '',
				options: (field.options ?? []).map((o) =>
					typeof o === 'string' ? { name: o, value: o } : { name: o.name ?? o.value, value: o.value },
				),
				routing: { send: { type: 'body', property: target } },
			};
		case 'booleanString':
			return {
				...base,
				type: 'boolean',
				default: field.default === true,
				// The API wants the strings "true"/"false" here, not JSON booleans.
				routing: { send: { type: 'body', property: target, value: '={{ $value ? "true" : "false" }}' } },
			};
		case 'boolean':
			return {
				...base,
				type: 'boolean',
				default: field.default === true,
				routing: { send: { type: 'body', property: target } },
			};
		case 'number':
		case 'integer':
			return {
				...base,
				type: 'number',
				default: field.emptyValue ?? (field.default as number | undefined) ?? 0,
				typeOptions: {
					...(field.min !== undefined ? { minValue: field.min } : {}),
					...(field.max !== undefined ? { maxValue: field.max } : {}),
					numberPrecision: field.kind === 'integer' ? 0 : 2,
				},
				routing: { send: { type: 'body', property: target } },
			};
		case 'json':
			return {
				...base,
				type: 'json',
				default: '[]',
				routing: { send: { type: 'body', property: target, value: '={{ $value }}' } },
			};
	}
}

function modelOption(model: VideoModel): INodePropertyOptions {
	return {
		name: model.name,
		value: model.slug,
		description: `${model.slug} · ${describePrice(model.price)} · about ${model.typicalSeconds} s${model.note ? ` · ${model.note}` : ''}`,
	};
}

/**
 * The `model` dropdown and every model's fields. Fields that are identical across models become one
 * n8n property shown for all of them, which keeps the node description small.
 */
export function modelProperties(show: Record<string, string[]>): INodeProperties[] {
	const model: INodeProperties = {
		displayName: 'Model',
		name: 'model',
		type: 'options',
		required: true,
		default: DEFAULT_MODEL,
		description: 'The Muvi video model. Each model shows its own fields and price.',
		options: [
			...videoModels.map(modelOption),
			{
				name: 'Other Model (by Slug)',
				value: CUSTOM_MODEL,
				description: 'Any model slug, with its input written as JSON (no local price estimate)',
			},
		],
		displayOptions: { show },
		routing: {
			send: {
				type: 'body',
				property: 'model',
				value: `={{ $value === "${CUSTOM_MODEL}" ? $parameter.customModel : $value }}`,
			},
		},
	};

	const custom: INodeProperties[] = [
		{
			displayName: 'Model Slug',
			name: 'customModel',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. google/veo-3.1-fast/text-to-video',
			description: 'The model slug as Muvi documents it: provider/model/capability',
			displayOptions: { show: { ...show, model: [CUSTOM_MODEL] } },
		},
		{
			displayName: 'Input (JSON)',
			name: 'inputJson',
			type: 'json',
			default: '{\n  "prompt": ""\n}',
			description: "The model's input object exactly as the API documents it",
			displayOptions: { show: { ...show, model: [CUSTOM_MODEL] } },
		},
	];

	const grouped = new Map<string, { property: INodeProperties; slugs: string[]; rank: number }>();
	for (const m of videoModels) {
		for (const field of m.fields) {
			const property = fieldProperty(field);
			const key = JSON.stringify(property);
			const entry = grouped.get(key);
			if (entry) entry.slugs.push(m.slug);
			else grouped.set(key, { property, slugs: [m.slug], rank: fieldRank(field.apiName) });
		}
	}
	// One global field order (FIELD_ORDER), so every model shows its fields in the same sequence.
	const fields = [...grouped.values()].sort((a, b) => a.rank - b.rank).map(({ property, slugs }) => ({
		...property,
		displayOptions: { show: { ...show, model: slugs } },
	}));

	return [model, ...custom, ...fields];
}
