// The WebAssembly SIMD128 peak of this machine for bench/wasm-node.ts: a loop of f32x4 multiply and
// add on 12 independent register accumulators (no memory traffic), 96 flops per iteration.
#include <wasm_simd128.h>

__attribute__((export_name("peak"))) float peak(int iters) {
  v128_t m = wasm_f32x4_splat(0.999999f), b = wasm_f32x4_splat(1e-7f);
  v128_t a0 = wasm_f32x4_splat(0.1f), a1 = wasm_f32x4_splat(0.2f), a2 = wasm_f32x4_splat(0.3f),
         a3 = wasm_f32x4_splat(0.4f), a4 = wasm_f32x4_splat(0.5f), a5 = wasm_f32x4_splat(0.6f),
         a6 = wasm_f32x4_splat(0.7f), a7 = wasm_f32x4_splat(0.8f), a8 = wasm_f32x4_splat(0.9f),
         a9 = wasm_f32x4_splat(1.0f), a10 = wasm_f32x4_splat(1.1f), a11 = wasm_f32x4_splat(1.2f);
  for (int i = 0; i < iters; i++) {
#define STEP(a) a = wasm_f32x4_add(wasm_f32x4_mul(a, m), b)
    STEP(a0); STEP(a1); STEP(a2); STEP(a3); STEP(a4); STEP(a5);
    STEP(a6); STEP(a7); STEP(a8); STEP(a9); STEP(a10); STEP(a11);
  }
  v128_t s = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_add(a0, a1), wasm_f32x4_add(a2, a3)),
                            wasm_f32x4_add(wasm_f32x4_add(a4, a5), wasm_f32x4_add(a6, a7)));
  s = wasm_f32x4_add(s, wasm_f32x4_add(wasm_f32x4_add(a8, a9), wasm_f32x4_add(a10, a11)));
  return wasm_f32x4_extract_lane(s, 0) + wasm_f32x4_extract_lane(s, 3);
}
