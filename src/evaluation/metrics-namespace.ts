/**
 * `capa.metrics`: the Keras metrics (training area) and scikit-learn's classification report,
 * confusion matrix and precision/recall/F-score (evaluation area) in one namespace, as the
 * notebook uses them side by side.
 */
export * from '../training/metrics/index.js';
export * from './index.js';
