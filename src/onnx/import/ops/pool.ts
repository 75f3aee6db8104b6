/**
 * Pooling on NHWC. Unpadded windows are Keras's MaxPooling2D / AveragePooling2D. Padded ones:
 * a max pool over a tensor known to be >= 0 (after a ReLU, as in ResNet's stem) and an average
 * pool counting the pads are exactly ZeroPadding2D + the Keras pool, as Keras's own ResNet50
 * writes it; otherwise an OnnxOp pads with -inf (max) or divides by the count of real elements.
 */
import type { SymbolicTensor } from '../../../layers/engine/symbolic.js';
import { GlobalAveragePooling2D, GlobalMaxPooling2D } from '../../../layers/pooling/global-pooling.js';
import { AveragePooling2D, MaxPooling2D } from '../../../layers/pooling/pooling2d.js';
import { ZeroPadding2D } from '../../../layers/reshaping/zero-padding.js';
import * as ops from '../../../ops/index.js';
import type { Tensor } from '../../../tensor/tensor.js';
import { dyn, type OpNode } from '../builder.js';
import { channelsLastPerm, type Value } from '../values.js';
import { dynInput, fail, type OpHandler } from './common.js';
import { windowPads } from './conv.js';

function pool(node: OpNode): Value[] {
  const x0 = dynInput(node, 0);
  if (x0.perm.length !== 4) fail(node, `only 2-D pooling (rank-4 input) is supported, received rank ${x0.perm.length}`);
  const x = node.b.toPerm(node, x0, channelsLastPerm(4));
  const isMax = node.opType === 'MaxPool';
  const kernel = node.attrs.ints('kernel_shape') as number[] | null;
  if (kernel?.length !== 2) fail(node, 'kernel_shape must list 2 sizes');
  const strides = node.attrs.ints('strides', [1, 1]) as number[];
  const dilations = node.attrs.ints('dilations', [1, 1]) as number[];
  if (dilations.some((d) => d !== 1)) fail(node, `dilations [${dilations.join(', ')}] are not supported`);
  if (node.outputCount > 1 && isMax) fail(node, "MaxPool's Indices output is not supported");
  const inHW = [x.tensor.shape[1] as number, x.tensor.shape[2] as number];
  const pads = windowPads(node, inHW, kernel, strides, dilations, x.tensor.shape[3] as number);
  if (node.attrs.int('ceil_mode', 0) === 1) {
    // Extend the end pads so the last partial window exists; a window starting in the end pad is dropped (PyTorch's rule).
    for (let i = 0; i < 2; i++) {
      const span = (inHW[i] as number) + (pads[i] as number) + (pads[i + 2] as number) - (kernel[i] as number);
      let out = Math.ceil(span / (strides[i] as number)) + 1;
      if ((out - 1) * (strides[i] as number) >= (inHW[i] as number) + (pads[i] as number)) out--;
      pads[i + 2] = (pads[i + 2] as number) + Math.max((out - 1) * (strides[i] as number) - span, 0);
    }
  }
  const [top, left, bottom, right] = pads as [number, number, number, number];
  const padded = top + left + bottom + right > 0;
  const countPads = node.attrs.int('count_include_pad', 0) === 1;
  const kerasPool = () =>
    isMax
      ? new MaxPooling2D(kernel as [number, number], {
          strides: strides as [number, number],
          padding: 'valid',
          name: node.b.layerName(node),
        })
      : new AveragePooling2D(kernel as [number, number], {
          strides: strides as [number, number],
          padding: 'valid',
          name: node.b.layerName(node),
        });
  let out: SymbolicTensor;
  // Zero pads equal -inf pads for a max over values >= 0 as long as every window keeps a real element.
  const zeroPadsExact = isMax && x.nonNegative === true && pads.every((p, i) => p < (kernel[i % 2] as number));
  if (!padded || zeroPadsExact || (!isMax && countPads && node.attrs.int('ceil_mode', 0) === 0)) {
    let input = x.tensor;
    if (padded)
      input = node.b.applyOne(
        new ZeroPadding2D(
          [
            [top, bottom],
            [left, right],
          ],
          { name: node.b.layerName(node, '.pad') },
        ),
        input,
      );
    out = node.b.applyOne(kerasPool(), input);
  } else {
    if (!isMax && countPads) fail(node, 'count_include_pad=1 with ceil_mode=1 is not supported');
    const paddings: [number, number][] = [
      [0, 0],
      [top, bottom],
      [left, right],
      [0, 0],
    ];
    const options = { strides: strides as [number, number], padding: 'valid' as const };
    out = node.b.opOne(node, [x.tensor], ([t]) => {
      const input = t as Tensor;
      if (isMax)
        return ops.maxPool2d(
          ops.pad(input, paddings, { constantValue: Number.NEGATIVE_INFINITY }),
          kernel as [number, number],
          options,
        );
      const sums = ops.avgPool2d(ops.pad(input, paddings), kernel as [number, number], options);
      const ones = ops.ones([1, ...input.shape.slice(1, 3), 1]);
      const counts = ops.avgPool2d(ops.pad(ones, paddings), kernel as [number, number], options);
      return ops.div(sums, counts);
    });
  }
  return [dyn(out, channelsLastPerm(4), x.nonNegative === true && isMax)];
}

function globalPool(node: OpNode): Value[] {
  const x0 = dynInput(node, 0);
  if (x0.perm.length !== 4) fail(node, `only rank-4 inputs are supported, received rank ${x0.perm.length}`);
  const x = node.b.toPerm(node, x0, channelsLastPerm(4));
  const Pool = node.opType === 'GlobalMaxPool' ? GlobalMaxPooling2D : GlobalAveragePooling2D;
  const out = node.b.applyOne(new Pool({ keepdims: true, name: node.b.layerName(node) }), x.tensor);
  return [dyn(out, channelsLastPerm(4), x.nonNegative === true)];
}

export const POOL_OPS: Record<string, OpHandler> = {
  MaxPool: pool,
  AveragePool: pool,
  GlobalAveragePool: globalPool,
  GlobalMaxPool: globalPool,
};
