/**
 * Issue 18, defects 7, 8 and 9 on fit / evaluate / predict:
 * - `fit(null)` gave `TypeError: Cannot convert undefined or null to object`;
 * - fit on 0 samples returned loss 0, evaluate a loss of 0 and predict `undefined` (Keras refuses
 *   empty data: "Expected input data to be non-empty");
 * - two fits on one model interleaved silently (shared metric state);
 * - fit never yielded to the event loop (0 ticks of a 10 ms timer during a 700 ms fit).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import * as capa from '../../src/index.js';

function classifier(): capa.Sequential {
  capa.setSeed(7);
  const model = new capa.Sequential([new capa.layers.Dense(3, { inputShape: [4], activation: 'softmax' })]);
  model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  return model;
}

const x = capa.randomNormal([64, 4]);
const y = capa.tensor(
  Array.from({ length: 64 }, (_, i) => i % 3),
  [64],
);
const call = (f: () => unknown) => (f as () => Promise<unknown>)();

describe('bad arguments to fit / evaluate / predict (issue 18, defects 7 and 9)', () => {
  let model: capa.Sequential;
  beforeEach(() => {
    model = classifier();
  });

  it('says what fit takes when given null, not a TypeError', async () => {
    const m = model as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    for (const args of [[null], [null, null], [], [{}, {}]]) {
      const error = await call(() => m.fit?.apply(model, args)).catch((e: Error) => e);
      expect(error).not.toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(
        /^fit: x must be a Tensor, a list of Tensors .* received (null|undefined|an object)\. Call model\.fit\(x, y/,
      );
    }
    await expect(call(() => m.fit?.call(model, x, null))).rejects.toThrow(/^fit: y must be a Tensor, received null/);
    await expect(call(() => m.fit?.call(model, x, y, 5))).rejects.toThrow(
      /^fit: the options must be an object; received a number/,
    );
    await expect(call(() => m.evaluate?.call(model, null))).rejects.toThrow(/^evaluate: x must be a Tensor.* received null/);
    await expect(call(() => m.predict?.call(model, null))).rejects.toThrow(/^predict: x must be a Tensor.* received null/);
  });

  it('refuses 0 samples in fit, its validation data, evaluate and predict, as Keras does', async () => {
    const empty = capa.zeros([0, 4]);
    const none = capa.zeros([0]);
    const nonEmpty = /expected input data to be non-empty; 'x' has 0 samples/;
    await expect(model.fit(empty, none, { verbose: 0 })).rejects.toThrow(new RegExp(`^fit: ${nonEmpty.source}`));
    await expect(model.fit(x, y, { verbose: 0, validationData: [empty, none] })).rejects.toThrow(
      new RegExp(`^fit \\(validationData\\): ${nonEmpty.source}`),
    );
    await expect(model.evaluate(empty, none, { verbose: 0 })).rejects.toThrow(new RegExp(`^evaluate: ${nonEmpty.source}`));
    await expect(model.predict(empty, { verbose: 0 })).rejects.toThrow(new RegExp(`^predict: ${nonEmpty.source}`));
  });
});

describe('concurrency and responsiveness of fit (issue 18, defect 8)', () => {
  it('refuses a second fit, and evaluate, while a fit runs; the first fit is unharmed', async () => {
    const model = classifier();
    const alone = classifier();
    const first = model.fit(x, y, { epochs: 3, batchSize: 8, verbose: 0, shuffle: false });
    await expect(model.fit(x, y, { verbose: 0 })).rejects.toThrow(/^fit: model "sequential_\d+" is running fit\(\) now/);
    await expect(model.evaluate(x, y, { verbose: 0 })).rejects.toThrow(/^evaluate: .* running fit\(\) now.*validationData/);
    await expect(model.trainOnBatch(x, y)).rejects.toThrow(/^trainOnBatch: .* running fit\(\) now/);
    const history = await first;
    const reference = await alone.fit(x, y, { epochs: 3, batchSize: 8, verbose: 0, shuffle: false });
    expect(history.history).toEqual(reference.history);
    // Once it has finished, the model takes new calls.
    expect((await model.evaluate(x, y, { verbose: 0 })).loss).toBeGreaterThan(0);
  });

  it('lets predict run during fit on one set of weights: fit waits for it between steps', async () => {
    const model = classifier();
    let predicted: capa.Tensor | null = null;
    let expected: capa.Tensor | null = null;
    class PredictMidway extends capa.callbacks.Callback {
      override onTrainBatchEnd(batch: number): void {
        if (batch !== 2) return;
        // Started from outside fit's callbacks' await chain: fit's next steps run meanwhile unless it waits.
        expected = model.predictOnBatch(x);
        void model.predict(x, { batchSize: 4, verbose: 0 }).then((p) => {
          predicted = p;
        });
      }
    }
    await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0, callbacks: [new PredictMidway()] });
    expect(predicted).not.toBeNull();
    const got = Array.from((predicted as unknown as capa.Tensor).dataSync());
    const want = Array.from((expected as unknown as capa.Tensor).dataSync());
    // Batching may round differently (~1e-7); a training step in between moves the outputs by ~1e-3.
    const worst = Math.max(...want.map((v, i) => Math.abs(v - (got[i] as number))));
    expect(worst).toBeLessThan(1e-5);
  });

  it('gives a 10 ms timer its turns during fit (it got none)', async () => {
    const model = classifier();
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    class Slow extends capa.callbacks.Callback {
      override onTrainBatchEnd(): void {
        // At least 4 ms per step without giving the event loop a turn: 64 steps take over 250 ms,
        // five times fit's longest stretch without a turn (50 ms).
        const until = performance.now() + 4;
        while (performance.now() < until) {}
      }
    }
    let ticksDuringFit = 0;
    try {
      await model.fit(x, y, { epochs: 1, batchSize: 1, verbose: 0, callbacks: [new Slow()] });
      ticksDuringFit = ticks;
    } finally {
      clearInterval(timer);
    }
    expect(ticksDuringFit).toBeGreaterThanOrEqual(2);
  });
});
