import type { IDataObject } from 'n8n-workflow';

import { schemaType, type ModelInputSchema, type SchemaProperty } from '../../muviClient/catalog';
import { fieldDisplayName } from '../models';
import { isBlank, isHttpUrl, type PreparedInput } from './validation';

/**
 * The input of a model outside our catalog, checked against the JSON Schema Muvi publishes for it
 * (`GET /v1/catalog/models/{slug}` → `inputSchema`, §2.7): type conversion plus required / enum /
 * limit checks, applied before anything is sent.
 */

const label = (name: string) => fieldDisplayName({ apiName: name, kind: 'text' });

class Refused {
	constructor(
		readonly field: string,
		readonly message: string,
		readonly hint: string,
	) {}
}

const refuse = (field: string, message: string, hint: string) => new Refused(field, message, hint);


const shown = (v: unknown) => JSON.stringify(typeof v === 'string' && v.length > 80 ? `${v.slice(0, 80)}…` : v);

/** One value in the type the schema wants: "10" → 10, "false" → false, 5 → "5", "[…]" → an array. */
function convert(name: string, prop: SchemaProperty, value: unknown, where: string): unknown {
	const type = schemaType(prop);
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
