import type { IDataObject } from 'n8n-workflow';

import { ELEMENT_IMAGES, LIST_FIELDS, SHOT_SECONDS, type ListFieldName } from '../descriptions/listFields';
import type { CatalogModel, ModelField } from '../models';
import { isBlank, isHttpUrl, PENDING_UPLOAD } from './validation';

/**
 * Reads Multi-Shot and Elements from their editor lists (node version 3) into the arrays Muvi takes:
 * `multishot: [{prompt, duration}]`, `elements: [{characterImages, name?, voice?}]`. Every entry is
 * checked here, before anything is sent; an element's binary images become uploads whose URLs take
 * their places in `characterImages` once every item has been checked.
 */

/** A bad entry: the message names the list, the entry and its field (the caller adds the item). */
export class ListProblem {
	constructor(
		readonly message: string,
		readonly hint: string,
	) {}
}

/** How the node's parameters are read (jobRequest.ts ParamReader: a fallback's reader too). */
type ParamReader = (name: string, fallback?: unknown) => unknown;

/** An element's images from binary files of the item: uploaded after every check, their URLs put in place. */
export interface ListFile {
	field: ModelField;
	/** binary property names of the item */
	properties: string[];
	/** how errors name the files */
	label: string;
	place: (input: IDataObject, urls: string[]) => void;
}

export interface ListValue {
	/** the array for the API, or undefined when the list is empty */
	value?: IDataObject[];
	/** element images that come from binary files of the item */
	files: ListFile[];
}

const entriesOf = (raw: unknown, key: string): IDataObject[] => {
	if (!raw || typeof raw !== 'object') return [];
	const list = (raw as IDataObject)[key];
	return Array.isArray(list) ? (list as IDataObject[]) : [];
};

/** "a, b" or one per line: the parts, trimmed, without empty ones. */
const splitList = (value: unknown): string[] =>
	String(value ?? '')
		.split(/[,\n]/)
		.map((v) => v.trim())
		.filter((v) => v !== '');

/** A whole number of seconds as n8n, a sheet or a form gives it (5, "5", " 5 "). */
function seconds(value: unknown): number | undefined {
	const num = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value.trim()) : NaN;
	return Number.isInteger(num) ? num : undefined;
}

/** The durations the model offers, as a range of seconds (Kling O3: 3–15). */
function durationRange(model: CatalogModel): { min: number; max: number } | undefined {
	const field = model.fields.find((f) => f.apiName === 'duration');
	const values = (field?.options ?? []).map((o) => Number(typeof o === 'string' ? o : o.value)).filter(Number.isFinite);
	return values.length ? { min: Math.min(...values), max: Math.max(...values) } : undefined;
}

/** The list's value, or the first bad entry. */
export function readListField(name: ListFieldName, field: ModelField, model: CatalogModel, param: ParamReader): ListValue | ListProblem {
	const spec = LIST_FIELDS[name];
	const entries = entriesOf(param(spec.param, {}), spec.entries);
	return name === 'multishot' ? readShots(entries, model) : readElements(entries, field);
}

function readShots(entries: IDataObject[], model: CatalogModel): ListValue | ListProblem {
	if (entries.length === 0) return { files: [] };
	const promptLimit = model.fields.find((f) => f.apiName === 'prompt')?.maxLength;
	const shots: IDataObject[] = [];
	let total = 0;
	for (const [n, entry] of entries.entries()) {
		const where = `"Multi-Shot" (shotList) shot ${n + 1}`;
		const prompt = typeof entry.prompt === 'string' || typeof entry.prompt === 'number' ? String(entry.prompt).trim() : '';
		if (prompt === '') return new ListProblem(`${where}: "Prompt" is empty`, 'Describe what happens in the shot, or remove the shot.');
		if (promptLimit !== undefined && prompt.length > promptLimit)
			return new ListProblem(`${where}: "Prompt" has ${prompt.length} characters; ${model.name} takes at most ${promptLimit}`, 'Shorten it.');
		const duration = seconds(entry.duration ?? 5);
		if (duration === undefined || duration < SHOT_SECONDS.min || duration > SHOT_SECONDS.max)
			return new ListProblem(
				`${where}: "Duration (Seconds)" must be a whole number from ${SHOT_SECONDS.min} to ${SHOT_SECONDS.max}`,
				`Got ${JSON.stringify(entry.duration)}.`,
			);
		shots.push({ prompt, duration });
		total += duration;
	}
	const range = durationRange(model);
	if (range && (total < range.min || total > range.max))
		return new ListProblem(
			`"Multi-Shot" (shotList): the shots last ${total} seconds together; ${model.name} makes videos of ${range.min}–${range.max} seconds`,
			'Change the shot durations, or remove a shot.',
		);
	return { value: shots, files: [] };
}

function readElements(entries: IDataObject[], field: ModelField): ListValue | ListProblem {
	const files: ListFile[] = [];
	const elements: IDataObject[] = [];
	for (const [n, entry] of entries.entries()) {
		const where = `"Elements" (elementList) element ${n + 1}`;
		const binary = entry.imageSource === 'binary';
		const images = splitList(binary ? (entry.binaryPropertyNames ?? 'data') : entry.imageUrls);
		if (images.length < ELEMENT_IMAGES.min || images.length > ELEMENT_IMAGES.max)
			return new ListProblem(
				`${where}: ${binary ? '"Image Binary Fields"' : '"Image URLs"'} must name ${ELEMENT_IMAGES.min}–${ELEMENT_IMAGES.max} images; it names ${images.length}`,
				binary ? 'Give the binary properties separated by commas, e.g. data, data2.' : 'Give the image URLs separated by commas or new lines.',
			);
		const bad = binary ? undefined : images.find((url) => !isHttpUrl(url));
		if (bad !== undefined) return new ListProblem(`${where}: "Image URLs" has "${bad.slice(0, 80)}", which is not a web address`, 'Each image must be a public http(s) URL.');
		const voice = typeof entry.voiceUrl === 'string' ? entry.voiceUrl.trim() : '';
		if (voice !== '' && !isHttpUrl(voice)) return new ListProblem(`${where}: "Voice URL" must be a web address`, `Got "${voice.slice(0, 80)}".`);
		const name = typeof entry.name === 'string' || typeof entry.name === 'number' ? String(entry.name).trim() : '';
		elements.push({
			characterImages: binary ? images.map(() => PENDING_UPLOAD) : images,
			...(name !== '' ? { name } : {}),
			...(voice !== '' ? { voice } : {}),
		});
		if (binary)
			files.push({
				field,
				properties: images,
				label: `${where}, "Image Binary Fields"`,
				place: (input, urls) => {
					const list = input[field.apiName] as IDataObject[];
					list[n] = { ...list[n], characterImages: urls };
				},
			});
	}
	if (isBlank(elements) && field.required)
		return new ListProblem('"Elements" (elementList) is required for this model', 'Add Element: 1–4 reference images of each character or object.');
	return isBlank(elements) ? { files } : { value: elements, files };
}
