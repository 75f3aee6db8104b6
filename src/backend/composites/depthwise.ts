/**
 * Default depthwise convolution: the [KH, KW, C, M] filter expanded to a full [KH, KW, C, C·M]
 * filter that is zero off the channel diagonal, then the ordinary convolution kernels. It costs
 * C times the multiply-adds of a true depthwise kernel, which is why fast backends override it.
 */
import type { Backend, Conv2DInfo, RequiredPrimitives, Storage } from '../backend.js';
import { allocF32, allocI32, indexTable } from './elementwise.js';

/** The float32 C x C identity. */
function identity(b: RequiredPrimitives, c: number): Storage {
  const iota = indexTable(b, c);
  const mask = allocI32(b, c * c);
  b.compare('equal', iota, [c, 1], iota, [1, c], mask, [c, c]);
  const eye = allocF32(b, c * c);
  b.cast(mask, eye);
  return eye;
}

interface DepthwiseGeometry {
  taps: number;
  channels: number;
  multiplier: number;
}

function geometry(info: Conv2DInfo): DepthwiseGeometry {
  return {
    taps: info.filterHeight * info.filterWidth,
    channels: info.inChannels,
    multiplier: info.outChannels / info.inChannels,
  };
}

/** full[k, c, c', m] = filter[k, c, m] · (c == c'): output channel c'·M + m reads input channel c' only. */
function expandFilter(b: RequiredPrimitives, filter: Storage, g: DepthwiseGeometry): Storage {
  const { taps, channels: C, multiplier: M } = g;
  const full = allocF32(b, taps * C * C * M);
  b.binary('mul', filter, [taps, C, 1, M], identity(b, C), [1, C, C, 1], full, [taps, C, C, M]);
  return full;
}

export function depthwiseConv2d(b: Backend, x: Storage, filter: Storage, out: Storage, info: Conv2DInfo): void {
  b.conv2d(x, expandFilter(b, filter, geometry(info)), out, info);
}

export function depthwiseConv2dBackpropInput(b: Backend, dy: Storage, filter: Storage, dx: Storage, info: Conv2DInfo): void {
  b.conv2dBackpropInput(dy, expandFilter(b, filter, geometry(info)), dx, info);
}

export function depthwiseConv2dBackpropFilter(b: Backend, x: Storage, dy: Storage, dFilter: Storage, info: Conv2DInfo): void {
  const g = geometry(info);
  const { taps, channels: C, multiplier: M } = g;
  const full = allocF32(b, taps * C * C * M);
  b.conv2dBackpropFilter(x, dy, full, info);
  // keep the diagonal: Σ_c' full[k, c, c', m] · (c == c')
  const masked = allocF32(b, taps * C * C * M);
  b.binary('mul', full, [taps, C, C, M], identity(b, C), [1, C, C, 1], masked, [taps, C, C, M]);
  b.reduce('sum', masked, [taps, C, C, M], [2], dFilter);
}
