import type { IDataObject, ILoadOptionsFunctions, INodeProperties, ResourceMapperField, ResourceMapperFields } from 'n8n-workflow';

import { CUSTOM_MODEL } from '../models';
import { prepareSchemaInput, readInputSchema, schemaToMapperFields, type ModelInputSchema, type SchemaProperty } from './schemaInput';
import { muviRead, type MuviContext } from './transport';
import type { PreparedInput } from './validation';

/**
 * "Other Model (by Slug)" with real fields: the slug's `inputSchema` from Muvi's public catalog
 * (§2.7) drives n8n's resource mapper, and the values are converted and checked against it before
 * anything is sent. "Input (JSON)" stays as the fallback for models whose schema is missing or wrong.
 */

/** `provider/model` or `provider/model/capability`, as the catalog resolves it. */
export const SLUG_PATTERN = /^[a-z0-9][a-z0-9.+_-]*\/[a-z0-9][a-z0-9.+_-]*(\/[a-z0-9][a-z0-9.+_-]*)?$/i;

export const CUSTOM_INPUT = 'customInput';
export const CUSTOM_INPUT_MODE = 'customInputMode';

/** `GET /v1/catalog/models/{slug}` keeps the slug's slashes as path separators (§2.7). */
export const catalogModelPath = (slug: string) => `/v1/catalog/models/${slug.split('/').map(encodeURIComponent).join('/')}`;

/** The properties that follow "Model Slug": how the input is given, and the typed fields. */
export function customInputProperties(show: Record<string, string[]>): INodeProperties[] {
	const forCustom = { ...show, model: [CUSTOM_MODEL] };
	const mode = (dflt: 'fields' | 'json', versions: number[]): INodeProperties => ({
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
		mode('fields', [2]),
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

/** The schema of one slug from the public catalog; null when the catalog has none for it. */
export async function fetchInputSchema(ctx: MuviContext, slug: string, itemIndex?: number): Promise<ModelInputSchema | null> {
	const detail = await muviRead(ctx, { method: 'GET', path: catalogModelPath(slug) }, `reading the fields of ${slug}`, itemIndex);
	return readInputSchema(detail);
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

/**
 * The schema the resource mapper stored with the workflow, as a fallback when the catalog cannot be
 * read at run time: it still gives the required fields, their types and the allowed values.
 */
export function schemaFromMapperFields(fields: ResourceMapperField[]): ModelInputSchema {
	const properties: Record<string, SchemaProperty> = {};
	for (const f of fields) {
		const values = f.options?.map((o) => o.value);
		const type = f.type === 'options' ? (typeof values?.[0] === 'number' ? 'number' : typeof values?.[0] === 'boolean' ? 'boolean' : 'string') : f.type;
		properties[f.id] = {
			...(type && ['string', 'number', 'boolean', 'array', 'object'].includes(type) ? { type } : {}),
			...(values?.length ? { enum: values } : {}),
		};
	}
	return { properties, required: fields.filter((f) => f.required && !f.removed).map((f) => f.id) };
}

/** The mapped values and the schema the resource mapper stored, from its parameter value. */
export function mapperValue(raw: unknown): { values: IDataObject; stored: ResourceMapperField[] } {
	const mapper = (raw && typeof raw === 'object' ? raw : {}) as { value?: unknown; schema?: unknown };
	const values = mapper.value && typeof mapper.value === 'object' && !Array.isArray(mapper.value) ? (mapper.value as IDataObject) : {};
	const stored = Array.isArray(mapper.schema) ? (mapper.schema as ResourceMapperField[]) : [];
	return { values, stored };
}

/**
 * Checks the mapped values of a custom slug against its catalog schema (read once per slug and run),
 * or against the schema stored in the workflow when the catalog cannot be read.
 */
export async function prepareCustomInput(
	ctx: MuviContext,
	slug: string,
	raw: unknown,
	itemIndex: number,
	schemas: Map<string, Promise<ModelInputSchema | null>>,
): Promise<PreparedInput> {
	const { values, stored } = mapperValue(raw);
	let pending = schemas.get(slug);
	if (!pending) {
		pending = fetchInputSchema(ctx, slug, itemIndex).catch(() => null);
		schemas.set(slug, pending);
	}
	const schema = (await pending) ?? (stored.length ? schemaFromMapperFields(stored) : null);
	if (!schema) return { input: { ...values } };
	return prepareSchemaInput(slug, schema, values);
}
