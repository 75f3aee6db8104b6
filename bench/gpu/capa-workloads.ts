/**
 * capa's side of `npm run bench:gpu` on its webgpu backend, the same code in Node (Dawn) and in a
 * Chromium page (navigator.gpu): each workload is timed until its result is back on the host, so a
 * figure includes the GPU's work, not only its recording.
 */
import * as capa from '../../src/index.js';
import { median, timeRuns } from '../lib.js';
import {
  convFlops,
  convLabel,
  GPU_WORKLOADS,
  type GpuBenchOptions,
  type GpuBenchRow,
  type GpuWorkload,
  gflops,
  matmulFlops,
} from './options.js';

const { ops, layers } = capa;

/** One element of t read back: waits for everything t depends on without copying all of it. */
async function settle(t: capa.Tensor): Promise<void> {
  await ops.slice(ops.reshape(t, [-1]), [0], [1]).data();
}

async function medianMs(run: () => Promise<unknown>, o: GpuBenchOptions): Promise<number> {
  return median(await timeRuns(run, { reps: o.reps, budgetMs: o.budgetMs }));
}

/** A training step whose gradients and Adam update stay on the GPU; only the loss is read. */
function trainStep(model: capa.Model, x: capa.Tensor, loss: (out: capa.Tensor) => capa.Tensor): () => Promise<void> {
  const optimizer = new capa.optimizers.Adam();
  const weights = model.trainableWeights;
  return async () => {
    const { value, grads } = capa.variableGrads(() => loss(model.apply(x, { training: true }) as capa.Tensor), weights);
    optimizer.applyGradients(weights.map((w, i) => [grads[i]!, w] as const));
    await value.data();
  };
}

/** Mean softmax cross-entropy of logits against one-hot labels, from ops (fit's fused loss reads on the host). */
const crossEntropy = (labels: capa.Tensor) => (logits: capa.Tensor) =>
  ops.neg(ops.mean(ops.sum(ops.mul(labels, ops.logSoftmax(logits)), -1)));

const oneHotRows = (batch: number, classes: number): capa.Tensor =>
  ops.oneHot(
    Array.from({ length: batch }, (_, i) => i % classes),
    classes,
  );

const WORKLOADS: Record<GpuWorkload, (o: GpuBenchOptions) => Promise<GpuBenchRow>> = {
  async matmul(o) {
    const n = o.matmul;
    const a = capa.randomUniform([n, n], { seed: 1 });
    const b = capa.randomUniform([n, n], { seed: 2 });
    const ms = await medianMs(() => settle(ops.matmul(a, b)), o);
    return { workload: 'matmul', label: `matmul ${n}³`, ms, rate: gflops(matmulFlops(n), ms) };
  },
  async conv(o) {
    const [batch, height, width, channels, filters] = o.conv;
    const x = capa.randomUniform([batch, height, width, channels], { seed: 1 });
    const k = capa.randomUniform([3, 3, channels, filters], { seed: 2 });
    const ms = await medianMs(() => settle(ops.conv2d(x, k, { padding: 'same' })), o);
    return { workload: 'conv', label: convLabel(o.conv), ms, rate: gflops(convFlops(o.conv), ms) };
  },
  async mobilenet(o) {
    const size = o.mobilenet;
    const model = capa.applications.MobileNetV2(size === 224 ? {} : { inputShape: [size, size, 3] });
    const x = capa.randomUniform([1, size, size, 3], { seed: 1 });
    const ms = await medianMs(() => settle(model.apply(x) as capa.Tensor), o);
    return { workload: 'mobilenet', label: `MobileNetV2 inference, batch 1, ${size}²`, ms, rate: '' };
  },
  async mnist(o) {
    const batch = o.mnistBatch;
    capa.setSeed(1);
    const model = new capa.Sequential([
      new layers.Conv2D(32, 3, { activation: 'relu', inputShape: [28, 28, 1] }),
      new layers.Conv2D(64, 3, { activation: 'relu' }),
      new layers.MaxPooling2D(2),
      new layers.Flatten(),
      new layers.Dense(128, { activation: 'relu' }),
      new layers.Dense(10),
    ]);
    const x = capa.randomUniform([batch, 28, 28, 1], { seed: 1 });
    const ms = await medianMs(trainStep(model, x, crossEntropy(oneHotRows(batch, 10))), o);
    return {
      workload: 'mnist',
      label: `MNIST convnet train step, batch ${batch}`,
      ms,
      rate: `${((batch / ms) * 1000).toFixed(1)} samples/s`,
    };
  },
  async resnet(o) {
    const size = o.resnet;
    const x = capa.randomUniform([1, size, size, 3], { seed: 1 });
    const ms = await medianMs(() => settle(resnet50(size).apply(x) as capa.Tensor), o);
    return { workload: 'resnet', label: `ResNet50 inference, batch 1, ${size}²${size === 224 ? '' : ' (no top)'}`, ms, rate: '' };
  },
  async 'resnet-train'(o) {
    const size = o.resnet;
    const model = resnet50(size, null);
    const x = capa.randomUniform([1, size, size, 3], { seed: 1 });
    const loss = size === 224 ? crossEntropy(oneHotRows(1, 1000)) : (out: capa.Tensor) => ops.mean(ops.square(out));
    const ms = await medianMs(trainStep(model, x, loss), o);
    return {
      workload: 'resnet-train',
      label: `ResNet50 train step (Adam), batch 1, ${size}²${size === 224 ? '' : ' (no top)'}`,
      ms,
      rate: '',
    };
  },
};

/** Keras's ResNet50; its classifier needs 224², other sizes give the convolutional base. */
function resnet50(size: number, classifierActivation: 'softmax' | null = 'softmax'): capa.Model {
  return size === 224
    ? capa.applications.ResNet50({ classifierActivation })
    : capa.applications.ResNet50({ includeTop: false, inputShape: [size, size, 3] });
}

/** Runs the workloads not skipped, reporting each row (or its failure) as it finishes. */
export async function runCapaWorkloads(
  o: GpuBenchOptions,
  report: (row: GpuBenchRow | { workload: GpuWorkload; error: string }) => void | Promise<void>,
): Promise<void> {
  for (const workload of GPU_WORKLOADS) {
    if (o.skip.includes(workload)) continue;
    let result: GpuBenchRow | { workload: GpuWorkload; error: string };
    try {
      result = await WORKLOADS[workload](o);
    } catch (err) {
      result = { workload, error: (err as Error).message };
    }
    await report(result);
  }
}
