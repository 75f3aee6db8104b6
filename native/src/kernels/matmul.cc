// Batched matrix products (the Backend's matmul) on top of gemm().
#include "kernels.h"

namespace capa {
namespace CAPA_NS {

void matmul(const float* a, const float* b, float* out, const MatmulSpec& s) {
  // op(A)[m, k]: stored [m, k], or [k, m] when transposed; op(B)[k, n] likewise.
  auto one = [&](long i) {
    const float* ap = a + i * s.aBatchStride;
    const float* bp = b + i * s.bBatchStride;
    GemmA A = s.transA ? GemmA{GemmA::STRIDED, ap, 1, s.m, nullptr} : GemmA{GemmA::STRIDED, ap, s.k, 1, nullptr};
    GemmB B = s.transB ? GemmB{GemmB::STRIDED, bp, 1, s.k, nullptr} : GemmB{GemmB::STRIDED, bp, s.n, 1, nullptr};
    gemm(s.m, s.n, s.k, A, B, GemmOut{out + i * s.m * s.n, s.n, s.bias, s.act, false});
  };
  long work = s.m * s.n * s.k;
  if (s.batch > 1 && work < (1L << 21) && !pool_in_parallel()) {
    // Many small products: one per task.
    auto body = [&](long i, int) { one(i); };
    parallel_tasks(s.batch, body);
    return;
  }
  for (long i = 0; i < s.batch; i++) one(i);
}

}  // namespace CAPA_NS
}  // namespace capa
