/** End to end on real MNIST digits, on a small subset so it runs in seconds on every backend. */
import { beforeAll, describe, expect, it } from 'vitest';
import { datasets, layers, Sequential, setSeed, type Tensor, tensor } from '../../src/index.js';
import { describeEachBackend } from '../helpers/backends.js';

/** The first n samples as [n, 784] floats in 0..1 and int32 labels. */
function subset(x: Tensor, y: Tensor, n: number): [Tensor, Tensor] {
  return [tensor(x.dataSync().subarray(0, n * 784), [n, 784]).div(255), tensor(y.dataSync().subarray(0, n), [n], 'int32')];
}

let train: [Tensor, Tensor];
let test: [Tensor, Tensor];
beforeAll(async () => {
  const [[xTrain, yTrain], [xTest, yTest]] = await datasets.mnist.loadData();
  train = subset(xTrain, yTrain, 2000);
  test = subset(xTest, yTest, 500);
});

describe('MNIST subset', () => {
  describeEachBackend('an MLP learns real digits', () => {
    it('reaches > 85% test accuracy on 500 test images after 3 epochs on 2,000 images', async () => {
      setSeed(1);
      const model = new Sequential([
        new layers.Dense(64, { activation: 'relu', inputShape: [784] }),
        new layers.Dropout(0.2),
        new layers.Dense(10, { activation: 'softmax' }),
      ]);
      model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
      const history = await model.fit(train[0], train[1], { epochs: 3, batchSize: 32, verbose: 0 });
      const losses = history.history['loss'] as number[];
      expect(losses[2]).toBeLessThan(losses[0] as number);
      const { accuracy } = await model.evaluate(test[0], test[1], { verbose: 0 });
      expect(accuracy).toBeGreaterThan(0.85);
    });
  });
});
