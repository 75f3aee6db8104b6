/** Max and average pooling over NHWC input (TensorFlow semantics) and their gradients. */
import { record } from '../autograd/record.js';
import type { Conv2DInfo } from '../backend/backend.js';
import type { Tensor } from '../tensor/tensor.js';
import { expectNHWC, outShapeOf, pairOf, type WindowOptions, windowInfo } from './conv-geometry.js';
import { alloc, backendFor, castTo, expectTensor, output } from './engine.js';

export type PoolOptions = WindowOptions;

/** Strides default to the pool size, padding to 'valid' (Keras's MaxPooling2D defaults). */
function poolGeometry(op: string, x: Tensor, poolSize: number | readonly [number, number], options: PoolOptions): Conv2DInfo {
  expectTensor(x, op, 'x');
  expectNHWC(x.shape, op);
  const size = pairOf(poolSize, 'poolSize', op);
  return windowInfo(op, x.shape, size, x.shape[3] as number, { strides: options.strides ?? size, padding: options.padding });
}

/** Max over each window; padding cells never win. The gradient goes to the first maximum of each window. */
export function maxPool2d(x: Tensor, poolSize: number | readonly [number, number], options: PoolOptions = {}): Tensor {
  const info = poolGeometry('maxPool2d', x, poolSize, options);
  const be = backendFor('maxPool2d', x);
  const input = castTo(x, 'float32').storage;
  const shape = outShapeOf(info);
  const out = alloc(be, 'float32', shape);
  be.maxPool2d(input, out, info);
  return record('maxPool2d', output(be, out, shape, 'float32'), [x], (dy) => {
    const bg = backendFor('maxPool2d gradient', x, dy);
    const dx = alloc(bg, 'float32', x.shape);
    bg.maxPool2dGrad(input, castTo(dy, 'float32').storage, dx, info);
    return [output(bg, dx, x.shape, 'float32')];
  });
}

/** Mean over the window cells inside the input (padding is not counted, as in TensorFlow). */
export function avgPool2d(x: Tensor, poolSize: number | readonly [number, number], options: PoolOptions = {}): Tensor {
  const info = poolGeometry('avgPool2d', x, poolSize, options);
  const shape = outShapeOf(info);
  const be = backendFor('avgPool2d', x);
  const out = alloc(be, 'float32', shape);
  be.avgPool2d(castTo(x, 'float32').storage, out, info);
  return record('avgPool2d', output(be, out, shape, 'float32'), [x], (dy) => {
    const bg = backendFor('avgPool2d gradient', dy);
    const dx = alloc(bg, 'float32', x.shape);
    bg.avgPool2dGrad(castTo(dy, 'float32').storage, dx, info);
    return [output(bg, dx, x.shape, 'float32')];
  });
}
