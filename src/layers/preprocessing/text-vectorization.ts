/**
 * Keras's TextVectorization: standardize -> split -> n-grams -> StringLookup (mask '' at 0, OOV
 * '[UNK]' at 1 in 'int' mode), outputs 'int' (padded with 0 to `outputSequenceLength`, or to the
 * longest text of the batch), 'multi_hot', 'count' or 'tf_idf'. Strings come in as `string[]` (or
 * `string[][]` of one column) through `apply`; capa has no string tensors, so the layer runs
 * before the model (Keras's recommended `dataset.map(vectorize_layer)` placement) rather than
 * on a string `Input`. `adapt` on ~6,000 e-mails takes well under a second.
 */
import { Tensor } from '../../tensor/tensor.js';
import { functionName } from '../core/lambda.js';
import { type ConfigDict, type ConfigValue, configBoolean, configNumber, isConfigDict } from '../engine/config.js';
import { baseArgsFromConfig, type CallArgs, Layer, type LayerArgs } from '../engine/layer.js';
import { type SymbolicShape, SymbolicTensor } from '../engine/symbolic.js';
import { registeredFunction, registeredNameOf } from '../registry.js';
import { outputModeArg } from './lookup/index-lookup.js';
import { flattenArray, isString, type StringInput } from './lookup/string-batch.js';
import type { OutputMode } from './lookup/vocabulary-table.js';
import { StringLookup } from './string-lookup.js';
import { ngramTokens, type SplitArg, type StandardizeArg, standardizeAndSplit } from './text/tokenize.js';

export interface TextVectorizationArgs extends LayerArgs {
  maxTokens?: number | null;
  standardize?: StandardizeArg;
  split?: SplitArg;
  /** n: all n-grams of 1..n tokens; a list: those widths. */
  ngrams?: number | readonly number[] | null;
  outputMode?: OutputMode | 'binary' | 'tf-idf';
  outputSequenceLength?: number | null;
  padToMaxTokens?: boolean;
  vocabulary?: readonly string[] | null;
  idfWeights?: readonly number[] | null;
  sparse?: boolean;
  ragged?: boolean;
  encoding?: 'utf-8';
}

const STANDARDIZE = ['lower_and_strip_punctuation', 'lower', 'strip_punctuation'];
const SPLIT = ['whitespace', 'character'];

export class TextVectorization extends Layer {
  static override readonly className: string = 'TextVectorization';
  readonly standardize: StandardizeArg;
  readonly split: SplitArg;
  readonly ngramsArg: number | readonly number[] | null;
  readonly outputMode: OutputMode;
  readonly outputSequenceLength: number | null;
  /** The vocabulary and encoding; private so it is not a tracked sub-layer (Keras saves its state as this layer's). */
  readonly #lookup: StringLookup;
  private readonly ngramWidths: number[] | null;

  constructor(args: TextVectorizationArgs = {}) {
    super(args);
    const who = `TextVectorization "${this.name}"`;
    const standardize = args.standardize === undefined ? 'lower_and_strip_punctuation' : args.standardize;
    if (standardize !== null && typeof standardize !== 'function' && !STANDARDIZE.includes(standardize)) {
      throw new Error(
        `${who}: Invalid value for argument \`standardize\`. Expected one of ${JSON.stringify(STANDARDIZE)}, null or a function. Received: ${JSON.stringify(standardize)}.`,
      );
    }
    const split = args.split === undefined ? 'whitespace' : args.split;
    if (split !== null && typeof split !== 'function' && !SPLIT.includes(split)) {
      throw new Error(
        `${who}: Invalid value for argument \`split\`. Expected one of ${JSON.stringify(SPLIT)}, null or a function. Received: ${JSON.stringify(split)}.`,
      );
    }
    this.standardize = standardize;
    this.split = split;
    const ngrams = args.ngrams ?? null;
    const positiveInt = (n: unknown): boolean => Number.isInteger(n) && (n as number) > 0;
    if (!(ngrams === null || positiveInt(ngrams) || (Array.isArray(ngrams) && ngrams.every(positiveInt)))) {
      throw new Error(
        `${who}: \`ngrams\` must be null, an integer, or a list of integers. Received: ngrams=${JSON.stringify(ngrams)}.`,
      );
    }
    this.ngramsArg = Array.isArray(ngrams) ? ngrams.slice() : ngrams;
    this.ngramWidths =
      ngrams === null ? null : typeof ngrams === 'number' ? Array.from({ length: ngrams }, (_, i) => i + 1) : ngrams.slice();
    this.outputMode = outputModeArg(args.outputMode, who);
    this.outputSequenceLength = args.outputSequenceLength ?? null;
    if (this.outputSequenceLength !== null) {
      if (this.outputMode !== 'int') {
        throw new Error(
          `${who}: \`output_sequence_length\` must not be set if \`output_mode\` is not 'int'. Received output_sequence_length=${this.outputSequenceLength}.`,
        );
      }
      if (!positiveInt(this.outputSequenceLength)) {
        throw new Error(
          `${who}: \`output_sequence_length\` must be null or a positive integer. Received: ${this.outputSequenceLength}.`,
        );
      }
    }
    if (args.ragged)
      throw new Error(`${who}: \`ragged=true\` is not supported: capa has no ragged tensors (its int output is padded with 0).`);
    this.#lookup = new StringLookup({
      name: `${this.name}_lookup`,
      maxTokens: args.maxTokens ?? null,
      vocabulary: args.vocabulary ?? null,
      idfWeights: args.idfWeights ?? null,
      padToMaxTokens: args.padToMaxTokens ?? false,
      maskToken: '',
      outputMode: this.outputMode,
      sparse: args.sparse ?? false,
      encoding: args.encoding,
    });
  }

  private get who(): string {
    return `TextVectorization "${this.name}"`;
  }

  get maxTokens(): number | null {
    return this.#lookup.maxTokens;
  }

  get padToMaxTokens(): boolean {
    return this.#lookup.padToMaxTokens;
  }

  /** The tokens of one text: standardized, split, n-grams. */
  tokenize(text: string): string[] {
    try {
      return ngramTokens(standardizeAndSplit(text, this.standardize, this.split), this.ngramWidths);
    } catch (e) {
      if (e instanceof Error && !e.message.includes(this.name)) e.message = `${this.who}: ${e.message}`;
      throw e;
    }
  }

  /** The texts of an input: `string[]` or a `string[][]` of one column (Keras's shape (batch, 1)). */
  private texts(input: unknown): string[] {
    if (!Array.isArray(input)) {
      throw new Error(
        `${this.who}: expects texts as an array of strings (string[] or string[][] of shape [batch, 1]); capa tensors hold numbers only.`,
      );
    }
    const { values, shape } = flattenArray(input as StringInput, this.who, isString);
    if (shape.length === 2 && shape[1] !== 1) {
      throw new Error(
        `${this.who}: when using TextVectorization to tokenize strings, the input rank must be 1 or the last shape dimension must be 1. Received: inputs.shape=[${shape.join(', ')}].`,
      );
    }
    return values;
  }

  getVocabulary(includeSpecialTokens = true): string[] {
    return this.#lookup.getVocabulary(includeSpecialTokens);
  }

  vocabularySize(): number {
    return this.#lookup.vocabularySize();
  }

  setVocabulary(vocabulary: readonly string[], idfWeights?: readonly number[] | null): void {
    this.#lookup.setVocabulary(vocabulary, idfWeights);
  }

  /** Learns the vocabulary from texts: an array, or batches of them (a dataset of [texts, labels] too). */
  adapt(data: StringInput | Iterable<unknown>): void;
  adapt(data: AsyncIterable<unknown>): Promise<void>;
  adapt(data: unknown): void | Promise<void> {
    const lookup = this.#lookup;
    lookup.beginAdapt();
    const addBatch = (batch: unknown): void => {
      for (const text of this.texts(textsOf(batch))) lookup.adaptDocument(this.tokenize(text));
    };
    if (
      Array.isArray(data) &&
      (data.length === 0 || typeof data[0] === 'string' || (Array.isArray(data[0]) && typeof data[0][0] === 'string'))
    ) {
      addBatch(data);
      return lookup.finishAdapt();
    }
    if (data && typeof (data as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
      return (async () => {
        for await (const batch of data as AsyncIterable<unknown>) addBatch(batch);
        lookup.finishAdapt();
      })();
    }
    if (data && typeof (data as Iterable<unknown>)[Symbol.iterator] === 'function') {
      for (const batch of data as Iterable<unknown>) addBatch(batch);
      return lookup.finishAdapt();
    }
    throw new Error(`${this.who}: adapt() takes an array of strings or an iterable of batches of them, received ${typeof data}.`);
  }

  override apply(inputs: SymbolicTensor | SymbolicTensor[], args?: CallArgs): SymbolicTensor;
  override apply(inputs: Tensor | Tensor[] | StringInput, args?: CallArgs): Tensor;
  override apply(
    inputs: Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[] | StringInput,
    args: CallArgs = {},
  ): Tensor | SymbolicTensor {
    if (Array.isArray(inputs) && !(inputs[0] instanceof Tensor) && !(inputs[0] instanceof SymbolicTensor)) {
      return this.vectorize(inputs as unknown as StringInput);
    }
    if (inputs instanceof SymbolicTensor || (Array.isArray(inputs) && inputs[0] instanceof SymbolicTensor)) {
      throw new Error(
        `${this.who}: capa has no string tensors, so TextVectorization cannot sit on a model Input. Apply it to the texts before the model (x = layer.apply(texts)) and feed the model its integer output.`,
      );
    }
    return super.apply(inputs as Tensor, args);
  }

  override call(): Tensor {
    throw new Error(`${this.who}: expects texts as an array of strings; capa tensors hold numbers only.`);
  }

  /** Texts -> the layer's output (Keras's `layer(texts)`). */
  vectorize(input: StringInput): Tensor {
    const docs = this.texts(input).map((t) => this.tokenize(t));
    if (!this.#lookup.hasVocabulary) {
      throw new Error(
        `${this.who}: the layer has no vocabulary: call \`adapt()\` on sample texts, pass \`vocabulary\` to the constructor, or call \`setVocabulary()\` before using it.`,
      );
    }
    const ids = docs.map((d) => this.#lookup.lookupIds(d));
    if (this.outputMode === 'int') {
      const length = this.outputSequenceLength ?? docs.reduce((m, d) => Math.max(m, d.length), 0);
      const out = new Int32Array(docs.length * length);
      for (const [r, row] of ids.entries()) out.set(row.length > length ? row.subarray(0, length) : row, r * length);
      return new Tensor(out, [docs.length, length]);
    }
    // each document one row, padded with -1 (skipped by the encodings)
    const width = docs.reduce((m, d) => Math.max(m, d.length), 0);
    const rows = new Int32Array(docs.length * width).fill(-1);
    for (const [r, row] of ids.entries()) rows.set(row, r * width);
    return this.#lookup.encodeIds(rows, [docs.length, width]);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    if (this.outputMode === 'int') return [inputShape[0] ?? null, this.outputSequenceLength];
    return [inputShape[0] ?? null, this.padToMaxTokens ? this.maxTokens : this.vocabularySize()];
  }

  override getConfig(): ConfigDict {
    const lookup = this.#lookup.getConfig();
    return {
      ...super.getConfig(),
      max_tokens: this.maxTokens,
      standardize: callableConfig(this.standardize, 'standardize', this.who),
      split: callableConfig(this.split, 'split', this.who),
      ngrams: this.ngramsArg === null ? null : typeof this.ngramsArg === 'number' ? this.ngramsArg : this.ngramsArg.slice(),
      output_mode: this.outputMode,
      output_sequence_length: this.outputSequenceLength,
      pad_to_max_tokens: this.padToMaxTokens,
      sparse: false,
      ragged: false,
      vocabulary: lookup.vocabulary ?? null,
      idf_weights: lookup.idf_weights ?? null,
      encoding: 'utf-8',
      vocabulary_size: lookup.vocabulary_size ?? null,
    };
  }

  static override fromConfig(config: ConfigDict): TextVectorization {
    const owner = 'TextVectorization.fromConfig';
    const strs = (v: ConfigValue | undefined): string[] | null => (Array.isArray(v) ? v.map(String) : null);
    const ngrams = config.ngrams;
    return new TextVectorization({
      ...baseArgsFromConfig(config, owner),
      maxTokens: config.max_tokens === null || config.max_tokens === undefined ? null : configNumber(config, 'max_tokens', owner),
      standardize: callableFromConfig(config.standardize, owner) as StandardizeArg,
      split: callableFromConfig(config.split, owner) as SplitArg,
      ngrams: typeof ngrams === 'number' || Array.isArray(ngrams) ? (ngrams as number | number[]) : null,
      outputMode: typeof config.output_mode === 'string' ? (config.output_mode as OutputMode) : undefined,
      outputSequenceLength:
        config.output_sequence_length === null || config.output_sequence_length === undefined
          ? null
          : configNumber(config, 'output_sequence_length', owner),
      padToMaxTokens: configBoolean(config, 'pad_to_max_tokens', owner, false),
      vocabulary: strs(config.vocabulary),
      idfWeights: Array.isArray(config.idf_weights) ? (config.idf_weights as number[]) : null,
      sparse: configBoolean(config, 'sparse', owner, false),
      ragged: configBoolean(config, 'ragged', owner, false),
    });
  }

  saveAssets(): Map<string, Uint8Array> | null {
    return this.#lookup.saveAssets();
  }

  loadAssets(files: ReadonlyMap<string, Uint8Array>): void {
    this.#lookup.loadAssets(files);
  }
}

/** A dataset batch may be [texts, labels]: adapt learns from the texts. */
function textsOf(batch: unknown): unknown {
  if (Array.isArray(batch) && batch.length >= 2 && batch.length <= 3 && Array.isArray(batch[0]) && batch[1] instanceof Tensor)
    return batch[0];
  return batch;
}

function callableConfig(value: string | null | ((...a: never[]) => unknown), what: string, who: string): ConfigValue {
  if (typeof value !== 'function') return value;
  const name = registeredNameOf(value);
  if (!name) {
    throw new Error(
      `${who}: its \`${what}\` function is not registered, so the layer cannot be saved: register it with registerKerasSerializable(fn, { package, name }) first.`,
    );
  }
  return { module: null, class_name: 'function', config: name, registered_name: name };
}

function callableFromConfig(value: ConfigValue | undefined, owner: string): string | null | ((...a: never[]) => unknown) {
  if (value === undefined) return undefined as unknown as string;
  if (value === null || typeof value === 'string') return value;
  const key = isConfigDict(value) ? functionName(value) : null;
  const fn = key ? registeredFunction(key) : null;
  if (!fn) {
    throw new Error(
      `${owner}: the config names a function ${JSON.stringify(key ?? value)} that is not registered; register it with registerKerasSerializable before loading.`,
    );
  }
  return fn;
}
