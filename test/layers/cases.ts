/**
 * The cases of the layer harness (harness.ts): one per layer configuration it covers, run by
 * layers.test.ts through the harness and by recycling.test.ts with poisoned, recycled storage.
 */
import * as capa from '../../src/index.js';
import { attentionConvCases } from './cases-attention-conv.js';
import type { LayerCase } from './harness.js';

const L = capa.layers;

export const layerCases: LayerCase[] = [
  { name: 'Dense', make: () => new L.Dense(3, { activation: 'relu' }), inputs: [[4, 5]], output: [4, 3], weights: 2 },
  {
    name: 'Dense rank 3, no bias, softmax',
    make: () => new L.Dense(3, { useBias: false, activation: 'softmax' }),
    inputs: [[2, 4, 5]],
    output: [2, 4, 3],
    weights: 1,
  },
  { name: 'Conv2D valid', make: () => new L.Conv2D(4, 3), inputs: [[2, 7, 6, 3]], output: [2, 5, 4, 4], weights: 2 },
  {
    name: 'Conv2D same strided tanh',
    make: () => new L.Conv2D(4, [3, 2], { strides: 2, padding: 'same', activation: 'tanh' }),
    inputs: [[2, 7, 6, 3]],
    output: [2, 4, 3, 4],
    weights: 2,
  },
  {
    name: 'Conv2D dilated elu',
    make: () => new L.Conv2D(2, 3, { dilationRate: 2, activation: 'elu' }),
    inputs: [[1, 9, 9, 2]],
    output: [1, 5, 5, 2],
    weights: 2,
  },
  {
    name: 'Conv1D causal',
    make: () => new L.Conv1D(3, 3, { padding: 'causal', dilationRate: 2 }),
    inputs: [[2, 8, 4]],
    output: [2, 8, 3],
    weights: 2,
  },
  { name: 'Conv1D strided', make: () => new L.Conv1D(3, 3, { strides: 2 }), inputs: [[2, 9, 4]], output: [2, 4, 3], weights: 2 },
  {
    name: 'DepthwiseConv2D',
    make: () => new L.DepthwiseConv2D(3, { depthMultiplier: 2, padding: 'same' }),
    inputs: [[2, 5, 5, 3]],
    output: [2, 5, 5, 6],
    weights: 2,
  },
  {
    name: 'SeparableConv2D',
    make: () => new L.SeparableConv2D(4, 3, { activation: 'relu' }),
    inputs: [[2, 6, 6, 3]],
    output: [2, 4, 4, 4],
    weights: 3,
  },
  { name: 'MaxPooling2D', make: () => new L.MaxPooling2D(2), inputs: [[2, 6, 5, 3]], output: [2, 3, 2, 3], weights: 0 },
  {
    name: 'MaxPooling2D same',
    make: () => new L.MaxPooling2D(3, { strides: 2, padding: 'same' }),
    inputs: [[2, 5, 5, 3]],
    output: [2, 3, 3, 3],
    weights: 0,
  },
  {
    name: 'AveragePooling2D',
    make: () => new L.AveragePooling2D([2, 3], { padding: 'same' }),
    inputs: [[2, 5, 5, 3]],
    output: [2, 3, 2, 3],
    weights: 0,
  },
  { name: 'MaxPooling1D', make: () => new L.MaxPooling1D(2), inputs: [[2, 7, 3]], output: [2, 3, 3], weights: 0 },
  {
    name: 'AveragePooling1D',
    make: () => new L.AveragePooling1D(3, { strides: 1 }),
    inputs: [[2, 7, 3]],
    output: [2, 5, 3],
    weights: 0,
  },
  {
    name: 'GlobalAveragePooling2D',
    make: () => new L.GlobalAveragePooling2D(),
    inputs: [[2, 4, 5, 3]],
    output: [2, 3],
    weights: 0,
  },
  {
    name: 'GlobalMaxPooling2D keepdims',
    make: () => new L.GlobalMaxPooling2D({ keepdims: true }),
    inputs: [[2, 4, 5, 3]],
    output: [2, 1, 1, 3],
    weights: 0,
  },
  { name: 'GlobalAveragePooling1D', make: () => new L.GlobalAveragePooling1D(), inputs: [[2, 4, 3]], output: [2, 3], weights: 0 },
  { name: 'GlobalMaxPooling1D', make: () => new L.GlobalMaxPooling1D(), inputs: [[2, 4, 3]], output: [2, 3], weights: 0 },
  { name: 'Flatten', make: () => new L.Flatten(), inputs: [[2, 3, 4, 2]], output: [2, 24], weights: 0 },
  { name: 'Reshape', make: () => new L.Reshape([4, -1]), inputs: [[2, 3, 4]], output: [2, 4, 3], weights: 0 },
  { name: 'Permute', make: () => new L.Permute([2, 1]), inputs: [[2, 3, 4]], output: [2, 4, 3], weights: 0 },
  {
    name: 'Dropout',
    make: () => new L.Dropout(0.5, { seed: 3 }),
    inputs: [[4, 6]],
    output: [4, 6],
    weights: 0,
    stochastic: true,
  },
  {
    name: 'SpatialDropout2D',
    make: () => new L.SpatialDropout2D(0.3, { seed: 3 }),
    inputs: [[2, 3, 3, 4]],
    output: [2, 3, 3, 4],
    weights: 0,
    stochastic: true,
  },
  {
    name: 'GaussianNoise',
    make: () => new L.GaussianNoise(0.1, { seed: 3 }),
    inputs: [[2, 5]],
    output: [2, 5],
    weights: 0,
    stochastic: true,
  },
  { name: 'Activation gelu', make: () => new L.Activation('gelu'), inputs: [[3, 4]], output: [3, 4], weights: 0 },
  {
    name: 'BatchNormalization',
    make: () => new L.BatchNormalization(),
    inputs: [[8, 3]],
    output: [8, 3],
    weights: 4,
    trainableWeights: 2,
  },
  {
    name: 'BatchNormalization axis 1',
    make: () => new L.BatchNormalization({ axis: 1, momentum: 0.9 }),
    inputs: [[4, 3, 5]],
    output: [4, 3, 5],
    weights: 4,
    trainableWeights: 2,
  },
  {
    name: 'LayerNormalization',
    make: () => new L.LayerNormalization(),
    inputs: [[4, 3, 5]],
    output: [4, 3, 5],
    weights: 2,
  },
  {
    name: 'LayerNormalization over the last two axes, no center',
    make: () => new L.LayerNormalization({ axis: [-2, -1], center: false, epsilon: 1e-5 }),
    inputs: [[4, 3, 5]],
    output: [4, 3, 5],
    weights: 1,
  },
  {
    name: 'ZeroPadding2D',
    make: () =>
      new L.ZeroPadding2D([
        [1, 0],
        [2, 3],
      ]),
    inputs: [[2, 3, 3, 2]],
    output: [2, 4, 8, 2],
    weights: 0,
  },
  { name: 'ZeroPadding1D', make: () => new L.ZeroPadding1D(2), inputs: [[2, 3, 2]], output: [2, 7, 2], weights: 0 },
  {
    name: 'Add',
    make: () => new L.Add(),
    inputs: [
      [2, 3],
      [2, 3],
      [2, 3],
    ],
    output: [2, 3],
    weights: 0,
  },
  {
    name: 'Subtract',
    make: () => new L.Subtract(),
    inputs: [
      [2, 3],
      [2, 3],
    ],
    output: [2, 3],
    weights: 0,
  },
  {
    name: 'Multiply broadcast',
    make: () => new L.Multiply(),
    inputs: [
      [2, 4, 3],
      [2, 1, 3],
    ],
    output: [2, 4, 3],
    weights: 0,
  },
  {
    name: 'Average',
    make: () => new L.Average(),
    inputs: [
      [2, 3],
      [2, 3],
    ],
    output: [2, 3],
    weights: 0,
  },
  {
    name: 'Maximum',
    make: () => new L.Maximum(),
    inputs: [
      [2, 3],
      [2, 3],
    ],
    output: [2, 3],
    weights: 0,
  },
  {
    name: 'Minimum',
    make: () => new L.Minimum(),
    inputs: [
      [2, 3],
      [2, 3],
    ],
    output: [2, 3],
    weights: 0,
  },
  {
    name: 'Concatenate',
    make: () => new L.Concatenate({ axis: 1 }),
    inputs: [
      [2, 3, 2],
      [2, 1, 2],
    ],
    output: [2, 4, 2],
    weights: 0,
  },
  {
    name: 'ReLU max/threshold/slope',
    make: () => new L.ReLU({ maxValue: 1.5, threshold: 0.2, negativeSlope: 0.1 }),
    inputs: [[3, 4]],
    output: [3, 4],
    weights: 0,
  },
  { name: 'ReLU6', make: () => new L.ReLU({ maxValue: 6 }), inputs: [[3, 4]], output: [3, 4], weights: 0 },
  { name: 'LeakyReLU', make: () => new L.LeakyReLU(), inputs: [[3, 4]], output: [3, 4], weights: 0 },
  { name: 'ELU', make: () => new L.ELU({ alpha: 0.5 }), inputs: [[3, 4]], output: [3, 4], weights: 0 },
  { name: 'Softmax', make: () => new L.Softmax({ axis: 1 }), inputs: [[2, 3, 4]], output: [2, 3, 4], weights: 0 },
  ...attentionConvCases,
  { name: 'SimpleRNN', make: () => new L.SimpleRNN(3), inputs: [[2, 5, 4]], output: [2, 3], weights: 3 },
  {
    name: 'LSTM returnSequences goBackwards',
    make: () => new L.LSTM(3, { returnSequences: true, goBackwards: true }),
    inputs: [[2, 5, 4]],
    output: [2, 5, 3],
    weights: 3,
  },
  { name: 'GRU resetAfter', make: () => new L.GRU(3), inputs: [[2, 5, 4]], output: [2, 3], weights: 3 },
  {
    name: 'GRU without resetAfter, no bias, cell loop (relu)',
    make: () => new L.GRU(3, { resetAfter: false, useBias: false, activation: 'relu' }),
    inputs: [[2, 5, 4]],
    output: [2, 3],
    weights: 2,
  },
  {
    name: 'LSTM with recurrent dropout',
    make: () => new L.LSTM(3, { dropout: 0.2, recurrentDropout: 0.2 }),
    inputs: [[2, 5, 4]],
    output: [2, 3],
    weights: 3,
    stochastic: true,
  },
  {
    name: 'RNN over stacked cells',
    make: () => new L.RNN(new L.StackedRNNCells([new L.SimpleRNNCell(3), new L.LSTMCell(2)]), { returnSequences: true }),
    inputs: [[2, 5, 4]],
    output: [2, 5, 2],
    weights: 6,
  },
  {
    name: 'Bidirectional GRU concat',
    make: () => new L.Bidirectional(new L.GRU(3, { returnSequences: true })),
    inputs: [[2, 5, 4]],
    output: [2, 5, 6],
    weights: 6,
  },
  {
    name: 'Bidirectional LSTM mul',
    make: () => new L.Bidirectional(new L.LSTM(3), { mergeMode: 'mul' }),
    inputs: [[2, 5, 4]],
    output: [2, 3],
    weights: 6,
  },
  {
    name: 'TimeDistributed Dense',
    make: () => new L.TimeDistributed(new L.Dense(2)),
    inputs: [[2, 5, 4]],
    output: [2, 5, 2],
    weights: 2,
  },
  { name: 'Masking', make: () => new L.Masking({ maskValue: 0.5 }), inputs: [[2, 5, 4]], output: [2, 5, 4], weights: 0 },
];

/** Models go through the same harness as layers. */
export const modelCases: LayerCase[] = [
  {
    name: 'Sequential',
    make: () => new capa.Sequential([new L.Dense(4, { inputDim: 3, activation: 'relu' }), new L.Dense(2)]),
    inputs: [[5, 3]],
    output: [5, 2],
    weights: 4,
  },
  {
    name: 'Functional',
    make: () => {
      const a = capa.Input({ shape: [3] });
      const b = capa.Input({ shape: [3] });
      const h = new L.Concatenate().apply([new L.Dense(2).apply(a), b]);
      return new capa.Model({ inputs: [a, b], outputs: new L.Dense(2, { activation: 'sigmoid' }).apply(h) });
    },
    inputs: [
      [5, 3],
      [5, 3],
    ],
    output: [5, 2],
    weights: 4,
  },
];
