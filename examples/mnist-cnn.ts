/**
 * MNIST with a small convolutional network (keras.io's "Simple MNIST convnet"): Conv2D(32, 3x3),
 * MaxPooling2D, Conv2D(64, 3x3), MaxPooling2D, Flatten, Dropout(0.5), Dense(10, softmax),
 * trained on the 60,000 real training images and tested on the 10,000 test images.
 *
 *   npx tsx examples/mnist-cnn.ts            (EPOCHS=15 by default; CAPA_BACKEND=js|native)
 *
 * The native backend trains an epoch in about two minutes on two cores; the TypeScript backend
 * is roughly ten times slower. Prints Keras's progress bars, the test accuracy, epochs and time.
 */
import * as capa from 'capa';
import { callbacks, datasets, layers, Sequential } from 'capa';

const epochs = Number(process.env['EPOCHS'] ?? 15);
const batchSize = 128;

capa.setSeed(2024);
const start = performance.now();
const [[xTrain, yTrain], [xTest, yTest]] = await datasets.mnist.loadData();
// images 0..255 [n, 28, 28] -> floats 0..1 [n, 28, 28, 1] (channels last)
const prepare = (x: capa.Tensor) => x.reshape([x.shape[0] as number, 28, 28, 1]).div(255);
const [trainX, testX] = [prepare(xTrain), prepare(xTest)];

const model = new Sequential([
  new layers.Conv2D(32, 3, { activation: 'relu', inputShape: [28, 28, 1] }),
  new layers.MaxPooling2D(2),
  new layers.Conv2D(64, 3, { activation: 'relu' }),
  new layers.MaxPooling2D(2),
  new layers.Flatten(),
  new layers.Dropout(0.5),
  new layers.Dense(10, { activation: 'softmax' }),
]);
model.summary();
model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });

const history = await model.fit(trainX, yTrain, {
  epochs,
  batchSize,
  validationSplit: 0.1,
  callbacks: [
    // smaller steps once validation stops improving, and the best epoch's weights at the end
    new callbacks.ReduceLROnPlateau({ monitor: 'val_loss', factor: 0.3, patience: 1, minLr: 1e-5, verbose: 1 }),
    new callbacks.EarlyStopping({ monitor: 'val_accuracy', patience: 4, restoreBestWeights: true, verbose: 1 }),
  ],
});
const trainSeconds = (performance.now() - start) / 1000;
const { loss, accuracy } = await model.evaluate(testX, yTest, { verbose: 0 });
const seconds = (performance.now() - start) / 1000;

console.log(`\nbackend: ${capa.getBackend()}`);
console.log(
  `epochs run: ${history.epoch.length} of ${epochs} (batch size ${batchSize}, Adam + ReduceLROnPlateau, validationSplit 0.1)`,
);
console.log(`test loss: ${(loss as number).toFixed(4)}  test accuracy: ${(accuracy as number).toFixed(4)}`);
console.log(`wall time: ${trainSeconds.toFixed(1)} s to load and train, ${seconds.toFixed(1)} s in all`);
