/**
 * Child process for the BackupAndRestore test: trains a small model with Adam for 4 epochs,
 * backing up to argv[2]. With argv[3] = "kill", it announces KILLME at epoch 3 (index 2), batch 4
 * and then waits to be killed. It prints EPOCH <n> as each epoch begins and WEIGHTS <json> at the end.
 */
import { callbacks, layers, optimizers, Sequential, setSeed, setTrainingOutput, tensor } from '../../../src/index.js';

const [dir, mode] = process.argv.slice(2) as [string, string | undefined];
setTrainingOutput({ write: () => {}, isTTY: false });
setSeed(7);
const n = 64;
const x = tensor(
  Array.from({ length: n * 3 }, (_, i) => Math.sin(i * 0.37)),
  [n, 3],
);
const y = tensor(
  Array.from({ length: n }, (_, i) => i % 3),
  [n],
  'int32',
);
const model = new Sequential([
  new layers.Dense(6, { activation: 'tanh', inputShape: [3] }),
  new layers.Dense(3, { activation: 'softmax' }),
]);
model.compile({
  optimizer: new optimizers.Adam({ learningRate: 0.05 }),
  loss: 'sparse_categorical_crossentropy',
  metrics: ['accuracy'],
});

let epoch = -1;
const probe = new callbacks.LambdaCallback({
  onEpochBegin: (e) => {
    epoch = e;
    process.stdout.write(`EPOCH ${e}\n`);
  },
  onTrainBatchEnd: async (batch) => {
    if (mode === 'kill' && epoch === 2 && batch === 3) {
      process.stdout.write('KILLME\n');
      // keep the process alive (mid-epoch) until the parent kills it
      await new Promise(() => setInterval(() => {}, 1000));
    }
  },
});
await model.fit(x, y, {
  epochs: 4,
  batchSize: 8,
  shuffle: false,
  verbose: 0,
  callbacks: [new callbacks.BackupAndRestore(dir), probe],
});
process.stdout.write(`WEIGHTS ${JSON.stringify(model.getWeights().map((w) => Array.from(w.dataSync())))}\n`);
