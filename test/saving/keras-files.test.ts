import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Tensor } from '../../src/index.js';
import { loadModel } from '../../src/saving/api.js';

const fixtures = new URL('../fixtures/saving/', import.meta.url);
const expected = JSON.parse(readFileSync(new URL('keras-fixtures.json', fixtures), 'utf8')) as Record<
  string,
  { inputs: { shape: number[]; values: number[] }[]; output: { shape: number[]; values: number[] } }
>;

describe('loading files Keras writes (tools/keras_fixtures.py, predictions from numpy)', () => {
  it.each(Object.keys(expected))('%s loads with the predictions Keras would give', async (file) => {
    const model = await loadModel(fileURLToPath(new URL(file, fixtures)), { compile: false });
    const { inputs, output } = expected[file]!;
    const xs = inputs.map((i) => new Tensor(Float32Array.from(i.values), i.shape));
    const y = model.applyMulti(xs)[0]!;
    expect(y.shape).toEqual(output.shape);
    const got = Array.from(y.dataSync());
    got.forEach((v, i) => {
      expect(Math.abs(v - output.values[i]!)).toBeLessThan(2e-6);
    });
  });

  it('keeps Keras 3 names and classes', async () => {
    const seq = await loadModel(fileURLToPath(new URL('keras3-sequential.keras', fixtures)), { compile: false });
    expect(seq.className).toBe('Sequential');
    expect(seq.layers.map((l) => l.name)).toEqual(['conv2d', 'max_pooling2d', 'flatten', 'dense']);
    const fn = await loadModel(fileURLToPath(new URL('keras3-functional.keras', fixtures)), { compile: false });
    expect(fn.className).toBe('Functional');
    expect(fn.layers.map((l) => l.className)).toEqual([
      'InputLayer',
      'Dense',
      'Dense',
      'Add',
      'Concatenate',
      'BatchNormalization',
      'Dense',
    ]);
    const old = await loadModel(fileURLToPath(new URL('keras224-sequential.h5', fixtures)), { compile: false });
    expect(old.layers.map((l) => `${l.name}:${l.countParams()}`)).toEqual(['dense_3:101']);
  });
});

describe('training settings from files Keras writes', () => {
  it('compiles a tf-keras 2.15 .h5 from its training_config (Custom>Adam, MeanMetricWrapper metrics)', async () => {
    const model = await loadModel(fileURLToPath(new URL('keras2-functional.h5', fixtures)));
    expect(model.compiled).toBe(true);
    expect(model.optimizer!.className).toBe('Adam');
    expect(model.getCompileConfig()).toMatchObject({ loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  });
});
