/**
 * ONNX export of the transposed and grouped convolutions and the reshaping layers (ConvTranspose,
 * Conv with group, Resize, Slice, Unsqueeze + Tile), run in ONNX Runtime against capa's own
 * prediction; the layers ONNX (opset 17) has no operator for are refused by name.
 */
import { describe, expect, it } from 'vitest';
import * as capa from '../../src/index.js';
import { expectOrtMatches } from './helpers/ort.js';

const { layers, Input, Model } = capa;

function randomizeWeights(model: capa.Model, seed: number): void {
  model.setWeights(model.getWeights().map((w, i) => capa.randomUniform(w.shape, { minval: -1, maxval: 1, seed: seed + i })));
}

function imageModel(): capa.Model {
  const input = Input({ shape: [5, 6, 4], name: 'image' });
  let x = new layers.Conv2D(6, 3, { groups: 2, padding: 'same', activation: 'relu' }).apply(input);
  x = new layers.Conv2DTranspose(4, 3, { strides: 2, padding: 'same', activation: 'tanh' }).apply(x);
  x = new layers.Conv2DTranspose(3, [3, 2], { strides: [2, 3] }).apply(x);
  x = new layers.Conv2DTranspose(2, 3, { strides: 2, outputPadding: 1 }).apply(x);
  x = new layers.Conv2DTranspose(2, 3, { dilationRate: 2, padding: 'same' }).apply(x);
  x = new layers.Cropping2D([
    [1, 2],
    [3, 1],
  ]).apply(x);
  const nearest = new layers.UpSampling2D([2, 3]).apply(x);
  const bilinear = new layers.UpSampling2D(2, { interpolation: 'bilinear' }).apply(new layers.Identity().apply(x));
  return new Model({ inputs: input, outputs: [nearest, bilinear], name: 'images' });
}

function sequenceModel(): capa.Model {
  const input = Input({ shape: [7, 3], name: 'steps' });
  let x = new layers.Conv1D(4, 2, { groups: 1, padding: 'causal' }).apply(input);
  x = new layers.Conv1DTranspose(4, 3, { strides: 2, padding: 'same' }).apply(x);
  x = new layers.UpSampling1D(3).apply(x);
  x = new layers.Cropping1D([2, 5]).apply(x);
  const flat = new layers.Flatten().apply(x);
  const repeated = new layers.RepeatVector(3).apply(new layers.Dense(5).apply(flat));
  return new Model({ inputs: input, outputs: [x, repeated], name: 'sequences' });
}

describe('ONNX export: transposed convolutions and reshaping layers', () => {
  it.each([
    ['images', imageModel, [5, 6, 4]],
    ['sequences', sequenceModel, [7, 3]],
  ] as const)('%s model predicts in ONNX Runtime as in capa', async (_name, make, shape) => {
    const model = make();
    randomizeWeights(model, 300);
    const bytes = await capa.onnx.exportModelToBytes(model);
    const x = capa.randomUniform([2, ...shape], { minval: -2, maxval: 2, seed: 4 });
    await expectOrtMatches(model, bytes, [x]);
  });

  it('refuses the attention layers, naming the layer', async () => {
    const q = Input({ shape: [4, 8] });
    const y = new layers.MultiHeadAttention({ numHeads: 2, keyDim: 4, name: 'mha' }).apply([q, q]);
    const model = new Model({ inputs: q, outputs: y });
    await expect(capa.onnx.exportModelToBytes(model)).rejects.toThrow(
      'ONNX export: layer "mha" (MultiHeadAttention) cannot be exported to ONNX. Exportable layers:',
    );
  });
});
