import '@tensorflow/tfjs-backend-cpu';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { layers, Model, Sequential, type Tensor } from '../../src/index.js';
import { loadModel, saveModel } from '../../src/saving/api.js';
import { inputBatch, randomizeWeights } from './helpers/models.js';
import { fileLoadHandler, fileSaveHandler } from './helpers/tfjs-file-io.js';

let dir: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'capa-tfjs-'));
});

function capaPredict(model: Model, inputs: Tensor[]): Float32Array {
  return model.applyMulti(inputs)[0]!.dataSync() as Float32Array;
}

function tfjsPredict(model: tfl.LayersModel, inputs: Tensor[]): Float32Array {
  const xs = inputs.map((x) => tf.tensor(Array.from(x.dataSync()), x.shape));
  const y = model.predict(xs.length === 1 ? xs[0]! : xs) as tf.Tensor;
  return y.dataSync() as Float32Array;
}

function expectClose(a: Float32Array, b: Float32Array, tolerance = 2e-5): void {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  expect(worst).toBeLessThan(tolerance);
}

async function trainTfjs(model: tfl.LayersModel, inputShapes: number[][], classes: number): Promise<void> {
  const n = 12;
  const xs = inputShapes.map((s) => tf.randomUniform([n, ...s], -1, 1, 'float32', 7));
  const ys = tf.oneHot(
    tf.tensor1d(
      Array.from({ length: n }, (_, i) => i % classes),
      'int32',
    ),
    classes,
  );
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  await model.fit(xs.length === 1 ? xs[0]! : xs, ys, { epochs: 3, batchSize: 4, verbose: 0 });
}

describe('TensorFlow.js interop: tfjs-layers models load in capa', () => {
  it('a trained tfjs Sequential CNN (conv, depthwise, separable, batch norm, pooling, padding, dense, dropout)', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.conv2d({ inputShape: [10, 10, 3], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
        tfl.layers.batchNormalization(),
        tfl.layers.maxPooling2d({ poolSize: 2 }),
        tfl.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same' }),
        tfl.layers.separableConv2d({ filters: 6, kernelSize: 3, activation: 'relu' }),
        tfl.layers.zeroPadding2d({ padding: 1 }),
        tfl.layers.averagePooling2d({ poolSize: 2 }),
        tfl.layers.flatten(),
        tfl.layers.dense({ units: 8, activation: 'tanh' }),
        tfl.layers.dropout({ rate: 0.25 }),
        tfl.layers.dense({ units: 4, activation: 'softmax' }),
      ],
    });
    await trainTfjs(model, [[10, 10, 3]], 4);
    const folder = join(dir, 'tfjs-sequential');
    await model.save(fileSaveHandler(folder));
    const loaded = await loadModel(folder, { compile: false });
    expect(loaded.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
    const x = [inputBatch([5, 10, 10, 3], 17)];
    expectClose(capaPredict(loaded, x), tfjsPredict(model, x));
  });

  it('a trained tfjs functional model (two inputs, merges, activation layers, 1D layers)', async () => {
    const a = tfl.input({ shape: [8], name: 'a' });
    const b = tfl.input({ shape: [12, 2], name: 'b' });
    const d1 = tfl.layers.dense({ units: 6, name: 'd1' }).apply(a) as tfl.SymbolicTensor;
    const d2 = tfl.layers.dense({ units: 6, name: 'd2' }).apply(a) as tfl.SymbolicTensor;
    const merged = [
      tfl.layers.add({ name: 'add' }).apply([d1, d2]),
      tfl.layers.multiply({ name: 'mul' }).apply([d1, d2]),
      tfl.layers.maximum({ name: 'max' }).apply([d1, d2]),
      tfl.layers.minimum({ name: 'min' }).apply([d1, d2]),
      tfl.layers.average({ name: 'avg' }).apply([d1, d2]),
      tfl.layers.leakyReLU({ name: 'leaky' }).apply(d1),
      tfl.layers.elu({ name: 'elu' }).apply(d2),
      tfl.layers.reLU({ name: 'relu' }).apply(d1),
      tfl.layers.activation({ activation: 'sigmoid', name: 'sig' }).apply(d2),
    ] as tfl.SymbolicTensor[];
    const c = tfl.layers.conv1d({ filters: 3, kernelSize: 3, activation: 'relu', name: 'conv1d' }).apply(b) as tfl.SymbolicTensor;
    const p = tfl.layers.maxPooling1d({ poolSize: 2, name: 'pool1d' }).apply(c) as tfl.SymbolicTensor;
    const g = tfl.layers.globalAveragePooling1d({ name: 'gap1d' }).apply(p) as tfl.SymbolicTensor;
    const r = tfl.layers
      .flatten({ name: 'flat' })
      .apply(tfl.layers.permute({ dims: [2, 1], name: 'perm' }).apply(p)) as tfl.SymbolicTensor;
    const all = tfl.layers.concatenate({ name: 'concat' }).apply([...merged, g, r]) as tfl.SymbolicTensor;
    const out = tfl.layers
      .softmax({ name: 'probs' })
      .apply(tfl.layers.dense({ units: 3, name: 'logits' }).apply(all)) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: [a, b], outputs: out, name: 'graph' });
    await trainTfjs(model, [[8], [12, 2]], 3);
    const folder = join(dir, 'tfjs-functional');
    await model.save(fileSaveHandler(folder));
    const loaded = await loadModel(join(folder, 'model.json'), { compile: false });
    expect(loaded.className).toBe('Functional');
    const x = [inputBatch([4, 8], 3), inputBatch([4, 12, 2], 4)];
    expectClose(capaPredict(loaded, x), tfjsPredict(model, x));
  });
});

describe('TensorFlow.js interop: capa models load in tfjs-layers', () => {
  function capaCnn(): Sequential {
    const model = new Sequential([
      new layers.Conv2D(4, 3, { inputShape: [9, 9, 3], activation: 'relu', padding: 'same' }),
      new layers.BatchNormalization(),
      new layers.MaxPooling2D(2),
      new layers.DepthwiseConv2D(3, { padding: 'same' }),
      new layers.SeparableConv2D(5, 3, { activation: 'relu' }),
      new layers.ZeroPadding2D(1),
      new layers.AveragePooling2D(2),
      new layers.GlobalAveragePooling2D(),
      new layers.Dense(6, { activation: 'tanh' }),
      new layers.Dropout(0.2),
      new layers.Dense(3, { activation: 'softmax' }),
    ]);
    randomizeWeights(model, 31);
    return model;
  }

  function capaGraph(): Model {
    const a = layers.Input({ shape: [5], name: 'a' });
    const d1 = new layers.Dense(4, { name: 'd1' }).apply(a);
    const d2 = new layers.Dense(4, { name: 'd2', activation: 'relu' }).apply(a);
    const m = [
      new layers.Add({ name: 'add' }).apply([d1, d2]),
      new layers.Multiply({ name: 'mul' }).apply([d1, d2]),
      new layers.Concatenate({ name: 'cat' }).apply([d1, d2]),
      new layers.LeakyReLU({ name: 'leaky' }).apply(d1),
      new layers.ELU({ name: 'elu' }).apply(d2),
    ];
    const all = new layers.Concatenate({ name: 'all' }).apply(m);
    const out = new layers.Softmax({ name: 'probs' }).apply(new layers.Dense(3, { name: 'logits' }).apply(all));
    const model = new Model({ inputs: a, outputs: out, name: 'capa_graph' });
    randomizeWeights(model, 32);
    return model;
  }

  it.each([
    ['Sequential CNN', capaCnn, () => [inputBatch([4, 9, 9, 3], 8)]],
    ['functional graph', capaGraph, () => [inputBatch([4, 5], 9)]],
  ] as const)('%s saved by capa loads in tfjs-layers with the same predictions', async (_name, build, inputs) => {
    const model = build();
    const folder = join(dir, `capa-${model.name}`);
    await saveModel(model, `${folder}/`);
    const loaded = await tfl.loadLayersModel(fileLoadHandler(join(folder, 'model.json')));
    expect(loaded.weights.length).toBe(model.weights.length);
    const x = inputs();
    expectClose(tfjsPredict(loaded, x), capaPredict(model, x));
  });

  it.each(['uint8', 'uint16', 'float16'] as const)(
    'quantized (%s) weights saved by capa dequantize the same way in tfjs-layers and in capa',
    async (quantization) => {
      const model = capaCnn();
      const folder = join(dir, `capa-quantized-${quantization}`);
      await saveModel(model, `${folder}/`, { quantization });
      const inTfjs = await tfl.loadLayersModel(fileLoadHandler(join(folder, 'model.json')));
      const inCapa = await loadModel(folder);
      const x = [inputBatch([3, 9, 9, 3], 10)];
      expectClose(capaPredict(inCapa, x), tfjsPredict(inTfjs, x));
      // And close to the unquantized model (the quantization error is bounded).
      expectClose(capaPredict(inCapa, x), capaPredict(model, x), quantization === 'uint8' ? 0.1 : 0.01);
    },
  );
});
