/**
 * `classificationReport`: scikit-learn 1.2's `classification_report`, byte for byte (text) and
 * key for key (`outputDict`), for binary and multiclass class-label targets.
 */
import { checkLabelKinds, type Label, type LabelInput, uniqueLabels, type WeightInput } from './labels.js';
import { numpySum } from './numpy-sum.js';
import {
  type Average,
  averagedScores,
  checkZeroDivision,
  defaultWarningSink,
  onceEach,
  perClassScores,
  prepareTargets,
  type WarningSink,
  type ZeroDivision,
} from './precision-recall.js';
import { formatFixed, formatFloatRepr, padStartCodePoints } from './python-format.js';

export interface ClassificationReportOptions {
  /** The labels to report on, in this order (default: every label present, sorted). */
  labels?: readonly Label[];
  /** Display names for the labels, same order. */
  targetNames?: readonly string[];
  sampleWeight?: WeightInput;
  /** Decimal places in the text report (the dict is never rounded). */
  digits?: number;
  outputDict?: boolean;
  /** Value for ill-defined precision/recall; `'warn'` (default) acts as 0 and warns. */
  zeroDivision?: ZeroDivision;
  /** Where warnings go (default: `process.emitWarning`, like Python's warnings module). */
  onWarning?: (message: string) => void;
}

/** One row of the report dict. Keys are sklearn's, `f1-score` included. */
export interface ClassScores {
  precision: number;
  recall: number;
  'f1-score': number;
  support: number;
}

/**
 * The report as sklearn's `output_dict=True` gives it: one entry per target name, then
 * `accuracy` (a number) or `micro avg`, then `macro avg` and `weighted avg`.
 * Note: JavaScript objects list integer-like keys ('0', '1', ...) first in numeric order.
 */
export type ClassificationReportDict = Record<string, ClassScores | number>;

const HEADERS = ['precision', 'recall', 'f1-score', 'support'] as const;
const FN = 'classificationReport';

export function classificationReport(
  yTrue: LabelInput,
  yPred: LabelInput,
  options: ClassificationReportOptions & { outputDict: true },
): ClassificationReportDict;
export function classificationReport(
  yTrue: LabelInput,
  yPred: LabelInput,
  options?: ClassificationReportOptions & { outputDict?: false },
): string;
export function classificationReport(
  yTrue: LabelInput,
  yPred: LabelInput,
  options?: ClassificationReportOptions,
): string | ClassificationReportDict;
export function classificationReport(
  yTrue: LabelInput,
  yPred: LabelInput,
  options: ClassificationReportOptions = {},
): string | ClassificationReportDict {
  const digits = options.digits ?? 2;
  if (!Number.isInteger(digits) || digits < 0)
    throw new Error(`${FN}: digits must be a non-negative integer; received ${digits}.`);
  const zeroDivision = checkZeroDivision(options.zeroDivision ?? 'warn', FN);
  const targets = prepareTargets(yTrue, yPred, options.sampleWeight, FN);
  const present = uniqueLabels(targets.yTrue, targets.yPred);
  const labelsGiven = options.labels !== undefined;
  const labels = labelsGiven ? options.labels!.slice() : present;
  if (labels.length === 0) throw new Error(`${FN}: there are no labels to report on (empty yTrue/yPred and no labels).`);
  checkLabelKinds(labels, targets.yTrue, FN);
  // The report lines up with sklearn's accuracy row only when every present label is reported.
  const labelSet = new Set(labels);
  const microIsAccuracy = !labelsGiven || (labelSet.size === present.length && present.every((label) => labelSet.has(label)));

  const userWarning = options.onWarning ?? defaultWarningSink('UserWarning');
  const warn: WarningSink = onceEach(options.onWarning ?? defaultWarningSink('UndefinedMetricWarning'));
  let targetNames: readonly string[];
  if (options.targetNames !== undefined) {
    targetNames = options.targetNames;
    if (targetNames.length !== labels.length) {
      if (!labelsGiven) {
        throw new Error(
          `${FN}: number of classes, ${labels.length}, does not match size of targetNames, ${targetNames.length}. ` +
            'Try specifying the labels option.',
        );
      }
      userWarning(`labels size, ${labels.length}, does not match size of target_names, ${targetNames.length}`);
    }
  } else {
    targetNames = labels.map((label) => String(label));
  }

  const perClass = perClassScores(targets, labels, zeroDivision, warn);
  // Python's zip stops at the shorter of names and scores.
  const rowCount = Math.min(targetNames.length, labels.length);
  const rows: { name: string; scores: [number, number, number, number] }[] = [];
  for (let i = 0; i < rowCount; i++) {
    rows.push({
      name: targetNames[i]!,
      scores: [perClass.precision[i]!, perClass.recall[i]!, perClass.fScore[i]!, perClass.support[i]!],
    });
  }
  const totalSupport = numpySum(perClass.support);
  const averages: { heading: string; scores: [number, number, number, number] }[] = [];
  for (const average of ['micro', 'macro', 'weighted'] as Average[]) {
    const heading = average === 'micro' && microIsAccuracy ? 'accuracy' : `${average} avg`;
    const avg = averagedScores(targets, labels, average, zeroDivision, warn);
    averages.push({ heading, scores: [avg.precision, avg.recall, avg.fScore, totalSupport] });
  }

  if (options.outputDict) return reportDict(rows, averages);
  // bincount with weights gives float supports (printed as Python floats: '28.0').
  const formatSupport = targets.weights ? formatFloatRepr : (value: number) => String(value);
  return reportText(rows, averages, targetNames, digits, formatSupport);
}

type Row = { name: string; scores: [number, number, number, number] };

function toClassScores([precision, recall, f1, support]: [number, number, number, number]): ClassScores {
  return { precision, recall, 'f1-score': f1, support };
}

function reportDict(
  rows: Row[],
  averages: { heading: string; scores: [number, number, number, number] }[],
): ClassificationReportDict {
  const dict: ClassificationReportDict = {};
  for (const row of rows) dict[row.name] = toClassScores(row.scores);
  for (const average of averages) {
    dict[average.heading] = average.heading === 'accuracy' ? average.scores[0] : toClassScores(average.scores);
  }
  return dict;
}

function reportText(
  rows: Row[],
  averages: { heading: string; scores: [number, number, number, number] }[],
  targetNames: readonly string[],
  digits: number,
  formatSupport: (value: number) => string,
): string {
  const nameWidth = Math.max(...targetNames.map((name) => [...name].length));
  const width = Math.max(nameWidth, 'weighted avg'.length, digits);
  const cell = (text: string) => ` ${padStartCodePoints(text, 9)}`;
  const line = (name: string, cells: string[]) => `${padStartCodePoints(name, width)} ${cells.map(cell).join('')}\n`;
  const scoreCells = ([p, r, f, s]: [number, number, number, number]) => [
    formatFixed(p, digits),
    formatFixed(r, digits),
    formatFixed(f, digits),
    formatSupport(s),
  ];
  // The header has no newline of its own: sklearn appends '\n\n' after it.
  let text = line('', [...HEADERS]).slice(0, -1);
  text += '\n\n';
  for (const row of rows) text += line(row.name, scoreCells(row.scores));
  text += '\n';
  for (const average of averages) {
    const cells = scoreCells(average.scores);
    // The accuracy row leaves precision and recall blank.
    if (average.heading === 'accuracy') text += line(average.heading, ['', '', cells[2]!, cells[3]!]);
    else text += line(average.heading, cells);
  }
  return text;
}
