import { describe, expect, it } from 'vitest';
import * as capa from '../../src/index.js';

const { initializers: I, regularizers: R, constraints: C, layers: L } = capa;

function stats(values: ArrayLike<number>): { mean: number; variance: number; min: number; max: number } {
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    sum += v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const mean = sum / values.length;
  let sq = 0;
  for (let i = 0; i < values.length; i++) sq += ((values[i] as number) - mean) ** 2;
  return { mean, variance: sq / values.length, min, max };
}

describe('initializers (Keras formulas)', () => {
  it('glorot_uniform: U(-sqrt(6 / (fan_in + fan_out)), +limit)', () => {
    const values = I.getInitializer('glorot_uniform').generate([200, 300]);
    const limit = Math.sqrt(6 / 500);
    const s = stats(values);
    expect(s.max).toBeLessThanOrEqual(limit);
    expect(s.min).toBeGreaterThanOrEqual(-limit);
    expect(s.max).toBeGreaterThan(0.99 * limit);
    expect(Math.abs(s.variance / ((limit * limit) / 3) - 1)).toBeLessThan(0.03);
  });

  it('conv kernels count the receptive field in the fans', () => {
    expect(I.computeFans([3, 3, 16, 32])).toEqual([144, 288]);
    expect(I.computeFans([7])).toEqual([7, 7]);
    const s = stats(I.getInitializer('he_uniform').generate([3, 3, 64, 64]));
    const limit = Math.sqrt((3 * 2) / (9 * 64));
    expect(s.max).toBeLessThanOrEqual(limit);
    expect(Math.abs(s.variance / (2 / (9 * 64)) - 1)).toBeLessThan(0.05);
  });

  it('he_normal / lecun_normal / glorot_normal: truncated normals with variance scale / fan', () => {
    for (const [name, expectedVar, fanIn] of [
      ['he_normal', 2 / 300, 300],
      ['lecun_normal', 1 / 300, 300],
      ['glorot_normal', 2 / 700, 300],
    ] as const) {
      const values = I.getInitializer(name).generate([fanIn, 400]);
      const s = stats(values);
      expect(Math.abs(s.mean)).toBeLessThan(0.002);
      expect(Math.abs(s.variance / expectedVar - 1), name).toBeLessThan(0.03);
      // Truncation at two standard deviations of the underlying normal.
      const bound = (2 * Math.sqrt(expectedVar)) / 0.8796256610342398;
      expect(Math.max(s.max, -s.min)).toBeLessThanOrEqual(bound * 1.0001);
    }
    const s = stats(
      I.getInitializer({
        class_name: 'VarianceScaling',
        config: { scale: 2, mode: 'fan_out', distribution: 'untruncated_normal' },
      }).generate([100, 500]),
    );
    expect(Math.abs(s.variance / (2 / 500) - 1)).toBeLessThan(0.03);
  });

  it('random_normal, random_uniform, truncated_normal, zeros, ones, constant, identity, orthogonal', () => {
    expect(Math.abs(Math.sqrt(stats(new I.RandomNormal().generate([50000])).variance) / 0.05 - 1)).toBeLessThan(0.02);
    const u = stats(new I.RandomUniform({ minval: 2, maxval: 3 }).generate([50000]));
    expect(u.min).toBeGreaterThanOrEqual(2);
    expect(u.max).toBeLessThan(3);
    expect(stats(new I.TruncatedNormal({ stddev: 1 }).generate([50000])).max).toBeLessThanOrEqual(2);
    expect(Array.from(I.getInitializer('zeros').generate([3]))).toEqual([0, 0, 0]);
    expect(Array.from(I.getInitializer('ones').generate([2]))).toEqual([1, 1]);
    expect(Array.from(new I.Constant({ value: 0.5 }).generate([2]))).toEqual([0.5, 0.5]);
    expect(Array.from(new I.Identity({ gain: 2 }).generate([2, 3]))).toEqual([2, 0, 0, 0, 2, 0]);
    for (const shape of [
      [6, 4],
      [4, 6],
      [2, 3, 5],
    ]) {
      const q = new I.Orthogonal({ seed: 1 }).apply(shape);
      const cols = shape[shape.length - 1] as number;
      const m = capa.ops.reshape(q, [-1, cols]);
      const rows = m.shape[0] as number;
      const gram = rows >= cols ? capa.ops.matmul(m, m, { transposeA: true }) : capa.ops.matmul(m, m, { transposeB: true });
      const n = Math.min(rows, cols);
      const g = gram.dataSync();
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(g[i * n + j] as number).toBeCloseTo(i === j ? 1 : 0, 5);
    }
  });

  it('is reproducible: a seeded initializer repeats itself, setSeed fixes the rest', () => {
    const a = new I.GlorotUniform({ seed: 7 }).generate([10, 10]);
    expect(Array.from(new I.GlorotUniform({ seed: 7 }).generate([10, 10]))).toEqual(Array.from(a));
    capa.setSeed(5);
    const w1 = new L.Dense(4).apply(capa.ones([1, 3]));
    capa.setSeed(5);
    const w2 = new L.Dense(4).apply(capa.ones([1, 3]));
    expect(Array.from(w2.dataSync())).toEqual(Array.from(w1.dataSync()));
  });

  it('serializes and revives every initializer, and names bad identifiers', () => {
    for (const name of [
      'glorot_uniform',
      'glorot_normal',
      'he_normal',
      'he_uniform',
      'lecun_normal',
      'lecun_uniform',
      'zeros',
      'ones',
      'random_normal',
      'random_uniform',
      'truncated_normal',
      'constant',
      'variance_scaling',
      'orthogonal',
      'identity',
    ]) {
      const init = I.getInitializer(name);
      const revived = I.getInitializer(JSON.parse(JSON.stringify(I.serializeInitializer(init))));
      expect(revived.className).toBe(init.className);
      expect(revived.getConfig()).toEqual(init.getConfig());
    }
    expect(() => I.getInitializer('glorot')).toThrow(/Unknown initializer: 'glorot'/);
  });
});

describe('regularizers', () => {
  it('adds l2 / l1 weight penalties to the model losses, differentiably', () => {
    const dense = new L.Dense(3, { kernelRegularizer: R.l2(0.01), biasRegularizer: 'l1' });
    const model = new capa.Sequential([dense]);
    model.build([null, 4]);
    const kernel = dense.kernel as capa.Variable;
    const losses = model.losses;
    expect(losses.length).toBe(2);
    const k = kernel.dataSync();
    const expected = 0.01 * Array.from(k).reduce((s, v) => s + v * v, 0);
    expect(losses[0]?.item()).toBeCloseTo(expected, 6);
    // Recomputed on access so the gradient flows: d(0.01 * sum w^2)/dw = 0.02 w.
    const fresh = capa.variableGrads(() => model.losses[0] as capa.Tensor, [kernel]).grads[0] as capa.Tensor;
    Array.from(fresh.dataSync()).forEach((g, i) => {
      expect(g).toBeCloseTo(0.02 * (k[i] as number), 6);
    });
    dense.trainable = false;
    expect(model.losses.length).toBe(0);
  });

  it('collects activity regularization from the latest call', () => {
    const layer = new L.Dense(2, { activityRegularizer: R.l1(0.5), kernelInitializer: 'ones' });
    const y = layer.apply(capa.tensor([[1, -2, 4]]));
    expect(layer.losses.map((l) => l.item())).toEqual([0.5 * Math.abs(y.dataSync()[0] as number) * 2]);
    const cfg = capa.serializeLayer(layer).config as capa.ConfigDict;
    expect(cfg.activity_regularizer).toEqual({
      module: 'keras.regularizers',
      class_name: 'L1',
      config: { l1: 0.5 },
      registered_name: null,
    });
    expect(R.getRegularizer('l1_l2')?.getConfig()).toEqual({ l1: 0.01, l2: 0.01 });
    expect(() => R.getRegularizer('l3')).toThrow(/Could not interpret regularizer identifier/);
  });
});

describe('constraints', () => {
  const w = capa.tensor([
    [3, -4],
    [4, 0.5],
  ]);

  it('max_norm, non_neg, unit_norm, min_max_norm match Keras formulas (column norms, axis 0)', () => {
    const norms = [5, Math.sqrt(16.25)];
    const maxNorm = new C.MaxNorm({ maxValue: 2 }).apply(w).dataSync();
    expect(maxNorm[0]).toBeCloseTo((3 * 2) / (5 + 1e-7), 5);
    expect(maxNorm[1]).toBeCloseTo((-4 * 2) / ((norms[1] as number) + 1e-7), 5);
    expect(Array.from(new C.NonNeg().apply(w).dataSync())).toEqual([3, 0, 4, 0.5]);
    const unit = new C.UnitNorm().apply(w).dataSync();
    expect(unit[2]).toBeCloseTo(4 / 5, 5);
    const mm = new C.MinMaxNorm({ minValue: 1, maxValue: 4, rate: 0.5 }).apply(w).dataSync();
    expect(mm[0]).toBeCloseTo(3 * ((0.5 * 4 + 0.5 * 5) / 5), 5);
    expect(C.getConstraint({ class_name: 'MaxNorm', config: { max_value: 3, axis: [0, 1, 2] } })?.getConfig()).toEqual({
      max_value: 3,
      axis: [0, 1, 2],
    });
  });

  it('applyConstraints() projects constrained weights (the hook training calls after each update)', () => {
    const layer = new L.Dense(2, {
      kernelConstraint: 'non_neg',
      kernelInitializer: { class_name: 'Constant', config: { value: -1 } },
    });
    const model = new capa.Sequential([layer]);
    model.build([null, 3]);
    expect(model.weightConstraints().map((c) => c.variable.name)).toEqual([`${layer.name}/kernel`]);
    model.applyConstraints();
    expect(Array.from(layer.kernel?.dataSync() ?? [])).toEqual([0, 0, 0, 0, 0, 0]);
  });
});
