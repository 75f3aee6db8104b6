/**
 * Hands a computation's dead tensors' storage back to the pool (storage-pool.ts), counting the
 * values still alive per buffer: several tensors can share one (reshape and its kin are views,
 * an identity returns its input, the same tensor can be held twice), and a buffer goes back only
 * when the last of them is released. Used by the model runner at inference
 * (models/recycling.ts) and by the backward pass for gradients (autograd/backward.ts).
 *
 * The caller holds every value it tracks when it appears and releases it when it is dead to
 * the caller and, the caller knows, to everyone else. Storage that existed before this recycler
 * was made is never recycled (the pool's mark), whatever the bookkeeping says.
 */
import type { TypedArray } from './dtype.js';
import { isHostArray } from './storage.js';
import { recycleStorage, storageMark } from './storage-pool.js';
import type { Tensor } from './tensor.js';

export class StorageRecycler {
  private readonly mark = storageMark();
  private readonly holders = new Map<ArrayBuffer, number>();
  private readonly deferTo: DeadStorage | null;

  /** With `deferTo`, dead buffers wait there (still referenced elsewhere, e.g. by a gradient tape) instead of going back at once. */
  constructor(deferTo: DeadStorage | null = null) {
    this.deferTo = deferTo;
  }

  /** A tracked value became live. */
  hold(t: Tensor): void {
    // Only host storage is pooled; other backends' storage is left to its owner.
    if (!isHostArray(t.storage)) return;
    const buffer = t.storage.buffer as ArrayBuffer;
    this.holders.set(buffer, (this.holders.get(buffer) ?? 0) + 1);
  }

  /** A held value is dead; its buffer is recycled when no held value shares it. */
  release(t: Tensor): void {
    const values = t.storage;
    if (!isHostArray(values)) return;
    const buffer = values.buffer as ArrayBuffer;
    const count = this.holders.get(buffer);
    // Not held: the caller's bookkeeping is off; keeping the buffer is the safe answer.
    if (count === undefined) return;
    if (count > 1) {
      this.holders.set(buffer, count - 1);
      return;
    }
    this.holders.delete(buffer);
    if (this.deferTo) this.deferTo.add(values, this.mark);
    else recycleStorage(values, this.mark);
  }
}

/**
 * Buffers dead to their computation but possibly still reachable for a while (a training
 * step's forward values, which the gradient tape keeps until the step ends); whoever owns that
 * while calls `recycleAll()` once nothing can reach them.
 */
export class DeadStorage {
  private readonly items: { values: TypedArray; mark: number }[] = [];

  add(values: TypedArray, mark: number): void {
    this.items.push({ values, mark });
  }

  recycleAll(): void {
    for (const { values, mark } of this.items) recycleStorage(values, mark);
    this.items.length = 0;
  }
}
