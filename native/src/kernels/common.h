// Shared declarations of the per-ISA kernel files (included inside no namespace; declares into
// capa::CAPA_NS). Everything here is compiled once per ISA.
#pragma once

#include "../threadpool.h"
#include "../types.h"
#include "isa.h"

namespace capa {
namespace CAPA_NS {

// Scratch slot numbers (pool_scratch): one purpose each, so nested users never share a buffer.
enum ScratchSlot : int {
  S_PACK_A = 0,     // gemm: packed rows of A
  S_PACK_B = 1,     // gemm: per-task packed panels of B
  S_PREPACK_B = 2,  // gemm: the whole packed B when prepacked inside a parallel task
  S_TILE = 3,       // gemm: edge tile
  S_COL = 4,        // conv: patch buffers / partial sums of one task
  S_TEMP = 5,       // small per-call temporaries (transformed filters, partial reductions)
  S_TEMP2 = 6,
  S_KSPLIT = 7,     // gemm: private C of a K-split part
};

/** Runs `body(begin, end)` over [0, n) in chunks of at least `grain`, across the pool. */
template <class F>
void parallel_range(long n, long grain, F& body) {
  int threads = pool_threads();
  long chunks = n / (grain > 0 ? grain : 1);
  if (chunks > (long)threads * 4) chunks = (long)threads * 4;
  if (chunks <= 1 || pool_in_parallel()) {
    body(0L, n);
    return;
  }
  struct Ctx {
    F* body;
    long n, chunks;
  } ctx{&body, n, chunks};
  parallel_for(
      chunks,
      [](void* p, long t, int) {
        Ctx* c = (Ctx*)p;
        long b = c->n * t / c->chunks, e = c->n * (t + 1) / c->chunks;
        if (e > b) (*c->body)(b, e);
      },
      &ctx);
}

/** Runs `body(task, thread)` for every task. */
template <class F>
void parallel_tasks(long tasks, F& body) {
  parallel_for(
      tasks, [](void* p, long t, int thread) { (*(F*)p)(t, thread); }, &body);
}

// ---- GEMM (gemm.cc) ----

/** Where the left operand's element (i, k) comes from. */
struct GemmA {
  enum Kind { STRIDED, IM2COL } kind;
  const float* p;
  long rs, cs;           // STRIDED: A(i, k) = p[i * rs + k * cs]
  const ConvGeom* geom;  // IM2COL: row i = output pixel (n, oh, ow), column k = (kh, kw, c) of p (NHWC)
};

/** Where the right operand's element (k, j) comes from. */
struct GemmB {
  enum Kind { STRIDED, IM2COL } kind;
  const float* p;
  long rs, cs;           // STRIDED: B(k, j) = p[k * rs + j * cs]
  const ConvGeom* geom;  // IM2COL: row k = output pixel, column j = (kh, kw, c)
};

struct GemmOut {
  float* c;
  long ldc;
  const float* bias;  // length N, added before the activation (or null)
  int act;            // Act
  bool accumulate;    // C += A·B instead of C = A·B
};

/** C[M, N] = act(A·B + bias), threads over output tiles (inline when already inside a task). */
void gemm(long M, long N, long K, const GemmA& a, const GemmB& b, const GemmOut& out);

/** Convolution read straight from the image (conv_direct.cc), for layers with few output channels. */
bool conv_direct_suits(const ConvGeom& g);
void conv2d_direct(const float* x, const float* filter, float* out, const ConvGeom& g, const float* bias, int act);
bool conv_filter_direct_suits(const ConvGeom& g);
void conv2d_backprop_filter_direct(const float* x, const float* dy, float* dfilter, const ConvGeom& g);

/** The activations a GEMM/conv store can apply, on a block of values. */
void apply_bias_act(float* c, long ldc, long rows, long cols, const float* bias, int act);

}  // namespace CAPA_NS
}  // namespace capa
