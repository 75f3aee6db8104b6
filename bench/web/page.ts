/// <reference lib="dom" />
/**
 * The browser side of `npm run bench:web` (bundled by bench/web/run.ts): one peer per page, set up
 * by `webBench.start(peer)`, then each workload timed in the page with bench/lib.ts's timeRuns.
 * capa runs through its public API; TensorFlow.js through tfjs-layers models of the same
 * architectures (random weights) on its wasm (XNNPACK, SIMD + threads when the page is
 * cross-origin isolated) or cpu backend, its .wasm files served next to this bundle.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfWasm from '@tensorflow/tfjs-backend-wasm';
import * as tfl from '@tensorflow/tfjs-layers';
import * as capa from '../../src/index.js';
import { timeRuns } from '../lib.js';
import { mnistCnn as capaMnistCnn } from '../peers/capa-models.js';
import { mnistCnn, mobilenetV2, resnet50 } from '../peers/tfjs-models.js';
import { timePeak } from '../wasm-peak.js';
import { type Peer, type WebWorkloadId, workloadNamed } from './workloads.js';

type Prepared = { run: () => unknown };

let peer: Peer | null = null;

async function start(name: Peer) {
  peer = name;
  const threads = navigator.hardwareConcurrency;
  if (name.startsWith('capa-')) {
    await capa.setBackend(name === 'capa-js' ? 'js' : 'wasm');
    return { backend: capa.getBackend(), wasm: capa.wasmInfo(), crossOriginIsolated };
  }
  tf.env().set('PROD', true);
  if (name === 'tfjs-wasm') {
    tfWasm.setWasmPaths(new URL('./', location.href).href);
    tfWasm.setThreadsCount(threads);
  }
  await tf.setBackend(name === 'tfjs-wasm' ? 'wasm' : 'cpu');
  await tf.ready();
  if (name === 'tfjs-cpu') return { backend: tf.getBackend(), threads: 1, crossOriginIsolated };
  return {
    backend: tf.getBackend(),
    simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'),
    multithread: await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'),
    // the threads XNNPACK's pool actually has (setThreadsCount asks for hardwareConcurrency)
    threads: tfWasm.getThreadsCount(),
    crossOriginIsolated,
  };
}

function oneHot(batch: number): { capa: () => capa.Tensor; tf: () => tf.Tensor } {
  const labels = Int32Array.from({ length: batch }, (_, i) => i % 10);
  return {
    capa: () => capa.utils.toCategorical(capa.tensor(labels, [batch], 'int32'), 10),
    tf: () => tf.oneHot(tf.tensor1d(labels, 'int32'), 10),
  };
}

function prepareCapa(id: WebWorkloadId): Prepared {
  if (id === 'conv-fwd') {
    const x = capa.randomNormal([8, 56, 56, 64], { seed: 1 });
    const k = capa.randomNormal([3, 3, 64, 64], { seed: 2 });
    return { run: () => capa.ops.conv2d(x, k, { padding: 'same' }).dataSync() };
  }
  if (id === 'mnist-cnn-train') {
    const model = capaMnistCnn(capa);
    const x = capa.randomUniform([64, 28, 28, 1], { seed: 1 });
    const y = oneHot(64).capa();
    return { run: () => model.trainOnBatch(x, y) };
  }
  const model = id === 'resnet50-fwd' ? capa.applications.ResNet50() : capa.applications.MobileNetV2();
  const x = capa.randomUniform([1, 224, 224, 3], { seed: 1 });
  return { run: () => model.predictOnBatch(x).dataSync() };
}

function prepareTf(id: WebWorkloadId): Prepared {
  if (id === 'conv-fwd') {
    const x = tf.randomNormal([8, 56, 56, 64]) as tf.Tensor4D;
    const k = tf.randomNormal([3, 3, 64, 64]) as tf.Tensor4D;
    return { run: () => tf.tidy(() => tf.conv2d(x, k, 1, 'same').dataSync()) };
  }
  if (id === 'mnist-cnn-train') {
    const model = mnistCnn(tfl);
    model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    const x = tf.randomUniform([64, 28, 28, 1]);
    const y = oneHot(64).tf();
    return { run: () => model.trainOnBatch(x, y) };
  }
  const model = id === 'resnet50-fwd' ? resnet50(tfl) : mobilenetV2(tfl);
  const x = tf.randomUniform([1, 224, 224, 3]);
  return { run: () => tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync()) };
}

/** Milliseconds of each timed run, or why the peer cannot run the workload. */
async function run(id: WebWorkloadId, reps: number): Promise<{ samplesMs: number[]; error: string | null }> {
  if (!peer) throw new Error('webBench.run: call webBench.start(peer) first');
  const w = workloadNamed(id);
  try {
    const prepared = peer.startsWith('capa-') ? prepareCapa(id) : prepareTf(id);
    const budgetMs = peer === 'capa-js' || peer === 'tfjs-cpu' ? w.slowBudgetMs : w.budgetMs;
    const samplesMs = await timeRuns(prepared.run, { reps, budgetMs, yieldBetween: true });
    return { samplesMs, error: null };
  } catch (error) {
    return { samplesMs: [], error: (error as Error).message.split('\n')[0] ?? String(error) };
  }
}

/** Floating-point operations of one prediction of capa's model: 2 x kernel weights x output positions, per Conv/Dense. */
function modelFlops(id: 'resnet50-fwd' | 'mobilenetv2-fwd'): number {
  const model = id === 'resnet50-fwd' ? capa.applications.ResNet50() : capa.applications.MobileNetV2();
  let flops = 0;
  for (const layer of model.layers) {
    const kind = layer.className;
    if (kind !== 'Conv2D' && kind !== 'DepthwiseConv2D' && kind !== 'Dense') continue;
    const kernel = layer.getWeights()[0];
    const out = layer.outputShape as (number | null)[];
    const positions = kind === 'Dense' ? 1 : (out[1] as number) * (out[2] as number);
    flops += 2 * (kernel?.size ?? 0) * positions;
  }
  return flops;
}

/** GFLOP/s of one thread of this browser on bench/wasm-peak.c's loop (served as wasm-peak.wasm). */
async function peak(): Promise<number | null> {
  const response = await fetch('wasm-peak.wasm');
  if (!response.ok) return null;
  const { instance } = await WebAssembly.instantiate(await response.arrayBuffer(), {});
  return timePeak(instance.exports.peak as (iters: number) => number);
}

const webBench = { start, run, modelFlops, peak };
export type WebBench = typeof webBench;
(globalThis as unknown as { webBench: WebBench }).webBench = webBench;
