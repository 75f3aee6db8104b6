/** Helpers every op file uses: allocation, argument coercion, gradient reduction. */
import { backend } from '../backend/registry.js';
import { type DType, firstInt32Misfit, int32MisfitError, type TypedArray } from '../tensor/dtype.js';
import { shapesEqual, sizeOf } from '../tensor/shape.js';
import { takeStorage, takeZeroedStorage } from '../tensor/storage-pool.js';
import { Tensor } from '../tensor/tensor.js';

export { backend };

export type TensorLike = Tensor | number;

/**
 * Storage for an op's output that the kernel (or loop) writing it overwrites entirely, as every
 * Backend kernel does unless its comment says it accumulates. It may be recycled storage still
 * holding old values (tensor/storage-pool.ts), so never use it where zeros are assumed.
 */
export function alloc(dtype: DType, shape: readonly number[]): TypedArray {
  return takeStorage(dtype, sizeOf(shape));
}

/** Zero-filled storage: for accumulating kernels (scatterAdd, sliceAssign) and partial writes. */
export function allocZeros(dtype: DType, shape: readonly number[]): TypedArray {
  return takeZeroedStorage(dtype, sizeOf(shape));
}

/** float32 `alloc`. */
export function allocF32(shape: readonly number[]): Float32Array {
  return takeStorage('float32', sizeOf(shape)) as Float32Array;
}

export function fromValues(values: TypedArray, shape: readonly number[]): Tensor {
  return new Tensor(values, shape);
}

/** Scalar numbers become rank-0 tensors; an integer scalar beside an int32 tensor stays int32. */
export function asTensor(x: TensorLike, like?: Tensor): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x !== 'number') throw new Error(`Expected a Tensor or a number, received ${describe(x)}.`);
  const int = like?.dtype === 'int32' && Number.isInteger(x);
  return new Tensor(int ? Int32Array.of(x) : Float32Array.of(x), []);
}

export function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array (wrap it with capa.tensor)';
  return typeof x;
}

/** Checks an op argument is a Tensor, naming the op and the argument. */
export function expectTensor(x: unknown, op: string, arg = 'x'): Tensor {
  if (!(x instanceof Tensor)) throw new Error(`${op}: argument '${arg}' must be a Tensor, received ${describe(x)}.`);
  return x;
}

/** x in another dtype; float to int32 truncates toward zero and refuses values int32 cannot hold. */
export function castTo(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return x;
  if (dtype === 'int32') {
    const bad = firstInt32Misfit(x.dataSync());
    if (bad >= 0) throw int32MisfitError('cast to int32', x.dataSync()[bad] as number, `element ${bad}`);
  }
  const out = alloc(dtype, x.shape);
  backend().cast(x.dataSync(), out);
  return new Tensor(out, x.shape);
}

/** Sums a broadcast gradient back down to `shape` (the adjoint of broadcasting). */
export function unbroadcast(dy: Tensor, shape: readonly number[]): Tensor {
  if (shapesEqual(dy.shape, shape)) return dy;
  const rank = dy.shape.length;
  const lead = rank - shape.length;
  const axes: number[] = [];
  for (let d = 0; d < rank; d++) {
    if (d < lead || (shape[d - lead] === 1 && dy.shape[d] !== 1)) axes.push(d);
  }
  const outShape = dy.shape.filter((_, d) => !axes.includes(d));
  const out = allocF32(outShape);
  backend().reduce('sum', dy.dataSync(), dy.shape, axes, out);
  return new Tensor(out, shape);
}
