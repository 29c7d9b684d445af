import type { IDataObject, INodePropertyOptions, ResourceMapperField } from 'n8n-workflow';

import { fieldDisplayName } from '../models';
import { isHttpUrl, type PreparedInput } from './validation';

/**
 * Typed fields for a model outside our catalog, from the JSON Schema Muvi publishes for it
 * (`GET /v1/catalog/models/{slug}` → `inputSchema`, §2.7): the fields n8n's resource mapper shows,
 * and the type conversion plus required / enum / limit checks applied before anything is sent.
 */

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

/** The schema's type without "null" (JSON Schema allows a list). */
function typeOf(prop: SchemaProperty): string | undefined {
	const types = (Array.isArray(prop.type) ? prop.type : prop.type ? [prop.type] : []).filter((t) => t !== 'null');
	if (types.length === 0 && prop.enum?.length) return typeof prop.enum[0] === 'number' ? 'number' : typeof prop.enum[0];
	return types[0];
}

const label = (name: string) => fieldDisplayName({ apiName: name, kind: 'text' });

/** The fields the resource mapper shows: required ones first, then the rest as the schema lists them. */
export function schemaToMapperFields(schema: ModelInputSchema): ResourceMapperField[] {
	const names = Object.keys(schema.properties);
	const required = new Set(schema.required);
	const ordered = [...names.filter((n) => required.has(n)), ...names.filter((n) => !required.has(n))];
	return ordered.map((name) => {
		const prop = schema.properties[name];
		const type = typeOf(prop);
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

class Refused {
	constructor(
		readonly field: string,
		readonly message: string,
		readonly hint: string,
	) {}
}

const refuse = (field: string, message: string, hint: string) => new Refused(field, message, hint);

const isBlank = (v: unknown) =>
	v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);

const shown = (v: unknown) => JSON.stringify(typeof v === 'string' && v.length > 80 ? `${v.slice(0, 80)}…` : v);

/** One value in the type the schema wants: "10" → 10, "false" → false, 5 → "5", "[…]" → an array. */
function convert(name: string, prop: SchemaProperty, value: unknown, where: string): unknown {
	const type = typeOf(prop);
	let out: unknown = value;
	switch (type) {
		case 'string':
			if (typeof value === 'number' || typeof value === 'boolean') out = String(value);
			else if (typeof value !== 'string') throw new Refused(name, `${where} must be text`, `Got ${shown(value)}.`);
			break;
		case 'number':
		case 'integer': {
			const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value.trim()) : NaN;
			if (!Number.isFinite(n) || (type === 'integer' && !Number.isInteger(n)))
				throw new Refused(name, `${where} must be ${type === 'integer' ? 'a whole number' : 'a number'}`, `Got ${shown(value)}.`);
			out = n;
			break;
		}
		case 'boolean':
			if (typeof value === 'boolean') break;
			if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) out = value.trim().toLowerCase() === 'true';
			else throw new Refused(name, `${where} must be true or false`, `Got ${shown(value)}.`);
			break;
		case 'array': {
			let list: unknown = value;
			if (typeof value === 'string') {
				const text = value.trim();
				if (text.startsWith('[')) {
					try {
						list = JSON.parse(text);
					} catch {
						throw refuse(name, `${where} is not a valid JSON array`, 'Check brackets, quotes and commas.');
					}
				} else list = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
			}
			if (!Array.isArray(list)) throw new Refused(name, `${where} must be a list`, `Got ${shown(value)}.`);
			if (prop.items) list = list.map((item, i) => convert(name, prop.items as SchemaProperty, item, `${where} entry ${i + 1}`));
			out = list;
			break;
		}
		case 'object':
			if (typeof value === 'string') {
				try {
					out = JSON.parse(value);
				} catch {
					throw refuse(name, `${where} is not valid JSON`, 'Check brackets, quotes and commas.');
				}
			}
			if (!out || typeof out !== 'object' || Array.isArray(out)) throw new Refused(name, `${where} must be a JSON object`, 'e.g. { "key": "value" }');
			break;
		default:
			break; // a type the schema does not state: sent as given
	}
	if (Array.isArray(prop.enum) && prop.enum.length > 0 && !prop.enum.some((e) => e === out || String(e) === String(out))) {
		throw new Refused(name, `${where} cannot be ${shown(out)}`, `Allowed values: ${prop.enum.map((e) => JSON.stringify(e)).join(', ')}.`);
	}
	if (Array.isArray(prop.enum)) {
		const match = prop.enum.find((e) => e === out || String(e) === String(out));
		if (match !== undefined) out = match; // the enum's own type: "5" stays "5", 5 stays 5
	}
	if (typeof out === 'string') {
		if (prop.maxLength !== undefined && out.length > prop.maxLength)
			throw new Refused(name, `${where} is ${out.length} characters long; the model accepts at most ${prop.maxLength}`, `Shorten it by ${out.length - prop.maxLength} characters.`);
		if (prop.format === 'uri' && !isHttpUrl(out.trim()))
			throw new Refused(name, `${where} must be a web address starting with http:// or https://`, `Got ${shown(out)}.`);
	}
	if (typeof out === 'number' && ((prop.minimum !== undefined && out < prop.minimum) || (prop.maximum !== undefined && out > prop.maximum)))
		throw new Refused(name, `${where} must be between ${prop.minimum ?? '-∞'} and ${prop.maximum ?? '∞'}`, `Got ${out}.`);
	if (Array.isArray(out)) {
		if (prop.minItems !== undefined && out.length < prop.minItems)
			throw new Refused(name, `${where} needs at least ${prop.minItems} entries`, `Got ${out.length}.`);
		if (prop.maxItems !== undefined && out.length > prop.maxItems)
			throw new Refused(name, `${where} has ${out.length} entries; the model accepts at most ${prop.maxItems}`, 'Remove some.');
	}
	return out;
}

/**
 * Checks the values mapped for a custom slug against its schema: required fields present, every
 * value converted to the schema's type and within its enum and limits. Blank optional values are
 * left out (Muvi applies its defaults); fields the schema does not list are sent as given.
 */
export function prepareSchemaInput(slug: string, schema: ModelInputSchema, values: IDataObject): PreparedInput {
	const input: IDataObject = {};
	try {
		for (const name of schema.required) {
			if (isBlank(values[name]))
				throw new Refused(name, `"${label(name)}" (${name}) is required for ${slug}`, "Fill it in, or map it from an earlier node. Muvi's catalog marks it as required.");
		}
		for (const [name, value] of Object.entries(values)) {
			if (isBlank(value)) continue;
			const prop = schema.properties[name];
			input[name] = (prop ? convert(name, prop, value, `"${label(name)}" (${name}) of ${slug}`) : value) as IDataObject[string];
		}
		return { input };
	} catch (error) {
		if (error instanceof Refused) return { problem: { field: error.field, message: error.message, hint: error.hint } };
		return { problem: { field: '', message: `The input for ${slug} could not be checked`, hint: String(error) } };
	}
}
