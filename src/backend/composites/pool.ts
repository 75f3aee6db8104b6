/**
 * Default pooling gradients, tap by tap: the input is padded so every window lies inside it, each
 * window tap is one strided slice of the padded frame (one value per output), and gradients go
 * back through the adjoint strided write (sliceAssign with accumulate). Cost grows with the
 * number of window taps, which is why fast backends override these.
 */
import type { Conv2DInfo, RequiredPrimitives, Storage } from '../backend.js';
import { allocF32, allocI32, scalar } from './elementwise.js';
import { paddedSize, taps } from './window.js';

/** Shapes of one pooling geometry: the input, the padded frame and the output. */
function frames(info: Conv2DInfo) {
  const { batch: N, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const [PH, PW] = paddedSize(info);
  return {
    input: [N, H, W, C],
    padded: [N, PH, PW, C],
    output: [N, OH, OW, C],
    paddings: [
      [0, 0],
      [info.padTop, PH - H - info.padTop],
      [info.padLeft, PW - W - info.padLeft],
      [0, 0],
    ] as [number, number][],
    paddedSize: N * PH * PW * C,
    outputSize: N * OH * OW * C,
  };
}

/** Where tap (kh, kw) of every window sits in the padded frame: begin and step of its strided slice. */
function tapBox(info: Conv2DInfo, kh: number, kw: number): { begin: number[]; step: number[] } {
  return {
    begin: [0, kh * info.dilationHeight, kw * info.dilationWidth, 0],
    step: [1, info.strideHeight, info.strideWidth, 1],
  };
}

/** Crops the padded frame's gradient back to the input. */
function crop(b: RequiredPrimitives, padded: Storage, info: Conv2DInfo, dx: Storage): void {
  const f = frames(info);
  b.slice(padded, f.padded, [0, info.padTop, info.padLeft, 0], f.input, [1, 1, 1, 1], dx);
}

export function maxPool2dGrad(b: RequiredPrimitives, x: Storage, dy: Storage, dx: Storage, info: Conv2DInfo): void {
  const f = frames(info);
  const tapCount = info.filterHeight * info.filterWidth;
  // padding reads -Infinity so it never wins; the taps stacked as [tapCount, outputSize]
  const padded = allocF32(b, f.paddedSize);
  b.pad(x, f.input, f.paddings, 'constant', Number.NEGATIVE_INFINITY, padded);
  const stacked = allocF32(b, tapCount * f.outputSize);
  const tap = allocF32(b, f.outputSize);
  let k = 0;
  for (const [kh, kw] of taps(info)) {
    const { begin, step } = tapBox(info, kh, kw);
    b.slice(padded, f.padded, begin, f.output, step, tap);
    b.sliceAssign(stacked, [tapCount, f.outputSize], tap, [1, f.outputSize], [k, 0], [1, 1], false);
    k++;
  }
  // argmax takes the first of equal maxima: the row-major first tap, as the contract asks
  const winner = allocI32(b, f.outputSize);
  b.argReduce('argmax', stacked, [tapCount, f.outputSize], 0, winner);
  const grad = allocF32(b, f.paddedSize);
  const zero = scalar(b, 0);
  const isWinner = allocI32(b, f.outputSize);
  const routed = allocF32(b, f.outputSize);
  k = 0;
  for (const [kh, kw] of taps(info)) {
    b.compare('equal', winner, [f.outputSize], scalar(b, k, 'int32'), [], isWinner, [f.outputSize]);
    b.select(isWinner, [f.outputSize], dy, [f.outputSize], zero, [], routed, [f.outputSize]);
    const { begin, step } = tapBox(info, kh, kw);
    b.sliceAssign(grad, f.padded, routed, f.output, begin, step, true);
    k++;
  }
  crop(b, grad, info, dx);
}

export function avgPool2dGrad(b: RequiredPrimitives, dy: Storage, dx: Storage, info: Conv2DInfo): void {
  const f = frames(info);
  const one = [1, info.inHeight, info.inWidth, 1];
  const onePadded = [1, f.padded[1] as number, f.padded[2] as number, 1];
  const oneOut = [1, info.outHeight, info.outWidth, 1];
  const cellsOut = info.outHeight * info.outWidth;
  // cells of each window inside the input: the sum over taps of a padded frame of ones
  const ones = allocF32(b, info.inHeight * info.inWidth);
  b.unary('affine', ones, ones, 0, 1);
  const inside = allocF32(b, (f.padded[1] as number) * (f.padded[2] as number));
  b.pad(ones, one, [[0, 0], f.paddings[1] as [number, number], f.paddings[2] as [number, number], [0, 0]], 'constant', 0, inside);
  let count = allocF32(b, cellsOut);
  const tap = allocF32(b, cellsOut);
  for (const [kh, kw] of taps(info)) {
    const { begin, step } = tapBox(info, kh, kw);
    b.slice(inside, onePadded, begin, oneOut, step, tap);
    const next = allocF32(b, cellsOut);
    b.binary('add', count, oneOut, tap, oneOut, next, oneOut);
    count = next;
  }
  // a window with no cell inside divides by zero, but spreads only onto padding, cropped below
  const share = allocF32(b, f.outputSize);
  b.binary('div', dy, f.output, count, oneOut, share, f.output);
  const grad = allocF32(b, f.paddedSize);
  for (const [kh, kw] of taps(info)) {
    const { begin, step } = tapBox(info, kh, kw);
    b.sliceAssign(grad, f.padded, share, f.output, begin, step, true);
  }
  crop(b, grad, info, dx);
}
