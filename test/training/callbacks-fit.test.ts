/** Callbacks tested by what they do to a real training run (and, for checkpoints, real files). */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callbacks, layers, optimizers, Sequential, setSeed, setTrainingOutput, type Tensor, tensor } from '../../src/index.js';
import { loadModel } from '../../src/saving/api.js';

function dataset(n: number, seed: number): { x: Tensor; y: Tensor } {
  let s = seed;
  const rand = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 4294967296 - 0.5;
  };
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = rand() * 4;
    const b = rand() * 4;
    x.push(a, b);
    y.push(a * b > 0 ? 1 : 0);
  }
  return { x: tensor(x, [n, 2]), y: tensor(y, [n], 'int32') };
}

function model(): Sequential {
  const m = new Sequential([
    new layers.Dense(8, { activation: 'tanh', inputShape: [2] }),
    new layers.Dense(2, { activation: 'softmax' }),
  ]);
  m.compile({
    optimizer: new optimizers.SGD({ learningRate: 0.2 }),
    loss: 'sparse_categorical_crossentropy',
    metrics: ['accuracy'],
  });
  return m;
}

/** Good steps for 3 epochs, then a learning rate large enough to make validation loss worse. */
const diverge = () => new callbacks.LearningRateScheduler((epoch) => (epoch < 3 ? 0.2 : 25));

const train = dataset(64, 1);
const val = dataset(32, 2);
let dir: string;
let printed: string;

beforeEach(() => {
  setSeed(11);
  dir = mkdtempSync(join(tmpdir(), 'capa-fit-cb-'));
  printed = '';
  setTrainingOutput({ write: (s) => (printed += s), isTTY: false });
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  setTrainingOutput(null);
});

function argmin(values: number[]): number {
  return values.indexOf(Math.min(...values));
}

describe('callbacks in fit', () => {
  it("ModelCheckpoint(saveBestOnly) leaves the best epoch's model in the file", async () => {
    const m = model();
    const file = join(dir, 'best.keras');
    const history = await m.fit(train.x, train.y, {
      epochs: 6,
      batchSize: 16,
      validationData: [val.x, val.y],
      verbose: 0,
      callbacks: [
        diverge(),
        new callbacks.ModelCheckpoint({ filepath: file, monitor: 'val_loss', saveBestOnly: true, verbose: 1 }),
      ],
    });
    const valLoss = history.history['val_loss'] as number[];
    const best = argmin(valLoss);
    expect(best).toBeLessThan(5); // the run got worse after its best epoch, so the last epoch is not the best
    const restored = await loadModel(file);
    const result = await restored.evaluate(val.x, val.y, { verbose: 0 });
    expect(result['loss']).toBeCloseTo(valLoss[best] as number, 5);
    expect(printed).toContain(
      `\nEpoch 1: val_loss improved from inf to ${(valLoss[0] as number).toFixed(5)}, saving model to ${file}\n`,
    );
    expect(printed).toContain(`did not improve from ${(valLoss[best] as number).toFixed(5)}`);
    // the restored model is compiled from the saved config and keeps training
    await restored.fit(train.x, train.y, { epochs: 1, verbose: 0 });
  });

  it('ModelCheckpoint with a template and weights only writes one file per epoch', async () => {
    const m = model();
    await m.fit(train.x, train.y, {
      epochs: 3,
      batchSize: 16,
      validationData: [val.x, val.y],
      verbose: 0,
      callbacks: [
        new callbacks.ModelCheckpoint({ filepath: join(dir, 'w.{epoch:02d}-{val_loss:.2f}.weights.h5'), saveWeightsOnly: true }),
      ],
    });
    const files = readdirSync(dir).sort();
    expect(files).toHaveLength(3);
    expect(files[0]).toMatch(/^w\.01-\d\.\d\d\.weights\.h5$/);
    const fresh = model();
    await fresh.loadWeights(join(dir, files[2] as string));
    expect(fresh.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(m.getWeights().map((w) => Array.from(w.dataSync())));
  });

  it('EarlyStopping stops at the right epoch and restores the best weights', async () => {
    const m = model();
    const es = new callbacks.EarlyStopping({ monitor: 'val_loss', patience: 2, restoreBestWeights: true, verbose: 1 });
    const history = await m.fit(train.x, train.y, {
      epochs: 20,
      batchSize: 16,
      validationData: [val.x, val.y],
      verbose: 0,
      callbacks: [diverge(), es],
    });
    const valLoss = history.history['val_loss'] as number[];
    const best = argmin(valLoss);
    // patience 2: the run ends two epochs after the last improvement
    expect(history.epoch.length).toBe(best + 3);
    expect(es.stoppedEpoch).toBe(best + 2);
    const after = await m.evaluate(val.x, val.y, { verbose: 0 });
    expect(after['loss']).toBeCloseTo(valLoss[best] as number, 5);
    expect(printed).toBe(
      `Epoch ${best + 3}: early stopping\nRestoring model weights from the end of the best epoch: ${best + 1}.\n`,
    );
  });

  it('TerminateOnNaN stops at the batch whose loss is not finite', async () => {
    const x = Array.from(train.x.dataSync());
    x[2 * 13] = Number.NaN; // sample 13 is in batch 3 (batch size 4, no shuffling)
    const m = model();
    let batches = 0;
    const history = await m.fit(tensor(x, [64, 2]), train.y, {
      epochs: 3,
      batchSize: 4,
      shuffle: false,
      verbose: 0,
      callbacks: [new callbacks.LambdaCallback({ onTrainBatchEnd: () => void batches++ }), new callbacks.TerminateOnNaN()],
    });
    expect(batches).toBe(4);
    expect(history.epoch).toEqual([0]);
    expect(Number.isNaN(history.history['loss']?.[0])).toBe(true);
    expect(printed).toBe('Batch 3: Invalid loss, terminating training\n');
  });

  it('CSVLogger and ReduceLROnPlateau log every epoch', async () => {
    const m = model();
    const csv = join(dir, 'training.csv');
    await m.fit(train.x, train.y, {
      epochs: 4,
      batchSize: 16,
      validationData: [val.x, val.y],
      verbose: 0,
      callbacks: [
        diverge(),
        new callbacks.ReduceLROnPlateau({ monitor: 'val_loss', factor: 0.5, patience: 1, minDelta: 0 }),
        new callbacks.CSVLogger(csv),
      ],
    });
    const rows = readFileSync(csv, 'utf8').trimEnd().split('\r\n');
    expect(rows[0]).toBe('epoch,accuracy,learning_rate,loss,val_accuracy,val_loss');
    expect(rows).toHaveLength(5);
    expect(rows.slice(1).map((r) => r.split(',')[0])).toEqual(['0', '1', '2', '3']);
  });
});
