/** Keras's Functional API surface: layer.input/output, positional Model, records of inputs and outputs, data as arrays. */
import { beforeEach, describe, expect, it } from 'vitest';
import * as capa from '../../src/index.js';

const { Input, Model, layers: L } = capa;

beforeEach(() => {
  capa.clearSession();
  capa.setSeed(1);
});

describe('layer.input / layer.output', () => {
  it('gives the first call’s tensors, lists for several, and Keras’s error before any call', () => {
    const a = Input({ shape: [4], name: 'a' });
    const b = Input({ shape: [4], name: 'b' });
    const dense = new L.Dense(3, { name: 'd' });
    const ya = dense.apply(a);
    const yb = dense.apply(b);
    expect(dense.input).toBe(a);
    expect(dense.output).toBe(ya);
    expect(dense.output).not.toBe(yb);
    const cat = new L.Concatenate();
    const c = cat.apply([ya, yb]);
    expect(cat.input).toEqual([ya, yb]);
    expect(cat.output).toBe(c);
    const inputLayer = a.sourceLayer;
    expect(inputLayer.input).toBe(a);
    expect(inputLayer.output).toBe(a);
    expect(() => new L.Dense(2, { name: 'lonely' }).output).toThrow(
      'The layer "lonely" has never been called and thus has no defined output.',
    );
    // shapes: Keras refuses a notion of input shape when the calls disagree
    const shared = new L.Dense(2, { name: 'shared' });
    shared.apply(Input({ shape: [3] }));
    expect(shared.outputShape).toEqual([null, 2]);
    expect(() => shared.apply(Input({ shape: [5] }))).toThrow();
    const act = new L.Activation('relu', { name: 'act' });
    act.apply(Input({ shape: [3] }));
    act.apply(Input({ shape: [4] }));
    expect(() => act.inputShape).toThrow(
      'The layer "act" has multiple inbound nodes, with different input shapes. Hence the notion of "input shape" is ill-defined for the layer.',
    );
    expect(() => act.outputShape).toThrow('with different output shapes');
    expect((act.output as capa.SymbolicTensor).shape).toEqual([null, 3]);
  });

  it('model.input / model.output are its inputs and outputs', () => {
    const a = Input({ shape: [4] });
    const b = Input({ shape: [2] });
    const y = new L.Dense(1).apply(new L.Concatenate().apply([a, b]));
    const model = new Model({ inputs: [a, b], outputs: y });
    expect(model.input).toEqual([a, b]);
    expect(model.output).toBe(y);
  });

  it('builds a feature-extraction model from every layer’s output', () => {
    const x = Input({ shape: [8, 8, 3] });
    let h = new L.Conv2D(4, 3, { activation: 'relu', name: 'c1' }).apply(x);
    h = new L.MaxPooling2D(2, { name: 'p1' }).apply(h);
    h = new L.Flatten({ name: 'f' }).apply(h);
    const base = new Model({ inputs: x, outputs: new L.Dense(5, { name: 'head' }).apply(h) });
    const extractor = new Model({ inputs: base.input, outputs: base.layers.map((l) => l.output) });
    const outs = extractor.applyMulti(capa.randomNormal([2, 8, 8, 3]));
    expect(outs.map((o) => o.shape)).toEqual([
      [2, 8, 8, 3],
      [2, 6, 6, 4],
      [2, 3, 3, 4],
      [2, 36],
      [2, 5],
    ]);
    expect(extractor.getLayer('c1')).toBe(base.getLayer(1));
  });
});

describe('new Model(...)', () => {
  it('accepts Keras’s positional form new Model(inputs, outputs, { name })', () => {
    const x = Input({ shape: [3] });
    const y = new L.Dense(2).apply(x);
    const model = new Model(x, y, { name: 'positional' });
    expect(model.name).toBe('positional');
    expect(model.outputShape).toEqual([null, 2]);
  });

  it('refuses a half call clearly', () => {
    const x = Input({ shape: [3] });
    expect(() => new (Model as unknown as new (a: unknown) => capa.Model)(x)).toThrow('pass both `inputs` and `outputs`');
  });

  it('takes records of inputs and outputs: names for data, losses and saving', async () => {
    const a = Input({ shape: [4], name: 'a_in' });
    const b = Input({ shape: [2], name: 'b_in' });
    const h = new L.Concatenate().apply([a, b]);
    const score = new L.Dense(1, { name: 'score_dense' }).apply(h);
    const klass = new L.Dense(3, { activation: 'softmax', name: 'class_dense' }).apply(h);
    const model = new Model({ inputs: { first: a, second: b }, outputs: { score, klass } });
    expect(model.inputNames).toEqual(['first', 'second']);
    expect(model.outputNames).toEqual(['score', 'klass']);
    model.compile({
      optimizer: 'adam',
      loss: { score: 'mse', klass: 'sparse_categorical_crossentropy' },
      lossWeights: { score: 1, klass: 0.5 },
      metrics: { klass: ['accuracy'] },
    });
    const x = { first: capa.randomNormal([16, 4]), second: capa.randomNormal([16, 2]) };
    const y = { score: capa.randomNormal([16, 1]), klass: capa.tensor(Array.from({ length: 16 }, (_, i) => i % 3)) };
    const history = await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
    expect(Object.keys(history.history)).toEqual(['loss', 'score_loss', 'klass_loss', 'klass_accuracy']);
    const logs = await model.evaluate(x, y, { verbose: 0 });
    expect(logs.loss).toBeCloseTo((logs.score_loss as number) + 0.5 * (logs.klass_loss as number), 4);
    const config = model.getConfig();
    expect(config.output_layers).toEqual({ score: ['score_dense', 0, 0], klass: ['class_dense', 0, 0] });
    const revived = Model.fromConfig(config);
    expect(revived.outputNames).toEqual(['score', 'klass']);
    expect(revived.inputNames).toEqual(['first', 'second']);
  });

  it('says which names a record of data misses or gets wrong', async () => {
    const a = Input({ shape: [2], name: 'a' });
    const model = new Model({ inputs: a, outputs: new L.Dense(1, { name: 'out' }).apply(a) });
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const x = capa.ones([4, 2]);
    await expect(model.fit({ b: x }, capa.ones([4, 1]), { verbose: 0 })).rejects.toThrow(
      "fit: x is a record with keys ['b'], but ['b'] is not a name of the model's inputs; expected keys: ['a'].",
    );
    await expect(model.fit(x, { priority: capa.ones([4, 1]) })).rejects.toThrow(
      "fit: unknown option 'priority'. Known options: epochs",
    );
    await expect(model.fit(x, { priority: capa.ones([4, 1]) })).rejects.toThrow("use the model's output names: out");
  });
});

describe('data iterators yielding records by name', () => {
  it('fit / evaluate / predict match a batch’s records to the model’s input and output names', async () => {
    const a = Input({ shape: [2], name: 'a' });
    const b = Input({ shape: [1], name: 'b' });
    const out = new L.Dense(1, { name: 'out' }).apply(new L.Concatenate().apply([a, b]));
    const model = new Model({ inputs: { a, b }, outputs: { out } });
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const batches = Array.from({ length: 3 }, () => [
      { a: capa.randomNormal([4, 2]), b: new Float32Array([1, 2, 3, 4]) },
      { out: capa.randomNormal([4, 1]) },
    ]);
    const iterator = {
      length: batches.length,
      async *[Symbol.asyncIterator]() {
        yield* batches as never[];
      },
    };
    const history = await model.fit(iterator, { epochs: 2, verbose: 0 });
    expect(history.history.loss).toHaveLength(2);
    expect(Number.isFinite((await model.evaluate(iterator, { verbose: 0 })).loss)).toBe(true);
    expect((await model.predict(iterator, { verbose: 0 })).shape).toEqual([12, 1]);
    const wrong = {
      async *[Symbol.asyncIterator]() {
        yield [{ c: capa.ones([1, 2]) }, { out: capa.ones([1, 1]) }] as never;
      },
    };
    await expect(model.fit(wrong, { verbose: 0 })).rejects.toThrow(
      "fit: the x of a batch the iterator yielded is a record with keys ['c'], but ['c'] is not a name of the model's inputs",
    );
  });
});

describe('data as plain arrays and typed arrays', () => {
  it('fit / evaluate / predict take nested arrays and typed arrays (shape from the model input)', async () => {
    const x = Input({ shape: [2] });
    const model = new Model(x, new L.Dense(1).apply(x));
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const xs = [
      [0, 1],
      [1, 0],
      [1, 1],
      [0, 0],
    ];
    const ys = [1, 2, 3, 0];
    await model.fit(xs, ys, { epochs: 1, batchSize: 2, verbose: 0 });
    const fromTyped = await model.predict(new Float32Array([0, 1, 1, 0, 1, 1, 0, 0]), { verbose: 0 });
    const fromNested = await model.predict(xs, { verbose: 0 });
    expect(fromTyped.shape).toEqual([4, 1]);
    expect(Array.from(fromTyped.dataSync())).toEqual(Array.from(fromNested.dataSync()));
    const logs = await model.evaluate(new Float64Array([0, 1, 1, 0, 1, 1, 0, 0]), new Int32Array(ys), { verbose: 0 });
    expect(Number.isFinite(logs.loss)).toBe(true);
    await expect(model.predict([[0, 1], [1]], { verbose: 0 })).rejects.toThrow(
      'predict: x cannot be read as an array: tensor: ragged',
    );
    await expect(model.predict(new Float32Array(5), { verbose: 0 })).rejects.toThrow(
      'predict: x is a flat typed array of 5 values, which does not split into samples of shape [2]',
    );
  });
});

describe('dtypes at the model boundary', () => {
  it('int32 and bool inputs flow through predict, fit and saving', async () => {
    const ids = Input({ shape: [3], dtype: 'int32', name: 'ids' });
    const mask = Input({ shape: [3], dtype: 'bool', name: 'mask' });
    expect(ids.dtype).toBe('int32');
    const h = new L.Concatenate().apply([ids, mask]);
    const model = new Model([ids, mask], new L.Dense(1, { name: 'out' }).apply(h));
    const out = model.applyMulti([capa.tensor([[1, 2, 3]], undefined, 'int32'), capa.tensor([[0, 5, 1]])]);
    expect(out[0]?.shape).toEqual([1, 1]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    await model.fit(
      [
        new Int32Array([1, 2, 3, 4, 5, 6]),
        [
          [true, false, true],
          [false, false, true],
        ],
      ],
      [[1], [0]],
      {
        epochs: 1,
        verbose: 0,
      },
    );
    await expect(model.predict([[[1.5, 2, 3]], [[1, 1, 1]]], { verbose: 0 })).rejects.toThrow(
      `input "ids" has dtype 'int32', but element 0 of its data is 1.5, not a whole number.`,
    );
    expect(model.getLayer('ids').getConfig().dtype).toBe('int32');
    const revived = Model.fromConfig(model.getConfig());
    expect(revived.inputs.map((t) => t.dtype)).toEqual(['int32', 'int32']);
    expect(revived.getLayer('mask').getConfig().dtype).toBe('bool');
  });

  it('a Sequential starting with an int32 Input feeds token ids to an Embedding', async () => {
    const model = new capa.Sequential([Input({ shape: [4], dtype: 'int32' }), new L.Embedding(10, 2)]);
    const out = await model.predict([[1, 2, 3, 9]], { verbose: 0 });
    expect(out.shape).toEqual([1, 4, 2]);
    await expect(model.predict([[0.5, 1, 2, 3]], { verbose: 0 })).rejects.toThrow(
      "has dtype 'int32', but element 0 of its data is 0.5",
    );
  });

  it('float16 / bfloat16 are known names with a clear refusal', () => {
    expect(() => new L.Dense(2, { dtype: 'float16' })).toThrow(
      "dtype 'float16' is a Keras dtype capa cannot compute in: its kernels compute in float32 only.",
    );
    expect(() => Input({ shape: [2], dtype: 'bfloat16' as 'int32' })).toThrow(
      "dtype 'bfloat16' is a Keras dtype capa cannot compute in",
    );
    expect(() => Input({ shape: [2], dtype: 'complex64' as 'int32' })).toThrow('unknown dtype "complex64"');
  });
});
