/**
 * Transposed 2-D convolution (Keras's Conv2DTranspose, TensorFlow's conv2d_transpose) over NHWC
 * input. It is the gradient of a forward convolution with respect to its input, so it runs on the
 * backend's `conv2dBackpropInput` kernel; its own gradients are the forward `conv2d` (for x) and
 * `conv2dBackpropFilter` with the roles of x and dy swapped (for the kernel). No new kernel needed.
 */
import { record } from '../autograd/record.js';
import type { Conv2DInfo } from '../backend/backend.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { expectNHWC, type Padding, pairOf, parsePadding } from './conv-geometry.js';
import { alloc, backendFor, castTo, expectTensor, output } from './engine.js';
import { pad } from './pad.js';

export interface Conv2DTransposeOptions {
  strides?: number | readonly [number, number];
  padding?: Padding;
  dilationRate?: number | readonly [number, number];
  /** Extra rows/columns at the bottom/right of the output (Keras's `output_padding`); each below its stride. */
  outputPadding?: number | readonly [number, number] | null;
}

/**
 * Keras's `compute_conv_transpose_output_length` plus the padding of the forward convolution it
 * inverts (Keras's conversion for lhs-dilated convolutions, which TensorFlow's SAME/VALID agree with).
 */
export function convTransposeLength(
  inputLength: number,
  kernel: number,
  padding: Padding,
  stride: number,
  dilation: number,
  outputPadding: number | null,
): { length: number; padBefore: number; padAfter: number } {
  const span = (kernel - 1) * dilation + 1;
  let length: number;
  let leftPad: number;
  if (padding === 'valid') {
    const extra = outputPadding ?? Math.max(span, stride) - span;
    length = (inputLength - 1) * stride + span + extra;
    leftPad = span - 1;
  } else {
    length =
      outputPadding === null
        ? inputLength * stride
        : (inputLength - 1) * stride + span - 2 * Math.floor(span / 2) + outputPadding;
    const padLen = outputPadding === null ? stride + span - 2 : span + (span % 2) - 2 + outputPadding;
    leftPad = Math.min(Math.floor(padLen / 2) + (padLen % 2), span - 1);
  }
  // The forward convolution from the output back to the input: padBefore rows before, the rest after.
  const padBefore = span - 1 - leftPad;
  const padAfter = (inputLength - 1) * stride + span - length - padBefore;
  return { length, padBefore, padAfter };
}

/**
 * The geometry of the forward convolution that conv2dTranspose(x, kernel) is the input gradient
 * of, and the zero rows/columns to append after it (see below).
 */
export function convTransposeInfo(
  op: string,
  xShape: readonly number[],
  kernelShape: readonly number[],
  options: Conv2DTransposeOptions,
): { info: Conv2DInfo; trailing: [number, number] } {
  expectNHWC(xShape, op);
  if (kernelShape.length !== 4) {
    throw new Error(
      `${op}: kernel must be rank 4 [height, width, outChannels, inChannels], received shape ${formatShape(kernelShape)}.`,
    );
  }
  const [batch, inHeight, inWidth, inChannels] = xShape as [number, number, number, number];
  const [kh, kw, filters, kc] = kernelShape as [number, number, number, number];
  if (kc !== inChannels) {
    throw new Error(
      `${op}: input has ${inChannels} channels (shape ${formatShape(xShape)}) but the kernel expects ${kc} ` +
        `(kernel shape ${formatShape(kernelShape)}, laid out [height, width, outChannels, inChannels]).`,
    );
  }
  const strides = pairOf(options.strides ?? 1, 'strides', op);
  const dilation = pairOf(options.dilationRate ?? 1, 'dilationRate', op);
  const padding = parsePadding(options.padding, op);
  const op2 = options.outputPadding ?? null;
  const outputPadding: [number | null, number | null] =
    op2 === null ? [null, null] : typeof op2 === 'number' ? [op2, op2] : [op2[0], op2[1]];
  outputPadding.forEach((p, i) => {
    const s = strides[i] as number;
    const d = dilation[i] as number;
    if (p !== null && (!Number.isInteger(p) || p < 0 || (p >= s && p >= d))) {
      throw new Error(
        `${op}: outputPadding must be a non-negative integer smaller than the stride or the dilation along each axis; ` +
          `received outputPadding=${JSON.stringify(op2)} with strides=${JSON.stringify(strides)} and dilationRate=${JSON.stringify(dilation)}.`,
      );
    }
  });
  const rows = convTransposeLength(inHeight, kh, padding, strides[0], dilation[0], outputPadding[0]);
  const cols = convTransposeLength(inWidth, kw, padding, strides[1], dilation[1], outputPadding[1]);
  if (rows.length <= 0 || cols.length <= 0) {
    throw new Error(
      `${op}: input of shape ${formatShape(xShape)} with kernel ${formatShape(kernelShape)}, padding '${padding}' and ` +
        `outputPadding=${JSON.stringify(op2)} gives no valid output (${rows.length}x${cols.length}).`,
    );
  }
  // A negative padAfter (valid padding with outputPadding) means trailing output rows no input reaches:
  // the kernel computes the rows it reaches and conv2dTranspose appends the zero rows.
  const trailing: [number, number] = [Math.max(-rows.padAfter, 0), Math.max(-cols.padAfter, 0)];
  const info = {
    batch,
    inHeight: rows.length - trailing[0],
    inWidth: cols.length - trailing[1],
    inChannels: filters,
    outHeight: inHeight,
    outWidth: inWidth,
    outChannels: inChannels,
    filterHeight: kh,
    filterWidth: kw,
    strideHeight: strides[0],
    strideWidth: strides[1],
    dilationHeight: dilation[0],
    dilationWidth: dilation[1],
    padTop: rows.padBefore,
    padBottom: Math.max(rows.padAfter, 0),
    padLeft: cols.padBefore,
    padRight: Math.max(cols.padAfter, 0),
  };
  return { info, trailing };
}

/**
 * Transposed convolution of x [batch, height, width, inChannels] with kernel [height, width,
 * outChannels, inChannels] (Keras's layout) to [batch, outHeight, outWidth, outChannels].
 */
export function conv2dTranspose(x: Tensor, kernel: Tensor, options: Conv2DTransposeOptions = {}): Tensor {
  const op = 'conv2dTranspose';
  expectTensor(x, op, 'x');
  expectTensor(kernel, op, 'kernel');
  const { info, trailing } = convTransposeInfo(op, x.shape, kernel.shape, options);
  const be = backendFor(op, x, kernel);
  const shape = [info.batch, info.inHeight, info.inWidth, info.inChannels];
  const out = alloc(be, 'float32', shape);
  const xs = castTo(x, 'float32');
  const ks = castTo(kernel, 'float32');
  be.conv2dBackpropInput(xs.storage, ks.storage, out, info);
  const y = record(op, output(be, out, shape, 'float32'), [x, kernel], (dy) => {
    const bg = backendFor(`${op} gradient`, x, kernel, dy);
    const g = castTo(dy, 'float32').storage;
    let dx: Tensor | null = null;
    let dk: Tensor | null = null;
    if (x.requiresGrad) {
      const v = alloc(bg, 'float32', x.shape);
      bg.conv2d(g, ks.storage, v, info);
      dx = output(bg, v, x.shape, 'float32');
    }
    if (kernel.requiresGrad) {
      const v = alloc(bg, 'float32', kernel.shape);
      bg.conv2dBackpropFilter(g, xs.storage, v, info);
      dk = output(bg, v, kernel.shape, 'float32');
    }
    return [dx, dk];
  });
  if (trailing[0] === 0 && trailing[1] === 0) return y;
  return pad(y, [
    [0, 0],
    [0, trailing[0]],
    [0, trailing[1]],
    [0, 0],
  ]);
}
