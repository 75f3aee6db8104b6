/**
 * TensorFlow.js's webgpu backend on the workloads it shares with capa's side of bench:gpu (matmul,
 * conv, MobileNetV2 inference), timed the same way: until one element of the result is back on the
 * host. Runs in the Chromium page only (TF.js's webgpu backend is browser-only).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-webgpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { median, timeRuns } from '../lib.js';
import { mobilenetV2 } from '../peers/tfjs-models.js';
import { convFlops, convLabel, type GpuBenchOptions, type GpuBenchRow, gflops, matmulFlops } from './options.js';

/** Starts TF.js on webgpu; its adapter's name as TF.js sees it. */
export async function startTfjsWebGpu(): Promise<string> {
  if (!(await tf.setBackend('webgpu'))) throw new Error('TF.js: the webgpu backend could not start');
  await tf.ready();
  return tf.getBackend();
}

/** Median ms of `compute` (run inside tidy) until one element of its result is read; frees each result. */
async function medianMs(compute: () => tf.Tensor, o: GpuBenchOptions): Promise<number> {
  const run = async () => {
    const first = tf.tidy(() => tf.slice(tf.reshape(compute(), [-1]), [0], [1]));
    await first.data();
    first.dispose();
  };
  return median(await timeRuns(run, { reps: o.reps, budgetMs: o.budgetMs }));
}

export async function tfjsMatmul(o: GpuBenchOptions): Promise<GpuBenchRow> {
  const n = o.matmul;
  const a = tf.randomUniform([n, n], 0, 1, 'float32', 1);
  const b = tf.randomUniform([n, n], 0, 1, 'float32', 2);
  const ms = await medianMs(() => tf.matMul(a, b), o);
  tf.dispose([a, b]);
  return { workload: 'matmul', label: `matmul ${n}³`, ms, rate: gflops(matmulFlops(n), ms) };
}

export async function tfjsConv(o: GpuBenchOptions): Promise<GpuBenchRow> {
  const [batch, height, width, channels, filters] = o.conv;
  const x = tf.randomUniform([batch, height, width, channels], 0, 1, 'float32', 1) as tf.Tensor4D;
  const k = tf.randomUniform([3, 3, channels, filters], 0, 1, 'float32', 2) as tf.Tensor4D;
  const ms = await medianMs(() => tf.conv2d(x, k, 1, 'same'), o);
  tf.dispose([x, k]);
  return { workload: 'conv', label: convLabel(o.conv), ms, rate: gflops(convFlops(o.conv), ms) };
}

export async function tfjsMobilenet(o: GpuBenchOptions): Promise<GpuBenchRow> {
  const size = o.mobilenet;
  const model = mobilenetV2(tfl, size);
  const x = tf.randomUniform([1, size, size, 3], 0, 1, 'float32', 1);
  const ms = await medianMs(() => model.predict(x) as tf.Tensor, o);
  tf.dispose(x);
  model.dispose();
  return { workload: 'mobilenet', label: `MobileNetV2 inference, batch 1, ${size}²`, ms, rate: '' };
}
