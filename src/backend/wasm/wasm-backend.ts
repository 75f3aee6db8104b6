/**
 * The WebAssembly backend: the native kernels (native/src/kernels/, compiled for WebAssembly SIMD128
 * by scripts/build-wasm.mjs) over tensors that live in the module's memory. A tensor's storage is
 * a region of that memory (WasmStorage); a kernel call passes addresses, so no values are copied
 * per call. The kernel logic above the C ABI (meta layouts, dtype dispatch, the js fallbacks for
 * int32 arithmetic and optimizers without a kernel) is NativeBackend's, run unchanged over views of
 * the memory made for each call, which also keeps calls correct when the memory grows.
 */
import { type DType, dtypeOfArray, type TypedArray } from '../../tensor/dtype.js';
import type { StorageBackend } from '../../tensor/storage.js';
import { nextStorageStamp, POISON_INT32, storageMark, storagePoisoning } from '../../tensor/storage-pool.js';
import type { Storage } from '../backend.js';
import { type Args, BaseBackend } from '../base-backend.js';
import type { NativeAddon, NativeInfo } from '../native/addon.js';
import { NativeBackend } from '../native/native.js';
import { WasmCall } from './call.js';
import { WasmFreeList } from './free-list.js';
import { wasmKernels } from './kernels.generated.js';
import type { WasmModule } from './module.js';
import { readCString } from './module.js';
import { WasmStorage } from './storage.js';

/** The wasm backend's kernels: every method NativeBackend defines, applied to views of wasm storage. */
abstract class ViewKernels extends BaseBackend {
  /** The NativeBackend whose kernel methods run, over an addon that is the module's C ABI. */
  abstract readonly nativeKernels: NativeBackend;
  /** An argument with each WasmStorage in it replaced by a view of its memory. */
  abstract viewsOf(arg: unknown): unknown;
}
for (const key of Object.getOwnPropertyNames(NativeBackend.prototype)) {
  const method = (NativeBackend.prototype as unknown as Record<string, unknown>)[key];
  if (key === 'constructor' || typeof method !== 'function') continue;
  Object.defineProperty(ViewKernels.prototype, key, {
    configurable: true,
    writable: true,
    value(this: ViewKernels, ...args: unknown[]) {
      return method.apply(
        this.nativeKernels,
        args.map((a) => this.viewsOf(a)),
      );
    },
  });
}

/** What `wasmInfo()` reports. */
export interface WasmInfo {
  /** 'wasm-simd' (SIMD128) or 'scalar'. */
  isa: string;
  isas: string[];
  threads: number;
  /** 'threads' (pthreads over SharedArrayBuffer) or 'single'. */
  variant: 'threads' | 'single';
}

/**
 * ViewKernels with what TypeScript cannot see: the NativeBackend methods installed on it above
 * implement every abstract primitive of BaseBackend (NativeBackend is a concrete backend).
 */
const KernelsOverViews = ViewKernels as unknown as abstract new () => ViewKernels & NativeKernelMethods;
type NativeKernelMethods = Omit<NativeBackend, keyof StorageBackend | 'sizeOf' | 'info' | 'setIsa' | 'setThreads'>;

export class WasmBackend extends KernelsOverViews {
  readonly name = 'wasm';
  readonly storageKind = 'wasm';
  private readonly call: WasmCall;
  /** NativeBackend's kernel methods, run over the module (see ViewKernels). */
  readonly nativeKernels: NativeBackend;
  /** Frees the memory of a tensor garbage-collected without being released. */
  private readonly finalizer: FinalizationRegistry<number>;
  /** Released storage, reused by the next allocation of its size. */
  private readonly pool: WasmFreeList;

  constructor(private readonly mod: WasmModule) {
    super();
    const e = mod.exports;
    this.call = new WasmCall(e, mod.memory);
    const addon: NativeAddon = Object.assign(wasmKernels(e, this.call), {
      info: () => this.info() as unknown as NativeInfo,
      setIsa: (isa: string) => this.setIsa(isa),
      setThreads: (n: number) => this.setThreads(n),
    });
    this.nativeKernels = new NativeBackend(addon);
    this.finalizer = new FinalizationRegistry((ptr) => e._capa_free(ptr));
    this.pool = new WasmFreeList(e);
  }

  /** An argument with each WasmStorage in it (alone, in a list, or a field) replaced by a view. */
  viewsOf(arg: unknown): unknown {
    if (arg instanceof WasmStorage) return this.call.view(arg.ptr, arg.length, arg.dtype === 'int32');
    if (arg === null || typeof arg !== 'object' || ArrayBuffer.isView(arg)) return arg;
    if (Array.isArray(arg)) return arg.length > 0 && arg[0] instanceof WasmStorage ? arg.map((a) => this.viewsOf(a)) : arg;
    let copy: Record<string, unknown> | null = null;
    for (const [k, v] of Object.entries(arg)) {
      if (v instanceof WasmStorage) {
        copy ??= { ...(arg as Record<string, unknown>) };
        copy[k] = this.viewsOf(v);
      }
    }
    return copy ?? arg;
  }

  // ---- controls ----

  info(): WasmInfo {
    const e = this.mod.exports;
    return {
      isa: readCString(this.mod.memory, e._capa_isa()),
      isas: ['wasm-simd', 'scalar'],
      threads: e._capa_threads(),
      variant: this.mod.variant,
    };
  }

  /** Switches the kernels between 'wasm-simd' and 'scalar'; false for another name. */
  setIsa(isa: string): boolean {
    if (isa !== 'wasm-simd' && isa !== 'scalar') return false;
    const bytes = new TextEncoder().encode(`${isa}\0`);
    const ptr = this.mod.exports._capa_alloc(bytes.length) >>> 0;
    new Uint8Array(this.mod.memory.buffer, ptr, bytes.length).set(bytes);
    const ok = this.mod.exports._capa_set_isa(ptr) === 1;
    this.mod.exports._capa_free(ptr);
    return ok;
  }

  /** Threads of the kernel pool: at most the workers loaded with the module (capaPoolSize). */
  setThreads(threads: number): void {
    if (!Number.isInteger(threads) || threads < 1 || threads > this.mod.poolSize) {
      throw new Error(
        `setNumThreads(${threads}): the wasm backend (${this.mod.variant} build) runs 1 to ${this.mod.poolSize} threads ` +
          '(CAPA_NUM_THREADS sets how many workers it loads).',
      );
    }
    this.mod.exports._capa_set_threads(threads);
  }

  // ---- storage: regions of the module memory ----

  /** `stamp`: 0 for storage that may never be released (see WasmStorage). */
  private alloc(dtype: DType, size: number, stamp: number): WasmStorage {
    // At least one value, so an empty tensor still has an address (0 means "absent" to a kernel).
    const bytes = Math.max(size, 1) * 4;
    const ptr = this.pool.take(bytes) || this.mod.exports._capa_alloc(bytes) >>> 0;
    if (ptr === 0) {
      throw new Error(`wasm backend: out of memory allocating ${size} ${dtype} values (the wasm memory is limited to 4 GiB)`);
    }
    const s = new WasmStorage(ptr, size, dtype, stamp);
    this.finalizer.register(s, ptr, s);
    return s;
  }

  private view(s: WasmStorage): TypedArray {
    return this.call.view(s.ptr, s.length, s.dtype === 'int32');
  }

  allocate(...[dtype, size]: Args<'allocate'>): Storage {
    const s = this.alloc(dtype, size, nextStorageStamp());
    // The memory may hold another tensor's old values, as recycled host storage may (the pool's testing aid).
    if (storagePoisoning()) this.view(s).fill(dtype === 'int32' ? POISON_INT32 : Number.NaN);
    return s;
  }

  allocateZeroed(...[dtype, size]: Args<'allocateZeroed'>): Storage {
    const s = this.alloc(dtype, size, nextStorageStamp());
    this.view(s).fill(0);
    return s;
  }

  upload(...[values]: Args<'upload'>): Storage {
    const s = this.alloc(dtypeOfArray(values), values.length, 0);
    this.view(s).set(values);
    return s;
  }

  read(...[storage, dtype, size]: Args<'read'>): Promise<TypedArray> {
    return Promise.resolve(this.readSync(storage, dtype, size));
  }

  /** A copy of the values (the memory is the module's: a view would change under later kernels). */
  readSync(storage: Storage, _dtype: DType, size: number): TypedArray {
    return this.view(storage as WasmStorage).slice(0, size);
  }

  copy(...[src, dst, size]: Args<'copy'>): void {
    const from = (src as WasmStorage).ptr;
    new Uint8Array(this.mod.memory.buffer).copyWithin((dst as WasmStorage).ptr, from, from + size * 4);
  }

  write(...[dst, values]: Args<'write'>): void {
    this.view(dst as WasmStorage).set(values);
  }

  /** A point on the storage clock all backends share (see WasmStorage.stamp). */
  storageMark(): number {
    return storageMark();
  }

  /**
   * Takes back storage allocated after `mark` into the free list (free-list.ts), so the next pass
   * reuses the memory this one touched. Only the storage recycler calls it, and it never lets a
   * tensor read a released handle again (tensor/storage-recycler.ts's invariant).
   */
  release(...[storage, mark]: Args<'release'>): boolean {
    if (!(storage instanceof WasmStorage) || storage.stamp === 0 || storage.stamp <= mark) return false;
    if (!this.finalizer.unregister(storage)) return false;
    if (storagePoisoning()) this.view(storage).fill(storage.dtype === 'int32' ? POISON_INT32 : Number.NaN);
    this.pool.put(storage.ptr, Math.max(storage.length, 1) * 4);
    return true;
  }

  /** What the free list holds (tests, benchmarks): regions and their bytes. */
  pooledStorage(): { storages: number; bytes: number } {
    return this.pool.stats();
  }

  /** Frees the free list's regions to the module's allocator. */
  clearPool(): void {
    this.pool.clear();
  }

  sizeOf(...[storage]: Args<'sizeOf'>): number {
    return (storage as WasmStorage).length;
  }
}
