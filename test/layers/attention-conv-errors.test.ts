/**
 * Bad input to the attention, transposed/grouped convolution, reshaping and normalization layers:
 * each error names the layer and the shapes or values involved, as Keras's do.
 */
import { describe, expect, it } from 'vitest';
import * as capa from '../../src/index.js';

const L = capa.layers;
const z = (...shape: number[]) => capa.zeros(shape);

describe('attention layers refuse bad input, naming the layer', () => {
  it('MultiHeadAttention: rank mismatch, batch and length mismatch, wrong mask shape, symbolic call options', () => {
    const mha = new L.MultiHeadAttention({ numHeads: 2, keyDim: 4, name: 'mha' });
    expect(() => mha.apply([z(2, 3, 8), z(2, 8)])).toThrow(
      'MultiHeadAttention "mha": value must have rank 3 [batch, sequence, features] (capa attends over the sequence axis); received value shape (None, 8), query shape (None, 3, 8) and value shape (None, 8).',
    );
    expect(() => mha.apply([z(2, 3, 8), z(2, 5, 8), z(2, 4, 8)])).toThrow(
      'MultiHeadAttention "mha": key and value must have the same sequence length; received key shape (None, 4, 8) and value shape (None, 5, 8).',
    );
    expect(() => mha.apply([z(2, 3, 8), z(3, 5, 8)])).toThrow(
      'MultiHeadAttention "mha": query, value and key must have the same batch size',
    );
    expect(() => mha.apply(z(2, 3, 8))).toThrow('should be called on a list of inputs');
    expect(() => mha.apply([z(2, 3, 8), z(2, 5, 8)], { attentionMask: z(2, 5, 3) })).toThrow(
      'MultiHeadAttention "mha": `attention_mask` of shape [2, 5, 3] does not match the (batch, target, source) shape [2, 3, 5] (each axis must be equal or 1).',
    );
    expect(() => mha.apply([z(2, 3, 8), z(2, 5, 8)], { returnAttentionScores: true })).toThrow('use applyMulti()');
    const q = capa.Input({ shape: [3, 8] });
    expect(() => mha.apply([q, q], { attentionMask: capa.Input({ shape: [3, 3] }) as unknown as capa.Tensor })).toThrow(
      'Layer "mha": the call option `attentionMask` holds a tensor, which a functional graph cannot record',
    );
    expect(() => new L.MultiHeadAttention({ numHeads: 0, keyDim: 2 })).toThrow(
      '`num_heads` must be a positive integer. Received: num_heads=0',
    );
    expect(() => new L.MultiHeadAttention({ numHeads: 2, keyDim: 2, attentionAxes: [1, 2] })).toThrow('attention_axes=[1,2]');
  });

  it('Attention and AdditiveAttention: a single input, mismatched dims, a mask of the wrong shape', () => {
    const att = new L.Attention({ name: 'att' });
    expect(() => att.apply([z(2, 3, 4), z(2, 5, 6)])).toThrow(
      'Attention "att": query and key must have the same last dimension; received query shape (None, 3, 4) and key shape (None, 5, 6).',
    );
    expect(() => att.apply([z(2, 3, 4), z(2, 5, 4)], { masks: [null, z(2, 4)] })).toThrow(
      'Attention "att": `value_mask` of shape [2, 4] does not match the (batch, source) shape [2, 5]',
    );
    expect(() => new L.AdditiveAttention({ name: 'add' }).apply([z(2, 3, 4)])).toThrow(
      'AdditiveAttention "add": the layer must be called on a list of inputs, namely [query, value] or [query, value, key]. Received 1 input(s).',
    );
    expect(() => new L.Attention({ scoreMode: 'cosine' as 'dot' })).toThrow("Expected one of {'dot', 'concat'}");
  });
});

describe('convolution, reshaping and normalization layers refuse bad input', () => {
  it('grouped convolutions need filters and channels divisible by groups', () => {
    expect(() => new L.Conv2D(5, 3, { groups: 2 })).toThrow(
      'Conv2D: the number of filters must be evenly divisible by the number of groups. Received: groups=2, filters=5.',
    );
    expect(() => new L.Conv1D(4, 3, { groups: 2, name: 'g' }).apply(z(1, 6, 3))).toThrow(
      'Conv1D "g": the number of input channels must be evenly divisible by the number of groups. Received groups=2, but the input has 3 channels (full input shape is (None, 6, 3)).',
    );
  });

  it('transposed convolutions check output padding, padding and channels', () => {
    expect(() => new L.Conv2DTranspose(2, 3, { strides: 2, outputPadding: 2 })).toThrow(
      'Conv2DTranspose: `output_padding` must be < `strides`. output_padding=[2,2], strides=[2,2]',
    );
    expect(() => new L.Conv1DTranspose(2, 3, { padding: 'causal' as 'same' })).toThrow(
      'Conv1DTranspose: the `padding` argument must be one of',
    );
    const layer = new L.Conv2DTranspose(2, 3, { name: 'up' });
    layer.apply(z(1, 4, 4, 3));
    expect(() => layer.apply(z(1, 4, 4, 2))).toThrow('up');
  });

  it('reshaping layers', () => {
    expect(() => new L.Cropping2D(3, { name: 'crop' }).apply(z(1, 5, 8, 1))).toThrow(
      'Cropping2D "crop": `cropping` parameter of `Cropping2D` layer must be smaller than the input length.',
    );
    expect(() => new L.Cropping1D(-1 as number)).toThrow(
      'Cropping1D: `cropping` must be an int or a tuple of 2 non-negative ints.',
    );
    expect(() => new L.UpSampling2D(2, { interpolation: 'bicubic' as 'bilinear' })).toThrow(
      'UpSampling2D: `interpolation` must be "nearest" or "bilinear"',
    );
    expect(() => new L.RepeatVector(0)).toThrow('RepeatVector: expected an integer value for `n` of at least 1. Received: n=0');
    expect(() => new L.RepeatVector(2, { name: 'rep' }).apply(z(2, 3, 4))).toThrow('rep');
    expect(() => new L.Dot(2, { name: 'dot' }).apply([z(2, 3, 4), z(2, 3, 5)])).toThrow(
      'Dot "dot": incompatible input shapes: axis values 4 (at axis 2) != 5 (at axis 2).',
    );
    expect(() => new L.Dot(0, { name: 'dot0' }).apply([z(2, 3), z(2, 3)])).toThrow(
      'Dot "dot0": axis 0 is out of range for input 0 of shape (None, 3) (the batch axis cannot be reduced).',
    );
  });

  it('GroupNormalization and EinsumDense', () => {
    expect(() => new L.GroupNormalization({ groups: 3, name: 'gn' }).apply(z(1, 4, 8))).toThrow(
      'GroupNormalization "gn": number of groups (3) must be a multiple of the number of channels (8).',
    );
    expect(() => new L.GroupNormalization({ groups: 16, name: 'gn2' }).apply(z(1, 4, 8))).toThrow(
      'GroupNormalization "gn2": number of groups (16) cannot be more than the number of channels (8).',
    );
    expect(() => new L.EinsumDense('ab,bc', 4)).toThrow('EinsumDense: invalid einsum equation "ab,bc"');
    expect(() => new L.EinsumDense('abc,cd->abd', 4, { name: 'ed' }).apply(z(2, 3))).toThrow(
      'EinsumDense "ed": the equation "abc,cd->abd" expects inputs of rank 3, received rank 2.',
    );
    expect(() => new L.EinsumDense('ab,bc->ac', 4, { biasAxes: 'x', name: 'eb' }).apply(z(2, 3))).toThrow(
      'EinsumDense "eb": bias dimension x was requested, but is not part of the output spec ac',
    );
  });
});
