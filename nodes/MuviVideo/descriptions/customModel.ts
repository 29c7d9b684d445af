import type { ILoadOptionsFunctions, INodeProperties, INodePropertyOptions, ResourceMapperField, ResourceMapperFields } from 'n8n-workflow';

import { fetchInputSchema, schemaType, SLUG_PATTERN, type ModelInputSchema } from '../../muviClient/catalog';
import { CUSTOM_INPUT, CUSTOM_INPUT_MODE, CUSTOM_MODEL, fieldDisplayName } from '../models';

/**
 * "Other Model (by Slug)" with real fields: the slug's `inputSchema` from Muvi's public catalog
 * (§2.7) drives n8n's resource mapper in the editor; engine/customInput.ts checks the values against
 * it before anything is sent. "Input (JSON)" stays as the fallback for models whose schema is missing or wrong.
 */

/** The properties that follow "Model Slug": how the input is given, and the typed fields. */
export function customInputProperties(show: Record<string, string[]>): INodeProperties[] {
	const forCustom = { ...show, model: [CUSTOM_MODEL] };
	const mode = (dflt: 'fields' | 'json', versions: Array<number | { _cnd: { gte: number } }>): INodeProperties => ({
		displayName: 'Input Mode',
		name: CUSTOM_INPUT_MODE,
		type: 'options',
		noDataExpression: true,
		default: dflt,
		options: [
			{ name: 'Fields From Muvi’s Catalog', value: 'fields', description: 'The model’s own fields, checked before anything is sent' },
			{ name: 'JSON', value: 'json', description: 'The model’s input object written by hand' },
		],
		description: 'How to give the model’s input',
		displayOptions: { show: { ...forCustom, '@version': versions } },
	});
	return [
		// workflows made before the fields existed keep their JSON input
		mode('json', [1]),
		mode('fields', [{ _cnd: { gte: 2 } }]),
		{
			displayName: 'Input Fields',
			name: CUSTOM_INPUT,
			type: 'resourceMapper',
			noDataExpression: true,
			default: { mappingMode: 'defineBelow', value: null },
			required: true,
			typeOptions: {
				loadOptionsDependsOn: ['customModel'],
				resourceMapper: {
					resourceMapperMethod: 'getCustomModelFields',
					mode: 'add',
					fieldWords: { singular: 'field', plural: 'fields' },
					addAllFields: true,
					multiKeyMatch: false,
					supportAutoMap: false,
					noFieldsError: 'Muvi’s catalog lists no input fields for this model; use Input Mode: JSON',
				},
			},
			displayOptions: { show: { ...forCustom, [CUSTOM_INPUT_MODE]: ['fields'] } },
		},
	];
}

const label = (name: string) => fieldDisplayName({ apiName: name, kind: 'text' });

/** The fields the resource mapper shows: required ones first, then the rest as the schema lists them. */
export function schemaToMapperFields(schema: ModelInputSchema): ResourceMapperField[] {
	const names = Object.keys(schema.properties);
	const required = new Set(schema.required);
	const ordered = [...names.filter((n) => required.has(n)), ...names.filter((n) => !required.has(n))];
	return ordered.map((name) => {
		const prop = schema.properties[name];
		const type = schemaType(prop);
		const field: ResourceMapperField = {
			id: name,
			displayName: label(name),
			required: required.has(name),
			defaultMatch: false,
			canBeUsedToMatch: false,
			display: true,
			type: 'string',
		};
		if (Array.isArray(prop.enum) && prop.enum.length > 0) {
			field.type = 'options';
			field.options = prop.enum.map((v): INodePropertyOptions => ({ name: String(v), value: v as string | number | boolean }));
		} else if (type === 'number' || type === 'integer') field.type = 'number';
		else if (type === 'boolean') field.type = 'boolean';
		else if (type === 'array') field.type = 'array';
		else if (type === 'object') field.type = 'object';
		if (['string', 'number', 'boolean'].includes(typeof prop.default)) field.defaultValue = prop.default as string | number | boolean;
		return field;
	});
}

/** The resource mapper's loader: the fields of the slug in "Model Slug". */
export async function getCustomModelFields(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	const slug = String(this.getNodeParameter('customModel', '') ?? '').trim();
	if (!SLUG_PATTERN.test(slug))
		return { fields: [], emptyFieldsNotice: 'Enter a model slug (provider/model/capability) above to load its fields' };
	let schema: ModelInputSchema | null;
	try {
		schema = await fetchInputSchema(this, slug);
	} catch (error) {
		return {
			fields: [],
			emptyFieldsNotice: `Could not load the fields of ${slug} from Muvi’s catalog (${error instanceof Error ? error.message : String(error)}). Check the slug, or use Input Mode: JSON.`,
		};
	}
	if (!schema || Object.keys(schema.properties).length === 0)
		return { fields: [], emptyFieldsNotice: `Muvi’s catalog lists no input fields for ${slug}; use Input Mode: JSON` };
	return { fields: schemaToMapperFields(schema) };
}
