/// <reference lib="dom" />
/**
 * What the headless-Chromium harness runs inside the page (bundled for the browser by esbuild):
 * each check returns plain data that the Node side (test/browser/chromium.test.ts) compares with
 * what Node computes or with the PyTorch fixtures.
 */
import * as capa from '../../../src/index.js';
import { lossOf, type OpCase, toTensor } from '../../conformance/fixture-cases.js';
import { runOp } from '../../conformance/op-table.js';
import { notebookSummaries, probeInputs, smallClassifier } from './notebook-models.js';

async function fetchJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

/** Each case's outputs and input gradients, computed here, for Node to compare with the fixture. */
async function conformance(families: readonly string[]) {
  const results: { family: string; name: string; outputs: number[][]; shapes: number[][]; grads: (number[] | null)[] }[] = [];
  for (const family of families) {
    const { cases } = await fetchJson<{ cases: OpCase[] }>(`fixtures/ops/${family}.json`);
    for (const c of cases) {
      const outs = runOp(c.op, c.inputs.map(toTensor), c.attrs);
      const grads: (number[] | null)[] = c.inputs.map(() => null);
      if (c.grads.some((g) => g)) {
        const { diffIndices, inputs, f } = lossOf(c, (all) => runOp(c.op, all, c.attrs));
        const g = capa.valueAndGrads(f)(diffIndices.map((k) => inputs[k] as capa.Tensor)).grads;
        diffIndices.forEach((k, j) => {
          grads[k] = Array.from((g[j] as capa.Tensor).dataSync());
        });
      }
      results.push({
        family,
        name: c.name,
        outputs: outs.map((o) => Array.from(o.dataSync())),
        shapes: outs.map((o) => o.shape),
        grads,
      });
    }
  }
  return results;
}

/** Two separable blobs: fit must reach high accuracy, and the page must keep turning its event loop. */
async function training() {
  capa.setSeed(3);
  const n = 256;
  const x = capa.randomNormal([n, 2], { seed: 1 });
  const xs = x.dataSync();
  const labels = Array.from({ length: n }, (_, i) => ((xs[2 * i] as number) + (xs[2 * i + 1] as number) > 0 ? 1 : 0));
  const y = capa.utils.toCategorical(capa.tensor(labels, [n], 'int32'), 2);
  const model = new capa.Sequential();
  model.add(new capa.layers.Dense(16, { inputShape: [2], activation: 'relu' }));
  model.add(new capa.layers.Dense(2, { activation: 'softmax' }));
  model.compile({
    optimizer: new capa.optimizers.Adam({ learningRate: 0.05 }),
    loss: 'categorical_crossentropy',
    metrics: ['accuracy'],
  });
  let ticks = 0;
  const timer = setInterval(() => {
    ticks++;
  }, 0);
  const start = performance.now();
  const history = await model.fit(x, y, { epochs: 8, batchSize: 16, verbose: 0 });
  const ms = performance.now() - start;
  clearInterval(timer);
  return { loss: history.history.loss as number[], accuracy: history.history.accuracy as number[], ticks, ms };
}

async function predictions(model: capa.Model): Promise<number[]> {
  return Array.from(await (await model.predict(probeInputs())).data());
}

/** The keys in capa's IndexedDB store (a failed save must leave no temporary entry behind). */
function storedKeys(): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('capa-models');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const request = open.result.transaction('models', 'readonly').objectStore('models').getAllKeys();
      request.onsuccess = () => {
        open.result.close();
        resolve(request.result.map(String));
      };
      request.onerror = () => reject(request.error);
    };
  });
}

/** Save to IndexedDB, load back; then a save that fails halfway must leave the saved model. */
async function indexedDb() {
  const first = smallClassifier();
  const before = await predictions(first);
  await first.save('indexeddb://harness-model');
  const after = await predictions(await capa.models.loadModel('indexeddb://harness-model'));

  // A second, different model whose save fails while writing: the first must survive.
  capa.setSeed(99);
  const second = new capa.Sequential();
  second.add(new capa.layers.Dense(16, { inputShape: [4], activation: 'relu' }));
  second.add(new capa.layers.Dense(3, { activation: 'softmax' }));
  // The temporary copy is written; swapping it over the name then fails (as a full disk would).
  const store = IDBObjectStore.prototype;
  const put = store.put;
  store.put = function failingPut(this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
    if (String(key).includes('\u0000saving')) return put.call(this, value, key);
    throw new DOMException('simulated: the quota is exceeded', 'QuotaExceededError');
  };
  let failedSave = '';
  try {
    await second.save('indexeddb://harness-model');
  } catch (error) {
    failedSave = (error as Error).message;
  } finally {
    store.put = put;
  }
  const keys = await storedKeys();
  const survivor = await predictions(await capa.models.loadModel('indexeddb://harness-model'));
  let missing = '';
  try {
    await capa.models.loadModel('indexeddb://no-such-model');
  } catch (error) {
    missing = (error as Error).message;
  }
  return { before, after, failedSave, survivor, missing, keys };
}

/** Models Node saved next to the page, fetched by URL and from File objects; bad URLs and files. */
async function fetchModels() {
  const fromUrl: Record<string, number[]> = {};
  for (const url of ['models/small.keras', 'models/small.h5', 'models/tfjs/model.json'])
    fromUrl[url] = await predictions(await capa.models.loadModel(url));
  const bytes = new Uint8Array(await (await fetch('models/small.keras')).arrayBuffer());
  const fromFile = await predictions(await capa.models.loadModel(new File([bytes], 'small.keras')));
  const errorOf = async (source: string | File) => {
    try {
      await capa.models.loadModel(source);
      return 'no error';
    } catch (error) {
      return (error as Error).message;
    }
  };
  return {
    fromUrl,
    fromFile,
    notFound: await errorOf('models/missing.keras'),
    notAModel: await errorOf(new File([new TextEncoder().encode('hello, not a model')], 'notes.txt')),
  };
}

/** Pixels to a canvas (toPixels) and back (loadImg from the canvas and from a PNG Blob of it). */
async function images() {
  const values = Array.from({ length: 3 * 4 * 3 }, (_, i) => (i * 37) % 256);
  const canvas = new OffscreenCanvas(1, 1);
  await capa.utils.toPixels(capa.tensor(values, [3, 4, 3], 'int32'), canvas);
  const fromCanvas = capa.preprocessing.image.imgToArray(await capa.preprocessing.image.loadImg(canvas));
  const png = await canvas.convertToBlob({ type: 'image/png' });
  const fromBlob = capa.preprocessing.image.imgToArray(await capa.preprocessing.image.loadImg(png));
  return { values, canvas: Array.from(fromCanvas.dataSync()), shape: fromCanvas.shape, blob: Array.from(fromBlob.dataSync()) };
}

/** Switches the page to `name` (`await setBackend`, which fetches the wasm module), saying what runs. */
async function useBackend(name: capa.BackendName) {
  try {
    await capa.setBackend(name);
  } catch (error) {
    return { backend: capa.getBackend(), error: (error as Error).message, wasm: capa.wasmInfo() };
  }
  return { backend: capa.getBackend(), error: null, wasm: capa.wasmInfo() };
}

const checks = {
  backend: () => capa.getBackend(),
  useBackend,
  setWasmPaths: (prefix: string) => capa.setWasmPaths(prefix),
  summaries: () => notebookSummaries(),
  conformance,
  training,
  indexedDb,
  fetchModels,
  images,
};

export type Checks = typeof checks;
(globalThis as unknown as { capaChecks: Checks }).capaChecks = checks;
