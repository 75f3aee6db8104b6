import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  callbacks,
  Input,
  layers,
  Model,
  optimizers,
  regularizers,
  Sequential,
  setSeed,
  setTrainingOutput,
  type Tensor,
  tensor,
  utils,
} from '../../src/index.js';
import { describeEachBackend } from '../helpers/backends.js';

/** Two Gaussian blobs per class in 4-D: learnable in a few epochs. */
function blobs(n: number, classes = 3, seed = 5): { x: Tensor; y: Tensor; labels: number[] } {
  let s = seed;
  const rand = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 4294967296;
  };
  const x = new Float32Array(n * 4);
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % classes;
    labels.push(c);
    for (let j = 0; j < 4; j++) x[i * 4 + j] = (j === c ? 2 : 0) + (rand() - 0.5) * 1.5;
  }
  return { x: tensor(x, [n, 4]), y: tensor(labels, [n], 'int32'), labels };
}

function mlp(units = 3): Sequential {
  return new Sequential([
    new layers.Dense(8, { activation: 'relu', inputShape: [4] }),
    new layers.Dense(units, { activation: 'softmax' }),
  ]);
}

let printed = '';
beforeEach(() => {
  printed = '';
  setTrainingOutput({ write: (s) => (printed += s), isTTY: false });
  setSeed(42);
});
afterEach(() => setTrainingOutput(null));

describeEachBackend('fit, evaluate, predict', () => {
  it('learns, returns a History, and evaluates and predicts in batches', async () => {
    const { x, y } = blobs(120);
    const model = mlp();
    model.compile({
      optimizer: new optimizers.Adam({ learningRate: 0.05 }),
      loss: 'sparse_categorical_crossentropy',
      metrics: ['accuracy'],
    });
    const history = await model.fit(x, y, { epochs: 8, batchSize: 16, verbose: 0 });
    expect(history.epoch).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(Object.keys(history.history)).toEqual(['loss', 'accuracy']);
    expect(history.history['accuracy']?.at(-1)).toBeGreaterThan(0.9);
    expect(model.history).toBe(history);
    expect(model.metricsNames).toEqual(['loss', 'accuracy']);
    const result = await model.evaluate(x, y, { verbose: 0, batchSize: 50 });
    expect(result['accuracy']).toBeGreaterThan(0.9);
    const p = await model.predict(x, { batchSize: 7, verbose: 0 });
    expect(p.shape).toEqual([120, 3]);
    // batched prediction equals one big batch
    const whole = model.predictOnBatch(x);
    expect(Array.from(p.dataSync())).toEqual(Array.from(whole.dataSync()));
    expect(p.requiresGrad).toBe(false);
  });

  it("resolves 'accuracy' to categorical accuracy for one-hot labels", async () => {
    const { x, labels } = blobs(60);
    const model = mlp();
    model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy', 'top_k_categorical_accuracy'] });
    const logs = await model.trainOnBatch(x, utils.toCategorical(labels, 3));
    expect(Object.keys(logs)).toEqual(['loss', 'accuracy', 'top_k_categorical_accuracy']);
    expect(logs['top_k_categorical_accuracy']).toBe(1);
    const test = await model.testOnBatch(x, utils.toCategorical(labels, 3));
    expect(test['loss']).toBeGreaterThan(0);
  });

  it('validationSplit holds out the last fraction before shuffling', async () => {
    const { x, y } = blobs(100);
    const model = mlp();
    model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const history = await model.fit(x, y, { epochs: 1, batchSize: 10, validationSplit: 0.25, verbose: 0 });
    const xs = x.dataSync();
    const last = tensor(xs.slice(75 * 4), [25, 4]);
    const lastY = tensor(y.dataSync().slice(75), [25], 'int32');
    const direct = await model.evaluate(last, lastY, { verbose: 0 });
    expect(history.history['val_loss']?.[0]).toBeCloseTo(direct['loss'] as number, 6);
    expect(history.history['val_accuracy']?.[0]).toBeCloseTo(direct['accuracy'] as number, 6);
  });

  it('validationData and validationFreq produce val_* logs on the right epochs', async () => {
    const { x, y } = blobs(40);
    const model = mlp();
    model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const seen: string[][] = [];
    await model.fit(x, y, {
      epochs: 4,
      validationData: [x, y],
      validationFreq: 2,
      verbose: 0,
      callbacks: [new callbacks.LambdaCallback({ onEpochEnd: (_e, logs) => void seen.push(Object.keys(logs ?? {})) })],
    });
    expect(seen[0]).toEqual(['loss', 'accuracy']);
    expect(seen[1]).toEqual(['loss', 'accuracy', 'val_loss', 'val_accuracy']);
  });

  it('initialEpoch skips epochs and counts them', async () => {
    const { x, y } = blobs(30);
    const model = mlp();
    model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
    const history = await model.fit(x, y, { epochs: 5, initialEpoch: 3, verbose: 0 });
    expect(history.epoch).toEqual([3, 4]);
  });

  it('classWeight equals the matching sampleWeight', async () => {
    const { x, y, labels } = blobs(60);
    const a = mlp();
    const b = mlp();
    b.setWeights(a.getWeights());
    a.compile({ optimizer: new optimizers.SGD({ learningRate: 0.1 }), loss: 'sparse_categorical_crossentropy' });
    b.compile({ optimizer: new optimizers.SGD({ learningRate: 0.1 }), loss: 'sparse_categorical_crossentropy' });
    const weights = { 0: 2, 1: 0.5, 2: 1 };
    await a.fit(x, y, { epochs: 2, batchSize: 16, shuffle: false, classWeight: weights, verbose: 0 });
    const sw = tensor(labels.map((l) => weights[l as 0 | 1 | 2]));
    await b.fit(x, y, { epochs: 2, batchSize: 16, shuffle: false, sampleWeight: sw, verbose: 0 });
    a.getWeights().forEach((w, i) => {
      expect(Array.from(w.dataSync())).toEqual(Array.from((b.getWeights()[i] as Tensor).dataSync()));
    });
    await expect(a.fit(x, y, { classWeight: { 0: 1, 1: 1 }, verbose: 0 })).rejects.toThrow(
      /classWeight has no entry for class 2/,
    );
  });

  it('adds regularization losses and applies constraints after each update', async () => {
    const { x, y } = blobs(30);
    const model = new Sequential([
      new layers.Dense(5, { inputShape: [4], kernelRegularizer: new regularizers.L2({ l2: 0.5 }), kernelConstraint: 'non_neg' }),
      new layers.Dense(3, { activation: 'softmax' }),
    ]);
    model.compile({ optimizer: new optimizers.SGD({ learningRate: 0.5 }), loss: 'sparse_categorical_crossentropy' });
    const plain = await model.testOnBatch(x, y);
    const kernel = model.getWeights()[0] as Tensor;
    let penalty = 0;
    for (const v of kernel.dataSync()) penalty += 0.5 * v * v;
    const { noGrad } = await import('../../src/index.js');
    const pure = noGrad(() => {
      const p = model.predictOnBatch(x);
      let s = 0;
      const pv = p.dataSync();
      y.dataSync().forEach((label, i) => {
        s -= Math.log(Math.min(Math.max(pv[i * 3 + label] as number, 1e-7), 1 - 1e-7));
      });
      return s / 30;
    });
    expect(plain['loss']).toBeCloseTo(pure + penalty, 4);
    await model.fit(x, y, { epochs: 3, batchSize: 10, verbose: 0 });
    expect(Math.min(...(model.getWeights()[0] as Tensor).dataSync())).toBeGreaterThanOrEqual(0);
  });

  it('trains a multi-output model with per-output losses, weights and names', async () => {
    const { x, y, labels } = blobs(40);
    const input = Input({ shape: [4] });
    const hidden = new layers.Dense(6, { activation: 'relu', name: 'hidden' }).apply(input);
    const cls = new layers.Dense(3, { activation: 'softmax', name: 'cls' }).apply(hidden);
    const reg = new layers.Dense(1, { name: 'reg' }).apply(hidden);
    const model = new Model({ inputs: input, outputs: [cls, reg] });
    model.compile({
      optimizer: 'adam',
      loss: { cls: 'sparse_categorical_crossentropy', reg: 'mse' },
      lossWeights: { cls: 1, reg: 0.5 },
      metrics: { cls: ['accuracy'], reg: ['mae'] },
    });
    const target = tensor(
      labels.map((l) => l * 0.5),
      [40, 1],
    );
    const history = await model.fit(x, [y, target], { epochs: 2, batchSize: 8, verbose: 0 });
    expect(Object.keys(history.history)).toEqual(['loss', 'cls_loss', 'reg_loss', 'cls_accuracy', 'reg_mae']);
    const h = history.history;
    const total = (h['cls_loss']?.[1] as number) + 0.5 * (h['reg_loss']?.[1] as number);
    expect(h['loss']?.[1]).toBeCloseTo(total, 5);
    const outs = await model.predictMulti(x, { verbose: 0 });
    expect(outs.map((o) => o.shape)).toEqual([
      [40, 3],
      [40, 1],
    ]);
    await expect(model.predict(x)).rejects.toThrow(/has 2 outputs; use predictMulti/);
  });

  it('prints Keras 2 progress: one line per epoch off a terminal', async () => {
    const { x, y } = blobs(40);
    const model = mlp();
    model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    await model.fit(x, y, { epochs: 2, batchSize: 10, validationData: [x, y] });
    const lines = printed.split('\n');
    expect(lines[0]).toBe('Epoch 1/2');
    expect(lines[1]).toMatch(
      /^4\/4 \[==============================\] - \d+s \d+(ms|us)\/step - loss: \d\.\d{4} - accuracy: \d\.\d{4} - val_loss: \d\.\d{4} - val_accuracy: \d\.\d{4}$/,
    );
    expect(lines[2]).toBe('Epoch 2/2');
    printed = '';
    await model.fit(x, y, { epochs: 1, batchSize: 10, verbose: 2 });
    expect(printed).toMatch(/^4\/4 - \d+s - loss: \d\.\d{4} - accuracy: \d\.\d{4} - \d+(s|ms|us)\/epoch - \d+(s|ms|us)\/step\n$/);
    printed = '';
    await model.evaluate(x, y, { batchSize: 20 });
    expect(printed).toMatch(
      /^2\/2 \[==============================\] - \d+s \d+(ms|us)\/step - loss: \d\.\d{4} - accuracy: \d\.\d{4}\n$/,
    );
  });

  it('stops when a callback sets stopTraining', async () => {
    const { x, y } = blobs(40);
    const model = mlp();
    model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
    let batches = 0;
    const stopper = new callbacks.LambdaCallback({
      onTrainBatchEnd: () => {
        batches++;
        if (batches === 3) model.stopTraining = true;
      },
    });
    const h = await model.fit(x, y, { epochs: 5, batchSize: 4, verbose: 0, callbacks: [stopper] });
    expect(batches).toBe(3);
    expect(h.epoch).toEqual([0]);
  });
});

describe('bad input fails before any step', () => {
  async function expectNoStep(run: (m: Sequential) => Promise<unknown>, message: RegExp): Promise<void> {
    const model = mlp();
    const before = model.getWeights().map((w) => Array.from(w.dataSync()));
    await expect(run(model)).rejects.toThrow(message);
    expect(model.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(before);
  }

  it('fit before compile', async () => {
    const { x, y } = blobs(20);
    await expectNoStep((m) => m.fit(x, y), /You must call compile\(\) before using the model/);
    await expect(mlp().evaluate(x, y)).rejects.toThrow(/You must call compile\(\)/);
  });

  it('mismatched x and y lengths', async () => {
    const { x } = blobs(20);
    await expectNoStep(async (m) => {
      m.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
      return m.fit(x, tensor(new Array(19).fill(0), [19], 'int32'));
    }, /data cardinality is ambiguous.*'x' sizes: 20, 'y' sizes: 19/);
  });

  it('sparse labels with a categorical loss, and one-hot labels with a sparse loss', async () => {
    const { x, y, labels } = blobs(20);
    await expectNoStep(async (m) => {
      m.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy' });
      return m.fit(x, y);
    }, /categorical_crossentropy: labels of shape \[null\] do not match predictions of shape \[null, 3\].*sparse_categorical_crossentropy.*toCategorical\(y, 3\)/);
    await expectNoStep(async (m) => {
      m.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
      return m.fit(x, utils.toCategorical(labels, 3));
    }, /look like one-hot labels/);
    await expectNoStep(async (m) => {
      m.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
      return m.fit(
        x,
        tensor(
          labels.map((l) => l + 5),
          [20],
          'int32',
        ),
      );
    }, /label value of 5 \(at index 0\) which is outside the valid range of \[0, 3\)/);
  });

  it('inputs that do not fit the model, and unknown options', async () => {
    const { y } = blobs(20);
    await expectNoStep(async (m) => {
      m.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
      return m.fit(tensor(new Array(100).fill(0), [20, 5]), y);
    }, /input .* expects data of shape \[None, 4\], but received an array of shape \[20, 5\]/);
    await expectNoStep(async (m) => {
      m.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
      return m.fit(blobs(20).x, y, { epoch: 3 } as never);
    }, /unknown option 'epoch'/);
    expect(() => mlp().compile({ optimizer: 'sgd', loss: 'crossentropy' })).toThrow(
      /Could not interpret loss identifier: 'crossentropy'/,
    );
    expect(() => mlp().compile({ optimizer: 'sgd', loss: 'mse', metric: ['accuracy'] } as never)).toThrow(
      /unknown option 'metric'/,
    );
  });
});
