/**
 * Tensor storage as the engine sees it: an opaque handle owned by a backend. The tensor layer
 * only holds handles and asks their owner to read them; ops hand them to the owner's kernels.
 *
 * Why opaque: a WebGPU tensor lives in a GPU buffer and a wasm tensor in wasm memory, and
 * neither can be indexed from JavaScript. Host backends (js and native) use the typed array
 * itself as the handle, so on the CPU a handle costs nothing: no wrapper, no copy.
 */
import type { DType, TypedArray } from './dtype.js';

/**
 * A backend's handle to one tensor's values (dense, row-major). Typed `object` so code outside
 * the owning backend cannot index it: only the backend knows what it is.
 */
export type Storage = object;

/**
 * The storage half of the backend contract (backend.ts adds the kernels).
 *
 * Allocation follows the overwrite rule kernels follow: `allocate` returns storage whose values
 * are unspecified (recycled storage may hold another tensor's old values), for outputs a kernel
 * overwrites entirely; `allocateZeroed` is for kernels that accumulate into their output or leave
 * parts of it unwritten.
 */
export interface StorageBackend {
  /** The backend's name as `setBackend` knows it ('js', 'native', ...). */
  readonly name: string;
  /**
   * What kind of memory the handles are. Backends of the same kind use each other's storage as
   * is ('host' for js and native: both take typed arrays); tensors of different kinds meet only
   * through `ops.toBackend`.
   */
  readonly storageKind: string;
  /** Storage for `size` values whose contents are unspecified (a kernel overwrites them all). */
  allocate(dtype: DType, size: number): Storage;
  /** Storage for `size` zeros. */
  allocateZeroed(dtype: DType, size: number): Storage;
  /**
   * Storage holding `values`. The backend may adopt the array itself (host backends do): the
   * caller hands it over and must not write it afterwards.
   */
  upload(values: TypedArray): Storage;
  /** The values on the host. Host backends return the storage itself: read it, do not write it. */
  read(storage: Storage, dtype: DType, size: number): Promise<TypedArray>;
  /**
   * The values on the host, synchronously; absent on backends that can only read by waiting (a
   * GPU), whose tensors answer `dataSync()` with an error pointing at `await data()`.
   */
  readSync?(storage: Storage, dtype: DType, size: number): TypedArray;
  /** Overwrites `dst` with `size` values of `src` (same dtype, both this backend's): `Variable.assign`, `clone`. */
  copy(src: Storage, dst: Storage, size: number): void;
  /** Overwrites `dst` with host values (`Variable.assignValues`, weight loading). */
  write(dst: Storage, values: ArrayLike<number>): void;
  /**
   * A point in the allocator's history; storage allocated after it may be released with
   * `release(storage, mark)`.
   */
  storageMark(): number;
  /**
   * Hands storage back for reuse: the caller promises nothing live can reach it. The backend
   * takes it only if it allocated it after `mark` (so user data, weights and constants are never
   * reused); returns whether it did.
   */
  release(storage: Storage, mark: number): boolean;
}

/** True for the typed arrays host backends use as storage. */
export function isHostArray(storage: Storage): storage is TypedArray {
  return storage instanceof Float32Array || storage instanceof Int32Array;
}
