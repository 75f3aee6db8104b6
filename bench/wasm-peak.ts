/**
 * The WebAssembly SIMD128 peak of this machine, per thread: bench/wasm-peak.c (a register-only
 * f32x4 multiply-add loop, 96 flops per iteration) compiled by emscripten, timed in Node by
 * bench/wasm-node.ts and in Chromium by bench/web/. Timing needs only the exported function, so
 * this file runs in both; `buildWasmPeak` (emcc) is in ./wasm-peak-build.ts, Node only.
 */

/** Floating-point operations per iteration of `peak` (12 accumulators x 4 lanes x mul + add). */
export const PEAK_FLOPS_PER_ITER = 96;

/** GFLOP/s of one thread: a warm-up tenth, then one timed run of `iters` iterations. */
export function timePeak(peak: (iters: number) => number, iters = 20_000_000): number {
  peak(iters / 10);
  const t0 = performance.now();
  peak(iters);
  return (iters * PEAK_FLOPS_PER_ITER) / ((performance.now() - t0) * 1e6);
}
