/**
 * Normalization, Discretization, CategoryEncoding and Hashing against the examples in Keras 3's
 * docstrings, CategoryEncoding also against TensorFlow.js, and each inside a model through `.keras`.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { Input, layers, Model, models, tensor } from '../../../src/index.js';

function close(actual: unknown, expected: number[][], digits = 5): void {
  const a = actual as number[][];
  expect(a.length).toBe(expected.length);
  for (const [i, row] of expected.entries()) for (const [j, v] of row.entries()) expect(a[i]?.[j]).toBeCloseTo(v, digits);
}

describe('Normalization', () => {
  it('adapt learns per-feature mean and variance (Keras docstring example)', () => {
    const adaptData = tensor([
      [0, 1],
      [0, 2],
      [1, 3],
    ]);
    const layer = new layers.Normalization({ axis: -1 });
    layer.adapt(adaptData);
    const out = layer
      .apply(
        tensor([
          [0, 1],
          [1, 2],
          [2, 3],
        ]),
      )
      .arraySync();
    // mean [1/3, 2], variance [2/9, 2/3]
    const s0 = Math.sqrt(2 / 9);
    const s1 = Math.sqrt(2 / 3);
    close(out, [
      [(0 - 1 / 3) / s0, (1 - 2) / s1],
      [(1 - 1 / 3) / s0, 0],
      [(2 - 1 / 3) / s0, (3 - 2) / s1],
    ]);
    expect(layer.getWeights().map((w) => w.shape)).toEqual([[2], [2], []]);
  });

  it('given mean/variance, axis null and invert (Keras docstring examples)', () => {
    const layer = new layers.Normalization({ mean: 3.0, variance: 2.0, axis: null });
    close([layer.apply(tensor([1, 2, 3], [3, 1])).arraySync() as number[][]].flat(), [[-Math.SQRT2], [-Math.SQRT1_2], [0]]);
    const inverse = new layers.Normalization({ mean: 3.0, variance: 2.0, invert: true, axis: null });
    close(inverse.apply(tensor([[-Math.SQRT2], [-Math.SQRT1_2], [0]])).arraySync(), [[1], [2], [3]]);
  });

  it('survives a .keras round trip inside a model', async () => {
    const layer = new layers.Normalization();
    layer.adapt(
      tensor([
        [1, 10],
        [3, 30],
        [5, 20],
      ]),
    );
    const input = Input({ shape: [2] });
    const model = new Model({ inputs: input, outputs: layer.apply(input) });
    const path = join(mkdtempSync(join(tmpdir(), 'capa-norm-')), 'm.keras');
    await model.save(path);
    const loaded = await models.loadModel(path);
    const x = tensor([[2, 15]]);
    expect(Array.from((await loaded.predict(x)).dataSync())).toEqual(Array.from((await model.predict(x)).dataSync()));
  });
});

describe('Discretization (Keras docstring examples)', () => {
  const x = [
    [-1.5, 1.0, 3.4, 0.5],
    [0.0, 3.0, 1.3, 0.0],
  ];
  it('bucketizes by bin boundaries', () => {
    const layer = new layers.Discretization({ binBoundaries: [0, 1, 2] });
    expect(layer.apply(tensor(x)).arraySync()).toEqual([
      [0, 2, 3, 1],
      [1, 3, 2, 1],
    ]);
  });
  it('adapts quantile boundaries for numBins', () => {
    const layer = new layers.Discretization({ numBins: 4, epsilon: 0.01 });
    layer.adapt(tensor(x));
    expect(layer.apply(tensor(x)).arraySync()).toEqual([
      [0, 2, 3, 1],
      [1, 3, 2, 1],
    ]);
    const revived = layers.Discretization.fromConfig(layer.getConfig());
    expect(revived.apply(tensor(x)).arraySync()).toEqual(layer.apply(tensor(x)).arraySync());
  });
});

describe('CategoryEncoding', () => {
  it('Keras docstring examples: one_hot, multi_hot, weighted count', () => {
    expect(new layers.CategoryEncoding({ numTokens: 4, outputMode: 'one_hot' }).apply(tensor([3, 2, 0, 1])).arraySync()).toEqual([
      [0, 0, 0, 1],
      [0, 0, 1, 0],
      [1, 0, 0, 0],
      [0, 1, 0, 0],
    ]);
    const multi = new layers.CategoryEncoding({ numTokens: 4, outputMode: 'multi_hot' });
    expect(
      multi
        .apply(
          tensor([
            [0, 1],
            [0, 0],
            [1, 2],
            [3, 1],
          ]),
        )
        .arraySync(),
    ).toEqual([
      [1, 1, 0, 0],
      [1, 0, 0, 0],
      [0, 1, 1, 0],
      [0, 1, 0, 1],
    ]);
    const count = new layers.CategoryEncoding({ numTokens: 4, outputMode: 'count' });
    close(
      count
        .encode(
          tensor([
            [0, 1],
            [0, 0],
            [1, 2],
            [3, 1],
          ]),
          tensor([
            [0.1, 0.2],
            [0.1, 0.1],
            [0.2, 0.3],
            [0.4, 0.2],
          ]),
        )
        .arraySync(),
      [
        [0.1, 0.2, 0, 0],
        [0.2, 0, 0, 0],
        [0, 0.2, 0.3, 0],
        [0, 0.2, 0, 0.4],
      ],
    );
  });

  it('matches TensorFlow.js categoryEncoding', () => {
    const ids = [
      [0, 3, 3, 1],
      [2, 2, 0, 4],
    ];
    for (const outputMode of ['multi_hot', 'count'] as const) {
      const theirs = tfl.layers
        .categoryEncoding({ numTokens: 6, outputMode: outputMode === 'multi_hot' ? 'multiHot' : 'count' })
        .apply(tf.tensor2d(ids, undefined, 'int32')) as tf.Tensor;
      expect(new layers.CategoryEncoding({ numTokens: 6, outputMode }).apply(tensor(ids)).arraySync()).toEqual(
        theirs.arraySync(),
      );
    }
  });

  it('refuses ids outside [0, numTokens), naming the layer', () => {
    const layer = new layers.CategoryEncoding({ numTokens: 3, name: 'cats' });
    expect(() => layer.apply(tensor([[0, 3]]))).toThrow(/CategoryEncoding "cats".*\[0, 3\).*received 3/);
    expect(() => new layers.CategoryEncoding({})).toThrow(/num_tokens/);
  });
});

describe('Hashing (Keras docstring examples: TensorFlow FarmHash and SipHash bins)', () => {
  const inp = [['A'], ['B'], ['C'], ['D'], ['E']];
  it('hashes strings into numBins', () => {
    expect(new layers.Hashing({ numBins: 3 }).apply(inp).arraySync()).toEqual([[1], [0], [1], [1], [2]]);
  });
  it('mask value takes bin 0', () => {
    expect(new layers.Hashing({ numBins: 3, maskValue: '' }).apply([['A'], ['B'], [''], ['C'], ['D']]).arraySync()).toEqual([
      [1],
      [1],
      [0],
      [2],
      [2],
    ]);
  });
  it('a salt switches to the keyed hash', () => {
    expect(new layers.Hashing({ numBins: 3, salt: [133, 137] }).apply(inp).arraySync()).toEqual([[1], [2], [1], [0], [2]]);
    expect(new layers.Hashing({ numBins: 3, salt: 133 }).apply(inp).arraySync()).toEqual([[0], [0], [2], [1], [0]]);
  });
  it('hashes integers as their text, inside a model too', async () => {
    const layer = new layers.Hashing({ numBins: 5, outputMode: 'one_hot' });
    const byText = new layers.Hashing({ numBins: 5 }).apply(['12', '7']).dataSync();
    const input = Input({ shape: [1], dtype: 'int32' });
    const model = new Model({ inputs: input, outputs: layer.apply(input) });
    const out = (await model.predict(tensor([[12], [7]]))).arraySync() as number[][];
    expect(out.map((r) => r.indexOf(1))).toEqual(Array.from(byText));
  });
});
