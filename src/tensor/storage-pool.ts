/**
 * Recycled tensor storage: the library's reuse of big buffers (DESIGN.md pattern 13), invisible
 * to users.
 *
 * Why: a ResNet50 forward pass at batch 1 writes ~150 MB of intermediate outputs. As fresh typed
 * arrays that is external memory V8 answers with full garbage collections, whose marking threads
 * take the cores from the kernels. So ops take their output storage from here
 * (`ops/engine.ts` `alloc`), and code that knows an intermediate is dead hands its storage back
 * (the model runner, `models/recycling.ts`), so the next pass reuses it.
 *
 * What keeps it safe:
 * - Storage comes back only through `recycleStorage(values, mark)`, and only if this pool handed
 *   it out after `mark` (a `storageMark()` the caller took before the work that created it).
 *   User data, weights, constants and anything allocated elsewhere never enter the pool, and
 *   handing the same storage back twice is a no-op: a buffer cannot sit in the pool twice.
 * - Only whole buffers come back (a typed array viewing part of a buffer is refused).
 * - A recycled array is dirty. `takeStorage` is for outputs the kernel overwrites entirely (the
 *   Backend contract, backend.ts); accumulating kernels get `takeZeroedStorage`.
 * - The pool is bounded (`MAX_POOLED_BYTES`); beyond that, storage is left to the garbage
 *   collector as before. Small arrays (< `MIN_POOLED_ELEMENTS`) are never pooled: V8 allocates
 *   them cheaply and they cost the collector little.
 */
import { allocArray, type DType, type TypedArray } from './dtype.js';

/** Arrays below this many elements are left to V8. */
export const MIN_POOLED_ELEMENTS = 1024;
/** Most bytes the pool keeps waiting for reuse. */
export const MAX_POOLED_BYTES = 256 * 1024 * 1024;

const free: { float32: Map<number, Float32Array[]>; int32: Map<number, Int32Array[]> } = {
  float32: new Map(),
  int32: new Map(),
};
let pooledBytes = 0;
let pooledArrays = 0;
/** Counts hand-outs; each pooled-size hand-out gets the next value as its stamp. */
let clock = 0;
/** Stamp of the latest hand-out of each buffer still out of the pool. */
const issued = new WeakMap<ArrayBuffer, number>();
let poison = false;

/**
 * Storage of `size` elements whose contents are unspecified (possibly another tensor's old
 * values): for an output its kernel overwrites entirely.
 */
export function takeStorage(dtype: DType, size: number): TypedArray {
  const values = take(dtype, size);
  if (poison) values.fill(dtype === 'int32' ? POISON_INT32 : Number.NaN);
  return values;
}

/** Zero-filled storage, for kernels that accumulate into their output or leave parts unwritten. */
export function takeZeroedStorage(dtype: DType, size: number): TypedArray {
  const recycled = size >= MIN_POOLED_ELEMENTS && (free[dtype].get(size)?.length ?? 0) > 0;
  const values = take(dtype, size);
  // A fresh array is zero already.
  if (recycled) values.fill(0);
  return values;
}

function take(dtype: DType, size: number): TypedArray {
  if (size < MIN_POOLED_ELEMENTS) return allocArray(dtype, size);
  let values: TypedArray | undefined = free[dtype].get(size)?.pop();
  if (values) {
    pooledBytes -= values.byteLength;
    pooledArrays--;
  } else {
    values = allocArray(dtype, size);
  }
  issued.set(values.buffer as ArrayBuffer, ++clock);
  return values;
}

/** A point in the pool's history: storage taken after it can be recycled with `recycleStorage(values, mark)`. */
export function storageMark(): number {
  return clock;
}

/**
 * Returns storage to the pool for reuse. The caller promises no live tensor (nor anything a user
 * or layer holds) can reach `values` or a view of its buffer. The pool accepts it only if it
 * handed the whole buffer out after `mark` and has room; returns whether it did.
 */
export function recycleStorage(values: TypedArray, mark: number): boolean {
  const buffer = values.buffer as ArrayBuffer;
  const stamp = issued.get(buffer);
  if (stamp === undefined || stamp <= mark) return false;
  if (values.byteOffset !== 0 || values.byteLength !== buffer.byteLength) return false;
  if (pooledBytes + values.byteLength > MAX_POOLED_BYTES) return false;
  issued.delete(buffer);
  const lists = free[values instanceof Int32Array ? 'int32' : 'float32'] as Map<number, TypedArray[]>;
  const list = lists.get(values.length);
  if (list) list.push(values);
  else lists.set(values.length, [values]);
  pooledBytes += values.byteLength;
  pooledArrays++;
  return true;
}

/** What the pool holds now (tests and benchmarks). */
export function storagePoolStats(): { arrays: number; bytes: number } {
  return { arrays: pooledArrays, bytes: pooledBytes };
}

/** Empties the pool, leaving its arrays to the garbage collector. */
export function clearStoragePool(): void {
  free.float32.clear();
  free.int32.clear();
  pooledBytes = 0;
  pooledArrays = 0;
}

const POISON_INT32 = -0x7fffffff;

/**
 * Testing aid: while on, every array `takeStorage` returns is filled with NaN (int32: a large
 * negative value), so an op whose kernel leaves part of its output unwritten fails visibly
 * instead of depending on fresh arrays being zero. Returns the previous setting.
 */
export function setStoragePoisoning(on: boolean): boolean {
  const previous = poison;
  poison = on;
  return previous;
}
