/** Helpers every op file uses: the backend check, allocation, argument coercion, gradient reduction. */
import type { Backend } from '../backend/backend.js';
import { backend } from '../backend/registry.js';
import { type DType, dtypeOfArray, firstInt32Misfit, int32MisfitError, type TypedArray } from '../tensor/dtype.js';
import { shapesEqual, sizeOf } from '../tensor/shape.js';
import type { Storage } from '../tensor/storage.js';
import { takeStorage } from '../tensor/storage-pool.js';
import { Tensor } from '../tensor/tensor.js';

export { backend };

export type TensorLike = Tensor | number;

/**
 * The backend an op runs on (the current one), once every tensor it is given has storage that
 * backend can use. js and native share host storage, so their tensors mix freely; a tensor of
 * another storage kind must be moved first (`toBackend`), and the error says so.
 */
export function backendFor(op: string, a: Tensor, b?: Tensor, c?: Tensor): Backend {
  const be = backend();
  const kind = be.storageKind;
  if (a.owner.storageKind !== kind) moveOrRefuse(op, be, a);
  if (b !== undefined && b.owner.storageKind !== kind) moveOrRefuse(op, be, b);
  if (c !== undefined && c.owner.storageKind !== kind) moveOrRefuse(op, be, c);
  return be;
}

/** `backendFor` over a list of tensors (concat, stack). */
export function backendForAll(op: string, xs: readonly Tensor[]): Backend {
  const be = backend();
  for (const x of xs) if (x.owner.storageKind !== be.storageKind) moveOrRefuse(op, be, x);
  return be;
}

/**
 * A tensor of another kind of storage: when both backends hold their values in CPU memory (both
 * read synchronously: host arrays, wasm memory) the tensor moves to the op's backend, its values
 * copied once, so data wrapped with `new Tensor(array)` feeds the wasm backend as it feeds native.
 * Otherwise (a GPU's storage) the move must be explicit.
 */
function moveOrRefuse(op: string, be: Backend, x: Tensor): void {
  const from = x.owner;
  if (be.readSync === undefined || from.readSync === undefined) throw mixedBackends(op, be, x);
  x.moveStorage(be.upload(from.readSync(x.storage, x.dtype, x.size)), be);
}

function mixedBackends(op: string, be: Backend, x: Tensor): Error {
  return new Error(
    `${op}: tensors of two backends meet in one op: this op runs on backend '${be.name}' (${be.storageKind} storage) ` +
      `and was given a tensor on backend '${x.backend}' (${x.owner.storageKind} storage). Move it explicitly with ` +
      `capa.ops.toBackend(x, '${be.name}').`,
  );
}

/**
 * Storage for an op's output that the kernel writing it overwrites entirely, as every Backend
 * kernel does unless its comment says it accumulates. It may be recycled storage still holding
 * old values, so never use it where zeros are assumed.
 */
export function alloc(be: Backend, dtype: DType, shape: readonly number[]): Storage {
  return be.allocate(dtype, sizeOf(shape));
}

/** Zero-filled storage: for accumulating kernels (scatterAdd, sliceAssign) and partial writes. */
export function allocZeros(be: Backend, dtype: DType, shape: readonly number[]): Storage {
  return be.allocateZeroed(dtype, sizeOf(shape));
}

/**
 * A host array from the recycling pool for values computed in TypeScript (random masks, the few
 * host-side gradient loops); `fromValues` then hands it to the current backend. Like `alloc`, its
 * contents are unspecified.
 */
export function allocHost(dtype: DType, shape: readonly number[]): TypedArray {
  return takeStorage(dtype, sizeOf(shape));
}

/** The tensor of an op's output storage. */
export function output(be: Backend, storage: Storage, shape: readonly number[], dtype: DType): Tensor {
  return new Tensor(storage, shape, be, dtype);
}

/** A tensor on the current backend holding host values (the array is handed over: do not write it after). */
export function fromValues(values: TypedArray, shape: readonly number[]): Tensor {
  const be = backend();
  return new Tensor(be.upload(values), shape, be, dtypeOfArray(values));
}

/** Scalar numbers become rank-0 tensors; an integer scalar beside an int32 tensor stays int32. */
export function asTensor(x: TensorLike, like?: Tensor): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x !== 'number') throw new Error(`Expected a Tensor or a number, received ${describe(x)}.`);
  const int = like?.dtype === 'int32' && Number.isInteger(x);
  return fromValues(int ? Int32Array.of(x) : Float32Array.of(x), []);
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
  const be = backendFor('cast', x);
  if (dtype === 'int32' && be.readSync !== undefined) {
    // The range check reads the values, which only backends with synchronous reads can offer.
    const values = x.dataSync();
    const bad = firstInt32Misfit(values);
    if (bad >= 0) throw int32MisfitError('cast to int32', values[bad] as number, `element ${bad}`);
  }
  const out = alloc(be, dtype, x.shape);
  be.cast(x.storage, out);
  return output(be, out, x.shape, dtype);
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
  const be = backendFor('unbroadcast', dy);
  const out = alloc(be, 'float32', outShape);
  be.reduce('sum', dy.storage, dy.shape, axes, out);
  return output(be, out, shape, 'float32');
}
