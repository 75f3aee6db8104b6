import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { layers, type Model, models, Sequential, setSeed, Tensor } from '../../src/index.js';
import { inputBatch } from './helpers/models.js';

function classifier(): Sequential {
  setSeed(5);
  return new Sequential([
    new layers.Dense(6, { inputShape: [4], activation: 'relu' }),
    new layers.BatchNormalization(),
    new layers.Dense(3, { activation: 'softmax' }),
  ]);
}

const x = inputBatch([16, 4], 41);
const y = new Tensor(
  Float32Array.from({ length: 48 }, (_, i) => (Math.floor(i / 3) % 3 === i % 3 ? 1 : 0)),
  [16, 3],
);
const fitOptions = { epochs: 2, batchSize: 4, shuffle: false, verbose: 0 } as const;
const weightsOf = (m: Model) => m.weights.map((v) => Array.from(v.dataSync()));

describe('training resumes with the optimizer state (.keras)', () => {
  it.each(['adam', 'rmsprop', 'sgd'])('%s: fit, save, load, fit again == fit without interruption', async (optimizer) => {
    const original = classifier();
    original.compile({ optimizer, loss: 'categorical_crossentropy', metrics: ['accuracy'] });
    await original.fit(x, y, fitOptions);
    const path = join(await mkdtemp(join(tmpdir(), 'capa-resume-')), 'checkpoint.keras');
    await original.save(path);
    const savedIterations = original.optimizer!.iterations;
    await original.fit(x, y, fitOptions);

    const resumed = await models.loadModel(path);
    expect(resumed.compiled).toBe(true);
    expect(resumed.optimizer!.className).toBe(original.optimizer!.className);
    expect(resumed.optimizer!.iterations).toBe(savedIterations);
    expect(resumed.getCompileConfig()).toEqual(original.getCompileConfig());
    await resumed.fit(x, y, fitOptions);
    expect(weightsOf(resumed)).toEqual(weightsOf(original));
  });

  it('a fresh optimizer (what .h5 gives) does not reproduce the uninterrupted run, so the state matters', async () => {
    const original = classifier();
    original.compile({ optimizer: 'adam', loss: 'categorical_crossentropy' });
    await original.fit(x, y, fitOptions);
    const path = join(await mkdtemp(join(tmpdir(), 'capa-resume-')), 'checkpoint.keras');
    await original.save(path);
    await original.fit(x, y, fitOptions);
    const fresh = await models.loadModel(path, { compile: false });
    fresh.compile({ optimizer: 'adam', loss: 'categorical_crossentropy' });
    await fresh.fit(x, y, fitOptions);
    expect(weightsOf(fresh)).not.toEqual(weightsOf(original));
  });

  it('weights files carry the optimizer too (Keras 3 .weights.h5)', async () => {
    const original = classifier();
    original.compile({ optimizer: 'adam', loss: 'categorical_crossentropy' });
    await original.fit(x, y, fitOptions);
    const path = join(await mkdtemp(join(tmpdir(), 'capa-resume-')), 'checkpoint.weights.h5');
    await original.saveWeights(path);
    await original.fit(x, y, fitOptions);
    const resumed = classifier();
    resumed.compile({ optimizer: 'adam', loss: 'categorical_crossentropy' });
    await resumed.loadWeights(path);
    await resumed.fit(x, y, fitOptions);
    expect(weightsOf(resumed)).toEqual(weightsOf(original));
  });

  it('restores the Adam state of a file Keras 3 wrote (iteration, learning rate, momentums, velocities)', async () => {
    const fixtures = new URL('../fixtures/saving/', import.meta.url);
    const expected = JSON.parse(readFileSync(new URL('keras-fixtures.json', fixtures), 'utf8'))['keras3-sequential.keras']
      .optimizer;
    const model = await models.loadModel(fileURLToPath(new URL('keras3-sequential.keras', fixtures)));
    expect(model.compiled).toBe(true);
    const optimizer = model.optimizer!;
    expect(optimizer.className).toBe('Adam');
    expect(optimizer.iterations).toBe(expected.iterations);
    expect(optimizer.variables.length).toBe(expected.count);
    expect(Array.from(optimizer.variables[2]!.dataSync().slice(0, 4))).toEqual(
      Array.from(Float32Array.from(expected.first_momentum)),
    );
  });
});
