/** The data iterators through training's fit / evaluate / predict (the agreed iterator contract). */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import {
  layers,
  optimizers,
  preprocessing,
  Sequential,
  setSeed,
  setTrainingOutput,
  type Tensor,
  tensor,
  utils,
} from '../../src/index.js';
import { buildTree, flatGray } from './tree.js';

const { ImageDataGenerator } = preprocessing.image;

/** Class 0: dark squares, class 1: bright squares (trivially separable). */
function toyImages(n: number): { x: Tensor; y: Tensor } {
  const x = new Float32Array(n * 16);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 2;
    x.fill(i % 2 ? 200 + (i % 50) : 10 + (i % 50), i * 16, (i + 1) * 16);
  }
  return { x: tensor(x, [n, 4, 4, 1]), y: tensor(y, [n]) };
}

function model(): Sequential {
  const m = new Sequential([new layers.Flatten({ inputShape: [4, 4, 1] }), new layers.Dense(2, { activation: 'softmax' })]);
  m.compile({
    optimizer: new optimizers.Adam({ learningRate: 0.05 }),
    loss: 'sparse_categorical_crossentropy',
    metrics: ['accuracy'],
  });
  return m;
}

let root: string;
beforeAll(async () => {
  const files: Record<string, ReturnType<typeof flatGray>> = {};
  for (let i = 0; i < 12; i++) files[`${i % 2 ? 'bright' : 'dark'}/${i}.png`] = flatGray(i % 2 ? 220 : 20);
  root = await buildTree(files);
  setTrainingOutput({ write: () => undefined, isTTY: false });
});

describe('data iterators in fit / evaluate / predict', () => {
  it('fit(flow(x, y)) trains epoch by epoch on length batches', async () => {
    setSeed(3);
    const { x, y } = toyImages(64);
    const m = model();
    const it = new ImageDataGenerator({ rescale: 1 / 255, horizontalFlip: true }).flow(x, y, { batchSize: 16, seed: 1 });
    const history = await m.fit(it, { epochs: 8, verbose: 0 });
    const acc = history.history.accuracy as number[];
    expect(acc.length).toBe(8);
    expect(acc.at(-1)).toBeGreaterThan(0.9);
  });

  it('evaluate and predict on flowFromDirectory; predict warns when the iterator shuffles', async () => {
    setSeed(4);
    const gen = new ImageDataGenerator({ rescale: 1 / 255 });
    const opts = {
      targetSize: [4, 4] as [number, number],
      colorMode: 'grayscale' as const,
      classMode: 'sparse' as const,
      workers: 0,
      verbose: false,
    };
    const m = model();
    await m.fit(gen.flowFromDirectory(root, { ...opts, batchSize: 4, seed: 2 }), { epochs: 30, verbose: 0 });
    const ordered = gen.flowFromDirectory(root, { ...opts, batchSize: 5, shuffle: false });
    const logs = await m.evaluate(ordered, { verbose: 0 });
    expect(logs.accuracy).toBe(1);
    const probs = await m.predict(ordered, { verbose: 0 });
    expect(probs.shape).toEqual([12, 2]);
    const predicted = (probs.arraySync() as number[][]).map((p) => ((p[1] as number) > (p[0] as number) ? 1 : 0));
    expect(predicted).toEqual([...ordered.classes]);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await m.predict(gen.flowFromDirectory(root, { ...opts, batchSize: 5 }), { verbose: 0 });
    expect(warn.mock.calls.some((c) => /shuffle/.test(String(c[0])))).toBe(true);
    warn.mockRestore();
  });

  it('fit(imageDatasetFromDirectory) with a validation dataset', async () => {
    setSeed(5);
    const [train, val] = utils.imageDatasetFromDirectory(root, {
      imageSize: [4, 4],
      colorMode: 'grayscale',
      batchSize: 4,
      validationSplit: 0.25,
      subset: 'both',
      seed: 7,
      workers: 0,
      verbose: false,
    });
    const m = new Sequential([
      new layers.Rescaling(1 / 255, { inputShape: [4, 4, 1] }),
      new layers.Flatten(),
      new layers.Dense(2, { activation: 'softmax' }),
    ]);
    m.compile({
      optimizer: new optimizers.Adam({ learningRate: 0.05 }),
      loss: 'sparse_categorical_crossentropy',
      metrics: ['accuracy'],
    });
    const history = await m.fit(train, { epochs: 3, validationData: val, verbose: 0 });
    expect(history.history.val_loss?.length).toBe(3);
  });
});
