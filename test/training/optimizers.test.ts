import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ops, type Tensor, tensor, Variable } from '../../src/index.js';
import * as optimizers from '../../src/training/optimizers/index.js';
import { describeEachBackend } from '../helpers/backends.js';
import { maxRelativeError } from '../helpers/close.js';

interface Step {
  lossBefore: number;
  W: number[];
  b: number[];
}
interface Case {
  name: string;
  className: string;
  options: Record<string, number | boolean>;
  schedule?: { className: string; options: Record<string, number | boolean> };
  steps: Step[];
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/training/optimizers.json', import.meta.url), 'utf8')) as {
  problem: { x: number[]; y: number[]; W0: number[]; b0: number[] };
  cases: Case[];
};
const schedulesFixture = JSON.parse(readFileSync(new URL('../fixtures/training/schedules.json', import.meta.url), 'utf8')) as {
  cases: { className: string; options: Record<string, number | boolean>; values: number[] }[];
};

const CLASSES: Record<string, new (o: Record<string, unknown>) => optimizers.Optimizer> = {
  SGD: optimizers.SGD,
  Adam: optimizers.Adam,
  AdamW: optimizers.AdamW,
  RMSprop: optimizers.RMSprop,
  Adagrad: optimizers.Adagrad,
  Adadelta: optimizers.Adadelta,
  Adamax: optimizers.Adamax,
  Nadam: optimizers.Nadam,
};
const SCHEDULES: Record<string, new (o: never) => optimizers.schedules.LearningRateSchedule> = {
  ExponentialDecay: optimizers.schedules.ExponentialDecay,
  PiecewiseConstantDecay: optimizers.schedules.PiecewiseConstantDecay,
  PolynomialDecay: optimizers.schedules.PolynomialDecay,
  InverseTimeDecay: optimizers.schedules.InverseTimeDecay,
  CosineDecay: optimizers.schedules.CosineDecay,
  CosineDecayRestarts: optimizers.schedules.CosineDecayRestarts,
};

function problem() {
  const { x, y, W0, b0 } = fixture.problem;
  const X = tensor(x, [5, 3]);
  const Y = tensor(y, [5, 4]);
  const W = new Variable(tensor(W0, [3, 4]), { name: 'W' });
  const b = new Variable(tensor(b0, [4]), { name: 'b' });
  const loss = (): Tensor => ops.sum(ops.square(ops.sub(ops.tanh(ops.add(ops.matmul(X, W), b)), Y)));
  return { W, b, loss };
}

function makeOptimizer(c: Case): optimizers.Optimizer {
  const options: Record<string, unknown> = { ...c.options };
  if (c.schedule)
    options['learningRate'] = new (SCHEDULES[c.schedule.className] as new (o: unknown) => never)(c.schedule.options);
  return new (CLASSES[c.className] as new (o: Record<string, unknown>) => optimizers.Optimizer)(options);
}

describeEachBackend('optimizers: first 5 updates match the Keras-rule fixtures (tools/gen_optimizer_fixtures.py)', () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      const { W, b, loss } = problem();
      const opt = makeOptimizer(c);
      for (const [i, step] of c.steps.entries()) {
        const value = opt.minimize(loss, [W, b]);
        expect(Math.abs(value - step.lossBefore), `loss before step ${i + 1}`).toBeLessThan(1e-5 * Math.max(1, step.lossBefore));
        expect(maxRelativeError(W.dataSync(), step.W), `W after step ${i + 1}`).toBeLessThan(1e-5);
        expect(maxRelativeError(b.dataSync(), step.b), `b after step ${i + 1}`).toBeLessThan(1e-5);
      }
      expect(opt.iterations).toBe(5);
    });
  }
});

describe('learning-rate schedules (Keras formulas, checked against PyTorch schedulers where one exists)', () => {
  for (const [i, c] of schedulesFixture.cases.entries()) {
    it(`${c.className} #${i} ${JSON.stringify(c.options)}`, () => {
      const schedule = new (SCHEDULES[c.className] as new (o: unknown) => optimizers.schedules.LearningRateSchedule)(c.options);
      const got = c.values.map((_, step) => schedule.call(step));
      expect(maxRelativeError(got, c.values, 1e-3)).toBeLessThan(1e-9);
    });
  }

  it('the optimizer evaluates its schedule at the step count', () => {
    const schedule = new optimizers.schedules.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 });
    const opt = new optimizers.SGD({ learningRate: schedule });
    const v = new Variable(tensor([1]));
    expect(opt.learningRate).toBeCloseTo(0.1, 12);
    opt.minimize(() => ops.sum(v), [v]);
    opt.minimize(() => ops.sum(v), [v]);
    expect(opt.learningRate).toBeCloseTo(0.025, 12);
    // steps used lr 0.1 then 0.05 (float32, as Keras computes)
    expect(v.dataSync()[0]).toBeCloseTo(1 - 0.15, 6);
    expect(() => {
      opt.learningRate = 0.5;
    }).toThrow(/not settable/);
  });

  it('rejects decaySteps <= 0 and mismatched piecewise values', () => {
    expect(() => new optimizers.schedules.CosineDecay({ initialLearningRate: 0.1, decaySteps: 0 })).toThrow(
      /decaySteps must be > 0/,
    );
    expect(() => new optimizers.schedules.PiecewiseConstantDecay({ boundaries: [1, 2], values: [1, 2] })).toThrow(
      /1 less than the length of values/,
    );
  });
});

describe('optimizer options, lookup and state', () => {
  it('resolves Keras identifiers and rejects unknown ones', () => {
    for (const [name, cls] of Object.entries({
      sgd: optimizers.SGD,
      adam: optimizers.Adam,
      adamw: optimizers.AdamW,
      rmsprop: optimizers.RMSprop,
      adagrad: optimizers.Adagrad,
      adadelta: optimizers.Adadelta,
      adamax: optimizers.Adamax,
      nadam: optimizers.Nadam,
    })) {
      expect(optimizers.get(name)).toBeInstanceOf(cls);
    }
    expect(optimizers.get('Adam')).toBeInstanceOf(optimizers.Adam);
    expect(() => optimizers.get('adamm')).toThrow(/Could not interpret optimizer identifier: 'adamm'.*adam/);
  });

  it('uses Keras defaults', () => {
    expect(new optimizers.SGD().learningRate).toBeCloseTo(0.01, 8);
    const adam = new optimizers.Adam();
    expect([adam.learningRate, adam.beta1, adam.beta2, adam.epsilon]).toEqual([Math.fround(0.001), 0.9, 0.999, 1e-7]);
    expect(new optimizers.AdamW().weightDecay).toBe(0.004);
    expect(new optimizers.Adagrad().initialAccumulatorValue).toBe(0.1);
  });

  it('allows only one kind of clipping', () => {
    expect(() => new optimizers.SGD({ clipnorm: 1, clipvalue: 1 })).toThrow(/Only one of clipnorm, clipvalue and globalClipnorm/);
  });

  it('round-trips through serialize/deserialize with a schedule', () => {
    const opt = new optimizers.Adam({
      learningRate: new optimizers.schedules.CosineDecay({ initialLearningRate: 0.01, decaySteps: 100, alpha: 0.1 }),
      amsgrad: true,
      clipnorm: 2,
    });
    const s = optimizers.serialize(opt);
    expect(s.class_name).toBe('Adam');
    expect(s.config['amsgrad']).toBe(true);
    const back = optimizers.deserialize(JSON.parse(JSON.stringify(s)));
    expect(back).toBeInstanceOf(optimizers.Adam);
    expect(optimizers.serialize(back)).toEqual(s);
  });

  it('exposes its state in Keras order and restores it', () => {
    const { W, b, loss } = problem();
    const opt = new optimizers.Adam({ learningRate: 0.05 });
    opt.minimize(loss, [W, b]);
    expect(opt.variables.map((v) => v.name)).toEqual([
      'adam/iteration',
      'adam/learning_rate',
      'W_momentum',
      'W_velocity',
      'b_momentum',
      'b_velocity',
    ]);
    const saved = opt.getWeights();
    const wSaved = W.clone();
    const bSaved = b.clone();
    opt.minimize(loss, [W, b]);
    const after = W.clone();
    // restore model and optimizer, redo the step: same result
    W.assign(wSaved);
    b.assign(bSaved);
    opt.setWeights(saved);
    expect(opt.iterations).toBe(1);
    opt.minimize(loss, [W, b]);
    expect(Array.from(W.dataSync())).toEqual(Array.from(after.dataSync()));
  });

  it('Nadam continues correctly after its iterations are restored', () => {
    const nadamCase = fixture.cases.find((c) => c.name === 'nadam') as Case;
    const { W, b, loss } = problem();
    const first = makeOptimizer(nadamCase);
    for (let i = 0; i < 3; i++) first.minimize(loss, [W, b]);
    const fresh = makeOptimizer(nadamCase);
    fresh.build([W, b]);
    fresh.setWeights(first.getWeights());
    fresh.minimize(loss, [W, b]);
    fresh.minimize(loss, [W, b]);
    expect(maxRelativeError(W.dataSync(), (nadamCase.steps[4] as Step).W)).toBeLessThan(1e-5);
  });

  it('skips variables excluded from weight decay', () => {
    const a = new Variable(tensor([1, 1]), { name: 'dense/kernel' });
    const c = new Variable(tensor([1, 1]), { name: 'dense/bias' });
    const opt = new optimizers.SGD({ learningRate: 0.1, weightDecay: 0.5 });
    opt.excludeFromWeightDecay({ varNames: ['bias'] });
    opt.minimize(() => ops.sum(ops.mul(ops.add(a, c), 0)), [a, c]);
    expect(Array.from(a.dataSync())).toEqual([0.95, 0.95].map(Math.fround));
    expect(Array.from(c.dataSync())).toEqual([1, 1]);
  });

  it('warns about variables without gradients and fails when none has one', () => {
    const a = new Variable(tensor([1]), { name: 'a' });
    const unused = new Variable(tensor([1]), { name: 'unused' });
    const opt = new optimizers.SGD();
    const warnings: string[] = [];
    const orig = console.warn;
    console.warn = (m: string) => warnings.push(m);
    try {
      opt.minimize(() => ops.sum(a), [a, unused]);
    } finally {
      console.warn = orig;
    }
    expect(warnings.join('\n')).toMatch(/Gradients do not exist for variables \[unused\]/);
    expect(() => opt.applyGradients([[null, a]])).toThrow(/no gradients provided/);
  });
});
