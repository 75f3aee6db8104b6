/**
 * Invariant: storage is reused only after it has been cut off from every Tensor and from every
 * typed array the library handed out over it, so a tensor kept past its release throws a clear
 * error when read, an array taken with `dataSync()` reads as empty, and neither can ever show the
 * values of the storage's next owner.
 *
 * Recycling is therefore safe whoever holds what: no layer, model, activation, loss or optimizer
 * class declares anything. What decides *when* storage goes back is what the engine knows:
 * - the model runners (models/functional.ts, models/sequential.ts, via models/recycling.ts) count
 *   the values of a forward pass per buffer and release one after its last consumer in the graph;
 * - the backward pass (autograd/backward.ts) does the same for gradients once used;
 * - a training step (training/step.ts) releases its forward intermediates when the step ends (the
 *   gradient tape needs them until then) and its gradients once the optimizer applied them.
 * Nothing is recycled while a user's own gradient scope records (its tape may still be used).
 *
 * A layer that stashes a tensor it was given or returned (`this.last = x`) gets recycling like any
 * other; reading the stashed tensor after its release throws an error that says so and how to keep
 * it (`x.clone()`). The mechanics live in the pool (tensor/storage-pool.ts): each hand-out of a
 * buffer is a lease, a tensor keeps the lease of its storage, and Tensor's accessors turn an
 * ended lease into the error below; a buffer whose array left the library (`dataSync()`,
 * `data()`) is pooled under a new ArrayBuffer and the old one detached, so every view of it reads
 * as empty. Storage that never left is pooled as it is: a new ArrayBuffer per release is young
 * external memory to V8, which then scavenges at every fresh allocation (storage-pool.ts).
 * Another backend's storage (wasm memory, a GPU buffer) goes back to its owner
 * (`release(storage, mark)`), which reuses the memory under a new handle only: the released handle
 * is recorded here and Tensor's accessors refuse it the same way. Storage that existed before a
 * computation began (its mark, one clock for every backend) never goes back through it: inputs,
 * weights and the caller's tensors stay put.
 */
import { formatShape } from './shape.js';
import { isHostArray, type Storage, type StorageBackend } from './storage.js';
import { recycleStorage, storageMark, storageRecycling } from './storage-pool.js';
import type { Tensor } from './tensor.js';

/**
 * Who released each storage, for the error a stale tensor raises: keyed by a host array's
 * (detached) buffer, which all its views share, or by another backend's handle.
 */
const releasedBy = new WeakMap<object, string>();

/** What identifies storage across the tensors sharing it: a host array's buffer, else the handle. */
function storageKey(storage: Storage): object {
  return isHostArray(storage) ? storage.buffer : storage;
}

/**
 * Gives storage back to its owner's pool if it was handed out after `mark`; `by` says which
 * computation let it go. Returns whether the pool took it (every tensor holding the storage then
 * refuses to be read: `storageReleased`).
 */
export function releaseStorage(storage: Storage, owner: StorageBackend, mark: number, by: string): boolean {
  if (isHostArray(storage)) {
    if (!recycleStorage(storage, mark)) return false;
  } else if (!storageRecycling() || releasedBy.has(storage) || !owner.release(storage, mark)) {
    return false;
  }
  releasedBy.set(storageKey(storage), by);
  return true;
}

/** Whether `storage`, held by a tensor of `size` elements, was released (Tensor's accessors). */
export function storageReleased(storage: Storage, size: number): boolean {
  return isHostArray(storage) ? storage.length !== size : releasedBy.has(storage);
}

/** The error reading a released tensor raises (Tensor's accessors). */
export function releasedTensorError(t: Tensor, storage: Storage): Error {
  const by = releasedBy.get(storageKey(storage)) ?? 'capa';
  return new Error(
    `Tensor ${t.id} of shape ${formatShape(t.shape)} can no longer be read: its storage was recycled by ${by} ` +
      'once no computation needed it. To keep a tensor that passes through a layer or a gradient computation, ' +
      'keep a copy: `kept = x.clone()`.',
  );
}

/**
 * Counts, per buffer, the tracked values of one computation still alive: several tensors can
 * share a buffer (reshape and its kin are views, an identity returns its input, the same tensor
 * can be held twice), and a buffer goes back only when the last of them is released.
 */
export class StorageRecycler {
  private readonly mark = storageMark();
  private readonly holders = new Map<object, number>();
  private readonly by: string;
  private readonly deferTo: DeadStorage | null;

  /**
   * `by` names the computation in the error a stale tensor raises. With `deferTo`, dead values
   * wait there (a gradient tape may still read them) instead of going back at once.
   */
  constructor(by: string, deferTo: DeadStorage | null = null) {
    this.by = by;
    this.deferTo = deferTo;
  }

  /** A tracked value became live. */
  hold(t: Tensor): void {
    const key = storageKey(t.storage);
    this.holders.set(key, (this.holders.get(key) ?? 0) + 1);
  }

  /** A held value is dead to this computation; its buffer goes back when no held value shares it. */
  release(t: Tensor): void {
    const storage = t.storage;
    const key = storageKey(storage);
    const count = this.holders.get(key);
    // Not held (the caller's bookkeeping is off, or the tensor moved to another backend since):
    // keeping the storage is the safe answer.
    if (count === undefined) return;
    if (count > 1) {
      this.holders.set(key, count - 1);
      return;
    }
    this.holders.delete(key);
    if (this.deferTo) this.deferTo.add(storage, t.owner, this.mark, this.by);
    else releaseStorage(storage, t.owner, this.mark, this.by);
  }
}

/**
 * Values dead to their computation but possibly still read for a while (a training step's
 * forward values, which the gradient tape keeps until the step ends); whoever owns that while
 * calls `releaseAll()` once nothing needs them.
 */
export class DeadStorage {
  private readonly items: { storage: Storage; owner: StorageBackend; mark: number; by: string }[] = [];

  add(storage: Storage, owner: StorageBackend, mark: number, by: string): void {
    this.items.push({ storage, owner, mark, by });
  }

  releaseAll(): void {
    for (const { storage, owner, mark, by } of this.items) releaseStorage(storage, owner, mark, by);
    this.items.length = 0;
  }
}
