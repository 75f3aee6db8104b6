/** 2-D convolutions over NHWC input (plain, fused bias + activation, depthwise) and their gradients. */
import { record } from '../autograd/record.js';
import type { Conv2DInfo, FusedActivation } from '../backend/backend.js';
import { formatShape } from '../tensor/shape.js';
import type { Storage } from '../tensor/storage.js';
import type { Tensor } from '../tensor/tensor.js';
import { fusedActivationGrad, parseFusedActivation } from './activations.js';
import { type Conv2DOptions, expectNHWC, outShapeOf, windowInfo } from './conv-geometry.js';
import { alloc, backendFor, castTo, expectTensor, output } from './engine.js';

/** x's storage as float32 (the op has checked x is on its backend). */
function f32(x: Tensor): Storage {
  return castTo(x, 'float32').storage;
}

/** Validates x [N,H,W,C] against an HWIO kernel [KH,KW,C,F] and returns the geometry. */
function convGeometry(op: string, x: Tensor, kernel: Tensor, options: Conv2DOptions): Conv2DInfo {
  expectTensor(x, op, 'x');
  expectTensor(kernel, op, 'kernel');
  expectNHWC(x.shape, op);
  if (kernel.rank !== 4) {
    throw new Error(
      `${op}: kernel must be rank 4 [height, width, inChannels, outChannels], received shape ${formatShape(kernel.shape)}.`,
    );
  }
  const [kh, kw, kc, f] = kernel.shape as [number, number, number, number];
  if (kc !== x.shape[3]) {
    throw new Error(
      `${op}: input has ${x.shape[3]} channels (shape ${formatShape(x.shape)}) but the kernel expects ${kc} ` +
        `(kernel shape ${formatShape(kernel.shape)}).`,
    );
  }
  return windowInfo(op, x.shape, [kh, kw], f, options);
}

function conv2dGradInput(dy: Tensor, kernel: Tensor, info: Conv2DInfo, xShape: readonly number[]): Tensor {
  const be = backendFor('conv2d gradient', dy, kernel);
  const dx = alloc(be, 'float32', xShape);
  be.conv2dBackpropInput(f32(dy), f32(kernel), dx, info);
  return output(be, dx, xShape, 'float32');
}

function conv2dGradKernel(x: Tensor, dy: Tensor, info: Conv2DInfo, kernelShape: readonly number[]): Tensor {
  const be = backendFor('conv2d gradient', x, dy);
  const dk = alloc(be, 'float32', kernelShape);
  be.conv2dBackpropFilter(f32(x), f32(dy), dk, info);
  return output(be, dk, kernelShape, 'float32');
}

/** Sums a gradient over every axis but the last (the gradient of a per-channel bias). */
function channelSum(dy: Tensor, shape: readonly number[]): Tensor {
  const channels = dy.shape[dy.rank - 1] as number;
  const be = backendFor('bias gradient', dy);
  const out = alloc(be, 'float32', [channels]);
  const axes = dy.shape.slice(0, -1).map((_, i) => i);
  be.reduce('sum', f32(dy), dy.shape, axes, out);
  return output(be, out, shape, 'float32');
}

/**
 * Convolution of x [batch, height, width, inChannels] with kernel [height, width, inChannels,
 * filters] (Keras's Conv2D, TensorFlow's conv2d with NHWC/HWIO).
 */
export function conv2d(x: Tensor, kernel: Tensor, options: Conv2DOptions = {}): Tensor {
  const info = convGeometry('conv2d', x, kernel, options);
  const be = backendFor('conv2d', x, kernel);
  const shape = outShapeOf(info);
  const out = alloc(be, 'float32', shape);
  be.conv2d(f32(x), f32(kernel), out, info);
  return record('conv2d', output(be, out, shape, 'float32'), [x, kernel], (dy) => [
    x.requiresGrad ? conv2dGradInput(dy, kernel, info, x.shape) : null,
    kernel.requiresGrad ? conv2dGradKernel(x, dy, info, kernel.shape) : null,
  ]);
}

export interface FusedConv2DArgs extends Conv2DOptions {
  x: Tensor;
  filter: Tensor;
  /** Per-output-channel bias, [filters] (any shape of that size). */
  bias?: Tensor | null;
  activation?: FusedActivation;
}

/** act(conv2d(x, filter) + bias) in one pass: the bias and activation happen in the kernel's store. */
export function fusedConv2d(args: FusedConv2DArgs): Tensor {
  const { x, filter, bias = null } = args;
  const activation = parseFusedActivation(args.activation, 'fusedConv2d');
  const info = convGeometry('fusedConv2d', x, filter, args);
  const be = backendFor('fusedConv2d', x, filter, bias ?? undefined);
  if (bias !== null) {
    expectTensor(bias, 'fusedConv2d', 'bias');
    if (bias.size !== info.outChannels) {
      throw new Error(
        `fusedConv2d: bias has shape ${formatShape(bias.shape)} but the kernel ${formatShape(filter.shape)} has ${info.outChannels} filters.`,
      );
    }
  }
  const shape = outShapeOf(info);
  const out = alloc(be, 'float32', shape);
  be.conv2d(f32(x), f32(filter), out, info, bias ? f32(bias) : undefined, activation);
  const y = output(be, out, shape, 'float32');
  const inputs = bias ? [x, filter, bias] : [x, filter];
  return record('fusedConv2d', y, inputs, (dy) => {
    const dz = fusedActivationGrad(activation, y, dy);
    return [
      x.requiresGrad ? conv2dGradInput(dz, filter, info, x.shape) : null,
      filter.requiresGrad ? conv2dGradKernel(x, dz, info, filter.shape) : null,
      bias?.requiresGrad ? channelSum(dz, bias.shape) : null,
    ];
  });
}

/**
 * Depthwise convolution: x [batch, height, width, channels] with kernel [height, width, channels,
 * multiplier]; output channel c * multiplier + m is channel c filtered by kernel[:, :, c, m].
 */
export function depthwiseConv2d(x: Tensor, kernel: Tensor, options: Conv2DOptions = {}): Tensor {
  const op = 'depthwiseConv2d';
  expectTensor(x, op, 'x');
  expectTensor(kernel, op, 'kernel');
  expectNHWC(x.shape, op);
  if (kernel.rank !== 4) {
    throw new Error(
      `${op}: kernel must be rank 4 [height, width, channels, multiplier], received shape ${formatShape(kernel.shape)}.`,
    );
  }
  const [kh, kw, kc, m] = kernel.shape as [number, number, number, number];
  if (kc !== x.shape[3]) {
    throw new Error(
      `${op}: input has ${x.shape[3]} channels (shape ${formatShape(x.shape)}) but the kernel expects ${kc} ` +
        `(kernel shape ${formatShape(kernel.shape)}).`,
    );
  }
  const info = windowInfo(op, x.shape, [kh, kw], kc * m, options);
  const be = backendFor(op, x, kernel);
  const shape = outShapeOf(info);
  const out = alloc(be, 'float32', shape);
  be.depthwiseConv2d(f32(x), f32(kernel), out, info);
  return record(op, output(be, out, shape, 'float32'), [x, kernel], (dy) => {
    let dx: Tensor | null = null;
    let dk: Tensor | null = null;
    const bg = backendFor(`${op} gradient`, x, kernel, dy);
    if (x.requiresGrad) {
      const v = alloc(bg, 'float32', x.shape);
      bg.depthwiseConv2dBackpropInput(f32(dy), f32(kernel), v, info);
      dx = output(bg, v, x.shape, 'float32');
    }
    if (kernel.requiresGrad) {
      const v = alloc(bg, 'float32', kernel.shape);
      bg.depthwiseConv2dBackpropFilter(f32(x), f32(dy), v, info);
      dk = output(bg, v, kernel.shape, 'float32');
    }
    return [dx, dk];
  });
}
