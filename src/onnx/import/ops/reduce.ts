/**
 * ReduceMean/Sum/Max over logical axes, read through the stored perm. A mean over the spatial axes
 * of an NHWC map with keepdims is Keras's GlobalAveragePooling2D(keepdims); the rest are OnnxOps.
 */
import { GlobalAveragePooling2D } from '../../../layers/pooling/global-pooling.js';
import * as ops from '../../../ops/index.js';
import type { Tensor } from '../../../tensor/tensor.js';
import { dyn, type OpNode } from '../builder.js';
import { channelsLastPerm, identityPerm, permWithout, type Value } from '../values.js';
import { dynInput, fail, intsFrom, normalizeAxis, type OpHandler } from './common.js';

const REDUCERS: Record<string, (x: Tensor, axes: number[], keep: boolean) => Tensor> = {
  ReduceMean: ops.mean,
  ReduceSum: ops.sum,
  ReduceMax: ops.max,
};

function reduce(node: OpNode): Value[] {
  const x = dynInput(node, 0);
  const rank = x.perm.length;
  // ReduceSum takes axes as an input from opset 13, the others from opset 18.
  const fromInput = node.opType === 'ReduceSum' ? node.opset >= 13 : node.opset >= 18;
  const raw = fromInput ? intsFrom(node, 1, '') : node.attrs.ints('axes');
  const keep = node.attrs.int('keepdims', 1) === 1;
  let axes = (raw ?? []).map((a) => normalizeAxis(node, a, rank));
  if (axes.length === 0) {
    if (node.attrs.int('noop_with_empty_axes', 0) === 1) return [x];
    axes = identityPerm(rank);
  }
  const stored = axes.map((a) => x.perm.indexOf(a));
  if (stored.includes(0) && x.tensor.shape[0] === null) fail(node, 'reducing over the free batch axis is not supported');
  const nhwc = channelsLastPerm(4);
  const spatialMean =
    node.opType === 'ReduceMean' &&
    keep &&
    rank === 4 &&
    x.perm.every((p, i) => p === nhwc[i]) &&
    [...axes].sort().join() === '2,3';
  const out = spatialMean
    ? node.b.applyOne(new GlobalAveragePooling2D({ keepdims: true, name: node.b.layerName(node) }), x.tensor)
    : node.b.opOne(node, [x.tensor], ([t]) =>
        (REDUCERS[node.opType] as (x: Tensor, a: number[], k: boolean) => Tensor)(t as Tensor, stored, keep),
      );
  return [dyn(out, keep ? x.perm : permWithout(x.perm, axes), x.nonNegative === true)];
}

export const REDUCE_OPS: Record<string, OpHandler> = { ReduceMean: reduce, ReduceSum: reduce, ReduceMax: reduce };
