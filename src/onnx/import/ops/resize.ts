/**
 * Resize of an NCHW map by whole factors on H and W in 'nearest' mode (what torch's
 * interpolate(scale_factor=k, mode='nearest') and nn.Upsample export): each pixel repeated
 * k times, computed on the NHWC map by a broadcast, so it differentiates.
 */
import * as ops from '../../../ops/index.js';
import type { Tensor } from '../../../tensor/tensor.js';
import { dyn, type OpNode } from '../builder.js';
import { constValues } from '../const-array.js';
import { channelsLastPerm, logicalShape, type Value } from '../values.js';
import { checkElements, dynInput, fail, type OpHandler, optionalInput } from './common.js';

function resize(node: OpNode): Value[] {
  const x0 = dynInput(node, 0);
  if (x0.perm.length !== 4) fail(node, `only rank-4 (NCHW) inputs are supported, received rank ${x0.perm.length}`);
  const mode = node.attrs.string('mode', 'nearest');
  if (mode !== 'nearest') fail(node, `mode '${mode}' is not supported (only 'nearest' with whole scale factors)`);
  const shape = logicalShape(x0);
  const operand = (i: number): number[] | null => {
    const v = optionalInput(node, i);
    if (v?.kind !== 'const' || v.value.data.length === 0) return null;
    return constValues(v.value);
  };
  const scales = operand(2) ?? operand(3)?.map((n, i) => n / (shape[i] ?? n)) ?? null;
  if (scales?.length !== 4) fail(node, 'needs constant scales or sizes for the 4 axes');
  const [sh, sw] = [scales[2] as number, scales[3] as number];
  if (scales[0] !== 1 || scales[1] !== 1 || !Number.isInteger(sh) || !Number.isInteger(sw) || sh < 1 || sw < 1) {
    fail(node, `scales [${scales.join(', ')}] are not whole factors on H and W`);
  }
  if (node.attrs.has('axes')) fail(node, "the 'axes' attribute is not supported");
  if (node.attrs.int('antialias', 0) !== 0) fail(node, 'antialias=1 is not supported');
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

export const RESIZE_OPS: Record<string, OpHandler> = { Resize: resize };
