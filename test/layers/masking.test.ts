/**
 * Masks (docs/masking.md): made by Embedding(maskZero) and Masking, carried with the tensors
 * through Sequential and functional models, consumed by RNNs and GlobalAveragePooling1D,
 * combined by merge layers, passed on by Dense/Dropout, dropped by layers that do not mask.
 */
import { describe, expect, it } from 'vitest';
import * as capa from '../../src/index.js';
import { maxRelativeError } from '../helpers/close.js';

const L = capa.layers;
const ids = (rows: number[][]): capa.Tensor => capa.tensor(rows, undefined, 'int32');

describe('masking', () => {
  it('Embedding(maskZero) + LSTM: trailing padding changes nothing (Sequential)', () => {
    const model = new capa.Sequential([
      new L.Embedding(10, 4, { maskZero: true, inputShape: [null] }),
      new L.LSTM(3),
      new L.Dense(1),
    ]);
    const padded = model.apply(ids([[4, 2, 7, 0, 0, 0]])).dataSync();
    const short = model.apply(ids([[4, 2, 7]])).dataSync();
    expect(maxRelativeError(padded, short)).toBeLessThan(1e-6);
    // without the mask the padding would count
    const unmasked = new capa.Sequential([new L.Embedding(10, 4, { inputShape: [null] }), new L.LSTM(3)]);
    unmasked.layers[0]?.setWeights(model.layers[0]!.getWeights());
    unmasked.layers[1]?.setWeights(model.layers[1]!.getWeights());
    const a = unmasked.apply(ids([[4, 2, 7, 0, 0, 0]])).dataSync();
    const b = unmasked.apply(ids([[4, 2, 7]])).dataSync();
    expect(maxRelativeError(a, b)).toBeGreaterThan(1e-4);
  });

  it('the mask is attached to the outputs (getKerasMask), passes Dense and Dropout, and stops at Conv1D', () => {
    const emb = new L.Embedding(10, 4, { maskZero: true });
    const x = emb.apply(ids([[3, 0, 5]]));
    expect(L.getKerasMask(x)?.arraySync()).toEqual([[1, 0, 1]]);
    const dense = new L.Dense(2).apply(new L.Dropout(0.5).apply(x));
    expect(L.getKerasMask(dense)?.arraySync()).toEqual([[1, 0, 1]]);
    expect(L.getKerasMask(new L.Conv1D(2, 1).apply(x))).toBeNull();
    expect(L.getKerasMask(new L.Embedding(10, 4).apply(ids([[3, 0, 5]])))).toBeNull();
  });

  it('Masking zeroes the steps equal to maskValue and masks them', () => {
    const x = capa.tensor([
      [
        [1, 2],
        [-1, -1],
        [0, -1],
      ],
    ]);
    const y = new L.Masking({ maskValue: -1 }).apply(x);
    // a masked step is the input times 0 (-1 becomes -0, as in Keras)
    expect(y.arraySync()).toEqual([
      [
        [1, 2],
        [-0, -0],
        [0, -1],
      ],
    ]);
    expect(L.getKerasMask(y)?.arraySync()).toEqual([[1, 0, 1]]);
    expect(new L.Masking().getConfig()).toMatchObject({ mask_value: 0 });
  });

  it('GlobalAveragePooling1D averages the kept steps only; its output has no mask', () => {
    const input = capa.Input({ shape: [4], dtype: 'int32' });
    const emb = new L.Embedding(5, 2, { maskZero: true });
    const model = new capa.Model(input, new L.GlobalAveragePooling1D().apply(emb.apply(input)));
    const table = emb.getWeights()[0]!.arraySync() as number[][];
    const out = model.apply(ids([[1, 2, 0, 0]]));
    const expected = [0, 1].map((j) => ((table[1]![j] as number) + (table[2]![j] as number)) / 2);
    expect(maxRelativeError(out.dataSync(), expected)).toBeLessThan(1e-6);
    expect(L.getKerasMask(out)).toBeNull();
  });

  it('merge layers: Add keeps a step where every mask does; Concatenate on features where any does', () => {
    const a = new L.Embedding(10, 2, { maskZero: true }).apply(ids([[1, 0, 3, 0]]));
    const b = new L.Embedding(10, 2, { maskZero: true }).apply(ids([[1, 2, 0, 0]]));
    expect(L.getKerasMask(new L.Add().apply([a, b]))?.arraySync()).toEqual([[1, 0, 0, 0]]);
    expect(L.getKerasMask(new L.Concatenate().apply([a, b]))?.arraySync()).toEqual([[1, 1, 1, 0]]);
    const plain = capa.zeros([1, 4, 2]);
    expect(L.getKerasMask(new L.Concatenate().apply([a, plain]))?.arraySync()).toEqual([[1, 1, 1, 1]]);
  });

  it('an RNN returning sequences passes the mask on; Bidirectional outputs zeros at masked steps', () => {
    const x = new L.Embedding(10, 3, { maskZero: true }).apply(ids([[2, 5, 0]]));
    const seqs = new L.GRU(2, { returnSequences: true }).apply(x);
    expect(L.getKerasMask(seqs)?.arraySync()).toEqual([[1, 1, 0]]);
    expect(L.getKerasMask(new L.GRU(2).apply(x))).toBeNull();
    const bi = new L.Bidirectional(new L.LSTM(2, { returnSequences: true })).apply(x);
    expect((bi.arraySync() as number[][][])[0]![2]).toEqual([0, 0, 0, 0]);
  });

  it('a mask passed to a model applies to its input', () => {
    const input = capa.Input({ shape: [null, 2] });
    const model = new capa.Model(input, new L.SimpleRNN(2).apply(input));
    const x = capa.randomNormal([1, 3, 2], { seed: 3 });
    const masked = model.apply(x, { mask: capa.tensor([[1, 1, 0]], undefined, 'int32') });
    const short = model.apply(capa.ops.slice(x, [0, 0, 0], [1, 2, 2]));
    expect(maxRelativeError(masked.dataSync(), short.dataSync())).toBeLessThan(1e-6);
  });
});
