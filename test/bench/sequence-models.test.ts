/**
 * The benchmark's capa sequence models are the models the PyTorch peer builds: same parameter
 * counts (PyTorch's, less nn.LSTM/nn.GRU's second bias vector, which Keras's layouts do not have),
 * and a training step on the benchmark's shapes lowers the loss.
 */

import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { recurrentModel, transformerModel } from '../../bench/peers/capa-models.js';
import { transformerTraining } from '../../bench/peers/tfjs-transformer.js';
import * as capa from '../../src/index.js';

describe('bench sequence models', () => {
  it('the transformer has nn.TransformerEncoder(d 128, 4 heads, ff 512) x2 + Linear(128, 10) parameters', () => {
    // Per PyTorch layer: in_proj 3*(128*128+128), out_proj 128*128+128, linear1 128*512+512,
    // linear2 512*128+128, two LayerNorms 2*2*128 = 198,272; head 1,290.
    expect(transformerModel(capa).countParams()).toBe(2 * 198_272 + 1_290);
  });

  it("TF.js's transformer, written in tfjs-core ops, has the same parameters", () => {
    const { variables } = transformerTraining(tf);
    expect(variables.reduce((n, v) => n + v.size, 0)).toBe(2 * 198_272 + 1_290);
    expect(new Set(variables).size).toBe(variables.length);
    tf.disposeVariables();
  });

  it('LSTM(256) and GRU(256, resetAfter) over 128 features have Keras-layout parameter counts', () => {
    expect(recurrentModel(capa, 'lstm').countParams()).toBe(4 * 256 * (128 + 256) + 4 * 256 + 2_570);
    expect(recurrentModel(capa, 'gru').countParams()).toBe(3 * 256 * (128 + 256) + 2 * 3 * 256 + 2_570);
  });

  it('a training step on a small batch of the transformer lowers the loss', async () => {
    capa.setSeed(3);
    const model = transformerModel(capa);
    model.compile({ optimizer: 'adam', loss: 'mse' });
    const x = capa.randomNormal([2, 128, 128], { seed: 1 });
    const y = capa.randomNormal([2, 10], { seed: 2 });
    const first = (await model.trainOnBatch(x, y))['loss'] as number;
    let last = first;
    for (let i = 0; i < 5; i++) last = (await model.trainOnBatch(x, y))['loss'] as number;
    expect(Number.isFinite(first)).toBe(true);
    expect(last).toBeLessThan(first);
  });
});
