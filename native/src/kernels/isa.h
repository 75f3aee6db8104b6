// The vector vocabulary every kernel file is written in. Each kernel file is compiled once per ISA
// (see binding.gyp): CAPA_ISA_AVX512 (16 lanes), CAPA_ISA_AVX2 (8 lanes, FMA), CAPA_ISA_WASM_SIMD
// (WebAssembly SIMD128, 4 lanes: scripts/build-wasm.mjs) or none (the portable scalar build, 1 lane). `vf` is a GCC/Clang vector type there (plain float when scalar),
// so one body of arithmetic serves all three, and tails run the same body on `float`.
//
// Rule for these files: include no standard-library header that instantiates templates or inline
// functions (<algorithm>, <vector>, <cmath>'s overloads, ...). Such code would be emitted as weak
// symbols compiled with AVX-512 flags and the linker could hand that copy to baseline code, which
// would then crash on CPUs without AVX-512. Builtins and this header's own helpers only.
#pragma once

#include <stddef.h>
#include <stdint.h>

#if defined(CAPA_ISA_AVX512)
#include <immintrin.h>
#define CAPA_NS avx512
#define CAPA_W 16
#elif defined(CAPA_ISA_AVX2)
#include <immintrin.h>
#define CAPA_NS avx2
#define CAPA_W 8
#elif defined(CAPA_ISA_WASM_SIMD)
#include <wasm_simd128.h>
#define CAPA_NS wasm_simd
#define CAPA_W 4
#else
#define CAPA_NS scalar
#define CAPA_W 1
#endif

namespace capa {
namespace CAPA_NS {

constexpr int W = CAPA_W;

#if CAPA_W > 1
typedef float vf __attribute__((vector_size(CAPA_W * 4), aligned(4)));
typedef int32_t vi __attribute__((vector_size(CAPA_W * 4), aligned(4)));
#else
typedef float vf;
typedef int32_t vi;
#endif

#define CAPA_INLINE inline __attribute__((always_inline))

template <class T, class U>
CAPA_INLINE T bitcast(U u) {
  return __builtin_bit_cast(T, u);
}

CAPA_INLINE int imin(int a, int b) { return a < b ? a : b; }
CAPA_INLINE int imax(int a, int b) { return a > b ? a : b; }
CAPA_INLINE long lmin(long a, long b) { return a < b ? a : b; }
CAPA_INLINE long lmax(long a, long b) { return a > b ? a : b; }

// ---- scalar (tail) versions ----
CAPA_INLINE float load(const float* p, float*) { return *p; }
CAPA_INLINE float splat(float v, float*) { return v; }
CAPA_INLINE float select(bool m, float a, float b) { return m ? a : b; }
CAPA_INLINE float vfloor(float x) { return __builtin_floorf(x); }
CAPA_INLINE float vround_even(float x) { return __builtin_rintf(x); }
CAPA_INLINE float vtrunc(float x) { return __builtin_truncf(x); }
CAPA_INLINE float vsqrt(float x) { return __builtin_sqrtf(x); }
CAPA_INLINE float vabs(float x) { return __builtin_fabsf(x); }
CAPA_INLINE int32_t to_bits(float x) { return bitcast<int32_t>(x); }
CAPA_INLINE float from_bits(int32_t x) { return bitcast<float>(x); }
CAPA_INLINE int32_t cvt_trunc(float x) { return (int32_t)x; }
CAPA_INLINE float cvt_float(int32_t x) { return (float)x; }
CAPA_INLINE bool isnan_(float x) { return x != x; }
CAPA_INLINE float hsum(float x) { return x; }
CAPA_INLINE float hmax(float x) { return x; }
CAPA_INLINE void store(float* p, float v) { *p = v; }

// ---- vector versions ----
#if CAPA_W == 16
CAPA_INLINE vf load(const float* p, vf*) { return (vf)_mm512_loadu_ps(p); }
CAPA_INLINE vf splat(float v, vf*) { return (vf)_mm512_set1_ps(v); }
CAPA_INLINE void store(float* p, vf v) { _mm512_storeu_ps(p, (__m512)v); }
#elif CAPA_W == 8
CAPA_INLINE vf load(const float* p, vf*) { return (vf)_mm256_loadu_ps(p); }
CAPA_INLINE vf splat(float v, vf*) { return (vf)_mm256_set1_ps(v); }
CAPA_INLINE void store(float* p, vf v) { _mm256_storeu_ps(p, (__m256)v); }
#elif CAPA_W == 4
CAPA_INLINE vf load(const float* p, vf*) { return (vf)wasm_v128_load(p); }
CAPA_INLINE vf splat(float v, vf*) { return (vf)wasm_f32x4_splat(v); }
CAPA_INLINE void store(float* p, vf v) { wasm_v128_store(p, (v128_t)v); }
#endif
#if CAPA_W > 1
CAPA_INLINE vf select(vi m, vf a, vf b) { return m ? a : b; }
CAPA_INLINE vi to_bits(vf x) { return (vi)x; }
CAPA_INLINE vf from_bits(vi x) { return (vf)x; }
CAPA_INLINE vi cvt_trunc(vf x) { return __builtin_convertvector(x, vi); }
CAPA_INLINE vf cvt_float(vi x) { return __builtin_convertvector(x, vf); }
CAPA_INLINE vi isnan_(vf x) { return x != x; }
CAPA_INLINE vf vabs(vf x) { return (vf)((vi)x & 0x7fffffff); }
#if defined(CAPA_ISA_AVX512)
CAPA_INLINE vf vfloor(vf x) { return (vf)_mm512_roundscale_ps((__m512)x, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC); }
CAPA_INLINE vf vround_even(vf x) { return (vf)_mm512_roundscale_ps((__m512)x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
CAPA_INLINE vf vtrunc(vf x) { return (vf)_mm512_roundscale_ps((__m512)x, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC); }
CAPA_INLINE vf vsqrt(vf x) { return (vf)_mm512_sqrt_ps((__m512)x); }
CAPA_INLINE float hsum(vf x) { return _mm512_reduce_add_ps((__m512)x); }
CAPA_INLINE float hmax(vf x) { return _mm512_reduce_max_ps((__m512)x); }
#elif defined(CAPA_ISA_WASM_SIMD)
CAPA_INLINE vf vfloor(vf x) { return (vf)wasm_f32x4_floor((v128_t)x); }
CAPA_INLINE vf vround_even(vf x) { return (vf)wasm_f32x4_nearest((v128_t)x); }
CAPA_INLINE vf vtrunc(vf x) { return (vf)wasm_f32x4_trunc((v128_t)x); }
CAPA_INLINE vf vsqrt(vf x) { return (vf)wasm_f32x4_sqrt((v128_t)x); }
// Pairwise, as the x86 versions add: (x0 + x2) + (x1 + x3).
CAPA_INLINE float hsum(vf x) { return (x[0] + x[2]) + (x[1] + x[3]); }
CAPA_INLINE float hmax(vf x) {
  float a = x[0] > x[2] ? x[0] : x[2], b = x[1] > x[3] ? x[1] : x[3];
  return a > b ? a : b;
}
#else
CAPA_INLINE vf vfloor(vf x) { return (vf)_mm256_floor_ps((__m256)x); }
CAPA_INLINE vf vround_even(vf x) { return (vf)_mm256_round_ps((__m256)x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
CAPA_INLINE vf vtrunc(vf x) { return (vf)_mm256_round_ps((__m256)x, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC); }
CAPA_INLINE vf vsqrt(vf x) { return (vf)_mm256_sqrt_ps((__m256)x); }
CAPA_INLINE float hsum(vf x) {
  __m128 lo = _mm256_castps256_ps128((__m256)x), hi = _mm256_extractf128_ps((__m256)x, 1);
  lo = _mm_add_ps(lo, hi);
  lo = _mm_add_ps(lo, _mm_movehl_ps(lo, lo));
  lo = _mm_add_ss(lo, _mm_movehdup_ps(lo));
  return _mm_cvtss_f32(lo);
}
CAPA_INLINE float hmax(vf x) {
  __m128 lo = _mm256_castps256_ps128((__m256)x), hi = _mm256_extractf128_ps((__m256)x, 1);
  lo = _mm_max_ps(lo, hi);
  lo = _mm_max_ps(lo, _mm_movehl_ps(lo, lo));
  lo = _mm_max_ss(lo, _mm_movehdup_ps(lo));
  return _mm_cvtss_f32(lo);
}
#endif
#endif

/** acc[0..W) += v, widened to double (for sums that must match a float64 reference). */
CAPA_INLINE void add_to_double(double* acc, float v) { *acc += v; }
#if CAPA_W == 16
CAPA_INLINE void add_to_double(double* acc, vf v) {
  __m512 x = (__m512)v;
  _mm512_storeu_pd(acc, _mm512_add_pd(_mm512_loadu_pd(acc), _mm512_cvtps_pd(_mm512_castps512_ps256(x))));
  _mm512_storeu_pd(acc + 8, _mm512_add_pd(_mm512_loadu_pd(acc + 8), _mm512_cvtps_pd(_mm512_extractf32x8_ps(x, 1))));
}
#elif CAPA_W == 8
CAPA_INLINE void add_to_double(double* acc, vf v) {
  __m256 x = (__m256)v;
  _mm256_storeu_pd(acc, _mm256_add_pd(_mm256_loadu_pd(acc), _mm256_cvtps_pd(_mm256_castps256_ps128(x))));
  _mm256_storeu_pd(acc + 4, _mm256_add_pd(_mm256_loadu_pd(acc + 4), _mm256_cvtps_pd(_mm256_extractf128_ps(x, 1))));
}
#elif CAPA_W == 4
CAPA_INLINE void add_to_double(double* acc, vf v) {
  for (int i = 0; i < 4; i++) acc[i] += v[i];
}
#endif

// Generic helpers written once for float and vf. `T` is float or vf.
template <class T>
CAPA_INLINE T ld(const float* p) {
  return load(p, (T*)nullptr);
}
template <class T>
CAPA_INLINE T set1(float v) {
  return splat(v, (T*)nullptr);
}
// max/min that propagate NaN from either operand, as TensorFlow's and PyTorch's do. A bare
// compare-and-select (or _mm*_max_ps, or std::max) returns the second operand when either is NaN,
// which silently turned relu(NaN) into 0.
template <class T>
CAPA_INLINE T vmax(T a, T b) {
  return select((a > b) | isnan_(a), a, b);
}
template <class T>
CAPA_INLINE T vmin(T a, T b) {
  return select((a < b) | isnan_(a), a, b);
}
/** Whether v beats best for an arg-max (`isMin` false) or arg-min: the first NaN wins and stays. */
template <class T>
CAPA_INLINE auto arg_better(bool isMin, T v, T best) {
  return ((isMin ? v < best : v > best) | isnan_(v)) & (best == best);
}

}  // namespace CAPA_NS
}  // namespace capa
