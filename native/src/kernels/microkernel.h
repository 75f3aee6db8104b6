// The register-blocked GEMM microkernel's shape and entry point (defined in gemm.cc), shared with
// the convolutions that feed it straight from the image (conv_direct.cc).
#pragma once

#include "isa.h"

namespace capa {
namespace CAPA_NS {

#if CAPA_W == 16
constexpr int MR = 14, NV = 2;  // 28 zmm accumulators
#elif CAPA_W == 8
constexpr int MR = 6, NV = 2;  // 12 ymm accumulators
#elif CAPA_W == 4
constexpr int MR = 6, NV = 2;  // 12 v128 accumulators (engines map them onto 16 xmm registers)
#else
constexpr int MR = 4, NV = 4;  // 16 scalar accumulators
#endif
/** Columns of one tile (and of a packed B panel). */
constexpr int NR = NV * W;
/** Depth of one K slice: a KC x NR panel of B stays in L1. */
constexpr long KC = 256;

enum MicrokernelFlags {
  /** Add the tile already in C instead of overwriting it. */
  F_ACCUMULATE = 1,
  /** Last slice: add the bias and apply the activation before storing. */
  F_EPILOGUE = 2,
};

/**
 * C[mr x NR] (rows ldc apart) = sum over taps t of A_t[mr x kc] times B_t[kc x NR]. A_t = a +
 * aoff[t] (a when aoff is null): rows lda apart, unit stride along k. B_t = b + boff[t], or when
 * boff is null the rows right after B_{t-1}: rows ldb apart. F_ACCUMULATE / F_EPILOGUE as flags.
 */
typedef void (*UkFn)(long taps, const long* aoff, const long* boff, long kc, const float* a, long lda, const float* b,
                     long ldb, float* c, long ldc, int flags, const float* bias, int act);

/** The microkernel for mr rows (1 <= mr <= MR). */
UkFn microkernel(int mr);

}  // namespace CAPA_NS
}  // namespace capa
