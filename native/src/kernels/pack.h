// Packing of GEMM operands (pack.cc), shared by the GEMM driver and the convolutions.
#pragma once

#include "common.h"
#include "microkernel.h"

namespace capa {
namespace CAPA_NS {

/** Row stride of a packed A block: +16 so its rows do not alias in L1. */
constexpr long LDA = KC + 16;

/** Copies a short run (one filter tap's channels) inline: a memcpy call would cost more than the copy. */
static inline void copy_run(float* __restrict d, const float* __restrict s, long n) {
  long i = 0;
  for (; i + W <= n; i += W) store(d + i, ld<vf>(s + i));
  for (; i < n; i++) d[i] = s[i];
}

static inline void zero_run(float* d, long n) {
  long i = 0;
  for (; i + W <= n; i += W) store(d + i, set1<vf>(0.0f));
  for (; i < n; i++) d[i] = 0.0f;
}

/** Copies rows [i0, i0 + rows) x columns [k0, k0 + kc) of A into dst (row stride LDA). */
void pack_a(const GemmA& A, long i0, long rows, long k0, long kc, float* dst);

/** Packs rows [k0, k0 + kc) x panels [q0, q1) of B: panel q is kc x NR, zero-padded past N. */
void pack_b(const GemmB& B, long N, long k0, long kc, long q0, long q1, float* dst);

}  // namespace CAPA_NS
}  // namespace capa
