import { imageModels, videoModels, type ImageModel, type VideoModel } from '../../nodes/MuviVideo/models';

/** A video model of the catalog by slug (the node itself looks models up with findCatalogModel). */
export const findModel = (slug: string): VideoModel | undefined => videoModels.find((m) => m.slug === slug);

/** An image model of the catalog by slug. */
export const findImageModel = (slug: string): ImageModel | undefined => imageModels.find((m) => m.slug === slug);
