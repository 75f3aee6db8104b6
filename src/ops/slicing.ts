/** Cutting tensors apart and joining them: slice, split, unstack, concat, stack. */
import { record } from '../autograd/record.js';
import { type DType, upcast } from '../tensor/dtype.js';
import { formatShape, normalizeAxis } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { alloc, allocZeros, backendFor, backendForAll, castTo, expectTensor, output } from './engine.js';
import { expandDims, reshape } from './reshape.js';

/** Forward of a contiguous slice (no gradient). */
function sliceForward(x: Tensor, begin: readonly number[], size: readonly number[]): Tensor {
  const be = backendFor('slice', x);
  const out = alloc(be, x.dtype, size);
  be.slice(
    x.storage,
    x.shape,
    begin,
    size,
    size.map(() => 1),
    out,
  );
  return output(be, out, size, x.dtype);
}

/**
 * The block of x starting at `begin` with `size` elements per axis (a size of -1 takes the rest
 * of the axis), like tf.slice. A number applies to the first axis only, e.g. slice(x, 2, 3).
 */
export function slice(x: Tensor, begin: number | readonly number[], size?: number | readonly number[]): Tensor {
  expectTensor(x, 'slice');
  const b = typeof begin === 'number' ? [begin, ...Array(Math.max(x.rank - 1, 0)).fill(0)] : [...begin];
  const s =
    size === undefined
      ? b.map(() => -1)
      : typeof size === 'number'
        ? [size, ...Array(Math.max(x.rank - 1, 0)).fill(-1)]
        : [...size];
  if (b.length !== x.rank || s.length !== x.rank) {
    throw new Error(
      `slice: begin ${formatShape(b)} and size ${formatShape(s)} must each have one entry per axis of x ${formatShape(x.shape)}.`,
    );
  }
  const full = s.map((d, i) => (d === -1 ? (x.shape[i] as number) - (b[i] as number) : d));
  for (let i = 0; i < x.rank; i++) {
    const bi = b[i] as number;
    const si = full[i] as number;
    if (!Number.isInteger(bi) || !Number.isInteger(si) || bi < 0 || si < 0 || bi + si > (x.shape[i] as number)) {
      throw new Error(
        `slice: begin ${formatShape(b)} with size ${formatShape(s)} is out of bounds for shape ${formatShape(x.shape)} (axis ${i}).`,
      );
    }
  }
  const out = sliceForward(x, b, full);
  return record('slice', out, [x], (dy) => {
    // sliceAssign leaves the cells outside the slice alone: they must be zero.
    const be = backendFor('slice gradient', dy);
    const dx = allocZeros(be, 'float32', x.shape);
    be.sliceAssign(
      dx,
      x.shape,
      castTo(dy, 'float32').storage,
      dy.shape,
      b,
      b.map(() => 1),
      false,
    );
    return [output(be, dx, x.shape, 'float32')];
  });
}

/**
 * Splits x along `axis` into `n` equal parts, or into parts of the given sizes (one may be -1:
 * whatever remains).
 */
export function split(x: Tensor, numOrSizes: number | readonly number[], axis = 0): Tensor[] {
  expectTensor(x, 'split');
  const a = normalizeAxis(axis, x.rank, 'split');
  const length = x.shape[a] as number;
  let sizes: number[];
  if (typeof numOrSizes === 'number') {
    if (!Number.isInteger(numOrSizes) || numOrSizes < 1 || length % numOrSizes !== 0) {
      throw new Error(
        `split: axis ${a} of shape ${formatShape(x.shape)} (size ${length}) cannot be split into ${numOrSizes} equal parts.`,
      );
    }
    sizes = Array(numOrSizes).fill(length / numOrSizes);
  } else {
    sizes = [...numOrSizes];
    const unknown = sizes.indexOf(-1);
    if (unknown >= 0) sizes[unknown] = length - sizes.reduce((p, d, i) => (i === unknown ? p : p + d), 0);
    if (sizes.some((d) => !Number.isInteger(d) || d < 0) || sizes.reduce((p, d) => p + d, 0) !== length) {
      throw new Error(
        `split: sizes ${formatShape(numOrSizes)} do not add up to ${length}, the size of axis ${a} of ${formatShape(x.shape)}.`,
      );
    }
  }
  const pieces: Tensor[] = [];
  let start = 0;
  for (const d of sizes) {
    const begin = x.shape.map((_, i) => (i === a ? start : 0));
    const size = x.shape.map((s, i) => (i === a ? d : s));
    pieces.push(slice(x, begin, size));
    start += d;
  }
  return pieces;
}

/** The slices of x along `axis`, each with that axis removed. */
export function unstack(x: Tensor, axis = 0): Tensor[] {
  expectTensor(x, 'unstack');
  const a = normalizeAxis(axis, x.rank, 'unstack');
  const shape = x.shape.filter((_, i) => i !== a);
  return split(x, x.shape[a] as number, a).map((t) => reshape(t, shape));
}

/** Joins tensors along an existing axis; every other axis must match. */
export function concat(tensors: readonly Tensor[], axis = 0): Tensor {
  if (!Array.isArray(tensors as unknown) || tensors.length === 0)
    throw new Error('concat: expected a non-empty array of tensors.');
  tensors.forEach((t, i) => {
    expectTensor(t, 'concat', `tensors[${i}]`);
  });
  const first = tensors[0] as Tensor;
  const a = normalizeAxis(axis, first.rank, 'concat');
  for (const t of tensors) {
    if (t.rank !== first.rank || t.shape.some((d, i) => i !== a && d !== first.shape[i])) {
      throw new Error(
        `concat: shapes ${tensors.map((u) => formatShape(u.shape)).join(', ')} differ outside axis ${a}; only the concat axis may differ.`,
      );
    }
  }
  const dtype = tensors.reduce<DType>((d, t) => upcast(d, t.dtype), first.dtype);
  const shape = first.shape.slice();
  shape[a] = tensors.reduce((p, t) => p + (t.shape[a] as number), 0);
  const be = backendForAll('concat', tensors);
  const out = alloc(be, dtype, shape);
  const inputs = tensors.map((t) => castTo(t, dtype));
  be.concat(
    inputs.map((t) => t.storage),
    inputs.map((t) => t.shape),
    a,
    out,
  );
  return record('concat', output(be, out, shape, dtype), tensors, (dy) => {
    let start = 0;
    return tensors.map((t) => {
      const begin = dy.shape.map((_, i) => (i === a ? start : 0));
      const size = dy.shape.map((s, i) => (i === a ? (t.shape[a] as number) : s));
      start += t.shape[a] as number;
      return sliceForward(dy, begin, size);
    });
  });
}

/** Joins same-shaped tensors along a new axis. */
export function stack(tensors: readonly Tensor[], axis = 0): Tensor {
  if (!Array.isArray(tensors as unknown) || tensors.length === 0)
    throw new Error('stack: expected a non-empty array of tensors.');
  tensors.forEach((t, i) => {
    expectTensor(t, 'stack', `tensors[${i}]`);
  });
  const first = tensors[0] as Tensor;
  for (const t of tensors) {
    if (t.rank !== first.rank || t.shape.some((d, i) => d !== first.shape[i])) {
      throw new Error(
        `stack: all tensors must have the same shape, received ${tensors.map((u) => formatShape(u.shape)).join(', ')}.`,
      );
    }
  }
  const a = normalizeAxis(axis, first.rank + 1, 'stack');
  return concat(
    tensors.map((t) => expandDims(t, a)),
    a,
  );
}
