/**
 * The work of the worker_threads test (worker-threads.test.ts), run both on the test's own thread
 * (alone, for the expected results) and inside workers (concurrently). Imported by the test, and
 * loaded as a worker's script through tsx (startJob): a worker runs the job named in workerData
 * and posts its result back.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { loadNativeBackend } from '../../../src/backend/native/load.js';
import * as capa from '../../../src/index.js';

/** One op of the ops job: a matmul or a convolution on seeded inputs. */
export type OpCase =
  | { kind: 'matmul'; a: number[]; b: number[]; seed: number }
  | { kind: 'conv2d'; x: number[]; k: number[]; strides: number; padding: 'same' | 'valid'; seed: number };

/**
 * Shapes from one element to ones whose kernels split across the pool's threads (the big gemm
 * and conv), batched and single, so concurrent callers overlap in every path.
 */
export const OP_CASES: readonly OpCase[] = [
  { kind: 'matmul', a: [3, 5], b: [5, 7], seed: 1 },
  { kind: 'matmul', a: [1, 1], b: [1, 1], seed: 2 },
  { kind: 'matmul', a: [64, 70], b: [70, 33], seed: 3 },
  { kind: 'matmul', a: [192, 256], b: [256, 160], seed: 4 },
  { kind: 'matmul', a: [4, 48, 40], b: [4, 40, 56], seed: 5 },
  { kind: 'matmul', a: [1, 512], b: [512, 300], seed: 6 },
  { kind: 'matmul', a: [300, 512], b: [512, 1], seed: 7 },
  { kind: 'conv2d', x: [1, 5, 5, 2], k: [3, 3, 2, 3], strides: 1, padding: 'valid', seed: 8 },
  { kind: 'conv2d', x: [2, 16, 16, 8], k: [3, 3, 8, 16], strides: 1, padding: 'same', seed: 9 },
  { kind: 'conv2d', x: [4, 32, 32, 16], k: [3, 3, 16, 32], strides: 1, padding: 'same', seed: 10 },
  { kind: 'conv2d', x: [2, 28, 28, 3], k: [5, 5, 3, 4], strides: 2, padding: 'valid', seed: 11 },
  { kind: 'conv2d', x: [8, 14, 14, 32], k: [1, 1, 32, 64], strides: 1, padding: 'valid', seed: 12 },
];

export function runOp(c: OpCase): Float32Array {
  if (c.kind === 'matmul') {
    const a = capa.randomNormal(c.a, { seed: c.seed });
    const b = capa.randomNormal(c.b, { seed: c.seed + 1000 });
    return capa.ops.matmul(a, b).dataSync() as Float32Array;
  }
  const x = capa.randomNormal(c.x, { seed: c.seed });
  const k = capa.randomNormal(c.k, { seed: c.seed + 1000 });
  return capa.ops.conv2d(x, k, { strides: c.strides, padding: c.padding }).dataSync() as Float32Array;
}

/** The first op whose result differs from the expected by even one bit, or null. */
export interface OpsReport {
  ops: number;
  firstMismatch: { case: number; maxAbsError: number } | null;
}

/** Runs `ops` ops cycling through OP_CASES from `offset`, each compared bit for bit with `expected`. */
export function runOps(expected: readonly Float32Array[], ops: number, offset: number): OpsReport {
  for (let i = 0; i < ops; i++) {
    const at = (offset + i) % OP_CASES.length;
    const got = runOp(OP_CASES[at] as OpCase);
    const want = expected[at] as Float32Array;
    let maxAbsError = got.length === want.length ? 0 : Number.POSITIVE_INFINITY;
    for (let j = 0; j < want.length; j++) {
      if (!Object.is(got[j], want[j])) maxAbsError = Math.max(maxAbsError, Math.abs((got[j] ?? 0) - (want[j] as number)) || 1);
    }
    if (maxAbsError > 0) return { ops: i + 1, firstMismatch: { case: at, maxAbsError } };
  }
  return { ops, firstMismatch: null };
}

/** A small CNN trained for a few epochs from a fixed seed: its final weights and loss history. */
export interface FitResult {
  weights: Float32Array[];
  losses: number[];
}

export async function trainSmallCnn(): Promise<FitResult> {
  capa.setTrainingOutput({ write: () => {}, isTTY: false });
  capa.setSeed(7);
  const n = 64;
  const x = capa.randomNormal([n, 16, 16, 3], { seed: 21 });
  const y = capa.tensor(
    Array.from({ length: n }, (_, i) => i % 3),
    [n],
    'int32',
  );
  const model = new capa.Sequential([
    new capa.layers.Conv2D(16, 3, { inputShape: [16, 16, 3], activation: 'relu', padding: 'same' }),
    new capa.layers.MaxPooling2D(2),
    new capa.layers.Flatten(),
    new capa.layers.Dense(16, { activation: 'relu' }),
    new capa.layers.Dense(3, { activation: 'softmax' }),
  ]);
  model.compile({ optimizer: new capa.optimizers.Adam({ learningRate: 0.01 }), loss: 'sparse_categorical_crossentropy' });
  const history = await model.fit(x, y, { epochs: 3, batchSize: 32, shuffle: false, verbose: 0 });
  return {
    weights: model.getWeights().map((w) => (w.dataSync() as Float32Array).slice()),
    losses: history.history.loss as number[],
  };
}

/** Holds workers until all `parties` have loaded capa, so their work overlaps (worker start-up takes a second). */
export interface StartLine {
  arrived: Int32Array;
  parties: number;
}

export function startLine(parties: number): StartLine {
  return { arrived: new Int32Array(new SharedArrayBuffer(4)), parties };
}

function waitAtStartLine({ arrived, parties }: StartLine): void {
  Atomics.add(arrived, 0, 1);
  Atomics.notify(arrived, 0);
  for (let n = Atomics.load(arrived, 0); n < parties; n = Atomics.load(arrived, 0)) Atomics.wait(arrived, 0, n);
}

export type Job = (
  | { job: 'ops'; expected: Float32Array[]; ops: number; offset: number }
  | { job: 'fit' }
  | { job: 'isa'; isa: string }
) & { start?: StartLine };

const TSX_API = new URL('../../../node_modules/tsx/dist/esm/api/index.mjs', import.meta.url).href;

/**
 * Starts a worker thread running `job` on the native backend and resolves with what it posts.
 * Node 20 applies `--import` loaders only after a worker's entry is resolved, so the worker is a
 * module snippet that registers tsx and then imports this file.
 */
export function startJob<T>(job: Job, timeoutMs: number): Promise<T> {
  const code = `const { register } = await import(${JSON.stringify(TSX_API)});
register();
await import(${JSON.stringify(import.meta.url)});`;
  const worker = new Worker(code, { eval: true, workerData: job });
  return new Promise<T>((resolve, reject) => {
    // A hung native call cannot be interrupted: fail the test instead of waiting for it.
    const timer = setTimeout(
      () => reject(new Error(`a '${job.job}' worker did not finish within ${timeoutMs} ms (hang)`)),
      timeoutMs,
    );
    worker.once('message', (message: T) => {
      clearTimeout(timer);
      resolve(message);
      void worker.terminate();
    });
    worker.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** Forces an instruction set in this thread and reports the one this thread then runs. */
function switchIsa(isa: string): string | null {
  const native = loadNativeBackend().backend;
  return native?.setIsa(isa) ? native.info().isa : null;
}

async function runJob(job: Job): Promise<OpsReport | FitResult | string | null> {
  capa.setBackend('native');
  if (job.start) waitAtStartLine(job.start);
  if (job.job === 'ops') return runOps(job.expected, job.ops, job.offset);
  if (job.job === 'isa') return switchIsa(job.isa);
  return await trainSmallCnn();
}

if (!isMainThread && (workerData as Job | undefined)?.job) {
  parentPort?.postMessage(await runJob(workerData as Job));
}
