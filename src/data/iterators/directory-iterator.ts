/**
 * `ImageDataGenerator.flow_from_directory`: Keras's DirectoryIterator, with images decoded and
 * augmented in worker threads and batches prefetched ahead of the consumer.
 */

import { defaultWorkerCount, loadImages } from '#platform/image-workers';
import type { RandomGenerator } from '../../tensor/random.js';
import { Tensor } from '../../tensor/tensor.js';
import { floatToRaw } from '../array-to-image.js';
import { resolveMaxImagePixels } from '../codecs/pixel-limit.js';
import { type ImageFormat, normalizeFormat, writeImageFile } from '../image-io.js';
import type { PilInterpolation } from '../image-kernels/resize-pil.js';
import type { ImageShape, TransformParameters } from '../image-kernels/transform.js';
import {
  type ColorMode,
  channelsForColorMode,
  checkColorMode,
  checkInterpolation,
  checkTargetSize,
  type PrepareOptions,
} from '../load-image.js';
import { nodePath } from '../node.js';
import type { ImageTask, ImageTaskResult } from '../workers/image-task.js';
import { type Augmenter, augmentsSubset, chwToHwc, hwcToChw } from './augmenter.js';
import { BatchIterator, type BatchTuple } from './batch-iterator.js';
import { IDG_IMAGE_EXTENSIONS, listDirectory } from './directory-index.js';

export type ClassMode = 'categorical' | 'binary' | 'sparse' | 'input' | null;

const CLASS_MODES: readonly ClassMode[] = ['categorical', 'binary', 'sparse', 'input', null];

export interface FlowFromDirectoryOptions {
  /** [height, width]; default [256, 256]. */
  targetSize?: [number, number];
  colorMode?: ColorMode;
  /** Class folder names in index order; default: all subfolders, sorted. */
  classes?: string[] | null;
  classMode?: ClassMode;
  batchSize?: number;
  shuffle?: boolean;
  seed?: number;
  saveToDir?: string | null;
  savePrefix?: string;
  saveFormat?: string;
  followLinks?: boolean;
  subset?: 'training' | 'validation' | null;
  interpolation?: PilInterpolation;
  keepAspectRatio?: boolean;
  /** Worker threads that decode and augment (0: main thread). Default: cores - 1, at most 4. */
  workers?: number;
  /** Batches prepared ahead of the consumer. Default 2 (0: none). */
  prefetch?: number;
  /** What to do with a file that cannot be decoded: throw (default, naming the file) or skip it with a warning. */
  invalidImages?: 'error' | 'skip';
  /** Print `Found N images belonging to K classes.` (default true). */
  verbose?: boolean;
  /**
   * Refuse images of more pixels (width x height) than this, from their header (a guard against
   * decompression bombs); null: no limit. Default: `getMaxImagePixels()` at construction.
   */
  maxImagePixels?: number | null;
}

interface DirectoryPlan {
  indices: Int32Array;
  params: (TransformParameters | null)[];
  hashes: number[];
}

let tiffWarningShown = false;

export class DirectoryIterator extends BatchIterator<DirectoryPlan> {
  readonly directory: string;
  /** Class index of every sample, in file order (Keras's `classes`). */
  readonly classes: Int32Array;
  /** Class folder name to index. */
  readonly classIndices: Record<string, number>;
  readonly numClasses: number;
  /** Paths relative to `directory`. */
  readonly filenames: string[];
  /** Absolute-or-as-given paths (`directory` joined with each filename). */
  readonly filepaths: string[];
  readonly samples: number;
  readonly imageShape: number[];
  readonly targetSize: [number, number];
  readonly colorMode: ColorMode;
  readonly classMode: ClassMode;
  readonly subset: 'training' | 'validation' | null;
  readonly interpolation: PilInterpolation;
  readonly keepAspectRatio: boolean;
  readonly workers: number;
  private readonly augmenter: Augmenter;
  private readonly augment: boolean;
  private readonly image: ImageShape;
  private readonly invalidImages: 'error' | 'skip';
  private readonly maxImagePixels: number | null;
  private readonly skipped = new Set<string>();
  private readonly saveToDir: string | null;
  private readonly savePrefix: string;
  private readonly saveFormat: ImageFormat;
  private readonly saveExtension: string;

  constructor(directory: string, augmenter: Augmenter, options: FlowFromDirectoryOptions = {}) {
    const what = 'flowFromDirectory';
    const targetSize = checkTargetSize(options.targetSize ?? [256, 256], what) as [number, number];
    const colorMode = checkColorMode(options.colorMode ?? 'rgb', what);
    const interpolation = checkInterpolation(options.interpolation ?? 'nearest', what);
    const classMode = options.classMode === undefined ? 'categorical' : options.classMode;
    if (!CLASS_MODES.includes(classMode)) {
      throw new Error(
        `${what}: Invalid class_mode: ${String(classMode)}; expected one of: categorical, binary, sparse, input, null`,
      );
    }
    const subset = options.subset ?? null;
    let split: [number, number] | null = null;
    if (subset === 'validation') split = [0, augmenter.validationSplit];
    else if (subset === 'training') split = [augmenter.validationSplit, 1];
    else if (subset !== null)
      throw new Error(`${what}: Invalid subset name: ${String(subset)};expected "training" or "validation"`);
    const listing = listDirectory(directory, {
      classes: options.classes ?? null,
      extensions: IDG_IMAGE_EXTENSIONS,
      followLinks: options.followLinks ?? false,
      split,
      skipHidden: false,
      what,
    });
    if (options.verbose ?? true) {
      console.log(`Found ${listing.filenames.length} images belonging to ${listing.classNames.length} classes.`);
    }
    const workers = options.workers ?? defaultWorkerCount();
    if (!Number.isInteger(workers) || workers < 0)
      throw new Error(`${what}: workers must be a non-negative integer, received ${workers}.`);
    super(
      listing.filenames.length,
      {
        batchSize: options.batchSize ?? 32,
        shuffle: options.shuffle ?? true,
        seed: options.seed,
        prefetch: options.prefetch ?? 2,
      },
      what,
    );
    const path = nodePath(what);
    this.directory = directory;
    this.classes = listing.classes;
    this.numClasses = listing.classNames.length;
    this.classIndices = Object.fromEntries(listing.classNames.map((name, i) => [name, i]));
    this.filenames = listing.filenames;
    this.filepaths = listing.filenames.map((f) => path.join(directory, f));
    this.samples = listing.filenames.length;
    this.targetSize = targetSize;
    this.colorMode = colorMode;
    this.classMode = classMode;
    this.subset = subset;
    this.interpolation = interpolation;
    this.keepAspectRatio = options.keepAspectRatio ?? false;
    this.workers = workers;
    const channels = channelsForColorMode(colorMode);
    this.image = { height: targetSize[0], width: targetSize[1], channels };
    this.imageShape = augmenter.dataFormat === 'channels_first' ? [channels, ...targetSize] : [...targetSize, channels];
    this.augmenter = augmenter;
    this.augment = augmentsSubset(augmenter, subset);
    this.invalidImages = options.invalidImages ?? 'error';
    this.maxImagePixels = resolveMaxImagePixels(options.maxImagePixels, what);
    this.saveToDir = options.saveToDir ?? null;
    this.savePrefix = options.savePrefix ?? '';
    this.saveExtension = options.saveFormat ?? 'png';
    this.saveFormat = normalizeFormat(this.saveExtension, what);
    if (classMode === 'binary' && this.numClasses !== 2) {
      console.warn(
        `${what}: classMode 'binary' expects 2 classes, found ${this.numClasses}; labels will be the class indices 0..${this.numClasses - 1}.`,
      );
    }
    if (!tiffWarningShown && this.filenames.some((f) => f.toLowerCase().endsWith('.tiff'))) {
      tiffWarningShown = true;
      console.warn('Using ".tiff" files with multiple bands will cause distortion. Please verify your output.');
    }
  }

  /** Keras's `labels`: the class of every sample. */
  get labels(): Int32Array {
    return this.classes;
  }

  protected override emptyMessage(): string {
    return `flowFromDirectory: found no images in '${this.directory}'${this.subset ? ` (subset '${this.subset}')` : ''}; images must sit in one subfolder per class and end in ${IDG_IMAGE_EXTENSIONS.map((e) => `.${e}`).join(', ')}.`;
  }

  protected planBatch(indices: Int32Array, rng: RandomGenerator): DirectoryPlan {
    const params = Array.from(indices, () => (this.augment ? this.augmenter.drawTransform(this.image, rng) : null));
    const hashes = this.saveToDir ? Array.from(indices, () => rng.nextInt(10_000_000)) : [];
    return { indices, params, hashes };
  }

  protected async produceBatch(plan: DirectoryPlan): Promise<BatchTuple> {
    const prepare: PrepareOptions = {
      colorMode: this.colorMode,
      targetSize: this.targetSize,
      interpolation: this.interpolation,
      keepAspectRatio: this.keepAspectRatio,
    };
    const settings = this.augmenter.transformSettings();
    const paths = Array.from(plan.indices, (j) => this.filepaths[j] as string);
    const tasks: ImageTask[] = paths.map((path, i) => ({
      kind: 'generator',
      path,
      maxImagePixels: this.maxImagePixels,
      prepare,
      transform: plan.params[i] ?? null,
      settings,
    }));
    const wanted = paths.map((p) => !this.skipped.has(p));
    const outcomes = await loadImages(
      tasks.filter((_, i) => wanted[i]),
      this.workers,
    );
    let next = 0;
    const loaded = wanted.map((w, i): ImageTaskResult | null => {
      if (!w) return null;
      const r = outcomes[next++] as ImageTaskResult | Error;
      if (!(r instanceof Error)) return r;
      if (this.invalidImages === 'error') throw r;
      this.skipped.add(paths[i] as string);
      console.warn(`flowFromDirectory: skipping ${r.message}`);
      return null;
    });
    const kept = loaded.flatMap((r, i) => (r === null ? [] : [i]));
    const { height, width, channels } = this.image;
    const size = height * width * channels;
    const batch = new Float32Array(kept.length * size);
    const channelsFirst = this.augmenter.dataFormat === 'channels_first';
    kept.forEach((i, b) => {
      const img = this.augmenter.standardizeHWC((loaded[i] as ImageTaskResult).data, this.image);
      batch.set(channelsFirst ? hwcToChw(img, this.image) : img, b * size);
    });
    const indices = Int32Array.from(kept, (i) => plan.indices[i] as number);
    if (this.saveToDir)
      await this.save(
        batch,
        indices,
        kept.map((i) => plan.hashes[i] as number),
        size,
      );
    const xs = new Tensor(batch, [kept.length, ...this.imageShape]);
    return this.withLabels(xs, indices);
  }

  private withLabels(xs: Tensor, indices: Int32Array): BatchTuple {
    const n = indices.length;
    switch (this.classMode) {
      case 'input':
        return [xs, new Tensor(new Float32Array(xs.dataSync()), xs.shape)];
      case 'binary':
      case 'sparse':
        return [
          xs,
          new Tensor(
            Float32Array.from(indices, (j) => this.classes[j] as number),
            [n],
          ),
        ];
      case 'categorical': {
        const k = this.numClasses;
        const y = new Float32Array(n * k);
        indices.forEach((j, i) => {
          y[i * k + (this.classes[j] as number)] = 1;
        });
        return [xs, new Tensor(y, [n, k])];
      }
      default:
        return [xs];
    }
  }

  private async save(batch: Float32Array, indices: Int32Array, hashes: number[], size: number): Promise<void> {
    const dir = this.saveToDir as string;
    const path = nodePath('flowFromDirectory(saveToDir)');
    const { height, width, channels } = this.image;
    await Promise.all(
      Array.from(indices, async (j, i) => {
        let img = batch.subarray(i * size, (i + 1) * size);
        if (this.augmenter.dataFormat === 'channels_first') img = chwToHwc(img, this.image);
        const raw = floatToRaw(img, height, width, channels, true, 'flowFromDirectory(saveToDir)');
        const name = `${this.savePrefix}_${j}_${hashes[i]}.${this.saveExtension}`;
        await writeImageFile(path.join(dir, name), raw, this.saveFormat, 'flowFromDirectory(saveToDir)');
      }),
    );
  }
}
