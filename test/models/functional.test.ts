import { beforeEach, describe, expect, it } from 'vitest';
import * as capa from '../../src/index.js';

const { Input, Model, Sequential, layers: L } = capa;

describe('functional models', () => {
  beforeEach(() => capa.clearSession());

  it('counts automatic names per class from 1 until clearSession()', () => {
    expect(new L.Dense(1).name).toBe('dense_1');
    expect(new L.Dense(1).name).toBe('dense_2');
    expect(new L.Conv2D(1, 1).name).toBe('conv2d_1');
    expect(new L.MaxPooling2D().name).toBe('max_pooling2d_1');
    expect(new L.BatchNormalization().name).toBe('batch_normalization_1');
    expect(new L.GlobalAveragePooling2D().name).toBe('global_average_pooling2d_1');
    expect(new L.ReLU().name).toBe('re_lu_1');
    expect(Input({ shape: [2] }).sourceLayer.name).toBe('input_1');
    expect(new Sequential().name).toBe('sequential_1');
    const x = Input({ shape: [2] });
    expect(new Model({ inputs: x, outputs: new L.Dense(1).apply(x) }).name).toBe('model_1');
    capa.clearSession();
    expect(new L.Dense(1).name).toBe('dense_1');
  });

  it('computes eagerly on tensors and builds graphs on symbolic tensors', () => {
    const a = Input({ shape: [3] });
    const b = Input({ shape: [2] });
    const h = new L.Concatenate().apply([new L.Dense(4, { activation: 'relu' }).apply(a), b]);
    const y1 = new L.Dense(1, { name: 'y1' }).apply(h);
    const y2 = new L.Dense(2, { name: 'y2', activation: 'softmax' }).apply(h);
    const model = new Model({ inputs: [a, b], outputs: [y1, y2] });
    expect(model.inputShapes).toEqual([
      [null, 3],
      [null, 2],
    ]);
    expect(() => model.outputShape).toThrow(/2 outputs; read outputShapes/);
    const [o1, o2] = model.applyMulti([capa.randomNormal([5, 3]), capa.randomNormal([5, 2])]);
    expect(o1?.shape).toEqual([5, 1]);
    expect(o2?.shape).toEqual([5, 2]);
    expect(() => model.apply([capa.randomNormal([5, 3]), capa.randomNormal([5, 2])])).toThrow(/use applyMulti/);
    // Called on new symbolic inputs, the model becomes a node of a bigger graph.
    const c = Input({ shape: [3] });
    const d = Input({ shape: [2] });
    const [s1] = model.applyMulti([c, d]);
    expect(s1?.shape).toEqual([null, 1]);
    expect(s1?.sourceLayer).toBe(model);
    expect(s1?.nodeIndex).toBe(1);
  });

  it('shares layers: one set of weights, two nodes', () => {
    const shared = new L.Dense(3, { name: 'shared' });
    const a = Input({ shape: [4] });
    const b = Input({ shape: [4] });
    const model = new Model({ inputs: [a, b], outputs: new L.Add().apply([shared.apply(a), shared.apply(b)]) });
    expect(shared.inboundNodes.length).toBe(2);
    expect(model.countParams()).toBe(15);
    expect(model.weights.length).toBe(2);
    const x = capa.randomNormal([2, 4]);
    const y = model.apply([x, x]);
    const single = shared.apply(x);
    expect(Array.from(y.dataSync())).toEqual(Array.from(capa.ops.mul(single, 2).dataSync()));
    const text = model.summary({ printFn: () => {} });
    expect(text).toMatch(/shared \(Dense\)\s+\(None, 3\)\s+15\s+input_1\[0\]\[0\]\s*\n\s+input_2\[0\]\[0\]/);
  });

  it('nests models as layers and freezes recursively', () => {
    const base = new Sequential([new L.Dense(8, { inputDim: 4 }), new L.BatchNormalization(), new L.Dense(4)], { name: 'base' });
    const x = Input({ shape: [4] });
    const model = new Model({ inputs: x, outputs: new L.Dense(2, { name: 'head' }).apply(base.apply(x)) });
    expect(model.trainableWeights.length).toBe(8);
    expect(model.nonTrainableWeights.length).toBe(2);
    base.trainable = false;
    expect(base.layers.every((l) => !l.trainable)).toBe(true);
    expect(model.trainableWeights.map((v) => v.name)).toEqual(['head/kernel', 'head/bias']);
    expect(model.nonTrainableWeights.length).toBe(8);
    expect(base.weights.every((v) => !v.requiresGrad)).toBe(true);
    base.trainable = true;
    // The moving statistics stay non-trainable when the layer is unfrozen.
    expect(model.trainableWeights.length).toBe(8);
    expect((base.layers[1] as capa.layers.BatchNormalization).movingMean?.trainable).toBe(false);
    model.trainable = false;
    expect(model.trainableWeights).toEqual([]);
  });

  it('gets and sets weights in layer order, checking counts and shapes', () => {
    const model = new Sequential([new L.Dense(3, { inputDim: 2 }), new L.Dense(1)]);
    const ws = model.getWeights();
    expect(ws.map((w) => w.shape)).toEqual([[2, 3], [3], [3, 1], [1]]);
    model.setWeights(ws.map((w) => capa.onesLike(w)));
    expect(model.apply(capa.ones([1, 2])).item()).toBe(10);
    expect(() => model.setWeights(ws.slice(1))).toThrow(/weight list of length 3, but the layer was expecting 4 weights/);
    expect(() => model.setWeights([capa.ones([3, 2]), ...ws.slice(1)])).toThrow(
      /weight shape \(2, 3\) is not compatible with provided weight shape \(3, 2\)/,
    );
  });

  it('passes the training flag through nested models (Dropout, BatchNormalization)', () => {
    capa.setSeed(3);
    const bn = new L.BatchNormalization({ momentum: 0.5 });
    const model = new Sequential([new L.Dropout(0.5, { inputShape: [20] }), bn]);
    const x = capa.ones([4, 20]);
    const inference = model.apply(x);
    // Inference: dropout is the identity, BN uses mean 0 / variance 1.
    expect(Math.abs((inference.dataSync()[0] as number) - 1 / Math.sqrt(1 + 1e-3))).toBeLessThan(1e-6);
    model.apply(x, { training: true });
    const mean = bn.movingMean?.dataSync() as Float32Array;
    expect(Array.from(mean).some((m) => m !== 0)).toBe(true);
    // A frozen BatchNormalization runs in inference mode even when training (Keras's rule).
    bn.trainable = false;
    const before = Array.from(mean);
    model.apply(x, { training: true });
    expect(Array.from(bn.movingMean?.dataSync() as Float32Array)).toEqual(before);
  });

  it('reports graph errors the way Keras does', () => {
    const a = Input({ shape: [3] });
    const b = Input({ shape: [3] });
    const y = new L.Add().apply([new L.Dense(3).apply(a), b]);
    expect(() => new Model({ inputs: a, outputs: y })).toThrow(
      /Graph disconnected: cannot obtain value for tensor input_2\/0\/0 at layer "input_2"/,
    );
    const c = Input({ shape: [3] });
    const twice = new L.Dense(3, { name: 'same' }).apply(new L.Dense(3, { name: 'same' }).apply(c));
    expect(() => new Model({ inputs: c, outputs: twice })).toThrow(/The name "same" is used 2 times in the model/);
    const h = new L.Dense(2).apply(c);
    expect(() => new Model({ inputs: h, outputs: h })).toThrow(/must come from Input/);
    expect(() => new L.Dense(2).apply([c, capa.ones([1, 3])] as never)).toThrow(/not a mix/);
  });
});

describe('Sequential', () => {
  beforeEach(() => capa.clearSession());

  it('adds, pops, and ignores inputDim on later layers (as the notebook relies on)', () => {
    const model = new Sequential();
    model.add(new L.Dense(100, { inputDim: 100, activation: 'sigmoid' }));
    model.add(new L.Dense(1, { inputDim: 100, activation: 'sigmoid' }));
    expect(model.outputShape).toEqual([null, 1]);
    expect(model.inputLayer?.name).toBe('dense_1_input');
    const popped = model.pop();
    expect(popped.name).toBe('dense_2');
    expect(model.outputShape).toEqual([null, 100]);
    expect(model.layers.length).toBe(1);
    model.add(new L.Dense(3));
    expect(model.outputShape).toEqual([null, 3]);
    expect(model.countParams()).toBe(10100 + 303);
    expect(() => new Sequential().pop()).toThrow(/no layers/);
  });

  it('builds at once when its first layer is a model with a known input (a pretrained base), as Keras 3 does', () => {
    const input = Input({ shape: [4] });
    const base = new Model({ inputs: input, outputs: new L.Dense(3).apply(input) as capa.SymbolicTensor });
    const model = new Sequential([base, new L.Dense(2)]);
    expect(model.outputShape).toEqual([null, 2]);
    expect(model.countParams()).toBe(15 + 8);
  });

  it('builds lazily on the first call or on build(shape)', () => {
    const lazy = new Sequential([new L.Dense(4), new L.Dense(2)]);
    expect(lazy.built).toBe(false);
    expect(() => lazy.countParams()).toThrow(/isn't built/);
    expect(lazy.apply(capa.ones([3, 5])).shape).toEqual([3, 2]);
    expect(lazy.built).toBe(true);
    expect(lazy.inputShape).toEqual([null, 5]);
    expect(lazy.countParams()).toBe(5 * 4 + 4 + 4 * 2 + 2);
    const built = new Sequential([new L.Conv2D(2, 3), new L.Flatten()]);
    built.build([null, 8, 8, 1]);
    expect(built.outputShape).toEqual([null, 72]);
    expect(() => built.build([null, 4, 4, 1])).toThrow(/was built for input shape \(None, 8, 8, 1\)/);
  });

  it('accepts an InputLayer first and a nested model', () => {
    const inner = new Sequential([new L.Dense(3, { inputDim: 2 })]);
    const model = new Sequential([new capa.InputLayer({ shape: [2] }), inner, new L.Dense(1)]);
    expect(model.layers.map((l) => l.className)).toEqual(['Sequential', 'Dense']);
    expect(model.apply(capa.ones([4, 2])).shape).toEqual([4, 1]);
    expect(() => model.add(new capa.InputLayer({ shape: [2] }))).toThrow(/InputLayer can only be added first/);
  });

  it('checks input shapes with Keras wording', () => {
    const model = new Sequential([new L.Dense(3, { inputDim: 4 })]);
    expect(() => model.apply(capa.ones([2, 5]))).toThrow(
      'Input 0 of layer "sequential_1" is incompatible with the layer: expected shape=(None, 4), found shape=(2, 5)',
    );
    expect(() => model.add(new L.Conv2D(2, 3))).toThrow(
      'Input 0 of layer "conv2d_1" is incompatible with the layer: expected ndim=4, found ndim=2. Full shape received: (None, 3)',
    );
    expect(model.layers.length).toBe(1);
  });
});
