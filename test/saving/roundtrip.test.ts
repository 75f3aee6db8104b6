import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getLayerClass, type Layer, type Model, serializeLayer, type Tensor } from '../../src/index.js';
import { registeredLayerClassNames } from '../../src/layers/registry.js';
import { loadModel } from '../../src/saving/api.js';
import { describeEachBackend } from '../helpers/backends.js';
import { attentionConvInputs, attentionConvModel } from './helpers/attention-conv-model.js';
import {
  augmentedCnn,
  functionalGraph,
  inputBatch,
  lambdaModel,
  nestedModel,
  preprocessingBatch,
  preprocessingModel,
  randomizeWeights,
  recurrentBatch,
  recurrentModel,
  sequentialCnn,
  tokenBatch,
  tokenModel,
} from './helpers/models.js';

interface Case {
  name: string;
  build: () => Model;
  inputs: () => Tensor | Tensor[];
}

const cases: Case[] = [
  { name: 'Sequential CNN', build: sequentialCnn, inputs: () => inputBatch([2, 12, 12, 3]) },
  {
    name: 'functional graph (two inputs, merges, 1D layers)',
    build: functionalGraph,
    inputs: () => [inputBatch([2, 8, 8, 2], 4), inputBatch([2, 6], 5)],
  },
  { name: 'int32 and bool inputs by name, Embedding, outputs by name', build: tokenModel, inputs: tokenBatch },
  {
    name: 'nested model (frozen functional base in a Sequential)',
    build: nestedModel,
    inputs: () => inputBatch([3, 6, 6, 3], 6),
  },
  { name: 'augmentation layers in front of a CNN', build: augmentedCnn, inputs: () => inputBatch([2, 16, 16, 3], 7) },
  { name: 'Lambda layer calling a registered function', build: lambdaModel, inputs: () => inputBatch([2, 4], 8) },
  {
    name: 'numeric preprocessing layers (lookup, hashing, normalization, bins)',
    build: preprocessingModel,
    inputs: preprocessingBatch,
  },
  {
    name: 'attention, transposed and grouped convolutions, reshaping (every layer of that family)',
    build: attentionConvModel,
    inputs: attentionConvInputs,
  },
  {
    name: 'recurrent layers with masks (Bidirectional, TimeDistributed, stacked cells)',
    build: recurrentModel,
    inputs: recurrentBatch,
  },
];

/** Layers capa applies outside models (no string tensors); their .keras test is test/layers/preprocessing/vocabulary-saving.test.ts. */
const STRING_LAYERS = new Set(['TextVectorization', 'StringLookup']);

const formats = [
  { name: '.keras', file: 'model.keras', config: 'keras3' as const },
  { name: '.h5', file: 'model.h5', config: 'keras2' as const },
  { name: 'TensorFlow.js', file: 'tfjs/', config: 'keras2' as const },
];

function predict(model: Model, inputs: Tensor | Tensor[]): number[][] {
  const outs = Array.isArray(inputs) ? model.applyMulti(inputs) : model.applyMulti(inputs);
  return outs.map((t) => Array.from(t.dataSync()));
}

describeEachBackend('model round trip', () => {
  for (const format of formats) {
    for (const c of cases) {
      it(`${c.name} through ${format.name}: identical predictions, weights and config`, async () => {
        const model = c.build();
        expect(model.layers.every((l) => l.built)).toBe(true);
        const dir = await mkdtemp(join(tmpdir(), 'capa-roundtrip-'));
        const path = join(dir, format.file);
        await model.save(path);
        const loaded = await loadModel(path);
        expect(loaded.className).toBe(model.className);
        expect(loaded.name).toBe(model.name);
        expect(JSON.stringify(serializeLayer(loaded, format.config))).toBe(JSON.stringify(serializeLayer(model, format.config)));
        expect(loaded.weights.map((v) => v.name)).toEqual(model.weights.map((v) => v.name));
        expect(loaded.weights.length).toBe(model.weights.length);
        loaded.weights.forEach((v, i) => {
          expect(Array.from(v.dataSync())).toEqual(Array.from(model.weights[i]!.dataSync()));
          expect(v.trainable).toBe(model.weights[i]!.trainable);
        });
        const inputs = c.inputs();
        expect(predict(loaded, inputs)).toEqual(predict(model, inputs));
      });
    }
  }
});

describe('round-trip coverage', () => {
  it('the round-trip models use every registered layer class', () => {
    const used = new Set<string>();
    const walk = (layer: Layer): void => {
      used.add(layer.className);
      for (const sub of layer.subLayers()) walk(sub);
      if ('inputLayer' in layer && layer.inputLayer) used.add('InputLayer');
    };
    for (const c of cases) walk(c.build());
    const registered = new Set(registeredLayerClassNames().map((name) => getLayerClass(name).className));
    expect([...registered].filter((name) => !used.has(name) && !STRING_LAYERS.has(name))).toEqual([]);
  });
});

describe('weights-only round trip', () => {
  it.each([['model.weights.h5'], ['legacy.h5']])(
    '%s restores every weight into a fresh model of the same architecture',
    async (file) => {
      const model = sequentialCnn();
      const dir = await mkdtemp(join(tmpdir(), 'capa-weights-'));
      await model.saveWeights(join(dir, file));
      const fresh = sequentialCnn();
      randomizeWeights(fresh, 77);
      await fresh.loadWeights(join(dir, file));
      fresh.weights.forEach((v, i) => {
        expect(Array.from(v.dataSync())).toEqual(Array.from(model.weights[i]!.dataSync()));
      });
      expect(await readdir(dir)).toEqual([file]);
    },
  );
});
