import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  classificationReport,
  confusionMatrix,
  precisionRecallFscoreSupport,
  type ZeroDivision,
} from '../../src/evaluation/index.js';
import { formatFixed, formatFloatRepr } from '../../src/evaluation/python-format.js';
import { tensor } from '../../src/index.js';

// Values from scikit-learn 1.2.1 (docstring examples of classification_report / precision_recall_fscore_support).
const DOC_REPORT = `              precision    recall  f1-score   support

           0       0.50      1.00      0.67         1
           1       0.00      0.00      0.00         1
           2       1.00      0.67      0.80         3

    accuracy                           0.60         5
   macro avg       0.50      0.56      0.49         5
weighted avg       0.70      0.60      0.61         5
`;

describe('evaluation inputs', () => {
  afterEach(() => vi.restoreAllMocks());

  it('accepts int32 and float32 tensors, typed arrays and column vectors', () => {
    const yTrue = [0, 1, 2, 2, 2];
    const yPred = [0, 0, 2, 2, 1];
    expect(classificationReport(tensor(yTrue, undefined, 'int32'), tensor(yPred))).toBe(DOC_REPORT);
    expect(classificationReport(Int32Array.from(yTrue), Float32Array.from(yPred))).toBe(DOC_REPORT);
    expect(classificationReport(tensor(yTrue, [5, 1]), yPred)).toBe(DOC_REPORT);
    expect(confusionMatrix(tensor(yTrue), tensor(yPred))).toEqual([
      [1, 0, 0],
      [1, 0, 0],
      [0, 1, 2],
    ]);
  });

  it('matches precision_recall_fscore_support on string labels', () => {
    const yTrue = ['cat', 'dog', 'pig', 'cat', 'dog', 'pig'];
    const yPred = ['cat', 'pig', 'dog', 'cat', 'cat', 'dog'];
    const macro = precisionRecallFscoreSupport(yTrue, yPred, { average: 'macro', zeroDivision: 0 });
    expect(macro.precision).toBeCloseTo(2 / 9, 15);
    expect(macro.recall).toBeCloseTo(1 / 3, 15);
    const perClass = precisionRecallFscoreSupport(yTrue, yPred, { labels: ['pig', 'dog', 'cat'], zeroDivision: 0 });
    expect(perClass.recall).toEqual([0, 0, 1]);
    expect(perClass.fScore).toEqual([0, 0, 0.8]);
    expect(perClass.support).toEqual([2, 2, 2]);
  });

  it('warns through process.emitWarning by default, once per message', () => {
    const emit = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    classificationReport([0, 1, 2], [0, 0, 0]);
    const messages = emit.mock.calls.map((call) => String(call[0]));
    expect(messages).toEqual([
      'Precision and F-score are ill-defined and being set to 0.0 in labels with no predicted samples. Use `zero_division` parameter to control this behavior.',
    ]);
    expect(emit.mock.calls[0]?.[1]).toBe('UndefinedMetricWarning');
    emit.mockClear();
    classificationReport([0, 1, 2], [0, 0, 0], { zeroDivision: 0 });
    expect(emit).not.toHaveBeenCalled();
  });

  it('rejects what is not class labels with one clear message', () => {
    expect(() => classificationReport(tensor([[0.1, 0.9]]), [1])).toThrow(
      /classificationReport: yTrue must be a 1-D tensor of class labels; received shape \[1, 2\].*argMax/,
    );
    expect(() => classificationReport([0.5, 1], [0, 1])).toThrow(/yTrue\[0\] = 0.5 is not a class label/);
    expect(() => classificationReport([0, 1], [0])).toThrow('classificationReport: yTrue has 2 samples but yPred has 1.');
    expect(() => classificationReport(['a', 'b'], [0, 1])).toThrow(/yTrue holds strings but yPred holds numbers/);
    expect(() => classificationReport([0, 1], [0, 1], { zeroDivision: 2 as unknown as ZeroDivision })).toThrow(
      "zeroDivision must be one of 'warn', 0, 1; received 2.",
    );
    expect(() => classificationReport([0, 1], [0, 1], { targetNames: ['a', 'b', 'c'] })).toThrow(
      /number of classes, 2, does not match size of targetNames, 3/,
    );
    expect(() => classificationReport([0, 1], [0, 1], { digits: -1 })).toThrow(/digits must be a non-negative integer/);
    expect(() => confusionMatrix([0, 1], [0, 1], { labels: [5] })).toThrow(
      /at least one of the labels \[5\] must occur in yTrue/,
    );
    expect(() => confusionMatrix([0, 1], [0, 1], { labels: [] })).toThrow(/at least one label/);
    expect(() => confusionMatrix([0, 1], [0, 1], { sampleWeight: [1] })).toThrow(
      /sampleWeight has 1 values but there are 2 samples/,
    );
  });
});

describe('Python number formatting', () => {
  it('rounds exact ties to even like format(x, ".Nf")', () => {
    expect(formatFixed(0.125, 2)).toBe('0.12');
    expect(formatFixed(0.375, 2)).toBe('0.38');
    expect(formatFixed(2.5, 0)).toBe('2');
    expect(formatFixed(0.1 + 0.2, 16)).toBe('0.3000000000000000');
    expect(formatFixed(1 / 3, 4)).toBe('0.3333');
    expect(formatFixed(-0, 2)).toBe('-0.00');
    expect(formatFixed(Number.NaN, 2)).toBe('nan');
  });

  it('writes floats like repr()', () => {
    expect(formatFloatRepr(28)).toBe('28.0');
    expect(formatFloatRepr(32.486999999999995)).toBe('32.486999999999995');
    expect(formatFloatRepr(1e16)).toBe('1e+16');
    expect(formatFloatRepr(1234567890123456)).toBe('1234567890123456.0');
    expect(formatFloatRepr(0.0001)).toBe('0.0001');
    expect(formatFloatRepr(0.00001)).toBe('1e-05');
    expect(formatFloatRepr(1.5e-7)).toBe('1.5e-07');
  });
});
