import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ops, type Tensor, tensor, valueAndGrad } from '../../src/index.js';
import * as losses from '../../src/training/losses/index.js';
import { describeEachBackend } from '../helpers/backends.js';
import { maxRelativeError } from '../helpers/close.js';

interface LossCase {
  name: string;
  loss: string;
  options: Record<string, number | boolean>;
  reduction: losses.Reduction;
  yTrue: { shape: number[]; dtype: 'float32' | 'int32'; values: number[] };
  yPred: { shape: number[]; values: number[] };
  sampleWeight: number[] | null;
  perSample: number[];
  reduced: number[];
  grad: number[];
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/training/losses.json', import.meta.url), 'utf8')) as {
  cases: LossCase[];
};

function build(c: LossCase): losses.Loss {
  const cls = losses.get(c.loss).constructor as new (o: Record<string, unknown>) => losses.Loss;
  return new cls({ ...c.options, reduction: c.reduction });
}

describeEachBackend('losses match Keras 3 formulas (tools/gen_loss_fixtures.py, float64 torch)', () => {
  for (const c of fixture.cases) {
    it(`${c.name} (${c.reduction}${c.sampleWeight ? ', weighted' : ''})`, () => {
      const loss = build(c);
      const yTrue = tensor(c.yTrue.values, c.yTrue.shape, c.yTrue.dtype);
      const sw = c.sampleWeight ? tensor(c.sampleWeight) : null;
      const perSample = loss.call(yTrue, tensor(c.yPred.values, c.yPred.shape));
      expect(maxRelativeError(perSample.dataSync(), c.perSample)).toBeLessThan(2e-5);
      const { value, grad } = valueAndGrad((p: Tensor) => ops.sum(loss.apply(yTrue, p, sw)))(
        tensor(c.yPred.values, c.yPred.shape),
      );
      expect(Number.isFinite(value.item())).toBe(true);
      const reduced = loss.apply(yTrue, tensor(c.yPred.values, c.yPred.shape), sw);
      expect(maxRelativeError(reduced.dataSync(), c.reduced)).toBeLessThan(2e-5);
      expect(maxRelativeError(grad.dataSync(), c.grad, 1e-3)).toBeLessThan(1e-4);
    });
  }
});

describe('loss lookup and label errors', () => {
  it('resolves Keras names, aliases and class names', () => {
    expect(losses.get('categorical_crossentropy')).toBeInstanceOf(losses.CategoricalCrossentropy);
    expect(losses.get('mse')).toBeInstanceOf(losses.MeanSquaredError);
    expect(losses.get('mse').name).toBe('mse');
    expect(losses.get('MeanSquaredError').name).toBe('mean_squared_error');
    expect(losses.get('kld')).toBeInstanceOf(losses.KLDivergence);
    expect(losses.get('Huber')).toBeInstanceOf(losses.Huber);
    expect(() => losses.get('categorical_crossentropyy')).toThrow(
      /Could not interpret loss identifier.*categorical_crossentropy/,
    );
  });

  it('wraps a user function and applies its reduction', () => {
    const fn = (t: Tensor, p: Tensor) => ops.mean(ops.abs(ops.sub(p, t)), -1);
    const loss = losses.get(fn);
    expect(
      loss.compute(
        tensor([
          [0, 0],
          [1, 1],
        ]),
        tensor([
          [1, 1],
          [1, 3],
        ]),
      ),
    ).toBeCloseTo(1, 6);
  });

  it('names sparse labels given to categorical_crossentropy and says what to use', () => {
    const loss = losses.get('categorical_crossentropy');
    expect(() =>
      loss.call(
        tensor([[3], [1]]),
        tensor([
          [0.1, 0.9, 0, 0],
          [0.5, 0.5, 0, 0],
        ]),
      ),
    ).toThrow(
      /labels of shape \[2, 1\] do not match predictions of shape \[2, 4\].*sparse_categorical_crossentropy.*toCategorical\(y, 4\)/,
    );
    expect(() => loss.checkLabels([60000], [null, 10])).toThrow(/sparse_categorical_crossentropy/);
  });

  it('names one-hot labels given to sparse_categorical_crossentropy', () => {
    const loss = losses.get('sparse_categorical_crossentropy');
    expect(() => loss.checkLabels([100, 10], [null, 10])).toThrow(
      /look like one-hot labels: use loss 'categorical_crossentropy'/,
    );
    expect(() => loss.checkLabels([100], [null, 10])).not.toThrow();
    expect(() => loss.checkLabels([100, 1], [null, 10])).not.toThrow();
  });

  it('rejects sparse labels outside [0, classes)', () => {
    const loss = losses.get('sparse_categorical_crossentropy');
    expect(() =>
      loss.call(
        tensor([0, 4]),
        tensor([
          [0.5, 0.5, 0],
          [0.2, 0.3, 0.5],
        ]),
      ),
    ).toThrow(/label value of 4 .*outside the valid range of \[0, 3\)/);
  });

  it('rejects sample weights that do not fit and unknown reductions', () => {
    const loss = losses.get('mse');
    expect(() => loss.apply(tensor([[1], [2]]), tensor([[1], [2]]), tensor([1, 2, 3]))).toThrow(/sample weights of shape \[3\]/);
    expect(() => new losses.MeanSquaredError({ reduction: 'avg' as losses.Reduction })).toThrow(
      /Invalid value for argument reduction/,
    );
  });

  it('from-logits cross-entropy stays finite for huge logits', () => {
    const z = tensor([[1000, -1000, 0]]);
    const { value, grad } = valueAndGrad((p: Tensor) =>
      ops.sum(losses.categoricalCrossentropy(tensor([[0, 1, 0]]), p, { fromLogits: true })),
    )(z);
    expect(value.item()).toBeCloseTo(2000, 3);
    expect(Array.from(grad.dataSync())).toEqual([1, -1, 0]);
    const b = valueAndGrad((p: Tensor) => ops.sum(losses.binaryCrossentropy(tensor([[1, 0]]), p, { fromLogits: true })))(
      tensor([[-500, 500]]),
    );
    expect(b.value.item()).toBeCloseTo(500, 3);
    expect(Array.from(b.grad.dataSync())).toEqual([-0.5, 0.5]);
  });
});
