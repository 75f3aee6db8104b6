/**
 * Keras 3's `keras.utils.image_dataset_from_directory`: the file index (class folders, a global
 * seeded shuffle, the last `validationSplit` fraction for validation) and the loading (decode,
 * `tf.image.resize`) as Keras does them, returned as a finite async-iterable dataset of batches
 * that `fit` consumes epoch by epoch. Decoding runs in worker threads, a few batches ahead.
 *
 * Differences from Keras: tf.data's buffered shuffle (a window of 8 batches) becomes a full
 * reshuffle every epoch, seeded; colour conversion follows Pillow (like the `format="grain"`
 * path) rather than libpng/libjpeg's own grey conversions.
 */

import { defaultWorkerCount, loadImages } from '#platform/image-workers';
import { generatorFor, RandomGenerator } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { resolveMaxImagePixels } from './codecs/pixel-limit.js';
import { TF_INTERPOLATIONS, type TfInterpolation } from './image-kernels/resize-tf.js';
import type { BatchTuple } from './iterators/batch-iterator.js';
import { listDirectory, listSubdirectories } from './iterators/directory-index.js';
import { type ColorMode, channelsForColorMode, checkColorMode } from './load-image.js';
import { nodePath } from './node.js';
import type { DatasetImageTask } from './workers/image-task.js';

/** Keras 3's ALLOWLIST_FORMATS. */
export const DATASET_IMAGE_EXTENSIONS = ['bmp', 'gif', 'jpeg', 'jpg', 'png'] as const;

export type LabelMode = 'int' | 'categorical' | 'binary' | null;

export interface ImageDatasetOptions {
  /** 'inferred' (from the class folders, default), explicit integer labels in file order, or null. */
  labels?: 'inferred' | readonly number[] | null;
  labelMode?: LabelMode;
  classNames?: readonly string[] | null;
  colorMode?: ColorMode;
  /** Default 32; null yields single images. */
  batchSize?: number | null;
  /** [height, width] or one number for both; default [256, 256]. */
  imageSize?: number | [number, number];
  shuffle?: boolean;
  seed?: number;
  validationSplit?: number | null;
  subset?: 'training' | 'validation' | 'both' | null;
  interpolation?: TfInterpolation;
  followLinks?: boolean;
  cropToAspectRatio?: boolean;
  padToAspectRatio?: boolean;
  dataFormat?: 'channels_last' | 'channels_first';
  verbose?: boolean;
  /** Worker threads decoding images (0: main thread). Default: cores - 1, at most 4. */
  workers?: number;
  /** Batches prepared ahead of the consumer (default 2). */
  prefetch?: number;
  /**
   * Refuse images of more pixels (width x height) than this, from their header (a guard against
   * decompression bombs); null: no limit. Default: `preprocessing.image.getMaxImagePixels()`.
   */
  maxImagePixels?: number | null;
}

export interface Source {
  paths: string[];
  labels: Int32Array | null;
}

interface LoadSettings {
  colorMode: ColorMode;
  size: [number, number];
  interpolation: TfInterpolation;
  cropToAspectRatio: boolean;
  padToAspectRatio: boolean;
  channelsFirst: boolean;
  labelMode: LabelMode;
  numClasses: number;
  workers: number;
  prefetch: number;
  maxImagePixels: number | null;
}

/** A finite dataset of image batches: each `for await` pass is one epoch. */
export class ImageDataset implements AsyncIterable<BatchTuple> {
  /** Class names in label order (null when unlabeled). */
  readonly classNames: string[] | null;
  /** The files, in the dataset's (globally shuffled) order. */
  readonly filePaths: string[];
  readonly batchSize: number | null;
  /** Whether each epoch reshuffles (predict warns when it does). */
  readonly shuffle: boolean;
  private readonly labels: Int32Array | null;
  private readonly settings: LoadSettings;
  private readonly seed: number;
  private epochCount = 0;

  constructor(
    source: Source,
    classNames: string[] | null,
    batchSize: number | null,
    shuffle: boolean,
    seed: number,
    settings: LoadSettings,
  ) {
    this.filePaths = source.paths;
    this.labels = source.labels;
    this.classNames = classNames;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.seed = seed;
    this.settings = settings;
  }

  /** Batches (or samples, when unbatched) per epoch. */
  get length(): number {
    return this.batchSize === null ? this.filePaths.length : Math.ceil(this.filePaths.length / this.batchSize);
  }

  /** One epoch of batches; every pass draws a new order (seeded by the dataset's seed and the pass number). */
  async *[Symbol.asyncIterator](): AsyncGenerator<BatchTuple, void, undefined> {
    const n = this.filePaths.length;
    const order = Int32Array.from({ length: n }, (_, i) => i);
    if (this.shuffle) {
      const rng = new RandomGenerator(this.seed + 7919 * this.epochCount);
      for (let i = n - 1; i > 0; i--) {
        const j = rng.nextInt(i + 1);
        const t = order[i] as number;
        order[i] = order[j] as number;
        order[j] = t;
      }
    }
    this.epochCount++;
    const step = this.batchSize ?? 1;
    const starts: number[] = [];
    for (let s = 0; s < n; s += step) starts.push(s);
    const pending: Promise<BatchTuple>[] = [];
    let next = 0;
    const fill = (): void => {
      while (next < starts.length && pending.length <= this.settings.prefetch) {
        const s = starts[next++] as number;
        const p = this.loadBatch(order.subarray(s, Math.min(s + step, n)));
        p.catch(() => undefined);
        pending.push(p);
      }
    };
    fill();
    while (pending.length > 0) {
      const batch = await (pending.shift() as Promise<BatchTuple>);
      fill();
      yield this.batchSize === null ? (batch.map((t) => new Tensor(t.dataSync(), t.shape.slice(1))) as BatchTuple) : batch;
    }
  }

  private async loadBatch(indices: Int32Array): Promise<BatchTuple> {
    const s = this.settings;
    const tasks = Array.from(
      indices,
      (i): DatasetImageTask => ({
        kind: 'dataset',
        path: this.filePaths[i] as string,
        maxImagePixels: s.maxImagePixels,
        colorMode: s.colorMode,
        size: s.size,
        interpolation: s.interpolation,
        cropToAspectRatio: s.cropToAspectRatio,
        padToAspectRatio: s.padToAspectRatio,
      }),
    );
    const images = (await loadImages(tasks, s.workers)).map((r) => {
      if (r instanceof Error) throw r;
      return r;
    });
    const [h, w] = s.size;
    const c = channelsForColorMode(s.colorMode);
    const size = h * w * c;
    const x = new Float32Array(indices.length * size);
    images.forEach((img, b) => {
      if (!s.channelsFirst) {
        x.set(img.data, b * size);
        return;
      }
      for (let p = 0; p < h * w; p++) for (let k = 0; k < c; k++) x[b * size + k * h * w + p] = img.data[p * c + k] as number;
    });
    const xs = new Tensor(x, [indices.length, ...(s.channelsFirst ? [c, h, w] : [h, w, c])]);
    if (this.labels === null || s.labelMode === null) return [xs];
    const labels = Int32Array.from(indices, (i) => this.labels?.[i] as number);
    if (s.labelMode === 'int') return [xs, new Tensor(labels, [labels.length])];
    if (s.labelMode === 'binary') return [xs, new Tensor(Float32Array.from(labels), [labels.length, 1])];
    const y = new Float32Array(labels.length * s.numClasses);
    labels.forEach((l, i) => {
      y[i * s.numClasses + l] = 1;
    });
    return [xs, new Tensor(y, [labels.length, s.numClasses])];
  }
}

const ALLOWED = `('.bmp', '.gif', '.jpeg', '.jpg', '.png')`;

export function checkValidationSplit(
  split: number | null,
  subset: string | null,
  shuffle: boolean,
  seed: number | undefined,
): void {
  if (split && !(split > 0 && split < 1)) throw new Error(`\`validation_split\` must be between 0 and 1, received: ${split}`);
  if ((split || subset) && !(split && subset))
    throw new Error('If `subset` is set, `validation_split` must be set, and inversely.');
  if (subset !== null && !['training', 'validation', 'both'].includes(subset)) {
    throw new Error(`\`subset\` must be either "training", "validation" or "both", received: ${subset}`);
  }
  if (split && shuffle && seed === undefined) {
    throw new Error(
      'If using `validation_split` and shuffling the data, you must provide a `seed` argument, to make sure that there is no overlap between the training and validation subset.',
    );
  }
}

export function takeSplit(source: Source, split: number | null, subset: 'training' | 'validation', log: boolean): Source {
  if (!split) return source;
  const n = source.paths.length;
  const numVal = Math.trunc(split * n);
  const [start, end] = subset === 'training' ? [0, n - numVal] : [n - numVal, n];
  if (log)
    console.log(subset === 'training' ? `Using ${n - numVal} files for training.` : `Using ${numVal} files for validation.`);
  return { paths: source.paths.slice(start, end), labels: source.labels ? source.labels.slice(start, end) : null };
}

export function imageDatasetFromDirectory(
  directory: string,
  options: ImageDatasetOptions & { subset: 'both' },
): [ImageDataset, ImageDataset];
export function imageDatasetFromDirectory(directory: string, options?: ImageDatasetOptions): ImageDataset;
/** `image_dataset_from_directory(directory, ...)`: a dataset of image batches from a folder tree. Node only. */
export function imageDatasetFromDirectory(
  directory: string,
  options: ImageDatasetOptions = {},
): ImageDataset | [ImageDataset, ImageDataset] {
  const what = 'imageDatasetFromDirectory';
  const o = options;
  let labels = o.labels === undefined ? 'inferred' : o.labels;
  let labelMode: LabelMode = o.labelMode === undefined ? 'int' : o.labelMode;
  if (labels !== 'inferred' && labels !== null) {
    if (!Array.isArray(labels)) {
      throw new Error(
        `${what}: \`labels\` argument should be a list/tuple of integer labels, of the same size as the number of image files in the target directory. If you wish to infer the labels from the subdirectory names in the target directory, pass \`labels="inferred"\`. If you wish to get a dataset that only contains images (no labels), pass \`labels=None\`. Received: labels=${String(labels)}`,
      );
    }
    if (o.classNames)
      throw new Error(
        `${what}: You can only pass \`class_names\` if \`labels="inferred"\`. Received: labels=${labels}, and class_names=${o.classNames}`,
      );
  }
  if (!['int', 'categorical', 'binary', null].includes(labelMode)) {
    throw new Error(
      `${what}: \`label_mode\` argument must be one of "int", "categorical", "binary", or None. Received: label_mode=${String(labelMode)}`,
    );
  }
  if (labels === null || labelMode === null) {
    labels = null;
    labelMode = null;
  }
  const colorMode = checkColorMode(o.colorMode ?? 'rgb', what);
  const sizeOpt = o.imageSize ?? [256, 256];
  const size: [number, number] = typeof sizeOpt === 'number' ? [sizeOpt, sizeOpt] : [sizeOpt[0], sizeOpt[1]];
  if (!size.every((d) => Number.isInteger(d) && d > 0)) {
    throw new Error(
      `${what}: Invalid \`image_size\` value. Expected a tuple of 2 integers. Received: image_size=${String(sizeOpt)}`,
    );
  }
  const interpolation = (o.interpolation ?? 'bilinear').toLowerCase() as TfInterpolation;
  if (!TF_INTERPOLATIONS.includes(interpolation)) {
    throw new Error(
      `${what}: Argument \`interpolation\` should be one of ${TF_INTERPOLATIONS.join(', ')}. Received: interpolation=${interpolation}`,
    );
  }
  if (o.cropToAspectRatio && o.padToAspectRatio)
    throw new Error(`${what}: Only one of \`pad_to_aspect_ratio\`, \`crop_to_aspect_ratio\` can be set to \`True\`.`);
  const shuffle = o.shuffle ?? true;
  const split = o.validationSplit ?? null;
  const subset = o.subset ?? null;
  checkValidationSplit(split, subset, shuffle, o.seed);
  const batchSize = o.batchSize === undefined ? 32 : o.batchSize;
  if (batchSize !== null && !(Number.isInteger(batchSize) && batchSize > 0))
    throw new Error(`${what}: batchSize must be a positive integer or null, received ${batchSize}.`);
  const seed = o.seed ?? generatorFor().nextInt(1_000_000);
  const verbose = o.verbose ?? true;

  // index_directory: class folders (hidden ones skipped), or the whole tree when labels are not inferred.
  const path = nodePath(what);
  const inferred = labels === 'inferred';
  if (inferred && o.classNames) {
    const available = listSubdirectories(directory, what, true);
    if (!o.classNames.every((c) => available.includes(c))) {
      throw new Error(
        `${what}: The \`class_names\` passed did not match the names of the subdirectories of the target directory. Expected: ${available.join(', ')} (or a subset of it), but received: class_names=${o.classNames.join(', ')}`,
      );
    }
  }
  const listing = listDirectory(directory, {
    classes: inferred ? (o.classNames ?? null) : [''],
    extensions: DATASET_IMAGE_EXTENSIONS,
    followLinks: o.followLinks ?? false,
    split: null,
    skipHidden: true,
    what,
  });
  let fileLabels: Int32Array | null = null;
  let classNames: string[] | null = null;
  if (inferred) {
    fileLabels = listing.classes;
    classNames = listing.classNames;
  } else if (labels !== null) {
    const given = labels as readonly number[];
    if (given.length !== listing.filenames.length) {
      throw new Error(
        `${what}: Expected the lengths of \`labels\` to match the number of files in the target directory. len(labels) is ${given.length} while we found ${listing.filenames.length} files in directory ${directory}.`,
      );
    }
    fileLabels = Int32Array.from(given);
    classNames = [...new Set(given)].sort((a, b) => a - b).map(String);
  }
  if (verbose) {
    console.log(
      labels === null
        ? `Found ${listing.filenames.length} files.`
        : `Found ${listing.filenames.length} files belonging to ${classNames?.length ?? 0} classes.`,
    );
  }
  const paths = listing.filenames.map((f) => path.join(directory, f));
  if (shuffle) {
    // Shuffle globally to erase macro-structure; paths and labels with the same permutation.
    const perm = Int32Array.from({ length: paths.length }, (_, i) => i);
    const rng = new RandomGenerator(seed);
    for (let i = perm.length - 1; i > 0; i--) {
      const j = rng.nextInt(i + 1);
      const t = perm[i] as number;
      perm[i] = perm[j] as number;
      perm[j] = t;
    }
    const p2 = Array.from(perm, (i) => paths[i] as string);
    paths.splice(0, paths.length, ...p2);
    if (fileLabels) fileLabels = Int32Array.from(perm, (i) => (fileLabels as Int32Array)[i] as number);
  }
  if (labelMode === 'binary' && classNames?.length !== 2) {
    throw new Error(
      `${what}: When passing \`label_mode="binary"\`, there must be exactly 2 class_names. Received: class_names=${classNames?.join(', ')}`,
    );
  }
  const workers = o.workers ?? defaultWorkerCount();
  const settings: LoadSettings = {
    colorMode,
    size,
    interpolation,
    cropToAspectRatio: o.cropToAspectRatio ?? false,
    padToAspectRatio: o.padToAspectRatio ?? false,
    channelsFirst: (o.dataFormat ?? 'channels_last') === 'channels_first',
    labelMode,
    numClasses: classNames?.length ?? 0,
    workers,
    prefetch: o.prefetch ?? 2,
    maxImagePixels: resolveMaxImagePixels(o.maxImagePixels, what),
  };
  const all: Source = { paths, labels: fileLabels };
  const make = (src: Source, shuffled: boolean): ImageDataset =>
    new ImageDataset(src, classNames, batchSize, shuffled, seed, settings);
  if (subset === 'both') {
    const train = takeSplit(all, split, 'training', verbose);
    const val = takeSplit(all, split, 'validation', verbose);
    if (train.paths.length === 0)
      throw new Error(`${what}: No training images found in directory ${directory}. Allowed formats: ${ALLOWED}`);
    if (val.paths.length === 0)
      throw new Error(`${what}: No validation images found in directory ${directory}. Allowed formats: ${ALLOWED}`);
    return [make(train, shuffle), make(val, false)];
  }
  const chosen = subset === null ? all : takeSplit(all, split, subset, verbose);
  if (chosen.paths.length === 0)
    throw new Error(`${what}: No images found in directory ${directory}. Allowed formats: ${ALLOWED}`);
  return make(chosen, shuffle);
}
