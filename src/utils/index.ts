/** `capa.utils`: helpers shared across areas (each area adds its own exports here). */

export { ImageDataset, type ImageDatasetOptions, imageDatasetFromDirectory, type LabelMode } from '../data/image-dataset.js';
export { toCategorical } from './to-categorical.js';
