/**
 * BatchNormalization (inference form) is Keras's BatchNormalization on the stored channel axis,
 * with ONNX's momentum (the running-average weight, like Keras's). LayerNormalization over the
 * trailing axes of a sample is Keras's LayerNormalization; otherwise an OnnxOp with the same math.
 */
import { BatchNormalization } from '../../../layers/normalization/batch-normalization.js';
import { LayerNormalization } from '../../../layers/normalization/layer-normalization.js';
import * as ops from '../../../ops/index.js';
import type { Tensor } from '../../../tensor/tensor.js';
import { dyn, type OpNode } from '../builder.js';
import { type ConstArray, sizeOfDims, toFloat32 } from '../const-array.js';
import { identityPerm, type Value } from '../values.js';
import { constInput, dynInput, fail, normalizeAxis, type OpHandler, optionalInput } from './common.js';

function batchNorm(node: OpNode): Value[] {
  if (node.attrs.int('training_mode', 0) !== 0)
    fail(node, 'training_mode=1 graphs are not supported; export the model in eval mode');
  const x = dynInput(node, 0);
  const [scale, bias, mean, variance] = [1, 2, 3, 4].map(
    (i) => constInput(node, i, ['scale', 'B', 'input_mean', 'input_var'][i - 1] as string).value,
  );
  const axis = x.perm.indexOf(1);
  const layer = new BatchNormalization({
    name: node.b.layerName(node),
    axis,
    epsilon: node.attrs.float('epsilon', 1e-5),
    momentum: node.attrs.float('momentum', 0.9),
  });
  const c = scale?.data.length as number;
  const weights = [scale, bias, mean, variance].map((v) => ({ values: toFloat32(v as NonNullable<typeof v>), shape: [c] }));
  return [dyn(node.b.applyOne(layer, x.tensor, weights), x.perm)];
}

function layerNorm(node: OpNode): Value[] {
  const x0 = dynInput(node, 0);
  const rank = x0.perm.length;
  const axis = normalizeAxis(node, node.attrs.int('axis', -1), rank);
  const eps = node.attrs.float('epsilon', 1e-5);
  if (node.outputCount > 1) fail(node, 'the Mean and InvStdDev outputs are not supported');
  // The normalized axes must be the trailing stored axes, in order; otherwise go to the graph's layout.
  const trailingOk = x0.perm.slice(axis).every((p, i) => p === axis + i);
  const x = trailingOk ? x0 : node.b.logical(node, x0);
  const scale = constInput(node, 1, 'Scale');
  const biasInput = optionalInput(node, 2);
  const bias = biasInput ? constInput(node, 2, 'B') : null;
  const axes = identityPerm(rank).slice(axis);
  const normalized = x.tensor.shape.slice(axis);
  const fullSize = (c: ConstArray) => c.data.length === sizeOfDims(normalized as number[]);
  if (axis > 0 && !normalized.includes(null) && fullSize(scale.value) && (!bias || fullSize(bias.value))) {
    // Keras's LayerNormalization over the same trailing axes: the model stays saveable.
    const layer = new LayerNormalization({
      name: node.b.layerName(node),
      axis: axes.map((a) => a - rank),
      epsilon: eps,
      center: bias !== null,
    });
    const paramShape = normalized as number[];
    const weights = [scale, ...(bias ? [bias] : [])].map((c) => ({ values: toFloat32(c.value), shape: paramShape }));
    return [dyn(node.b.applyOne(layer, x.tensor, weights), x.perm)];
  }
  const weights = [node.b.weight('gamma', scale), ...(bias ? [node.b.weight('beta', bias)] : [])];
  const out = node.b.opOne(
    node,
    [x.tensor],
    ([t], [gamma, beta]) => {
      const input = t as Tensor;
      const mean = ops.mean(input, axes, true);
      const centred = ops.sub(input, mean);
      const variance = ops.mean(ops.square(centred), axes, true);
      const normed = ops.mul(centred, ops.rsqrt(ops.add(variance, eps)));
      const scaled = ops.mul(normed, gamma as Tensor);
      return beta ? ops.add(scaled, beta) : scaled;
    },
    weights,
  );
  return [dyn(out, x.perm)];
}

export const NORMALIZATION_OPS: Record<string, OpHandler> = {
  BatchNormalization: batchNorm,
  LayerNormalization: layerNorm,
};
