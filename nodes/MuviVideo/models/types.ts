/**
 * The Muvi model catalog as typed data. Everything model-specific in the node (its fields,
 * validation, the local price estimate and the README table) is derived from these entries.
 */

/** How a field is shown in n8n and what JSON type the API wants for it. */
export type FieldKind =
	/** free text, e.g. prompt; sent as a string */
	| 'text'
	/** one web address; sent as a string */
	| 'url'
	/** several web addresses; an n8n multi-value field sent as a JSON array of strings */
	| 'urlList'
	/** one of a fixed list of strings (also "5", "10"… where the API wants numbers as strings) */
	| 'enum'
	/** a yes/no switch in n8n that the API wants as the string "true" or "false" */
	| 'booleanString'
	/** a real JSON boolean */
	| 'boolean'
	/** a real JSON number */
	| 'number'
	/** a real JSON integer */
	| 'integer'
	/** structured data (arrays of objects) the user writes as JSON */
	| 'json';

export interface EnumOption {
	value: string;
	name?: string;
}

export interface ModelField {
	/** the key inside the API's `input` object, e.g. `image_url` */
	apiName: string;
	/** the n8n parameter name; the camelCase form of `apiName` unless given */
	param?: string;
	displayName?: string;
	description?: string;
	kind: FieldKind;
	required?: boolean;
	/** allowed values for `enum` (strings, exactly as the API wants them) */
	options?: Array<string | EnumOption>;
	/** the API's default; for `booleanString` a boolean (sent as "true"/"false") */
	default?: string | number | boolean;
	/** text: the API's length limit in characters */
	maxLength?: number;
	/** number/integer: inclusive range */
	min?: number;
	max?: number;
	/** urlList, or json when the value must be an array: how many entries are allowed */
	minItems?: number;
	maxItems?: number;
	/** urlList: a lower maximum that applies when another field is filled in (Kling O1/O3: ≤4 images with a video) */
	maxItemsWith?: { field: string; maxItems: number };
	/**
	 * number/integer without a documented default: the value that means "not set". It is the n8n
	 * default and is never sent, so the API picks (e.g. seed −1 = random; 0 would be a real seed).
	 */
	emptyValue?: number;
	placeholder?: string;
}

/** Multiplies the price by a factor chosen by the value a field takes (e.g. has_sound "true" → 1.5). */
export interface PriceFactor {
	field: string;
	/** factor per value (as a string: "true", "1080p", "pro"); values not listed count as 1 */
	factors: Record<string, number>;
}

export type PriceFormula =
	| {
			kind: 'flat';
			/** micro-cents per job (1,000,000 micro-cents = US$1) */
			microCents: number;
	  }
	| {
			kind: 'perSecond';
			/** micro-cents per second of output video */
			microCentsPerSecond: number;
			/** the input field that holds the duration in seconds; default `duration` */
			durationField?: string;
			/** seconds used when the duration is not an input (e.g. it follows a reference video) */
			fixedSeconds?: number;
			factors?: PriceFactor[];
	  }
	| {
			/** per request, times factors (image models: Nano Banana 4k × 1.8, Seedream 5 3K × 1.5) */
			kind: 'perRequest';
			microCents: number;
			factors?: PriceFactor[];
	  }
	| {
			/** per output image, times the image count and factors (Wan 2.7, Pixel Image, Seedream v5 Lite) */
			kind: 'perImage';
			microCentsPerImage: number;
			/** the input field holding how many images are made; default `num_images` */
			countField?: string;
			factors?: PriceFactor[];
	  };

export type Capability =
	| 'text-to-video'
	| 'image-to-video'
	| 'start-end-frame-to-video'
	| 'reference-to-video'
	| 'motion-control'
	| 'motion-transfer-to-video'
	| 'video-edit'
	| 'video-edit-fast'
	| 'extend-video'
	| 'video-extend'
	| 'image-to-video-elements'
	| 'omni-reference';

/** What an image model does (§6.12). */
export type ImageCapability = 'text-to-image' | 'edit-image' | 'image-to-image';

/** What a model's job produces: video files (the default) or image files. */
export type OutputKind = 'video' | 'image';

export interface VideoModel {
	/** the API's model slug, `provider/model/capability` */
	slug: string;
	/** brand, model, variant and capability, e.g. "Google Veo 3.1 Fast — Text to Video" (errors, outputs, README, subtitle) */
	name: string;
	/** the model's name without brand prefix or capability, e.g. "Veo 3.1 Fast" */
	series: string;
	/** the provider as Muvi names it, e.g. "Kling Plus" */
	provider: string;
	capability: Capability;
	/** which shared field set (muvi-api.md §6.0) the model follows, if any */
	family?: string;
	/** documented typical processing time, in seconds */
	typicalSeconds: number;
	fields: ModelField[];
	price: PriceFormula;
	/** what sets this model apart from a near-namesake (another route, audio, quality switch), for the dropdown */
	about?: string;
	/** a short note for the dropdown's description */
	note?: string;
	/** what the job produces; video when not given */
	output?: OutputKind;
	/** image models: the input field that says how many images one job makes (priced or not) */
	imageCountField?: string;
}

/** An image model: the same data as a video model, producing images. */
export type ImageModel = Omit<VideoModel, 'capability' | 'output'> & { capability: ImageCapability; output: 'image' };

/** Any model of the catalog, video or image. */
export type CatalogModel = VideoModel | ImageModel;
