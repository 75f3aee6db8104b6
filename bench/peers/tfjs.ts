/**
 * TensorFlow.js's side of the benchmark on its `cpu` (pure JavaScript) or `wasm` (XNNPACK, SIMD,
 * single-threaded in Node) backend, chosen by --variant. The .wasm files load from node_modules.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as wasm from '@tensorflow/tfjs-backend-wasm';
import * as tfl from '@tensorflow/tfjs-layers';
import { type PeerResults, parsePeerArgs, printResults, SEQUENCE, timeRuns, toUnit, WORKLOADS, type Workload } from '../lib.js';
import { mlp, mnistCnn, recurrent, resnet50, vgg19 } from './tfjs-models.js';
import { transformerTraining } from './tfjs-transformer.js';

const args = parsePeerArgs(process.argv);
const backend = args.variant === 'wasm' ? 'wasm' : 'cpu';

/** Hours per run on the JavaScript backend (the issue measured its CNN training at 0.55 samples/s). */
const SLOW_ON_CPU = new Set([
  'sgemm-2048-1t',
  'sgemm-2048-2t',
  'conv-fwd-bwd',
  'mnist-cnn-train',
  'vgg19-fwd',
  'resnet50-train',
  'lstm-train',
  'gru-train',
  'transformer-train',
]);
/** TensorFlow.js's wasm backend has no Conv2DBackpropFilter kernel: it cannot train a CNN. */
const NO_KERNEL_ON_WASM = new Set(['conv-fwd-bwd', 'mnist-cnn-train', 'resnet50-train']);

function oneHot(batch: number, classes: number): tf.Tensor {
  return tf.oneHot(
    tf.tensor1d(
      Int32Array.from({ length: batch }, (_, i) => i % classes),
      'int32',
    ),
    classes,
  );
}

function prepare(w: Workload): { run: () => unknown; samplesPerRun?: number } {
  if (w.id.startsWith('sgemm')) {
    const n = w.id.includes('2048') ? 2048 : 1024;
    const a = tf.randomUniform([n, n]);
    const b = tf.randomUniform([n, n]);
    return { run: () => tf.tidy(() => tf.matMul(a, b).dataSync()) };
  }
  if (w.id.startsWith('conv')) {
    const x = tf.randomNormal([8, 56, 56, 64]) as tf.Tensor4D;
    const k = tf.randomNormal([3, 3, 64, 64]) as tf.Tensor4D;
    if (w.id === 'conv-fwd') return { run: () => tf.tidy(() => tf.conv2d(x, k, 1, 'same').dataSync()) };
    const dy = tf.randomNormal([8, 56, 56, 64]) as tf.Tensor4D;
    const grads = tf.grads((a, b) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same'));
    return { run: () => tf.tidy(() => grads([x, k], dy).map((g) => g.dataSync())) };
  }
  if (w.id === 'mnist-cnn-train' || w.id === 'mlp-train') {
    const cnn = w.id === 'mnist-cnn-train';
    const model = cnn ? mnistCnn(tfl) : mlp(tfl);
    model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    const batch = cnn ? 64 : 128;
    const x = cnn ? tf.randomUniform([64, 28, 28, 1]) : tf.randomNormal([128, 100]);
    const y = oneHot(batch, 10);
    return { run: () => model.trainOnBatch(x, y), samplesPerRun: batch };
  }
  if (w.id === 'vgg19-fwd' || w.id === 'resnet50-fwd') {
    const model = w.id === 'vgg19-fwd' ? vgg19(tfl) : resnet50(tfl);
    const x = tf.randomUniform([1, 224, 224, 3]);
    return { run: () => tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync()) };
  }
  if (w.id === 'resnet50-train') {
    const model = resnet50(tfl);
    model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'categoricalCrossentropy' });
    const x = tf.randomUniform([8, 224, 224, 3]);
    const y = oneHot(8, 1000);
    return { run: () => model.trainOnBatch(x, y) };
  }
  if (w.id === 'lstm-train' || w.id === 'gru-train') {
    const model = recurrent(tfl, w.id === 'lstm-train' ? 'lstm' : 'gru');
    model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    const { batch, steps, features } = SEQUENCE.recurrent;
    const x = tf.randomNormal([batch, steps, features]);
    const y = tf.randomNormal([batch, SEQUENCE.classes]);
    return { run: () => model.trainOnBatch(x, y) };
  }
  // tfjs-layers has no attention layer: the encoder is written in tfjs-core ops.
  if (w.id === 'transformer-train') return { run: transformerTraining(tf).step };
  throw new Error(`unknown workload ${w.id}`);
}

async function main(): Promise<void> {
  tf.env().set('PROD', true);
  if (backend === 'wasm') {
    const req = createRequire(import.meta.url);
    wasm.setWasmPaths(`${dirname(req.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`);
  }
  await tf.setBackend(backend);
  await tf.ready();
  const results: PeerResults = {};
  for (const w of WORKLOADS) {
    if (!args.items.has(w.id)) continue;
    if (backend === 'wasm' && NO_KERNEL_ON_WASM.has(w.id)) {
      results[w.id] = { value: null, samplesMs: [], note: 'no Conv2DBackpropFilter kernel' };
      continue;
    }
    if (backend === 'cpu' && SLOW_ON_CPU.has(w.id) && !args.full) {
      results[w.id] = { value: null, samplesMs: [], note: 'minutes per run; --full' };
      continue;
    }
    const { run, samplesPerRun } = prepare(w);
    const samplesMs = await timeRuns(run, { reps: args.reps, budgetMs: w.budgetMs });
    results[w.id] = { value: toUnit(w, samplesMs, samplesPerRun), samplesMs, note: 'single-threaded' };
    console.error(`tfjs-${backend} ${w.id}: ${results[w.id]?.value?.toFixed(2)} ${w.unit}`);
  }
  printResults(results);
}

await main();
