import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import {
	binaryPropertyParam,
	CUSTOM_INPUT_MODE,
	CUSTOM_MODEL,
	DEFAULT_MODEL,
	fieldDisplayName,
	paramName,
	sourceParam,
	videoModels,
	type CatalogModel,
	type ModelField,
} from '../models';
import { fieldRank } from '../models/fields';
import { customInputProperties } from './customModel';
import { LIST_FIELDS, listFieldProperty, SHOT_DURATION_PATHS, type ListFieldName } from './listFields';
import { ESTIMATE_VALUE, PRICING_PARAMETERS } from './estimatedCost';
import { priceFormulaLabel, priceLabel } from './priceText';

/** The n8n property for one model field, without its displayOptions. */
function fieldProperty(field: ModelField): INodeProperties {
	const name = paramName(field);
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
			};
		case 'url':
			return { ...base, type: 'string', default: '' };
		case 'urlList':
			return {
				...base,
				type: 'string',
				default: [],
				typeOptions: { multipleValues: true, multipleValueButtonText: 'Add URL' },
			};
		case 'enum':
			return {
				...base,
				type: 'options',
				default: (field.default as string | undefined) ?? '',
				options: (field.options ?? []).map((o) =>
					typeof o === 'string' ? { name: o, value: o } : { name: o.name ?? o.value, value: o.value },
				),
			};
		case 'booleanString':
			return {
				...base,
				type: 'boolean',
				default: field.default === true,
			};
		case 'boolean':
			return {
				...base,
				type: 'boolean',
				default: field.default === true,
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
			};
		case 'json':
			return {
				...base,
				type: 'json',
				default: '[]',
			};
	}
}

/** Shown under each name in the dropdown: what sets the model apart, its whole price formula, time and slug. */
export function modelOption(model: CatalogModel): INodePropertyOptions {
	const parts = [model.about, priceFormulaLabel(model.price), model.note, `about ${model.typicalSeconds} s`, model.slug];
	// n8n's dropdown filters on the name only: maker, model, capability and the exact base price, so "google" or "$0.084" finds it
	return { name: `${model.name} · ${priceLabel(model.price)}`, value: model.slug, description: parts.filter(Boolean).join(' · ') };
}

/**
 * The live price in the panel. n8n re-runs a loadOptions method whenever a field it depends on
 * changes, so this line follows the model, duration, sound, resolution … before anything runs.
 */
function estimatedCostProperty(show: Record<string, string[]>, what: 'video' | 'image'): INodeProperties {
	// Not a "Name or ID" picker, though it uses loadOptions: it shows one computed line, so the rules for ID pickers do not apply.
	return {
		// eslint-disable-next-line n8n-nodes-base/node-param-display-name-wrong-for-dynamic-options
		displayName: 'Estimated Cost',
		name: 'estimatedCost',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'estimatedCost', loadOptionsDependsOn: ['model', ...PRICING_PARAMETERS, ...SHOT_DURATION_PATHS] },
		default: ESTIMATE_VALUE,
		// eslint-disable-next-line n8n-nodes-base/node-param-description-wrong-for-dynamic-options
		description:
			`The price of one ${what === 'video' ? 'video' : 'image job'} from Muvi's published price list, updated as you change the model and its fields. Nothing is sent or charged; Muvi may charge less after account discounts.`,
		displayOptions: { show },
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
		description:
			what === 'video'
				? 'The Muvi video model. Type to filter by maker (Google, OpenAI, ByteDance …), model, capability (text to video …) or price ($0.084/s); each model shows its own fields.'
				: 'The Muvi image model. Type to filter by maker (Google, OpenAI, ByteDance …), model, capability (text to image …) or price; each model shows its own fields.',
		options: [
			...models.map(modelOption),
			{
				name: 'Other Model (by Slug)',
				value: CUSTOM_MODEL,
				description: "Any model slug, with the fields Muvi's catalog lists for it (or its input as JSON); priced by Muvi's estimate",
			},
		],
		displayOptions: { show },
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

	// URL fields that come after another one in some model (an end frame, a motion video): their binary
	// file gets its own default property name, so two files never both default to "data".
	const secondFiles = new Set(models.flatMap((m) => m.fields.filter(isFileField).slice(1).map(paramName)));

	const fields: INodeProperties[] = [];
	const companionsDone = new Set<string>();
	for (const { property, slugs } of ordered) {
		const name = property.name;
		const forFiles = fileSlugs.get(name);
		if (property.type === 'json' && name in LIST_FIELDS) {
			// Multi-Shot and Elements: JSON text in versions 1 and 2, a list in the editor from version 3
			fields.push({ ...property, displayOptions: { show: { ...show, model: slugs, '@version': [1, 2] } } });
			fields.push(listFieldProperty(name as ListFieldName, { ...show, model: slugs }, property.required === true));
			continue;
		}
		if (!forFiles || !['string'].includes(property.type)) {
			fields.push({ ...property, displayOptions: { show: { ...show, model: slugs } } });
			continue;
		}
		if (!companionsDone.has(name)) {
			companionsDone.add(name);
			fields.push(...fileCompanions(property, forFiles, show, secondFiles.has(name)));
		}
		fields.push({ ...property, displayOptions: { show: { ...show, model: slugs, [sourceParam(name)]: ['url'] } } });
	}

	return [model, ...custom, ...fields, estimatedCostProperty(show, what)];
}

const isFileField = (f: ModelField) => f.kind === 'url' || f.kind === 'urlList';

/** "Image URL" → "Image", "Reference Image URLs" → "Reference Images": what a field's companions are named after. */
export function fileFieldLabel(displayName: string): string {
	return displayName.replace(/ URLs$/, 's').replace(/ URL$/, '');
}

/** `endFrameUrl` → "endFrame": the default binary property of a file that is not the item's main one. */
export const ownBinaryPropertyName = (param: string) => param.replace(/Urls?$/, '');

/**
 * The "<Field> Source" switch (URL or binary file) and the binary property for one URL field. From node
 * version 2 a second file of a model (an end frame …) defaults to its own property name; version 1 keeps
 * "data" everywhere, as saved workflows rely on it.
 */
function fileCompanions(property: INodeProperties, slugs: string[], show: Record<string, string[]>, second: boolean): INodeProperties[] {
	const list = property.typeOptions?.multipleValues === true;
	const label = fileFieldLabel(property.displayName);
	const binaryProperty = (defaultName: string, version?: Array<number | { _cnd: { gte: number } }>): INodeProperties => ({
		displayName: `${label} Binary Field`,
		name: binaryPropertyParam(property.name),
		type: 'string',
		default: defaultName,
		required: true,
		placeholder: list ? `e.g. ${defaultName}, ${defaultName}2` : `e.g. ${defaultName}`,
		description: list
			? `The binary properties of the input item holding the files for "${label}", separated by commas; each is uploaded to Muvi (kept 60 minutes)`
			: `The binary property of the input item holding the file for "${label}"; it is uploaded to Muvi (kept 60 minutes)`,
		displayOptions: {
			show: { ...show, model: slugs, [sourceParam(property.name)]: ['binary'], ...(version ? { '@version': version } : {}) },
		},
	});
	return [
		{
			displayName: `${label} Source`,
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
		...(second
			? [binaryProperty('data', [1]), binaryProperty(ownBinaryPropertyName(property.name), [{ _cnd: { gte: 2 } }])]
			: [binaryProperty('data')]),
	];
}
