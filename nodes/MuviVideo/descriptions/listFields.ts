import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { CatalogModel, ModelField } from '../models';

/**
 * Kling's Multi-Shot and Elements as lists a user fills in the editor (node version 3): versions 1 and 2
 * keep the JSON text fields (`multishot`, `elements`) their workflows hold. Each list has its own
 * parameter name, since a parameter's type never changes under a saved workflow.
 */
export const LIST_FIELDS = {
	multishot: { param: 'shotList', entries: 'shots' },
	elements: { param: 'elementList', entries: 'elements' },
} as const;

export type ListFieldName = keyof typeof LIST_FIELDS;

/** The list parameter that stands for a JSON field from node version 3, if it is one. */
export function listFieldOf(field: ModelField): ListFieldName | undefined {
	return field.kind === 'json' && field.apiName in LIST_FIELDS ? (field.apiName as ListFieldName) : undefined;
}

/** How many reference images one element takes (Muvi: 1–4, the first is the main one). */
export const ELEMENT_IMAGES = { min: 1, max: 4 };
/** How long one shot may be, in seconds (Muvi: 1–15). */
export const SHOT_SECONDS = { min: 1, max: 15 };

/**
 * The input as it is priced: Kling's Multi-Shot sets the video's length by its shots, and whether Muvi
 * bills the shots' total or the Duration is not documented, so the longer of the two is what the cost
 * guard, the item's estimate and the editor's Estimated Cost go by (never below the real price).
 */
export function pricedWithShots(model: CatalogModel, input: IDataObject): IDataObject {
	const shots = Array.isArray(input.multishot) ? (input.multishot as IDataObject[]) : [];
	const total = shots.reduce((sum, s) => sum + (Number.isFinite(Number(s?.duration)) ? Number(s.duration) : 0), 0);
	const duration = Number(input.duration ?? model.fields.find((f) => f.apiName === 'duration')?.default);
	return total > 0 && Number.isFinite(duration) && total > duration ? { ...input, duration: String(total) } : input;
}

/**
 * The paths of every shot's duration, for the Estimated Cost line to re-load when one changes: n8n's
 * editor compares a dependency's value as text, and a whole list reads "[object Object]" whatever it
 * holds. At most 15 shots fit (1 s each, 15 s in all).
 */
export const SHOT_DURATION_PATHS = Array.from(
	{ length: SHOT_SECONDS.max },
	(_, n) => `${LIST_FIELDS.multishot.param}.${LIST_FIELDS.multishot.entries}[${n}].duration`,
);

const FROM_VERSION_3 = { '@version': [{ _cnd: { gte: 3 } }] };

/** The editor's list for one JSON list field, shown for the same models as the field. */
export function listFieldProperty(name: ListFieldName, show: Record<string, unknown>, required: boolean): INodeProperties {
	const displayOptions = { show: { ...show, ...FROM_VERSION_3 } };
	if (name === 'multishot')
		return {
			displayName: 'Multi-Shot',
			name: LIST_FIELDS.multishot.param,
			type: 'fixedCollection',
			typeOptions: { multipleValues: true, sortable: true },
			placeholder: 'Add Shot',
			default: {},
			required,
			description: `The video as a sequence of shots, in order: each with its own prompt and length (${SHOT_SECONDS.min}–${SHOT_SECONDS.max} seconds); together they must fit the model's durations`,
			displayOptions,
			options: [
				{
					name: LIST_FIELDS.multishot.entries,
					displayName: 'Shot',
					values: [
						{
							displayName: 'Prompt',
							name: 'prompt',
							type: 'string',
							default: '',
							required: true,
							typeOptions: { rows: 2 },
							placeholder: 'e.g. A wide shot of the city at dawn',
							description: 'What happens in this shot',
						},
						{
							displayName: 'Duration (Seconds)',
							name: 'duration',
							type: 'number',
							default: 5,
							typeOptions: { minValue: SHOT_SECONDS.min, maxValue: SHOT_SECONDS.max, numberPrecision: 0 },
							description: `How long this shot lasts, ${SHOT_SECONDS.min}–${SHOT_SECONDS.max} seconds`,
						},
					],
				},
			],
		};
	return {
		displayName: 'Elements',
		name: LIST_FIELDS.elements.param,
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Element',
		default: {},
		required,
		description: `Characters or objects the video keeps consistent: each from ${ELEMENT_IMAGES.min}–${ELEMENT_IMAGES.max} reference images (the first is the main one), with an optional name and voice`,
		displayOptions,
		options: [
			{
				name: LIST_FIELDS.elements.entries,
				displayName: 'Element',
				// in the order they are filled: the source switch comes before the field it switches
				// eslint-disable-next-line n8n-nodes-base/node-param-fixed-collection-type-unsorted-items
				values: [
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
						placeholder: 'e.g. Anna',
						description: 'How the prompt can refer to this element; Muvi picks one when empty',
					},
					{
						displayName: 'Images Source',
						name: 'imageSource',
						type: 'options',
						default: 'url',
						options: [
							{ name: 'URL', value: 'url', description: 'Public web addresses of the images' },
							{ name: 'Binary File', value: 'binary', description: 'Files of the input item, uploaded to Muvi for this job' },
						],
						description: 'Where the reference images come from',
					},
					{
						displayName: 'Image URLs',
						name: 'imageUrls',
						type: 'string',
						default: '',
						placeholder: 'e.g. https://example.com/face.jpg, https://example.com/side.jpg',
						description: `${ELEMENT_IMAGES.min}–${ELEMENT_IMAGES.max} public image URLs, separated by commas or new lines; the first is the main one`,
						displayOptions: { show: { imageSource: ['url'] } },
					},
					{
						displayName: 'Image Binary Fields',
						name: 'binaryPropertyNames',
						type: 'string',
						default: 'data',
						placeholder: 'e.g. data, data2',
						description: `The binary properties of the input item holding ${ELEMENT_IMAGES.min}–${ELEMENT_IMAGES.max} images, separated by commas; each is uploaded to Muvi (kept 60 minutes)`,
						displayOptions: { show: { imageSource: ['binary'] } },
					},
					{
						displayName: 'Voice URL',
						name: 'voiceUrl',
						type: 'string',
						default: '',
						placeholder: 'e.g. https://example.com/voice.mp3',
						description: 'Optional: a public URL of an audio clip with the voice of this element',
					},
				],
			},
		],
	};
}
