import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { fieldRank } from './fields';
import { CUSTOM_MODEL, DEFAULT_MODEL, fieldDisplayName, paramName, videoModels } from './index';
import type { CatalogModel, ModelField } from './types';
import { CUSTOM_INPUT_MODE, customInputProperties } from '../shared/customInput';
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

function modelOption(model: CatalogModel): INodePropertyOptions {
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
export function modelProperties(
	show: Record<string, string[]>,
	models: CatalogModel[] = videoModels,
	what: 'video' | 'image' = 'video',
	defaultModel: string = DEFAULT_MODEL,
): INodeProperties[] {
	const model: INodeProperties = {
		displayName: 'Model',
		name: 'model',
		type: 'options',
		required: true,
		default: defaultModel,
		description: `The Muvi ${what} model. Each model shows its own fields and price.`,
		options: [
			...models.map(modelOption),
			{
				name: 'Other Model (by Slug)',
				value: CUSTOM_MODEL,
				description: "Any model slug, with the fields Muvi's catalog lists for it (or its input as JSON); priced by Muvi's estimate",
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
			displayOptions: { show: { ...show, model: [CUSTOM_MODEL], [CUSTOM_INPUT_MODE]: ['json'] } },
		},
	];
	custom.splice(1, 0, ...customInputProperties(show));

	const grouped = new Map<string, { property: INodeProperties; slugs: string[]; rank: number }>();
	for (const m of models) {
		for (const field of m.fields) {
			const property = fieldProperty(field);
			const key = JSON.stringify(property);
			const entry = grouped.get(key);
			if (entry) entry.slugs.push(m.slug);
			else grouped.set(key, { property, slugs: [m.slug], rank: fieldRank(field.apiName) });
		}
	}
	// One global field order (FIELD_ORDER), so every model shows its fields in the same sequence.
	const ordered = [...grouped.values()].sort((a, b) => a.rank - b.rank);

	// Every URL field can take an uploaded binary file instead: "<param>Source" and "<param>BinaryProperty".
	const fileSlugs = new Map<string, string[]>();
	for (const m of models)
		for (const f of m.fields)
			if (isFileField(f)) fileSlugs.set(paramName(f), [...(fileSlugs.get(paramName(f)) ?? []), m.slug]);

	const fields: INodeProperties[] = [];
	const companionsDone = new Set<string>();
	for (const { property, slugs } of ordered) {
		const name = property.name;
		const forFiles = fileSlugs.get(name);
		if (!forFiles || !['string'].includes(property.type)) {
			fields.push({ ...property, displayOptions: { show: { ...show, model: slugs } } });
			continue;
		}
		if (!companionsDone.has(name)) {
			companionsDone.add(name);
			fields.push(...fileCompanions(property, forFiles, show));
		}
		fields.push({ ...property, displayOptions: { show: { ...show, model: slugs, [sourceParam(name)]: ['url'] } } });
	}

	return [model, ...custom, ...fields];
}

const isFileField = (f: ModelField) => f.kind === 'url' || f.kind === 'urlList';

/** `imageUrl` → `imageUrlSource` */
export const sourceParam = (param: string) => `${param}Source`;
/** `imageUrl` → `imageUrlBinaryProperty` */
export const binaryPropertyParam = (param: string) => `${param}BinaryProperty`;

/** "Input Source" (URL or binary file) and the binary property name for one URL field. */
function fileCompanions(property: INodeProperties, slugs: string[], show: Record<string, string[]>): INodeProperties[] {
	const list = property.typeOptions?.multipleValues === true;
	return [
		{
			displayName: 'Input Source',
			name: sourceParam(property.name),
			type: 'options',
			default: 'url',
			options: [
				{ name: 'URL', value: 'url', description: 'A public web address of the file' },
				{
					name: 'Binary File',
					value: 'binary',
					description: 'A file from an earlier node (Drive, form upload …), uploaded to Muvi for this job',
				},
			],
			description: `Where "${property.displayName}" comes from: a public URL, or a binary file of the input item that the node uploads to Muvi`,
			displayOptions: { show: { ...show, model: slugs } },
		},
		{
			displayName: 'Input Binary Field',
			name: binaryPropertyParam(property.name),
			type: 'string',
			default: 'data',
			required: true,
			placeholder: list ? 'e.g. data, data2' : 'e.g. data',
			description: list
				? 'The binary properties of the input item holding the files, separated by commas; each is uploaded to Muvi (kept 60 minutes)'
				: 'The binary property of the input item holding the file; it is uploaded to Muvi (kept 60 minutes)',
			displayOptions: { show: { ...show, model: slugs, [sourceParam(property.name)]: ['binary'] } },
		},
	];
}
