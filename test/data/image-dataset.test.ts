/** imageDatasetFromDirectory (Keras 3): indexing, splits, labels, resizing against tf.image.resize semantics. */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { imageDatasetFromDirectory } from '../../src/data/image-dataset.js';
import { resizeTf } from '../../src/data/image-kernels/resize-tf.js';
import { preprocessing, type Tensor } from '../../src/index.js';
import { maxAbsDiff, readFixture } from './fixtures.js';
import { buildTree, flatGray, mkdir } from './tree.js';

let root: string;
beforeAll(async () => {
  const files: Record<string, ReturnType<typeof flatGray> | string> = { 'b/notes.txt': 'x', '.hidden/h.png': flatGray(99) };
  for (let i = 0; i < 6; i++) files[`a/${i}.png`] = flatGray(i);
  for (let i = 0; i < 4; i++) files[`b/sub/${i}.JPG`] = flatGray(100 + i);
  files['b/g.gif'] = flatGray(110);
  root = await buildTree(files);
  mkdir(root, 'c');
});
afterEach(() => vi.restoreAllMocks());

const base = { imageSize: [4, 4] as [number, number], colorMode: 'grayscale' as const, workers: 0, verbose: false };

async function collect(ds: AsyncIterable<Tensor[]>): Promise<{ x: number[]; y: number[]; batches: number }> {
  const x: number[] = [];
  const y: number[] = [];
  let batches = 0;
  for await (const [bx, by] of ds) {
    batches++;
    for (let i = 0; i < ((bx as Tensor).shape[0] as number); i++) x.push(Math.round((bx as Tensor).dataSync()[i * 16] as number));
    if (by) y.push(...(by as Tensor).dataSync());
  }
  return { x, y, batches };
}

describe('imageDatasetFromDirectory', () => {
  it("prints Keras 3's message, skips hidden folders, keeps empty classes, sorts when not shuffling", async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const ds = imageDatasetFromDirectory(root, { ...base, verbose: true, shuffle: false, batchSize: 4 });
    expect(log).toHaveBeenCalledWith('Found 11 files belonging to 3 classes.');
    expect(ds.classNames).toEqual(['a', 'b', 'c']);
    expect(ds.length).toBe(3);
    const { x, y, batches } = await collect(ds);
    expect(batches).toBe(3);
    expect(x).toEqual([0, 1, 2, 3, 4, 5, 110, 100, 101, 102, 103]);
    expect(y).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
  });

  it('label modes: categorical one-hot, binary [n, 1] (two classes only), none', async () => {
    const cat = imageDatasetFromDirectory(root, { ...base, shuffle: false, labelMode: 'categorical', batchSize: 11 });
    const [, y] = (await cat[Symbol.asyncIterator]().next()).value as Tensor[];
    expect(y?.shape).toEqual([11, 3]);
    expect(() => imageDatasetFromDirectory(root, { ...base, labelMode: 'binary' })).toThrow(/exactly 2 class_names/);
    const bin = imageDatasetFromDirectory(root, {
      ...base,
      shuffle: false,
      labelMode: 'binary',
      classNames: ['a', 'b'],
      batchSize: 11,
    });
    const [, yb] = (await bin[Symbol.asyncIterator]().next()).value as Tensor[];
    expect(yb?.shape).toEqual([11, 1]);
    // Without inferred labels Keras walks the whole tree, hidden folders included.
    const none = imageDatasetFromDirectory(root, { ...base, labels: null, shuffle: false, batchSize: 20 });
    const batch = (await none[Symbol.asyncIterator]().next()).value as Tensor[];
    expect(batch.length).toBe(1);
    expect(batch[0]?.shape[0]).toBe(12);
  });

  it("validation split: the global seeded shuffle, then the last fraction; 'both' returns the pair", async () => {
    expect(() => imageDatasetFromDirectory(root, { ...base, validationSplit: 0.25, subset: 'training' })).toThrow(
      /must provide a `seed`/,
    );
    expect(() => imageDatasetFromDirectory(root, { ...base, validationSplit: 0.25 })).toThrow(/If `subset` is set/);
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const [train, val] = imageDatasetFromDirectory(root, {
      ...base,
      validationSplit: 0.25,
      subset: 'both',
      seed: 5,
      verbose: true,
    });
    expect(log).toHaveBeenCalledWith('Using 9 files for training.');
    expect(log).toHaveBeenCalledWith('Using 2 files for validation.');
    expect(train.filePaths.length + val.filePaths.length).toBe(11);
    expect(new Set([...train.filePaths, ...val.filePaths]).size).toBe(11);
    const again = imageDatasetFromDirectory(root, { ...base, validationSplit: 0.25, subset: 'validation', seed: 5 });
    expect(again.filePaths).toEqual(val.filePaths);
    expect(val.shuffle).toBe(false);
    // Training reshuffles every epoch, deterministically for the seed.
    const e1 = (await collect(train)).x;
    const e2 = (await collect(train)).x;
    expect([...e1].sort()).toEqual([...e2].sort());
    expect(e1).not.toEqual(e2);
    const same = imageDatasetFromDirectory(root, { ...base, validationSplit: 0.25, subset: 'training', seed: 5 });
    expect((await collect(same)).x).toEqual(e1);
  });

  it('unbatched datasets yield single images; explicit labels follow the sorted file order', async () => {
    const labels = Array.from({ length: 12 }, (_, i) => i % 2);
    const ds = imageDatasetFromDirectory(root, { ...base, labels, shuffle: false, batchSize: null });
    const first = (await ds[Symbol.asyncIterator]().next()).value as Tensor[];
    expect(first[0]?.shape).toEqual([4, 4, 1]);
    expect(first[1]?.shape).toEqual([]);
    expect(ds.classNames).toEqual(['0', '1']);
    expect(() => imageDatasetFromDirectory(root, { ...base, labels: [0, 1] })).toThrow(
      /len\(labels\) is 2 while we found 12 files/,
    );
  });

  it('loads through worker threads too', async () => {
    const ds = imageDatasetFromDirectory(root, { ...base, shuffle: false, workers: 1, batchSize: 11 });
    expect((await collect(ds)).x).toEqual([0, 1, 2, 3, 4, 5, 110, 100, 101, 102, 103]);
  });

  it('resizes like tf.image.resize (bilinear, nearest with half-pixel centres; PyTorch-computed fixtures)', async () => {
    const { tfResize } = readFixture<{
      tfResize: { file: string; size: [number, number]; interpolation: 'bilinear' | 'nearest'; expected: number[] }[];
    }>('load_img.json');
    const img = preprocessing.image.imgToArray(
      await preprocessing.image.loadImg(new URL('../fixtures/data/images/rgb.png', import.meta.url).pathname),
    );
    for (const c of tfResize) {
      const out = resizeTf(
        { data: img.dataSync() as Float32Array, height: 9, width: 12, channels: 3 },
        c.size[0],
        c.size[1],
        c.interpolation,
      );
      expect(maxAbsDiff(out.data, c.expected), `${c.interpolation} ${c.size}`).toBeLessThan(1e-3);
    }
  });

  it('crops or pads to the aspect ratio when asked', async () => {
    const wide = await buildTree({
      'k/w.png': { width: 8, height: 4, mode: 'L', data: Uint8Array.from({ length: 32 }, (_, i) => (i % 8) * 10) },
    });
    const crop = imageDatasetFromDirectory(wide, {
      ...base,
      imageSize: [4, 4],
      cropToAspectRatio: true,
      interpolation: 'nearest',
      shuffle: false,
    });
    const [xc] = (await crop[Symbol.asyncIterator]().next()).value as Tensor[];
    expect([...(xc as Tensor).dataSync().slice(0, 4)]).toEqual([20, 30, 40, 50]);
    const pad = imageDatasetFromDirectory(wide, {
      ...base,
      imageSize: [4, 4],
      padToAspectRatio: true,
      interpolation: 'nearest',
      shuffle: false,
    });
    const [xp] = (await pad[Symbol.asyncIterator]().next()).value as Tensor[];
    expect([...(xp as Tensor).dataSync().slice(0, 4)]).toEqual([0, 0, 0, 0]);
    // 8x4 -> 4x2 (nearest picks columns 1, 3, 5, 7), centred with a zero row above and below.
    expect([...(xp as Tensor).dataSync().slice(4, 8)]).toEqual([10, 30, 50, 70]);
  });
});
