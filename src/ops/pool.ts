/** Max and average pooling over NHWC input (TensorFlow semantics) and their gradients. */
import { record } from '../autograd/record.js';
import type { Conv2DInfo } from '../backend/backend.js';
import { Tensor } from '../tensor/tensor.js';
import { expectNHWC, outShapeOf, pairOf, type WindowOptions, windowInfo } from './conv-geometry.js';
import { allocF32, backend, castTo, expectTensor } from './engine.js';

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
  const input = castTo(x, 'float32').dataSync() as Float32Array;
  const shape = outShapeOf(info);
  const out = allocF32(shape);
  backend().maxPool2d(input, out, info);
  return record('maxPool2d', new Tensor(out, shape), [x], (dy) => {
    const dx = allocF32(x.shape);
    backend().maxPool2dGrad(input, castTo(dy, 'float32').dataSync() as Float32Array, dx, info);
    return [new Tensor(dx, x.shape)];
  });
}

/** Mean over the window cells inside the input (padding is not counted, as in TensorFlow). */
export function avgPool2d(x: Tensor, poolSize: number | readonly [number, number], options: PoolOptions = {}): Tensor {
  const info = poolGeometry('avgPool2d', x, poolSize, options);
  const shape = outShapeOf(info);
  const out = allocF32(shape);
  backend().avgPool2d(castTo(x, 'float32').dataSync() as Float32Array, out, info);
  return record('avgPool2d', new Tensor(out, shape), [x], (dy) => {
    const dx = allocF32(x.shape);
    backend().avgPool2dGrad(castTo(dy, 'float32').dataSync() as Float32Array, dx, info);
    return [new Tensor(dx, x.shape)];
  });
}
