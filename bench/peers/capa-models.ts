/** The benchmark's models in capa, built from the public layers a user would use. */
import type * as capaModule from '../../src/index.js';
import { SEQUENCE } from '../lib.js';

type Capa = typeof capaModule;

/** The MNIST CNN of the training workload (Keras's mnist_convnet shape), compiled with Adam. */
export function mnistCnn(capa: Capa): capaModule.Sequential {
  const { layers } = capa;
  const model = new capa.Sequential([
    new layers.Conv2D(32, 3, { activation: 'relu', inputShape: [28, 28, 1] }),
    new layers.Conv2D(64, 3, { activation: 'relu' }),
    new layers.MaxPooling2D(2),
    new layers.Flatten(),
    new layers.Dense(128, { activation: 'relu' }),
    new layers.Dense(10, { activation: 'softmax' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy' });
  return model;
}

/** LSTM(256) or GRU(256) over 64x100x128 sequences, its last output into a Dense head. */
export function recurrentModel(capa: Capa, kind: 'lstm' | 'gru'): capaModule.Sequential {
  const { steps, features, units } = SEQUENCE.recurrent;
  const { layers } = capa;
  // resetAfter is Keras's GRU default and how PyTorch's nn.GRU computes its candidate.
  const rnn =
    kind === 'lstm'
      ? new layers.LSTM(units, { inputShape: [steps, features] })
      : new layers.GRU(units, { inputShape: [steps, features], resetAfter: true });
  return new capa.Sequential([rnn, new layers.Dense(SEQUENCE.classes)]);
}

/**
 * A post-norm transformer encoder as PyTorch's nn.TransformerEncoderLayer computes it with dropout
 * 0 (x = LN(x + MHA(x)); x = LN(x + FF(x)), ReLU feed-forward, LayerNorm epsilon 1e-5), stacked
 * `layers` times, then the mean over the sequence into a Dense head.
 */
export function transformerModel(capa: Capa): capaModule.Model {
  const { steps, dModel, heads, ff, layers: depth } = SEQUENCE.transformer;
  const { layers } = capa;
  const input = capa.Input({ shape: [steps, dModel] });
  let x = input;
  for (let i = 0; i < depth; i++) {
    const attended = new layers.MultiHeadAttention({ numHeads: heads, keyDim: dModel / heads }).apply([x, x]);
    x = new layers.LayerNormalization({ epsilon: 1e-5 }).apply(new layers.Add().apply([x, attended]));
    const hidden = new layers.Dense(ff, { activation: 'relu' }).apply(x);
    const projected = new layers.Dense(dModel).apply(hidden);
    x = new layers.LayerNormalization({ epsilon: 1e-5 }).apply(new layers.Add().apply([x, projected]));
  }
  const pooled = new layers.GlobalAveragePooling1D().apply(x);
  return new capa.Model(input, new layers.Dense(SEQUENCE.classes).apply(pooled));
}
