/// <reference lib="dom" />
/**
 * Trains the MNIST convnet in a Web Worker so the page stays responsive: reports every batch and
 * epoch, then sends the test-set predictions and the trained model as .keras bytes.
 */
import * as capa from 'capa';
import { mnistCnn } from './mnist-cnn.js';
import { fetchSubset, SUBSET } from './mnist-subset.js';

export type WorkerMessage =
  | { type: 'batch'; epoch: number; batch: number; batches: number; loss: number; accuracy: number }
  | { type: 'epoch'; epoch: number; loss: number; accuracy: number }
  | { type: 'done'; predictions: number[]; testAccuracy: number; trainMs: number; backend: string; model: Uint8Array }
  | { type: 'error'; message: string };

const post = (message: WorkerMessage, transfer: Transferable[] = []) =>
  (self as unknown as Worker).postMessage(message, transfer);

function images(bytes: Uint8Array, n: number): capa.Tensor {
  return capa.tensor(
    Float32Array.from(bytes, (v) => v / 255),
    [n, 28, 28, 1],
  );
}

/**
 * The wasm backend when its files are served next to this script (build.ts copies them): the
 * threads build when the page is cross-origin isolated, else single; the TypeScript backend if it
 * cannot load. Says which.
 */
async function chooseBackend(): Promise<string> {
  try {
    await capa.setBackend('wasm');
    const info = capa.wasmInfo();
    return `wasm (${info?.variant}, ${info?.threads} thread${info?.threads === 1 ? '' : 's'})`;
  } catch (error) {
    return `js (${error instanceof Error ? error.message : String(error)})`;
  }
}

self.onmessage = async (event: MessageEvent<{ epochs: number; batchSize: number }>) => {
  try {
    const { epochs, batchSize } = event.data;
    const backend = await chooseBackend();
    const data = await fetchSubset();
    const x = images(data.trainImages, SUBSET.train);
    const y = capa.utils.toCategorical(capa.tensor(Int32Array.from(data.trainLabels), [SUBSET.train], 'int32'), 10);
    const model = mnistCnn();
    const batches = Math.ceil(SUBSET.train / batchSize);
    let epoch = 0;
    const start = performance.now();
    await model.fit(x, y, {
      epochs,
      batchSize,
      verbose: 0,
      callbacks: [
        new capa.callbacks.LambdaCallback({
          onEpochBegin: (e) => {
            epoch = e;
          },
          onBatchEnd: (batch, logs) =>
            post({ type: 'batch', epoch, batch, batches, loss: Number(logs?.loss), accuracy: Number(logs?.accuracy) }),
          onEpochEnd: (e, logs) => post({ type: 'epoch', epoch: e, loss: Number(logs?.loss), accuracy: Number(logs?.accuracy) }),
        }),
      ],
    });
    const trainMs = performance.now() - start;
    const probabilities = await model.predict(images(data.testImages, SUBSET.test), { batchSize: 250 });
    const predictions = Array.from(await probabilities.argmax(-1).data());
    const correct = predictions.filter((p, i) => p === data.testLabels[i]).length;
    const bytes = await capa.models.saveModelToBytes(model, 'keras');
    post({ type: 'done', predictions, testAccuracy: correct / SUBSET.test, trainMs, backend, model: bytes }, [bytes.buffer]);
  } catch (error) {
    post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
};
