/// <reference types="@webgpu/types" />
/**
 * GPU buffers for tensor storage, from a pool of size buckets. A handle (`GpuStorage`) owns one
 * buffer; when the handle is collected, or the recycler releases it, the buffer goes back to its
 * bucket for the next allocation of that size class. Reuse is safe without waiting for the GPU:
 * every later use of a recycled buffer is recorded after its earlier uses, in queue order (see
 * queue.ts, which also flushes before any direct queue write).
 */
import type { DType } from '../../tensor/dtype.js';
import { nextStorageStamp, storageMark } from '../../tensor/storage-pool.js';

/** Usage every storage buffer has: bound to kernels, copied to and from. */
const STORAGE_USAGE = 0x80 /* STORAGE */ | 0x4 /* COPY_SRC */ | 0x8; /* COPY_DST */

/** A tensor's values in a GPU buffer: 4-byte elements (float32 or int32), dense row-major. */
export class GpuStorage {
  constructor(
    readonly buffer: GPUBuffer,
    readonly dtype: DType,
    /** Elements, not bytes. */
    readonly size: number,
    /**
     * When it was allocated, on the storage clock every backend shares (tensor/storage-pool.ts),
     * for storageMark/release: the storage recycler's one mark then serves this backend too.
     */
    readonly serial: number,
  ) {}
}

/** Bytes a buffer of `bytes` is rounded up to: a multiple of a quarter of its power of two (≤ 25% waste). */
export function bucketOf(bytes: number): number {
  const min = 256;
  if (bytes <= min) return min;
  const quarter = 2 ** Math.max(Math.ceil(Math.log2(bytes)) - 2, 6);
  return Math.ceil(bytes / quarter) * quarter;
}

export class BufferPool {
  private readonly free = new Map<number, GPUBuffer[]>();
  private pooledBytes = 0;
  /** Buffers whose handles were collected without a release, back into the pool. */
  private readonly collected = new FinalizationRegistry<GPUBuffer>((buffer) => this.put(buffer));
  /** Handles already given back, so a release and a collection never pool one buffer twice. */
  private readonly returned = new WeakSet<GpuStorage>();

  constructor(
    private readonly device: GPUDevice,
    /** Pooled bytes kept at most; beyond it freed buffers are destroyed. */
    private readonly maxPooledBytes = 1 << 30,
  ) {}

  /** The current allocation count: storage allocated after it may be released against it. */
  mark(): number {
    return storageMark();
  }

  allocate(dtype: DType, size: number): GpuStorage {
    const bytes = bucketOf(size * 4);
    const limit = Math.min(this.device.limits.maxBufferSize, this.device.limits.maxStorageBufferBindingSize);
    if (bytes > limit) {
      throw new Error(
        `webgpu: cannot allocate a ${dtype} tensor of ${size} elements (${mb(size * 4)}): the adapter's largest buffer is ${mb(limit)}; ` +
          'use smaller batches or layers, or another backend (await capa.setBackend("native"))',
      );
    }
    const reused = this.free.get(bytes)?.pop();
    let buffer: GPUBuffer;
    if (reused) {
      this.pooledBytes -= bytes;
      buffer = reused;
    } else {
      buffer = this.device.createBuffer({ size: bytes, usage: STORAGE_USAGE });
    }
    const storage = new GpuStorage(buffer, dtype, size, nextStorageStamp());
    this.collected.register(storage, buffer, storage);
    return storage;
  }

  /** Takes storage back when it was allocated after `mark`. */
  release(storage: GpuStorage, mark: number): boolean {
    if (storage.serial <= mark || this.returned.has(storage)) return false;
    this.returned.add(storage);
    this.collected.unregister(storage);
    this.put(storage.buffer);
    return true;
  }

  private put(buffer: GPUBuffer): void {
    const bytes = buffer.size;
    if (this.pooledBytes + bytes > this.maxPooledBytes) {
      buffer.destroy();
      return;
    }
    let list = this.free.get(bytes);
    if (!list) {
      list = [];
      this.free.set(bytes, list);
    }
    list.push(buffer);
    this.pooledBytes += bytes;
  }

  /** Destroys every pooled buffer (the device is going away). */
  clear(): void {
    for (const list of this.free.values()) for (const b of list) b.destroy();
    this.free.clear();
    this.pooledBytes = 0;
  }
}

export function mb(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}
