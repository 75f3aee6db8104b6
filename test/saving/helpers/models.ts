/** Models for the saving tests: together they use every built-in layer type. */
import {
  layers,
  Model,
  ops,
  registerKerasSerializable,
  Sequential,
  setSeed,
  type Tensor,
  Tensor as TensorClass,
} from '../../../src/index.js';

const { Input } = layers;

/** Deterministic non-trivial values for every weight (variances positive), so reloads are meaningful. */
export function randomizeWeights(model: Model, seed = 1): void {
  let state = seed >>> 0 || 1;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32 - 0.5;
  };
  for (const v of model.weights) {
    const values = new Float32Array(v.size);
    const positive = /variance/.test(v.name);
    for (let i = 0; i < values.length; i++) values[i] = positive ? 0.5 + Math.abs(next()) : next();
    v.assign(new TensorClass(values, v.shape));
  }
}

export function inputBatch(shape: readonly number[], seed = 3): Tensor {
  let state = seed;
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    state = (Math.imul(state, 22695477) + 1) >>> 0;
    values[i] = (state / 2 ** 32) * 2 - 1;
  }
  return new TensorClass(values, shape);
}

/** A Sequential image classifier: convolutions, normalization, pooling, padding, dense, dropout. */
export function sequentialCnn(): Sequential {
  setSeed(11);
  const model = new Sequential([
    new layers.Conv2D(4, 3, { inputShape: [12, 12, 3], activation: 'relu', padding: 'same' }),
    new layers.BatchNormalization(),
    new layers.MaxPooling2D(2),
    new layers.DepthwiseConv2D(3, { depthMultiplier: 2, padding: 'same' }),
    new layers.SeparableConv2D(6, 3, { activation: 'relu' }),
    new layers.ZeroPadding2D(1),
    new layers.AveragePooling2D(2),
    new layers.SpatialDropout2D(0.2),
    new layers.GlobalAveragePooling2D(),
    new layers.Dense(8, { activation: 'tanh' }),
    new layers.Dropout(0.3),
    new layers.Dense(5, { activation: 'softmax' }),
  ]);
  randomizeWeights(model, 5);
  return model;
}

/** A functional graph with two inputs, branches, every merge and activation layer, 1D layers, reshapes and layer normalization. */
export function functionalGraph(): Model {
  setSeed(12);
  const image = Input({ shape: [8, 8, 2], name: 'image' });
  const extra = Input({ shape: [6], name: 'extra' });
  const c = new layers.Conv2D(4, 3, { padding: 'same', name: 'conv' }).apply(image);
  const a = new layers.ReLU({ name: 'relu' }).apply(c);
  const b = new layers.LeakyReLU({ name: 'leaky' }).apply(c);
  const e = new layers.ELU({ name: 'elu' }).apply(c);
  const added = new layers.Add({ name: 'add' }).apply([a, b]);
  const subtracted = new layers.Subtract({ name: 'sub' }).apply([added, e]);
  const multiplied = new layers.Multiply({ name: 'mul' }).apply([subtracted, a]);
  const maxed = new layers.Maximum({ name: 'max' }).apply([multiplied, b]);
  const mined = new layers.Minimum({ name: 'min' }).apply([maxed, e]);
  const averaged = new layers.Average({ name: 'avg' }).apply([mined, a]);
  const pooled = new layers.GlobalMaxPooling2D({ name: 'gmax' }).apply(averaged);
  const seq = new layers.Reshape([64, 4], { name: 'to_seq' }).apply(averaged);
  const conv1d = new layers.Conv1D(3, 3, { name: 'conv1d', activation: 'relu' }).apply(
    new layers.ZeroPadding1D(1, { name: 'pad1d' }).apply(seq),
  );
  const p1 = new layers.MaxPooling1D(2, { name: 'pool1d' }).apply(conv1d);
  const p2 = new layers.AveragePooling1D(2, { name: 'avgpool1d' }).apply(p1);
  const g1 = new layers.GlobalAveragePooling1D({ name: 'gavg1d' }).apply(p2);
  const g2 = new layers.GlobalMaxPooling1D({ name: 'gmax1d' }).apply(new layers.Permute([2, 1], { name: 'permute' }).apply(p2));
  const noisy = new layers.GaussianNoise(0.1, { name: 'noise' }).apply(extra);
  const flat = new layers.Flatten({ name: 'flat' }).apply(new layers.Reshape([3, 2], { name: 'pair' }).apply(noisy));
  const merged = new layers.Concatenate({ name: 'concat' }).apply([pooled, g1, g2, flat]);
  const normalized = new layers.LayerNormalization({ name: 'norm' }).apply(new layers.Dense(7, { name: 'hidden' }).apply(merged));
  const hidden = new layers.Activation('sigmoid', { name: 'act' }).apply(normalized);
  const out = new layers.Softmax({ name: 'probs' }).apply(new layers.Dense(3, { name: 'logits' }).apply(hidden));
  const model = new Model({ inputs: [image, extra], outputs: out, name: 'graph' });
  randomizeWeights(model, 9);
  return model;
}

/** Token ids (int32) and a bool mask in, by name; an Embedding; two outputs by name. */
export function tokenModel(): Model {
  setSeed(14);
  const ids = Input({ shape: [5], dtype: 'int32', name: 'ids' });
  const mask = Input({ shape: [5], dtype: 'bool', name: 'mask' });
  const embedded = new layers.Flatten({ name: 'flat_tokens' }).apply(new layers.Embedding(20, 3, { name: 'tokens' }).apply(ids));
  const features = new layers.Concatenate({ name: 'features' }).apply([embedded, mask]);
  const score = new layers.Dense(1, { name: 'score' }).apply(features);
  const topic = new layers.Dense(4, { name: 'topic', activation: 'softmax' }).apply(features);
  const model = new Model({ inputs: { ids, mask }, outputs: { score, topic }, name: 'tokens_model' });
  randomizeWeights(model, 14);
  return model;
}

/** Integer ids and a 0/1 mask for tokenModel. */
export function tokenBatch(): Tensor[] {
  const ids = new TensorClass(
    Int32Array.from({ length: 10 }, (_, i) => (i * 7) % 20),
    [2, 5],
  );
  const mask = new TensorClass(
    Int32Array.from({ length: 10 }, (_, i) => i % 2),
    [2, 5],
  );
  return [ids, mask];
}

/** A transfer-learning shape: a functional base (with BatchNormalization) nested in a Sequential. */
export function nestedModel(): Sequential {
  setSeed(13);
  const input = Input({ shape: [6, 6, 3], name: 'base_input' });
  const x = new layers.Conv2D(4, 3, { name: 'base_conv' }).apply(input);
  const y = new layers.BatchNormalization({ name: 'base_bn' }).apply(x);
  const base = new Model({
    inputs: input,
    outputs: new layers.GlobalAveragePooling2D({ name: 'base_pool' }).apply(y),
    name: 'base',
  });
  base.trainable = false;
  const model = new Sequential([base, new layers.Dense(2, { name: 'head' })], { name: 'transfer' });
  model.build([null, 6, 6, 3]);
  randomizeWeights(model, 21);
  return model;
}

/** An augmentation front end (every preprocessing layer; identity or deterministic at inference) on a small CNN. */
export function augmentedCnn(): Sequential {
  setSeed(14);
  const model = new Sequential(
    [
      new layers.Rescaling(1 / 255, { offset: -0.5, inputShape: [16, 16, 3] }),
      new layers.Resizing(12, 12),
      new layers.RandomFlip('horizontal', { seed: 1 }),
      new layers.RandomRotation(0.1, { seed: 2 }),
      new layers.RandomZoom(0.1, null, { seed: 3 }),
      new layers.RandomTranslation(0.1, 0.1, { seed: 4 }),
      new layers.RandomContrast(0.2, { seed: 5 }),
      new layers.RandomBrightness(0.1, { seed: 6 }),
      new layers.RandomCrop(10, 10, { seed: 7 }),
      new layers.Conv2D(2, 3),
      new layers.GlobalAveragePooling2D(),
      new layers.Dense(2),
    ],
    { name: 'augmented' },
  );
  randomizeWeights(model, 23);
  return model;
}

/** A registered function, so a Lambda layer that calls it saves and loads. */
export const halfPlusOne = registerKerasSerializable((x: Tensor | Tensor[]) => ops.add(ops.mul(x as Tensor, 0.5), 1), {
  package: 'SavingTests',
  name: 'halfPlusOne',
});

/** A Lambda layer (registered function, inferred output shape) between two Dense layers. */
export function lambdaModel(): Model {
  setSeed(15);
  const inputs = Input({ shape: [4] });
  const hidden = new layers.Lambda(halfPlusOne).apply(new layers.Dense(3).apply(inputs));
  const model = new Model({ inputs, outputs: new layers.Dense(2).apply(hidden), name: 'lambda_model' });
  randomizeWeights(model, 15);
  return model;
}

/**
 * Sequence layers: token ids with Embedding(maskZero) through Bidirectional(LSTM), GRU,
 * TimeDistributed and masked average pooling; float steps through Masking, SimpleRNN and an RNN
 * over stacked cells; the masks flow through all of it.
 */
export function recurrentModel(): Model {
  setSeed(15);
  const ids = Input({ shape: [6], dtype: 'int32', name: 'ids' });
  let a = new layers.Embedding(20, 4, { maskZero: true, name: 'words' }).apply(ids);
  a = new layers.Bidirectional(new layers.LSTM(3, { returnSequences: true }), { name: 'bi_lstm' }).apply(a);
  a = new layers.GRU(3, { returnSequences: true, name: 'gru' }).apply(a);
  a = new layers.TimeDistributed(new layers.Dense(2, { name: 'per_step' }), { name: 'each_step' }).apply(a);
  a = new layers.GlobalAveragePooling1D({ name: 'mean_steps' }).apply(a);
  const steps = Input({ shape: [5, 3], name: 'steps' });
  let b = new layers.Masking({ maskValue: 0, name: 'pad' }).apply(steps);
  b = new layers.SimpleRNN(3, { returnSequences: true, name: 'simple' }).apply(b);
  const cells = new layers.StackedRNNCells([
    new layers.LSTMCell(3, { name: 'cell_a' }),
    new layers.GRUCell(2, { resetAfter: false, name: 'cell_b' }),
    new layers.SimpleRNNCell(2, { name: 'cell_c' }),
  ]);
  b = new layers.RNN(cells, { name: 'stacked', goBackwards: true }).apply(b);
  const out = new layers.Dense(1, { name: 'out' }).apply(new layers.Concatenate({ name: 'both' }).apply([a, b]));
  const model = new Model({ inputs: [ids, steps], outputs: out, name: 'sequence_model' });
  randomizeWeights(model, 15);
  return model;
}

/**
 * The numeric preprocessing layers in a graph: IntegerLookup (given vocabulary, multi_hot) and
 * Hashing (one_hot) on integer ids; Normalization (adapted: its mean/variance/count weights),
 * Discretization and CategoryEncoding on features. (The string layers, which capa runs outside
 * models, have their own .keras test: test/layers/preprocessing/vocabulary-saving.test.ts.)
 */
export function preprocessingModel(): Model {
  setSeed(15);
  const ids = Input({ shape: [3], dtype: 'int32', name: 'ids' });
  const feats = Input({ shape: [4], name: 'feats' });
  const lookup = new layers.IntegerLookup({ vocabulary: [3, 7, 11], outputMode: 'multi_hot', name: 'lookup' }).apply(ids);
  const hashed = new layers.Hashing({ numBins: 4, outputMode: 'multi_hot', name: 'hashed' }).apply(ids);
  const norm = new layers.Normalization({ name: 'norm' });
  norm.adapt(inputBatch([6, 4], 9));
  const normalized = norm.apply(feats);
  const bins = new layers.Discretization({ binBoundaries: [-0.5, 0, 0.5], name: 'bins' }).apply(feats);
  const encoded = new layers.CategoryEncoding({ numTokens: 4, outputMode: 'count', name: 'encoded' }).apply(bins);
  const merged = new layers.Concatenate({ name: 'merged' }).apply([lookup, hashed, normalized, encoded]);
  const out = new layers.Dense(2, { name: 'out' }).apply(merged);
  const model = new Model({ inputs: [ids, feats], outputs: out, name: 'preprocessing_model' });
  randomizeWeights(model, 15);
  return model;
}

/** Padded ids (0 = padding) and float steps with all-zero (masked) rows, for recurrentModel. */
export function recurrentBatch(): Tensor[] {
  const ids = new TensorClass(Int32Array.from([3, 7, 1, 0, 0, 0, 5, 2, 9, 4, 8, 0]), [2, 6]);
  const steps = inputBatch([2, 5, 3], 9);
  const values = steps.dataSync().slice();
  values.fill(0, 12, 15); // sample 0, step 4
  values.fill(0, 15, 18); // sample 1, step 0
  return [ids, new TensorClass(values, [2, 5, 3])];
}

/** Ids (some outside the vocabulary) and features for preprocessingModel. */
export function preprocessingBatch(): Tensor[] {
  return [new TensorClass(Int32Array.from([3, 7, 5, 11, 2, 3]), [2, 3]), inputBatch([2, 4], 10)];
}
