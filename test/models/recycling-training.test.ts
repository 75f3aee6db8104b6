/**
 * Recycling while training: the backward pass recycles gradients once used
 * (autograd/backward.ts) and a training step recycles its forward intermediates when it ends
 * (models/recycling.ts). With output storage poisoned (NaN-filled whenever an op takes it), a
 * buffer recycled while still needed would change the numbers; everything must equal, bit for
 * bit, the same run with recycling switched off.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as capa from '../../src/index.js';
import { setStoragePoisoning, setStorageRecycling } from '../../src/tensor/storage-pool.js';
import { describeEachBackend } from '../helpers/backends.js';
import { pooledStorage } from '../helpers/pooled-storage.js';

const { Input, Model, Sequential, layers: L, ops } = capa;
type Tensor = capa.Tensor;

function withRecycling<T>(on: boolean, run: () => T): T {
  const previous = setStorageRecycling(on);
  try {
    return run();
  } finally {
    setStorageRecycling(previous);
  }
}

async function withRecyclingAsync<T>(on: boolean, run: () => Promise<T>): Promise<T> {
  const previous = setStorageRecycling(on);
  try {
    return await run();
  } finally {
    setStorageRecycling(previous);
  }
}

/** Conv + batch norm + dropout (training mode), a shortcut Add, a nested Sequential, shared and wide Dense. */
function buildModel(): capa.Model {
  capa.clearSession();
  capa.setSeed(11);
  const x = Input({ shape: [8, 8, 4] });
  let h = new L.Conv2D(8, 3, { padding: 'same' }).apply(x);
  h = new L.BatchNormalization().apply(h);
  h = new L.ReLU().apply(h);
  h = new L.Dropout(0.25, { seed: 5 }).apply(h);
  const inner = new Sequential([
    new L.Conv2D(8, 3, { padding: 'same', inputShape: [8, 8, 8] }),
    new L.BatchNormalization(),
    new L.Activation('relu'),
  ]);
  h = new L.Add().apply([inner.apply(h), new L.Reshape([8, 8, 8]).apply(new L.Flatten().apply(h))]);
  const pooled = new L.GlobalAveragePooling2D().apply(h);
  const shared = new L.Dense(8, { activation: 'relu' });
  const head = new L.Dense(5).apply(new L.Add().apply([shared.apply(pooled), shared.apply(pooled)]));
  // A 512 x 5 kernel: a gradient big enough for the pool.
  const wide = new L.Dense(5).apply(new L.Flatten().apply(h));
  const y = new L.Activation('softmax').apply(new L.Add().apply([head, wide]));
  const model = new Model({ inputs: x, outputs: y });
  model.compile({
    optimizer: new capa.optimizers.SGD({ learningRate: 0.05, momentum: 0.9 }),
    loss: 'categorical_crossentropy',
    metrics: ['accuracy'],
  });
  return model;
}

function batch(seed: number): { x: Tensor; y: Tensor } {
  const x = ops.mul(capa.randomNormal([4, 8, 8, 4], { seed }), 1);
  const labels = capa.tensor(
    Int32Array.from({ length: 4 }, (_, i) => (i + seed) % 5),
    [4],
  );
  return { x, y: capa.utils.toCategorical(labels, 5) };
}

const weightsOf = (model: capa.Model): number[][] => model.getWeights().map((w) => Array.from(w.dataSync()));

describeEachBackend('recycling while training', () => {
  let previousPoison = false;
  beforeAll(() => {
    previousPoison = setStoragePoisoning(true);
  });
  afterAll(() => {
    setStoragePoisoning(previousPoison);
  });

  it('trainOnBatch: losses, metrics, weights and later predictions equal a run without recycling', async () => {
    const run = (recycle: boolean) =>
      withRecyclingAsync(recycle, async () => {
        const model = buildModel();
        const logs: Record<string, number>[] = [];
        for (let step = 0; step < 4; step++) {
          const { x, y } = batch(step % 2);
          logs.push(await model.trainOnBatch(x, y));
        }
        const predictions = Array.from(model.predictOnBatch(batch(9).x).dataSync());
        return { logs, weights: weightsOf(model), predictions, pooled: pooledStorage().arrays };
      });
    const plain = await run(false);
    const recycled = await run(true);
    expect(recycled.pooled).toBeGreaterThan(0);
    expect(recycled.logs).toEqual(plain.logs);
    expect(recycled.weights).toEqual(plain.weights);
    expect(recycled.predictions).toEqual(plain.predictions);
  });

  it('fit with validation data: the same history and weights as without recycling', async () => {
    const data = [0, 1, 2].map(batch);
    const x = ops.concat(
      data.map((d) => d.x),
      0,
    );
    const y = ops.concat(
      data.map((d) => d.y),
      0,
    );
    const run = (recycle: boolean) =>
      withRecyclingAsync(recycle, async () => {
        const model = buildModel();
        const history = await model.fit(x, y, { epochs: 2, batchSize: 4, shuffle: false, verbose: 0, validationData: [x, y] });
        return { history: history.history, weights: weightsOf(model) };
      });
    const plain = await run(false);
    expect(await run(true)).toEqual(plain);
  });

  it('a custom layer that stashes its input and output in `this` while training: same results, a clear error on a stale read', async () => {
    /** Keeps the latest input and output; on each call, reads the previous ones. */
    class StashBoth extends capa.Layer {
      static override readonly className: string = 'StashBoth';
      lastInput: Tensor | null = null;
      // Declares its shape, so building the model does not run call (the inferred shape would run it on zeros).
      override computeOutputShape(inputShape: capa.SymbolicShape): capa.SymbolicShape {
        return inputShape.slice();
      }
      lastOutput: Tensor | null = null;
      readonly reads: string[] = [];
      override call(input: Tensor): Tensor {
        for (const t of [this.lastInput, this.lastOutput]) {
          if (t === null) continue;
          try {
            this.reads.push(t.dataSync().every(Number.isFinite) ? 'intact' : 'poisoned');
          } catch (e) {
            this.reads.push((e as Error).message);
          }
        }
        const y = ops.tanh(input);
        this.lastInput = input;
        this.lastOutput = y;
        return y;
      }
    }
    const run = (recycle: boolean) =>
      withRecyclingAsync(recycle, async () => {
        capa.clearSession();
        capa.setSeed(3);
        const stash = new StashBoth();
        const model = new Sequential([
          new L.Conv2D(8, 3, { padding: 'same', inputShape: [8, 8, 4] }),
          stash,
          new L.Conv2D(8, 3, { padding: 'same' }),
          new L.Flatten(),
          new L.Dense(5, { activation: 'softmax' }),
        ]);
        model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy' });
        const losses: number[] = [];
        for (let step = 0; step < 3; step++) losses.push((await model.trainOnBatch(batch(step).x, batch(step).y)).loss as number);
        return { losses, weights: weightsOf(model), reads: stash.reads };
      });
    const plain = await run(false);
    const recycled = await run(true);
    expect(recycled.losses).toEqual(plain.losses);
    expect(recycled.weights).toEqual(plain.weights);
    expect(plain.reads.every((r) => r === 'intact')).toBe(true);
    // The previous step's input and output went back to the pool when that step ended.
    expect(recycled.reads.length).toBe(4);
    for (const r of recycled.reads) {
      expect(r).toMatch(
        /^Tensor \d+ of shape \[4, 8, 8, 8\] can no longer be read: its storage was recycled by the training step of model "sequential/,
      );
    }
  });

  it('a loss or metric that keeps the predictions sees them intact, cut from the recycled graph', async () => {
    const keptByMetric: Tensor[] = [];
    const keptByLoss: Tensor[] = [];
    const model = buildModel();
    model.compile({
      optimizer: 'sgd',
      loss: (yTrue: Tensor, yPred: Tensor) => {
        keptByLoss.push(yPred);
        return capa.losses.categoricalCrossentropy(yTrue, yPred);
      },
      metrics: [
        (yTrue: Tensor, yPred: Tensor) => {
          keptByMetric.push(yPred);
          return ops.mean(ops.sub(yTrue, yPred), -1);
        },
      ],
    });
    const { x, y } = batch(1);
    await model.trainOnBatch(x, y);
    const first = Array.from((keptByLoss[0] as Tensor).dataSync());
    for (let i = 0; i < 3; i++) await model.trainOnBatch(batch(2 + i).x, batch(2 + i).y);
    expect(Array.from((keptByLoss[0] as Tensor).dataSync())).toEqual(first);
    expect(keptByMetric[0]).toBe(keptByLoss[0]);
    expect(keptByLoss[0]?.gradNode).toBeNull();
  });

  it('forward passes a step does not own (the model again, another model in a loss) keep their graphs intact', async () => {
    const model = buildModel();
    const teacher = new Sequential([
      new L.Conv2D(8, 3, { padding: 'same', activation: 'relu', inputShape: [8, 8, 4] }),
      new L.Conv2D(8, 3, { padding: 'same' }),
      new L.GlobalAveragePooling2D(),
      new L.Dense(5, { activation: 'softmax' }),
    ]);
    let current = batch(0).x;
    const kept: Tensor[] = [];
    model.compile({
      optimizer: 'sgd',
      loss: (yTrue: Tensor, yPred: Tensor) => {
        const again = model.apply(current, { training: true });
        const soft = teacher.apply(current);
        kept.push(again, soft);
        return ops.add(capa.losses.categoricalCrossentropy(yTrue, yPred), ops.mean(ops.square(ops.sub(again, soft)), -1));
      },
    });
    /** Every tensor reachable through the kept tensors' gradient history (weights change: not them), with its values. */
    const reachable = (roots: readonly Tensor[]): [Tensor, number[]][] => {
      const seen = new Set<Tensor>();
      const stack = [...roots];
      for (let t = stack.pop(); t !== undefined; t = stack.pop()) {
        if (seen.has(t)) continue;
        seen.add(t);
        stack.push(...(t.gradNode?.inputs ?? []));
      }
      return [...seen].filter((t) => !(t instanceof capa.Variable)).map((t) => [t, Array.from(t.dataSync())]);
    };
    await model.trainOnBatch(current, batch(0).y);
    const snapshot = reachable(kept);
    expect(snapshot.length).toBeGreaterThan(10);
    for (let i = 1; i < 4; i++) {
      current = batch(i).x;
      await model.trainOnBatch(current, batch(i).y);
    }
    for (const [t, values] of snapshot) expect(Array.from(t.dataSync())).toEqual(values);
  });

  it('an optimizer subclass that keeps its gradients keeps them intact', async () => {
    class KeepingSGD extends capa.optimizers.SGD {
      readonly kept: Float32Array[] = [];
      protected override updateStep(grad: Float32Array, param: Float32Array, slots: Float32Array[], lr: number): void {
        this.kept.push(grad);
        super.updateStep(grad, param, slots, lr);
      }
    }
    const optimizer = new KeepingSGD({ learningRate: 0.01 });
    // A kernel of 256 x 64: gradients big enough to be pooled.
    const model = new Sequential([
      new L.Flatten({ inputShape: [8, 8, 4] }),
      new L.Dense(64, { activation: 'relu' }),
      new L.Dense(5, { activation: 'softmax' }),
    ]);
    model.compile({ optimizer, loss: 'categorical_crossentropy' });
    await model.trainOnBatch(batch(0).x, batch(0).y);
    const first = optimizer.kept.map((g) => Array.from(g));
    for (let i = 1; i < 4; i++) await model.trainOnBatch(batch(i).x, batch(i).y);
    first.forEach((values, i) => {
      expect(Array.from(optimizer.kept[i] as Float32Array)).toEqual(values);
    });
  });

  it('gradients of functions with views, identities and reused values equal those without recycling', () => {
    const a = ops.mul(capa.randomNormal([16, 128], { seed: 1 }), 1);
    const b = ops.mul(capa.randomNormal([16, 128], { seed: 2 }), 1);
    const f = (p: Tensor, q: Tensor): Tensor => {
      const s = ops.add(p, q);
      const view = ops.reshape(s, [128, 16]);
      const back = ops.reshape(ops.relu(view), [16, 128]);
      const twice = ops.mul(back, back);
      return ops.sum(ops.add(ops.mul(twice, p), ops.cast(ops.tanh(ops.add(s, twice)), 'float32')));
    };
    const run = (recycle: boolean) =>
      withRecycling(recycle, () => capa.valueAndGrads(f)([a, b])).grads.map((g) => Array.from(g.dataSync()));
    const plain = run(false);
    const recycled = run(true);
    expect(recycled).toEqual(plain);
    // And again, drawing on the storage the first pass handed back.
    expect(run(true)).toEqual(plain);
  });
});
