/** Embedding: rows of its matrix by id, trained through the gather, Keras's config, clear errors. */
import { beforeEach, describe, expect, it } from 'vitest';
import * as capa from '../../src/index.js';

const { Input, Model, layers: L } = capa;

beforeEach(() => {
  capa.clearSession();
  capa.setSeed(9);
});

describe('Embedding', () => {
  it('looks up the rows of its matrix, for int32 or whole-number float ids', () => {
    const layer = new L.Embedding(5, 3);
    const ids = capa.tensor(
      [
        [4, 0],
        [2, 2],
      ],
      undefined,
      'int32',
    );
    const out = layer.apply(ids);
    expect(out.shape).toEqual([2, 2, 3]);
    const table = layer.getWeights()[0] as capa.Tensor;
    const rows = table.arraySync() as number[][];
    expect(out.arraySync()).toEqual([
      [rows[4], rows[0]],
      [rows[2], rows[2]],
    ]);
    // Keras's 'uniform' default: RandomUniform(-0.05, 0.05)
    expect(table.dataSync().every((v) => Math.abs(v) <= 0.05)).toBe(true);
    expect(layer.apply(capa.tensor([[4, 0]])).arraySync()).toEqual([[rows[4], rows[0]]]);
  });

  it('refuses ids outside [0, inputDim), naming the layer', () => {
    const layer = new L.Embedding(5, 3, { name: 'words' });
    expect(() => layer.apply(capa.tensor([[5]], undefined, 'int32'))).toThrow(
      'Embedding "words" (input_dim=5): gather: index 5 is out of range for axis 0 of size 5',
    );
    expect(() => new L.Embedding(0, 3)).toThrow('Embedding: received an invalid value for argument `input_dim`');
  });

  it('trains the looked-up rows only, and round-trips its config', async () => {
    const ids = Input({ shape: [2], dtype: 'int32' });
    const embedding = new L.Embedding(6, 4, { name: 'emb' });
    const out = new L.Dense(1).apply(new L.Flatten().apply(embedding.apply(ids)));
    const model = new Model(ids, out);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const before = (embedding.getWeights()[0] as capa.Tensor).arraySync() as number[][];
    const x = new Int32Array([0, 1, 1, 2]);
    const y = [1, -1];
    const first = (await model.evaluate(x, y, { verbose: 0 })).loss as number;
    await model.fit(x, y, { epochs: 5, verbose: 0 });
    expect((await model.evaluate(x, y, { verbose: 0 })).loss).toBeLessThan(first);
    const after = (embedding.getWeights()[0] as capa.Tensor).arraySync() as number[][];
    for (const id of [0, 1, 2]) expect(after[id]).not.toEqual(before[id]);
    for (const id of [3, 4, 5]) expect(after[id]).toEqual(before[id]);
    const config = embedding.getConfig();
    expect(config).toMatchObject({ input_dim: 6, output_dim: 4, mask_zero: false });
    const revived = L.Embedding.fromConfig(config);
    expect([revived.inputDim, revived.outputDim, revived.name]).toEqual([6, 4, 'emb']);
  });
});
