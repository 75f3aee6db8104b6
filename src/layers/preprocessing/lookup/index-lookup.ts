/**
 * Keras's IndexLookup, the shared base of StringLookup and IntegerLookup: a vocabulary (given, or
 * learned by `adapt`) mapping values to indices, or indices back to values with `invert`, and
 * the 'int' / 'one_hot' / 'multi_hot' / 'count' / 'tf_idf' outputs. capa tensors hold numbers
 * only, so strings come in as JavaScript arrays (`string[]`, `string[][]`) through `apply`, and
 * an inverted StringLookup returns string arrays through `invertValues`.
 */
import { Tensor } from '../../../tensor/tensor.js';
import { type ConfigDict, type ConfigValue, configBoolean, configNumber } from '../../engine/config.js';
import { type CallArgs, Layer, type LayerArgs } from '../../engine/layer.js';
import { type SymbolicShape, SymbolicTensor } from '../../engine/symbolic.js';
import { encodeCategorical } from './encode.js';
import { type FlatValues, isStringArray, type LookupInput } from './string-batch.js';
import { type OutputMode, type Token, VocabularyTable } from './vocabulary-table.js';

export const OUTPUT_MODES: readonly OutputMode[] = ['int', 'one_hot', 'multi_hot', 'count', 'tf_idf'];

export interface IndexLookupArgs<K extends Token> extends LayerArgs {
  maxTokens?: number | null;
  numOovIndices?: number;
  maskToken?: K | null;
  oovToken?: K;
  vocabulary?: readonly K[] | null;
  idfWeights?: readonly number[] | null;
  invert?: boolean;
  outputMode?: OutputMode | 'binary' | 'tf-idf';
  padToMaxTokens?: boolean;
  /** Keras's sparse outputs; capa has no sparse tensors, so only false. */
  sparse?: boolean;
}

/** Keras's older spellings of output modes. */
export function outputModeArg(mode: string | undefined, who: string, allowed: readonly string[] = OUTPUT_MODES): OutputMode {
  const m = mode === 'binary' ? 'multi_hot' : mode === 'tf-idf' ? 'tf_idf' : (mode ?? 'int');
  if (!allowed.includes(m)) {
    throw new Error(
      `${who}: Invalid value for argument \`output_mode\`. Expected one of ${JSON.stringify(allowed)}. Received: output_mode=${JSON.stringify(mode)}.`,
    );
  }
  return m as OutputMode;
}

/** Async or sync batches for adapt: arrays of values, or [x, y] tuples whose x is used. */
export type AdaptBatches<T> = Iterable<T> | AsyncIterable<T>;

export abstract class IndexLookup<K extends Token> extends Layer {
  protected readonly table: VocabularyTable<K>;
  /** The vocabulary passed to the constructor (Keras writes it to the config; learned ones are assets). */
  readonly inputVocabulary: K[] | null;
  readonly inputIdfWeights: number[] | null;
  readonly maxTokens: number | null;
  readonly numOovIndices: number;
  readonly maskToken: K | null;
  readonly oovToken: K;
  readonly invert: boolean;
  readonly outputMode: OutputMode;
  readonly padToMaxTokens: boolean;

  constructor(args: IndexLookupArgs<K>, defaults: { maskToken: K | null; oovToken: K }) {
    super(args);
    const who = `${this.className} "${this.name}"`;
    this.maxTokens = args.maxTokens ?? null;
    if (this.maxTokens !== null && (!Number.isInteger(this.maxTokens) || this.maxTokens <= 1)) {
      throw new Error(`${who}: If set, \`max_tokens\` must be greater than 1. Received: max_tokens=${this.maxTokens}.`);
    }
    this.numOovIndices = args.numOovIndices ?? 1;
    if (!Number.isInteger(this.numOovIndices) || this.numOovIndices < 0) {
      throw new Error(
        `${who}: \`num_oov_indices\` must be greater than or equal to 0. Received: num_oov_indices=${this.numOovIndices}.`,
      );
    }
    this.maskToken = args.maskToken === undefined ? defaults.maskToken : args.maskToken;
    this.oovToken = args.oovToken ?? defaults.oovToken;
    this.invert = args.invert ?? false;
    this.outputMode = outputModeArg(args.outputMode, who);
    if (this.invert && this.outputMode !== 'int') {
      throw new Error(`${who}: \`output_mode\` must be 'int' when \`invert\` is true. Received: output_mode=${this.outputMode}.`);
    }
    if (args.sparse) throw new Error(`${who}: \`sparse=true\` is not supported: capa has no sparse tensors.`);
    this.padToMaxTokens = args.padToMaxTokens ?? false;
    if (this.padToMaxTokens && this.maxTokens === null && this.outputMode !== 'int') {
      throw new Error(`${who}: if pad_to_max_tokens is true, max_tokens must be set.`);
    }
    this.table = new VocabularyTable<K>({
      maxTokens: this.maxTokens,
      numOovIndices: this.numOovIndices,
      maskToken: this.maskToken,
      oovToken: this.oovToken,
      outputMode: this.outputMode,
      invert: this.invert,
      padToMaxTokens: this.padToMaxTokens,
      who,
    });
    this.inputVocabulary = args.vocabulary ? args.vocabulary.slice() : null;
    this.inputIdfWeights = args.idfWeights ? args.idfWeights.slice() : null;
    if (this.inputVocabulary) this.setVocabulary(this.inputVocabulary, this.inputIdfWeights);
    else if (this.inputIdfWeights) throw new Error(`${who}: \`idf_weights\` was given without a \`vocabulary\`.`);
  }

  protected get who(): string {
    return `${this.className} "${this.name}"`;
  }

  /** Reads this layer's values (strings or numbers) from an input, with errors naming it. */
  protected abstract flatten(input: unknown): FlatValues<K>;

  getVocabulary(includeSpecialTokens = true): K[] {
    return this.table.getVocabulary(includeSpecialTokens);
  }

  vocabularySize(): number {
    return this.table.size();
  }

  setVocabulary(vocabulary: readonly K[], idfWeights?: readonly number[] | null): void {
    this.table.setVocabulary(vocabulary, idfWeights ?? null);
  }

  /** Learns the vocabulary from arrays (or a Tensor), or from batches of them (a dataset). */
  adapt(data: LookupInput | Iterable<unknown>): void;
  adapt(data: AsyncIterable<unknown>): Promise<void>;
  adapt(data: unknown): void | Promise<void> {
    this.beginAdapt();
    if (data instanceof Tensor || (Array.isArray(data) && !isBatchList(data))) {
      this.adaptBatch(data, true);
      return this.finishAdapt();
    }
    if (data && typeof (data as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
      return (async () => {
        for await (const batch of data as AsyncIterable<unknown>) this.adaptBatch(firstOfTuple(batch), false);
        this.finishAdapt();
      })();
    }
    if (data && typeof (data as Iterable<unknown>)[Symbol.iterator] === 'function') {
      for (const batch of data as Iterable<unknown>) this.adaptBatch(firstOfTuple(batch), false);
      return this.finishAdapt();
    }
    throw new Error(`${this.who}: adapt() takes an array, a Tensor or an iterable of batches, received ${typeof data}.`);
  }

  /** Starts an adapt pass (composite layers feed documents with `adaptDocument`). */
  beginAdapt(): void {
    if (this.inputVocabulary) {
      throw new Error(
        `${this.who}: cannot adapt the layer after setting a static vocabulary via the \`vocabulary\` argument or \`setVocabulary()\`.`,
      );
    }
    this.table.resetCounts();
  }

  /** Counts one document's values. */
  adaptDocument(values: readonly K[]): void {
    this.table.countDocument(values);
  }

  /** Ends an adapt pass: the vocabulary becomes the most frequent values. */
  finishAdapt(): void {
    this.table.finalize();
  }

  /** One batch: each row is a document (a plain list is as many one-value documents, as in Keras). */
  protected adaptBatch(batch: unknown, topLevel: boolean): void {
    const { values, shape } = this.flatten(batch);
    // Keras: a plain list given to adapt() is as many documents; a rank-1 batch of a dataset is one
    const width = shape.length === 2 ? (shape[1] as number) : topLevel ? 1 : values.length;
    for (let i = 0; i < values.length; i += width) this.table.countDocument(values.slice(i, i + width));
  }

  /** Looks values up and encodes them per `outputMode`. */
  protected encode(flat: FlatValues<K>): Tensor {
    this.requireVocabulary();
    const ids = this.table.lookup(flat.values);
    return this.encodeIds(ids, flat.shape);
  }

  get hasVocabulary(): boolean {
    return this.table.hasVocabulary;
  }

  /** Width of the multi_hot / count / tf_idf outputs. */
  depth(): number {
    return this.table.depth();
  }

  /** Values -> vocabulary indices (-1 for dropped mask tokens outside 'int' mode). */
  lookupIds(values: readonly K[]): Int32Array {
    this.requireVocabulary();
    return this.table.lookup(values);
  }

  /** Indices of shape `shape` -> this layer's output (negative indices are skipped by the encodings). */
  encodeIds(ids: Int32Array, shape: number[]): Tensor {
    if (this.outputMode === 'int') return new Tensor(ids, shape);
    const mode = this.outputMode === 'tf_idf' ? 'count' : this.outputMode;
    const out = encodeCategorical(ids, shape, mode, this.table.depth(), this.who);
    if (this.outputMode === 'tf_idf') {
      const idf = this.table.idfWeights;
      if (!idf)
        throw new Error(
          `${this.who}: when \`output_mode\` is 'tf_idf', idf weights must be set (adapt the layer or pass \`idf_weights\`).`,
        );
      const data = out.dataSync() as Float32Array;
      const depth = this.table.depth();
      for (let i = 0; i < data.length; i++) data[i] = (data[i] as number) * (idf[i % depth] ?? 0);
    }
    return out;
  }

  protected requireVocabulary(): void {
    if (!this.table.hasVocabulary) {
      throw new Error(
        `${this.who}: the layer has no vocabulary: pass \`vocabulary\` to the constructor, call \`setVocabulary()\`, or \`adapt()\` it on data before calling it.`,
      );
    }
  }

  override apply(inputs: SymbolicTensor | SymbolicTensor[], args?: CallArgs): SymbolicTensor;
  override apply(inputs: Tensor | Tensor[] | LookupInput, args?: CallArgs): Tensor;
  override apply(
    inputs: Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[] | LookupInput,
    args: CallArgs = {},
  ): Tensor | SymbolicTensor {
    if (Array.isArray(inputs) && !(inputs[0] instanceof Tensor) && !(inputs[0] instanceof SymbolicTensor)) {
      return this.callValues(inputs);
    }
    return super.apply(inputs as Tensor, args);
  }

  /** Computes on JavaScript arrays (strings or numbers). */
  callValues(inputs: unknown): Tensor {
    if (this.invert) {
      throw new Error(`${this.who}: an inverted lookup maps indices back to values; call \`invertValues(indices)\`.`);
    }
    return this.encode(this.flatten(inputs));
  }

  override call(input: Tensor): Tensor {
    if (this.invert)
      throw new Error(`${this.who}: an inverted lookup returns values, not a Tensor; call \`invertValues(indices)\`.`);
    return this.encode(this.flatten(input));
  }

  /** `invert=true`: indices (Tensor or arrays) back to vocabulary values, as nested arrays. */
  invertValues(indices: Tensor | readonly number[] | readonly (readonly number[])[]): K[] | K[][] {
    if (!this.invert) throw new Error(`${this.who}: invertValues() needs \`invert: true\`.`);
    this.requireVocabulary();
    const flat =
      indices instanceof Tensor ? { values: Array.from(indices.dataSync()), shape: indices.shape } : flatNumbers(indices);
    const values = this.table.invertLookup(flat.values);
    if (flat.shape.length < 2) return values;
    const width = flat.shape[flat.shape.length - 1] as number;
    return Array.from({ length: values.length / Math.max(width, 1) }, (_, r) => values.slice(r * width, (r + 1) * width));
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    if (this.outputMode === 'int') return inputShape.slice();
    const depth = this.padToMaxTokens ? this.maxTokens : this.table.hasVocabulary ? this.table.depth() : null;
    if (this.outputMode === 'one_hot') {
      const keep =
        inputShape.length > 1 && inputShape[inputShape.length - 1] === 1 ? inputShape.slice(0, -1) : inputShape.slice();
      return [...keep, depth];
    }
    return [...inputShape.slice(0, -1), depth];
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      invert: this.invert,
      max_tokens: this.maxTokens,
      num_oov_indices: this.numOovIndices,
      oov_token: this.oovToken,
      mask_token: this.maskToken,
      output_mode: this.outputMode,
      sparse: false,
      pad_to_max_tokens: this.padToMaxTokens,
      vocabulary: this.inputVocabulary as ConfigValue,
      idf_weights: this.inputIdfWeights,
      vocabulary_size: this.table.hasVocabulary ? this.table.size() : null,
    };
  }

  /**
   * The learned vocabulary as Keras's `.keras` asset `vocabulary.txt` (a given vocabulary is in the
   * config, as in Keras). 'tf_idf' weights go beside it in `idf_weights.json` (Keras keeps them in
   * the weights file under a name capa's weight store does not write).
   */
  saveAssets(): Map<string, Uint8Array> | null {
    const files = new Map<string, Uint8Array>();
    const encoder = new TextEncoder();
    if (!this.inputVocabulary && this.table.hasVocabulary) {
      files.set('vocabulary.txt', encoder.encode(this.getVocabulary(true).map(String).join('\n')));
    }
    if (this.table.idfWeights && !this.inputIdfWeights) {
      files.set('idf_weights.json', encoder.encode(JSON.stringify(Array.from(this.table.idfWeights))));
    }
    return files.size > 0 ? files : null;
  }

  loadAssets(files: ReadonlyMap<string, Uint8Array>): void {
    const decoder = new TextDecoder();
    const idfBytes = files.get('idf_weights.json');
    const idf = idfBytes ? (JSON.parse(decoder.decode(idfBytes)) as number[]) : null;
    const bytes = files.get('vocabulary.txt');
    if (this.inputVocabulary || !bytes) return;
    const lines = decoder.decode(bytes).split(/\r?\n/);
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    this.table.setVocabulary(
      lines.map((l) => this.parseToken(l)),
      idf ? idf.slice(0, lines.length) : null,
    );
    if (idf) this.table.idfWeights = Float32Array.from(idf);
  }

  /** A vocabulary file's line as a token of this layer. */
  protected abstract parseToken(line: string): K;
}

/** Base LayerArgs-independent lookup fields read from a Keras config. */
export function lookupArgsFromConfig<K extends Token>(
  config: ConfigDict,
  owner: string,
  token: (v: ConfigValue) => K | null,
): IndexLookupArgs<K> {
  const vocabulary = Array.isArray(config.vocabulary) ? config.vocabulary.map((v) => token(v) as K) : null;
  const idf = Array.isArray(config.idf_weights) ? (config.idf_weights as number[]) : null;
  const maxTokens =
    config.max_tokens === null || config.max_tokens === undefined ? null : configNumber(config, 'max_tokens', owner);
  return {
    maxTokens,
    numOovIndices: configNumber(config, 'num_oov_indices', owner, 1),
    maskToken: config.mask_token === undefined ? undefined : token(config.mask_token),
    oovToken: config.oov_token === undefined || config.oov_token === null ? undefined : (token(config.oov_token) as K),
    vocabulary,
    idfWeights: idf,
    invert: configBoolean(config, 'invert', owner, false),
    outputMode: typeof config.output_mode === 'string' ? (config.output_mode as OutputMode) : undefined,
    padToMaxTokens: configBoolean(config, 'pad_to_max_tokens', owner, false),
    sparse: configBoolean(config, 'sparse', owner, false),
  };
}

function isBatchList(data: unknown[]): boolean {
  // a list of Tensors (batches) rather than a list of values
  return data.length > 0 && data[0] instanceof Tensor;
}

function firstOfTuple(batch: unknown): unknown {
  // dataset batches may be [x, y] tuples: adapt learns from x
  if (
    Array.isArray(batch) &&
    batch.length >= 1 &&
    batch.length <= 3 &&
    (batch[0] instanceof Tensor || (Array.isArray(batch[0]) && batch[1] instanceof Tensor))
  ) {
    return batch[0];
  }
  return batch;
}

function flatNumbers(input: readonly number[] | readonly (readonly number[])[]): FlatValues<number> {
  if (input.length > 0 && Array.isArray(input[0])) {
    const rows = input as readonly (readonly number[])[];
    return { values: rows.flat(), shape: [rows.length, rows[0]?.length ?? 0] };
  }
  return { values: (input as readonly number[]).slice(), shape: [input.length] };
}

export { isStringArray };
