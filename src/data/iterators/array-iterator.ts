/**
 * `ImageDataGenerator.flow(x, y)`: Keras's NumpyArrayIterator over in-memory images.
 */
import type { RandomGenerator } from '../../tensor/random.js';
import { formatShape } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { floatToRaw } from '../array-to-image.js';
import { type ImageFormat, normalizeFormat, writeImageFile } from '../image-io.js';
import type { ImageShape, TransformParameters } from '../image-kernels/transform.js';
import { type Augmenter, augmentsSubset, chwToHwc, hwcToChw } from './augmenter.js';
import { BatchIterator, type BatchTuple } from './batch-iterator.js';

export interface FlowOptions {
  batchSize?: number;
  shuffle?: boolean;
  sampleWeight?: Tensor | null;
  seed?: number;
  saveToDir?: string | null;
  savePrefix?: string;
  saveFormat?: string;
  ignoreClassSplit?: boolean;
  subset?: 'training' | 'validation' | null;
  /** Batches computed ahead (computed on the main thread; default 0). */
  prefetch?: number;
}

interface ArrayPlan {
  indices: Int32Array;
  params: (TransformParameters | null)[];
  hashes: number[];
}

function rowsOf(t: Tensor, start: number, end: number): Tensor {
  const row = t.size / (t.shape[0] as number);
  const values = t.dataSync().slice(start * row, end * row);
  return new Tensor(values, [end - start, ...t.shape.slice(1)]);
}

function gatherRows(t: Tensor, indices: Int32Array): Tensor {
  const row = t.size / (t.shape[0] as number);
  const src = t.dataSync();
  const out = src instanceof Int32Array ? new Int32Array(indices.length * row) : new Float32Array(indices.length * row);
  for (let i = 0; i < indices.length; i++)
    out.set(src.subarray((indices[i] as number) * row, ((indices[i] as number) + 1) * row), i * row);
  return new Tensor(out, [indices.length, ...t.shape.slice(1)]);
}

function uniqueValues(t: Tensor): number[] {
  return [...new Set(t.dataSync())].sort((a, b) => a - b);
}

export class ArrayIterator extends BatchIterator<ArrayPlan> {
  readonly x: Tensor;
  readonly y: Tensor | null;
  readonly sampleWeight: Tensor | null;
  readonly subset: 'training' | 'validation' | null;
  private readonly augmenter: Augmenter;
  private readonly augment: boolean;
  private readonly image: ImageShape;
  private readonly saveToDir: string | null;
  private readonly savePrefix: string;
  private readonly saveFormat: ImageFormat;
  private readonly saveExtension: string;

  constructor(x: Tensor, y: Tensor | null, augmenter: Augmenter, options: FlowOptions = {}) {
    const what = 'flow';
    if (!(x instanceof Tensor)) throw new Error(`${what}: x must be a Tensor of images, received ${typeof x}.`);
    if (y !== null && !(y instanceof Tensor)) throw new Error(`${what}: y must be a Tensor or null.`);
    const n = x.shape[0] ?? 0;
    if (y !== null && (y.shape[0] ?? 0) !== n) {
      throw new Error(
        `${what}: \`x\` (images tensor) and \`y\` (labels) should have the same length. Found: x.shape = ${formatShape(x.shape)}, y.shape = ${formatShape(y.shape)}`,
      );
    }
    const sw = options.sampleWeight ?? null;
    if (sw !== null && (sw.shape[0] ?? 0) !== n) {
      throw new Error(
        `${what}: \`x\` (images tensor) and \`sample_weight\` should have the same length. Found: x.shape = ${formatShape(x.shape)}, sample_weight.shape = ${formatShape(sw.shape)}`,
      );
    }
    const subset = options.subset ?? null;
    let xs = x;
    let ys = y;
    let ws = sw;
    if (subset !== null) {
      if (subset !== 'training' && subset !== 'validation') {
        throw new Error(`${what}: Invalid subset name: ${String(subset)}; expected "training" or "validation".`);
      }
      const split = Math.trunc(n * augmenter.validationSplit);
      if (ys !== null && !options.ignoreClassSplit) {
        const a = uniqueValues(rowsOf(ys, 0, split));
        const b = uniqueValues(rowsOf(ys, split, n));
        if (a.length !== b.length || a.some((v, i) => v !== b[i])) {
          throw new Error(
            `${what}: Training and validation subsets have different number of classes after the split. If your numpy arrays are sorted by the label, you might want to shuffle them.`,
          );
        }
      }
      const [start, end] = subset === 'validation' ? [0, split] : [split, n];
      xs = rowsOf(xs, start, end);
      if (ys !== null) ys = rowsOf(ys, start, end);
      if (ws !== null) ws = rowsOf(ws, start, end);
    }
    if (xs.rank !== 4) {
      throw new Error(
        `${what}: Input data in \`NumpyArrayIterator\` should have rank 4. You passed an array with shape ${formatShape(x.shape)}`,
      );
    }
    super(
      xs.shape[0] as number,
      { batchSize: options.batchSize ?? 32, shuffle: options.shuffle ?? true, seed: options.seed, prefetch: options.prefetch },
      what,
    );
    const channelsFirst = augmenter.dataFormat === 'channels_first';
    const [d1, d2, d3] = xs.shape.slice(1) as [number, number, number];
    this.image = channelsFirst ? { height: d2, width: d3, channels: d1 } : { height: d1, width: d2, channels: d3 };
    if (![1, 3, 4].includes(this.image.channels)) {
      const axis = channelsFirst ? 1 : 3;
      console.warn(
        `NumpyArrayIterator is set to use the data format convention "${augmenter.dataFormat}" (channels on axis ${axis}), i.e. expected either 1, 3, or 4 channels on axis ${axis}. However, it was passed an array with shape ${formatShape(x.shape)} (${this.image.channels} channels).`,
      );
    }
    this.x = xs.dtype === 'float32' ? xs : new Tensor(Float32Array.from(xs.dataSync()), xs.shape);
    this.y = ys;
    this.sampleWeight = ws;
    this.subset = subset;
    this.augmenter = augmenter;
    this.augment = augmentsSubset(augmenter, subset);
    this.saveToDir = options.saveToDir ?? null;
    this.savePrefix = options.savePrefix ?? '';
    this.saveExtension = options.saveFormat ?? 'png';
    this.saveFormat = normalizeFormat(this.saveExtension, what);
  }

  protected planBatch(indices: Int32Array, rng: RandomGenerator): ArrayPlan {
    const params = Array.from(indices, () => (this.augment ? this.augmenter.drawTransform(this.image, rng) : null));
    const hashes = this.saveToDir ? Array.from(indices, () => rng.nextInt(10000)) : [];
    return { indices, params, hashes };
  }

  protected async produceBatch(plan: ArrayPlan): Promise<BatchTuple> {
    const { height, width, channels } = this.image;
    const size = height * width * channels;
    const src = this.x.dataSync() as Float32Array;
    const channelsFirst = this.augmenter.dataFormat === 'channels_first';
    const batch = new Float32Array(plan.indices.length * size);
    plan.indices.forEach((j, i) => {
      let img: Float32Array = src.subarray(j * size, (j + 1) * size);
      if (channelsFirst) img = chwToHwc(img, this.image);
      const params = plan.params[i];
      if (params) img = this.augmenter.applyTransformHWC(img, this.image, params);
      img = this.augmenter.standardizeHWC(img, this.image);
      batch.set(channelsFirst ? hwcToChw(img, this.image) : img, i * size);
    });
    if (this.saveToDir) await this.save(batch, plan, size);
    const xs = new Tensor(batch, [plan.indices.length, ...this.x.shape.slice(1)]);
    if (this.y === null) return [xs];
    const ys = gatherRows(this.y, plan.indices);
    return this.sampleWeight === null ? [xs, ys] : [xs, ys, gatherRows(this.sampleWeight, plan.indices)];
  }

  private async save(batch: Float32Array, plan: ArrayPlan, size: number): Promise<void> {
    const dir = this.saveToDir as string;
    const channelsFirst = this.augmenter.dataFormat === 'channels_first';
    await Promise.all(
      Array.from(plan.indices, async (j, i) => {
        let img = batch.subarray(i * size, (i + 1) * size);
        if (channelsFirst) img = chwToHwc(img, this.image);
        const raw = floatToRaw(img, this.image.height, this.image.width, this.image.channels, true, 'flow(saveToDir)');
        const name = `${this.savePrefix}_${j}_${plan.hashes[i]}.${this.saveExtension}`;
        await writeImageFile(`${dir}/${name}`, raw, this.saveFormat, 'flow(saveToDir)');
      }),
    );
  }
}
