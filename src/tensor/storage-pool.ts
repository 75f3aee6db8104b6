/**
 * Recycled tensor storage: the library's reuse of big buffers (DESIGN.md pattern 13), invisible
 * to users.
 *
 * Why: a ResNet50 forward pass at batch 1 writes ~150 MB of intermediate outputs. As fresh typed
 * arrays that is external memory V8 answers with full garbage collections, whose marking threads
 * take the cores from the kernels. So ops take their output storage from here
 * (`ops/engine.ts` `alloc`), and code that knows an intermediate is dead hands its storage back
 * (tensor/storage-recycler.ts: the model runners, the backward pass, the training step), so the
 * next pass reuses it.
 *
 * What keeps it safe:
 * - Storage taken back is cut off from every tensor and array that viewed it before anyone
 *   reuses it (storage-recycler.ts's invariant): a tensor kept too long throws when read instead
 *   of showing its successor's values. Tensors are cut off by the lease of each hand-out
 *   (`storageLease`): a tensor keeps the lease its storage had when the tensor was made, and
 *   reading it once the lease ended throws. Arrays that left the library (`exposeStorage`: `dataSync()`,
 *   `data()`) are detached when they come back, so they read as empty, never as new values.
 * - Storage comes back only through `recycleStorage(values, mark)`, and only if this pool handed
 *   it out after `mark` (a `storageMark()` the caller took before the work that created it).
 *   User data, weights, constants and anything allocated elsewhere never enter the pool, and
 *   handing the same storage back twice is a no-op: a buffer cannot sit in the pool twice.
 * - Only whole buffers come back (a typed array viewing part of a buffer is refused).
 * - A recycled array is dirty. `takeStorage` is for outputs the kernel overwrites entirely (the
 *   Backend contract, backend.ts); accumulating kernels get `takeZeroedStorage`.
 * - The pool holds at most `MAX_POOLED_BYTES` strongly (`setStoragePoolLimit`). Storage handed back beyond that is held
 *   only through a WeakRef: reused if the garbage collector has not taken it by then (with
 *   recycling there is little to make it run), never kept alive by the pool. So a training step's
 *   forward activations (far over the bound at batch 8 for ResNet50) are reused step after step,
 *   and memory still returns to the system once the work stops. Small arrays
 *   (< `MIN_POOLED_ELEMENTS`) are never pooled: V8 allocates them cheaply.
 */
import { allocArray, type DType, type TypedArray } from './dtype.js';

/** Arrays below this many elements are left to V8. */
export const MIN_POOLED_ELEMENTS = 1024;
/** Most bytes the pool keeps alive by default; storage beyond that is pooled weakly. */
export const MAX_POOLED_BYTES = 256 * 1024 * 1024;
let strongLimit = MAX_POOLED_BYTES;
/** Most weakly held entries; past that, dead ones are swept and new ones refused. */
const MAX_WEAK_ENTRIES = 1 << 14;

type Entry<A extends TypedArray> = A | WeakRef<A>;
const free: { float32: Map<number, Entry<Float32Array>[]>; int32: Map<number, Entry<Int32Array>[]> } = {
  float32: new Map(),
  int32: new Map(),
};
let strongBytes = 0;
let strongArrays = 0;
let weakEntries = 0;
/** Counts hand-outs; each pooled-size hand-out gets the next value as its stamp. */
let clock = 0;
/**
 * One hand-out of a buffer: its stamp, and whether the buffer is still out. Tensors made over the
 * buffer keep the lease (`storageLease`) and check `out` on every read, one property load.
 */
export interface StorageLease {
  readonly stamp: number;
  out: boolean;
}
/** The lease of each buffer still out of the pool. */
const issued = new WeakMap<ArrayBuffer, StorageLease>();
/** Buffers whose array was handed to code outside the library (`exposeStorage`). */
const exposed = new WeakSet<ArrayBuffer>();
let poison = false;
let enabled = true;

/**
 * Storage of `size` elements whose contents are unspecified (possibly another tensor's old
 * values): for an output its kernel overwrites entirely.
 */
export function takeStorage(dtype: DType, size: number): TypedArray {
  const values = fromPool(dtype, size) ?? allocArray(dtype, size);
  if (size >= MIN_POOLED_ELEMENTS) issued.set(values.buffer as ArrayBuffer, { stamp: ++clock, out: true });
  if (poison) values.fill(dtype === 'int32' ? POISON_INT32 : Number.NaN);
  return values;
}

/** Zero-filled storage, for kernels that accumulate into their output or leave parts unwritten. */
export function takeZeroedStorage(dtype: DType, size: number): TypedArray {
  const recycled = fromPool(dtype, size);
  // A fresh array is zero already.
  const values = recycled ? recycled.fill(0) : allocArray(dtype, size);
  if (size >= MIN_POOLED_ELEMENTS) issued.set(values.buffer as ArrayBuffer, { stamp: ++clock, out: true });
  return values;
}

/** A pooled array of exactly this dtype and size, if one is free (and, when weak, still alive). */
function fromPool(dtype: DType, size: number): TypedArray | undefined {
  if (size < MIN_POOLED_ELEMENTS) return undefined;
  const list = free[dtype].get(size) as Entry<TypedArray>[] | undefined;
  if (list === undefined) return undefined;
  let values: TypedArray | undefined;
  while (values === undefined && list.length > 0) {
    const entry = list.pop() as Entry<TypedArray>;
    if (entry instanceof WeakRef) {
      weakEntries--;
      values = entry.deref();
    } else {
      strongBytes -= entry.byteLength;
      strongArrays--;
      values = entry;
    }
  }
  // No empty lists left behind: sizes come and go (e.g. the last, smaller batch of an epoch).
  if (list.length === 0) free[dtype].delete(size);
  return values;
}

/** A point in the pool's history: storage taken after it can be recycled with `recycleStorage(values, mark)`. */
export function storageMark(): number {
  return clock;
}

/**
 * Returns storage to the pool for reuse; only tensor/storage-recycler.ts calls it. The pool
 * accepts it only if it handed the whole buffer out after `mark` and has room, and then detaches
 * `values` (and every view of its buffer) from the memory; returns whether it took it.
 */
export function recycleStorage(values: TypedArray, mark: number): boolean {
  const buffer = values.buffer as ArrayBuffer;
  const lease = issued.get(buffer);
  if (!enabled || lease === undefined || lease.stamp <= mark) return false;
  if (values.byteOffset !== 0 || values.byteLength !== buffer.byteLength) return false;
  const strong = strongBytes + values.byteLength <= strongLimit;
  if (!strong && weakEntries >= MAX_WEAK_ENTRIES && sweepWeak() >= MAX_WEAK_ENTRIES) return false;
  issued.delete(buffer);
  lease.out = false;
  // The invariant of tensor/storage-recycler.ts. Tensors still viewing the storage see their lease
  // end (Tensor's accessors then throw). An array that left the library is detached: the memory
  // is pooled under a new ArrayBuffer and every view of the old one has zero elements. Storage that
  // never left goes back as it is: a new ArrayBuffer per release would make every recycled buffer
  // young external memory again, and V8 answers that with a scavenge at each fresh array allocation
  // (a ResNet50 training step at batch 8 recycles ~1.6 GB: ~30 scavenges and 4 extra full
  // collections a step, ~10% of the step).
  const reusable = exposed.has(buffer) ? detached(values) : values;
  if (poison) reusable.fill(reusable instanceof Int32Array ? POISON_INT32 : Number.NaN);
  const lists = free[reusable instanceof Int32Array ? 'int32' : 'float32'] as Map<number, Entry<TypedArray>[]>;
  let list = lists.get(reusable.length);
  if (list === undefined) {
    list = [];
    lists.set(reusable.length, list);
  }
  if (strong) {
    list.push(reusable);
    strongBytes += reusable.byteLength;
    strongArrays++;
  } else {
    list.push(new WeakRef(reusable));
    weakEntries++;
  }
  return true;
}

/**
 * The lease of the hand-out `values` belongs to (null for storage the pool never handed out): a
 * tensor made over the storage keeps it, and once the storage goes back to the pool the lease says
 * so. Only arrays of more than 16 elements are looked up: they are the only ones the pool hands
 * out, and reading `.buffer` of a smaller one would move its values off V8's heap.
 */
export function storageLease(values: TypedArray): StorageLease | null {
  return values.length > 16 || values.byteOffset !== 0 ? (issued.get(values.buffer as ArrayBuffer) ?? null) : null;
}

/**
 * Marks storage whose array is handed to code outside the library (`dataSync()`, `data()`): if it
 * comes back to the pool, it is detached, so that array reads as empty instead of showing the
 * values of the storage's next owner.
 */
export function exposeStorage(values: TypedArray): void {
  if (values.length > 16 || values.byteOffset !== 0) exposed.add(values.buffer as ArrayBuffer);
}

/** ES2024's zero-copy detach (Node 21+, browsers); absent on Node 20. */
const transfer = (ArrayBuffer.prototype as { transfer?: (this: ArrayBuffer) => ArrayBuffer }).transfer;

/**
 * The same memory under a new ArrayBuffer, `values`' own buffer left detached. Both ways are
 * zero-copy; structuredClone's transfer costs about 1.5 µs (0.3 ms of a 48 ms ResNet50 pass,
 * which releases 175 buffers), `ArrayBuffer.prototype.transfer` a fraction of that.
 */
function detached(values: TypedArray): TypedArray {
  const buffer = values.buffer as ArrayBuffer;
  const memory = transfer ? transfer.call(buffer) : structuredClone(buffer, { transfer: [buffer] });
  return values instanceof Int32Array ? new Int32Array(memory) : new Float32Array(memory);
}

/** Drops weak entries whose array was collected; returns how many weak entries remain. */
function sweepWeak(): number {
  for (const lists of [free.float32, free.int32] as Map<number, Entry<TypedArray>[]>[]) {
    for (const [size, list] of lists) {
      const kept = list.filter((e) => !(e instanceof WeakRef) || e.deref() !== undefined);
      weakEntries -= list.length - kept.length;
      if (kept.length === 0) lists.delete(size);
      else lists.set(size, kept);
    }
  }
  return weakEntries;
}

/** What the pool holds now (tests and benchmarks): arrays held strongly and their bytes, weak entries. */
export function storagePoolStats(): { arrays: number; bytes: number; weak: number } {
  return { arrays: strongArrays, bytes: strongBytes, weak: weakEntries };
}

/** Empties the pool, leaving its arrays to the garbage collector. */
export function clearStoragePool(): void {
  free.float32.clear();
  free.int32.clear();
  strongBytes = 0;
  strongArrays = 0;
  weakEntries = 0;
}

const POISON_INT32 = -0x7fffffff;

/**
 * Testing aid: while on, every array `takeStorage` returns and every array handed back to the
 * pool is filled with NaN (int32: a large negative value), so an op whose kernel leaves part of
 * its output unwritten, or a tensor still in use when its storage was recycled, fails visibly.
 * Returns the previous setting.
 */
export function setStoragePoisoning(on: boolean): boolean {
  const previous = poison;
  poison = on;
  return previous;
}

/**
 * Testing aid: while off, nothing is recycled (every op gets fresh storage), the reference a
 * test compares recycled runs with. Returns the previous setting.
 */
export function setStorageRecycling(on: boolean): boolean {
  const previous = enabled;
  enabled = on;
  return previous;
}

/** Sets how many bytes the pool may hold strongly (the rest is held weakly); returns the previous limit. */
export function setStoragePoolLimit(bytes: number): number {
  const previous = strongLimit;
  strongLimit = bytes;
  return previous;
}
