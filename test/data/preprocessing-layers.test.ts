/** Keras 3 preprocessing / augmentation layers: training-only randomness, exact geometry, configs. */
import { describe, expect, it } from 'vitest';
import { resizeTf } from '../../src/data/image-kernels/resize-tf.js';
import {
  deserializeLayer,
  grad,
  Input,
  layers,
  Model,
  ops,
  Sequential,
  serializeLayer,
  type Tensor,
  tensor,
} from '../../src/index.js';
import { runLayerCase } from '../layers/harness.js';

const img = (h: number, w: number, c = 1, batch = 1): Tensor =>
  tensor(
    Array.from({ length: batch * h * w * c }, (_, i) => i % 251),
    [batch, h, w, c],
  );

function roundTrip<T extends layers.Layer>(layer: T): T {
  const revived = deserializeLayer(JSON.parse(JSON.stringify(serializeLayer(layer)))) as T;
  expect(revived.className).toBe(layer.className);
  expect(revived.getConfig()).toEqual(layer.getConfig());
  return revived;
}

describe('Rescaling and Resizing (always active)', () => {
  it('Rescaling computes x * scale + offset, is differentiable, and round-trips its config', () => {
    const layer = new layers.Rescaling(1 / 127.5, { offset: -1 });
    expect([...layer.apply(tensor([0, 127.5, 255])).dataSync()]).toEqual([-1, 0, 1]);
    const g = grad((x: Tensor) => ops.sum(layer.apply(x)))(tensor([1, 2]));
    for (const v of g.dataSync()) expect(v).toBeCloseTo(1 / 127.5, 7);
    expect(roundTrip(layer).getConfig()).toMatchObject({ scale: 1 / 127.5, offset: -1 });
  });

  it('Resizing matches tf.image.resize and reports its output shape in a model', () => {
    const x = img(6, 8, 3, 2);
    const layer = new layers.Resizing(3, 5);
    const y = layer.apply(x);
    expect(y.shape).toEqual([2, 3, 5, 3]);
    const first = resizeTf(
      { data: (x.dataSync() as Float32Array).subarray(0, 144), height: 6, width: 8, channels: 3 },
      3,
      5,
      'bilinear',
    );
    expect([...y.dataSync().subarray(0, 45)]).toEqual([...first.data]);
    const model = new Sequential([new layers.Resizing(4, 4, { inputShape: [10, 12, 3] }), new layers.Rescaling(1 / 255)]);
    expect(model.outputShape).toEqual([null, 4, 4, 3]);
    expect(roundTrip(new layers.Resizing(4, 7, { interpolation: 'nearest', cropToAspectRatio: true })).cropToAspectRatio).toBe(
      true,
    );
    expect(() => new layers.Resizing(4, 4, { interpolation: 'lanczos9' as 'bilinear' })).toThrow(/interpolation must be one of/);
  });
});

describe('layer harness', () => {
  it('Rescaling passes the shared layer harness (shapes, gradient step, Keras 3 and Keras 2 configs)', () => {
    runLayerCase({
      name: 'Rescaling',
      make: () => new layers.Rescaling(0.5, { offset: 1 }),
      inputs: [[2, 4, 4, 3]],
      output: [2, 4, 4, 3],
      weights: 0,
    });
  });
});

describe('random augmentation layers', () => {
  const randomLayers = (): layers.Layer[] => [
    new layers.RandomFlip('horizontal_and_vertical', { seed: 1 }),
    new layers.RandomRotation(0.2, { seed: 1 }),
    new layers.RandomZoom(0.3, null, { seed: 1 }),
    new layers.RandomTranslation(0.2, [-0.1, 0.3], { seed: 1 }),
    new layers.RandomContrast(0.5, { seed: 1 }),
    new layers.RandomBrightness(0.2, { seed: 1 }),
  ];

  it('are the identity at inference and change images in training', () => {
    const x = img(8, 8, 3, 4);
    for (const layer of randomLayers()) {
      expect(layer.apply(x).dataSync(), layer.className).toBe(x.dataSync());
      const y = layer.apply(x, { training: true });
      expect(y.shape, layer.className).toEqual(x.shape);
      expect([...y.dataSync()], layer.className).not.toEqual([...x.dataSync()]);
    }
  });

  it('are reproducible with a seed and round-trip their Keras configs', () => {
    const x = img(7, 9, 2, 3);
    const a = randomLayers();
    const b = randomLayers();
    for (let i = 0; i < a.length; i++) {
      const la = a[i] as layers.Layer;
      expect([...la.apply(x, { training: true }).dataSync()]).toEqual([
        ...(b[i] as layers.Layer).apply(x, { training: true }).dataSync(),
      ]);
      const revived = roundTrip(la);
      expect(revived.getConfig().seed).toBe(1);
    }
    expect(serializeLayer(new layers.RandomRotation(0.1)).config).toMatchObject({
      factor: 0.1,
      fill_mode: 'reflect',
      interpolation: 'bilinear',
    });
  });

  it('RandomRotation by a quarter turn rotates counter-clockwise exactly', () => {
    const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    const y = new layers.RandomRotation([0.25, 0.25], { interpolation: 'nearest' }).apply(x, { training: true });
    expect(y.arraySync()).toEqual([
      [
        [[3], [6], [9]],
        [[2], [5], [8]],
        [[1], [4], [7]],
      ],
    ]);
  });

  it('RandomTranslation shifts by whole pixels with fill modes constant and reflect', () => {
    const x = tensor([1, 2, 3, 4], [1, 1, 4, 1]);
    const right = new layers.RandomTranslation(0, [0.25, 0.25], { fillMode: 'constant', fillValue: -1 });
    expect([...right.apply(x, { training: true }).dataSync()]).toEqual([-1, 1, 2, 3]);
    const reflect = new layers.RandomTranslation(0, [-0.5, -0.5], { fillMode: 'reflect' });
    expect([...reflect.apply(x, { training: true }).dataSync()]).toEqual([3, 4, 4, 3]);
  });

  it('RandomZoom with zero range, RandomContrast with factor 0 and RandomBrightness with a fixed shift', () => {
    const x = img(5, 5, 3, 2);
    expect([...new layers.RandomZoom([0, 0]).apply(x, { training: true }).dataSync()]).toEqual([...x.dataSync()]);
    expect([...new layers.RandomContrast(0).apply(x, { training: true }).dataSync()]).toEqual([...x.dataSync()]);
    const bright = new layers.RandomBrightness([0.1, 0.1]).apply(tensor([0, 100, 250], [1, 1, 3, 1]), { training: true });
    expect([...bright.dataSync()]).toEqual([25.5, 125.5, 255]);
    expect(() => new layers.RandomContrast(1.5)).toThrow(/must be in \[0, 1\]/);
    expect(() => new layers.RandomZoom([-1.5, 0])).toThrow(/lower bound must be >= -1/);
    expect(() => new layers.RandomFlip('diagonal' as 'horizontal')).toThrow(/unknown mode argument diagonal/);
  });

  it('RandomCrop: a random window in training, the centred aspect-ratio crop resized at inference', () => {
    const x = img(6, 8, 1, 2);
    const layer = new layers.RandomCrop(4, 4, { seed: 3 });
    const train = layer.apply(x, { training: true });
    expect(train.shape).toEqual([2, 4, 4, 1]);
    const v = x.dataSync();
    const first = [...train.dataSync().subarray(0, 16)];
    // The window's first row must be a run of 4 consecutive input pixels of one row.
    const start = [...v].findIndex((_, i) => [0, 1, 2, 3].every((k) => v[i + k] === first[k]));
    expect(start).toBeGreaterThanOrEqual(0);
    const inference = layer.apply(x);
    expect(inference.shape).toEqual([2, 4, 4, 1]);
    const input = Input({ shape: [6, 8, 1] });
    expect(new Model({ inputs: input, outputs: layer.apply(input) }).outputShape).toEqual([null, 4, 4, 1]);
  });

  it('a whole augmentation pipeline runs in a Sequential model on rank-4 batches', () => {
    const model = new Sequential([
      new layers.RandomFlip('horizontal', { inputShape: [8, 8, 3] }),
      new layers.RandomRotation(0.1),
      new layers.RandomZoom(0.1),
      new layers.Rescaling(1 / 255),
    ]);
    const y = model.apply(img(8, 8, 3, 2), { training: true });
    expect(y.shape).toEqual([2, 8, 8, 3]);
    expect(Math.max(...y.dataSync())).toBeLessThanOrEqual(1);
  });
});
