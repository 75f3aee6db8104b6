/**
 * Keras's image `Iterator` (keras.src.legacy.preprocessing.image.Iterator): batch order, per-epoch
 * shuffling and seeding exactly as its `_flow_index` does them, plus a bounded prefetch queue.
 *
 * Determinism: everything random about a batch (the shuffle at an epoch start, each image's
 * transform) is drawn synchronously when the batch is *scheduled*, from a generator seeded with
 * `seed + totalBatchesSeen` as Keras seeds NumPy. Scheduling happens only inside `next()`, in
 * order, so the batches are the same with or without prefetching and whatever the worker timing.
 *
 * Iteration: like Keras's generators, `for await (const batch of it)` never ends by itself (it
 * cycles over epochs); `fit` bounds it with `length`. `epoch()` iterates exactly one epoch.
 */
import { generatorFor, RandomGenerator } from '../../tensor/random.js';
import type { Tensor } from '../../tensor/tensor.js';

/** `[x]`, `[x, y]` or `[x, y, sampleWeight]`, what training's batch sources yield. */
export type BatchTuple = [x: Tensor] | [x: Tensor, y: Tensor] | [x: Tensor, y: Tensor, sampleWeight: Tensor];

interface FlowState {
  batchIndex: number;
  totalBatchesSeen: number;
  indexArray: Int32Array | null;
}

interface Pending {
  before: FlowState;
  result: Promise<BatchTuple>;
}

export interface BatchIteratorOptions {
  batchSize: number;
  shuffle: boolean;
  seed?: number | undefined;
  /** Batches computed ahead of the consumer (0: none). */
  prefetch?: number | undefined;
}

export abstract class BatchIterator<Plan> implements AsyncIterable<BatchTuple> {
  /** Number of samples. */
  readonly n: number;
  readonly batchSize: number;
  /** Whether the order changes every epoch (predict warns when it does). */
  readonly shuffle: boolean;
  readonly seed: number | undefined;
  /** Batches computed ahead of the consumer. */
  readonly prefetch: number;
  private state: FlowState = { batchIndex: 0, totalBatchesSeen: 0, indexArray: null };
  private readonly unseeded: RandomGenerator;
  private queue: Pending[] = [];

  protected constructor(n: number, options: BatchIteratorOptions, what: string) {
    if (!Number.isInteger(options.batchSize) || options.batchSize < 1) {
      throw new Error(`${what}: batchSize must be a positive integer, received ${options.batchSize}.`);
    }
    const prefetch = options.prefetch ?? 0;
    if (!Number.isInteger(prefetch) || prefetch < 0) {
      throw new Error(`${what}: prefetch must be a non-negative integer (batches), received ${prefetch}.`);
    }
    if (options.seed !== undefined && !Number.isFinite(options.seed)) {
      throw new Error(`${what}: seed must be a finite number, received ${options.seed}.`);
    }
    this.n = n;
    this.batchSize = options.batchSize;
    this.shuffle = options.shuffle;
    this.seed = options.seed === undefined ? undefined : Math.floor(options.seed);
    this.prefetch = prefetch;
    // Unseeded iterators still follow capa.setSeed: their stream is drawn from the global one.
    this.unseeded = new RandomGenerator(generatorFor().nextSeed());
  }

  /** Batches per epoch (Keras's `len(iterator)`). */
  get length(): number {
    return Math.ceil(this.n / this.batchSize);
  }

  /** Position in the current epoch (Keras's `batch_index`). */
  get batchIndex(): number {
    return this.queue.length > 0 ? (this.queue[0] as Pending).before.batchIndex : this.state.batchIndex;
  }

  /** Batches handed out so far (Keras's `total_batches_seen`). */
  get totalBatchesSeen(): number {
    return this.queue.length > 0 ? (this.queue[0] as Pending).before.totalBatchesSeen : this.state.totalBatchesSeen;
  }

  /** Draws the randomness of a batch (synchronously) from `rng`. */
  protected abstract planBatch(indices: Int32Array, rng: RandomGenerator): Plan;

  /** Computes a planned batch. */
  protected abstract produceBatch(plan: Plan): Promise<BatchTuple>;

  /** The error for `next()` on an iterator without samples. */
  protected emptyMessage(): string {
    return `${this.constructor.name}: there are no samples to iterate over.`;
  }

  /** Starts the next epoch at its first batch, reshuffled (Keras's `reset`). Drops prefetched batches. */
  reset(): void {
    this.discardQueue();
    this.state.batchIndex = 0;
  }

  /** Keras's `on_epoch_end`: a new order now. */
  onEpochEnd(): void {
    this.discardQueue();
    this.state.indexArray = this.makeIndexArray(this.batchRng());
  }

  /** The next batch (Keras's `next(iterator)`). */
  async next(): Promise<BatchTuple> {
    if (this.n === 0) throw new Error(this.emptyMessage());
    const head = this.queue.shift() ?? this.schedule();
    while (this.queue.length < this.prefetch) this.queue.push(this.schedule());
    return head.result;
  }

  /** Endless batches, epoch after epoch, like iterating a Keras generator. */
  async *[Symbol.asyncIterator](): AsyncGenerator<BatchTuple, void, undefined> {
    for (;;) yield await this.next();
  }

  /** Exactly the batches of one epoch, starting from the current position. */
  async *epoch(): AsyncGenerator<BatchTuple, void, undefined> {
    const steps = this.length - this.batchIndex;
    for (let i = 0; i < steps; i++) yield await this.next();
  }

  private batchRng(): RandomGenerator {
    return this.seed === undefined ? this.unseeded : new RandomGenerator(this.seed + this.state.totalBatchesSeen);
  }

  private makeIndexArray(rng: RandomGenerator): Int32Array {
    const idx = new Int32Array(this.n);
    for (let i = 0; i < this.n; i++) idx[i] = i;
    if (this.shuffle) {
      for (let i = this.n - 1; i > 0; i--) {
        const j = rng.nextInt(i + 1);
        const t = idx[i] as number;
        idx[i] = idx[j] as number;
        idx[j] = t;
      }
    }
    return idx;
  }

  /** One step of Keras's `_flow_index`, then the batch's plan, then its (asynchronous) production. */
  private schedule(): Pending {
    const s = this.state;
    const before: FlowState = { ...s };
    const rng = this.batchRng();
    if (s.batchIndex === 0 || s.indexArray === null) s.indexArray = this.makeIndexArray(rng);
    const current = this.n === 0 ? 0 : (s.batchIndex * this.batchSize) % this.n;
    if (this.n > current + this.batchSize) s.batchIndex += 1;
    else s.batchIndex = 0;
    s.totalBatchesSeen += 1;
    const indices = s.indexArray.slice(current, current + this.batchSize);
    const plan = this.planBatch(indices, rng);
    const result = this.produceBatch(plan);
    // A prefetched batch may fail before anyone awaits it; the error surfaces when it is awaited.
    result.catch(() => undefined);
    return { before, result };
  }

  private discardQueue(): void {
    const first = this.queue[0];
    if (first !== undefined) this.state = { ...first.before };
    this.queue = [];
  }
}
