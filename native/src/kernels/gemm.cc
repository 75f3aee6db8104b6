// Single-precision GEMM laid out like BLIS: B is packed into k-major panels NR columns wide, A into
// blocks of MC rows (row-major, stride LDA), and a register-blocked microkernel computes one
// MR x NR tile of C per call over a KC-deep slice. Threads take (row block, column chunk) tasks.
// The microkernel fuses the bias and activation into its final store.
#include "common.h"
#include "microkernel.h"
#include "pack.h"
#include "vmath.h"

namespace capa {
namespace CAPA_NS {
namespace {

constexpr long MC = (168 / MR) * MR;
/** Up to this many rows of C, B is read in place rather than packed. */
constexpr long kDirectBRows = 256;



template <class T>
CAPA_INLINE T activate(T v, int act) {
  switch (act) {
    case A_RELU:
      return vmax(v, set1<T>(0.0f));
    case A_RELU6:
      return vmin(vmax(v, set1<T>(0.0f)), set1<T>(6.0f));
    case A_SIGMOID:
      return vsigmoid(v);
    case A_TANH:
      return vtanh(v);
    default:  // A_LINEAR: the generated unpacking refuses a code outside Act before a kernel runs
      return v;
  }
}

/**
 * acc[MR_][NV] = sum over taps t of A_t[MR_ x kc] (rows lda apart, A_t = a + aoff[t]) times
 * B_t[kc x NR] (B_t follows B_{t-1}, rows ldb apart), then stored to C with optional
 * accumulation, bias and activation. A GEMM slice is one tap (aoff null); a convolution tile
 * passes one offset per filter tap and sums them all in registers.
 */
template <int MR_>
__attribute__((noinline)) void ukernel(long taps, const long* aoff, const long* boff, long kc, const float* __restrict a,
                                       long lda, const float* __restrict b, long ldb, float* __restrict c, long ldc,
                                       int flags, const float* bias, int act) {
  vf acc[MR_][NV];
#pragma GCC unroll 16
  for (int r = 0; r < MR_; r++)
#pragma GCC unroll 4
    for (int j = 0; j < NV; j++) acc[r][j] = set1<vf>(0.0f);
  const float* bnext = b;
  for (long t = 0; t < taps; t++) {
    const float* __restrict at = aoff ? a + aoff[t] : a;
    b = boff ? bnext + boff[t] : b;
    for (long k = 0; k < kc; k++) {
      vf bv[NV];
#pragma GCC unroll 4
      for (int j = 0; j < NV; j++) bv[j] = ld<vf>(b + j * W);
#pragma GCC unroll 16
      for (int r = 0; r < MR_; r++) {
        vf av = set1<vf>(at[r * lda + k]);
#pragma GCC unroll 4
        for (int j = 0; j < NV; j++) acc[r][j] += av * bv[j];
      }
      b += ldb;
    }
  }
  if (flags & F_ACCUMULATE) {
#pragma GCC unroll 16
    for (int r = 0; r < MR_; r++)
#pragma GCC unroll 4
      for (int j = 0; j < NV; j++) acc[r][j] += ld<vf>(c + r * ldc + j * W);
  }
  if (flags & F_EPILOGUE) {
    if (bias) {
      vf bb[NV];
#pragma GCC unroll 4
      for (int j = 0; j < NV; j++) bb[j] = ld<vf>(bias + j * W);
#pragma GCC unroll 16
      for (int r = 0; r < MR_; r++)
#pragma GCC unroll 4
        for (int j = 0; j < NV; j++) acc[r][j] += bb[j];
    }
    if (act != A_LINEAR) {
      for (int r = 0; r < MR_; r++)
        for (int j = 0; j < NV; j++) acc[r][j] = activate(acc[r][j], act);
    }
  }
#pragma GCC unroll 16
  for (int r = 0; r < MR_; r++)
#pragma GCC unroll 4
    for (int j = 0; j < NV; j++) store(c + r * ldc + j * W, acc[r][j]);
}

UkFn ukernel_for(int mr) {
  switch (mr) {
#define CAPA_UK_CASE(n) \
  case n:               \
    return ukernel<(n <= MR ? n : MR)>;
    CAPA_UK_CASE(1)
    CAPA_UK_CASE(2)
    CAPA_UK_CASE(3)
    CAPA_UK_CASE(4)
    CAPA_UK_CASE(5)
    CAPA_UK_CASE(6)
    CAPA_UK_CASE(7)
    CAPA_UK_CASE(8)
    CAPA_UK_CASE(9)
    CAPA_UK_CASE(10)
    CAPA_UK_CASE(11)
    CAPA_UK_CASE(12)
    CAPA_UK_CASE(13)
    CAPA_UK_CASE(14)
#undef CAPA_UK_CASE
    default:
      return ukernel<MR>;
  }
}

// ---------------------------------------------------------------- tiles

/** One MR x NR (or smaller) tile of C; edge tiles go through a scratch tile. */
CAPA_INLINE void run_tile(long mr, long nr, long kc, const float* a, long lda, const float* b, long ldb, float* c, long ldc,
                          int flags, const float* bias, int act, float* tile) {
  UkFn uk = ukernel_for((int)mr);
  if (nr == NR) {
    uk(1, nullptr, nullptr, kc, a, lda, b, ldb, c, ldc, flags, bias, act);
    return;
  }
  if (flags & F_ACCUMULATE) {
    for (long r = 0; r < mr; r++)
      for (long j = 0; j < NR; j++) tile[r * NR + j] = j < nr ? c[r * ldc + j] : 0.0f;
  }
  uk(1, nullptr, nullptr, kc, a, lda, b, ldb, tile, NR, flags & F_ACCUMULATE, nullptr, A_LINEAR);
  for (long r = 0; r < mr; r++)
    for (long j = 0; j < nr; j++) c[r * ldc + j] = tile[r * NR + j];
  if (flags & F_EPILOGUE) apply_bias_act(c, ldc, mr, nr, bias, act);
}

struct Plan {
  long M, N;
  long kb, ke;  // the K range this plan covers
  const GemmA* A;
  const GemmB* B;
  GemmOut out;
  long npanels;            // ceil(N / NR)
  long mblocks;            // row blocks of MC
  long nchunks;            // column chunks (in panels)
  const float* prepacked;  // packed B for [kb, ke) (KC-deep blocks of npanels panels), or null
};

/** One task: rows of block `ib`, panels of chunk `jb`, the plan's whole K range. */
void gemm_task(const Plan& P, long ib, long jb) {
  long i0 = ib * MC, i1 = lmin(P.M, i0 + MC);
  long q0 = P.npanels * jb / P.nchunks, q1 = P.npanels * (jb + 1) / P.nchunks;
  if (q1 <= q0 || i1 <= i0) return;
  float* apack = (float*)pool_scratch(S_PACK_A, sizeof(float) * MC * LDA);
  float* tile = (float*)pool_scratch(S_TILE, sizeof(float) * MR * NR);
  float* bpack = P.prepacked ? nullptr : (float*)pool_scratch(S_PACK_B, sizeof(float) * KC * NR * (q1 - q0));
  const GemmOut& O = P.out;
  for (long pc = P.kb; pc < P.ke; pc += KC) {
    long kc = lmin(KC, P.ke - pc);
    int flags = (pc > P.kb || O.accumulate ? F_ACCUMULATE : 0) | (pc + kc == P.ke ? F_EPILOGUE : 0);
    pack_a(*P.A, i0, i1 - i0, pc, kc, apack);
    const float* bblock;
    if (P.prepacked) {
      bblock = P.prepacked + (pc - P.kb) * P.npanels * NR + q0 * kc * NR;
    } else {
      pack_b(*P.B, P.N, pc, kc, q0, q1, bpack);
      bblock = bpack;
    }
    for (long q = q0; q < q1; q++) {
      const float* bp = bblock + (q - q0) * kc * NR;
      long j0 = q * NR;
      long nr = lmin(NR, P.N - j0);
      const float* bias = O.bias ? O.bias + j0 : nullptr;
      for (long i = i0; i < i1; i += MR) {
        long mr = lmin(MR, i1 - i);
        run_tile(mr, nr, kc, apack + (i - i0) * LDA, LDA, bp, NR, O.c + i * O.ldc + j0, O.ldc, flags, bias, O.act, tile);
      }
    }
  }
}

/**
 * Few rows (a batch-1 layer, a small batch): B's rows are read in place (no packing of the
 * weights, which would cost as much as the product itself); only A's few rows are packed.
 */
void gemm_direct_b_task(const Plan& P, long jb) {
  long q0 = P.npanels * jb / P.nchunks, q1 = P.npanels * (jb + 1) / P.nchunks;
  if (q1 <= q0) return;
  const GemmOut& O = P.out;
  const GemmB& B = *P.B;
  float* apack = (float*)pool_scratch(S_PACK_A, sizeof(float) * P.M * LDA);
  float* tile = (float*)pool_scratch(S_TILE, sizeof(float) * MR * NR);
  float* bpack = (float*)pool_scratch(S_PACK_B, sizeof(float) * KC * NR);
  for (long pc = P.kb; pc < P.ke; pc += KC) {
    long kc = lmin(KC, P.ke - pc);
    int flags = (pc > P.kb || O.accumulate ? F_ACCUMULATE : 0) | (pc + kc == P.ke ? F_EPILOGUE : 0);
    pack_a(*P.A, 0, P.M, pc, kc, apack);
    for (long q = q0; q < q1; q++) {
      long j0 = q * NR;
      long nr = lmin(NR, P.N - j0);
      const float* bias = O.bias ? O.bias + j0 : nullptr;
      const float* bp = B.p + pc * B.rs + j0;
      long ldb = B.rs;
      if (nr < NR) {
        pack_b(B, P.N, pc, kc, q, q + 1, bpack);
        bp = bpack;
        ldb = NR;
      }
      // Rows split evenly over the fewest tiles (49 rows: 13+12+12+12, not 14+14+14+7).
      long tiles = (P.M + MR - 1) / MR;
      for (long ti = 0, i = 0; ti < tiles; ti++) {
        long mr = (P.M - i) / (tiles - ti);
        run_tile(mr, nr, kc, apack + i * LDA, LDA, bp, ldb, O.c + i * O.ldc + j0, O.ldc, flags, bias, O.act, tile);
        i += mr;
      }
    }
  }
}

/**
 * A matrix-vector style product for 1 to 4 rows of A (a batch-1 dense layer): B is streamed
 * row after row, four rows at a time, each thread owning a contiguous range of columns whose
 * sums stay in L1 (panels of a huge weight matrix would hop a page per row and defeat the
 * prefetcher).
 */
void gemv_columns(long M, const float* a, long ars, long acs, const float* b, long ldb, long K, long c0, long c1, float* c,
                  long ldc, const float* bias, int act, float* acc) {
  const long width = c1 - c0;
  for (long i = 0; i < M * width; i++) acc[i] = 0.0f;
  long k = 0;
  for (; k + 4 <= K; k += 4) {
    const float* b0 = b + k * ldb + c0;
    const float* b1 = b0 + ldb;
    const float* b2 = b1 + ldb;
    const float* b3 = b2 + ldb;
    for (long m = 0; m < M; m++) {
      const float* am = a + m * ars + k * acs;
      vf a0 = set1<vf>(am[0]), a1 = set1<vf>(am[acs]), a2 = set1<vf>(am[2 * acs]), a3 = set1<vf>(am[3 * acs]);
      float* accm = acc + m * width;
      long j = 0;
      for (; j + W <= width; j += W)
        store(accm + j, ld<vf>(accm + j) + a0 * ld<vf>(b0 + j) + a1 * ld<vf>(b1 + j) + a2 * ld<vf>(b2 + j) + a3 * ld<vf>(b3 + j));
      for (; j < width; j++) accm[j] += am[0] * b0[j] + am[acs] * b1[j] + am[2 * acs] * b2[j] + am[3 * acs] * b3[j];
    }
  }
  for (; k < K; k++) {
    const float* b0 = b + k * ldb + c0;
    for (long m = 0; m < M; m++) {
      float av = a[m * ars + k * acs];
      float* accm = acc + m * width;
      for (long j = 0; j < width; j++) accm[j] += av * b0[j];
    }
  }
  for (long m = 0; m < M; m++) {
    float* dst = c + m * ldc + c0;
    apply_bias_act(acc + m * width, width, 1, width, bias ? bias + c0 : nullptr, act);
    for (long j = 0; j < width; j++) dst[j] = acc[m * width + j];
  }
}

void gemv(long M, long N, long K, const GemmA& A, const GemmB& B, const GemmOut& O, int threads) {
  // Contiguous column ranges (whole vectors), a few per thread for balance, at most 2048 wide.
  long vecs = (N + W - 1) / W;
  long chunks = threads > 1 ? lmax((long)threads * 2, (N + 2047) / 2048) : (N + 2047) / 2048;
  chunks = lmax(1, lmin(chunks, vecs));
  auto body = [&](long t, int) {
    long c0 = lmin(N, vecs * t / chunks * W), c1 = lmin(N, vecs * (t + 1) / chunks * W);
    if (c1 <= c0) return;
    float* acc = (float*)pool_scratch(S_PACK_A, sizeof(float) * M * (c1 - c0));
    gemv_columns(M, A.p, A.rs, A.cs, B.p, B.rs, K, c0, c1, O.c, O.ldc, O.bias, O.act, acc);
  };
  if (threads <= 1) {
    for (long t = 0; t < chunks; t++) body(t, pool_thread_index());
  } else {
    parallel_tasks(chunks, body);
  }
}

/** Runs tasks on the pool, or inline when the product is too small to share. */
template <class F>
void run_tasks(long tasks, int threads, F& body) {
  if (threads <= 1) {
    int thread = pool_thread_index();
    for (long t = 0; t < tasks; t++) body(t, thread);
  } else {
    parallel_tasks(tasks, body);
  }
}

/** Packs B for [kb, ke) of a plan into dst, in parallel over (k block, panel group). */
void prepack_b(const Plan& P, float* dst, int threads) {
  long kblocks = (P.ke - P.kb + KC - 1) / KC;
  long groups = (P.npanels + 7) / 8;
  auto body = [&](long t, int) {
    long kbk = t / groups, g = t - kbk * groups;
    long pc = P.kb + kbk * KC;
    long kc = lmin(KC, P.ke - pc);
    long q0 = g * 8, q1 = lmin(P.npanels, q0 + 8);
    pack_b(*P.B, P.N, pc, kc, q0, q1, dst + (pc - P.kb) * P.npanels * NR + q0 * kc * NR);
  };
  run_tasks(kblocks * groups, threads, body);
}

/** Runs one plan: chooses the task grid, prepacks B when several row blocks share it. */
void gemm_run(Plan& P, int threads) {
  P.npanels = (P.N + NR - 1) / NR;
  if (P.M <= kDirectBRows && P.B->kind == GemmB::STRIDED && P.B->cs == 1) {
    P.mblocks = 1;
    P.nchunks = threads > 1 ? lmin(P.npanels, (long)threads * 4) : 1;
    P.prepacked = nullptr;
    auto body = [&](long t, int) { gemm_direct_b_task(P, t); };
    run_tasks(P.nchunks, threads, body);
    return;
  }
  P.mblocks = (P.M + MC - 1) / MC;
  // Enough tasks to balance the threads, but column chunks no narrower than one panel.
  long want = threads > 1 ? threads * 3 : 1;
  if (threads == 1) want = 1;
  P.nchunks = P.mblocks >= want ? 1 : lmin(P.npanels, (want + P.mblocks - 1) / P.mblocks);
  P.prepacked = nullptr;
  long bsize = (P.ke - P.kb) * P.npanels * NR;
  if (P.mblocks > 1 && bsize <= (16L << 20)) {
    float* dst = (float*)pool_scratch(S_PREPACK_B, sizeof(float) * bsize);
    prepack_b(P, dst, threads);
    P.prepacked = dst;
  }
  auto body = [&](long t, int) { gemm_task(P, t % P.mblocks, t / P.mblocks); };
  run_tasks(P.mblocks * P.nchunks, threads, body);
}

}  // namespace

UkFn microkernel(int mr) { return ukernel_for(mr); }

void apply_bias_act(float* c, long ldc, long rows, long cols, const float* bias, int act) {
  if (!bias && act == A_LINEAR) return;
  for (long r = 0; r < rows; r++) {
    float* row = c + r * ldc;
    long j = 0;
    for (; j + W <= cols; j += W) {
      vf v = ld<vf>(row + j);
      if (bias) v += ld<vf>(bias + j);
      store(row + j, activate(v, act));
    }
    for (; j < cols; j++) {
      float v = row[j];
      if (bias) v += bias[j];
      row[j] = activate(v, act);
    }
  }
}

void gemm(long M, long N, long K, const GemmA& A, const GemmB& B, const GemmOut& O) {
  if (M <= 0 || N <= 0) return;
  if (K <= 0) {
    for (long i = 0; i < M; i++)
      for (long j = 0; j < N; j++) O.c[i * O.ldc + j] = O.accumulate ? O.c[i * O.ldc + j] : 0.0f;
    apply_bias_act(O.c, O.ldc, M, N, O.bias, O.act);
    return;
  }
  int threads = pool_in_parallel() ? 1 : pool_threads();
  // Waking a sleeping thread costs tens of microseconds: products under ~4M multiply-adds (about
  // that long on one core) run on the caller alone.
  if (M * N * K < (1L << 22)) threads = 1;
  long tiles = ((M + MR - 1) / MR) * ((N + NR - 1) / NR);
  // A small output with a long K (weight gradients): splitting the output would leave threads
  // idle or repack the operands per task, so each thread takes a slice of K instead.
  bool smallOutput = tiles < threads * 4L || (M <= MC && M * N <= (1L << 18));
  if (threads > 1 && smallOutput && K >= 4 * KC * threads && M * N <= (1L << 22)) {
    long parts = threads;
    float* partial = (float*)pool_scratch(S_KSPLIT, sizeof(float) * parts * M * N);
    long kblocks = (K + KC - 1) / KC;
    auto body = [&](long part, int) {
      Plan P{};
      P.M = M;
      P.N = N;
      P.kb = kblocks * part / parts * KC;
      P.ke = lmin(K, kblocks * (part + 1) / parts * KC);
      P.A = &A;
      P.B = &B;
      P.out = GemmOut{partial + part * M * N, N, nullptr, A_LINEAR, false};
      if (P.ke > P.kb) {
        gemm_run(P, 1);
      } else {
        for (long i = 0; i < M * N; i++) P.out.c[i] = 0.0f;
      }
    };
    parallel_tasks(parts, body);
    for (long i = 0; i < M; i++) {
      float* dst = O.c + i * O.ldc;
      const float* src = partial + i * N;
      for (long j = 0; j < N; j++) {
        float s = src[j];
        for (long p = 1; p < parts; p++) s += src[p * M * N + j];
        dst[j] = O.accumulate ? dst[j] + s : s;
      }
    }
    apply_bias_act(O.c, O.ldc, M, N, O.bias, O.act);
    return;
  }
  if (M <= 4 && !O.accumulate && A.kind == GemmA::STRIDED && B.kind == GemmB::STRIDED && B.cs == 1) {
    gemv(M, N, K, A, B, O, threads);
    return;
  }
  Plan P{};
  P.M = M;
  P.N = N;
  P.kb = 0;
  P.ke = K;
  P.A = &A;
  P.B = &B;
  P.out = O;
  gemm_run(P, threads);
}

}  // namespace CAPA_NS
}  // namespace capa
