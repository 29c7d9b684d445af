import { klingModels } from './kling';
import { klingPlusModels } from './klingPlus';
import type { ModelField, VideoModel } from './types';

export type { ModelField, VideoModel } from './types';

/** The value of the `model` option that lets a user type any slug and raw JSON input. */
export const CUSTOM_MODEL = 'custom';

/** What a new node starts with: the product's first model. */
export const DEFAULT_MODEL = 'kling/kling-3.0-standard/image-to-video';

/** Every model the dropdown offers, sorted by provider, then model version, then capability. */
export const videoModels: VideoModel[] = [...klingModels, ...klingPlusModels].sort(
	(a, b) =>
		a.provider.localeCompare(b.provider, 'en') ||
		a.slug.localeCompare(b.slug, 'en', { numeric: true }),
);

const bySlug = new Map(videoModels.map((m) => [m.slug, m]));

export function findModel(slug: string): VideoModel | undefined {
	return bySlug.get(slug);
}

/** `image_url` → `imageUrl` */
export function camelCase(apiName: string): string {
	return apiName.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

export function paramName(field: ModelField): string {
	return field.param ?? camelCase(field.apiName);
}

/** `image_url` → "Image URL" */
export function fieldDisplayName(field: ModelField): string {
	if (field.displayName) return field.displayName;
	return field.apiName
		.split('_')
		.map((w) => (w === 'url' ? 'URL' : w === 'urls' ? 'URLs' : w.charAt(0).toUpperCase() + w.slice(1)))
		.join(' ');
}
