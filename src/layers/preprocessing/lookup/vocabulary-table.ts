/**
 * The vocabulary behind StringLookup, IntegerLookup and TextVectorization (Keras's IndexLookup):
 * index layout `[mask] [oov x numOovIndices] tokens...` (the mask slot only in 'int' mode),
 * `adapt` counting (tokens sorted by count, ties by the token itself, both descending, as Keras's
 * `np.lexsort((tokens, counts))[::-1]`), inverse document frequencies for 'tf_idf'
 * (`log(1 + documents / (1 + documents containing the token))`), and lookups both ways.
 */
import { hashBucketFast } from './farmhash.js';

export type OutputMode = 'int' | 'one_hot' | 'multi_hot' | 'count' | 'tf_idf';
export type Token = string | number;

export interface VocabularyOptions<K extends Token> {
  maxTokens: number | null;
  numOovIndices: number;
  maskToken: K | null;
  oovToken: K;
  outputMode: OutputMode;
  invert: boolean;
  padToMaxTokens: boolean;
  /** For error messages: `StringLookup "string_lookup"`. */
  who: string;
}

/** Descending order of strings by code point (UTF-8 byte order, numpy's order for the bytes Keras sorts). */
function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let ca = a.charCodeAt(i);
    let cb = b.charCodeAt(i);
    if (ca === cb) continue;
    // UTF-16 puts U+E000..U+FFFF above surrogate pairs; code point order puts them below
    if (ca >= 0xd800 && cb >= 0xd800) {
      ca = ca >= 0xe000 ? ca - 0x800 : ca + 0x2000;
      cb = cb >= 0xe000 ? cb - 0x800 : cb + 0x2000;
    }
    return ca - cb;
  }
  return a.length - b.length;
}

/**
 * The `keep` most frequent tokens, by count then by token, both descending. Tokens are grouped by
 * count first and only the groups needed are sorted (most tokens of a large corpus occur once and
 * fall outside `maxTokens`); strings sort natively unless a group holds characters where UTF-16
 * order and code point order differ.
 */
function mostFrequent<K extends Token>(counts: Map<K, number>, keep: number): K[] {
  const groups = new Map<number, K[]>();
  for (const [token, n] of counts) {
    const g = groups.get(n);
    if (g) g.push(token);
    else groups.set(n, [token]);
  }
  const order = [...groups.keys()].sort((a, b) => b - a);
  const out: K[] = [];
  for (const n of order) {
    if (out.length >= keep) break;
    const group = groups.get(n) as K[];
    if (typeof group[0] === 'number') (group as number[]).sort((a, b) => b - a);
    else if ((group as string[]).some((t) => /[\ud800-\uffff]/.test(t)))
      (group as string[]).sort((a, b) => compareCodePoints(b, a));
    else (group as string[]).sort().reverse();
    for (const t of group) {
      if (out.length >= keep) break;
      out.push(t);
    }
  }
  return out;
}

export class VocabularyTable<K extends Token> {
  readonly options: VocabularyOptions<K>;
  /** The learned or given tokens, without the mask and OOV slots; null before adapt/setVocabulary. */
  private tokens: K[] | null = null;
  private index = new Map<K, number>();
  /** Full-length idf weights (specials included) for 'tf_idf'. */
  idfWeights: Float32Array | null = null;
  /** Adapt state. */
  private counts = new Map<K, number>();
  private documentCounts = new Map<K, number>();
  private documents = 0;

  constructor(options: VocabularyOptions<K>) {
    this.options = options;
  }

  get oovStart(): number {
    return this.options.maskToken !== null && this.options.outputMode === 'int' ? 1 : 0;
  }

  get tokenStart(): number {
    return this.oovStart + this.options.numOovIndices;
  }

  get hasVocabulary(): boolean {
    return this.tokens !== null;
  }

  /** Vocabulary size, mask and OOV slots included (Keras's `vocabulary_size()`). */
  size(): number {
    return this.tokenStart + (this.tokens?.length ?? 0);
  }

  /** Width of multi_hot/count/tf_idf outputs. */
  depth(): number {
    const { maxTokens, padToMaxTokens } = this.options;
    return padToMaxTokens && maxTokens !== null ? maxTokens : this.size();
  }

  getVocabulary(includeSpecialTokens = true): K[] {
    const tokens = this.tokens ?? [];
    if (!includeSpecialTokens) return tokens.slice();
    const { maskToken, oovToken, numOovIndices } = this.options;
    const special: K[] = [];
    if (this.oovStart === 1) special.push(maskToken as K);
    for (let i = 0; i < numOovIndices; i++) special.push(oovToken);
    return [...special, ...tokens];
  }

  /** Keras's `set_vocabulary`: specials at the front are recognized and dropped; repeats refused. */
  setVocabulary(vocabulary: readonly K[], idfWeights?: readonly number[] | Float32Array | null): void {
    const { who, outputMode, maskToken, oovToken, maxTokens, invert } = this.options;
    if (outputMode === 'tf_idf' && !idfWeights)
      throw new Error(`${who}: \`idf_weights\` must be set if output_mode is 'tf_idf'.`);
    if (outputMode !== 'tf_idf' && idfWeights)
      throw new Error(
        `${who}: \`idf_weights\` should only be set if output_mode is 'tf_idf'. Received: output_mode=${outputMode}.`,
      );
    if (vocabulary.length === 0) throw new Error(`${who}: cannot set an empty vocabulary.`);
    const special = this.getVocabulary(true).slice(0, this.tokenStart);
    const foundSpecial = special.length > 0 && special.every((t, i) => vocabulary[i] === t);
    const tokens = foundSpecial ? vocabulary.slice(this.tokenStart) : vocabulary.slice();
    const seen = new Set<K>();
    const repeated = new Set<K>();
    for (const t of tokens) (seen.has(t) ? repeated : seen).add(t);
    if (repeated.size > 0) {
      throw new Error(
        `${who}: the passed vocabulary has at least one repeated term. Please uniquify your dataset. The repeated terms are: ${JSON.stringify([...repeated])}.`,
      );
    }
    const reserved = (token: K | null, name: string): void => {
      if (token !== null && seen.has(token)) {
        throw new Error(
          `${who}: found reserved ${name} token ${JSON.stringify(token)} at an unexpected location in \`vocabulary\`. Either remove all mask and OOV tokens, or include them only at the start of the vocabulary in precisely this order: ${JSON.stringify(special)}.`,
        );
      }
    };
    reserved(maskToken, 'mask');
    if (invert) reserved(oovToken, 'OOV');
    if (maxTokens !== null && this.tokenStart + tokens.length > maxTokens) {
      throw new Error(
        `${who}: attempted to set a vocabulary larger than the maximum vocab size. Received vocabulary size is ${this.tokenStart + tokens.length}; \`max_tokens\` is ${maxTokens}.`,
      );
    }
    if (outputMode === 'tf_idf' && idfWeights) {
      if (idfWeights.length !== vocabulary.length) {
        throw new Error(
          `${who}: \`idf_weights\` must be the same length as vocabulary. len(idf_weights) is ${idfWeights.length}; len(vocabulary) is ${vocabulary.length}.`,
        );
      }
      const given = Array.from(idfWeights);
      const mean = given.reduce((s, v) => s + v, 0) / given.length;
      const front = foundSpecial ? [] : new Array<number>(this.tokenStart).fill(mean);
      this.idfWeights = this.padIdf([...front, ...given]);
    }
    this.setTokens(tokens);
  }

  private setTokens(tokens: K[]): void {
    this.tokens = tokens;
    this.index = new Map(tokens.map((t, i) => [t, i + this.tokenStart]));
  }

  private padIdf(weights: number[]): Float32Array {
    const depth = this.depth();
    const out = new Float32Array(Math.max(depth, weights.length));
    out.set(weights);
    return out;
  }

  /** Adds one document's tokens to the adapt counts. */
  countDocument(tokens: readonly K[]): void {
    const counts = this.counts;
    for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
    if (this.options.outputMode === 'tf_idf') {
      for (const t of new Set(tokens)) this.documentCounts.set(t, (this.documentCounts.get(t) ?? 0) + 1);
      this.documents += 1;
    }
  }

  /** Ends adapt: the vocabulary becomes the most frequent tokens (Keras's `finalize_state`). */
  finalize(): void {
    const { maskToken, oovToken, maxTokens, outputMode } = this.options;
    const counts = this.counts;
    if (maskToken !== null) counts.delete(maskToken);
    counts.delete(oovToken);
    const keep = maxTokens !== null ? Math.max(0, maxTokens - this.tokenStart) : counts.size;
    const tokens = mostFrequent(counts, keep);
    this.setTokens(tokens);
    if (outputMode === 'tf_idf') {
      const idf = tokens.map((t) => Math.log(1 + this.documents / (1 + (this.documentCounts.get(t) ?? 0))));
      const mean = idf.length > 0 ? idf.reduce((s, v) => s + v, 0) / idf.length : 0;
      this.idfWeights = this.padIdf([...new Array<number>(this.tokenStart).fill(mean), ...idf]);
    }
    this.resetCounts();
  }

  resetCounts(): void {
    this.counts = new Map();
    this.documentCounts = new Map();
    this.documents = 0;
  }

  /** Token -> index: mask -> 0 in 'int' mode (-1, dropped, otherwise), OOV -> its bucket. */
  lookup(values: readonly K[]): Int32Array {
    const { maskToken, numOovIndices, who } = this.options;
    const out = new Int32Array(values.length);
    const maskValue = this.oovStart === 1 ? 0 : -1;
    const oov: K[] = [];
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as K;
      if (maskToken !== null && v === maskToken) {
        out[i] = maskValue;
        continue;
      }
      const hit = this.index.get(v);
      if (hit !== undefined) out[i] = hit;
      else if (numOovIndices === 0) oov.push(v);
      else out[i] = this.oovStart + (numOovIndices === 1 ? 0 : this.oovBucket(v, numOovIndices));
    }
    if (oov.length > 0) {
      throw new Error(
        `${who}: when \`num_oov_indices=0\` all inputs should be in vocabulary, found OOV values ${JSON.stringify(oov.slice(0, 10))}; consider setting \`num_oov_indices=1\`.`,
      );
    }
    return out;
  }

  /** Keras: FarmHash buckets for strings, floor-mod for integers. */
  private oovBucket(v: K, buckets: number): number {
    if (typeof v === 'number') return ((v % buckets) + buckets) % buckets;
    return hashBucketFast(v, buckets);
  }

  /** Index -> token (invert=true); indices outside the vocabulary give the OOV token. */
  invertLookup(indices: ArrayLike<number>): K[] {
    const vocab = this.getVocabulary(true);
    const { maskToken, oovToken } = this.options;
    const out: K[] = new Array(indices.length);
    for (let i = 0; i < indices.length; i++) {
      const idx = indices[i] as number;
      if (maskToken !== null && idx === 0 && this.oovStart === 1) out[i] = maskToken;
      else if (idx >= this.tokenStart && idx < vocab.length) out[i] = vocab[idx] as K;
      else out[i] = oovToken;
    }
    return out;
  }
}
