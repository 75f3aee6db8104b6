/**
 * Softmax cross-entropy from logits as one differentiable op (tf.nn.softmax_cross_entropy_with_logits):
 * the forward pass is the backend's logSoftmax, the backward pass is softmax * sum(labels) - labels,
 * so no softmax/log intermediates are kept and large logits cannot overflow.
 */
import { record } from '../../autograd/record.js';
import { backend } from '../../backend/registry.js';
import { castTo } from '../../ops/engine.js';
import { formatShape } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';

/** -sum(labels * logSoftmax(logits)) over the last axis; labels and logits have the same shape. */
export function softmaxCrossEntropyWithLogits(labels: Tensor, logits: Tensor): Tensor {
  if (labels.rank !== logits.rank || labels.shape.some((d, i) => d !== logits.shape[i])) {
    throw new Error(
      `softmaxCrossEntropyWithLogits: labels shape ${formatShape(labels.shape)} does not match logits shape ${formatShape(logits.shape)}.`,
    );
  }
  if (logits.rank < 1) throw new Error('softmaxCrossEntropyWithLogits: logits must have rank >= 1.');
  const z = castTo(logits, 'float32');
  const t = castTo(labels, 'float32');
  const cols = z.shape[z.rank - 1] as number;
  const rows = cols === 0 ? 0 : z.size / cols;
  const logp = new Float32Array(z.size);
  backend().logSoftmax(z.dataSync() as Float32Array, rows, cols, logp);
  const tv = t.dataSync() as Float32Array;
  const loss = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    const o = r * cols;
    for (let j = 0; j < cols; j++) {
      const tj = tv[o + j] as number;
      if (tj !== 0) s -= tj * (logp[o + j] as number);
    }
    loss[r] = s;
  }
  const out = new Tensor(loss, z.shape.slice(0, -1));
  return record('softmaxCrossEntropyWithLogits', out, [labels, logits], (dy) => {
    const g = dy.dataSync() as Float32Array;
    let dLogits: Tensor | null = null;
    if (logits.requiresGrad) {
      const d = new Float32Array(z.size);
      for (let r = 0; r < rows; r++) {
        const o = r * cols;
        let labelSum = 0;
        for (let j = 0; j < cols; j++) labelSum += tv[o + j] as number;
        const gr = g[r] as number;
        for (let j = 0; j < cols; j++) {
          d[o + j] = gr * (Math.exp(logp[o + j] as number) * labelSum - (tv[o + j] as number));
        }
      }
      dLogits = new Tensor(d, logits.shape);
    }
    let dLabels: Tensor | null = null;
    if (labels.requiresGrad) {
      const d = new Float32Array(z.size);
      for (let r = 0; r < rows; r++) {
        const gr = g[r] as number;
        for (let j = 0; j < cols; j++) d[r * cols + j] = -gr * (logp[r * cols + j] as number);
      }
      dLabels = new Tensor(d, labels.shape);
    }
    return [dLabels, dLogits];
  });
}
