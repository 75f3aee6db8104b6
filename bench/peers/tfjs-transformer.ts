/**
 * The transformer-train workload in TensorFlow.js. tfjs-layers has no attention layer, so the
 * encoder is written in tfjs-core ops the way a TF.js user would write it: variables, a loss
 * closure and `optimizer.minimize`. Same model as the PyTorch and capa peers: a 2-layer post-norm
 * encoder (multi-head self-attention, then a ReLU feed-forward, each with a residual and a layer
 * norm; no dropout), mean over the sequence into a Dense head, MSE loss, Adam.
 */
import type * as tfc from '@tensorflow/tfjs-core';

import { SEQUENCE } from '../lib.js';

type Core = typeof tfc;
type Tensor2D = tfc.Tensor2D;

interface Dense {
  w: tfc.Variable;
  b: tfc.Variable;
}
interface Norm {
  gamma: tfc.Variable;
  beta: tfc.Variable;
}
interface EncoderLayer {
  q: Dense;
  k: Dense;
  v: Dense;
  out: Dense;
  norm1: Norm;
  ff1: Dense;
  ff2: Dense;
  norm2: Norm;
}

export interface TransformerTraining {
  /** One training step on fixed random data; returns the loss before the update. */
  step: () => number;
  /** Every trained variable (the parameter count must equal the other peers'). */
  variables: tfc.Variable[];
}

/** The benchmark's transformer, its data and its Adam optimizer. */
export function transformerTraining(tf: Core): TransformerTraining {
  const { batch, steps, dModel, heads, ff, layers } = SEQUENCE.transformer;
  const headDim = dModel / heads;
  const dense = (inDim: number, outDim: number): Dense => ({
    w: tf.variable(tf.randomNormal([inDim, outDim], 0, 1 / Math.sqrt(inDim))),
    b: tf.variable(tf.zeros([outDim])),
  });
  const norm = (): Norm => ({ gamma: tf.variable(tf.ones([dModel])), beta: tf.variable(tf.zeros([dModel])) });
  const encoder: EncoderLayer[] = Array.from({ length: layers }, () => ({
    q: dense(dModel, dModel),
    k: dense(dModel, dModel),
    v: dense(dModel, dModel),
    out: dense(dModel, dModel),
    norm1: norm(),
    ff1: dense(dModel, ff),
    ff2: dense(ff, dModel),
    norm2: norm(),
  }));
  const head = dense(dModel, SEQUENCE.classes);

  const linear = (p: Dense, x: Tensor2D): Tensor2D => tf.add(tf.matMul(x, p.w), p.b);
  const layerNorm = (p: Norm, x: Tensor2D): Tensor2D => {
    const { mean, variance } = tf.moments(x, -1, true);
    return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-5))), p.gamma), p.beta);
  };
  /** [batch*steps, dModel] -> [batch, heads, steps, headDim] */
  const splitHeads = (x: Tensor2D): tfc.Tensor4D => tf.transpose(tf.reshape(x, [batch, steps, heads, headDim]), [0, 2, 1, 3]);
  const attention = (p: EncoderLayer, x: Tensor2D): Tensor2D => {
    const q = splitHeads(linear(p.q, x));
    const k = splitHeads(linear(p.k, x));
    const v = splitHeads(linear(p.v, x));
    const weights = tf.softmax(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(headDim)));
    const context = tf.reshape(tf.transpose(tf.matMul(weights, v), [0, 2, 1, 3]), [batch * steps, dModel]);
    return linear(p.out, context as Tensor2D);
  };
  const forward = (x: Tensor2D): Tensor2D => {
    let h = x;
    for (const p of encoder) {
      h = layerNorm(p.norm1, tf.add(h, attention(p, h)));
      h = layerNorm(p.norm2, tf.add(h, linear(p.ff2, tf.relu(linear(p.ff1, h)))));
    }
    const pooled = tf.mean(tf.reshape(h, [batch, steps, dModel]), 1) as Tensor2D;
    return linear(head, pooled);
  };

  const x = tf.randomNormal([batch * steps, dModel]) as Tensor2D;
  const y = tf.randomNormal([batch, SEQUENCE.classes]);
  const optimizer = tf.train.adam(0.001);
  const variables = [...encoder.flatMap((p) => [p.q, p.k, p.v, p.out, p.ff1, p.ff2]), head].flatMap((d) => [d.w, d.b]);
  variables.push(...encoder.flatMap((p) => [p.norm1, p.norm2]).flatMap((n) => [n.gamma, n.beta]));
  const step = (): number => {
    const loss = optimizer.minimize(() => tf.losses.meanSquaredError(y, forward(x)) as tfc.Scalar, true);
    if (!loss) throw new Error('transformer-train: minimize returned no loss');
    const value = loss.dataSync()[0] ?? Number.NaN;
    loss.dispose();
    return value;
  };
  return { step, variables };
}
