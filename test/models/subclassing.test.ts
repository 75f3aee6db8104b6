/**
 * Issue 14 (part A): layers and models written as TypeScript subclasses, the way Keras users
 * extend Keras — tracking of what they hold, subclassed models, step hooks, custom layers —
 * and the silent failures the issue lists, each with the number Keras gives.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type ConfigDict,
  callbacks,
  Input,
  Layer,
  layers,
  Model,
  metrics,
  models,
  ops,
  optimizers,
  registerKerasSerializable,
  type StepData,
  type SymbolicShape,
  setSeed,
  type Tensor,
  tensor,
  Variable,
  variableGrads,
} from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'capa-subclass-'));

function data(n: number, inDim: number, seed = 1): { x: Tensor; y: Tensor } {
  setSeed(seed);
  const x = ops.randomNormal ? ops.randomNormal([n, inDim]) : tensor(new Float32Array(n * inDim), [n, inDim]);
  const w = tensor(
    Array.from({ length: inDim }, (_, i) => (i % 3) - 1),
    [inDim, 1],
  );
  return { x, y: ops.matmul(x, w) };
}

class Linear extends Layer {
  units: number;
  w: Variable | null = null;
  b: Variable | null = null;
  constructor(config: { units?: number; name?: string } = {}) {
    super(config);
    this.units = config.units ?? 32;
  }
  override build(inputShape: SymbolicShape): void {
    this.w = this.addWeight({ shape: [inputShape.at(-1) as number, this.units], initializer: 'random_normal', trainable: true });
    this.b = this.addWeight({ shape: [this.units], initializer: 'zeros', trainable: true });
  }
  override call(x: Tensor): Tensor {
    return ops.add(ops.matmul(x, this.w as Variable), this.b as Variable);
  }
  override getConfig(): ConfigDict {
    return { ...super.getConfig(), units: this.units };
  }
}

/** A custom layer holding a Dense it creates in build (lazily, on the first call). */
class Block extends Layer {
  scale: Variable | null = null;
  inner: layers.Dense | null = null;
  dropout = new layers.Dropout(0.5);
  override build(inputShape: SymbolicShape): void {
    this.scale = this.addWeight('scale', { shape: [inputShape.at(-1) as number], initializer: 'ones' });
    this.inner = new layers.Dense(4);
  }
  override call(x: Tensor): Tensor {
    return (this.inner as layers.Dense).apply(this.dropout.apply(ops.mul(x, this.scale as Variable)));
  }
}

describe('tracking', () => {
  it('counts, lists and trains the layers and Variables a layer holds in fields, arrays, objects and Maps', () => {
    class Holder extends Layer {
      first = new layers.Dense(2);
      list = [new layers.Dense(3), new layers.Dense(1)];
      named = { a: new layers.Dense(2) };
      map = new Map([['m', new layers.Dense(2)]]);
      free = new Variable(tensor([1, 2, 3], [3]), { name: 'free' });
      override call(x: Tensor): Tensor {
        const y = this.first.apply(x);
        return ops.add(this.list[1]?.apply(this.list[0]?.apply(y) as Tensor) as Tensor, ops.sum(this.free));
      }
    }
    const h = new Holder();
    h.apply(tensor(new Float32Array(8), [2, 4]));
    h.named.a.apply(tensor(new Float32Array(8), [2, 4]));
    h.map.get('m')?.apply(tensor(new Float32Array(8), [2, 4]));
    // 4*2+2 + 2*3+3 + 3*1+1 + 4*2+2 + 4*2+2 + 3 = 10 + 9 + 4 + 10 + 10 + 3
    expect(h.countParams()).toBe(46);
    expect(h.layers.map((l) => l.className)).toEqual(['Dense', 'Dense', 'Dense', 'Dense', 'Dense']);
    expect(h.submodules.length).toBe(5);
    expect(h.trainableWeights.length).toBe(11);
    h.trainable = false;
    expect(h.trainableWeights.length).toBe(0);
  });

  it('a custom layer holding a Dense reports the Dense weights too (49, not 9)', () => {
    class WithDense extends Layer {
      dense = new layers.Dense(4);
      w: Variable | null = null;
      override build(shape: SymbolicShape): void {
        this.w = this.addWeight('w', { shape: [shape.at(-1) as number, 1] });
      }
      override call(x: Tensor): Tensor {
        return ops.add(this.dense.apply(x), ops.matmul(x, this.w as Variable));
      }
    }
    const l = new WithDense();
    l.apply(tensor(new Float32Array(18), [2, 9]));
    expect(l.countParams()).toBe(9 + 9 * 4 + 4);
  });

  it('a custom layer with computeOutputShape and no build() builds its sub-layers when a graph is built (Keras 3 builds by running call)', () => {
    class Block extends Layer {
      first = new layers.Dense(8);
      second = new layers.Dense(4);
      override call(x: Tensor): Tensor {
        return this.second.apply(this.first.apply(x));
      }
      override computeOutputShape(shape: SymbolicShape): SymbolicShape {
        return [...shape.slice(0, -1), 4];
      }
    }
    const x = Input({ shape: [6] });
    const model = new Model({ inputs: x, outputs: new Block().apply(x) });
    expect(model.countParams()).toBe(6 * 8 + 8 + 8 * 4 + 4);
  });
});

describe('subclassed models', () => {
  class MyModel extends Model {
    dense1 = new layers.Dense(16, { activation: 'relu' });
    dense2 = new layers.Dense(1);
    override call(x: Tensor): Tensor {
      return this.dense2.apply(this.dense1.apply(x));
    }
  }

  it('build on first call; summary, countParams, compile, fit, evaluate, predict', async () => {
    setSeed(3);
    const model = new MyModel();
    expect(model.name).toMatch(/^my_model/);
    expect(() => model.countParams()).toThrow(/isn't built/);
    const { x, y } = data(128, 8);
    const out = model.apply(x);
    expect(out.shape).toEqual([128, 1]);
    expect(model.countParams()).toBe(8 * 16 + 16 + 16 + 1);
    const lines: string[] = [];
    model.summary({ printFn: (l) => lines.push(l) });
    expect(lines.join('\n')).toMatch(/dense.*\(Dense\)\s+\(None, 16\)\s+144/);
    expect(lines.join('\n')).toMatch(/Total params: 161/);
    model.compile({ optimizer: new optimizers.Adam({ learningRate: 0.01 }), loss: 'mse', metrics: ['mae'] });
    const history = await model.fit(x, y, { epochs: 20, batchSize: 32, verbose: 0 });
    const loss = history.history.loss as number[];
    expect(loss.at(-1)).toBeLessThan((loss[0] as number) * 0.5);
    expect(Object.keys(history.history)).toEqual(['loss', 'mae']);
    const ev = await model.evaluate(x, y, { verbose: 0 });
    expect(ev.loss).toBeLessThan(loss[0] as number);
    expect((await model.predict(x, { verbose: 0 })).shape).toEqual([128, 1]);
  });

  it('build(inputShape) is optional and builds every layer the call uses', () => {
    const model = new MyModel();
    model.build([null, 5]);
    expect(model.built).toBe(true);
    expect(model.countParams()).toBe(5 * 16 + 16 + 17);
  });

  it('saves and loads weights, and the whole model once the class is registered', async () => {
    class Registered extends Model {
      units: number;
      hidden: layers.Dense;
      out = new layers.Dense(2);
      constructor(config: { units?: number; name?: string } = {}) {
        super(config);
        this.units = config.units ?? 8;
        this.hidden = new layers.Dense(this.units, { activation: 'tanh' });
      }
      override call(x: Tensor): Tensor {
        return this.out.apply(this.hidden.apply(x));
      }
      override getConfig(): ConfigDict {
        return { ...super.getConfig(), units: this.units };
      }
    }
    registerKerasSerializable(Registered, { package: 'Tests' });
    setSeed(4);
    const model = new Registered({ units: 6 });
    const { x } = data(10, 3);
    const before = model.predictOnBatch(x).dataSync();
    await model.saveWeights(join(dir, 'sub.weights.h5'));
    const other = new Registered({ units: 6 });
    other.build([null, 3]);
    await other.loadWeights(join(dir, 'sub.weights.h5'));
    expect(Array.from(other.predictOnBatch(x).dataSync())).toEqual(Array.from(before));
    await model.save(join(dir, 'sub.keras'));
    const loaded = await models.loadModel(join(dir, 'sub.keras'));
    expect(loaded).toBeInstanceOf(Registered);
    expect((loaded as Registered).units).toBe(6);
    expect(Array.from(loaded.predictOnBatch(x).dataSync())).toEqual(Array.from(before));
  });

  it('an error in call names the model', () => {
    class Broken extends Model {
      dense = new layers.Dense(2);
      override call(x: Tensor): Tensor {
        return ops.matmul(x, tensor([1, 2, 3], [3, 1]));
      }
    }
    const model = new Broken({ name: 'broken_model' });
    expect(() => model.apply(tensor(new Float32Array(8), [2, 4]))).toThrow(/calling layer "broken_model" \(Broken\)/);
  });
});

describe('step hooks', () => {
  it('fit calls an overridden trainStep (Keras 3: computeLoss, metrics, applyGradients)', async () => {
    let calls = 0;
    class CustomModel extends Model {
      override trainStep(data: StepData) {
        calls++;
        const [x, y] = data;
        let yPred: Tensor | null = null;
        const vars = this.trainableWeights;
        const { value: loss, grads } = variableGrads(() => {
          yPred = this.apply(x as Tensor, { training: true });
          return this.computeLoss({ y, yPred });
        }, vars);
        this.optimizer?.applyGradients(vars.map((v, i) => [grads[i] ?? null, v] as const));
        for (const m of this.metrics) {
          if (m.name === 'loss') m.updateState(loss);
          else m.updateState(y as Tensor, yPred as unknown as Tensor);
        }
        return Object.fromEntries(this.metrics.map((m) => [m.name, m.result()]));
      }
    }
    const inputs = Input({ shape: [8] });
    const model = new CustomModel({ inputs, outputs: new layers.Dense(1).apply(inputs) });
    model.compile({ optimizer: 'adam', loss: 'mse', metrics: ['mae'] });
    const { x, y } = data(64, 8);
    const h = await model.fit(x, y, { epochs: 3, batchSize: 32, verbose: 0 });
    expect(calls).toBe(6);
    expect(Object.keys(h.history)).toEqual(['loss', 'mae']);
    expect((h.history.loss as number[])[2]).toBeLessThan((h.history.loss as number[])[0] as number);
  });

  it('testStep and predictStep are what evaluate and predict call', async () => {
    class Hooked extends Model {
      d = new layers.Dense(1);
      override call(x: Tensor): Tensor {
        return this.d.apply(x);
      }
      override testStep(): Record<string, number> {
        return { custom: 7 };
      }
      override predictStep(data: StepData): Tensor {
        return ops.mul(this.apply(data[0] as Tensor), 0);
      }
    }
    const model = new Hooked();
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const { x, y } = data(16, 3);
    expect(await model.evaluate(x, y, { verbose: 0 })).toEqual({ custom: 7 });
    expect(Array.from((await model.predict(x, { verbose: 0 })).dataSync()).every((v) => v === 0)).toBe(true);
  });
});

describe('silent failures (issue 14)', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('sub-layers a custom layer builds lazily train in the first fit', async () => {
    setSeed(5);
    const inputs = Input({ shape: [6] });
    const block = new Block();
    const model = new Model({ inputs, outputs: new layers.Dense(1).apply(block.apply(inputs)) });
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const inner = block.inner as layers.Dense;
    const before = inner.getWeights()[0]?.dataSync().slice() as Float32Array;
    const { x, y } = data(32, 6);
    await model.fit(x, y, { epochs: 1, batchSize: 32, verbose: 0 });
    const after = inner.getWeights()[0]?.dataSync() as Float32Array;
    expect(Array.from(after)).not.toEqual(Array.from(before));
  });

  it('training reaches a Dropout inside a custom block: about 500 of 1,000 dropped during fit', async () => {
    let zeros = -1;
    class Probe extends Layer {
      drop = new layers.Dropout(0.5);
      override call(x: Tensor): Tensor {
        const y = this.drop.apply(x);
        zeros = Array.from(y.dataSync()).filter((v) => v === 0).length;
        return y;
      }
    }
    class Net extends Model {
      probe = new Probe();
      d = new layers.Dense(1);
      override call(x: Tensor): Tensor {
        return this.d.apply(this.probe.apply(x));
      }
    }
    const model = new Net();
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const x = tensor(new Float32Array(1000).fill(1), [1, 1000]);
    await model.fit(x, tensor([0], [1, 1]), { epochs: 1, verbose: 0 });
    expect(zeros).toBeGreaterThan(430);
    expect(zeros).toBeLessThan(570);
    model.predictOnBatch(x);
    expect(zeros).toBe(0);
  });

  it('"Gradients do not exist" is printed once, not on every step', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    class Unused extends Model {
      used = new layers.Dense(1);
      unused = new layers.Dense(1);
      override call(x: Tensor): Tensor {
        this.unused.apply(x);
        return this.used.apply(x);
      }
    }
    const model = new Unused();
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const { x, y } = data(40, 2);
    await model.fit(x, y, { epochs: 2, batchSize: 10, verbose: 0 });
    expect(warn.mock.calls.filter((c) => String(c[0]).includes('Gradients do not exist')).length).toBe(1);
  });

  it('a custom Metric calling super({ name }) is logged under its name', async () => {
    class CountPositives extends metrics.Metric {
      private count = 0;
      constructor() {
        super({ name: 'positives' });
      }
      updateState(_y: Tensor, yPred: Tensor): void {
        this.count += Array.from(yPred.dataSync()).filter((v) => v > 0).length;
      }
      result(): number {
        return this.count;
      }
      resetState(): void {
        this.count = 0;
      }
    }
    const inputs = Input({ shape: [2] });
    const model = new Model({ inputs, outputs: new layers.Dense(1).apply(inputs) });
    model.compile({ optimizer: 'sgd', loss: 'mse', metrics: [new CountPositives()] });
    const { x, y } = data(8, 2);
    const h = await model.fit(x, y, { epochs: 1, verbose: 0 });
    expect(Object.keys(h.history)).toEqual(['loss', 'positives']);
  });

  it("a callback's onBatchEnd is called for every training batch", async () => {
    const seen: number[] = [];
    class Cb extends callbacks.Callback {
      override onBatchEnd(batch: number): void {
        seen.push(batch);
      }
    }
    const inputs = Input({ shape: [2] });
    const model = new Model({ inputs, outputs: new layers.Dense(1).apply(inputs) });
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const { x, y } = data(8, 2);
    await model.fit(x, y, {
      epochs: 1,
      batchSize: 4,
      verbose: 0,
      callbacks: [
        new Cb(),
        new callbacks.LambdaCallback({
          onBatchEnd: (b) => {
            seen.push(10 + b);
          },
        }),
      ],
    });
    expect(seen).toEqual([0, 10, 1, 11]);
  });
});

describe('custom layers like Keras', () => {
  it("addWeight's keyword form, the default fromConfig, and a functional model inferring the output shape", () => {
    const linear = new Linear({ units: 4 });
    const y = linear.apply(tensor(new Float32Array(6), [3, 2]));
    expect(y.shape).toEqual([3, 4]);
    expect(linear.weights.map((w) => w.name)).toEqual([`${linear.name}/variable`, `${linear.name}/variable_1`]);
    const copy = Linear.fromConfig(linear.getConfig()) as Linear;
    expect(copy).toBeInstanceOf(Linear);
    expect(copy.units).toBe(4);
    expect(copy.name).toBe(linear.name);
    const inputs = Input({ shape: [5] });
    const out = new Linear({ units: 7 }).apply(inputs);
    expect(out.shape).toEqual([null, 7]);
    expect(() => new Linear().addWeight({} as never)).toThrow(/addWeight needs a shape/);
  });

  it('addLoss adds to the loss, cleared at each call; addMetric is logged', async () => {
    class ActivityRegularization extends Layer {
      override call(x: Tensor): Tensor {
        this.addLoss(ops.mul(ops.mean(x), 0.1));
        this.addMetric(ops.mean(x), 'mean_activation');
        return x;
      }
    }
    const reg = new ActivityRegularization();
    expect(reg.losses.length).toBe(0);
    reg.apply(tensor([1, 2, 3, 4], [2, 2]));
    reg.apply(tensor([1, 2, 3, 4], [2, 2]));
    expect(reg.losses.length).toBe(1);
    expect(reg.losses[0]?.item()).toBeCloseTo(0.25, 6);
    const inputs = Input({ shape: [3] });
    const model = new Model({ inputs, outputs: new ActivityRegularization().apply(new layers.Dense(1).apply(inputs)) });
    model.compile({ optimizer: 'sgd' });
    const { x, y } = data(8, 3);
    const h = await model.fit(x, y, { epochs: 1, verbose: 0 });
    expect(Object.keys(h.history)).toEqual(['loss', 'mean_activation']);
  });

  it('Lambda layers: computed, saved with a registered function, refused when loaded without it', async () => {
    const double = (x: Tensor | Tensor[]) => ops.mul(x as Tensor, 2);
    const inputs = Input({ shape: [3] });
    const model = new Model({ inputs, outputs: new layers.Lambda(double).apply(inputs) });
    expect(model.outputs[0]?.shape).toEqual([null, 3]);
    await model.save(join(dir, 'lambda.keras'));
    await expect(models.loadModel(join(dir, 'lambda.keras'))).rejects.toThrow(
      /function 'Custom>double', which is not registered.*registerKerasSerializable\(double, \{ package: 'Custom', name: 'double' \}\)/,
    );
    registerKerasSerializable(double);
    const loaded = await models.loadModel(join(dir, 'lambda.keras'));
    expect(Array.from(loaded.predictOnBatch(tensor([1, 2, 3], [1, 3])).dataSync())).toEqual([2, 4, 6]);
  });
});
