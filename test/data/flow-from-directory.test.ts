/** flowFromDirectory on folder trees built here: Keras's file rules, batches, labels, errors. */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { preprocessing, type Tensor } from '../../src/index.js';
import { buildTree, flatGray, mkdir } from './tree.js';

const { ImageDataGenerator } = preprocessing.image;

/** Each image is a flat gray square whose value names it: 10 * class + file number. */
let root: string;
beforeAll(async () => {
  root = await buildTree({
    'dogs/b.PNG': flatGray(11),
    'dogs/a.png': flatGray(10),
    'dogs/c.JPG': flatGray(12),
    'dogs/notes.txt': 'not an image',
    'dogs/sub/d.bmp': flatGray(13),
    'cats/x.jpeg': flatGray(20),
    'cats/y.Tif': flatGray(21),
    'cats/z.ppm': flatGray(22),
    'cats/w.webp': flatGray(23), // not a Keras extension: ignored
    'birds/.keep': '',
  });
  mkdir(root, 'empty');
});

afterEach(() => vi.restoreAllMocks());

const opts = { targetSize: [4, 4] as [number, number], colorMode: 'grayscale' as const, workers: 0, verbose: false };
const firstPixel = (x: Tensor, i: number): number => x.dataSync()[i * 16] as number;

describe('flowFromDirectory', () => {
  it('lists files like Keras: sorted classes (empty ones too), sorted files, nested folders, case-insensitive extensions', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const it = new ImageDataGenerator().flowFromDirectory(root, { ...opts, verbose: true, shuffle: false });
    expect(log).toHaveBeenCalledWith('Found 7 images belonging to 4 classes.');
    expect(it.classIndices).toEqual({ birds: 0, cats: 1, dogs: 2, empty: 3 });
    expect(it.filenames).toEqual([
      'cats/x.jpeg',
      'cats/y.Tif',
      'cats/z.ppm',
      'dogs/a.png',
      'dogs/b.PNG',
      'dogs/c.JPG',
      'dogs/sub/d.bmp',
    ]);
    expect([...it.classes]).toEqual([1, 1, 1, 2, 2, 2, 2]);
    expect(it.samples).toBe(7);
    expect(it.length).toBe(1);
    expect(it.shuffle).toBe(false);
  });

  it('yields batches in file order without shuffling, with one-hot labels over all classes', async () => {
    const it = new ImageDataGenerator().flowFromDirectory(root, { ...opts, shuffle: false, batchSize: 3 });
    expect(it.length).toBe(3);
    const sizes: number[] = [];
    const values: number[] = [];
    for (let b = 0; b < 3; b++) {
      const [x, y] = (await it.next()) as [Tensor, Tensor];
      expect(x.shape.slice(1)).toEqual([4, 4, 1]);
      expect(y.shape).toEqual([x.shape[0], 4]);
      sizes.push(x.shape[0] as number);
      for (let i = 0; i < (x.shape[0] as number); i++) {
        values.push(firstPixel(x, i));
        const row = (y.arraySync() as number[][])[i] as number[];
        expect(row.indexOf(1)).toBe(Math.floor(firstPixel(x, i) / 10) === 2 ? 1 : 2);
      }
    }
    expect(sizes).toEqual([3, 3, 1]);
    // (JPEG is lossy, but a flat square survives it exactly.)
    expect(values).toEqual([20, 21, 22, 10, 11, 12, 13]);
    // The stream wraps around to the next epoch, like Keras's generators.
    const [again] = (await it.next()) as [Tensor];
    expect(again.shape[0]).toBe(3);
  });

  it('class modes: binary/sparse give class indices, input gives the images, null gives images only', async () => {
    const gen = new ImageDataGenerator();
    const two = { ...opts, shuffle: false, classes: ['cats', 'dogs'] };
    const [, ySparse] = (await gen.flowFromDirectory(root, { ...two, classMode: 'sparse' }).next()) as [Tensor, Tensor];
    expect([...ySparse.dataSync()]).toEqual([0, 0, 0, 1, 1, 1, 1]);
    const [, yBin] = (await gen.flowFromDirectory(root, { ...two, classMode: 'binary' }).next()) as [Tensor, Tensor];
    expect(yBin.shape).toEqual([7]);
    const [x, yIn] = (await gen.flowFromDirectory(root, { ...two, classMode: 'input' }).next()) as [Tensor, Tensor];
    expect([...yIn.dataSync()]).toEqual([...x.dataSync()]);
    const none = await gen.flowFromDirectory(root, { ...two, classMode: null }).next();
    expect(none.length).toBe(1);
  });

  it('validationSplit takes the first fraction of each class for validation', () => {
    const gen = new ImageDataGenerator({ validationSplit: 0.5 });
    const val = gen.flowFromDirectory(root, { ...opts, subset: 'validation' });
    const train = gen.flowFromDirectory(root, { ...opts, subset: 'training' });
    // cats: 3 files -> int(1.5) = 1 for validation; dogs: 4 files -> 2.
    expect(val.filenames).toEqual(['cats/x.jpeg', 'dogs/a.png', 'dogs/b.PNG']);
    expect(train.filenames).toEqual(['cats/y.Tif', 'cats/z.ppm', 'dogs/c.JPG', 'dogs/sub/d.bmp']);
  });

  it('shuffles with a seed: the same order for the same seed, a new order each epoch', async () => {
    const order = async (seed: number, batches: number): Promise<number[]> => {
      const it = new ImageDataGenerator().flowFromDirectory(root, { ...opts, seed, batchSize: 7 });
      const out: number[] = [];
      for (let b = 0; b < batches; b++) {
        const [x] = (await it.next()) as [Tensor];
        for (let i = 0; i < 7; i++) out.push(Math.round(firstPixel(x, i)));
      }
      return out;
    };
    const a = await order(3, 2);
    expect(await order(3, 2)).toEqual(a);
    expect(a.slice(0, 7)).not.toEqual(a.slice(7));
    expect([...a.slice(0, 7)].sort()).toEqual([...a.slice(7)].sort());
  });

  it('is deterministic with a seed whatever the prefetch depth and worker count', async () => {
    const gen = new ImageDataGenerator({ rotationRange: 40, widthShiftRange: 0.2, horizontalFlip: true, fillMode: 'reflect' });
    const batches = async (workers: number, prefetch: number): Promise<number[][]> => {
      const it = gen.flowFromDirectory(root, { ...opts, seed: 9, batchSize: 3, workers, prefetch });
      const out: number[][] = [];
      for (let b = 0; b < 4; b++) {
        if (b === 2) it.reset();
        out.push([...((await it.next())[0] as Tensor).dataSync()]);
      }
      return out;
    };
    const reference = await batches(0, 0);
    expect(await batches(0, 3)).toEqual(reference);
    expect(await batches(1, 2)).toEqual(reference);
  });

  it('for await iteration feeds fit-style loops; epoch() stops after one epoch', async () => {
    const it = new ImageDataGenerator().flowFromDirectory(root, { ...opts, batchSize: 2, seed: 1 });
    let steps = 0;
    for await (const [x, y] of it) {
      expect((x as Tensor).shape[0]).toBe((y as Tensor).shape[0]);
      if (++steps === 5) break;
    }
    it.reset();
    let seen = 0;
    for await (const [x] of it.epoch()) seen += (x as Tensor).shape[0] as number;
    expect(seen).toBe(7);
  });

  it('a corrupt image fails with an error naming the file, or is skipped with a warning when asked', async () => {
    const bad = await buildTree({ 'a/good.png': flatGray(5), 'a/broken.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]) });
    const gen = new ImageDataGenerator();
    for (const workers of [0, 1]) {
      const it = gen.flowFromDirectory(bad, { ...opts, shuffle: false, workers });
      await expect(it.next()).rejects.toThrow(/broken\.png/);
    }
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const it = gen.flowFromDirectory(bad, { ...opts, shuffle: false, invalidImages: 'skip' });
    const [x, y] = (await it.next()) as [Tensor, Tensor];
    expect(x.shape[0]).toBe(1);
    expect(y.shape).toEqual([1, 1]);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/broken\.png/);
  });

  it('validates its arguments with clear messages', async () => {
    const gen = new ImageDataGenerator();
    expect(() => gen.flowFromDirectory(`${root}/nope`, opts)).toThrow(/does not exist/);
    await expect(gen.flowFromDirectory(`${root}/empty`, opts).next()).rejects.toThrow(/found no images in '.*empty'/);
    expect(() => gen.flowFromDirectory(root, { ...opts, colorMode: 'cmyk' as 'rgb' })).toThrow(/Invalid color mode: cmyk/);
    expect(() => gen.flowFromDirectory(root, { ...opts, classMode: 'multi' as 'binary' })).toThrow(/Invalid class_mode: multi/);
    expect(() => gen.flowFromDirectory(root, { ...opts, interpolation: 'area' as 'nearest' })).toThrow(
      /Invalid interpolation method area/,
    );
  });

  it('notes once that Keras augments the validation subset, and can leave it unaugmented', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const augmenting = new ImageDataGenerator({ validationSplit: 0.5, verticalFlip: true, rotationRange: 90 });
    augmenting.flowFromDirectory(root, { ...opts, subset: 'validation' });
    expect(warn.mock.calls.some((c) => /augmentValidation: false/.test(String(c[0])))).toBe(true);
    const plain = new ImageDataGenerator({ validationSplit: 0.5, rotationRange: 90, augmentValidation: false });
    const [x] = (await plain.flowFromDirectory(root, { ...opts, subset: 'validation', shuffle: false }).next()) as [Tensor];
    expect(Math.round(firstPixel(x, 1))).toBe(10);
    expect([...x.dataSync().slice(16, 32)].every((v) => v === 10)).toBe(true);
  });
});
