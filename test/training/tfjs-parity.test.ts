/**
 * Outside oracle: with the same initial weights, data and plain SGD, capa's fit and
 * @tensorflow/tfjs-layers' fit produce the same per-step losses (10 steps) and weights.
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { callbacks, layers, optimizers, Sequential, type Tensor, tensor } from '../../src/index.js';
import { describeEachBackend } from '../helpers/backends.js';
import { maxRelativeError } from '../helpers/close.js';

/** Deterministic pseudo-random values in [-1, 1). */
function values(n: number, seed: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2147483648 - 1;
  });
}

function oneHot(n: number, classes: number, seed: number): number[] {
  const out = new Array(n * classes).fill(0);
  values(n, seed).forEach((v, i) => {
    out[i * classes + Math.floor(((v + 1) / 2) * classes)] = 1;
  });
  return out;
}

/** Per-step losses from capa's running means (Keras logs the mean so far; steps have equal size). */
function stepLosses(means: number[]): number[] {
  return means.map((m, k) => (k === 0 ? m : (k + 1) * m - k * (means[k - 1] as number)));
}

interface Case {
  name: string;
  inputShape: number[];
  capa: () => Sequential;
  tfjs: () => tfl.Sequential;
}

const CASES: Case[] = [
  {
    name: 'MLP Dense(8, relu) -> Dense(3, softmax)',
    inputShape: [6],
    capa: () =>
      new Sequential([
        new layers.Dense(8, { activation: 'relu', inputShape: [6] }),
        new layers.Dense(3, { activation: 'softmax' }),
      ]),
    tfjs: () =>
      tfl.sequential({
        layers: [
          tfl.layers.dense({ units: 8, activation: 'relu', inputShape: [6] }),
          tfl.layers.dense({ units: 3, activation: 'softmax' }),
        ],
      }),
  },
  {
    name: 'CNN Conv2D(4, 3, relu) -> MaxPooling2D -> Flatten -> Dense(3, softmax)',
    inputShape: [8, 8, 1],
    capa: () =>
      new Sequential([
        new layers.Conv2D(4, 3, { activation: 'relu', inputShape: [8, 8, 1] }),
        new layers.MaxPooling2D(2),
        new layers.Flatten(),
        new layers.Dense(3, { activation: 'softmax' }),
      ]),
    tfjs: () =>
      tfl.sequential({
        layers: [
          tfl.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [8, 8, 1] }),
          tfl.layers.maxPooling2d({ poolSize: 2 }),
          tfl.layers.flatten(),
          tfl.layers.dense({ units: 3, activation: 'softmax' }),
        ],
      }),
  },
];

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describeEachBackend('fit matches @tensorflow/tfjs-layers step by step (plain SGD)', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const n = 80;
      const batchSize = 8;
      const rowSize = c.inputShape.reduce((p, d) => p * d, 1);
      const xValues = values(n * rowSize, 1);
      const yValues = oneHot(n, 3, 2);

      // tfjs: its own initial weights, recorded per batch
      const ref = c.tfjs();
      ref.compile({ optimizer: tf.train.sgd(0.1), loss: 'categoricalCrossentropy' });
      const initial = ref.getWeights().map((w) => ({ shape: w.shape, values: Array.from(w.dataSync()) }));
      const refLosses: number[] = [];
      await ref.fit(tf.tensor(xValues, [n, ...c.inputShape]), tf.tensor(yValues, [n, 3]), {
        epochs: 1,
        batchSize,
        shuffle: false,
        verbose: 0,
        callbacks: { onBatchEnd: async (_batch, logs) => void refLosses.push(logs?.['loss'] as number) },
      });
      const refFinal = ref.getWeights().map((w) => Array.from(w.dataSync()));

      // capa: the same weights in, the same data, the same optimizer
      const model = c.capa();
      model.setWeights(initial.map((w) => tensor(w.values, w.shape)));
      model.compile({ optimizer: new optimizers.SGD({ learningRate: 0.1 }), loss: 'categorical_crossentropy' });
      const means: number[] = [];
      await model.fit(tensor(xValues, [n, ...c.inputShape]), tensor(yValues, [n, 3]), {
        epochs: 1,
        batchSize,
        shuffle: false,
        verbose: 0,
        callbacks: [new callbacks.LambdaCallback({ onTrainBatchEnd: (_b, logs) => void means.push(logs?.['loss'] as number) })],
      });
      expect(refLosses).toHaveLength(10);
      const got = stepLosses(means);
      for (let i = 0; i < 10; i++)
        expect(Math.abs((got[i] as number) - (refLosses[i] as number)), `step ${i + 1}`).toBeLessThan(1e-4);
      // and the weights after 10 updates
      model.getWeights().forEach((w: Tensor, i: number) => {
        expect(maxRelativeError(w.dataSync(), refFinal[i] as number[]), `weight ${i}`).toBeLessThan(1e-4);
      });
    });
  }
});

describe('stepLosses', () => {
  it('recovers per-step values from running means', () => {
    expect(stepLosses([2, 1.5, 1])).toEqual([2, 1, 0]);
  });
});
