/**
 * `confusionMatrix`: scikit-learn 1.2's `confusion_matrix`. Rows are true classes, columns
 * predicted classes, both in the order of `labels` (default: every label present, sorted).
 */
import { checkLabelKinds, type Label, type LabelInput, uniqueLabels, type WeightInput } from './labels.js';
import { numpySum } from './numpy-sum.js';
import { prepareTargets } from './precision-recall.js';

export interface ConfusionMatrixOptions {
  /** Rows and columns, in this order; samples whose labels are not listed are left out. */
  labels?: readonly Label[];
  sampleWeight?: WeightInput;
  /** Divide by row sums (`'true'`), column sums (`'pred'`) or the total (`'all'`); 0/0 gives 0. */
  normalize?: 'true' | 'pred' | 'all';
}

const FN = 'confusionMatrix';

/** The confusion matrix as nested arrays: `cm[i][j]` = (weighted) count of class i predicted as j. */
export function confusionMatrix(yTrue: LabelInput, yPred: LabelInput, options: ConfusionMatrixOptions = {}): number[][] {
  const { normalize } = options;
  if (normalize !== undefined && normalize !== 'true' && normalize !== 'pred' && normalize !== 'all') {
    throw new Error(`${FN}: normalize must be 'true', 'pred', 'all' or undefined; received ${JSON.stringify(normalize)}.`);
  }
  const targets = prepareTargets(yTrue, yPred, options.sampleWeight, FN);
  let labels: Label[];
  if (options.labels === undefined) {
    labels = uniqueLabels(targets.yTrue, targets.yPred);
  } else {
    labels = options.labels.slice();
    if (labels.length === 0) throw new Error(`${FN}: labels should contain at least one label.`);
    checkLabelKinds(labels, targets.yTrue, FN);
    if (targets.yTrue.length === 0) return labels.map(() => labels.map(() => 0));
    const trueSet = new Set(targets.yTrue);
    if (!labels.some((label) => trueSet.has(label))) {
      throw new Error(`${FN}: at least one of the labels [${labels.join(', ')}] must occur in yTrue.`);
    }
  }
  const n = labels.length;
  const index = new Map<Label, number>(labels.map((label, i) => [label, i]));
  const cm = labels.map(() => new Array<number>(n).fill(0));
  // scipy's coo_matrix.toarray adds duplicate entries in sample order, as this loop does.
  for (let s = 0; s < targets.yTrue.length; s++) {
    const row = index.get(targets.yTrue[s]!);
    const column = index.get(targets.yPred[s]!);
    if (row === undefined || column === undefined) continue;
    cm[row]![column]! += targets.weights ? targets.weights[s]! : 1;
  }
  if (normalize === undefined) return cm;
  // numpy: rows are reduced pairwise, columns row after row, the total pairwise over every cell.
  const nanToZero = (value: number) => (Number.isNaN(value) ? 0 : value);
  if (normalize === 'true') {
    return cm.map((row) => {
      const total = numpySum(row);
      return row.map((value) => nanToZero(value / total));
    });
  }
  if (normalize === 'pred') {
    const columnTotals = new Array<number>(n).fill(0);
    for (const row of cm) for (let j = 0; j < n; j++) columnTotals[j]! += row[j]!;
    return cm.map((row) => row.map((value, j) => nanToZero(value / columnTotals[j]!)));
  }
  const total = numpySum(cm.flat());
  return cm.map((row) => row.map((value) => nanToZero(value / total)));
}
