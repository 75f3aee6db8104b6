/**
 * Recurrent layers against TensorFlow.js 4.22 (tfjs-layers, the incumbent TypeScript Keras): the
 * same weights give the same outputs, and recurrent models saved by tfjs `model.save` load in
 * capa and predict the same. TensorFlow.js has no GRU `resetAfter`, so its GRU is Keras 2's
 * `reset_after=False` form. Its LSTM/GRU default gate activation is Keras 2's hard sigmoid
 * (0.2x + 0.5), which Keras 3 (and capa) compute as relu6(x + 3) / 6; the models here use 'sigmoid'.
 */
import '@tensorflow/tfjs-backend-cpu';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as capa from '../../src/index.js';
import { loadModel } from '../../src/saving/api.js';
import { inputBatch } from './helpers/models.js';
import { fileSaveHandler } from './helpers/tfjs-file-io.js';

const L = capa.layers;
let dir: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'capa-tfjs-rnn-'));
});

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  return worst;
}

/**
 * tfjs's orthogonal initializer needs tfjs-core's chained ops, which only the full @tensorflow/tfjs
 * bundle registers; the initial values do not matter here (weights are copied or trained).
 */
const noOrthogonal = { recurrentInitializer: 'glorotUniform' } as const;

const toTf = (x: capa.Tensor): tf.Tensor => tf.tensor(Array.from(x.dataSync()), x.shape);

const sameWeightCases: [string, () => tfl.layers.Layer, () => capa.layers.Layer][] = [
  [
    'LSTM returnSequences',
    () => tfl.layers.lstm({ units: 4, returnSequences: true, recurrentActivation: 'sigmoid', ...noOrthogonal }),
    () => new L.LSTM(4, { returnSequences: true }),
  ],
  [
    'LSTM goBackwards with states',
    () => tfl.layers.lstm({ units: 3, goBackwards: true, recurrentActivation: 'sigmoid', ...noOrthogonal }),
    () => new L.LSTM(3, { goBackwards: true }),
  ],
  [
    'GRU (reset_after=False)',
    () => tfl.layers.gru({ units: 4, returnSequences: true, recurrentActivation: 'sigmoid', ...noOrthogonal }),
    () => new L.GRU(4, { returnSequences: true, resetAfter: false }),
  ],
  ['SimpleRNN', () => tfl.layers.simpleRNN({ units: 5, ...noOrthogonal }), () => new L.SimpleRNN(5)],
  [
    'Bidirectional LSTM (concat)',
    () =>
      tfl.layers.bidirectional({
        layer: tfl.layers.lstm({ units: 3, returnSequences: true, recurrentActivation: 'sigmoid', ...noOrthogonal }) as tfl.RNN,
        mergeMode: 'concat',
      }),
    () => new L.Bidirectional(new L.LSTM(3, { returnSequences: true })),
  ],
  [
    'Bidirectional GRU (ave)',
    () =>
      tfl.layers.bidirectional({
        layer: tfl.layers.gru({ units: 3, recurrentActivation: 'sigmoid', ...noOrthogonal }) as tfl.RNN,
        mergeMode: 'ave',
      }),
    () => new L.Bidirectional(new L.GRU(3, { resetAfter: false }), { mergeMode: 'ave' }),
  ],
];

describe('recurrent layers against TensorFlow.js with the same weights', () => {
  it.each(sameWeightCases)('%s: same outputs within 1e-5', (_name, makeTf, makeCapa) => {
    const x = inputBatch([3, 6, 4], 21);
    const tfLayer = makeTf();
    const expected = (tfLayer.apply(toTf(x)) as tf.Tensor).dataSync();
    const layer = makeCapa();
    layer.apply(x);
    const tfWeights = tfLayer.getWeights();
    expect(layer.weights.map((w) => w.shape)).toEqual(tfWeights.map((w) => w.shape));
    layer.setWeights(tfWeights.map((w) => capa.tensor(Array.from(w.dataSync()), w.shape)));
    expect(maxAbsDiff(layer.apply(x).dataSync(), expected)).toBeLessThan(1e-5);
  });
});

describe('recurrent models saved by TensorFlow.js load in capa', () => {
  it('Embedding(maskZero) + Bidirectional(LSTM) + GRU + Dense, trained in tfjs, predicts the same on padded ids', async () => {
    const model = tfl.sequential({ name: 'tfjs_text' });
    model.add(tfl.layers.embedding({ inputDim: 12, outputDim: 5, maskZero: true, inputLength: 7, name: 'emb' }));
    model.add(
      tfl.layers.bidirectional({
        layer: tfl.layers.lstm({ units: 4, returnSequences: true, recurrentActivation: 'sigmoid', ...noOrthogonal }) as tfl.RNN,
        name: 'bi',
      }),
    );
    model.add(tfl.layers.gru({ units: 3, recurrentActivation: 'sigmoid', name: 'gru', ...noOrthogonal }));
    model.add(tfl.layers.dense({ units: 2, activation: 'softmax', name: 'out' }));
    const ids = tf.tensor2d(
      [
        [3, 5, 1, 0, 0, 0, 0],
        [7, 2, 9, 11, 4, 0, 0],
        [1, 1, 2, 3, 5, 8, 4],
        [6, 0, 0, 0, 0, 0, 0],
      ],
      undefined,
      'int32',
    );
    model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    await model.fit(ids, tf.oneHot(tf.tensor1d([0, 1, 0, 1], 'int32'), 2), { epochs: 3, verbose: 0 });
    const folder = join(dir, 'text');
    await model.save(fileSaveHandler(folder));
    const loaded = await loadModel(join(folder, 'model.json'), { compile: false });
    const expected = (model.predict(ids) as tf.Tensor).dataSync();
    const got = loaded.apply(capa.tensor(Array.from(ids.dataSync()), [4, 7], 'int32')).dataSync();
    expect(maxAbsDiff(got, expected)).toBeLessThan(1e-5);
    const names = loaded.layers.map((l) => l.className);
    expect(names).toEqual(expect.arrayContaining(['Embedding', 'Bidirectional', 'GRU', 'Dense']));
  });
});
