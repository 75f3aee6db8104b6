/**
 * The toy backend implements only the required primitives; everything else (conv and pooling
 * backward, softmax, activation gradients, Adam) runs on BaseBackend's composite defaults. Keras's
 * mnist_convnet recipe trained on it must learn real digits: the contract's defaults are complete.
 * Plain loops make it the slowest test here: about 3 CPU-minutes (9 minutes measured wall time on
 * a machine shared by many jobs), hence the 30-minute limit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  datasets,
  getBackend,
  layers,
  registerBackend,
  Sequential,
  setBackend,
  setSeed,
  type Tensor,
  tensor,
} from '../../src/index.js';
import { ToyBackend } from './toy-backend.js';

/** The first n images as [n, 28, 28, 1] floats in 0..1 and int32 labels, on the current backend. */
function subset(x: Tensor, y: Tensor, n: number): [Tensor, Tensor] {
  return [tensor(x.dataSync().subarray(0, n * 784), [n, 28, 28, 1]).div(255), tensor(y.dataSync().subarray(0, n), [n], 'int32')];
}

describe('a backend of only the required primitives', () => {
  let previous: string;
  let train: [Tensor, Tensor];
  let test: [Tensor, Tensor];
  beforeAll(async () => {
    const [[xTrain, yTrain], [xTest, yTest]] = await datasets.mnist.loadData();
    registerBackend('toy', () => new ToyBackend());
    previous = getBackend();
    setBackend('toy');
    train = subset(xTrain, yTrain, 2000);
    test = subset(xTest, yTest, 500);
  });
  afterAll(() => {
    setBackend(previous);
  });

  it('trains the Keras mnist_convnet recipe on 2,000 images to > 90% test accuracy', { timeout: 1_800_000 }, async () => {
    setSeed(1);
    expect(train[0].backend).toBe('toy');
    const model = new Sequential([
      new layers.Conv2D(32, 3, { activation: 'relu', inputShape: [28, 28, 1] }),
      new layers.MaxPooling2D(2),
      new layers.Conv2D(64, 3, { activation: 'relu' }),
      new layers.MaxPooling2D(2),
      new layers.Flatten(),
      new layers.Dropout(0.5),
      new layers.Dense(10, { activation: 'softmax' }),
    ]);
    model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const started = Date.now();
    const history = await model.fit(train[0], train[1], { epochs: 3, batchSize: 32, verbose: 0 });
    const losses = history.history['loss'] as number[];
    const { accuracy } = await model.evaluate(test[0], test[1], { verbose: 0 });
    console.log(
      `toy backend mnist_convnet: losses ${losses.map((l) => l.toFixed(3)).join(', ')}, test accuracy ${(accuracy as number).toFixed(3)}, ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
    expect(losses[2]).toBeLessThan(losses[0] as number);
    expect(accuracy).toBeGreaterThan(0.9);
  });
});
