/**
 * Window geometry shared by convolutions and pooling, with TensorFlow/Keras padding arithmetic:
 * 'valid' uses only windows that fit; 'same' gives ceil(in / stride) outputs and splits the
 * padding with the extra cell (if odd) at the bottom/right.
 */
import type { Conv2DInfo } from '../backend/backend.js';
import { formatShape } from '../tensor/shape.js';

export type Padding = 'valid' | 'same';

/** Options of every windowed op (conv2d, depthwiseConv2d, pools). */
export interface WindowOptions {
  strides?: number | readonly [number, number];
  padding?: Padding;
}

export interface Conv2DOptions extends WindowOptions {
  dilationRate?: number | readonly [number, number];
}

/** The largest window, stride or dilation: the kernels (like TensorFlow's) index windows with int32. */
const MAX_WINDOW = 2 ** 31 - 1;

/** Reads a number-or-pair option as a pair of positive integers (at most 2^31 - 1, as in TensorFlow). */
export function pairOf(value: number | readonly number[], what: string, op: string): [number, number] {
  const pair = typeof value === 'number' ? [value, value] : [...value];
  if (pair.length !== 2 || pair.some((v) => !Number.isInteger(v) || (v as number) < 1 || (v as number) > MAX_WINDOW)) {
    throw new Error(
      `${op}: ${what} must be a positive integer up to ${MAX_WINDOW} or a pair of them, received ${JSON.stringify(value)}.`,
    );
  }
  return pair as [number, number];
}

export function parsePadding(padding: unknown, op: string): Padding {
  if (padding === undefined) return 'valid';
  const p = typeof padding === 'string' ? padding.toLowerCase() : padding;
  if (p !== 'valid' && p !== 'same')
    throw new Error(`${op}: padding must be 'valid' or 'same', received ${JSON.stringify(padding)}.`);
  return p;
}

/**
 * Output length and padding of one spatial axis (Keras's `conv_output_length` plus TensorFlow's
 * padding split). Throws, naming the op, when a 'valid' window does not fit.
 */
export function convOutputLength(
  inputLength: number,
  filterSize: number,
  padding: Padding,
  stride: number,
  dilation = 1,
): { length: number; padBefore: number; padAfter: number } {
  const effective = (filterSize - 1) * dilation + 1;
  if (padding === 'same') {
    const length = Math.ceil(inputLength / stride);
    const total = Math.max((length - 1) * stride + effective - inputLength, 0);
    const padBefore = Math.floor(total / 2);
    return { length, padBefore, padAfter: total - padBefore };
  }
  return { length: Math.max(0, Math.ceil((inputLength - effective + 1) / stride)), padBefore: 0, padAfter: 0 };
}

/** The geometry of a window of [filterHeight, filterWidth] over an NHWC input. */
export function windowInfo(
  op: string,
  xShape: readonly number[],
  filter: [number, number],
  outChannels: number,
  options: Conv2DOptions,
): Conv2DInfo {
  const [batch, inHeight, inWidth, inChannels] = xShape as [number, number, number, number];
  const [strideHeight, strideWidth] = pairOf(options.strides ?? 1, 'strides', op);
  const [dilationHeight, dilationWidth] = pairOf(options.dilationRate ?? 1, 'dilationRate', op);
  const padding = parsePadding(options.padding, op);
  const [filterHeight, filterWidth] = filter;
  const spanH = (filterHeight - 1) * dilationHeight + 1;
  const spanW = (filterWidth - 1) * dilationWidth + 1;
  if (spanH > MAX_WINDOW || spanW > MAX_WINDOW) {
    throw new Error(
      `${op}: a ${spanH}x${spanW} window (filter ${filterHeight}x${filterWidth}, dilation ${dilationHeight}x${dilationWidth}) ` +
        `is larger than ${MAX_WINDOW} cells along an axis.`,
    );
  }
  const rows = convOutputLength(inHeight, filterHeight, padding, strideHeight, dilationHeight);
  const cols = convOutputLength(inWidth, filterWidth, padding, strideWidth, dilationWidth);
  if (rows.length === 0 || cols.length === 0) {
    throw new Error(
      `${op}: a ${spanH}x${spanW} window (filter ${filterHeight}x${filterWidth}, dilation ${dilationHeight}x${dilationWidth}) ` +
        `does not fit in the ${inHeight}x${inWidth} input of shape ${formatShape(xShape)} with 'valid' padding.`,
    );
  }
  return {
    batch,
    inHeight,
    inWidth,
    inChannels,
    outHeight: rows.length,
    outWidth: cols.length,
    outChannels,
    filterHeight,
    filterWidth,
    strideHeight,
    strideWidth,
    dilationHeight,
    dilationWidth,
    padTop: rows.padBefore,
    padBottom: rows.padAfter,
    padLeft: cols.padBefore,
    padRight: cols.padAfter,
  };
}

/** Checks an NHWC input: rank 4 with non-empty spatial axes. */
export function expectNHWC(shape: readonly number[], op: string, arg = 'x'): void {
  if (shape.length !== 4) {
    throw new Error(`${op}: ${arg} must be rank 4 [batch, height, width, channels], received shape ${formatShape(shape)}.`);
  }
}

export function outShapeOf(info: Conv2DInfo): number[] {
  return [info.batch, info.outHeight, info.outWidth, info.outChannels];
}
