/** Repeating data: tile and broadcastTo. */
import { record } from '../autograd/record.js';
import { broadcastShapes, formatShape, shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { alloc, backendFor, castTo, expectTensor, fromValues, output, unbroadcast } from './engine.js';

/** x repeated reps[i] times along axis i (tf.tile). */
export function tile(x: Tensor, reps: readonly number[]): Tensor {
  expectTensor(x, 'tile');
  if (!Array.isArray(reps) || reps.length !== x.rank || reps.some((r) => !Number.isInteger(r) || r < 0)) {
    throw new Error(
      `tile: reps must hold one non-negative integer per axis of x ${formatShape(x.shape)}, received ${JSON.stringify(reps)}.`,
    );
  }
  const shape = x.shape.map((d, i) => d * (reps[i] as number));
  const be = backendFor('tile', x);
  const out = alloc(be, x.dtype, shape);
  be.tile(x.storage, x.shape, reps, out);
  return record('tile', output(be, out, shape, x.dtype), [x], (dy) => {
    // dy viewed as [r0, d0, r1, d1, ...]: summing the r axes folds every copy back onto x.
    const split = x.shape.flatMap((d, i) => [reps[i] as number, d]);
    const axes = x.shape.map((_, i) => 2 * i);
    const bg = backendFor('tile gradient', dy);
    const dx = alloc(bg, 'float32', x.shape);
    bg.reduce('sum', castTo(dy, 'float32').storage, split, axes, dx);
    return [output(bg, dx, x.shape, 'float32')];
  });
}

/** x broadcast (NumPy rules) to `shape`; the gradient sums back over the broadcast axes. */
export function broadcastTo(x: Tensor, shape: readonly number[]): Tensor {
  expectTensor(x, 'broadcastTo');
  const joint = broadcastShapes(x.shape, shape, 'broadcastTo');
  if (!shapesEqual(joint, shape)) {
    throw new Error(`broadcastTo: shape ${formatShape(x.shape)} cannot be broadcast to ${formatShape(shape)}.`);
  }
  const be = backendFor('broadcastTo', x);
  const out = alloc(be, x.dtype, shape);
  const zero = fromValues(x.dtype === 'int32' ? new Int32Array(1) : new Float32Array(1), []);
  be.binary('add', x.storage, x.shape, zero.storage, [], out, shape);
  return record('broadcastTo', output(be, out, shape, x.dtype), [x], (dy) => [unbroadcast(dy, x.shape)]);
}
