/** `capa.utils`: helpers shared across areas (each area adds its own exports here). */

export { ImageDataset, type ImageDatasetOptions, imageDatasetFromDirectory, type LabelMode } from '../data/image-dataset.js';
// evalcli: pictures
export {
  type GridLabels,
  type HistoryLike,
  type PlotConfusionMatrixOptions,
  type PlotHistoryOptions,
  type PlotImageGridOptions,
  type PlotModelOptions,
  plotConfusionMatrix,
  plotHistory,
  plotImageGrid,
  plotModel,
} from '../plot/index.js';
export { toCategorical } from './to-categorical.js';
export { toPixels } from './to-pixels.js';
