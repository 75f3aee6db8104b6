import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Tensor, tensor } from '../../src/index.js';
import * as callbacks from '../../src/training/callbacks/index.js';
import { setTrainingOutput } from '../../src/training/io.js';
import { SGD } from '../../src/training/optimizers/index.js';
import { pythonRepr } from '../../src/training/python-repr.js';

/** A stand-in for a compiled model: one weight whose value the test sets per epoch. */
function fakeModel() {
  let weight = 0;
  const saved: string[] = [];
  const model: callbacks.CallbackModel & { weight: number; saved: string[] } = {
    stopTraining: false,
    optimizer: new SGD({ learningRate: 0.1 }),
    getWeights: () => [tensor([weight])],
    setWeights: (w: readonly Tensor[]) => {
      weight = (w[0] as Tensor).dataSync()[0] as number;
    },
    save: async (path: string) => {
      saved.push(path);
    },
    saveWeights: async (path: string) => {
      saved.push(path);
    },
    metricDirection: (name: string) => (name === 'accuracy' ? 'up' : null),
    get weight() {
      return weight;
    },
    set weight(v: number) {
      weight = v;
    },
    saved,
  };
  return model;
}

/** Runs epoch-end hooks like fit does, with the weight set to the epoch number; stops when asked. */
async function run(cb: callbacks.Callback, model: ReturnType<typeof fakeModel>, epochLogs: callbacks.Logs[]): Promise<number> {
  const list = new callbacks.CallbackList([cb], model, { epochs: epochLogs.length, steps: 1, verbose: 0 });
  await list.phase('onTrainBegin');
  let ran = 0;
  for (const [epoch, logs] of epochLogs.entries()) {
    await list.epoch('onEpochBegin', epoch);
    model.weight = epoch;
    await list.epoch('onEpochEnd', epoch, { ...logs });
    ran++;
    if (model.stopTraining) break;
  }
  await list.phase('onTrainEnd');
  return ran;
}

let printed = '';
beforeEach(() => {
  printed = '';
  setTrainingOutput({ write: (s) => (printed += s), isTTY: false });
});
afterEach(() => setTrainingOutput(null));

const losses = (values: number[]) => values.map((v) => ({ loss: v, val_loss: v }));

describe('EarlyStopping', () => {
  it('stops after `patience` epochs without improvement and restores the best weights', async () => {
    const model = fakeModel();
    const es = new callbacks.EarlyStopping({ patience: 2, restoreBestWeights: true, verbose: 1 });
    const ran = await run(es, model, losses([1.0, 0.8, 0.5, 0.6, 0.7, 0.4, 0.3]));
    expect(ran).toBe(5); // best at epoch 2, no improvement at 3 and 4 -> stop at epoch 4
    expect(es.stoppedEpoch).toBe(4);
    expect(model.weight).toBe(2);
    expect(printed).toBe('Epoch 5: early stopping\nRestoring model weights from the end of the best epoch: 3.\n');
  });

  it('honours minDelta, mode max and startFromEpoch', async () => {
    const model = fakeModel();
    const acc = [0.5, 0.6, 0.6005, 0.601, 0.9].map((a) => ({ val_accuracy: a }));
    const ran = await run(new callbacks.EarlyStopping({ monitor: 'val_accuracy', minDelta: 0.01, patience: 2 }), model, acc);
    expect(ran).toBe(4);
    const late = await run(new callbacks.EarlyStopping({ patience: 0, startFromEpoch: 3 }), fakeModel(), losses([1, 2, 3, 4, 5]));
    expect(late).toBe(5); // epochs before 3 are ignored; epoch 4 does not improve on 3 -> stop at 4
  });

  it('does not restart the wait for an improvement that misses the baseline', async () => {
    const flat = losses([0.9, 0.95, 0.97, 0.99]);
    expect(await run(new callbacks.EarlyStopping({ patience: 2, baseline: 0.5 }), fakeModel(), flat)).toBe(2);
    expect(await run(new callbacks.EarlyStopping({ patience: 2 }), fakeModel(), flat)).toBe(3);
  });

  it('warns once, naming the keys that exist, when the monitor is missing', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const ran = await run(
      new callbacks.EarlyStopping({ monitor: 'val_acc', patience: 0 }),
      fakeModel(),
      [0.5, 0.6, 0.7].map((a) => ({ loss: 1, accuracy: a, val_loss: 1, val_accuracy: a })),
    );
    expect(ran).toBe(3);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toMatch(
      /metric 'val_acc' which is not available\. Available metrics are: loss, accuracy, val_loss, val_accuracy\. Did you mean 'val_accuracy'\?/,
    );
    warn.mockRestore();
  });
});

describe('ReduceLROnPlateau and LearningRateScheduler', () => {
  it('multiplies the rate after `patience` flat epochs, with cooldown and minLr', async () => {
    const model = fakeModel();
    const cb = new callbacks.ReduceLROnPlateau({ factor: 0.5, patience: 1, cooldown: 1, minLr: 0.03, verbose: 1 });
    const seen: number[] = [];
    const logs = losses([1, 1, 1, 1, 1, 1]);
    const list = new callbacks.CallbackList([cb], model, {});
    await list.phase('onTrainBegin');
    for (const [epoch, l] of logs.entries()) {
      const entry: callbacks.Logs = { ...l };
      await list.epoch('onEpochEnd', epoch, entry);
      seen.push(model.optimizer?.learningRate ?? 0);
      expect(entry['learning_rate']).toBeDefined();
    }
    // Keras: the epoch after a reduction leaves cooldown before counting, so patience 1 reduces again at once
    expect(seen.map((v) => Number(v.toFixed(4)))).toEqual([0.1, 0.05, 0.03, 0.03, 0.03, 0.03]);
    expect(printed).toContain('\nEpoch 2: ReduceLROnPlateau reducing learning rate to 0.05');
  });

  it('rejects factor >= 1', () => {
    expect(() => new callbacks.ReduceLROnPlateau({ factor: 1 })).toThrow(/does not support a factor >= 1.0/);
  });

  it('sets the rate each epoch from schedule(epoch, lr)', async () => {
    const model = fakeModel();
    const cb = new callbacks.LearningRateScheduler((epoch, lr) => (epoch < 1 ? lr : lr * 0.5), { verbose: 1 });
    const logs: callbacks.Logs = {};
    const list = new callbacks.CallbackList([cb], model, {});
    for (let e = 0; e < 3; e++) await list.epoch('onEpochBegin', e);
    await list.epoch('onEpochEnd', 2, logs);
    expect(logs['learning_rate']).toBeCloseTo(0.025, 7);
    expect(printed).toContain('\nEpoch 3: LearningRateScheduler setting learning rate to 0.025');
  });
});

describe('TerminateOnNaN and LambdaCallback', () => {
  it('stops on a NaN or infinite batch loss', async () => {
    const model = fakeModel();
    const list = new callbacks.CallbackList([new callbacks.TerminateOnNaN()], model, {});
    await list.batch('onTrainBatchEnd', 0, { loss: 1 });
    expect(model.stopTraining).toBe(false);
    await list.batch('onTrainBatchEnd', 1, { loss: Number.POSITIVE_INFINITY });
    expect(model.stopTraining).toBe(true);
    expect(printed).toBe('Batch 1: Invalid loss, terminating training\n');
  });

  it('calls the given functions and rejects unknown hooks', async () => {
    const calls: string[] = [];
    const cb = new callbacks.LambdaCallback({ onEpochEnd: (e, logs) => void calls.push(`end ${e} ${logs?.['loss']}`) });
    const list = new callbacks.CallbackList([cb], fakeModel(), {});
    expect(list.has('onEpochEnd')).toBe(true);
    expect(list.has('onTrainBatchEnd')).toBe(false);
    await list.epoch('onEpochEnd', 3, { loss: 0.5 });
    expect(calls).toEqual(['end 3 0.5']);
    expect(() => new callbacks.LambdaCallback({ on_epoch_end: () => {} } as never)).toThrow(/unknown hook 'on_epoch_end'/);
    // Keras's older onBatchEnd name reaches the training-batch hook
    const batches: number[] = [];
    const old = new callbacks.CallbackList(
      [new callbacks.LambdaCallback({ onBatchEnd: (b) => void batches.push(b) })],
      fakeModel(),
      {},
    );
    expect(old.has('onTrainBatchEnd')).toBe(true);
    await old.batch('onTrainBatchEnd', 4, { loss: 1 });
    expect(batches).toEqual([4]);
  });
});

describe('files: History, CSVLogger, ModelCheckpoint paths', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'capa-cb-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('History records epochs and round-trips through JSON', async () => {
    const h = new callbacks.History();
    h.onTrainBegin();
    h.onEpochEnd(0, { loss: 1, accuracy: 0.5 });
    h.onEpochEnd(1, { loss: 0.5, accuracy: 0.75 });
    expect(h.history).toEqual({ loss: [1, 0.5], accuracy: [0.5, 0.75] });
    await h.save(join(dir, 'h.json'));
    const back = await callbacks.History.load(join(dir, 'h.json'));
    expect(back.history).toEqual(h.history);
    expect(back.epoch).toEqual([0, 1]);
    expect(callbacks.History.fromJSON({ loss: [3, 2, 1] }).epoch).toEqual([0, 1, 2]);
  });

  it('CSVLogger writes Keras-style rows and appends', async () => {
    const file = join(dir, 'log.csv');
    const logger = new callbacks.CSVLogger(file);
    await logger.onTrainBegin();
    await logger.onEpochEnd(0, { loss: 0.5, accuracy: 0.25 });
    await logger.onEpochEnd(1, { loss: 0.1, accuracy: 1 });
    expect(readFileSync(file, 'utf8')).toBe(
      'epoch,accuracy,loss,val_accuracy,val_loss\r\n0,0.25,0.5,NA,NA\r\n1,1.0,0.1,NA,NA\r\n',
    );
    const again = new callbacks.CSVLogger(file, { append: true });
    await again.onTrainBegin();
    await again.onEpochEnd(2, { loss: 1e-7, accuracy: 1, val_loss: 2, val_accuracy: 0 });
    expect(readFileSync(file, 'utf8').split('\r\n')).toEqual([
      'epoch,accuracy,loss,val_accuracy,val_loss',
      '0,0.25,0.5,NA,NA',
      '1,1.0,0.1,NA,NA',
      '2,1.0,1e-07,0.0,2.0',
      '',
    ]);
  });

  it('formats checkpoint paths with Python format specs', () => {
    const f = callbacks.formatPath;
    expect(f('model.{epoch:02d}-{val_loss:.2f}.keras', { epoch: 3, val_loss: 0.123456 })).toBe('model.03-0.12.keras');
    expect(f('w{epoch}_{loss}.keras', { epoch: 7, loss: 0.5 })).toBe('w7_0.5.keras');
    expect(f('{acc:.1%}|{n:>5d}|{n:<4d}|{n:^5d}|{x:+.3e}|{x:,.1f}|{{x}}', { acc: 0.987, n: 42, x: 12345.678 }, ['n'])).toBe(
      '98.7%|   42|42  | 42  |+1.235e+04|12,345.7|{x}',
    );
    expect(() => f('m.{epoch:02d}-{val_acc:.2f}.keras', { epoch: 1, val_accuracy: 0.5 })).toThrow(
      /Failed to format this callback filepath.*no value named 'val_acc'; available: epoch, val_accuracy/,
    );
  });

  it("writes floats as Python's repr (outputs of /usr/bin/python3's repr())", () => {
    const cases: [number, string][] = [
      [0.001, '0.001'],
      [9.000000427477062e-5, '9.000000427477062e-05'],
      [1e-7, '1e-07'],
      [2, '2.0'],
      [1.5e16, '1.5e+16'],
      [-0.00012, '-0.00012'],
      [0.0001, '0.0001'],
      [12345678901234568, '1.2345678901234568e+16'],
      [1 / 3, '0.3333333333333333'],
      [5e-324, '5e-324'],
    ];
    for (const [value, text] of cases) expect(pythonRepr(value)).toBe(text);
  });

  it('ModelCheckpoint validates extensions like Keras 3', () => {
    expect(() => new callbacks.ModelCheckpoint({ filepath: 'cp.ckpt' })).toThrow(/must end in \.keras/);
    expect(() => new callbacks.ModelCheckpoint({ filepath: 'w.h5', saveWeightsOnly: true })).toThrow(/must end in \.weights\.h5/);
    expect(() => new callbacks.ModelCheckpoint('m.h5')).not.toThrow();
    expect(() => new callbacks.ModelCheckpoint({ filepath: 'm.keras', saveFreq: 0 })).toThrow(/Unrecognized saveFreq/);
  });

  it('ModelCheckpoint saveBestOnly prints Keras 3 messages and saves only improvements', async () => {
    const model = fakeModel();
    const path = join(dir, 'best.{epoch:02d}.keras');
    await run(new callbacks.ModelCheckpoint({ filepath: path, saveBestOnly: true, verbose: 1 }), model, losses([0.5, 0.7, 0.25]));
    expect(model.saved).toEqual([join(dir, 'best.01.keras'), join(dir, 'best.03.keras')]);
    expect(printed).toBe(
      `\nEpoch 1: val_loss improved from inf to 0.50000, saving model to ${join(dir, 'best.01.keras')}\n` +
        '\nEpoch 2: val_loss did not improve from 0.50000\n' +
        `\nEpoch 3: val_loss improved from 0.50000 to 0.25000, saving model to ${join(dir, 'best.03.keras')}\n`,
    );
  });

  it('ModelCheckpoint uses the metric direction, initialValueThreshold and batch frequency', async () => {
    const model = fakeModel();
    const cb = new callbacks.ModelCheckpoint({
      filepath: join(dir, 'a.keras'),
      monitor: 'accuracy',
      saveBestOnly: true,
      initialValueThreshold: 0.6,
    });
    await run(
      cb,
      model,
      [0.5, 0.7, 0.65].map((a) => ({ accuracy: a })),
    );
    expect(model.saved).toHaveLength(1);
    const byBatch = fakeModel();
    const every2 = new callbacks.ModelCheckpoint({
      filepath: join(dir, 'b{epoch}-{batch}.weights.h5'),
      saveWeightsOnly: true,
      saveFreq: 2,
    });
    const list = new callbacks.CallbackList([every2], byBatch, {});
    for (let e = 0; e < 2; e++) {
      await list.epoch('onEpochBegin', e);
      for (let b = 0; b < 3; b++) await list.batch('onTrainBatchEnd', b, { loss: 1 });
    }
    expect(byBatch.saved.map((p) => p.slice(dir.length + 1))).toEqual(['b1-2.weights.h5', 'b2-1.weights.h5', 'b2-3.weights.h5']);
  });

  it('ModelCheckpoint skips with a helpful warning when the monitor is missing', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const model = fakeModel();
    await run(new callbacks.ModelCheckpoint({ filepath: join(dir, 'm.keras'), monitor: 'val_acc', saveBestOnly: true }), model, [
      { loss: 1, val_loss: 1, val_accuracy: 0.5 },
    ]);
    expect(model.saved).toEqual([]);
    expect(warn.mock.calls[0]?.[0]).toMatch(/val_acc.*Did you mean 'val_accuracy'\? Skipping\./);
    warn.mockRestore();
    writeFileSync(join(dir, 'x'), '');
  });
});
