import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  callbacks,
  type DataBatch,
  type DataIterator,
  layers,
  optimizers,
  Sequential,
  setSeed,
  setTrainingOutput,
  type Tensor,
  tensor,
} from '../../src/index.js';

/** A finite iterator over in-memory batches, like the data area's flow(): one pass = `length` batches. */
class ArrayIterator implements DataIterator {
  resets = 0;
  started = 0;
  constructor(
    private readonly batches: DataBatch[],
    readonly shuffle = false,
  ) {}
  get length(): number {
    return this.batches.length;
  }
  reset(): void {
    this.resets++;
  }
  async *[Symbol.asyncIterator](): AsyncGenerator<DataBatch> {
    this.started++;
    for (const b of this.batches) yield b;
  }
}

/** An endless generator (Keras's generator style): no length. */
function endless(batch: DataBatch, limit = Infinity): DataIterator & { pulled: number } {
  const it = {
    pulled: 0,
    async *[Symbol.asyncIterator](): AsyncGenerator<DataBatch> {
      while (it.pulled < limit) {
        it.pulled++;
        yield batch;
      }
    },
  };
  return it;
}

function data(n: number, offset = 0): [Tensor, Tensor] {
  const x = Array.from({ length: n * 2 }, (_, i) => Math.sin(i + offset));
  const y = Array.from({ length: n }, (_, i) => ((x[2 * i] as number) + (x[2 * i + 1] as number) > 0 ? 1 : 0));
  return [tensor(x, [n, 2]), tensor(y, [n, 1])];
}

function model(): Sequential {
  const m = new Sequential([
    new layers.Dense(4, { activation: 'tanh', inputShape: [2] }),
    new layers.Dense(1, { activation: 'sigmoid' }),
  ]);
  m.compile({ optimizer: new optimizers.SGD({ learningRate: 0.1 }), loss: 'binary_crossentropy', metrics: ['accuracy'] });
  return m;
}

beforeEach(() => {
  setSeed(3);
  setTrainingOutput({ write: () => {}, isTTY: false });
});
afterEach(() => setTrainingOutput(null));

describe('fit/evaluate/predict from data iterators', () => {
  it('trains one pass per epoch from a finite iterator, equal to fit on the same tensors', async () => {
    const batches: DataBatch[] = [data(8, 0), data(8, 100), data(8, 200)];
    const it = new ArrayIterator(batches);
    const a = model();
    const b = model();
    b.setWeights(a.getWeights());
    const h = await a.fit(it, { epochs: 3, verbose: 0 });
    expect(h.epoch).toEqual([0, 1, 2]);
    expect(it.started).toBe(3);
    const xs = tensor(
      batches.flatMap((bt) => Array.from((bt[0] as Tensor).dataSync())),
      [24, 2],
    );
    const ys = tensor(
      batches.flatMap((bt) => Array.from((bt[1] as Tensor).dataSync())),
      [24, 1],
    );
    const h2 = await b.fit(xs, ys, { epochs: 3, batchSize: 8, shuffle: false, verbose: 0 });
    expect(h.history['loss']).toEqual(h2.history['loss']);
    expect(a.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(b.getWeights().map((w) => Array.from(w.dataSync())));
  });

  it('bounds an endless iterator with stepsPerEpoch and validates from an iterator with validationSteps', async () => {
    const train = endless(data(4));
    const val = endless(data(4, 50));
    const m = model();
    const h = await m.fit(train, { epochs: 2, stepsPerEpoch: 5, validationData: val, validationSteps: 2, verbose: 0 });
    expect(train.pulled).toBe(10);
    expect(val.pulled).toBe(4);
    expect(Object.keys(h.history)).toEqual(['loss', 'accuracy', 'val_loss', 'val_accuracy']);
  });

  it('warns and stops when the iterator runs out before stepsPerEpoch * epochs', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const m = model();
    const h = await m.fit(endless(data(4), 7), { epochs: 3, stepsPerEpoch: 3, verbose: 0 });
    // like Keras 2, the partial epoch still ends (callbacks, history), then training stops
    expect(h.epoch).toEqual([0, 1, 2]);
    expect(warn.mock.calls.map((c) => String(c[0])).join('\n')).toMatch(
      /Your input ran out of data; interrupting training\. .*stepsPerEpoch \* epochs batches \(3 \* 3 = 9\); it gave 1 batch in epoch 3/,
    );
    warn.mockRestore();
  });

  it('evaluates and predicts from iterators; predict warns about a shuffling iterator', async () => {
    const batches: DataBatch[] = [data(5), data(3, 9)];
    const m = model();
    const fromIt = await m.evaluate(new ArrayIterator(batches), { verbose: 0 });
    const [x1, y1] = batches[0] as [Tensor, Tensor];
    const [x2, y2] = batches[1] as [Tensor, Tensor];
    const x = tensor([...x1.dataSync(), ...x2.dataSync()], [8, 2]);
    const y = tensor([...y1.dataSync(), ...y2.dataSync()], [8, 1]);
    const direct = await m.evaluate(x, y, { verbose: 0, batchSize: 8 });
    expect(fromIt['loss']).toBeCloseTo(direct['loss'] as number, 6);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const p = await m.predict(new ArrayIterator(batches, true), { verbose: 0 });
    expect(p.shape).toEqual([8, 1]);
    expect(warn.mock.calls[0]?.[0]).toMatch(/shuffles its samples \(shuffle=true\).*shuffle: false/);
    warn.mockRestore();
    const onlyX = await m.predict(new ArrayIterator([[x1], [x2]]), { verbose: 0 });
    expect(Array.from(onlyX.dataSync())).toEqual(Array.from(p.dataSync()));
  });

  it('rejects malformed batches and options that need tensors', async () => {
    const m = model();
    await expect(m.fit(new ArrayIterator([[data(2)[0]]]), { verbose: 0 })).rejects.toThrow(/yielded \[x\] without targets/);
    await expect(m.fit(new ArrayIterator([data(2)]), { sampleWeight: tensor([1, 1]), verbose: 0 })).rejects.toThrow(
      /sampleWeight is not supported when training from an iterator/,
    );
    const [x] = data(2);
    await expect(m.fit(new ArrayIterator([data(2)]), x as never)).rejects.toThrow();
  });

  it('calls reset() before starting a pass again', async () => {
    const it = new ArrayIterator([data(4)]);
    const m = model();
    await m.fit(it, { epochs: 2, verbose: 0, callbacks: [new callbacks.TerminateOnNaN()] });
    expect(it.resets).toBe(2);
  });
});
