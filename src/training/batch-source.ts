/**
 * The data-iterator contract of fit / evaluate / predict (agreed across areas): any object with
 * `[Symbol.asyncIterator]()` yielding `[x, y]` or `[x, y, sampleWeight]` batches of Tensors (or
 * `[x]` for predict), where x (and y) may be a list of Tensors for multi-input (multi-output)
 * models. Optional members:
 *   - `length`: batches per epoch (a finite pass); without it and without `stepsPerEpoch` an
 *     epoch lasts until the iterator finishes.
 *   - `reset()`: called before the iterator is started again for a new pass.
 *   - `shuffle`: predict warns when it is true (predictions would not line up with the data).
 * An infinite iterator (Keras's generators) is bounded by `stepsPerEpoch` / `validationSteps` /
 * `steps`. The data area's `flow` / `flowFromDirectory` iterators satisfy this contract.
 */
import { backend } from '../backend/registry.js';
import { toBackend } from '../ops/to-backend.js';
import { Tensor } from '../tensor/tensor.js';
import { type DataSlots, type StructuredData, structuredToTensors } from './array-data.js';

/**
 * Data for the model's inputs (or targets): Tensors, nested arrays or typed arrays, one or a list
 * (one per input), or a record keyed by input (output) name (training/array-data.ts).
 */
export type BatchInput = StructuredData;

export type DataBatch =
  | readonly [x: BatchInput]
  | readonly [x: BatchInput, y: BatchInput]
  | readonly [x: BatchInput, y: BatchInput, sampleWeight: Tensor | null | undefined];

export interface DataIterator {
  [Symbol.asyncIterator](): AsyncIterator<DataBatch>;
  readonly length?: number;
  reset?(): void;
  readonly shuffle?: boolean;
}

export function isDataIterator(value: unknown): value is DataIterator {
  return (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof Tensor) &&
    typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function'
  );
}

/** A batch as lists: inputs, targets (empty for predict data) and sample weights. */
export interface Batch {
  xs: Tensor[];
  ys: Tensor[];
  sampleWeight: Tensor | null;
}

/**
 * The batch on the current backend, where the model's ops run: data is cut into batches where it
 * lives (usually host memory) and each batch moves once, before its step. Between backends of one
 * storage kind (host data, js or native backend) the move is a new owner, not a copy.
 */
export function batchOnCurrentBackend(batch: Batch): Batch {
  const name = backend().name;
  return {
    xs: batch.xs.map((t) => toBackend(t, name)),
    ys: batch.ys.map((t) => toBackend(t, name)),
    sampleWeight: batch.sampleWeight ? toBackend(batch.sampleWeight, name) : null,
  };
}

/** The model's input and output names (and input shapes) that a batch's records and typed arrays are matched to. */
export interface BatchSlots {
  inputs: DataSlots;
  targets: DataSlots;
}

function asList(value: BatchInput, what: string, where: string, slots?: DataSlots): Tensor[] {
  return structuredToTensors(value, `the ${what} of a batch the iterator yielded`, where, slots);
}

/** Normalizes one yielded batch, naming the caller in errors. */
export function batchFromIterator(value: unknown, where: string, needTargets: boolean, slots?: BatchSlots): Batch {
  if (value instanceof Tensor) {
    if (needTargets)
      throw new Error(`${where}: the iterator yielded a lone Tensor; batches must be [x, y] or [x, y, sampleWeight].`);
    return { xs: [value], ys: [], sampleWeight: null };
  }
  if (!Array.isArray(value) || value.length === 0 || value.length > 3) {
    throw new Error(
      `${where}: the iterator must yield [x, y] or [x, y, sampleWeight] arrays of Tensors; received ${describeValue(value)}.`,
    );
  }
  if (needTargets && value.length < 2)
    throw new Error(`${where}: the iterator yielded [x] without targets; training and evaluation need [x, y].`);
  const xs = asList(value[0] as BatchInput, 'x', where, slots?.inputs);
  const ys =
    value.length >= 2 && value[1] !== null && value[1] !== undefined
      ? asList(value[1] as BatchInput, 'y', where, slots?.targets)
      : [];
  const sw = value[2];
  if (sw !== undefined && sw !== null && !(sw instanceof Tensor))
    throw new Error(`${where}: sampleWeight in a batch must be a Tensor.`);
  return { xs, ys, sampleWeight: (sw as Tensor | null | undefined) ?? null };
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  return value === null ? 'null' : typeof value;
}

/**
 * Pulls batches from a DataIterator across epochs. The underlying iterator is created once and
 * continued while it has data; once it finishes, the next pass calls reset() and starts it again.
 */
export class IteratorBatches {
  private iterator: AsyncIterator<DataBatch> | null = null;
  private exhausted = true;

  constructor(
    readonly source: DataIterator,
    private readonly where: string,
    private readonly needTargets: boolean,
    private readonly slots?: BatchSlots,
  ) {}

  /** Steps per pass: explicit steps, else the source's length, else unknown (until it finishes). */
  stepsPerPass(explicit: number | undefined): number | null {
    if (explicit !== undefined) {
      if (!(Number.isInteger(explicit) && explicit > 0))
        throw new Error(`${this.where}: steps must be a positive integer, received ${explicit}.`);
      return explicit;
    }
    const n = this.source.length;
    return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : null;
  }

  private restart(): void {
    this.source.reset?.();
    this.iterator = this.source[Symbol.asyncIterator]();
    this.exhausted = false;
  }

  /** Starts a fresh pass (validation, evaluate, predict start from the beginning each time). */
  startFresh(): void {
    this.restart();
  }

  /**
   * The next batch, or null when the data ran out. At the start of a pass (`firstOfPass`), a
   * finished iterator is started again once before giving up.
   */
  async next(firstOfPass: boolean): Promise<Batch | null> {
    if (this.iterator === null || (this.exhausted && firstOfPass)) this.restart();
    if (this.exhausted) return null;
    let result = await (this.iterator as AsyncIterator<DataBatch>).next();
    if (result.done && firstOfPass) {
      // a finite iterator that ended with the previous pass: start it over
      this.restart();
      result = await (this.iterator as AsyncIterator<DataBatch>).next();
    }
    if (result.done) {
      this.exhausted = true;
      return null;
    }
    return batchFromIterator(result.value, this.where, this.needTargets, this.slots);
  }
}
