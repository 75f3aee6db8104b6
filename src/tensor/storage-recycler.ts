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
 * Storage that existed before a computation
 * began (its mark) never goes back through it: inputs, weights and the caller's tensors stay put.
 */
import type { TypedArray } from './dtype.js';
import { formatShape } from './shape.js';
import { isHostArray } from './storage.js';
import { recycleStorage, storageMark } from './storage-pool.js';
import type { Tensor } from './tensor.js';

/** Who released each detached buffer, for the error a stale tensor raises. */
const releasedBy = new WeakMap<ArrayBuffer, string>();

/**
 * Gives storage back to the pool if it was handed out after `mark`; `by` says which computation
 * let it go. Returns whether the pool took it (the storage is then detached from every view).
 */
export function releaseStorage(values: TypedArray, mark: number, by: string): boolean {
  if (!recycleStorage(values, mark)) return false;
  releasedBy.set(values.buffer as ArrayBuffer, by);
  return true;
}

/** The error reading a released tensor raises (Tensor's accessors). */
export function releasedTensorError(t: Tensor, buffer: ArrayBufferLike): Error {
  const by = releasedBy.get(buffer as ArrayBuffer) ?? 'capa';
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
  private readonly holders = new Map<ArrayBuffer, number>();
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
    // Only host storage is pooled; other backends' storage is left to its owner.
    if (!isHostArray(t.storage)) return;
    const buffer = t.storage.buffer as ArrayBuffer;
    this.holders.set(buffer, (this.holders.get(buffer) ?? 0) + 1);
  }

  /** A held value is dead to this computation; its buffer goes back when no held value shares it. */
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
    if (this.deferTo) this.deferTo.add(values, this.mark, this.by);
    else releaseStorage(values, this.mark, this.by);
  }
}

/**
 * Values dead to their computation but possibly still read for a while (a training step's
 * forward values, which the gradient tape keeps until the step ends); whoever owns that while
 * calls `releaseAll()` once nothing needs them.
 */
export class DeadStorage {
  private readonly items: { values: TypedArray; mark: number; by: string }[] = [];

  add(values: TypedArray, mark: number, by: string): void {
    this.items.push({ values, mark, by });
  }

  releaseAll(): void {
    for (const { values, mark, by } of this.items) releaseStorage(values, mark, by);
    this.items.length = 0;
  }
}
