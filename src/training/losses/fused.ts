/**
 * Softmax cross-entropy from logits as one differentiable op (tf.nn.softmax_cross_entropy_with_logits):
 * the forward pass is the backend's logSoftmax, the backward pass is softmax * sum(labels) - labels,
 * so no softmax/log intermediates are recorded and large logits cannot overflow. Written with ops,
 * so it runs on the backend that holds the logits and reads nothing back.
 */
import { noGrad, record } from '../../autograd/record.js';
import { castTo } from '../../ops/engine.js';
import * as ops from '../../ops/index.js';
import { formatShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';

/** -sum(labels * logSoftmax(logits)) over the last axis; labels and logits have the same shape. */
export function softmaxCrossEntropyWithLogits(labels: Tensor, logits: Tensor): Tensor {
  if (labels.rank !== logits.rank || labels.shape.some((d, i) => d !== logits.shape[i])) {
    throw new Error(
      `softmaxCrossEntropyWithLogits: labels shape ${formatShape(labels.shape)} does not match logits shape ${formatShape(logits.shape)}.`,
    );
  }
  if (logits.rank < 1) throw new Error('softmaxCrossEntropyWithLogits: logits must have rank >= 1.');
  const { t, logp, out } = noGrad(() => {
    const t = castTo(labels, 'float32');
    const logp = ops.logSoftmax(castTo(logits, 'float32'), -1);
    return { t, logp, out: ops.neg(ops.sum(ops.mul(t, logp), -1)) };
  });
  return record('softmaxCrossEntropyWithLogits', out, [labels, logits], (dy) => {
    const g = ops.expandDims(castTo(dy, 'float32'), -1);
    const dLogits = logits.requiresGrad ? ops.mul(g, ops.sub(ops.mul(ops.exp(logp), ops.sum(t, -1, true)), t)) : null;
    const dLabels = labels.requiresGrad ? ops.neg(ops.mul(g, logp)) : null;
    return [dLabels, dLogits];
  });
}
