/**
 * scikit-learn style evaluation of class predictions. These functions join the Keras metrics in
 * the public `metrics` namespace (`metrics.classificationReport`, `metrics.confusionMatrix`).
 */
export {
  type ClassificationReportDict,
  type ClassificationReportOptions,
  type ClassScores,
  classificationReport,
} from './classification-report.js';
export { type ConfusionMatrixOptions, confusionMatrix } from './confusion-matrix.js';
export type { Label, LabelInput, WeightInput } from './labels.js';
export {
  type Average,
  type AveragedScores,
  type PerClassScores,
  type PrecisionRecallFscoreOptions,
  precisionRecallFscoreSupport,
  type ZeroDivision,
} from './precision-recall.js';
