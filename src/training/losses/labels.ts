/**
 * Checks that labels fit a loss before any computation, with messages that say what to change
 * (the classic mistakes: integer labels with categorical_crossentropy, one-hot labels with
 * sparse_categorical_crossentropy). Shapes may hold null for an unknown batch size.
 */
import type { TypedArray } from '../../tensor/dtype.js';

export type ShapeLike = readonly (number | null)[];

function fmt(shape: ShapeLike): string {
  return `[${shape.map((d) => (d === null ? 'null' : String(d))).join(', ')}]`;
}

function sameDims(a: ShapeLike, b: ShapeLike): boolean {
  return a.length === b.length && a.every((d, i) => d === null || b[i] === null || d === b[i]);
}

/** Categorical losses need labels shaped like the predictions (one-hot or soft labels). */
export function checkCategoricalLabels(lossName: string, labels: ShapeLike, predictions: ShapeLike): void {
  if (sameDims(labels, predictions)) return;
  const classes = predictions[predictions.length - 1];
  const looksSparse =
    labels.length === predictions.length - 1 || (labels.length === predictions.length && labels[labels.length - 1] === 1);
  let hint = '';
  if (looksSparse && classes !== null && classes !== 1) {
    hint = ` These look like integer class labels: use loss 'sparse_categorical_crossentropy', or one-hot encode them with utils.toCategorical(y, ${classes}).`;
  }
  throw new Error(
    `${lossName}: labels of shape ${fmt(labels)} do not match predictions of shape ${fmt(predictions)}; arguments target and output must have the same shape.${hint}`,
  );
}

/** Sparse losses need one integer label per prediction row: shape = predictions without the last axis (or with it as 1). */
export function checkSparseLabels(lossName: string, labels: ShapeLike, predictions: ShapeLike): void {
  if (predictions.length < 1)
    throw new Error(`${lossName}: predictions must have rank >= 1, received shape ${fmt(predictions)}.`);
  let target = labels;
  if (target.length === predictions.length && target[target.length - 1] === 1) target = target.slice(0, -1);
  if (sameDims(target, predictions.slice(0, -1))) return;
  const hint =
    sameDims(labels, predictions) && (predictions[predictions.length - 1] ?? 0) > 1
      ? " These look like one-hot labels: use loss 'categorical_crossentropy', or pass the class indices (argmax)."
      : '';
  throw new Error(
    `${lossName}: labels of shape ${fmt(labels)} do not fit predictions of shape ${fmt(predictions)}; target and output must have the same shape up until the last dimension.${hint}`,
  );
}

/** Sparse label values must be integers in [0, classes). */
export function checkSparseLabelValues(lossName: string, values: TypedArray, classes: number): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!(v >= 0 && v < classes && Number.isInteger(v))) {
      throw new Error(
        `${lossName}: received a label value of ${v} (at index ${i}) which is outside the valid range of [0, ${classes}). Labels must be integer class indices for a model with ${classes} outputs.`,
      );
    }
  }
}

/** Losses that compare values elementwise need labels and predictions of the same shape (up to a trailing 1). */
export function checkElementwiseLabels(lossName: string, labels: ShapeLike, predictions: ShapeLike): void {
  let a = labels;
  let b = predictions;
  if (a.length === b.length + 1 && a[a.length - 1] === 1) a = a.slice(0, -1);
  if (b.length === a.length + 1 && b[b.length - 1] === 1) b = b.slice(0, -1);
  if (sameDims(a, b)) return;
  throw new Error(`${lossName}: labels of shape ${fmt(labels)} do not match predictions of shape ${fmt(predictions)}.`);
}
