/** Habits Keras users bring that used to end in misleading errors (issue 14): each now works or says what to do. */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeEach, describe, expect, it } from 'vitest';
import * as capa from '../../src/index.js';
import { fileLoadHandler } from '../saving/helpers/tfjs-file-io.js';

const { Input, Model, layers: L } = capa;

beforeEach(() => {
  capa.clearSession();
  capa.setSeed(3);
});

function regression(): capa.Model {
  const x = Input({ shape: [3] });
  return new Model(x, new L.Dense(1, { name: 'out' }).apply(x));
}

describe('layer constructors in Keras’s keyword forms', () => {
  it('Conv2D(32, kernel_size=...) and Conv2D(filters=..., kernel_size=...)', () => {
    const a = new L.Conv2D(32, { kernelSize: [3, 3], padding: 'same', name: 'a' });
    const b = new L.Conv2D({ filters: 8, kernelSize: 5, strides: 2 });
    expect(a.kernelSize).toEqual([3, 3]);
    expect(a.padding).toBe('same');
    expect(a.name).toBe('a');
    expect(a.getConfig()).not.toHaveProperty('kernelSize');
    expect([b.filters, ...b.kernelSize, ...b.strides]).toEqual([8, 5, 5, 2, 2]);
    expect(() => new L.Conv2D(32, { filters: 3, kernelSize: 3 } as never)).toThrow(
      'Conv2D: `filters` was given both positionally and in the options.',
    );
    expect(() => new L.Conv2D(32, {} as never)).toThrow('Conv2D: the `kernel_size` argument must be a tuple of 2 integers');
  });

  it('MaxPooling2D(pool_size=2), Dense(units=...)', () => {
    const pool = new L.MaxPooling2D({ poolSize: 3, strides: 1 });
    expect(pool.poolSize).toEqual([3, 3]);
    expect(pool.strides).toEqual([1, 1]);
    expect(new L.AveragePooling2D({ name: 'avg' }).poolSize).toEqual([2, 2]);
    const dense = new L.Dense({ units: 4, activation: 'relu', name: 'dk' });
    expect(dense.units).toBe(4);
    expect(dense.name).toBe('dk');
    expect(dense.getConfig().activation).toBe('relu');
  });
});

describe('regression targets of shape (n,) against outputs (n, 1)', () => {
  it('mse, mae and their metrics squeeze as Keras does', async () => {
    const model = regression();
    model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae', 'mse'] });
    const x = capa.randomNormal([10, 3]);
    const y = capa.randomNormal([10]);
    const pred = (await model.predict(x, { verbose: 0 })).dataSync();
    const t = y.dataSync();
    let se = 0;
    let ae = 0;
    for (let i = 0; i < 10; i++) {
      se += ((pred[i] as number) - (t[i] as number)) ** 2;
      ae += Math.abs((pred[i] as number) - (t[i] as number));
    }
    const logs = await model.evaluate(x, y, { verbose: 0 });
    expect(logs.loss).toBeCloseTo(se / 10, 5);
    expect(logs.mse).toBeCloseTo(se / 10, 5);
    expect(logs.mae).toBeCloseTo(ae / 10, 5);
  });
});

describe('model.save without an extension', () => {
  it('says which extensions mean what', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'capa-habits-'));
    await expect(regression().save(join(dir, 'path_to_my_model'))).rejects.toThrow(
      /Use a '\.keras' extension for the Keras 3 format .*'\.h5' for the legacy Keras 2 HDF5 format.*TensorFlow\.js/,
    );
  });
});

describe('utils.plotModel(model, file)', () => {
  it('writes the file named positionally, as Keras’s plot_model(model, "model.png")', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'capa-plot-'));
    const file = join(dir, 'model.svg');
    const svg = await capa.utils.plotModel(regression(), file, { showShapes: true });
    expect(existsSync(file)).toBe(true);
    expect(await readFile(file, 'utf8')).toBe(svg);
    const png = join(dir, 'model.png');
    await capa.utils.plotModel(regression(), png);
    expect((await readFile(png)).subarray(1, 4).toString()).toBe('PNG');
  });
});

describe('compile takes Keras 3’s options', () => {
  it('weightedMetrics see the sample weights, metrics do not; the no-op options are kept in the config', async () => {
    const model = regression();
    model.compile({
      optimizer: 'sgd',
      loss: 'mae',
      metrics: ['mae'],
      weightedMetrics: ['mae'],
      runEagerly: true,
      stepsPerExecution: 1,
      jitCompile: 'auto',
      autoScaleLoss: true,
    });
    const x = capa.randomNormal([6, 3]);
    const y = capa.randomNormal([6, 1]);
    const sampleWeight = capa.tensor([1, 0, 0, 0, 0, 0]);
    const logs = await model.evaluate(x, y, { verbose: 0, sampleWeight });
    const pred = (await model.predict(x, { verbose: 0 })).dataSync();
    const t = y.dataSync();
    const errors = Array.from(pred, (p, i) => Math.abs(p - (t[i] as number)));
    expect(logs.mae).toBeCloseTo(errors.reduce((a, b) => a + b, 0) / 6, 5);
    expect(logs.weighted_mae).toBeCloseTo(errors[0] as number, 5);
    const config = model.getCompileConfig();
    expect(config).toMatchObject({ weighted_metrics: ['mae'], run_eagerly: true, jit_compile: 'auto', auto_scale_loss: true });
  });

  it('refuses name (not a compile option in Keras 3) and bad values of the no-op options', () => {
    expect(() => regression().compile({ optimizer: 'sgd', loss: 'mse', name: 'm' } as never)).toThrow(
      "compile: unknown option 'name'. Known options: optimizer, loss, lossWeights, metrics, weightedMetrics, runEagerly, stepsPerExecution, jitCompile, autoScaleLoss. Keras 3's compile has no 'name'",
    );
    expect(() => regression().compile({ loss: 'mse', stepsPerExecution: 0 })).toThrow(
      'compile: stepsPerExecution must be a positive integer, received 0.',
    );
  });
});

describe('optimizer iterations in legacy files', () => {
  it('come back from .h5 and TensorFlow.js files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'capa-iter-'));
    const model = regression();
    model.compile({ optimizer: 'adam', loss: 'mse' });
    await model.fit(capa.randomNormal([12, 3]), capa.randomNormal([12, 1]), { epochs: 1, batchSize: 4, verbose: 0 });
    expect(model.optimizer?.iterations).toBe(3);
    for (const path of [join(dir, 'm.h5'), join(dir, 'tfjs/')]) {
      await model.save(path);
      const loaded = (await capa.models.loadModel(path)) as capa.Model;
      expect(loaded.optimizer?.iterations).toBe(3);
    }
  });

  it('tfjs-layers reads the count capa writes (its optimizer weight `iter`)', async () => {
    await tf.setBackend('cpu');
    const dir = await mkdtemp(join(tmpdir(), 'capa-iter-tfjs-'));
    const model = regression();
    // tfjs-layers revives Keras's full names ('mean_squared_error'), not the 'mse' alias
    model.compile({ optimizer: new capa.optimizers.Adam(), loss: 'mean_squared_error' });
    await model.fit(capa.randomNormal([8, 3]), capa.randomNormal([8, 1]), { epochs: 1, batchSize: 2, verbose: 0 });
    await model.save(`${dir}/`);
    const loaded = await tfl.loadLayersModel(fileLoadHandler(join(dir, 'model.json')));
    expect((loaded.optimizer as unknown as { iterations: number }).iterations).toBe(4);
    const x = capa.randomNormal([2, 3]);
    const ours = model.apply(x).dataSync();
    const theirs = (loaded.predict(tf.tensor(Array.from(x.dataSync()), [2, 3])) as tf.Tensor).dataSync();
    expect(Math.max(...Array.from(ours, (v, i) => Math.abs(v - (theirs[i] as number))))).toBeLessThan(1e-6);
  });

  it('reads the count Keras 2 wrote (Adam/iter:0)', async () => {
    const loaded = (await capa.models.loadModel('test/fixtures/saving/keras2-functional.h5')) as capa.Model;
    expect(loaded.optimizer?.iterations).toBe(12);
  });
});
