/** softmax and logSoftmax along any axis, with their fused backward kernels. */
import { record } from '../autograd/record.js';
import { normalizeAxis } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { alloc, backendFor, castTo, expectTensor, output } from './engine.js';

/** The permutation swapping `axis` with the last one (its own inverse), or null when axis is last. */
function swapToLast(rank: number, axis: number): number[] | null {
  if (axis === rank - 1) return null;
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[axis] = rank - 1;
  perm[rank - 1] = axis;
  return perm;
}

function permuted(x: Tensor, perm: number[] | null): Tensor {
  if (perm === null) return x;
  const shape = perm.map((p) => x.shape[p] as number);
  const be = backendFor('transpose', x);
  const out = alloc(be, 'float32', x.shape);
  be.transpose(x.storage, x.shape, perm, out);
  return output(be, out, shape, 'float32');
}

/** Runs a row kernel over the rows of `axis` (moving it last and back when it is not already). */
function alongAxis(op: 'softmax' | 'logSoftmax', x: Tensor, axis: number): Tensor {
  expectTensor(x, op);
  if (x.rank === 0) throw new Error(`${op}: expected a tensor of rank >= 1, received a scalar.`);
  const a = normalizeAxis(axis, x.rank, op);
  const perm = swapToLast(x.rank, a);
  const xt = permuted(castTo(x, 'float32'), perm);
  const cols = x.shape[a] as number;
  const rows = cols === 0 ? 0 : x.size / cols;
  const be = backendFor(op, xt);
  const yt = alloc(be, 'float32', x.shape);
  be[op](xt.storage, rows, cols, yt);
  const yT = output(be, yt, xt.shape, 'float32');
  return record(op, permuted(yT, perm), [x], (dy) => {
    const dyt = permuted(castTo(dy, 'float32'), perm);
    const b = backendFor(`${op} gradient`, yT, dyt);
    const dxt = alloc(b, 'float32', x.shape);
    (op === 'softmax' ? b.softmaxGrad : b.logSoftmaxGrad).call(b, yt, dyt.storage, rows, cols, dxt);
    return [permuted(output(b, dxt, xt.shape, 'float32'), perm)];
  });
}

/** exp(x) / sum(exp(x)) along `axis` (default last), computed stably. */
export function softmax(x: Tensor, axis = -1): Tensor {
  return alongAxis('softmax', x, axis);
}

/** x - logSumExp(x) along `axis` (default last). */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  return alongAxis('logSoftmax', x, axis);
}
