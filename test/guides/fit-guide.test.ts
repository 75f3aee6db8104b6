/**
 * Keras's guide "Customizing what happens in fit()", as translated in examples/guides/: each
 * section on small data (losses going down, the logged names the guide shows), every model
 * saved and loaded with identical predictions, and the GAN for one epoch on 2,000 MNIST digits.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  allDigits,
  CustomModel,
  evaluationExample,
  firstSimpleExample,
  GAN,
  ganNetworks,
  LowLevelModel,
  lowLevelExample,
} from '../../examples/guides/customizing-what-happens-in-fit.js';
import {
  losses,
  type Model,
  models,
  ops,
  optimizers,
  randomUniform,
  registerKerasSerializable,
  setSeed,
  type Tensor,
  tensor,
} from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'capa-guide-fit-'));

/** y depends on x, so the loss can go down. */
function regression(n: number): { x: Tensor; y: Tensor } {
  setSeed(11);
  const x = randomUniform([n, 32]);
  const w = tensor(
    Array.from({ length: 32 }, (_, i) => ((i % 5) - 2) / 4),
    [32, 1],
  );
  return { x, y: ops.matmul(x, w) };
}

async function expectSameAfterReload(model: Model, x: Tensor, file: string): Promise<Model> {
  const before = Array.from(model.predictOnBatch(x).dataSync());
  await model.save(join(dir, file));
  const loaded = await models.loadModel(join(dir, file));
  expect(Array.from(loaded.predictOnBatch(x).dataSync())).toEqual(before);
  await model.saveWeights(join(dir, `${file}.weights.h5`));
  await loaded.loadWeights(join(dir, `${file}.weights.h5`));
  expect(Array.from(loaded.predictOnBatch(x).dataSync())).toEqual(before);
  return loaded;
}

describe('guide: customizing what happens in fit()', () => {
  it('a first simple example: the overridden trainStep logs loss and mae, both going down', async () => {
    const model = firstSimpleExample();
    const { x, y } = regression(1000);
    const h = await model.fit(x, y, { epochs: 3, verbose: 0 });
    expect(Object.keys(h.history)).toEqual(['loss', 'mae']);
    const loss = h.history.loss as number[];
    expect(loss[2]).toBeLessThan(loss[0] as number);
    expect((h.history.mae as number[])[2]).toBeLessThan((h.history.mae as number[])[0] as number);
    registerKerasSerializable(CustomModel, { package: 'Guides' });
    const loaded = await expectSameAfterReload(model, x, 'custom-model.keras');
    expect(loaded).toBeInstanceOf(CustomModel);
  });

  it('going lower-level: no loss in compile, its own trackers reset each epoch, loss going down', async () => {
    const model = lowLevelExample();
    const { x, y } = regression(1000);
    const h = await model.fit(x, y, { epochs: 5, verbose: 0 });
    expect(Object.keys(h.history)).toEqual(['loss', 'mae']);
    const loss = h.history.loss as number[];
    expect(loss[4]).toBeLessThan((loss[0] as number) * 0.8);
    // the trackers are reset at each epoch: the epoch-5 value is that epoch's mean, below epoch 1's
    expect(model.lossTracker.result()).toBeCloseTo(loss[4] as number, 6);
    registerKerasSerializable(LowLevelModel, { package: 'Guides' });
    await expectSameAfterReload(model, x, 'low-level.keras');
  });

  it('providing your own evaluation step: evaluate logs loss and mae from testStep', async () => {
    const model = evaluationExample();
    const { x, y } = regression(200);
    const logs = await model.evaluate(x, y, { batchSize: 200, verbose: 0 });
    expect(Object.keys(logs)).toEqual(['loss', 'mae']);
    const mse = ops.mean(ops.square(ops.sub(model.predictOnBatch(x), y))).item();
    expect(logs.loss).toBeCloseTo(mse, 4);
  });

  it("the GAN's networks are the guide's: Conv2DTranspose upsampling 7x7 -> 28x28, the guide's parameter counts", () => {
    const { discriminator, generator } = ganNetworks();
    expect(discriminator.countParams()).toBe(74_625);
    // Dense 128 -> 6272 (809,088), two Conv2DTranspose(128, 4x4) (262,272 each), Conv2D(1, 7x7) (6,273)
    expect(generator.layers.map((l) => l.countParams())).toEqual([809_088, 0, 0, 262_272, 0, 262_272, 0, 6_273]);
    expect(generator.countParams()).toBe(1_339_905);
    expect(generator.layers.filter((l) => l.className === 'Conv2DTranspose').map((l) => l.outputShape)).toEqual([
      [null, 14, 14, 128],
      [null, 28, 28, 128],
    ]);
    expect(generator.outputShape).toEqual([null, 28, 28, 1]);
  });

  it('the GAN: one epoch on 2,000 MNIST digits logs d_loss and g_loss; both networks change; saves its weights', async () => {
    setSeed(1337);
    const digits = await allDigits(2000);
    expect(digits.shape).toEqual([2000, 28, 28, 1]);
    const { discriminator, generator } = ganNetworks(16, 8);
    const initial = [...discriminator.getWeights(), ...generator.getWeights()].map((w) => Array.from(w.dataSync()));
    const gan = new GAN(discriminator, generator, 16);
    gan.compileGan({
      dOptimizer: new optimizers.Adam({ learningRate: 0.0003 }),
      gOptimizer: new optimizers.Adam({ learningRate: 0.0003 }),
      lossFn: new losses.BinaryCrossentropy({ fromLogits: true }),
    });
    await gan.fit(digits, { epochs: 1, batchSize: 64, shuffle: true, verbose: 0 });
    const trained = [...discriminator.getWeights(), ...generator.getWeights()].map((w) => Array.from(w.dataSync()));
    // every weight of both networks moved (each optimizer updated its own network)
    expect(trained.every((w, i) => w.some((v, j) => v !== initial[i]?.[j]))).toBe(true);
    const h = gan.history?.history ?? {};
    expect(Object.keys(h)).toEqual(['d_loss', 'g_loss']);
    expect(Number.isFinite(h.d_loss?.[0])).toBe(true);
    expect(Number.isFinite(h.g_loss?.[0])).toBe(true);
    // discriminator and generator are tracked: their weights are the GAN's, and save and load
    expect(gan.weights.length).toBe(discriminator.weights.length + generator.weights.length);
    expect(gan.layers).toEqual([discriminator, generator]);
    const z = ops.randomNormal([4, 16]);
    const before = Array.from(gan.generator.predictOnBatch(z).dataSync());
    await gan.saveWeights(join(dir, 'gan.weights.h5'));
    for (const w of gan.generator.weights) w.assign(ops.zerosLike(w));
    await gan.loadWeights(join(dir, 'gan.weights.h5'));
    expect(Array.from(gan.generator.predictOnBatch(z).dataSync())).toEqual(before);
  });
});
