/**
 * The wasm backend against the native one in Node, same thread count: a 3x3 convolution
 * (8x56x56x64 input, 64 filters, 'same') and ResNet50 inference at batch 1, with the ratio
 * wasm / native speed, GFLOP/s, and the machine's WebAssembly SIMD128 peak per thread (a
 * register-only multiply-add loop, bench/wasm-peak.c, compiled here when emcc is present).
 *
 *   npx tsx bench/wasm-node.ts [--threads N] [--repeats N]
 */
import { timePeak } from './wasm-peak.js';
import { buildWasmPeak } from './wasm-peak-build.js';

const arg = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(name);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const THREADS = arg('--threads', 2);
const REPEATS = arg('--repeats', 5);
// Both backends size their pools from it when they load.
process.env.CAPA_NUM_THREADS = String(THREADS);
const capa = await import('../src/index.js');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/** Median ms of `run` after a warm-up, yielding between runs so freed wasm tensors are collected. */
async function time(run: () => unknown): Promise<number> {
  run();
  const ms: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    await new Promise((r) => setTimeout(r, 0));
    const t0 = performance.now();
    run();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

const CONV_FLOPS = 2 * 8 * 56 * 56 * 64 * 64 * 9;

/** Median ms of the conv on `backend`. */
async function conv(backend: 'native' | 'wasm'): Promise<number> {
  capa.setBackend(backend);
  capa.setSeed(1);
  const x = capa.ops.randomNormal([8, 56, 56, 64]);
  const w = capa.ops.randomNormal([3, 3, 64, 64]);
  return time(() => capa.ops.conv2d(x, w, { padding: 'same' }).dataSync());
}

/** Median ms of a ResNet50 prediction on `backend` (the model is built there). */
async function resnet(backend: 'native' | 'wasm'): Promise<number> {
  capa.setBackend(backend);
  capa.setSeed(1);
  const model = capa.applications.ResNet50();
  const image = capa.ops.randomUniform([1, 224, 224, 3]);
  return time(() => model.predictOnBatch(image));
}

interface WasmApi {
  Module: new (bytes: Uint8Array) => unknown;
  Instance: new (module: unknown, imports: object) => { exports: Record<string, unknown> };
}

/** GFLOP/s of one thread on the register-only SIMD128 loop; null without emcc. */
function simdPeak(): number | null {
  const bytes = buildWasmPeak();
  if (!bytes) return null;
  const W = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  return timePeak(new W.Instance(new W.Module(bytes), {}).exports.peak as (iters: number) => number);
}

const gflops = (ms: number) => (CONV_FLOPS / (ms * 1e6)).toFixed(1);
console.log(`threads: ${THREADS} (both backends), repeats: ${REPEATS}, median times`);
const convNative = await conv('native');
const convWasm = await conv('wasm');
console.log(
  `conv2d 3x3 8x56x56x64->64 'same': native ${convNative.toFixed(1)} ms (${gflops(convNative)} GFLOP/s), ` +
    `wasm ${convWasm.toFixed(1)} ms (${gflops(convWasm)} GFLOP/s), wasm/native speed ${(convNative / convWasm).toFixed(2)}x`,
);
const peak = simdPeak();
if (peak !== null) {
  const share = CONV_FLOPS / (convWasm * 1e6) / (peak * THREADS);
  console.log(
    `wasm SIMD128 peak (register-only mul+add, 1 thread): ${peak.toFixed(1)} GFLOP/s; the wasm conv reaches ` +
      `${(share * 100).toFixed(0)}% of ${THREADS} x peak`,
  );
} else {
  console.log('wasm SIMD128 peak: emcc not found (apt-get install emscripten) to compile bench/wasm-peak.c');
}
const resNative = await resnet('native');
const resWasm = await resnet('wasm');
console.log(
  `ResNet50 predict batch 1: native ${resNative.toFixed(1)} ms, wasm ${resWasm.toFixed(1)} ms, ` +
    `wasm/native speed ${(resNative / resWasm).toFixed(2)}x`,
);
