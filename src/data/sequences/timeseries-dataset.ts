/**
 * Keras's `timeseries_dataset_from_array`: sliding windows over a [T, ...features] array as a
 * dataset of [windows, targets] batches. Window i starts at `startIndex + p_i` and takes
 * `sequenceLength` steps `samplingRate` apart; p runs over 0, sequenceStride, ... while the
 * window ends before `endIndex`; its target is `targets[startIndex + p_i]`.
 *
 * Difference from Keras: with `shuffle`, the window order comes from capa's seeded generator
 * (Keras uses NumPy's RandomState and a tf.data shuffle buffer), reshuffled every epoch.
 */
import { RandomGenerator } from '../../tensor/random.js';
import { Tensor } from '../../tensor/tensor.js';
import type { BatchTuple } from '../iterators/batch-iterator.js';

export interface TimeseriesOptions {
  sequenceStride?: number;
  samplingRate?: number;
  /** Default 128; null yields single windows. */
  batchSize?: number | null;
  shuffle?: boolean;
  seed?: number;
  startIndex?: number | null;
  endIndex?: number | null;
}

type ArrayData = Tensor | readonly number[] | readonly (readonly number[])[];

function asTensor(x: ArrayData, what: string): Tensor {
  if (x instanceof Tensor) return x;
  if (!Array.isArray(x))
    throw new Error(`utils.timeseriesDatasetFromArray: \`${what}\` must be a Tensor or an array of numbers.`);
  if (x.length > 0 && Array.isArray(x[0])) {
    const rows = x as readonly (readonly number[])[];
    return new Tensor(Float32Array.from(rows.flat()), [rows.length, rows[0]?.length ?? 0]);
  }
  return new Tensor(Float32Array.from(x as readonly number[]), [x.length]);
}

export class TimeseriesDataset implements AsyncIterable<BatchTuple> {
  readonly batchSize: number | null;
  readonly shuffle: boolean;
  /** Start positions of the windows (relative to startIndex), in first-epoch order. */
  readonly startPositions: number[];
  private readonly data: Tensor;
  private readonly targets: Tensor | null;
  private readonly sequenceLength: number;
  private readonly samplingRate: number;
  private readonly startIndex: number;
  private readonly rng: RandomGenerator;

  constructor(data: ArrayData, targets: ArrayData | null, sequenceLength: number, options: TimeseriesOptions = {}) {
    const who = 'utils.timeseriesDatasetFromArray';
    this.data = asTensor(data, 'data');
    this.targets = targets === null ? null : asTensor(targets, 'targets');
    const length = this.data.shape[0] ?? 0;
    const positive = (v: number, name: string) => {
      if (!Number.isInteger(v) || v <= 0) throw new Error(`${who}: \`${name}\` must be a positive integer, received ${v}.`);
    };
    positive(sequenceLength, 'sequence_length');
    const stride = options.sequenceStride ?? 1;
    const rate = options.samplingRate ?? 1;
    positive(stride, 'sequence_stride');
    positive(rate, 'sampling_rate');
    const start = options.startIndex ?? 0;
    const end = options.endIndex ?? length;
    if (!Number.isInteger(start) || start < 0 || start >= length) {
      throw new Error(
        `${who}: \`start_index\` must be 0 <= start_index < len(data) = ${length}. Received: start_index=${start}.`,
      );
    }
    if (!Number.isInteger(end) || end <= start || end > length) {
      throw new Error(
        `${who}: \`end_index\` must be start_index < end_index <= len(data) = ${length}. Received: start_index=${start}, end_index=${end}.`,
      );
    }
    const batchSize = options.batchSize === undefined ? 128 : options.batchSize;
    if (batchSize !== null) positive(batchSize, 'batch_size');
    let count = end - start - (sequenceLength - 1) * rate;
    // Keras: no more windows than targets (read from start_index on)
    if (this.targets) count = Math.min(count, (this.targets.shape[0] ?? 0) - start);
    this.startPositions = [];
    for (let p = 0; p < count; p += stride) this.startPositions.push(p);
    this.sequenceLength = sequenceLength;
    this.samplingRate = rate;
    this.startIndex = start;
    this.batchSize = batchSize;
    this.shuffle = options.shuffle ?? false;
    this.rng = new RandomGenerator(options.seed ?? Math.floor(Math.random() * 1e6));
  }

  /** Batches (or windows, when unbatched) per epoch. */
  get length(): number {
    return this.batchSize === null ? this.startPositions.length : Math.ceil(this.startPositions.length / this.batchSize);
  }

  private order(): number[] {
    const order = this.startPositions.slice();
    if (!this.shuffle) return order;
    for (let i = order.length - 1; i > 0; i--) {
      const j = this.rng.nextInt(i + 1);
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    return order;
  }

  private windows(positions: number[]): BatchTuple {
    const features = this.data.shape.slice(1);
    const step = features.reduce((a, b) => a * b, 1);
    const src = this.data.dataSync();
    const x = new Float32Array(positions.length * this.sequenceLength * step);
    for (const [i, p] of positions.entries()) {
      for (let t = 0; t < this.sequenceLength; t++) {
        const row = this.startIndex + p + t * this.samplingRate;
        x.set(src.subarray(row * step, (row + 1) * step), (i * this.sequenceLength + t) * step);
      }
    }
    const single = this.batchSize === null;
    const xs = new Tensor(x, single ? [this.sequenceLength, ...features] : [positions.length, this.sequenceLength, ...features]);
    if (!this.targets) return [xs];
    const tShape = this.targets.shape.slice(1);
    const tStep = tShape.reduce((a, b) => a * b, 1);
    const tSrc = this.targets.dataSync();
    const y =
      this.targets.dtype === 'int32' ? new Int32Array(positions.length * tStep) : new Float32Array(positions.length * tStep);
    for (const [i, p] of positions.entries())
      y.set(tSrc.subarray((this.startIndex + p) * tStep, (this.startIndex + p + 1) * tStep), i * tStep);
    return [xs, new Tensor(y, single ? tShape : [positions.length, ...tShape])];
  }

  async *[Symbol.asyncIterator](): AsyncIterator<BatchTuple> {
    const order = this.order();
    const size = this.batchSize ?? 1;
    for (let i = 0; i < order.length; i += size) yield this.windows(order.slice(i, i + size));
  }
}

/** Keras's `timeseries_dataset_from_array(data, targets, sequence_length, ...)`. */
export function timeseriesDatasetFromArray(
  data: ArrayData,
  targets: ArrayData | null,
  sequenceLength: number,
  options: TimeseriesOptions = {},
): TimeseriesDataset {
  return new TimeseriesDataset(data, targets, sequenceLength, options);
}
