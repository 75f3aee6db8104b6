/**
 * scikit-learn 1.2's `precision_recall_fscore_support` for 1-D (binary / multiclass) targets,
 * computed in the same order of floating-point operations so the numbers agree exactly.
 */
import { checkLabelKinds, type Label, type LabelInput, toLabels, toWeights, uniqueLabels, type WeightInput } from './labels.js';
import { numpyMean, numpySum, numpyWeightedAverage } from './numpy-sum.js';

/** What to report where a ratio divides by zero: `'warn'` acts as 0 and warns, like sklearn 1.2. */
export type ZeroDivision = 'warn' | 0 | 1;

export type Average = 'micro' | 'macro' | 'weighted';

export interface PrecisionRecallOptions {
  labels?: readonly Label[];
  sampleWeight?: WeightInput;
  zeroDivision?: ZeroDivision;
}

/** Per-class scores (in the order of `labels`), support = weighted count of true samples. */
export interface PerClassScores {
  labels: Label[];
  precision: number[];
  recall: number[];
  fScore: number[];
  support: number[];
}

export interface AveragedScores {
  precision: number;
  recall: number;
  fScore: number;
}

/** Receives scikit-learn's `UndefinedMetricWarning` / `UserWarning` texts. */
export type WarningSink = (message: string) => void;

/** Emits a warning the way Node does (`process.emitWarning`), falling back to console.warn elsewhere. */
export function defaultWarningSink(category: string): WarningSink {
  return (message) => {
    const proc = (globalThis as { process?: { emitWarning?: (message: string, type: string) => void } }).process;
    if (proc?.emitWarning) proc.emitWarning(message, category);
    else console.warn(`${category}: ${message}`);
  };
}

/** Inputs read once and shared by the per-class and averaged computations of a report. */
export interface PreparedTargets {
  yTrue: Label[];
  yPred: Label[];
  weights: number[] | null;
}

export function prepareTargets(
  yTrue: LabelInput,
  yPred: LabelInput,
  sampleWeight: WeightInput | undefined,
  fn: string,
): PreparedTargets {
  const trueLabels = toLabels(yTrue, fn, 'yTrue');
  const predLabels = toLabels(yPred, fn, 'yPred');
  if (trueLabels.length !== predLabels.length) {
    throw new Error(`${fn}: yTrue has ${trueLabels.length} samples but yPred has ${predLabels.length}.`);
  }
  if (trueLabels.length > 0 && predLabels.length > 0 && typeof trueLabels[0] !== typeof predLabels[0]) {
    throw new Error(`${fn}: yTrue holds ${typeof trueLabels[0]}s but yPred holds ${typeof predLabels[0]}s.`);
  }
  const weights = sampleWeight === undefined ? null : toWeights(sampleWeight, trueLabels.length, fn);
  return { yTrue: trueLabels, yPred: predLabels, weights };
}

export function checkZeroDivision(zeroDivision: unknown, fn: string): ZeroDivision {
  if (zeroDivision === 'warn' || zeroDivision === 0 || zeroDivision === 1) return zeroDivision;
  throw new Error(`${fn}: zeroDivision must be one of 'warn', 0, 1; received ${JSON.stringify(zeroDivision)}.`);
}

/** tp, predicted and true counts per requested label (sklearn's multilabel_confusion_matrix, 1-D branch). */
function countsPerLabel(targets: PreparedTargets, labels: readonly Label[]): { tp: number[]; pred: number[]; true: number[] } {
  // LabelEncoder over the requested labels plus any present ones, so unknown data labels still encode.
  const present = uniqueLabels(targets.yTrue, targets.yPred);
  const encoded = uniqueLabels(labels, present);
  const index = new Map<Label, number>(encoded.map((label, i) => [label, i]));
  const tpBins = new Array<number>(encoded.length).fill(0);
  const predBins = new Array<number>(encoded.length).fill(0);
  const trueBins = new Array<number>(encoded.length).fill(0);
  const { yTrue, yPred, weights } = targets;
  // np.bincount adds weights in sample order, one bin at a time; three separate passes like sklearn.
  for (let i = 0; i < yTrue.length; i++) {
    if (yTrue[i] === yPred[i]) tpBins[index.get(yTrue[i]!)!]! += weights ? weights[i]! : 1;
  }
  for (let i = 0; i < yPred.length; i++) predBins[index.get(yPred[i]!)!]! += weights ? weights[i]! : 1;
  for (let i = 0; i < yTrue.length; i++) trueBins[index.get(yTrue[i]!)!]! += weights ? weights[i]! : 1;
  const tp = labels.map((label) => tpBins[index.get(label)!]!);
  const predSum = labels.map((label) => predBins[index.get(label)!]!);
  const trueSum = labels.map((label) => trueBins[index.get(label)!]!);
  // sklearn goes through fp = pred - tp and back (pred = tp + fp): keep that rounding.
  return {
    tp,
    pred: tp.map((t, i) => t + (predSum[i]! - t)),
    true: tp.map((t, i) => t + (trueSum[i]! - t)),
  };
}

/** sklearn's _prf_divide: numerator / denominator, with zero denominators set to the zero-division value. */
function divide(
  numerator: readonly number[],
  denominator: readonly number[],
  metric: 'precision' | 'recall',
  modifier: 'predicted' | 'true',
  zeroDivision: ZeroDivision,
  warn: WarningSink,
): number[] {
  let anyZero = false;
  const result = numerator.map((n, i) => {
    if (denominator[i] !== 0) return n / denominator[i]!;
    anyZero = true;
    return zeroDivision === 1 ? 1 : 0;
  });
  if (anyZero && zeroDivision === 'warn') {
    const where = result.length === 1 ? 'due to' : 'in labels with';
    const start = metric === 'precision' ? 'Precision and F-score are' : 'Recall and F-score are';
    warn(
      `${start} ill-defined and being set to 0.0 ${where} no ${modifier} samples. ` +
        'Use `zero_division` parameter to control this behavior.',
    );
  }
  return result;
}

function fScores(precision: readonly number[], recall: readonly number[]): number[] {
  return precision.map((p, i) => {
    const r = recall[i]!;
    const denominator = p + r;
    return (2 * p * r) / (denominator === 0 ? 1 : denominator);
  });
}

function scoresFromCounts(tp: number[], pred: number[], truth: number[], zeroDivision: ZeroDivision, warn: WarningSink) {
  const precision = divide(tp, pred, 'precision', 'predicted', zeroDivision, warn);
  const recall = divide(tp, truth, 'recall', 'true', zeroDivision, warn);
  return { precision, recall, fScore: fScores(precision, recall) };
}

/** Per-class precision, recall, F1 and support (sklearn `average=None`). */
export function perClassScores(
  targets: PreparedTargets,
  labels: readonly Label[],
  zeroDivision: ZeroDivision,
  warn: WarningSink,
): PerClassScores {
  const counts = countsPerLabel(targets, labels);
  const scores = scoresFromCounts(counts.tp, counts.pred, counts.true, zeroDivision, warn);
  return { labels: labels.slice(), ...scores, support: counts.true };
}

/** Averaged precision, recall and F1 (sklearn `average='micro' | 'macro' | 'weighted'`). */
export function averagedScores(
  targets: PreparedTargets,
  labels: readonly Label[],
  average: Average,
  zeroDivision: ZeroDivision,
  warn: WarningSink,
): AveragedScores {
  let { tp, pred, true: truth } = countsPerLabel(targets, labels);
  if (average === 'micro') {
    tp = [numpySum(tp)];
    pred = [numpySum(pred)];
    truth = [numpySum(truth)];
  }
  const { precision, recall, fScore } = scoresFromCounts(tp, pred, truth, zeroDivision, warn);
  if (average === 'weighted') {
    if (numpySum(truth) === 0) {
      const zeroValue = zeroDivision === 1 ? 1 : 0;
      if (numpySum(pred) === 0) return { precision: zeroValue, recall: zeroValue, fScore: zeroValue };
      return { precision: 0, recall: zeroValue, fScore: 0 };
    }
    return {
      precision: numpyWeightedAverage(precision, truth),
      recall: numpyWeightedAverage(recall, truth),
      fScore: numpyWeightedAverage(fScore, truth),
    };
  }
  return { precision: numpyMean(precision), recall: numpyMean(recall), fScore: numpyMean(fScore) };
}

/** Options of `precisionRecallFscoreSupport`. */
export interface PrecisionRecallFscoreOptions extends PrecisionRecallOptions {
  /** `undefined` (per class, the default), `'micro'`, `'macro'` or `'weighted'`. */
  average?: Average;
}

/**
 * scikit-learn's `precision_recall_fscore_support` (beta = 1) for class-label targets.
 * Without `average` it returns per-class arrays; with one, the averaged numbers.
 */
export function precisionRecallFscoreSupport(
  yTrue: LabelInput,
  yPred: LabelInput,
  options: PrecisionRecallFscoreOptions & { average: Average },
): AveragedScores;
export function precisionRecallFscoreSupport(
  yTrue: LabelInput,
  yPred: LabelInput,
  options?: PrecisionRecallFscoreOptions,
): PerClassScores;
export function precisionRecallFscoreSupport(
  yTrue: LabelInput,
  yPred: LabelInput,
  options: PrecisionRecallFscoreOptions = {},
): PerClassScores | AveragedScores {
  const fn = 'precisionRecallFscoreSupport';
  const zeroDivision = checkZeroDivision(options.zeroDivision ?? 'warn', fn);
  const targets = prepareTargets(yTrue, yPred, options.sampleWeight, fn);
  const labels = options.labels ? options.labels.slice() : uniqueLabels(targets.yTrue, targets.yPred);
  checkLabelKinds(labels, targets.yTrue, fn);
  const warn = onceEach(defaultWarningSink('UndefinedMetricWarning'));
  if (options.average === undefined) return perClassScores(targets, labels, zeroDivision, warn);
  return averagedScores(targets, labels, options.average, zeroDivision, warn);
}

/** Passes each distinct message on once (Python's default warning filter shows a repeated warning once). */
export function onceEach(sink: WarningSink): WarningSink {
  const seen = new Set<string>();
  return (message) => {
    if (seen.has(message)) return;
    seen.add(message);
    sink(message);
  };
}
