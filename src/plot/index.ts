/** Pictures (SVG, or PNG by extension): training curves, confusion matrices, model graphs, image grids. */
export { type PlotConfusionMatrixOptions, plotConfusionMatrix } from './confusion-matrix.js';
export { type HistoryLike, type PlotHistoryOptions, plotHistory } from './history.js';
export { type GridLabels, type PlotImageGridOptions, plotImageGrid } from './image-grid.js';
export { type PlotModelOptions, plotModel } from './plot-model.js';
