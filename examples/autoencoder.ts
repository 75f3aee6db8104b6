/**
 * Convolutional autoencoder for image denoising (keras.io "Convolutional autoencoder for image
 * denoising"), on real MNIST: an encoder of two Conv2D + MaxPooling2D blocks (28x28 -> 7x7x32),
 * a decoder of two stride-2 Conv2DTranspose layers back to 28x28 and a sigmoid Conv2D. It is
 * trained first to reproduce clean digits, then, as Keras's example does, further on noisy digits
 * (Gaussian noise x 0.4, clipped to [0, 1]) to give back the clean ones.
 *
 * Writes a picture (PNG) with one column per test digit and four rows: the originals, their
 * reconstructions, the noisy digits and their denoised versions.
 *
 *   npx tsx examples/autoencoder.ts    (TRAIN_SIZE=10000 EPOCHS=5 by default; OUT=autoencoder.png)
 *
 * Keras's example trains on all 60,000 digits for 50 + 100 epochs on a GPU; on two CPU cores
 * the defaults here take a few minutes and already denoise visibly.
 */
import { fileURLToPath } from 'node:url';
import { datasets, getBackend, Input, layers, Model, ops, preprocessing, setSeed, Tensor } from 'capa';
import { seededRandom } from './lib/seeded-random.js';

/** MNIST digits as floats in [0, 1], shape [n, 28, 28, 1]: the first `trainSize` training and `testSize` test images. */
export async function mnistImages(trainSize: number, testSize: number): Promise<{ train: Tensor; test: Tensor }> {
  const [[xTrain], [xTest]] = await datasets.mnist.loadData();
  const prepare = (x: Tensor, n: number) =>
    ops.div(ops.slice(x, [0, 0, 0], [Math.min(n, x.shape[0] as number), 28, 28]), 255).reshape([-1, 28, 28, 1]);
  return { train: prepare(xTrain, trainSize), test: prepare(xTest, testSize) };
}

/** Keras's `noise`: add noiseFactor x N(0, 1) to every pixel, clip to [0, 1] (seeded here). */
export function addNoise(images: Tensor, noiseFactor = 0.4, seed = 0): Tensor {
  const random = seededRandom(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const values = images.dataSync();
  const noisy = Float32Array.from(values, (v) => Math.min(1, Math.max(0, v + noiseFactor * normal())));
  return new Tensor(noisy, images.shape);
}

export function convolutionalAutoencoder(): Model {
  const input = Input({ shape: [28, 28, 1], name: 'digit' });
  // encoder
  let x = new layers.Conv2D(32, 3, { activation: 'relu', padding: 'same' }).apply(input);
  x = new layers.MaxPooling2D(2, { padding: 'same' }).apply(x);
  x = new layers.Conv2D(32, 3, { activation: 'relu', padding: 'same' }).apply(x);
  x = new layers.MaxPooling2D(2, { padding: 'same' }).apply(x);
  // decoder
  x = new layers.Conv2DTranspose(32, 3, { strides: 2, activation: 'relu', padding: 'same' }).apply(x);
  x = new layers.Conv2DTranspose(32, 3, { strides: 2, activation: 'relu', padding: 'same' }).apply(x);
  const output = new layers.Conv2D(1, 3, { activation: 'sigmoid', padding: 'same' }).apply(x);
  const autoencoder = new Model({ inputs: input, outputs: output, name: 'autoencoder' });
  autoencoder.compile({ optimizer: 'adam', loss: 'binary_crossentropy' });
  return autoencoder;
}

/**
 * One picture of same-sized [n, 28, 28, 1] image rows: row r, column c is image c of rows[r],
 * pixels 0..255 on a dark grey grid 2 px wide (so black digit borders stay visible).
 */
export function imageGrid(rows: readonly Tensor[], columns: number): Tensor {
  const cell = 28;
  const gap = 2;
  const height = rows.length * (cell + gap) + gap;
  const width = columns * (cell + gap) + gap;
  const out = new Float32Array(height * width).fill(64);
  rows.forEach((images, r) => {
    if ((images.shape[0] as number) < columns) {
      throw new Error(`imageGrid: row ${r} has ${images.shape[0]} images, fewer than the ${columns} columns.`);
    }
    const pixels = images.dataSync();
    for (let c = 0; c < columns; c++) {
      for (let y = 0; y < cell; y++) {
        for (let x = 0; x < cell; x++) {
          const value = pixels[(c * cell + y) * cell + x] as number;
          out[(gap + r * (cell + gap) + y) * width + gap + c * (cell + gap) + x] = 255 * Math.min(1, Math.max(0, value));
        }
      }
    }
  });
  return new Tensor(out, [height, width, 1]);
}

export interface AutoencoderOptions {
  trainSize?: number;
  testSize?: number;
  epochs?: number;
  batchSize?: number;
  verbose?: 0 | 1 | 2;
  seed?: number;
}

export interface AutoencoderResult {
  autoencoder: Model;
  test: Tensor;
  noisyTest: Tensor;
  /** Test-set binary cross-entropy of the reconstruction of clean digits: untrained, then after each phase. */
  cleanLoss: { untrained: number; afterClean: number; afterDenoising: number };
  /** Test-set binary cross-entropy of the denoised noisy digits against the clean ones: before and after the denoising phase. */
  denoisingLoss: { before: number; after: number };
  /** Mean squared error against the clean digits: of the noisy digits themselves, and of the denoised ones. */
  noisyMse: number;
  denoisedMse: number;
  history: { clean: number[]; denoising: number[] };
}

export async function trainAutoencoders(options: AutoencoderOptions = {}): Promise<AutoencoderResult> {
  const { trainSize = 10000, testSize = 1000, epochs = 5, batchSize = 128, verbose = 1, seed = 42 } = options;
  setSeed(seed);
  const { train, test } = await mnistImages(trainSize, testSize);
  const noisyTrain = addNoise(train, 0.4, seed + 1);
  const noisyTest = addNoise(test, 0.4, seed + 2);
  const autoencoder = convolutionalAutoencoder();
  if (verbose) autoencoder.summary();
  const testLoss = async (x: Tensor, y: Tensor) => (await autoencoder.evaluate(x, y, { verbose: 0 }))['loss'] as number;
  const untrained = await testLoss(test, test);
  // Keras's example: reproduce clean digits, then continue on noisy inputs with clean targets
  const clean = await autoencoder.fit(train, train, { epochs, batchSize, shuffle: true, validationData: [test, test], verbose });
  const afterClean = await testLoss(test, test);
  const denoisingBefore = await testLoss(noisyTest, test);
  const denoising = await autoencoder.fit(noisyTrain, train, {
    epochs,
    batchSize,
    shuffle: true,
    validationData: [noisyTest, test],
    verbose,
  });
  const denoisingAfter = await testLoss(noisyTest, test);
  const denoised = await autoencoder.predict(noisyTest, { verbose: 0 });
  const mse = (a: Tensor, b: Tensor) => ops.mean(ops.square(ops.sub(a, b))).item();
  return {
    autoencoder,
    test,
    noisyTest,
    cleanLoss: { untrained, afterClean, afterDenoising: await testLoss(test, test) },
    denoisingLoss: { before: denoisingBefore, after: denoisingAfter },
    noisyMse: mse(noisyTest, test),
    denoisedMse: mse(denoised, test),
    history: { clean: clean.history['loss'] as number[], denoising: denoising.history['loss'] as number[] },
  };
}

/** The picture: originals, their reconstructions, noisy digits, denoised digits (first `columns` test digits). */
export async function saveReconstructions(result: AutoencoderResult, path: string, columns = 10): Promise<void> {
  const take = (x: Tensor) => ops.slice(x, [0, 0, 0, 0], [columns, 28, 28, 1]);
  const originals = take(result.test);
  const noisy = take(result.noisyTest);
  const rows = [
    originals,
    await result.autoencoder.predict(originals, { verbose: 0 }),
    noisy,
    await result.autoencoder.predict(noisy, { verbose: 0 }),
  ];
  await preprocessing.image.saveImg(path, imageGrid(rows, columns), { scale: false });
}

async function main(): Promise<void> {
  const trainSize = Number(process.env['TRAIN_SIZE'] ?? 10000);
  const epochs = Number(process.env['EPOCHS'] ?? 5);
  const out = process.env['OUT'] ?? 'autoencoder.png';
  const start = performance.now();
  const r = await trainAutoencoders({ trainSize, epochs });
  await saveReconstructions(r, out);
  const seconds = (performance.now() - start) / 1000;
  console.log(
    `\nbackend: ${getBackend()}; ${trainSize} training digits, ${epochs} + ${epochs} epochs in ${seconds.toFixed(1)} s`,
  );
  console.log(
    `test reconstruction loss (binary cross-entropy): untrained ${r.cleanLoss.untrained.toFixed(4)}, after training ${r.cleanLoss.afterClean.toFixed(4)}`,
  );
  console.log(
    `denoising loss: ${r.denoisingLoss.before.toFixed(4)} before the denoising phase, ${r.denoisingLoss.after.toFixed(4)} after`,
  );
  console.log(`MSE to the clean digits: noisy ${r.noisyMse.toFixed(4)}, denoised ${r.denoisedMse.toFixed(4)}`);
  console.log(`picture (originals / reconstructions / noisy / denoised): ${out}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
