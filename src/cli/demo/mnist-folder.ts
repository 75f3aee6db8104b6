/**
 * The bundled MNIST digits as a folder of PNG files, one sub-folder per digit, the layout
 * `flowFromDirectory` reads (and the layout a user's own images would have). Written once into
 * a cache folder and reused; the folder is built under a temporary name and renamed into place,
 * so an interrupted run never leaves a half-written dataset behind.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as mnist from '../../datasets/mnist.js';
import { encodePng } from '../../plot/png-encode.js';
import type { Tensor } from '../../tensor/tensor.js';
import { ProgressBar } from '../progress.js';

export interface MnistFolderOptions {
  /** Folder under which `mnist-png-<train>-<test>/` is created. */
  cacheDir: string;
  /** How many training images (the first ones of MNIST's 60,000). */
  trainSamples: number;
  /** How many test images (the first ones of MNIST's 10,000). */
  testSamples: number;
}

export interface MnistFolders {
  trainDir: string;
  testDir: string;
  /** Whether the folders were already there from an earlier run. */
  cached: boolean;
}

const MARKER = 'complete.json';

function writeImages(images: Tensor, labels: Tensor, start: number, end: number, dir: string, bar: ProgressBar): Promise<void>[] {
  const pixels = images.dataSync();
  const digits = labels.dataSync();
  const writes: Promise<void>[] = [];
  for (let i = start; i < end; i++) {
    const bytes = new Uint8Array(784);
    for (let p = 0; p < 784; p++) bytes[p] = pixels[i * 784 + p]!;
    const file = join(dir, String(digits[i]), `${String(i).padStart(5, '0')}.png`);
    writes.push(writeFile(file, encodePng(bytes, 28, 28, 1)).then(() => bar.tick()));
  }
  return writes;
}

/** The train and test PNG folders, written on first use. */
export async function mnistFolders(options: MnistFolderOptions): Promise<MnistFolders> {
  const { cacheDir, trainSamples, testSamples } = options;
  const root = join(cacheDir, `mnist-png-${trainSamples}-${testSamples}`);
  const folders = { trainDir: join(root, 'train'), testDir: join(root, 'test') };
  try {
    const marker = JSON.parse(await readFile(join(root, MARKER), 'utf8')) as { train: number; test: number };
    if (marker.train === trainSamples && marker.test === testSamples) return { ...folders, cached: true };
  } catch {
    // Not there yet (or incomplete): write it.
  }
  const [[xTrain, yTrain], [xTest, yTest]] = await mnist.loadData();
  if (trainSamples > xTrain.shape[0]! || testSamples > xTest.shape[0]!) {
    throw new Error(
      `MNIST has ${xTrain.shape[0]} training and ${xTest.shape[0]} test images; asked for ${trainSamples} and ${testSamples}.`,
    );
  }
  const staging = `${root}.tmp-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  for (const split of ['train', 'test']) {
    for (let digit = 0; digit < 10; digit++) await mkdir(join(staging, split, String(digit)), { recursive: true });
  }
  const bar = new ProgressBar('Writing MNIST PNGs', trainSamples + testSamples, { unit: 'images' });
  // Writes go out in slices so thousands of files are not all open at once.
  const slice = 2000;
  for (const [x, y, count, split] of [
    [xTrain, yTrain, trainSamples, 'train'],
    [xTest, yTest, testSamples, 'test'],
  ] as const) {
    for (let start = 0; start < count; start += slice) {
      const end = Math.min(count, start + slice);
      await Promise.all(writeImages(x, y, start, end, join(staging, split), bar));
    }
  }
  bar.done();
  await writeFile(join(staging, MARKER), `${JSON.stringify({ train: trainSamples, test: testSamples })}\n`);
  await rm(root, { recursive: true, force: true });
  await rename(staging, root);
  return { ...folders, cached: false };
}
