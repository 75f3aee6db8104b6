/** Repeating data: tile and broadcastTo. */
import { record } from '../autograd/record.js';
import { broadcastShapes, formatShape, shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { alloc, allocF32, backend, castTo, expectTensor, unbroadcast } from './engine.js';

/** x repeated reps[i] times along axis i (tf.tile). */
export function tile(x: Tensor, reps: readonly number[]): Tensor {
  expectTensor(x, 'tile');
  if (!Array.isArray(reps) || reps.length !== x.rank || reps.some((r) => !Number.isInteger(r) || r < 0)) {
    throw new Error(
      `tile: reps must hold one non-negative integer per axis of x ${formatShape(x.shape)}, received ${JSON.stringify(reps)}.`,
    );
  }
  const shape = x.shape.map((d, i) => d * (reps[i] as number));
  const out = alloc(x.dtype, shape);
  backend().tile(x.dataSync(), x.shape, reps, out);
  return record('tile', new Tensor(out, shape), [x], (dy) => {
    // dy viewed as [r0, d0, r1, d1, ...]: summing the r axes folds every copy back onto x.
    const split = x.shape.flatMap((d, i) => [reps[i] as number, d]);
    const axes = x.shape.map((_, i) => 2 * i);
    const dx = allocF32(x.shape);
    backend().reduce('sum', castTo(dy, 'float32').dataSync(), split, axes, dx);
    return [new Tensor(dx, x.shape)];
  });
}

/** x broadcast (NumPy rules) to `shape`; the gradient sums back over the broadcast axes. */
export function broadcastTo(x: Tensor, shape: readonly number[]): Tensor {
  expectTensor(x, 'broadcastTo');
  const joint = broadcastShapes(x.shape, shape, 'broadcastTo');
  if (!shapesEqual(joint, shape)) {
    throw new Error(`broadcastTo: shape ${formatShape(x.shape)} cannot be broadcast to ${formatShape(shape)}.`);
  }
  const out = alloc(x.dtype, shape);
  const zero = x.dtype === 'int32' ? new Int32Array(1) : new Float32Array(1);
  backend().binary('add', x.dataSync(), x.shape, zero, [], out, shape);
  return record('broadcastTo', new Tensor(out, shape), [x], (dy) => [unbroadcast(dy, x.shape)]);
}
