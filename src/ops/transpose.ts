import { record } from '../autograd/record.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { alloc, backendFor, expectTensor, output } from './engine.js';

/** Permutes axes; the default reverses them. */
export function transpose(x: Tensor, perm?: readonly number[]): Tensor {
  expectTensor(x, 'transpose');
  const p = perm ? [...perm] : x.shape.map((_, i) => x.rank - 1 - i);
  if (p.length !== x.rank || [...p].sort((a, b) => a - b).some((v, i) => v !== i)) {
    throw new Error(
      `transpose: perm ${formatShape(p)} is not a permutation of the axes of a tensor of shape ${formatShape(x.shape)}.`,
    );
  }
  const shape = p.map((a) => x.shape[a] as number);
  const be = backendFor('transpose', x);
  const out = alloc(be, x.dtype, shape);
  be.transpose(x.storage, x.shape, p, out);
  const inverse = new Array<number>(p.length);
  p.forEach((a, i) => {
    inverse[a] = i;
  });
  return record('transpose', output(be, out, shape, x.dtype), [x], (dy) => [transpose(dy, inverse)]);
}
