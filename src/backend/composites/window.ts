/** Geometry shared by the convolution and pooling defaults: where window taps land. */
import type { Conv2DInfo } from '../backend.js';

/** The rows (or columns) of a strided sequence that land inside [0, limit). */
export interface Landing {
  /** First index of the sequence that lands inside. */
  first: number;
  /** How many consecutive indices land inside. */
  count: number;
  /** Where the first one lands. */
  at: number;
}

/** Indices i in [0, n) whose position offset + i * stride lies in [0, limit). */
export function landing(n: number, stride: number, offset: number, limit: number): Landing {
  const first = offset >= 0 ? 0 : Math.ceil(-offset / stride);
  const last = Math.min(n - 1, Math.floor((limit - 1 - offset) / stride));
  const count = Math.max(0, last - first + 1);
  return { first, count, at: offset + first * stride };
}

/** Extent of a dilated filter along one axis. */
export function dilatedExtent(taps: number, dilation: number): number {
  return (taps - 1) * dilation + 1;
}

/**
 * Height and width of the input padded so that every window of the output lies inside it
 * (padTop/padLeft before, as much as needed after; never less than the input itself).
 */
export function paddedSize(info: Conv2DInfo): [number, number] {
  const h = (info.outHeight - 1) * info.strideHeight + dilatedExtent(info.filterHeight, info.dilationHeight);
  const w = (info.outWidth - 1) * info.strideWidth + dilatedExtent(info.filterWidth, info.dilationWidth);
  return [Math.max(h, info.inHeight + info.padTop), Math.max(w, info.inWidth + info.padLeft)];
}

/** The window taps (kh, kw) in row-major order, the order ties are broken in. */
export function* taps(info: Conv2DInfo): Generator<[number, number]> {
  for (let kh = 0; kh < info.filterHeight; kh++) for (let kw = 0; kw < info.filterWidth; kw++) yield [kh, kw];
}
