import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Tensor, tensor } from '../../src/index.js';
import * as metrics from '../../src/training/metrics/index.js';
import { maxRelativeError } from '../helpers/close.js';

interface Data {
  shape: number[];
  dtype: 'float32' | 'int32';
  values: number[];
}
interface MetricCase {
  metric: string;
  options: Record<string, unknown>;
  yTrue: string;
  yPred: string;
  sampleWeight: string | null;
  expected: number[];
  scalar: boolean;
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/training/metrics.json', import.meta.url), 'utf8')) as {
  batches: number[];
  data: Record<string, Data>;
  cases: MetricCase[];
};

/** Rows [from, to) of a fixture array as a tensor. */
function rows(name: string, from: number, to: number): Tensor {
  const d = fixture.data[name] as Data;
  const per = d.values.length / (d.shape[0] as number);
  return tensor(d.values.slice(from * per, to * per), [to - from, ...d.shape.slice(1)], d.dtype);
}

const CLASSES: Record<string, new (o: Record<string, unknown>) => metrics.Metric> = {
  categorical_accuracy: metrics.CategoricalAccuracy,
  sparse_categorical_accuracy: metrics.SparseCategoricalAccuracy,
  top_k_categorical_accuracy: metrics.TopKCategoricalAccuracy,
  sparse_top_k_categorical_accuracy: metrics.SparseTopKCategoricalAccuracy,
  binary_accuracy: metrics.BinaryAccuracy,
  precision: metrics.Precision,
  recall: metrics.Recall,
  auc: metrics.AUC,
  f1_score: metrics.F1Score,
  fbeta_score: metrics.FBetaScore,
  mean_squared_error: metrics.MeanSquaredError,
  mean_absolute_error: metrics.MeanAbsoluteError,
  root_mean_squared_error: metrics.RootMeanSquaredError,
};

describe('metrics accumulated over 3 batches match scikit-learn (tools/gen_metric_fixtures.py)', () => {
  for (const c of fixture.cases) {
    it(`${c.metric} ${JSON.stringify(c.options)}${c.sampleWeight ? ' weighted' : ''}`, () => {
      const metric = new (CLASSES[c.metric] as new (o: Record<string, unknown>) => metrics.Metric)(c.options);
      const b = fixture.batches;
      for (let i = 0; i + 1 < b.length; i++) {
        const [from, to] = [b[i] as number, b[i + 1] as number];
        metric.updateState(
          rows(c.yTrue, from, to),
          rows(c.yPred, from, to),
          c.sampleWeight ? rows(c.sampleWeight, from, to) : null,
        );
      }
      const result = metric.result();
      const got = typeof result === 'number' ? [result] : result;
      expect(typeof result === 'number').toBe(c.scalar);
      expect(maxRelativeError(got, c.expected, 1e-3)).toBeLessThan(1e-5);
      metric.resetState();
      const empty = metric.result();
      expect(typeof empty === 'number' ? empty : Math.max(0, ...empty)).toBe(0);
    });
  }
});

describe('metric behaviour', () => {
  it('AUC matches Keras docstring examples', () => {
    const m = new metrics.AUC({ numThresholds: 3 });
    m.updateState(tensor([0, 0, 1, 1]), tensor([0, 0.5, 0.3, 0.9]));
    expect(m.result()).toBeCloseTo(0.75, 7);
    m.resetState();
    m.updateState(tensor([0, 0, 1, 1]), tensor([0, 0.5, 0.3, 0.9]), tensor([1, 0, 0, 1]));
    expect(m.result()).toBeCloseTo(1.0, 7);
    expect(new metrics.AUC({ numThresholds: 3 }).thresholds).toEqual([Math.fround(-1e-7), 0.5, Math.fround(1 + 1e-7)]);
  });

  it('AUC fromLogits applies a sigmoid', () => {
    const a = new metrics.AUC();
    const b = new metrics.AUC({ fromLogits: true });
    a.updateState(tensor([0, 1, 1, 0]), tensor([0.2, 0.7, 0.6, 0.45]));
    b.updateState(tensor([0, 1, 1, 0]), tensor([0.2, 0.7, 0.6, 0.45].map((p) => Math.log(p / (1 - p)))));
    expect(b.result()).toBeCloseTo(a.result(), 6);
  });

  it("resolves 'accuracy' from the loss and the shapes", () => {
    expect(metrics.get('accuracy', { yTrueShape: [null, 10], yPredShape: [null, 10] })).toBeInstanceOf(
      metrics.CategoricalAccuracy,
    );
    expect(metrics.get('accuracy', { yTrueShape: [null], yPredShape: [null, 10] })).toBeInstanceOf(
      metrics.SparseCategoricalAccuracy,
    );
    expect(metrics.get('accuracy', { yTrueShape: [null, 1], yPredShape: [null, 10] })).toBeInstanceOf(
      metrics.SparseCategoricalAccuracy,
    );
    expect(metrics.get('accuracy', { sparseLabels: true, yPredShape: [null, 10] })).toBeInstanceOf(
      metrics.SparseCategoricalAccuracy,
    );
    expect(metrics.get('acc', { yTrueShape: [null, 1], yPredShape: [null, 1] })).toBeInstanceOf(metrics.BinaryAccuracy);
    expect(metrics.get('accuracy', { binaryLoss: true, yTrueShape: [null, 5], yPredShape: [null, 5] })).toBeInstanceOf(
      metrics.BinaryAccuracy,
    );
    expect(metrics.get('acc', {}).name).toBe('acc');
  });

  it('looks up Keras names and keeps the name as written', () => {
    expect(metrics.get('mae')).toBeInstanceOf(metrics.MeanAbsoluteError);
    expect(metrics.get('mae').name).toBe('mae');
    expect(metrics.get('AUC')).toBeInstanceOf(metrics.AUC);
    expect(metrics.get('f1_score')).toBeInstanceOf(metrics.F1Score);
    expect(metrics.get('top_k_categorical_accuracy').direction).toBe('up');
    expect(() => metrics.get('accuracyy')).toThrow(/Could not interpret metric identifier: 'accuracyy'/);
  });

  it('top-k counts ties above the label as rank, NaN never in the top k', () => {
    const yTrue = tensor([0, 1], [2], 'int32');
    const yPred = tensor([
      [0.5, 0.5, 0.1],
      [0.2, Number.NaN, 0.3],
    ]);
    expect(Array.from(metrics.sparseTopKCategoricalAccuracy(yTrue, yPred, 1).dataSync())).toEqual([1, 0]);
  });

  it('wraps a user function as a mean over samples', () => {
    const m = metrics.get((t: Tensor, p: Tensor) => p.sub(t).abs().mean(-1));
    m.updateState(tensor([[0, 0]]), tensor([[1, 3]]));
    m.updateState(
      tensor([
        [0, 0],
        [0, 0],
      ]),
      tensor([
        [0, 0],
        [1, 1],
      ]),
    );
    expect(m.result()).toBeCloseTo(1, 7);
  });

  it('says which labels do not fit', () => {
    const m = new metrics.SparseCategoricalAccuracy();
    expect(() =>
      m.updateState(
        tensor([[0, 1, 0]]),
        tensor([
          [0.1, 0.8, 0.1],
          [0.1, 0.8, 0.1],
        ]),
      ),
    ).toThrow(/sparse_categorical_accuracy: labels of shape \[1, 3\] do not fit predictions of shape \[2, 3\]/);
    expect(() => new metrics.Precision().updateState(tensor([1, 0]), tensor([0.3]))).toThrow(/precision: labels of shape/);
  });
});
