/** flow(x, y) over tensors, and the random transform's parameter draws. */
import { readdirSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { preprocessing, type Tensor, tensor } from '../../src/index.js';
import { tempDir } from './tree.js';

const { ImageDataGenerator } = preprocessing.image;

/** n images of 3x3x1 whose pixels all equal the image's index. */
function indexed(n: number): Tensor {
  const v = new Float32Array(n * 9);
  for (let i = 0; i < n; i++) v.fill(i, i * 9, (i + 1) * 9);
  return tensor(v, [n, 3, 3, 1]);
}

describe('ImageDataGenerator.flow', () => {
  it('batches x with y and sample weights in order, last batch smaller, rescaled', async () => {
    const x = indexed(5);
    const y = tensor([0, 1, 0, 1, 1], [5], 'int32');
    const w = tensor([1, 2, 3, 4, 5]);
    const it = new ImageDataGenerator({ rescale: 0.5 }).flow(x, y, { batchSize: 2, shuffle: false, sampleWeight: w });
    expect(it.length).toBe(3);
    const [bx, by, bw] = (await it.next()) as [Tensor, Tensor, Tensor];
    expect(bx.shape).toEqual([2, 3, 3, 1]);
    expect(bx.dataSync()[9]).toBe(0.5);
    expect(by.dtype).toBe('int32');
    expect([...by.dataSync()]).toEqual([0, 1]);
    expect([...bw.dataSync()]).toEqual([1, 2]);
    await it.next();
    const [last] = (await it.next()) as [Tensor];
    expect(last.shape[0]).toBe(1);
  });

  it('without y yields [x] (what predict takes)', async () => {
    const batch = await new ImageDataGenerator().flow(indexed(3), null, { batchSize: 3 }).next();
    expect(batch.length).toBe(1);
  });

  it('subset takes the first validationSplit fraction for validation and checks both have every class', async () => {
    const gen = new ImageDataGenerator({ validationSplit: 0.4 });
    const y = tensor([0, 1, 0, 1, 0]);
    const val = gen.flow(indexed(5), y, { subset: 'validation', shuffle: false, batchSize: 8 });
    const train = gen.flow(indexed(5), y, { subset: 'training', shuffle: false, batchSize: 8 });
    expect(val.n).toBe(2);
    expect(train.n).toBe(3);
    const [vx] = (await val.next()) as [Tensor];
    expect(vx.dataSync()[9]).toBe(1);
    expect(() => gen.flow(indexed(5), tensor([0, 0, 1, 1, 1]), { subset: 'validation' })).toThrow(/different number of classes/);
    expect(gen.flow(indexed(5), tensor([0, 0, 1, 1, 1]), { subset: 'validation', ignoreClassSplit: true }).n).toBe(2);
  });

  it('rejects mismatched lengths and non-image ranks like Keras', () => {
    const gen = new ImageDataGenerator();
    expect(() => gen.flow(indexed(3), tensor([1, 2]))).toThrow(/should have the same length/);
    expect(() => gen.flow(tensor([1, 2, 3, 4], [2, 2]), null)).toThrow(/should have rank 4/);
  });

  it('saveToDir writes every augmented image', async () => {
    const dir = tempDir('save');
    const gen = new ImageDataGenerator({ horizontalFlip: true });
    await gen
      .flow(indexed(3).mul(40), null, { batchSize: 3, saveToDir: dir, savePrefix: 'aug', saveFormat: 'png', seed: 1 })
      .next();
    const files = readdirSync(dir);
    expect(files).toHaveLength(3);
    for (const f of files) expect(f).toMatch(/^aug_[0-2]_\d+\.png$/);
  });

  it('channels_first data goes through the same transforms', async () => {
    const x = tensor(
      Array.from({ length: 2 * 3 * 4 }, (_, i) => i),
      [1, 2, 3, 4],
    ); // 1 image, C=2, H=3, W=4
    const first = new ImageDataGenerator({ dataFormat: 'channels_first' });
    const flipped = first.applyTransform(tensor(x.dataSync(), [2, 3, 4]), { flipHorizontal: true });
    expect((flipped.arraySync() as number[][][])[1]?.[0]).toEqual([15, 14, 13, 12]);
    const [bx] = (await first.flow(x, null, { batchSize: 1 }).next()) as [Tensor];
    expect(bx.shape).toEqual([1, 2, 3, 4]);
  });
});

describe('getRandomTransform', () => {
  it('draws within the configured ranges and is reproducible with a seed', () => {
    const gen = new ImageDataGenerator({
      rotationRange: 30,
      widthShiftRange: 0.25,
      heightShiftRange: [2, 4],
      shearRange: 10,
      zoomRange: 0.2,
      channelShiftRange: 5,
      brightnessRange: [0.5, 1.5],
      horizontalFlip: true,
    });
    const a = gen.getRandomTransform([8, 20, 3], 42);
    expect(gen.getRandomTransform([8, 20, 3], 42)).toEqual(a);
    for (let s = 0; s < 50; s++) {
      const p = gen.getRandomTransform([8, 20, 3], s);
      expect(Math.abs(p.theta ?? 0)).toBeLessThanOrEqual(30);
      expect(Math.abs(p.tx ?? 0)).toBeLessThanOrEqual(0.25 * 20); // width fraction times the width
      expect([2, 4]).toContain(Math.abs(p.ty ?? 0)); // a listed pixel shift with a random sign
      expect(p.zx).toBeGreaterThanOrEqual(0.8);
      expect(p.zy).toBeLessThanOrEqual(1.2);
      expect(p.brightness).toBeGreaterThanOrEqual(0.5);
      expect(p.flipVertical).toBe(false);
    }
  });

  it('an integer shift range picks whole pixels below it', () => {
    const gen = new ImageDataGenerator({ widthShiftRange: 3 });
    const seen = new Set<number>();
    for (let s = 0; s < 200; s++) seen.add(gen.getRandomTransform([5, 5, 1], s).tx as number);
    expect([...seen].sort((a, b) => a - b)).toEqual([-2, -1, 0, 1, 2]);
  });

  it('widthShiftRange moves the image horizontally (Keras 3 moves it vertically, a known bug)', () => {
    const x = tensor(
      Array.from({ length: 25 }, (_, i) => (i % 5 === 0 ? 1 : 0)),
      [5, 5, 1],
    ); // left column lit
    const gen = new ImageDataGenerator({ widthShiftRange: [1], fillMode: 'constant' });
    for (let s = 0; s < 6; s++) {
      const p = gen.getRandomTransform([5, 5, 1], s);
      expect(Math.abs(p.tx ?? 0)).toBe(1);
      expect(p.ty).toBe(0);
    }
    const out = gen.applyTransform(x, { tx: -1 }).arraySync() as number[][][];
    const litColumns = new Set(out.flatMap((row) => row.flatMap((v, c) => (v[0] === 1 ? [c] : []))));
    expect([...litColumns]).toEqual([1]);
  });

  it('warns once when brightness is applied to images in [0, 1] (they come out black, as in Keras)', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const gen = new ImageDataGenerator();
    const out = gen.applyTransform(tensor(new Array(12).fill(0.8), [2, 2, 3]), { brightness: 1.2 });
    expect([...out.dataSync()].every((v) => v === 0)).toBe(true);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/brightnessRange on images whose values are in \[0, 1\]/);
    warn.mockRestore();
  });
});
