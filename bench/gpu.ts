/**
 * `npm run bench:gpu`: capa's webgpu backend on whatever adapter is present (its name printed):
 * achieved GFLOP/s of a square matmul and a 3x3 convolution, MNIST convnet training samples/s
 * (gradients and Adam on the GPU, the loss read once per step), and ResNet50 inference time.
 * Each figure is the median of --reps timed runs after one warm-up; a run ends when its result
 * has been read back, so the time includes the GPU's work, not only its recording.
 *
 *   npm run bench:gpu [-- --matmul 2048] [--conv 8,56,56,64,64] [--mnist-batch 64] [--resnet 224] [--reps 3] [--skip resnet]
 *
 * Sizes are selectable because SwiftShader (a CPU Vulkan, what a machine without a GPU offers) is
 * slow: `--matmul 512 --conv 1,28,28,32,32 --resnet 96` finishes in about a minute there. Without an
 * ICD in the environment, SwiftShader's from Debian's chromium package is used when present.
 */
import { existsSync } from 'node:fs';
import { backendNamed } from '../src/backend/registry.js';
import type { WebGpuBackend } from '../src/backend/webgpu/backend.js';
import * as capa from '../src/index.js';

const { ops, layers } = capa;
const argv = process.argv.slice(2);
const opt = (name: string, fallback: string): string => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? (argv[i + 1] ?? fallback) : fallback;
};
const reps = Number(opt('reps', '3'));
const skip = new Set(opt('skip', '').split(',').filter(Boolean));
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/** Median milliseconds of `run`, each run awaited until its result is back on the host. */
async function time(run: () => Promise<unknown>): Promise<number> {
  await run();
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  return median(times);
}

/** One element of t read back: waits for everything t depends on without copying all of it. */
async function settle(t: capa.Tensor): Promise<void> {
  await ops.slice(ops.reshape(t, [-1]), [0], [1]).data();
}

async function benchMatmul(): Promise<string> {
  const n = Number(opt('matmul', '2048'));
  const a = capa.randomUniform([n, n], { seed: 1 });
  const b = capa.randomUniform([n, n], { seed: 2 });
  const ms = await time(() => settle(ops.matmul(a, b)));
  return `matmul ${n}³: ${ms.toFixed(1)} ms, ${((2 * n ** 3) / ms / 1e6).toPrecision(3)} GFLOP/s`;
}

async function benchConv(): Promise<string> {
  const [batch, size, , channels, filters] = opt('conv', '8,56,56,64,64').split(',').map(Number) as number[];
  const x = capa.randomUniform([batch!, size!, size!, channels!], { seed: 1 });
  const k = capa.randomUniform([3, 3, channels!, filters!], { seed: 2 });
  const ms = await time(() => settle(ops.conv2d(x, k, { padding: 'same' })));
  const flops = 2 * batch! * size! * size! * filters! * 9 * channels!;
  return `conv2d 3x3 ${batch}x${size}x${size}x${channels} -> ${filters}: ${ms.toFixed(1)} ms, ${(flops / ms / 1e6).toPrecision(3)} GFLOP/s`;
}

async function benchMnist(): Promise<string> {
  const batch = Number(opt('mnist-batch', '64'));
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
  const y = ops.oneHot(
    Array.from({ length: batch }, (_, i) => i % 10),
    10,
  );
  const optimizer = new capa.optimizers.Adam();
  const weights = model.trainableWeights;
  // softmax cross-entropy from ops, so the whole step stays on the GPU (fit's fused loss reads on the host)
  const step = async () => {
    const { value, grads } = capa.variableGrads(
      () => ops.neg(ops.mean(ops.sum(ops.mul(y, ops.logSoftmax(model.apply(x) as capa.Tensor)), -1))),
      weights,
    );
    optimizer.applyGradients(weights.map((w, i) => [grads[i]!, w] as const));
    await value.data();
  };
  const ms = await time(step);
  return `MNIST convnet train step, batch ${batch}: ${ms.toFixed(1)} ms, ${((batch / ms) * 1000).toFixed(1)} samples/s`;
}

async function benchResnet(): Promise<string> {
  const size = Number(opt('resnet', '224'));
  // Keras's classifier head needs 224²; other sizes measure the convolutional base
  const model = (
    size === 224 ? capa.applications.ResNet50() : capa.applications.ResNet50({ includeTop: false, inputShape: [size, size, 3] })
  ) as capa.Model;
  const x = capa.randomUniform([1, size, size, 3], { seed: 1 });
  const ms = await time(() => settle(model.apply(x) as capa.Tensor));
  return `ResNet50 inference, batch 1, ${size}²${size === 224 ? '' : ' (no top)'}: ${ms.toFixed(1)} ms`;
}

async function main(): Promise<void> {
  if (process.env.VK_ICD_FILENAMES === undefined && existsSync(SWIFTSHADER_ICD)) process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  try {
    await capa.setBackend('webgpu');
  } catch (err) {
    console.error((err as Error).message);
    process.exitCode = 1;
    return;
  }
  const gpu = backendNamed('webgpu') as WebGpuBackend;
  console.log(`webgpu adapter: ${gpu.adapterName}`);
  const benches: [string, () => Promise<string>][] = [
    ['matmul', benchMatmul],
    ['conv', benchConv],
    ['mnist', benchMnist],
    ['resnet', benchResnet],
  ];
  for (const [name, bench] of benches) {
    if (skip.has(name)) continue;
    try {
      console.log(await bench());
    } catch (err) {
      console.log(`${name}: failed: ${(err as Error).message}`);
    }
  }
  console.log(`(${gpu.stats.dispatches} dispatches, ${gpu.stats.submits} submits, ${gpu.stats.maps} buffer maps)`);
}

await main();
