/** utils.padSequences and utils.timeseriesDatasetFromArray against Keras's documented behaviour. */
import { describe, expect, it } from 'vitest';
import { layers, Sequential, tensor, utils } from '../../../src/index.js';

describe('utils.padSequences (Keras pad_sequences)', () => {
  const seqs = [[1], [2, 3], [4, 5, 6]];
  it('pads and truncates at the start by default', () => {
    expect(utils.padSequences(seqs).arraySync()).toEqual([
      [0, 0, 1],
      [0, 2, 3],
      [4, 5, 6],
    ]);
    expect(utils.padSequences(seqs, { value: -1 }).arraySync()).toEqual([
      [-1, -1, 1],
      [-1, 2, 3],
      [4, 5, 6],
    ]);
    expect(utils.padSequences(seqs, { maxlen: 2 }).arraySync()).toEqual([
      [0, 1],
      [2, 3],
      [5, 6],
    ]);
  });
  it("'post' padding and truncating, float dtype, empty sequences", () => {
    expect(utils.padSequences(seqs, { padding: 'post' }).arraySync()).toEqual([
      [1, 0, 0],
      [2, 3, 0],
      [4, 5, 6],
    ]);
    expect(utils.padSequences(seqs, { maxlen: 2, truncating: 'post' }).arraySync()).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
    ]);
    const f = utils.padSequences([[0.5], []], { dtype: 'float32', value: 0.25, maxlen: 2 });
    expect(f.dtype).toBe('float32');
    expect(f.arraySync()).toEqual([
      [0.25, 0.5],
      [0.25, 0.25],
    ]);
    expect(utils.padSequences([[1, 2]]).dtype).toBe('int32');
  });
  it('refuses bad options clearly', () => {
    expect(() => utils.padSequences(seqs, { padding: 'middle' as never })).toThrow(/padding type "middle"/);
    expect(() => utils.padSequences(seqs, { value: 0.5 })).toThrow(/int32 is not compatible/);
    expect(() => utils.padSequences([1 as never])).toThrow(/non-iterable/);
  });
});

describe('utils.timeseriesDatasetFromArray (Keras docstring examples)', () => {
  const collect = async (ds: AsyncIterable<unknown[]>) => {
    const out: unknown[][] = [];
    for await (const b of ds) out.push(b);
    return out;
  };

  it('example 1: sampling_rate 2, sequence_length 10 over 0..99', async () => {
    const data = Array.from({ length: 100 }, (_, i) => i);
    const ds = utils.timeseriesDatasetFromArray(data.slice(0, -10), data.slice(10), 10, { samplingRate: 2, batchSize: 128 });
    const batches = (await collect(ds)) as [{ arraySync(): number[][] }, { arraySync(): number[] }][];
    expect(batches.length).toBe(1);
    const [x, y] = batches[0] as [{ arraySync(): number[][]; shape: number[] }, { arraySync(): number[] }];
    // windows start at 0..71: the last window [71, 73, ..., 89] ends before 90
    expect(x.shape).toEqual([72, 10]);
    expect(x.arraySync()[0]).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
    expect(y.arraySync()[0]).toEqual(10);
    expect(x.arraySync()[1]).toEqual([1, 3, 5, 7, 9, 11, 13, 15, 17, 19]);
    expect(y.arraySync()[1]).toEqual(11);
  });

  it('example 3: input and target offset by one step', async () => {
    const x = Array.from({ length: 10 }, (_, i) => i);
    const ds = utils.timeseriesDatasetFromArray(x.slice(0, -1), x.slice(1), 4, { batchSize: 2 });
    const batches = (await collect(ds)) as [{ arraySync(): number[][] }, { arraySync(): number[] }][];
    expect(ds.length).toBe(3);
    expect(batches.map(([a, b]) => [a.arraySync(), b.arraySync()])).toEqual([
      [
        [
          [0, 1, 2, 3],
          [1, 2, 3, 4],
        ],
        [1, 2],
      ],
      [
        [
          [2, 3, 4, 5],
          [3, 4, 5, 6],
        ],
        [3, 4],
      ],
      [
        [
          [4, 5, 6, 7],
          [5, 6, 7, 8],
        ],
        [5, 6],
      ],
    ]);
  });

  it('stride, start/end index, features, shuffle with a seed, and fit', async () => {
    const data = tensor(
      Array.from({ length: 40 }, (_, i) => i),
      [20, 2],
    );
    const ds = utils.timeseriesDatasetFromArray(data, null, 3, {
      sequenceStride: 4,
      startIndex: 2,
      endIndex: 15,
      batchSize: null,
    });
    const windows = (await collect(ds)).map((b) => (b[0] as { arraySync(): number[][] }).arraySync());
    // positions 0, 4, 8 from index 2: windows at rows 2..4, 6..8, 10..12 (a window at 14 would pass 15)
    expect(windows.map((w) => w[0]?.[0])).toEqual([4, 12, 20]);
    expect(windows[0]).toEqual([
      [4, 5],
      [6, 7],
      [8, 9],
    ]);
    const a = utils.timeseriesDatasetFromArray(data, data, 3, { shuffle: true, seed: 7, batchSize: 4 });
    const b = utils.timeseriesDatasetFromArray(data, data, 3, { shuffle: true, seed: 7, batchSize: 4 });
    const first = async (ds: typeof a) => {
      const [batch] = await collect(ds);
      return (batch as [{ arraySync(): unknown }])[0].arraySync();
    };
    expect(await first(a)).toEqual(await first(b));
    const model = new Sequential([new layers.Flatten({ inputShape: [3, 2] }), new layers.Dense(2)]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const history = await model.fit(utils.timeseriesDatasetFromArray(data, data, 3, { batchSize: 8 }), { epochs: 1, verbose: 0 });
    expect(history.history.loss?.length).toBe(1);
    expect(() => utils.timeseriesDatasetFromArray(data, null, 3, { startIndex: 30 })).toThrow(/start_index/);
  });
});
