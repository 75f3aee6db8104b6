/** Shared pieces of the benchmark: workload list, timing, and the result format peers print. */

export type Unit = 'GFLOP/s' | 'ms' | 'samples/s';

/**
 * Peers that are anchors rather than general peers: each runs only the workloads that name it in
 * `anchors` (OpenBLAS the GEMMs, ONNX Runtime the inference models).
 */
export const ANCHOR_PEERS = ['openblas', 'onnxruntime'] as const;
export type AnchorPeer = (typeof ANCHOR_PEERS)[number];

export interface Workload {
  id: string;
  title: string;
  unit: Unit;
  /** Threads the workload runs with (peers that cannot thread run single-threaded and say so). */
  threads: 1 | 2;
  /** Floating-point operations of one run (for GFLOP/s), when meaningful. */
  flops?: number;
  /** Time budget per peer, ms: stop repeating once spent (at least one timed run). */
  budgetMs: number;
  /** Samples one run processes (for samples/s). */
  samplesPerRun?: number;
  /** The anchor peers that also run it. */
  anchors?: readonly AnchorPeer[];
  /**
   * When set, the only general peers that run it: a row that measures a peer's mode capa has no
   * counterpart for yet (PyTorch's bf16 autocast) is run by that peer alone.
   */
  only?: readonly string[];
}

const conv = 2 * 8 * 56 * 56 * 64 * 3 * 3 * 64;

export const WORKLOADS: Workload[] = [
  ...[1024, 2048].flatMap((n) =>
    ([1, 2] as const).map(
      (threads): Workload => ({
        id: `sgemm-${n}-${threads}t`,
        title: `sgemm ${n}³, ${threads} thread${threads > 1 ? 's' : ''}`,
        unit: 'GFLOP/s',
        threads,
        flops: 2 * n ** 3,
        budgetMs: n > 1024 ? 30_000 : 15_000,
        anchors: ['openblas'],
      }),
    ),
  ),
  { id: 'conv-fwd', title: 'conv2d fwd 8x56x56x64 3x3x64', unit: 'ms', threads: 2, flops: conv, budgetMs: 20_000 },
  { id: 'conv-fwd-bwd', title: 'conv2d fwd+bwd (dx, dW)', unit: 'ms', threads: 2, flops: 3 * conv, budgetMs: 30_000 },
  {
    id: 'mnist-cnn-train',
    title: 'MNIST CNN train, batch 64, Adam',
    unit: 'samples/s',
    threads: 2,
    budgetMs: 30_000,
    samplesPerRun: 64,
  },
  { id: 'mlp-train', title: 'MLP 100-100-10 train step, batch 128', unit: 'ms', threads: 2, budgetMs: 15_000 },
  { id: 'vgg19-fwd', title: 'VGG19 forward, batch 1, 224²', unit: 'ms', threads: 2, budgetMs: 60_000, anchors: ['onnxruntime'] },
  {
    id: 'resnet50-fwd',
    title: 'ResNet50 forward, batch 1, 224²',
    unit: 'ms',
    threads: 2,
    budgetMs: 60_000,
    anchors: ['onnxruntime'],
  },
  {
    id: 'mobilenetv2-fwd',
    title: 'MobileNetV2 forward, batch 1, 224²',
    unit: 'ms',
    threads: 2,
    budgetMs: 30_000,
    anchors: ['onnxruntime'],
    // bench/peers/tfjs-models.ts builds no MobileNetV2.
    only: ['capa-native', 'capa-ts', 'pytorch'],
  },
  {
    id: 'resnet50-fwd-bf16',
    title: 'ResNet50 forward b1, bf16 autocast',
    unit: 'ms',
    threads: 2,
    budgetMs: 60_000,
    only: ['pytorch'],
  },
  { id: 'resnet50-train', title: 'ResNet50 train step, batch 8, SGD', unit: 'ms', threads: 2, budgetMs: 90_000 },
  {
    id: 'resnet50-train-bf16',
    title: 'ResNet50 train b8, bf16 autocast',
    unit: 'ms',
    threads: 2,
    budgetMs: 90_000,
    only: ['pytorch'],
  },
  { id: 'lstm-train', title: 'LSTM(256) train step, 64x100x128, Adam', unit: 'ms', threads: 2, budgetMs: 30_000 },
  { id: 'gru-train', title: 'GRU(256) train step, 64x100x128, Adam', unit: 'ms', threads: 2, budgetMs: 30_000 },
  { id: 'transformer-train', title: 'Transformer enc x2 train, 32x128 d128', unit: 'ms', threads: 2, budgetMs: 30_000 },
];

/**
 * The sequence workloads' shapes, shared by every peer: a recurrent layer (batch x steps x features
 * -> its last output) or a post-norm transformer encoder (mean over the sequence), then a Dense
 * head of `classes` units trained with mean squared error and Adam.
 */
export const SEQUENCE = {
  recurrent: { batch: 64, steps: 100, features: 128, units: 256 },
  transformer: { batch: 32, steps: 128, dModel: 128, heads: 4, ff: 512, layers: 2 },
  classes: 10,
} as const;

/** What a peer reports for one workload. */
export interface PeerResult {
  /** In the workload's unit. */
  value: number | null;
  /** Milliseconds of each timed run. */
  samplesMs: number[];
  note?: string;
}

export type PeerResults = Record<string, PeerResult>;

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/**
 * Times `run` after a warm-up (at least one run, and for fast runs up to half a second so the
 * JIT settles). Then at least `reps` timed runs (more for fast runs, up to a second of them),
 * stopping early once `budgetMs` is spent; always at least one. Returns milliseconds per run.
 */
export async function timeRuns(
  run: () => unknown,
  opts: { reps: number; budgetMs: number; yieldBetween?: boolean },
): Promise<number[]> {
  const start = performance.now();
  // A macrotask turn before each run (untimed) lets the garbage collector's finalizers free the
  // last run's tensors: the wasm backend's memory is freed that way, not by the storage pool.
  const turn = () => (opts.yieldBetween ? new Promise<void>((r) => setTimeout(r, 0)) : undefined);
  let warm = 0;
  while (warm < 1 || (performance.now() - start < 500 && warm < 50)) {
    await turn();
    await run();
    warm++;
  }
  const samples: number[] = [];
  let measured = 0;
  for (;;) {
    await turn();
    const t0 = performance.now();
    await run();
    const ms = performance.now() - t0;
    samples.push(ms);
    measured += ms;
    if (performance.now() - start > opts.budgetMs) break;
    if (samples.length >= opts.reps && (measured >= 1000 || samples.length >= 200)) break;
  }
  return samples;
}

/** Converts per-run milliseconds into the workload's unit. */
export function toUnit(w: Workload, samplesMs: number[], samplesPerRun = 1): number {
  const ms = median(samplesMs);
  if (w.unit === 'GFLOP/s') return (w.flops ?? 0) / (ms * 1e6);
  if (w.unit === 'samples/s') return (samplesPerRun * 1000) / ms;
  return ms;
}

export interface PeerArgs {
  items: Set<string>;
  reps: number;
  /** Also run the workloads that take minutes on the slow peers. */
  full: boolean;
  variant: string;
}

export function parsePeerArgs(argv: string[]): PeerArgs {
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  return {
    items: new Set((get('items') ?? WORKLOADS.map((w) => w.id).join(',')).split(',')),
    reps: Number(get('reps') ?? 7),
    full: argv.includes('--full'),
    variant: get('variant') ?? '',
  };
}

/** Peers print their results as one line prefixed with this marker (other output is ignored). */
export const RESULT_MARKER = 'CAPA_BENCH_RESULT ';

export function printResults(results: PeerResults): void {
  console.log(RESULT_MARKER + JSON.stringify(results));
}
