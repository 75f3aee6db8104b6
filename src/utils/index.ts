/** `capa.utils`: helpers shared across areas (each area adds its own exports here). */

export { ImageDataset, type ImageDatasetOptions, imageDatasetFromDirectory, type LabelMode } from '../data/image-dataset.js';
// text: sequence utilities
export { type PadSequencesOptions, padSequences } from '../data/sequences/pad-sequences.js';
export {
  type TextBatch,
  TextDataset,
  type TextDatasetOptions,
  textDatasetFromDirectory,
} from '../data/sequences/text-dataset.js';
export { TimeseriesDataset, type TimeseriesOptions, timeseriesDatasetFromArray } from '../data/sequences/timeseries-dataset.js';
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
