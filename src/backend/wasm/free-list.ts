/**
 * Released wasm storage kept for reuse, by exact size: a model pass asks for the sizes the
 * previous pass released, so the next pass computes into memory already touched instead of
 * fresh pages (first-touching a ResNet50 pass's ~150 MB of outputs took most of its time), and
 * no allocator call is made. Beyond `limit` pooled bytes, released memory goes back to the
 * module's allocator. Only the storage recycler's releases come here (wasm-backend.ts `release`),
 * so what it holds is reachable by no live tensor.
 */
import type { WasmRuntimeExports } from './module.js';

/** Most bytes kept pooled by default (the wasm memory is limited to 4 GiB). */
export const MAX_POOLED_WASM_BYTES = 512 * 1024 * 1024;

export class WasmFreeList {
  private readonly free = new Map<number, number[]>();
  private bytes = 0;
  private count = 0;

  constructor(
    private readonly e: Pick<WasmRuntimeExports, '_capa_free'>,
    private readonly limit = MAX_POOLED_WASM_BYTES,
  ) {}

  /** The address of a pooled region of exactly `bytes`, or 0 when none is free. */
  take(bytes: number): number {
    const list = this.free.get(bytes);
    const ptr = list?.pop();
    if (ptr === undefined) return 0;
    if (list?.length === 0) this.free.delete(bytes);
    this.bytes -= bytes;
    this.count--;
    return ptr;
  }

  /** Pools the region at `ptr` of `bytes`, or frees it when the pool is full. */
  put(ptr: number, bytes: number): void {
    if (this.bytes + bytes > this.limit) {
      this.e._capa_free(ptr);
      return;
    }
    const list = this.free.get(bytes);
    if (list) list.push(ptr);
    else this.free.set(bytes, [ptr]);
    this.bytes += bytes;
    this.count++;
  }

  /** What the pool holds: regions and their bytes. */
  stats(): { storages: number; bytes: number } {
    return { storages: this.count, bytes: this.bytes };
  }

  /** Frees every pooled region to the module's allocator. */
  clear(): void {
    for (const list of this.free.values()) for (const ptr of list) this.e._capa_free(ptr);
    this.free.clear();
    this.bytes = 0;
    this.count = 0;
  }
}
