import type { INodeProperties } from 'n8n-workflow';

import { imageModels, videoModels, type ImageModel, type VideoModel } from '../../nodes/MuviVideo/models';

/** A video model of the catalog by slug (the node itself looks models up with findCatalogModel). */
export const findModel = (slug: string): VideoModel | undefined => videoModels.find((m) => m.slug === slug);

/** An image model of the catalog by slug. */
export const findImageModel = (slug: string): ImageModel | undefined => imageModels.find((m) => m.slug === slug);

/** Whether a property's `@version` condition (a list of versions, or `{_cnd: {gte}}`) lets node version `v` show it. */
const inVersion = (p: INodeProperties, v: number) => {
	const versions = p.displayOptions?.show?.['@version'] as Array<number | { _cnd: { gte: number } }> | undefined;
	return !versions || versions.some((c) => (typeof c === 'number' ? c === v : v >= c._cnd.gte));
};

/** `<field>Source` / `<field>BinaryProperty` are the binary-input companions of URL fields, tested on their own. */
export const isFileCompanion = (name: string) => /(Source|BinaryProperty)$/.test(name);

/** The model-field properties node version `version` shows for the model `slug` (file companions left out). */
export const modelFieldProperties = (properties: INodeProperties[], slug: string, version: number) =>
	properties.filter(
		(p) => !isFileCompanion(p.name) && inVersion(p, version) && (p.displayOptions?.show?.model as string[] | undefined)?.includes(slug),
	);
