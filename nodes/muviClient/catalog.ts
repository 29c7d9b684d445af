import type { IDataObject } from 'n8n-workflow';

import { muviRead, type MuviContext } from './transport';

/** A model slug: `provider/model` or `provider/model/capability`, as Muvi's catalog resolves it (§2.7). */
export const SLUG_PATTERN = /^[a-z0-9][a-z0-9.+_-]*\/[a-z0-9][a-z0-9.+_-]*(\/[a-z0-9][a-z0-9.+_-]*)?$/i;

/** `GET /v1/catalog/models/{slug}` keeps the slug's slashes as path separators (§2.7). */
export const catalogModelPath = (slug: string) => `/v1/catalog/models/${slug.split('/').map(encodeURIComponent).join('/')}`;

/** The part of JSON Schema a model's `inputSchema` uses. */
export interface SchemaProperty {
	type?: string | string[];
	enum?: unknown[];
	default?: unknown;
	description?: string;
	maxLength?: number;
	minimum?: number;
	maximum?: number;
	minItems?: number;
	maxItems?: number;
	format?: string;
	items?: SchemaProperty;
}

export interface ModelInputSchema {
	properties: Record<string, SchemaProperty>;
	required: string[];
}

/** The schema's type without "null" (JSON Schema allows a list). */
export function schemaType(prop: SchemaProperty): string | undefined {
	const types = (Array.isArray(prop.type) ? prop.type : prop.type ? [prop.type] : []).filter((t) => t !== 'null');
	if (types.length === 0 && prop.enum?.length) return typeof prop.enum[0] === 'number' ? 'number' : typeof prop.enum[0];
	return types[0];
}

/** The `inputSchema` of a catalog detail answer (flat or wrapped), or null when it has none. */
export function readInputSchema(detail: unknown): ModelInputSchema | null {
	if (!detail || typeof detail !== 'object' || Array.isArray(detail)) return null;
	const outer = detail as IDataObject;
	const body = outer.data && typeof outer.data === 'object' && !Array.isArray(outer.data) ? (outer.data as IDataObject) : outer;
	const schema = body.inputSchema as IDataObject | undefined;
	if (!schema || typeof schema !== 'object' || !schema.properties || typeof schema.properties !== 'object') return null;
	const required = Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string') : [];
	return { properties: schema.properties as Record<string, SchemaProperty>, required };
}

/** The schema of one slug from the public catalog; null when the catalog has none for it. */
export async function fetchInputSchema(ctx: MuviContext, slug: string, itemIndex?: number): Promise<ModelInputSchema | null> {
	const detail = await muviRead(ctx, { method: 'GET', path: catalogModelPath(slug) }, `reading the fields of ${slug}`, itemIndex);
	return readInputSchema(detail);
}
