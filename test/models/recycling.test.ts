/**
 * Inference recycles intermediate storage (models/recycling.ts): these tests look for a
 * released buffer seen through a live tensor. Each model's predictions are compared, exactly,
 * with the same computation while gradients are recorded (which never recycles), with storage
 * poisoned (every array an op takes is NaN-filled first, so a tensor whose buffer was handed
 * out again changes visibly); earlier outputs and the caller's inputs must stay intact across
 * further predictions. Shapes are big enough (>= 1024 elements) for the pool to take part.
 */
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { recordGradients } from '../../src/autograd/record.js';
import * as capa from '../../src/index.js';
import { MIN_POOLED_ELEMENTS, setStoragePoisoning } from '../../src/tensor/storage-pool.js';
import { describeEachBackend } from '../helpers/backends.js';
import { clearPools, pooledStorage } from '../helpers/pooled-storage.js';

const { Input, Model, Sequential, layers: L, ops } = capa;
type Tensor = capa.Tensor;

/** The model's outputs in a gradient scope: the reference, computed without any recycling. */
function reference(model: capa.Model, xs: Tensor[]): Float32Array[] {
  const outs = recordGradients(() => model.applyMulti(xs));
  return outs.map((o) => Float32Array.from(o.dataSync()));
}

function inference(model: capa.Model, xs: Tensor[]): Tensor[] {
  return capa.noGrad(() => model.applyMulti(xs));
}

function expectSame(actual: readonly Tensor[], expected: readonly Float32Array[], what: string): void {
  expect(actual.length, what).toBe(expected.length);
  actual.forEach((t, i) => {
    expect(Array.from(t.dataSync()), `${what}: output ${i}`).toEqual(Array.from(expected[i] as Float32Array));
  });
}

/**
 * Predicts three times on different inputs, keeping every output, then checks all of them (and
 * the inputs) against references computed before; returns how many arrays the pool took back.
 */
function checkRecycling(
  model: capa.Model,
  makeInputs: (seed: number) => Tensor[],
  infer: (model: capa.Model, xs: Tensor[]) => Tensor[] = inference,
): number {
  const inputs = [1, 2, 3].map(makeInputs);
  const saved = inputs.map((xs) => xs.map((x) => Float32Array.from(x.dataSync())));
  const expected = inputs.map((xs) => reference(model, xs));
  clearPools();
  const got = inputs.map((xs) => infer(model, xs));
  const returned = pooledStorage().arrays;
  // Repeat: the first round refilled the pool, so this one computes into recycled storage.
  const again = inputs.map((xs) => infer(model, xs));
  inputs.forEach((_, k) => {
    expectSame(got[k] as Tensor[], expected[k] as Float32Array[], `prediction ${k}`);
    expectSame(again[k] as Tensor[], expected[k] as Float32Array[], `repeated prediction ${k}`);
    expectSame(inputs[k] as Tensor[], saved[k] as Float32Array[], `input ${k}`);
  });
  return returned;
}

/** Inputs made by an op, so they come from the pool too (taken before the pass: never recycled). */
const image = (seed: number, shape = [2, 16, 16, 8]): Tensor[] => [ops.mul(capa.randomNormal(shape, { seed }), 1)];

function resnetBlock(x: capa.SymbolicTensor, filters: number): capa.SymbolicTensor {
  let h = new L.Conv2D(filters, 3, { padding: 'same' }).apply(x);
  h = new L.BatchNormalization().apply(h);
  h = new L.Activation('relu').apply(h);
  h = new L.Conv2D(filters, 3, { padding: 'same' }).apply(h);
  h = new L.BatchNormalization().apply(h);
  // Dropout at inference and Activation('linear') return their input: the shortcut is x itself.
  const shortcut = new L.Activation('linear').apply(new L.Dropout(0.5).apply(x));
  return new L.ReLU().apply(new L.Add().apply([h, shortcut]));
}

/** Keeps every input it sees: a custom layer that recycling must not touch. */
class Stash extends capa.Layer {
  static override readonly className: string = 'Stash';
  readonly kept: Tensor[] = [];
  // Declares its shape, so building the model does not run call (the inferred shape would run it on zeros).
  override computeOutputShape(inputShape: capa.SymbolicShape): capa.SymbolicShape {
    return inputShape.slice();
  }
  override call(input: Tensor): Tensor {
    this.kept.push(input);
    return ops.relu(input);
  }
}

/** A subclass of a built-in layer that keeps its outputs. */
class KeepingDense extends L.Dense {
  static override readonly className: string = 'KeepingDense';
  readonly kept: Tensor[] = [];
  override call(input: Tensor, args: capa.layers.CallArgs): Tensor {
    const y = super.call(input, args);
    this.kept.push(y);
    return y;
  }
}

describeEachBackend('recycling intermediates at inference', () => {
  let previousPoison = false;
  beforeAll(() => {
    previousPoison = setStoragePoisoning(true);
  });
  afterAll(() => {
    setStoragePoisoning(previousPoison);
  });
  beforeEach(() => {
    capa.clearSession();
    capa.setSeed(7);
  });

  it('Sequential: conv, batch norm, pooling, dropout, flatten and dense', () => {
    const model = new Sequential([
      new L.Conv2D(8, 3, { padding: 'same', activation: 'relu', inputShape: [16, 16, 8] }),
      new L.BatchNormalization(),
      new L.Dropout(0.3),
      new L.MaxPooling2D(2),
      new L.Conv2D(16, 3, { padding: 'same' }),
      new L.Activation('relu'),
      new L.Flatten(),
      new L.Reshape([64, 16]),
      new L.Flatten(),
      new L.Dense(32, { activation: 'relu' }),
      new L.Dense(10, { activation: 'softmax' }),
    ]);
    expect(checkRecycling(model, (s) => image(s))).toBeGreaterThan(0);
  });

  it('branched graphs: ResNet blocks with identity shortcuts', () => {
    const x = Input({ shape: [16, 16, 8] });
    let h = resnetBlock(x, 8);
    h = resnetBlock(h, 8);
    h = new L.ZeroPadding2D(1).apply(h);
    h = new L.Conv2D(16, 3, { strides: 2 }).apply(h);
    const y = new L.Dense(5).apply(new L.GlobalAveragePooling2D().apply(h));
    const model = new Model({ inputs: x, outputs: y });
    expect(checkRecycling(model, (s) => image(s))).toBeGreaterThan(0);
  });

  it('plain apply outside any gradient scope keeps no tape and recycles as safely as noGrad', () => {
    const x = Input({ shape: [16, 16, 8] });
    const h = resnetBlock(x, 8);
    const model = new Model({ inputs: x, outputs: [h, new L.Dense(5).apply(new L.GlobalAveragePooling2D().apply(h))] });
    const plain = (m: capa.Model, xs: Tensor[]): Tensor[] => m.applyMulti(xs);
    expect(checkRecycling(model, (s) => image(s), plain)).toBeGreaterThan(0);
    for (const y of plain(model, image(9))) {
      expect(y.gradNode).toBeNull();
      expect(y.requiresGrad).toBe(false);
    }
  });

  it('shared layers, a value consumed twice by one layer, concatenation', () => {
    const a = Input({ shape: [16, 16, 8] });
    const b = Input({ shape: [16, 16, 8] });
    const shared = new L.Conv2D(8, 3, { padding: 'same', activation: 'relu' });
    const sa = shared.apply(a);
    const sb = shared.apply(b);
    const twice = new L.Multiply().apply([sa, sa]);
    const joined = new L.Concatenate().apply([twice, sb, shared.apply(sb)]);
    const y = new L.Conv2D(4, 1).apply(joined);
    const model = new Model({ inputs: [a, b], outputs: y });
    expect(checkRecycling(model, (s) => [image(s)[0] as Tensor, image(s + 100)[0] as Tensor])).toBeGreaterThan(0);
  });

  it('nested models: a Sequential and a functional model inside a functional model', () => {
    const inner = new Sequential([
      new L.Conv2D(8, 3, { padding: 'same', activation: 'relu', inputShape: [16, 16, 8] }),
      new L.Conv2D(8, 3, { padding: 'same' }),
    ]);
    const i2 = Input({ shape: [16, 16, 8] });
    // An inner model whose output is (a view of) its own input.
    const passthrough = new Model({ inputs: i2, outputs: new L.Reshape([16, 16, 8]).apply(new L.Dropout(0.1).apply(i2)) });
    const i3 = Input({ shape: [16, 16, 8] });
    const block = new Model({ inputs: i3, outputs: resnetBlock(i3, 8) });
    const x = Input({ shape: [16, 16, 8] });
    const h1 = inner.apply(x);
    const h2 = passthrough.apply(h1);
    const h3 = block.apply(h2);
    const y = new L.Add().apply([h3, passthrough.apply(h1), inner.apply(h3)]);
    const model = new Model({ inputs: x, outputs: y });
    expect(checkRecycling(model, (s) => image(s))).toBeGreaterThan(0);
  });

  it('multi-output models: outputs that are also consumed, views of intermediates, repeated', () => {
    const x = Input({ shape: [16, 16, 8] });
    const h = new L.Conv2D(8, 3, { padding: 'same', activation: 'relu' }).apply(x);
    const flat = new L.Flatten().apply(h);
    const g = new L.Conv2D(8, 3, { padding: 'same' }).apply(h);
    const y = new L.Dense(3).apply(new L.Flatten().apply(g));
    const model = new Model({ inputs: x, outputs: [h, flat, y, h, new L.Dropout(0.2).apply(g)] });
    checkRecycling(model, (s) => image(s));
  });

  it('a model whose output is its input, and reshape chains of the input', () => {
    const x = Input({ shape: [16, 16, 8] });
    const same = new Model({ inputs: x, outputs: new L.Dropout(0.5).apply(x) });
    const xs = image(1);
    const [y] = inference(same, xs);
    expect(y?.storage).toBe(xs[0]?.storage);
    const x2 = Input({ shape: [16, 16, 8] });
    const r = new L.Reshape([256, 8]).apply(new L.Flatten().apply(x2));
    const chain = new Model({ inputs: x2, outputs: [new L.Dense(4).apply(r), r] });
    checkRecycling(chain, (s) => image(s));
  });

  it('outputs stay valid after further predictions and predict() calls', async () => {
    const model = new Sequential([
      new L.Conv2D(8, 3, { padding: 'same', activation: 'relu', inputShape: [16, 16, 8] }),
      new L.Conv2D(8, 3, { padding: 'same' }),
    ]);
    const x = image(4, [4, 16, 16, 8])[0] as Tensor;
    const expected = reference(model, [x])[0] as Float32Array;
    const first = model.predictOnBatch(x);
    const viaPredict = await model.predict(x, { batchSize: 2, verbose: 0 });
    for (let i = 0; i < 5; i++) model.predictOnBatch(image(10 + i, [4, 16, 16, 8])[0] as Tensor);
    await model.predict(image(20, [4, 16, 16, 8])[0] as Tensor, { batchSize: 2, verbose: 0 });
    expect(Array.from(first.dataSync())).toEqual(Array.from(expected));
    expect(Array.from(viaPredict.dataSync())).toEqual(Array.from(expected));
  });

  it('recycles nothing while gradients are recorded', () => {
    const model = new Sequential([
      new L.Conv2D(8, 3, { padding: 'same', activation: 'relu', inputShape: [16, 16, 8] }),
      new L.Conv2D(8, 3, { padding: 'same' }),
    ]);
    clearPools();
    recordGradients(() => model.apply(image(1)[0] as Tensor));
    expect(pooledStorage().arrays).toBe(0);
  });

  it('custom layers, subclasses and custom activations are recycled too; what they kept is released, never overwritten', () => {
    const stash = new Stash();
    const withStash = new Sequential([
      new L.Conv2D(8, 3, { padding: 'same', inputShape: [16, 16, 8] }),
      stash,
      new L.Conv2D(4, 1),
    ]);
    // Widths of 512 at batch 2: values big enough for the pool.
    const keeping = new KeepingDense(512);
    const withSubclass = new Sequential([new L.Flatten({ inputShape: [16, 16, 8] }), new L.Dense(512), keeping, new L.Dense(4)]);
    const seen: Tensor[] = [];
    const custom = capa.activations.customActivation('keep', (t) => {
      seen.push(t);
      return ops.relu(t);
    });
    const withActivation = new Sequential([
      new L.Conv2D(8, 3, { padding: 'same', inputShape: [16, 16, 8], activation: custom }),
      new L.Conv2D(4, 1),
    ]);
    // Every model recycles (no class is declared anywhere) and predicts exactly as without.
    for (const model of [withStash, withSubclass, withActivation]) {
      expect(
        checkRecycling(model, (s) => image(s)),
        model.name,
      ).toBeGreaterThan(0);
    }
    // Of the stashed layer inputs and Dense outputs, those of the three reference passes (in a
    // gradient scope: nothing recycled) stay readable; the six of the recycled passes were
    // intermediates of their model and were released.
    for (const kept of [stash.kept, keeping.kept]) {
      expect(kept.length).toBe(9);
      for (const t of kept.slice(0, 3)) expect(t.dataSync().every(Number.isFinite)).toBe(true);
      for (const t of kept.slice(3))
        expect(() => t.dataSync()).toThrow(/can no longer be read: its storage was recycled by model/);
    }
    // The activation saw a value inside Conv2D's call, not a value of the graph: never released.
    const copy = seen.map((t) => Float32Array.from(t.dataSync()));
    for (let i = 0; i < 3; i++) inference(withActivation, image(2 + i));
    copy.forEach((values, i) => {
      expect(Array.from((seen[i] as Tensor).dataSync())).toEqual(Array.from(values));
    });
  });

  it('a layer that stashes its input and its output in `this` never reads recycled values', () => {
    /** Keeps the latest input and output, and checks, on each call, the ones of the call before. */
    class StashBoth extends capa.Layer {
      static override readonly className: string = 'StashBoth';
      lastInput: Tensor | null = null;
      lastOutput: Tensor | null = null;
      readonly stale: string[] = [];
      override call(input: Tensor): Tensor {
        for (const t of [this.lastInput, this.lastOutput]) {
          if (t === null) continue;
          try {
            // Readable only while its storage is its own: then it must still hold finite values.
            if (!t.dataSync().every(Number.isFinite)) throw new Error('a kept tensor shows poisoned values');
          } catch (e) {
            this.stale.push((e as Error).message);
          }
        }
        const y = ops.tanh(input);
        this.lastInput = input;
        this.lastOutput = y;
        return y;
      }
    }
    const layer = new StashBoth();
    const model = new Sequential([new L.Conv2D(8, 3, { padding: 'same', inputShape: [16, 16, 8] }), layer, new L.Conv2D(4, 1)]);
    expect(checkRecycling(model, (s) => image(s))).toBeGreaterThan(0);
    // Both kept tensors were released after their consumers ran; reading them says so, every time.
    expect(layer.stale.length).toBeGreaterThan(0);
    for (const message of layer.stale) expect(message).toMatch(/^Tensor \d+ of shape \[2, 16, 16, 8\] can no longer be read/);
    expect(() => layer.lastOutput?.arraySync()).toThrow(/keep a copy: `kept = x.clone\(\)`/);
    expect(() => ops.add(layer.lastInput as Tensor, 1)).toThrow(/can no longer be read/);
    expect(String(layer.lastInput)).toMatch(/storage recycled/);
    // A copy taken in call is the layer's own: it stays intact.
    class CopyBoth extends StashBoth {
      static override readonly className: string = 'CopyBoth';
      override call(input: Tensor): Tensor {
        const y = super.call(input);
        this.lastInput = input.clone();
        this.lastOutput = y.clone();
        return y;
      }
    }
    const copying = new CopyBoth();
    const model2 = new Sequential([
      new L.Conv2D(8, 3, { padding: 'same', inputShape: [16, 16, 8] }),
      copying,
      new L.Conv2D(4, 1),
    ]);
    checkRecycling(model2, (s) => image(s));
    expect(copying.stale).toEqual([]);
  });

  it('draws the next pass from the pool: memory for a pass stays bounded', () => {
    const model = new Sequential([
      new L.Conv2D(8, 3, { padding: 'same', activation: 'relu', inputShape: [16, 16, 8] }),
      new L.Conv2D(8, 3, { padding: 'same', activation: 'relu' }),
      new L.Conv2D(8, 3, { padding: 'same', activation: 'relu' }),
      new L.Conv2D(8, 3, { padding: 'same' }),
    ]);
    const xs = image(1);
    clearPools();
    inference(model, xs);
    const after1 = pooledStorage();
    for (let i = 0; i < 5; i++) inference(model, xs);
    // Each pass frees what the next one takes: the pool does not grow pass after pass.
    expect(pooledStorage()).toEqual(after1);
    expect(after1.arrays).toBeGreaterThan(0);
    expect(after1.bytes).toBeLessThanOrEqual(4 * 2 * 16 * 16 * 8 * 4);
    expect(2 * 16 * 16 * 8).toBeGreaterThanOrEqual(MIN_POOLED_ELEMENTS);
  });
});
