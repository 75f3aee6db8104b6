/**
 * A model using every layer of the attention / transposed-conv / reshaping family (with grouped
 * convolutions and normalizations), for the round trips of roundtrip.test.ts.
 */
import { Input, layers, Model, setSeed, type Tensor } from '../../../src/index.js';
import { inputBatch, randomizeWeights } from './models.js';

export function attentionConvModel(): Model {
  setSeed(21);
  const image = Input({ shape: [6, 6, 4], name: 'image' });
  let x = new layers.Conv2D(4, 3, { groups: 2, padding: 'same', name: 'grouped' }).apply(image);
  x = new layers.Conv2DTranspose(3, 3, { strides: 2, padding: 'same', activation: 'relu', name: 'deconv' }).apply(x);
  x = new layers.Conv2DTranspose(2, 2, { strides: 2, outputPadding: 1, name: 'deconv_padded' }).apply(x);
  x = new layers.UpSampling2D(2, { interpolation: 'bilinear', name: 'up_bilinear' }).apply(x);
  x = new layers.UpSampling2D([1, 2], { name: 'up_nearest' }).apply(x);
  x = new layers.Cropping2D(
    [
      [1, 2],
      [3, 0],
    ],
    { name: 'crop' },
  ).apply(x);
  x = new layers.GroupNormalization({ groups: 2, name: 'group_norm' }).apply(x);
  x = new layers.UnitNormalization({ name: 'unit_norm' }).apply(x);
  const imageOut = new layers.Identity({ name: 'identity' }).apply(x);

  const seq = Input({ shape: [5, 4], name: 'seq' });
  const other = Input({ shape: [7, 6], name: 'other' });
  let s = new layers.MultiHeadAttention({ numHeads: 2, keyDim: 3, name: 'self_mha' }).apply([seq, seq]);
  s = new layers.LayerNormalization({ name: 'ln' }).apply(s);
  const cross = new layers.MultiHeadAttention({ numHeads: 3, keyDim: 2, valueDim: 4, outputShape: 5, name: 'cross_mha' }).apply([
    s,
    other,
  ]);
  const projected = new layers.EinsumDense('abc,cd->abd', [null, 4], { biasAxes: 'd', name: 'einsum' }).apply(cross);
  s = new layers.Attention({ useScale: true, scoreMode: 'concat', name: 'luong' }).apply([projected, seq]);
  s = new layers.AdditiveAttention({ name: 'bahdanau' }).apply([s, seq]);
  s = new layers.Conv1DTranspose(3, 3, { strides: 2, name: 'deconv1d' }).apply(s);
  s = new layers.UpSampling1D(2, { name: 'up1d' }).apply(s);
  const seqOut = new layers.Cropping1D([1, 3], { name: 'crop1d' }).apply(s);

  const vec = Input({ shape: [4], name: 'vec' });
  const repeated = new layers.RepeatVector(5, { name: 'repeat' }).apply(vec);
  const dotted = new layers.Dot([2, 2], { normalize: true, name: 'dot' }).apply([repeated, seq]);
  const model = new Model({ inputs: [image, seq, other, vec], outputs: [imageOut, seqOut, dotted], name: 'attention_conv' });
  randomizeWeights(model, 5);
  return model;
}

/** Inputs for attentionConvModel: image, sequence, other sequence, vector. */
export function attentionConvInputs(): Tensor[] {
  return [inputBatch([2, 6, 6, 4], 1), inputBatch([2, 5, 4], 2), inputBatch([2, 7, 6], 3), inputBatch([2, 4], 4)];
}
