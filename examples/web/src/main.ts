/// <reference lib="dom" />
/**
 * The notebook "Redes profundas" as a page: its cells (Dense models, VGG19 block by block, a
 * model called on a random tensor) with their summaries, then an MNIST convnet trained in a Web
 * Worker with live curves, the test-set confusion matrix and classification report, sample
 * predictions, and a pad to draw a digit on.
 */
import * as capa from 'capa';
import { runNotebook } from '../../01-redes-profundas.js';
import { Curves } from './charts.js';
import { DrawPad } from './draw-pad.js';
import { fetchSubset, SUBSET } from './mnist-subset.js';
import type { WorkerMessage } from './train-worker.js';

const EPOCHS = 4;
const BATCH_SIZE = 32;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const status = (text: string) => {
  $('status').textContent = text;
};

/** Exposed for the browser test (test/browser/web-page.test.ts) and for curious users in the console. */
const state: {
  notebook: string;
  trained: boolean;
  testAccuracy: number | null;
  trainMs: number | null;
  /** The backend the worker trained on, and why not wasm when it fell back to js. */
  trainBackend: string | null;
  drawn: number | null;
  error: string | null;
} = {
  notebook: '',
  trained: false,
  testAccuracy: null,
  trainMs: null,
  trainBackend: null,
  drawn: null,
  error: null,
};
(globalThis as unknown as { capaPage: typeof state }).capaPage = state;

function notebookCells(): void {
  const lines: string[] = [];
  runNotebook((line) => lines.push(line));
  state.notebook = `${lines.join('\n')}\n`;
  $('notebook').textContent = state.notebook;
}

function digitCanvas(pixels: Uint8Array): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  void capa.utils.toPixels(capa.tensor(Int32Array.from(pixels), [28, 28, 1], 'int32'), canvas);
  return canvas;
}

async function showResults(predictions: number[]): Promise<void> {
  const data = await fetchSubset();
  const truth = Array.from(data.testLabels);
  const labels = Array.from({ length: 10 }, (_, i) => i);
  const cm = capa.metrics.confusionMatrix(truth, predictions, { labels });
  $('confusion').textContent = `${cm.map((row) => row.map((v) => String(v).padStart(4)).join('')).join('\n')}`;
  $('report').textContent = capa.metrics.classificationReport(truth, predictions, { digits: 3 }) as string;
  const samples = $('samples');
  samples.replaceChildren();
  for (let i = 0; i < 24; i++) {
    const figure = document.createElement('figure');
    figure.append(digitCanvas(data.testImages.subarray(i * 784, (i + 1) * 784)));
    const caption = document.createElement('figcaption');
    caption.textContent = `${predictions[i]}`;
    caption.className = predictions[i] === truth[i] ? 'right' : 'wrong';
    figure.append(caption);
    samples.append(figure);
  }
}

function train(): void {
  ($('train') as HTMLButtonElement).disabled = true;
  const curves = new Curves($('curves'));
  const progress = $<HTMLProgressElement>('progress');
  const worker = new Worker(new URL('./train-worker.js', import.meta.url), { type: 'module' });
  status(`Training on ${SUBSET.train} images for ${EPOCHS} epochs in a Web Worker...`);
  worker.onmessage = async (event: MessageEvent<WorkerMessage>) => {
    const m = event.data;
    if (m.type === 'batch') {
      progress.value = (m.epoch * m.batches + m.batch + 1) / (EPOCHS * m.batches);
      curves.add(m.loss, m.accuracy);
    } else if (m.type === 'epoch') {
      status(`Epoch ${m.epoch + 1}/${EPOCHS}: loss ${m.loss.toFixed(4)}, accuracy ${m.accuracy.toFixed(4)}`);
    } else if (m.type === 'error') {
      state.error = m.message;
      status(`Training failed: ${m.message}`);
    } else {
      worker.terminate();
      model = await capa.models.loadModelFromBytes(m.model);
      await showResults(m.predictions);
      state.testAccuracy = m.testAccuracy;
      state.trainMs = m.trainMs;
      state.trainBackend = m.backend;
      state.trained = true;
      status(
        `Trained in ${(m.trainMs / 1000).toFixed(1)} s on the ${m.backend.replace(/ \(.*/, '')} backend: test accuracy ${(m.testAccuracy * 100).toFixed(1)}% on ${SUBSET.test} images. Draw a digit below.`,
      );
    }
  };
  worker.postMessage({ epochs: EPOCHS, batchSize: BATCH_SIZE });
}

let model: capa.Model | null = null;

async function classifyDrawing(pad: DrawPad): Promise<void> {
  if (!model) {
    $('drawn').textContent = 'Train the model first.';
    return;
  }
  const probabilities = await (await model.predict(await pad.input())).data();
  const best = probabilities.indexOf(Math.max(...probabilities));
  state.drawn = best;
  $('drawn').textContent = `${best} (${(100 * (probabilities[best] as number)).toFixed(1)}%)`;
}

window.addEventListener('load', () => {
  const pad: DrawPad = new DrawPad($('pad'), () => void classifyDrawing(pad));
  $('clear').addEventListener('click', () => {
    pad.clear();
    $('drawn').textContent = '';
  });
  $('train').addEventListener('click', train);
  // first paint, then the notebook's cells (they take a few seconds on the TypeScript backend)
  setTimeout(() => {
    try {
      notebookCells();
    } catch (error) {
      state.error = String(error);
    }
    if (new URLSearchParams(location.search).has('train')) train();
  }, 0);
});
