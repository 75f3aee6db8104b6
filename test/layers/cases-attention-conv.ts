/**
 * Harness cases (harness.ts) of the transposed and grouped convolutions, the reshaping layers,
 * Dot, EinsumDense, the attention layers and Group/UnitNormalization; cases.ts includes them.
 */
import * as capa from '../../src/index.js';
import type { LayerCase } from './harness.js';

const L = capa.layers;

export const attentionConvCases: LayerCase[] = [
  {
    name: 'Conv2DTranspose valid',
    make: () => new L.Conv2DTranspose(4, 3),
    inputs: [[2, 5, 4, 3]],
    output: [2, 7, 6, 4],
    weights: 2,
  },
  {
    name: 'Conv2DTranspose same strided relu',
    make: () => new L.Conv2DTranspose(3, [3, 2], { strides: 2, padding: 'same', activation: 'relu' }),
    inputs: [[2, 3, 4, 2]],
    output: [2, 6, 8, 3],
    weights: 2,
  },
  {
    name: 'Conv2DTranspose output padding, no bias',
    make: () => new L.Conv2DTranspose(2, 3, { strides: 2, outputPadding: 1, useBias: false }),
    inputs: [[1, 3, 3, 2]],
    output: [1, 8, 8, 2],
    weights: 1,
  },
  {
    name: 'Conv2DTranspose dilated',
    make: () => new L.Conv2DTranspose(2, 3, { dilationRate: 2 }),
    inputs: [[1, 4, 4, 3]],
    output: [1, 8, 8, 2],
    weights: 2,
  },
  {
    name: 'Conv1DTranspose strided same',
    make: () => new L.Conv1DTranspose(3, 4, { strides: 3, padding: 'same' }),
    inputs: [[2, 5, 2]],
    output: [2, 15, 3],
    weights: 2,
  },
  {
    name: 'Conv2D groups',
    make: () => new L.Conv2D(6, 3, { groups: 3, padding: 'same', activation: 'tanh' }),
    inputs: [[2, 5, 5, 3]],
    output: [2, 5, 5, 6],
    weights: 2,
  },
  { name: 'Conv1D groups', make: () => new L.Conv1D(4, 2, { groups: 2 }), inputs: [[2, 6, 4]], output: [2, 5, 4], weights: 2 },
  { name: 'UpSampling1D', make: () => new L.UpSampling1D(3), inputs: [[2, 4, 3]], output: [2, 12, 3], weights: 0 },
  {
    name: 'UpSampling2D nearest',
    make: () => new L.UpSampling2D([2, 3]),
    inputs: [[2, 3, 2, 2]],
    output: [2, 6, 6, 2],
    weights: 0,
  },
  {
    name: 'UpSampling2D bilinear',
    make: () => new L.UpSampling2D(2, { interpolation: 'bilinear' }),
    inputs: [[2, 3, 4, 2]],
    output: [2, 6, 8, 2],
    weights: 0,
  },
  { name: 'Cropping1D', make: () => new L.Cropping1D([1, 2]), inputs: [[2, 6, 3]], output: [2, 3, 3], weights: 0 },
  {
    name: 'Cropping2D',
    make: () =>
      new L.Cropping2D([
        [1, 0],
        [2, 1],
      ]),
    inputs: [[2, 5, 6, 3]],
    output: [2, 4, 3, 3],
    weights: 0,
  },
  { name: 'RepeatVector', make: () => new L.RepeatVector(4), inputs: [[3, 5]], output: [3, 4, 5], weights: 0 },
  { name: 'Identity', make: () => new L.Identity(), inputs: [[3, 5]], output: [3, 5], weights: 0 },
  {
    name: 'Dot axes [2, 2], normalized',
    make: () => new L.Dot([2, 2], { normalize: true }),
    inputs: [
      [2, 3, 4],
      [2, 5, 4],
    ],
    output: [2, 3, 5],
    weights: 0,
  },
  {
    name: 'Dot rank 2',
    make: () => new L.Dot(1),
    inputs: [
      [3, 4],
      [3, 4],
    ],
    output: [3, 1],
    weights: 0,
  },
  {
    name: 'EinsumDense with ellipsis and bias',
    make: () => new L.EinsumDense('...b,bc->...c', 5, { biasAxes: 'c', activation: 'relu' }),
    inputs: [[2, 3, 4]],
    output: [2, 3, 5],
    weights: 2,
  },
  {
    name: 'EinsumDense heads',
    make: () => new L.EinsumDense('abc,cde->abde', [null, 2, 3], { biasAxes: 'de' }),
    inputs: [[2, 3, 4]],
    output: [2, 3, 2, 3],
    weights: 2,
  },
  {
    name: 'MultiHeadAttention [query, value]',
    make: () => new L.MultiHeadAttention({ numHeads: 2, keyDim: 3 }),
    inputs: [
      [2, 4, 5],
      [2, 6, 7],
    ],
    output: [2, 4, 5],
    weights: 8,
  },
  {
    name: 'MultiHeadAttention [query, value, key], valueDim, outputShape, no bias',
    make: () => new L.MultiHeadAttention({ numHeads: 3, keyDim: 2, valueDim: 4, outputShape: 6, useBias: false }),
    inputs: [
      [2, 4, 5],
      [2, 3, 7],
      [2, 3, 8],
    ],
    output: [2, 4, 6],
    weights: 4,
  },
  {
    name: 'Attention dot with scale',
    make: () => new L.Attention({ useScale: true }),
    inputs: [
      [2, 3, 4],
      [2, 5, 4],
    ],
    output: [2, 3, 4],
    weights: 1,
  },
  {
    name: 'Attention concat with key',
    make: () => new L.Attention({ scoreMode: 'concat' }),
    inputs: [
      [2, 3, 4],
      [2, 5, 6],
      [2, 5, 4],
    ],
    output: [2, 3, 6],
    weights: 1,
  },
  {
    name: 'AdditiveAttention',
    make: () => new L.AdditiveAttention(),
    inputs: [
      [2, 3, 4],
      [2, 5, 4],
    ],
    output: [2, 3, 4],
    weights: 1,
  },
  {
    name: 'GroupNormalization',
    make: () => new L.GroupNormalization({ groups: 2 }),
    inputs: [[2, 3, 3, 4]],
    output: [2, 3, 3, 4],
    weights: 2,
  },
  { name: 'UnitNormalization', make: () => new L.UnitNormalization(), inputs: [[3, 5]], output: [3, 5], weights: 0 },
];
