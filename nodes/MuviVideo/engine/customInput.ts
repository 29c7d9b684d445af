import type { IDataObject, ResourceMapperField } from 'n8n-workflow';

import { fetchInputSchema, type ModelInputSchema, type SchemaProperty } from '../../muviClient/catalog';
import type { MuviContext } from '../../muviClient/transport';
import { prepareSchemaInput } from './schemaInput';
import type { PreparedInput } from './validation';

/**
 * The input of "Other Model (by Slug)" given as fields (n8n's resource mapper, see
 * descriptions/customModel.ts), checked at run time against the slug's schema in Muvi's catalog.
 */

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
