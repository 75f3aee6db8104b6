/**
 * Default convolution gradients, each one forward `conv2d` on rearranged operands:
 * the input gradient is a full correlation of the stride-dilated dy with the flipped, in/out
 * swapped filter; the filter gradient is a correlation of the input (batch moved to channels)
 * with dy used as the filter, stride and dilation trading places.
 */
import type { Conv2DInfo, RequiredPrimitives, Storage } from '../backend.js';
import { allocF32, indexTable } from './elementwise.js';
import { dilatedExtent, landing } from './window.js';

/** filter [KH, KW, I, O] -> [KH, KW, O, I] reversed along KH and KW. */
function flipAndSwap(b: RequiredPrimitives, filter: Storage, kh: number, kw: number, i: number, o: number): Storage {
  const size = kh * kw * i * o;
  const flippedH = allocF32(b, size);
  b.gather(filter, [kh, kw, i, o], indexTable(b, kh, kh - 1, -1), 0, flippedH);
  const flipped = allocF32(b, size);
  b.gather(flippedH, [kh, kw, i, o], indexTable(b, kw, kw - 1, -1), 1, flipped);
  const swapped = allocF32(b, size);
  b.transpose(flipped, [kh, kw, i, o], [0, 1, 3, 2], swapped);
  return swapped;
}

export function conv2dBackpropInput(b: RequiredPrimitives, dy: Storage, filter: Storage, dx: Storage, info: Conv2DInfo): void {
  const { batch: N, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, outChannels: F } = info;
  const { filterHeight: KH, filterWidth: KW } = info;
  const eh = dilatedExtent(KH, info.dilationHeight);
  const ew = dilatedExtent(KW, info.dilationWidth);
  // dy spread out by the stride inside a frame padded by the filter's reach: dy[i] sits at
  // (eh - 1 - padTop) + i * stride; rows that fall outside only ever met padding, and are dropped
  const PH = H + eh - 1;
  const PW = W + ew - 1;
  const rows = landing(OH, info.strideHeight, eh - 1 - info.padTop, PH);
  const cols = landing(OW, info.strideWidth, ew - 1 - info.padLeft, PW);
  const spread = allocF32(b, N * PH * PW * F);
  if (rows.count > 0 && cols.count > 0) {
    const kept = [N, rows.count, cols.count, F];
    const inside = allocF32(b, N * rows.count * cols.count * F);
    b.slice(dy, [N, OH, OW, F], [0, rows.first, cols.first, 0], kept, [1, 1, 1, 1], inside);
    b.sliceAssign(
      spread,
      [N, PH, PW, F],
      inside,
      kept,
      [0, rows.at, cols.at, 0],
      [1, info.strideHeight, info.strideWidth, 1],
      false,
    );
  }
  b.conv2d(spread, flipAndSwap(b, filter, KH, KW, C, F), dx, {
    batch: N,
    inHeight: PH,
    inWidth: PW,
    inChannels: F,
    outHeight: H,
    outWidth: W,
    outChannels: C,
    filterHeight: KH,
    filterWidth: KW,
    strideHeight: 1,
    strideWidth: 1,
    dilationHeight: info.dilationHeight,
    dilationWidth: info.dilationWidth,
    padTop: 0,
    padLeft: 0,
    padBottom: 0,
    padRight: 0,
  });
}

export function conv2dBackpropFilter(b: RequiredPrimitives, x: Storage, dy: Storage, dFilter: Storage, info: Conv2DInfo): void {
  const { batch: N, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, outChannels: F } = info;
  const { filterHeight: KH, filterWidth: KW } = info;
  // dW[kh, kw, c, f] = Σ_{n,i,j} x[n, i*sh + kh*dh - pt, j*sw + kw*dw - pl, c] · dy[n, i, j, f]:
  // a convolution of x as [C, H, W, N] with dy as an [OH, OW, N, F] filter, giving [C, KH, KW, F]
  const xT = allocF32(b, N * H * W * C);
  b.transpose(x, [N, H, W, C], [3, 1, 2, 0], xT);
  const dyT = allocF32(b, N * OH * OW * F);
  b.transpose(dy, [N, OH, OW, F], [1, 2, 0, 3], dyT);
  const grad = allocF32(b, C * KH * KW * F);
  b.conv2d(xT, dyT, grad, {
    batch: C,
    inHeight: H,
    inWidth: W,
    inChannels: N,
    outHeight: KH,
    outWidth: KW,
    outChannels: F,
    filterHeight: OH,
    filterWidth: OW,
    strideHeight: info.dilationHeight,
    strideWidth: info.dilationWidth,
    dilationHeight: info.strideHeight,
    dilationWidth: info.strideWidth,
    padTop: info.padTop,
    padLeft: info.padLeft,
    padBottom: info.padBottom,
    padRight: info.padRight,
  });
  b.transpose(grad, [C, KH, KW, F], [1, 2, 0, 3], dFilter);
}
