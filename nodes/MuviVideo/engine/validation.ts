import type { IDataObject } from 'n8n-workflow';

import { fieldDisplayName, paramName, type CatalogModel, type ModelField } from '../models';

/** A problem with one field of one item, found before anything was sent to Muvi. */
export interface InputProblem {
	field: string;
	message: string;
	hint: string;
}

/** Signals a problem up from deep inside the checks; turned into a NodeOperationError by the caller. */
class ProblemFound {
	constructor(readonly problem: InputProblem) {}
}

function problem(field: string, message: string, hint: string): ProblemFound {
	return new ProblemFound({ field, message, hint });
}

/** Empty, only spaces, or an empty list: a missing value (a blank prompt is a missing prompt). */
export const isBlank = (v: unknown) =>
	v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);

/**
 * A yes/no value as n8n, a sheet or a form gives it: a boolean, or the text "true" / "false" (any
 * case, spaces around ignored). Anything else (e.g. "yes", 1) is `undefined`: refused, not guessed.
 */
export function parseFlag(value: unknown): boolean | undefined {
	if (typeof value === 'boolean') return value;
	if (typeof value === 'string') {
		const text = value.trim().toLowerCase();
		if (text === 'true') return true;
		if (text === 'false') return false;
	}
	return undefined;
}

/** A number ≥ 0 given as a number or as text ("10", " 2.5 "); anything else (NaN, "abc", −1, "") is `undefined`. */
export function parseNonNegative(value: unknown): number | undefined {
	const num = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value.trim()) : NaN;
	return Number.isFinite(num) && num >= 0 ? num : undefined;
}

export function isHttpUrl(value: string): boolean {
	if (!/^https?:\/\//i.test(value)) return false;
	try {
		new URL(value);
		return true;
	} catch {
		return false;
	}
}

function label(field: ModelField): string {
	return `"${fieldDisplayName(field)}" (${paramName(field)})`;
}

/**
 * The values a number field takes, in words: "between 1 and 5, or 0 to let the model decide (nothing
 * is sent)". A field's "not set" value (its emptyValue) is not one of the values the API accepts.
 */
function rangeText(field: ModelField): string {
	const unset = field.emptyValue;
	const min = unset !== undefined && unset === field.min && field.kind === 'integer' ? unset + 1 : field.min;
	const range =
		min !== undefined && field.max !== undefined ? `between ${min} and ${field.max}` : min !== undefined ? `${min} or more` : `at most ${field.max}`;
	return unset === undefined ? range : `${range}, or ${unset} to let the model decide (nothing is sent)`;
}

function enumValues(field: ModelField): string[] {
	return (field.options ?? []).map((o) => (typeof o === 'string' ? o : o.value));
}

/** Turns what the user gave (possibly from an expression) into exactly the type the API wants. */
function coerce(field: ModelField, value: unknown, model: CatalogModel): unknown {
	const where = `${label(field)} of ${model.name}`;
	switch (field.kind) {
		case 'text': {
			if (typeof value !== 'string' && typeof value !== 'number')
				throw problem(field.apiName, `${where} must be text`, 'Enter text, or an expression that returns text.');
			const text = String(value);
			if (field.maxLength !== undefined && text.length > field.maxLength)
				throw problem(
					field.apiName,
					`${where} is ${text.length} characters long; the model accepts at most ${field.maxLength}`,
					`Shorten it by ${text.length - field.maxLength} characters.`,
				);
			return text;
		}
		case 'url': {
			const text = String(value).trim();
			if (!isHttpUrl(text))
				throw problem(
					field.apiName,
					`${where} must be a web address starting with http:// or https://`,
					`Got "${text.slice(0, 80)}". Use a public link to the file, or set this field's "Input Source" to "Binary File" to send a file from an earlier node.`,
				);
			return text;
		}
		case 'urlList': {
			const list = (Array.isArray(value) ? value : [value]).map((v) => String(v).trim()).filter((v) => v !== '');
			const bad = list.find((v) => !isHttpUrl(v));
			if (bad !== undefined)
				throw problem(
					field.apiName,
					`${where} must contain only web addresses starting with http:// or https://`,
					`"${bad.slice(0, 80)}" is not one.`,
				);
			if (field.maxItems !== undefined && list.length > field.maxItems)
				throw problem(field.apiName, `${where} has ${list.length} entries; the model accepts at most ${field.maxItems}`, 'Remove some.');
			if (field.minItems !== undefined && list.length < field.minItems)
				throw problem(field.apiName, `${where} needs at least ${field.minItems} entries`, 'Add more.');
			return list;
		}
		case 'enum': {
			const text = String(value);
			const allowed = enumValues(field).filter((v) => v !== '');
			if (!allowed.includes(text))
				throw problem(
					field.apiName,
					`${where} cannot be "${text}"`,
					`Allowed values: ${allowed.map((v) => `"${v}"`).join(', ')}.`,
				);
			return text;
		}
		case 'booleanString':
		case 'boolean': {
			const flag = parseFlag(value);
			if (flag === undefined)
				throw problem(
					field.apiName,
					`${where} must be true or false`,
					`Got ${JSON.stringify(value)}. Accepted: true or false, or the text "true" or "false" (e.g. from a sheet); nothing else, such as "yes" or 1.`,
				);
			return field.kind === 'boolean' ? flag : String(flag);
		}
		case 'number':
		case 'integer': {
			const num = typeof value === 'number' ? value : Number(value);
			if (typeof value === 'boolean' || !Number.isFinite(num) || (field.kind === 'integer' && !Number.isInteger(num)))
				throw problem(field.apiName, `${where} must be ${field.kind === 'integer' ? 'a whole number' : 'a number'}`, `Got ${JSON.stringify(value)}.`);
			if ((field.min !== undefined && num < field.min) || (field.max !== undefined && num > field.max))
				throw problem(field.apiName, `${where} must be ${rangeText(field)}`, `Got ${num}.`);
			return num;
		}
		case 'json': {
			let parsed: unknown = value;
			if (typeof value === 'string') {
				try {
					parsed = JSON.parse(value);
				} catch {
					throw problem(field.apiName, `${where} is not valid JSON`, 'Check brackets, quotes and commas.');
				}
			}
			// A JSON field with item limits is a list (Kling elements, multishot).
			if (field.minItems !== undefined || field.maxItems !== undefined) {
				if (!Array.isArray(parsed))
					throw problem(field.apiName, `${where} must be a JSON array`, 'Write it as [ {...}, {...} ].');
				if (field.maxItems !== undefined && parsed.length > field.maxItems)
					throw problem(field.apiName, `${where} has ${parsed.length} entries; the model accepts at most ${field.maxItems}`, 'Remove some.');
				if (field.minItems !== undefined && parsed.length < field.minItems)
					throw problem(field.apiName, `${where} needs at least ${field.minItems} entries`, 'Add more.');
			}
			return parsed;
		}
	}
}

export type PreparedInput = { input: IDataObject; problem?: undefined } | { input?: undefined; problem: InputProblem };

/** Stands in for a URL that will come from uploading a binary file, until the upload is done. */
export const PENDING_UPLOAD = '';

/**
 * Checks one item's `input` against the model's fields and returns it with every value in the type
 * the API wants, or the first problem found. Empty optional fields are left out, so Muvi applies
 * its own defaults. `fromFiles` names the URL fields whose value will come from uploaded binary
 * files, with how many files each gets: they count as present (with `PENDING_UPLOAD` placeholders)
 * and are not checked as URLs.
 */
export function prepareModelInput(model: CatalogModel, input: IDataObject, fromFiles: Record<string, number> = {}): PreparedInput {
	try {
		return { input: coerceAll(model, input, fromFiles) };
	} catch (found) {
		if (found instanceof ProblemFound) return { problem: found.problem };
		return { problem: { field: '', message: `The input for ${model.name} could not be checked`, hint: String(found) } };
	}
}

function coerceAll(model: CatalogModel, input: IDataObject, fromFiles: Record<string, number>): IDataObject {
	const out: IDataObject = {};
	for (const field of model.fields) {
		const files = fromFiles[field.apiName];
		if (files !== undefined) {
			if (field.kind === 'urlList') {
				const where = `${label(field)} of ${model.name}`;
				if (field.maxItems !== undefined && files > field.maxItems)
					throw problem(field.apiName, `${where} has ${files} files; the model accepts at most ${field.maxItems}`, 'Name fewer binary properties.');
				if (field.minItems !== undefined && files < field.minItems)
					throw problem(field.apiName, `${where} needs at least ${field.minItems} files`, 'Name more binary properties, separated by commas.');
				out[field.apiName] = Array.from({ length: files }, () => PENDING_UPLOAD);
			} else out[field.apiName] = PENDING_UPLOAD;
			continue;
		}
		const value = input[field.apiName];
		const unset = field.emptyValue !== undefined && value !== '' && Number(value) === field.emptyValue;
		if (isBlank(value) || unset || (field.kind === 'json' && (value === '[]' || value === '{}'))) {
			if (field.required)
				throw problem(field.apiName, `${label(field)} is required for ${model.name}`, 'Fill it in, or map it from an earlier node.');
			continue;
		}
		out[field.apiName] = coerce(field, value, model) as IDataObject[string];
	}
	for (const field of model.fields) {
		const limit = field.maxItemsWith;
		const list = out[field.apiName];
		if (limit && Array.isArray(list) && out[limit.field] !== undefined && list.length > limit.maxItems) {
			const other = model.fields.find((f) => f.apiName === limit.field);
			throw problem(
				field.apiName,
				`${label(field)} of ${model.name} has ${list.length} entries; with ${other ? label(other) : limit.field} set, the model accepts at most ${limit.maxItems}`,
				'Remove some, or leave the other field empty.',
			);
		}
	}
	return out;
}
