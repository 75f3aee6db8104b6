/**
 * Keras's guide "Making new layers and models via subclassing", as translated in
 * examples/guides/: each section run on small data, checking what the guide prints; the VAE
 * trains on MNIST (custom loop, then fit with addLoss), saves and loads, and its reconstructions
 * are written as a picture.
 */
import { mkdtempSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import {
  ActivityRegularizationLayer,
  ComputeSum,
  CustomDropout,
  LazyLinear,
  Linear,
  MLPBlock,
  mnistDigits,
  OuterLayer,
  OuterLayerWithKernelRegularizer,
  trainVaeWithCustomLoop,
  VariationalAutoEncoder,
} from '../../examples/guides/making-new-layers-and-models-via-subclassing.js';
import {
  Input,
  losses,
  Model,
  models,
  ops,
  optimizers,
  registerKerasSerializable,
  setSeed,
  type Tensor,
  utils,
} from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'capa-guide-subclassing-'));

describe('guide: making new layers and models via subclassing', () => {
  it('The Layer class: Linear(4, 2) on ones((2, 2)) gives (2, 4), with weights [w, b]', () => {
    const x = ops.ones([2, 2]);
    const linearLayer = new Linear(4, 2);
    const y = linearLayer.apply(x);
    expect(y.shape).toEqual([2, 4]);
    expect(linearLayer.weights).toEqual([linearLayer.w, linearLayer.b]);
  });

  it('non-trainable weights: ComputeSum gives [2, 2] then [4, 4]; 1 weight, 1 non-trainable, 0 trainable', () => {
    const x = ops.ones([2, 2]);
    const mySum = new ComputeSum(2);
    expect(Array.from(mySum.apply(x).dataSync())).toEqual([2, 2]);
    expect(Array.from(mySum.apply(x).dataSync())).toEqual([4, 4]);
    expect(mySum.weights.length).toBe(1);
    expect(mySum.nonTrainableWeights.length).toBe(1);
    expect(mySum.trainableWeights.length).toBe(0);
  });

  it('deferred weight creation and serialization: LazyLinear builds on first call; fromConfig round trip', () => {
    const linearLayer = new LazyLinear({ units: 32 });
    expect(linearLayer.weights.length).toBe(0);
    linearLayer.apply(ops.ones([2, 2]));
    expect(linearLayer.weights.map((w) => w.shape)).toEqual([[2, 32], [32]]);
    const config = linearLayer.getConfig();
    expect(config.units).toBe(32);
    const newLayer = LazyLinear.fromConfig(config) as LazyLinear;
    expect(newLayer.units).toBe(32);
  });

  it('layers are recursively composable: MLPBlock has 6 weights, 6 trainable', () => {
    const mlp = new MLPBlock();
    const y = mlp.apply(ops.ones([3, 64]));
    expect(y.shape).toEqual([3, 1]);
    expect(mlp.weights.length).toBe(6);
    expect(mlp.trainableWeights.length).toBe(6);
    expect(mlp.countParams()).toBe(64 * 32 + 32 + 32 * 32 + 32 + 32 + 1);
  });

  it('add_loss: one loss after each call (reset at every call); the kernel regularizer shows in losses', async () => {
    const layer = new OuterLayer();
    expect(layer.losses.length).toBe(0);
    layer.apply(ops.zeros([1, 1]));
    expect(layer.losses.length).toBe(1);
    layer.apply(ops.zeros([1, 1]));
    expect(layer.losses.length).toBe(1);
    const withReg = new OuterLayerWithKernelRegularizer();
    withReg.apply(ops.zeros([1, 1]));
    expect(withReg.losses.length).toBe(1);
    const kernel = withReg.dense.weights[0] as import('../../src/index.js').Variable;
    expect(withReg.losses[0]?.item()).toBeCloseTo(1e-3 * ops.sum(ops.square(kernel)).item(), 6);

    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const inputs = Input({ shape: [3] });
    const outputs = new ActivityRegularizationLayer().apply(inputs);
    const model = new Model({ inputs, outputs });
    // If there is a loss passed in `compile`, the regularization losses get added to it
    model.compile({ optimizer: 'adam', loss: 'mse' });
    await model.fit(ops.randomUniform([2, 3]), ops.randomUniform([2, 3]), { verbose: 0 });
    // It's also possible not to pass any loss in `compile`, since the model already has a loss to minimize
    model.compile({ optimizer: 'adam' });
    const h = await model.fit(ops.randomUniform([2, 3]), ops.randomUniform([2, 3]), { verbose: 0 });
    expect(h.history.loss?.[0]).toBeGreaterThan(0);
    warn.mockRestore();
  });

  it('privileged training argument: CustomDropout drops only in training', () => {
    const layer = new CustomDropout(0.5);
    const x = ops.ones([1, 1000]);
    expect(Array.from(layer.apply(x).dataSync()).filter((v) => v === 0).length).toBe(0);
    const dropped = Array.from(layer.apply(x, { training: true }).dataSync()).filter((v) => v === 0).length;
    expect(dropped).toBeGreaterThan(430);
    expect(dropped).toBeLessThan(570);
  });

  it('the VAE: custom loop then fit on MNIST (losses going down), saves and loads, reconstructions as a PNG', async () => {
    setSeed(7);
    const xTrain = await mnistDigits(4096);
    const vae = new VariationalAutoEncoder({ originalDim: 784, intermediateDim: 64, latentDim: 32 });
    const probe = ops.slice(xTrain, [0, 0], [16, 784]);
    const reconstructionError = (v: VariationalAutoEncoder) =>
      ops.mean(ops.square(ops.sub(v.decoder.apply(v.encoder.applyMulti(probe)[0] as Tensor), probe))).item();
    vae.build([null, 784]);
    const initialError = reconstructionError(vae);
    const lines: string[] = [];
    const means = await trainVaeWithCustomLoop(vae, xTrain, { epochs: 2, batchSize: 32, log: (l) => lines.push(l) });
    expect(lines[0]).toBe('Start of epoch 0');
    expect(means[1]).toBeLessThan(means[0] as number);
    // encoder 784*64+64 + 2*(64*32+32), decoder 32*64+64 + 64*784+784
    expect(vae.countParams()).toBe(50240 + 4160 + 2112 + 50960);
    expect(vae.layers.map((l) => l.name)).toEqual(['encoder', 'decoder']);

    vae.compile({ optimizer: new optimizers.Adam({ learningRate: 1e-3 }), loss: new losses.MeanSquaredError() });
    const h = await vae.fit(xTrain, xTrain, { epochs: 2, batchSize: 32, verbose: 0 });
    const loss = h.history.loss as number[];
    expect(loss[1]).toBeLessThan(loss[0] as number);

    // saving: weights always; the whole model once the class is registered
    const sample = ops.slice(xTrain, [0, 0], [16, 784]);
    const encoded = (v: VariationalAutoEncoder) => v.encoder.applyMulti(sample)[0]?.dataSync() as Float32Array;
    const decoded = (v: VariationalAutoEncoder) => v.decoder.apply(v.encoder.applyMulti(sample)[0] as Tensor).dataSync();
    await vae.saveWeights(join(dir, 'vae.weights.h5'));
    const fresh = new VariationalAutoEncoder();
    fresh.build([null, 784]);
    await fresh.loadWeights(join(dir, 'vae.weights.h5'));
    expect(Array.from(encoded(fresh))).toEqual(Array.from(encoded(vae)));
    expect(Array.from(decoded(fresh))).toEqual(Array.from(decoded(vae)));
    registerKerasSerializable(VariationalAutoEncoder, { package: 'Guides' });
    await vae.save(join(dir, 'vae.keras'));
    const loaded = (await models.loadModel(join(dir, 'vae.keras'))) as VariationalAutoEncoder;
    expect(loaded).toBeInstanceOf(VariationalAutoEncoder);
    expect(Array.from(decoded(loaded))).toEqual(Array.from(decoded(vae)));

    // reconstructions (the decoder on the mean encoding) next to the originals
    const reconstructed = vae.decoder.apply(vae.encoder.applyMulti(sample)[0] as Tensor);
    const pictures = ops.concat([sample.reshape([16, 28, 28, 1]), reconstructed.reshape([16, 28, 28, 1])], 0);
    const png = join(dir, 'vae-reconstructions.png');
    await utils.plotImageGrid(ops.mul(pictures, 255), {
      toFile: png,
      columns: 16,
      title: 'MNIST (top) and VAE reconstructions (bottom)',
    });
    expect((await stat(png)).size).toBeGreaterThan(1000);
    // training brought the reconstructions much closer to the digits
    expect(reconstructionError(vae)).toBeLessThan(initialError * 0.5);
    console.log(`VAE reconstructions: ${png}; error ${initialError.toFixed(4)} -> ${reconstructionError(vae).toFixed(4)}`);
  });

  it("a VAE whose KL term is weighted down (the guide's weight collapses it to the average digit) reconstructs each digit", async () => {
    setSeed(11);
    const xTrain = await mnistDigits(4096);
    const vae = new VariationalAutoEncoder({ klWeight: 0.01 });
    vae.compile({ optimizer: new optimizers.Adam({ learningRate: 1e-3 }), loss: new losses.MeanSquaredError() });
    await vae.fit(xTrain, xTrain, { epochs: 10, batchSize: 32, verbose: 0 });
    const sample = ops.slice(xTrain, [0, 0], [16, 784]);
    const reconstructed = vae.decoder.apply(vae.encoder.applyMulti(sample)[0] as Tensor);
    const error = ops.mean(ops.square(ops.sub(reconstructed, sample))).item();
    // what a collapsed VAE scores: every digit decoded to the average digit
    const averageDigit = ops.mean(xTrain, 0, true);
    const collapsedError = ops.mean(ops.square(ops.sub(averageDigit, sample))).item();
    const pictures = ops.concat([sample.reshape([16, 28, 28, 1]), reconstructed.reshape([16, 28, 28, 1])], 0);
    const png = join(dir, 'vae-reconstructions-weighted.png');
    await utils.plotImageGrid(ops.mul(pictures, 255), {
      toFile: png,
      columns: 16,
      title: 'MNIST (top) and VAE reconstructions (bottom)',
    });
    console.log(
      `VAE (KL weight 0.01) reconstructions: ${png}; error ${error.toFixed(4)}, average digit ${collapsedError.toFixed(4)}`,
    );
    expect(error).toBeLessThan(collapsedError * 0.6);
  });
});
