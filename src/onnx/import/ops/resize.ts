/**
 * Resize of an NCHW map on H and W, computed on the NHWC map with differentiable ops: 'nearest'
 * by whole factors (torch's interpolate(scale_factor=k) and nn.Upsample) repeats each pixel k
 * times by a broadcast; 'linear' (bilinear, any size) gathers the two source rows and columns of
 * each output pixel and mixes them with weights fixed at import.
 */
import * as ops from '../../../ops/index.js';
import type { Tensor } from '../../../tensor/tensor.js';
import { dyn, type OpNode } from '../builder.js';
import { constValues } from '../const-array.js';
import { channelsLastPerm, type DynValue, logicalShape, type Value } from '../values.js';
import { checkElements, dynInput, fail, type OpHandler, optionalInput } from './common.js';

function resize(node: OpNode): Value[] {
  const x0 = dynInput(node, 0);
  if (x0.perm.length !== 4) fail(node, `only rank-4 (NCHW) inputs are supported, received rank ${x0.perm.length}`);
  const mode = node.attrs.string('mode', 'nearest');
  if (mode !== 'nearest' && mode !== 'linear') fail(node, `mode '${mode}' is not supported (nearest by whole factors, linear)`);
  const shape = logicalShape(x0);
  const operand = (i: number): number[] | null => {
    const v = optionalInput(node, i);
    if (v?.kind !== 'const' || v.value.data.length === 0) return null;
    return constValues(v.value);
  };
  const scales = operand(2) ?? operand(3)?.map((n, i) => n / (shape[i] ?? n)) ?? null;
  if (scales?.length !== 4) fail(node, 'needs constant scales or sizes for the 4 axes');
  const [sh, sw] = [scales[2] as number, scales[3] as number];
  if (scales[0] !== 1 || scales[1] !== 1) fail(node, `scales [${scales.join(', ')}] resize the batch or channel axis`);
  if (node.attrs.has('axes')) fail(node, "the 'axes' attribute is not supported");
  if (node.attrs.int('antialias', 0) !== 0) fail(node, 'antialias=1 is not supported');
  if (mode === 'linear') return linear(node, x0, shape as number[], operand(3), [sh, sw]);
  if (!Number.isInteger(sh) || !Number.isInteger(sw) || sh < 1 || sw < 1) {
    fail(node, `nearest resize by scales [${scales.join(', ')}]: only whole factors on H and W are supported`);
  }
  // For whole factors these coordinate modes all pick source pixel floor(i / k); align_corners and ceil do not.
  const coordinates = node.attrs.string('coordinate_transformation_mode', 'half_pixel');
  const rounding = node.attrs.string('nearest_mode', 'round_prefer_floor');
  const repeats =
    (coordinates === 'asymmetric' && rounding === 'floor') ||
    (['half_pixel', 'pytorch_half_pixel'].includes(coordinates) && rounding.startsWith('round_prefer'));
  if (!repeats) fail(node, `coordinate_transformation_mode '${coordinates}' with nearest_mode '${rounding}' is not supported`);
  checkElements(node, [shape[0] ?? null, shape[1] ?? null, (shape[2] as number) * sh, (shape[3] as number) * sw]);
  const x = node.b.toPerm(node, x0, channelsLastPerm(4));
  const out = node.b.opOne(node, [x.tensor], ([t]) => {
    const [n, h, w, c] = (t as Tensor).shape as [number, number, number, number];
    const spread = ops.broadcastTo(ops.reshape(t as Tensor, [n, h, 1, w, 1, c]), [n, h, sh, w, sw, c]);
    return ops.reshape(spread, [n, h * sh, w * sw, c]);
  });
  return [dyn(out, x.perm, x.nonNegative === true)];
}

/** Source coordinate of output index i (ONNX's coordinate_transformation_mode). */
function sourceCoordinate(node: OpNode, mode: string, i: number, inSize: number, outSize: number, scale: number): number {
  switch (mode) {
    case 'half_pixel':
      return (i + 0.5) / scale - 0.5;
    case 'pytorch_half_pixel':
      return outSize > 1 ? (i + 0.5) / scale - 0.5 : 0;
    case 'align_corners':
      return outSize > 1 ? (i * (inSize - 1)) / (outSize - 1) : 0;
    case 'asymmetric':
      return i / scale;
    default:
      return fail(node, `coordinate_transformation_mode '${mode}' is not supported for linear resize`);
  }
}

/** For each output index: the two source indices and the weight of the second. */
function linearTaps(node: OpNode, mode: string, inSize: number, outSize: number, scale: number) {
  const lo: number[] = [];
  const hi: number[] = [];
  const frac = new Float32Array(outSize);
  for (let i = 0; i < outSize; i++) {
    const x = Math.min(Math.max(sourceCoordinate(node, mode, i, inSize, outSize, scale), 0), inSize - 1);
    const i0 = Math.floor(x);
    lo.push(i0);
    hi.push(Math.min(i0 + 1, inSize - 1));
    frac[i] = x - i0;
  }
  return { lo, hi, frac };
}

function linear(node: OpNode, x0: DynValue, shape: number[], sizes: number[] | null, scales: [number, number]): Value[] {
  const [inH, inW] = [shape[2] as number, shape[3] as number];
  const outH = sizes ? (sizes[2] as number) : Math.floor(inH * scales[0]);
  const outW = sizes ? (sizes[3] as number) : Math.floor(inW * scales[1]);
  if (!(outH >= 1 && outW >= 1)) fail(node, `the output size ${outH}x${outW} is empty`);
  checkElements(node, [null, shape[1] ?? null, outH, outW]);
  const mode = node.attrs.string('coordinate_transformation_mode', 'half_pixel');
  // With sizes, ONNX takes the scale as output/input size.
  const rows = linearTaps(node, mode, inH, outH, sizes ? outH / inH : scales[0]);
  const cols = linearTaps(node, mode, inW, outW, sizes ? outW / inW : scales[1]);
  const x = node.b.toPerm(node, x0, channelsLastPerm(4));
  const weights = [
    { name: 'row_weights', values: rows.frac, shape: [1, outH, 1, 1], trainable: false },
    { name: 'col_weights', values: cols.frac, shape: [1, 1, outW, 1], trainable: false },
  ];
  const out = node.b.opOne(
    node,
    [x.tensor],
    ([t], [fy, fx]) => {
      const mix = (v: Tensor, lo: number[], hi: number[], f: Tensor, axis: number) => {
        const a = ops.gather(v, lo, axis);
        return ops.add(a, ops.mul(ops.sub(ops.gather(v, hi, axis), a), f));
      };
      return mix(mix(t as Tensor, rows.lo, rows.hi, fy as Tensor, 1), cols.lo, cols.hi, fx as Tensor, 2);
    },
    weights,
  );
  return [dyn(out, x.perm, x.nonNegative === true)];
}

export const RESIZE_OPS: Record<string, OpHandler> = { Resize: resize };
