/**
 * Class labels as scikit-learn sees them: 1-D sequences of integers or of strings, compared and
 * sorted the way numpy sorts them (numbers numerically, strings by code point).
 */
import { Tensor } from '../tensor/tensor.js';

/** A class label: an integer class index or a class name. */
export type Label = number | string;

/** What the evaluation functions accept for `yTrue` / `yPred`: a 1-D tensor, typed array or array. */
export type LabelInput = Tensor | ArrayLike<number> | readonly string[];

/** Sample weights: one non-negative number per sample. */
export type WeightInput = Tensor | ArrayLike<number>;

/** Reads labels into a plain array, rejecting what sklearn rejects (2-D targets, continuous values, mixed kinds). */
export function toLabels(values: LabelInput, fn: string, argName: string): Label[] {
  let labels: Label[];
  if (values instanceof Tensor) {
    const rank = values.shape.length;
    // sklearn's column_or_1d: a column vector [n, 1] is fine, anything wider is not class labels.
    if (rank > 2 || (rank === 2 && values.shape[1] !== 1) || rank === 0) {
      throw new Error(
        `${fn}: ${argName} must be a 1-D tensor of class labels; received shape [${values.shape.join(', ')}]. ` +
          'For one-hot targets or predicted probabilities take argMax(-1) first.',
      );
    }
    labels = Array.from(values.dataSync());
  } else {
    labels = Array.from(values as ArrayLike<Label>);
  }
  let kind: 'number' | 'string' | null = null;
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    const labelKind = typeof label;
    if (labelKind !== 'number' && labelKind !== 'string') {
      throw new Error(`${fn}: ${argName}[${i}] is a ${labelKind}; labels must be integers or strings.`);
    }
    if (labelKind === 'number' && !Number.isInteger(label)) {
      throw new Error(
        `${fn}: ${argName}[${i}] = ${String(label)} is not a class label (continuous targets are not supported); ` +
          'pass class indices, e.g. argMax(-1) of the predicted probabilities.',
      );
    }
    if (kind === null) kind = labelKind as 'number' | 'string';
    else if (kind !== labelKind) throw new Error(`${fn}: ${argName} mixes string and number labels.`);
  }
  return labels;
}

/** Reads sample weights, checking their count against the number of samples. */
export function toWeights(values: WeightInput, count: number, fn: string): number[] {
  const weights = Array.from(values instanceof Tensor ? values.dataSync() : values);
  if (weights.length !== count) {
    throw new Error(`${fn}: sampleWeight has ${weights.length} values but there are ${count} samples.`);
  }
  return weights;
}

/** numpy's sort order: numbers ascending, strings by Unicode code point (not UTF-16 unit). */
export function compareLabels(a: Label, b: Label): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const left = String(a);
  const right = String(b);
  const leftPoints = [...left];
  const rightPoints = [...right];
  const n = Math.min(leftPoints.length, rightPoints.length);
  for (let i = 0; i < n; i++) {
    const difference = leftPoints[i]!.codePointAt(0)! - rightPoints[i]!.codePointAt(0)!;
    if (difference !== 0) return difference;
  }
  return leftPoints.length - rightPoints.length;
}

/** sklearn's unique_labels: the sorted union of the labels present in every argument. */
export function uniqueLabels(...sequences: readonly (readonly Label[])[]): Label[] {
  const seen = new Set<Label>();
  for (const sequence of sequences) for (const label of sequence) seen.add(label);
  return [...seen].sort(compareLabels);
}

/** Checks that user-given `labels` are of the same kind as the data (numbers vs strings). */
export function checkLabelKinds(labels: readonly Label[], data: readonly Label[], fn: string): void {
  if (labels.length === 0 || data.length === 0) return;
  if (typeof labels[0] !== typeof data[0]) {
    throw new Error(`${fn}: labels are ${typeof labels[0]}s but yTrue/yPred hold ${typeof data[0]}s.`);
  }
}
