/**
 * Keras 3's `text_dataset_from_directory`: the `.txt` files of class folders (labels inferred
 * from the folder names, or none), shuffled globally with a seed and cut for validation as
 * `imageDatasetFromDirectory` does (the same index and split code), yielding batches of
 * `[texts, labels]` where texts is a `string[]` (capa has no string tensors). `map` turns it
 * into a dataset `fit` takes, as Keras's `ds.map(lambda x, y: (vectorize_layer(x), y))`.
 */

import { nodeModules } from '../../io/node.js';
import { generatorFor, RandomGenerator } from '../../tensor/random.js';
import { Tensor } from '../../tensor/tensor.js';
import { checkValidationSplit, type LabelMode, type Source, takeSplit } from '../image-dataset.js';
import type { BatchTuple } from '../iterators/batch-iterator.js';
import { listDirectory, listSubdirectories } from '../iterators/directory-index.js';
import { nodePath } from '../node.js';

export interface TextDatasetOptions {
  labels?: 'inferred' | null;
  labelMode?: LabelMode;
  classNames?: readonly string[] | null;
  /** Default 32; null yields single texts. */
  batchSize?: number | null;
  /** Keep at most this many characters of each text. */
  maxLength?: number | null;
  shuffle?: boolean;
  seed?: number;
  validationSplit?: number | null;
  subset?: 'training' | 'validation' | 'both' | null;
  followLinks?: boolean;
  verbose?: boolean;
}

export type TextBatch = [texts: string[], labels: Tensor] | [texts: string[]];

export class TextDataset implements AsyncIterable<TextBatch> {
  readonly classNames: string[] | null;
  readonly filePaths: string[];
  readonly batchSize: number | null;
  readonly shuffle: boolean;
  private readonly labels: Int32Array | null;
  private readonly labelMode: LabelMode;
  private readonly maxLength: number | null;
  private readonly seed: number;
  private epochCount = 0;

  constructor(
    source: Source,
    classNames: string[] | null,
    o: { batchSize: number | null; shuffle: boolean; seed: number; labelMode: LabelMode; maxLength: number | null },
  ) {
    this.filePaths = source.paths;
    this.labels = source.labels;
    this.classNames = classNames;
    this.batchSize = o.batchSize;
    this.shuffle = o.shuffle;
    this.seed = o.seed;
    this.labelMode = o.labelMode;
    this.maxLength = o.maxLength;
  }

  get length(): number {
    return this.batchSize === null ? this.filePaths.length : Math.ceil(this.filePaths.length / this.batchSize);
  }

  private labelTensor(labels: Int32Array): Tensor {
    const k = this.classNames?.length ?? 0;
    if (this.labelMode === 'binary') return new Tensor(Float32Array.from(labels), [labels.length, 1]);
    if (this.labelMode === 'categorical') {
      const y = new Float32Array(labels.length * k);
      for (const [i, l] of labels.entries()) y[i * k + l] = 1;
      return new Tensor(y, [labels.length, k]);
    }
    return new Tensor(labels, [labels.length]);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<TextBatch, void, undefined> {
    const { fs } = await nodeModules();
    const n = this.filePaths.length;
    const order = Int32Array.from({ length: n }, (_, i) => i);
    if (this.shuffle) {
      const rng = new RandomGenerator(this.seed + 7919 * this.epochCount);
      for (let i = n - 1; i > 0; i--) {
        const j = rng.nextInt(i + 1);
        [order[i], order[j]] = [order[j] as number, order[i] as number];
      }
    }
    this.epochCount++;
    const step = this.batchSize ?? 1;
    for (let s = 0; s < n; s += step) {
      const idx = order.subarray(s, Math.min(s + step, n));
      const texts = await Promise.all(
        Array.from(idx, async (i) => {
          const text = await fs.readFile(this.filePaths[i] as string, 'utf8');
          return this.maxLength !== null ? text.slice(0, this.maxLength) : text;
        }),
      );
      if (!this.labels || this.labelMode === null) {
        yield [texts];
        continue;
      }
      const y = this.labelTensor(Int32Array.from(idx, (i) => (this.labels as Int32Array)[i] as number));
      yield this.batchSize === null ? [texts, new Tensor(y.dataSync(), y.shape.slice(1))] : [texts, y];
    }
  }

  /** A dataset of `fn(texts, labels)` batches (e.g. vectorized texts) that fit / evaluate / predict take. */
  map(
    fn: (texts: string[], labels: Tensor | undefined) => BatchTuple,
  ): AsyncIterable<BatchTuple> & { readonly length: number; readonly shuffle: boolean } {
    const source = this;
    return {
      length: this.length,
      shuffle: this.shuffle,
      async *[Symbol.asyncIterator]() {
        for await (const [texts, labels] of source) yield fn(texts, labels);
      },
    };
  }
}

export function textDatasetFromDirectory(
  directory: string,
  options: TextDatasetOptions & { subset: 'both' },
): [TextDataset, TextDataset];
export function textDatasetFromDirectory(directory: string, options?: TextDatasetOptions): TextDataset;
/** `text_dataset_from_directory(directory, ...)`: batches of texts (and labels) from a folder tree. Node only. */
export function textDatasetFromDirectory(
  directory: string,
  options: TextDatasetOptions = {},
): TextDataset | [TextDataset, TextDataset] {
  const what = 'textDatasetFromDirectory';
  const o = options;
  let labels = o.labels === undefined ? 'inferred' : o.labels;
  let labelMode: LabelMode = o.labelMode === undefined ? 'int' : o.labelMode;
  if (labels !== 'inferred' && labels !== null) {
    throw new Error(
      `${what}: \`labels\` must be "inferred" or null (capa does not take a list of labels here). Received: labels=${String(labels)}.`,
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
  const shuffle = o.shuffle ?? true;
  const split = o.validationSplit ?? null;
  const subset = o.subset ?? null;
  checkValidationSplit(split, subset, shuffle, o.seed);
  const batchSize = o.batchSize === undefined ? 32 : o.batchSize;
  if (batchSize !== null && !(Number.isInteger(batchSize) && batchSize > 0))
    throw new Error(`${what}: batchSize must be a positive integer or null, received ${batchSize}.`);
  const maxLength = o.maxLength ?? null;
  if (maxLength !== null && !(Number.isInteger(maxLength) && maxLength > 0))
    throw new Error(`${what}: \`max_length\` must be a positive integer, received ${maxLength}.`);
  const seed = o.seed ?? generatorFor().nextInt(1_000_000);
  const verbose = o.verbose ?? true;
  const path = nodePath(what);
  const inferred = labels === 'inferred';
  if (inferred && o.classNames) {
    const available = listSubdirectories(directory, what, true);
    if (!o.classNames.every((c) => available.includes(c))) {
      throw new Error(
        `${what}: The \`class_names\` passed did not match the names of the subdirectories of the target directory. Expected: ${available.join(', ')}, but received: class_names=${o.classNames.join(', ')}`,
      );
    }
  }
  const listing = listDirectory(directory, {
    classes: inferred ? (o.classNames ?? null) : [''],
    extensions: ['txt'],
    followLinks: o.followLinks ?? false,
    split: null,
    skipHidden: true,
    what,
  });
  const classNames = inferred ? listing.classNames : null;
  let fileLabels: Int32Array | null = inferred ? listing.classes : null;
  if (verbose) {
    console.log(
      labels === null
        ? `Found ${listing.filenames.length} files.`
        : `Found ${listing.filenames.length} files belonging to ${classNames?.length ?? 0} classes.`,
    );
  }
  let paths = listing.filenames.map((f) => path.join(directory, f));
  if (shuffle) {
    const perm = Int32Array.from({ length: paths.length }, (_, i) => i);
    const rng = new RandomGenerator(seed);
    for (let i = perm.length - 1; i > 0; i--) {
      const j = rng.nextInt(i + 1);
      [perm[i], perm[j]] = [perm[j] as number, perm[i] as number];
    }
    paths = Array.from(perm, (i) => paths[i] as string);
    if (fileLabels) fileLabels = Int32Array.from(perm, (i) => (fileLabels as Int32Array)[i] as number);
  }
  if (labelMode === 'binary' && classNames?.length !== 2) {
    throw new Error(
      `${what}: When passing \`label_mode="binary"\`, there must be exactly 2 class_names. Received: class_names=${classNames?.join(', ')}`,
    );
  }
  const all: Source = { paths, labels: fileLabels };
  const make = (src: Source, shuffled: boolean) =>
    new TextDataset(src, classNames, { batchSize, shuffle: shuffled, seed, labelMode, maxLength });
  if (subset === 'both')
    return [make(takeSplit(all, split, 'training', verbose), shuffle), make(takeSplit(all, split, 'validation', verbose), false)];
  const chosen = subset === null ? all : takeSplit(all, split, subset, verbose);
  if (chosen.paths.length === 0) throw new Error(`${what}: No text files found in directory ${directory}. Allowed format: .txt`);
  return make(chosen, shuffle);
}
