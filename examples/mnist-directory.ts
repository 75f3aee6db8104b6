/**
 * MNIST through the directory path, the way course notebooks feed their own images: the digits are
 * written as PNG files into one folder per class, read back with
 * `ImageDataGenerator({ rescale: 1 / 255 }).flowFromDirectory(...)`, a small CNN is trained with
 * `model.fit(iterator)` and evaluated on the test folder.
 *
 *   npx tsx examples/mnist-directory.ts [--epochs 2] [--dir /tmp/capa-mnist-png] [--workers N]
 *
 * The PNG tree is written once and reused (delete the folder to rebuild it).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import * as capa from '../src/index.js';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const EPOCHS = Number(option('epochs') ?? 2);
const DIR = option('dir') ?? join(tmpdir(), 'capa-mnist-png');
const WORKERS = option('workers') === undefined ? undefined : Number(option('workers'));

/** Writes `images` ([n, 28, 28] bytes as float32) as PNGs under `root/<label>/<index>.png`. */
async function writePngTree(root: string, images: capa.Tensor, labels: capa.Tensor): Promise<void> {
  const pixels = images.dataSync();
  const ys = labels.dataSync();
  const n = images.shape[0] as number;
  for (let d = 0; d < 10; d++) mkdirSync(join(root, String(d)), { recursive: true });
  const chunk = 256;
  for (let start = 0; start < n; start += chunk) {
    await Promise.all(
      Array.from({ length: Math.min(chunk, n - start) }, async (_, k) => {
        const i = start + k;
        const raw = Uint8Array.from(pixels.subarray(i * 784, (i + 1) * 784));
        const png = await sharp(raw, { raw: { width: 28, height: 28, channels: 1 } })
          .png()
          .toBuffer();
        writeFileSync(join(root, String(ys[i]), `${String(i).padStart(5, '0')}.png`), png);
      }),
    );
  }
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const done = join(DIR, '.complete');
  if (!existsSync(done)) {
    console.log(`Writing MNIST as PNG files into ${DIR} ...`);
    const [[xTrain, yTrain], [xTest, yTest]] = await capa.datasets.mnist.loadData();
    await writePngTree(join(DIR, 'train'), xTrain, yTrain);
    await writePngTree(join(DIR, 'test'), xTest, yTest);
    writeFileSync(done, 'ok\n');
    console.log(`  wrote 70000 PNG files in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }

  capa.setSeed(1234);
  const datagen = new capa.preprocessing.image.ImageDataGenerator({ rescale: 1 / 255 });
  const common = { targetSize: [28, 28] as [number, number], colorMode: 'grayscale' as const, batchSize: 128, workers: WORKERS };
  const train = datagen.flowFromDirectory(join(DIR, 'train'), { ...common, seed: 1 });
  const test = datagen.flowFromDirectory(join(DIR, 'test'), { ...common, shuffle: false });

  const L = capa.layers;
  const model = new capa.Sequential([
    new L.Conv2D(32, 3, { activation: 'relu', inputShape: [28, 28, 1] }),
    new L.MaxPooling2D(2),
    new L.Conv2D(64, 3, { activation: 'relu' }),
    new L.MaxPooling2D(2),
    new L.Flatten(),
    new L.Dropout(0.25),
    new L.Dense(128, { activation: 'relu' }),
    new L.Dense(10, { activation: 'softmax' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  model.summary();

  const tFit = performance.now();
  await model.fit(train, { epochs: EPOCHS });
  const fitSeconds = (performance.now() - tFit) / 1000;
  const result = await model.evaluate(test);
  const accuracy = result.accuracy ?? Number.NaN;
  console.log(
    `\nMNIST from PNG folders: test accuracy ${(100 * accuracy).toFixed(2)}% (loss ${result.loss?.toFixed(4)}) after ${EPOCHS} epoch(s); ` +
      `fit ${fitSeconds.toFixed(1)} s (${((fitSeconds / EPOCHS / train.samples) * 1e6).toFixed(0)} µs/image), backend ${capa.getBackend()}, ` +
      `total ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  if (!(accuracy >= 0.98)) {
    console.error('Expected at least 98% test accuracy.');
    process.exitCode = 1;
  }
}

void main().then(() => process.exit());
