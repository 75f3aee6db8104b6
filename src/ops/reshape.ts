/** Shape-only ops: the data is shared, only the shape changes. */
import { record } from '../autograd/record.js';
import { formatShape, inferReshape, normalizeAxis } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { expectTensor } from './engine.js';

export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  expectTensor(x, 'reshape');
  const target = inferReshape(x.size, shape, 'reshape');
  const out = new Tensor(x.storage, target, x.owner, x.dtype);
  return record('reshape', out, [x], (dy) => [new Tensor(dy.storage, x.shape, dy.owner, dy.dtype)]);
}

export function expandDims(x: Tensor, axis = 0): Tensor {
  expectTensor(x, 'expandDims');
  const a = normalizeAxis(axis, x.rank + 1, 'expandDims');
  const shape = x.shape.slice();
  shape.splice(a, 0, 1);
  return reshape(x, shape);
}

/** Removes size-1 axes (all of them, or those listed). */
export function squeeze(x: Tensor, axes?: readonly number[]): Tensor {
  expectTensor(x, 'squeeze');
  const drop = new Set(axes?.map((a) => normalizeAxis(a, x.rank, 'squeeze')) ?? x.shape.flatMap((d, i) => (d === 1 ? [i] : [])));
  for (const a of drop) {
    if (x.shape[a] !== 1) throw new Error(`squeeze: axis ${a} of shape ${formatShape(x.shape)} has size ${x.shape[a]}, not 1.`);
  }
  return reshape(
    x,
    x.shape.filter((_, i) => !drop.has(i)),
  );
}

/** [batch, ...] to [batch, prod(...)]. */
export function flatten(x: Tensor): Tensor {
  expectTensor(x, 'flatten');
  if (x.rank < 1) throw new Error('flatten: expected a tensor of rank >= 1, received a scalar.');
  return reshape(x, [x.shape[0] as number, -1]);
}
