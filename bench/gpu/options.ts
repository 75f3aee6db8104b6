/**
 * What `npm run bench:gpu` measures and how long it may take, parsed from its command line; the
 * same options travel to the page when it runs in Chromium (plain data, no Node APIs here).
 */

/** The workloads, in the order they run. */
export const GPU_WORKLOADS = ['matmul', 'conv', 'mobilenet', 'mnist', 'resnet', 'resnet-train'] as const;
export type GpuWorkload = (typeof GPU_WORKLOADS)[number];

export interface GpuBenchOptions {
  /** Square matmul size n (n x n times n x n). */
  matmul: number;
  /** 3x3 'same' convolution: batch, height, width, input channels, filters. */
  conv: [number, number, number, number, number];
  /** MobileNetV2 inference input size (224 is Keras's; batch 1). */
  mobilenet: number;
  mnistBatch: number;
  /** ResNet50 input size (224 with the classifier; others measure the convolutional base). */
  resnet: number;
  /** Timed runs per figure (after one warm-up); fewer when a figure's time budget runs out. */
  reps: number;
  budgetMs: number;
  skip: GpuWorkload[];
}

export interface GpuBenchRow {
  workload: GpuWorkload;
  /** What was run, with its size. */
  label: string;
  /** Median milliseconds per run. */
  ms: number;
  /** The figure in its own unit (GFLOP/s, samples/s), or '' where milliseconds are the figure. */
  rate: string;
}

const DEFAULTS: GpuBenchOptions = {
  matmul: 2048,
  conv: [8, 56, 56, 64, 64],
  mobilenet: 224,
  mnistBatch: 64,
  resnet: 224,
  reps: 3,
  budgetMs: 60_000,
  skip: [],
};

function positive(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`bench:gpu: --${flag} expects a positive integer, got '${text}'`);
  return n;
}

/** Parses `--matmul 1024 --conv 1,28,28,32,32 --skip resnet,resnet-train ...`; unknown flags are errors. */
export function parseGpuBenchOptions(argv: readonly string[], known: readonly string[] = []): GpuBenchOptions {
  const options: GpuBenchOptions = { ...DEFAULTS, conv: [...DEFAULTS.conv], skip: [] };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] as string;
    if (known.includes(flag)) {
      i++;
      continue;
    }
    const value = argv[i + 1];
    if (!flag.startsWith('--') || value === undefined) throw new Error(`bench:gpu: expected '--option value', got '${flag}'`);
    const name = flag.slice(2);
    i++;
    if (name === 'matmul') options.matmul = positive(name, value);
    else if (name === 'mobilenet') options.mobilenet = positive(name, value);
    else if (name === 'mnist-batch') options.mnistBatch = positive(name, value);
    else if (name === 'resnet') options.resnet = positive(name, value);
    else if (name === 'reps') options.reps = positive(name, value);
    else if (name === 'budget-s') options.budgetMs = positive(name, value) * 1000;
    else if (name === 'conv') {
      const parts = value.split(',').map((p) => positive(name, p));
      if (parts.length !== 5) throw new Error(`bench:gpu: --conv expects batch,height,width,channels,filters, got '${value}'`);
      options.conv = parts as GpuBenchOptions['conv'];
    } else if (name === 'skip') {
      for (const w of value.split(',').filter(Boolean)) {
        if (!(GPU_WORKLOADS as readonly string[]).includes(w))
          throw new Error(`bench:gpu: --skip names unknown workload '${w}' (known: ${GPU_WORKLOADS.join(', ')})`);
        options.skip.push(w as GpuWorkload);
      }
    } else throw new Error(`bench:gpu: unknown option ${flag}`);
  }
  return options;
}

export const gflops = (flops: number, ms: number): string => `${(flops / ms / 1e6).toPrecision(3)} GFLOP/s`;
export const matmulFlops = (n: number): number => 2 * n ** 3;
export const convFlops = ([batch, height, width, channels, filters]: GpuBenchOptions['conv']): number =>
  2 * batch * height * width * filters * 9 * channels;
export const convLabel = ([batch, height, width, channels, filters]: GpuBenchOptions['conv']): string =>
  `conv2d 3x3 same ${batch}x${height}x${width}x${channels} -> ${filters}`;
