/**
 * LayerNormalization and the layerNormalization op: Keras's defaults and config keys, the values
 * against a float64 computation written here, and Keras-quality errors. (The op against PyTorch:
 * test/conformance/torch-oracle.test.ts, family layernorm; native against the reference kernel:
 * test/native/pool-norm.test.ts; saving: the functional graph of test/saving/roundtrip.test.ts.)
 */
import { expect, it } from 'vitest';
import * as capa from '../../src/index.js';
import { describeEachBackend } from '../helpers/backends.js';

const { ops, layers } = capa;

/** (x - mean) / sqrt(var + eps) * gamma + beta per row of the trailing `cols` values, in float64. */
function reference(x: Float32Array, cols: number, eps: number, gamma?: Float32Array, beta?: Float32Array): number[] {
  const out: number[] = [];
  for (let o = 0; o < x.length; o += cols) {
    const row = Array.from(x.subarray(o, o + cols));
    const mean = row.reduce((a, b) => a + b, 0) / cols;
    const variance = row.reduce((a, b) => a + (b - mean) ** 2, 0) / cols;
    row.forEach((v, c) => {
      out.push(((v - mean) / Math.sqrt(variance + eps)) * (gamma ? (gamma[c] as number) : 1) + (beta ? (beta[c] as number) : 0));
    });
  }
  return out;
}

const close = (actual: ArrayLike<number>, expected: number[]) => {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => {
    expect(Math.abs((actual[i] as number) - e), `element ${i}`).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(e)));
  });
};

describeEachBackend('LayerNormalization', () => {
  it("has Keras's defaults: axis -1, epsilon 1e-3, center and scale, gamma ones and beta zeros", () => {
    const layer = new layers.LayerNormalization();
    const x = capa.randomNormal([3, 4, 6], { seed: 1 });
    const y = layer.apply(x) as capa.Tensor;
    expect(layer.weights.map((w) => w.name)).toEqual([`${layer.name}/gamma`, `${layer.name}/beta`]);
    expect(layer.weights.map((w) => w.shape)).toEqual([[6], [6]]);
    expect(Array.from(layer.weights[0]!.dataSync())).toEqual([1, 1, 1, 1, 1, 1]);
    close(y.dataSync(), reference(x.dataSync() as Float32Array, 6, 1e-3));
    const config = layer.getConfig();
    expect(config).toMatchObject({ axis: -1, epsilon: 1e-3, center: true, scale: true, rms_scaling: false });
    for (const key of [
      'beta_initializer',
      'gamma_initializer',
      'beta_regularizer',
      'gamma_regularizer',
      'beta_constraint',
      'gamma_constraint',
    ]) {
      expect(config, key).toHaveProperty(key);
    }
  });

  it('normalizes over the trailing axes it is given, with gamma and beta shaped like them', () => {
    const layer = new layers.LayerNormalization({ axis: [1, 2], epsilon: 1e-5 });
    const x = capa.randomNormal([2, 3, 5], { seed: 2 });
    layer.apply(x); // builds it
    const gamma = capa.randomNormal([3, 5], { seed: 3 });
    const beta = capa.randomNormal([3, 5], { seed: 4 });
    layer.setWeights([gamma, beta]);
    const y = layer.apply(x) as capa.Tensor;
    close(
      y.dataSync(),
      reference(x.dataSync() as Float32Array, 15, 1e-5, gamma.dataSync() as Float32Array, beta.dataSync() as Float32Array),
    );
    const revived = layers.LayerNormalization.fromConfig(layer.getConfig());
    expect(revived.axis).toEqual([1, 2]);
    expect(revived.epsilon).toBe(1e-5);
  });

  it('trains: the gradients of gamma and beta are those of the formula', () => {
    const layer = new layers.LayerNormalization({ center: true, scale: true });
    const x = capa.randomNormal([4, 7], { seed: 5 });
    layer.apply(x); // builds it
    const { grads } = capa.variableGrads(() => ops.sum(layer.apply(x) as capa.Tensor), layer.trainableWeights);
    // d(Σy)/dbeta = the number of rows; d(Σy)/dgamma = Σ over rows of x̂.
    expect(Array.from(grads[1]!.dataSync())).toEqual([4, 4, 4, 4, 4, 4, 4]);
    const xhat = reference(x.dataSync() as Float32Array, 7, 1e-3);
    const sumXhat = [0, 1, 2, 3, 4, 5, 6].map((c) => [0, 1, 2, 3].reduce((a, r) => a + (xhat[r * 7 + c] as number), 0));
    close(grads[0]!.dataSync(), sumXhat);
  });

  it('refuses what Keras refuses or capa does not do, naming the layer and the value', () => {
    expect(() => new layers.LayerNormalization({ epsilon: -1 })).toThrow(
      'LayerNormalization: `epsilon` must be a finite number >= 0, received -1.',
    );
    expect(() => new layers.LayerNormalization({ axis: [] })).toThrow(
      '`axis` must be an integer or a non-empty list of integers',
    );
    expect(() => new layers.LayerNormalization({ rmsScaling: true })).toThrow('`rms_scaling=True` is not supported');
    const x = capa.zeros([2, 3, 4]);
    expect(() => new layers.LayerNormalization({ axis: 1, name: 'ln' }).apply(x)).toThrow(
      'LayerNormalization "ln": axis 1 is not supported for inputs of rank 3: capa normalizes over the trailing axes',
    );
    expect(() => new layers.LayerNormalization({ axis: 5, name: 'ln5' }).apply(x)).toThrow(
      'LayerNormalization "ln5": axis 5 is out of range for inputs of rank 3.',
    );
    expect(() => new layers.LayerNormalization({ name: 'free' }).apply(capa.layers.Input({ shape: [3, null] }))).toThrow(
      'LayerNormalization "free": the normalized axes -1 of the input shape must be defined. Received input_shape=(None, 3, None)',
    );
  });
});

describeEachBackend('ops.layerNormalization', () => {
  it('returns each row’s mean and rstd next to the output', () => {
    const x = capa.tensor(Float32Array.of(1, 2, 3, 4, 10, 10, 10, 10), [2, 4]);
    const { y, mean, rstd } = ops.layerNormalization(x, null, null, 0);
    expect(Array.from(mean.dataSync())).toEqual([2.5, 10]);
    expect(rstd.shape).toEqual([2]);
    expect(rstd.dataSync()[0]).toBeCloseTo(1 / Math.sqrt(1.25), 6);
    close(y.dataSync().slice(0, 4), reference(x.dataSync().slice(0, 4) as Float32Array, 4, 0));
  });

  it('names the op, the argument and the shapes in its errors', () => {
    const x = capa.zeros([2, 3, 4]);
    expect(() => ops.layerNormalization(capa.scalar(1), null, null)).toThrow(
      'layerNormalization: x must have at least one axis to normalize over, received a scalar.',
    );
    expect(() => ops.layerNormalization(x, capa.ones([3]), null)).toThrow(
      'layerNormalization: gamma has shape [3] but x [2, 3, 4] is normalized over the axes of shape [4] (from axis -1).',
    );
    expect(() => ops.layerNormalization(x, null, capa.ones([4]), 1e-3, -2)).toThrow(
      'layerNormalization: beta has shape [4] but x [2, 3, 4] is normalized over the axes of shape [3, 4] (from axis -2).',
    );
    expect(() => ops.layerNormalization(x, null, null, 1e-3, 3)).toThrow(
      'layerNormalization: axis must be an integer in [-3, 3) for x of shape [2, 3, 4], received 3.',
    );
    expect(() => ops.layerNormalization(x, null, null, Number.NaN)).toThrow(
      'layerNormalization: epsilon must be a finite number >= 0, received NaN.',
    );
    expect(() => ops.layerNormalization('x' as unknown as capa.Tensor, null, null)).toThrow(
      "layerNormalization: argument 'x' must be a Tensor",
    );
  });
});
