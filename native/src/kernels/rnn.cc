// Recurrent layers over a whole sequence, forward and backpropagation through time: LSTM, GRU
// (both reset_after forms) and SimpleRNN. Per step the recurrent product is one GEMM over the
// batch (the shared sgemm driver, threaded over tiles); the gate math is one fused pass split over
// the pool by batch rows. The backward forms dR as one GEMM over every step at the end
// ([T·B, U]ᵀ × [T·B, gates·U], straight from the saved states). Layouts and mask semantics are
// RnnInfo's (src/backend/backend.ts); src/backend/js/{lstm,gru,simple-rnn}.ts is the reference.
#include "kernels.h"
#include "vmath.h"

// GCC 12 flags the deliberately undefined pass-through operand of _mm512_roundscale_ps (inside
// vexp, inlined into the gate loops here) as used uninitialized; the rounding writes every lane.
#pragma GCC diagnostic ignored "-Wuninitialized"

namespace capa {
namespace CAPA_NS {
namespace {

struct Seq {
  long B, T, U;
  bool backwards, zeroOutput;
  const float* mask;
  long time(long s) const { return backwards ? T - 1 - s : s; }
  bool kept(long b, long t) const { return mask == nullptr || mask[b * T + t] != 0.0f; }
  /** Whether step s's output of row b reaches its h (a zeroed masked output passes nothing). */
  bool outputLive(long b, long t) const { return !zeroOutput || kept(b, t); }
};

/** C[M, N] (row stride ldc) = A[M, K] (lda) · B[K, N] (ldb). */
void mm(long M, long N, long K, const float* a, long lda, const float* b, long ldb, float* c, long ldc) {
  gemm(M, N, K, GemmA{GemmA::STRIDED, a, lda, 1, nullptr}, GemmB{GemmB::STRIDED, b, ldb, 1, nullptr},
       GemmOut{c, ldc, nullptr, A_LINEAR, false});
}

/** C[M, N] = A[M, K] · Bᵀ with B stored [N, K] (ldb). */
void mm_bt(long M, long N, long K, const float* a, long lda, const float* b, long ldb, float* c, long ldc) {
  gemm(M, N, K, GemmA{GemmA::STRIDED, a, lda, 1, nullptr}, GemmB{GemmB::STRIDED, b, 1, ldb, nullptr},
       GemmOut{c, ldc, nullptr, A_LINEAR, false});
}

/** C[M, N] = Aᵀ · B with A stored [K, M] (lda) and B [K, N] (ldb). */
void mm_at(long M, long N, long K, const float* a, long lda, const float* b, long ldb, float* c, long ldc) {
  gemm(M, N, K, GemmA{GemmA::STRIDED, a, 1, lda, nullptr}, GemmB{GemmB::STRIDED, b, ldb, 1, nullptr},
       GemmOut{c, ldc, nullptr, A_LINEAR, false});
}

/** body(b0, b1) over the batch rows, split across the pool when a step has enough work. */
template <class F>
void over_rows(long B, long U, F& body) {
  parallel_range(B, lmax(1, 8192 / lmax(U, 1)), body);
}

/** f(lane, j) over [0, n): whole vectors (lane a vf), then the tail one float at a time. */
template <class F>
CAPA_INLINE void lanes(long n, F f) {
  long j = 0;
  for (; j + W <= n; j += W) f(set1<vf>(0.0f), j);
  for (; j < n; j++) f(0.0f, j);
}

void copy(float* dst, const float* src, long n) { __builtin_memcpy(dst, src, sizeof(float) * n); }
void zero(float* dst, long n) { __builtin_memset(dst, 0, sizeof(float) * n); }

/** sequences[b, s] = the state after step s (kept: new h; masked: the carried h), or 0 when masked with zeroOutput. */
void write_output(const Seq& q, const float* hNext, long s, long t, long b, float* seq) {
  float* dst = seq + (b * q.T + s) * q.U;
  if (q.kept(b, t) || !q.zeroOutput) copy(dst, hNext + b * q.U, q.U);
  else zero(dst, q.U);
}

/** dh[b] += dSequences[b, s]. */
void add_output_grad(const Seq& q, const float* dseq, long s, long t, long b, float* dh) {
  if (!q.outputLive(b, t)) return;
  const float* g = dseq + (b * q.T + s) * q.U;
  float* d = dh + b * q.U;
  for (long j = 0; j < q.U; j++) d[j] += g[j];
}

/** dxProj[b, t] = the row of the step's input gradients. */
void write_input_grad(const Seq& q, long width, const float* row, long t, long b, float* dx) {
  copy(dx + (b * q.T + t) * width, row, width);
}

}  // namespace

void lstm_sequence(const float* x, const float* R, const float* h0, const float* c0, const float* mask, float* seq, float* hs,
                   float* cs, float* gates, long B, long T, long U, bool backwards, bool zeroOutput) {
  const Seq q{B, T, U, backwards, zeroOutput, mask};
  const long G = 4 * U, S = B * U;
  copy(hs, h0, S);
  copy(cs, c0, S);
  for (long s = 0; s < T; s++) {
    const long t = q.time(s);
    float* g = gates + s * B * G;
    const float *hp = hs + s * S, *cp = cs + s * S;
    float *hn = hs + (s + 1) * S, *cn = cs + (s + 1) * S;
    mm(B, G, U, hp, U, R, G, g, G);
    auto body = [&](long b0, long b1) {
      for (long b = b0; b < b1; b++) {
        float* row = g + b * G;
        const float* xr = x + (b * T + t) * G;
        const long o = b * U;
        const bool kept = q.kept(b, t);
        lanes(U, [&](auto lane, long j) {
          using V = decltype(lane);
          V i = vsigmoid(ld<V>(row + j) + ld<V>(xr + j));
          V f = vsigmoid(ld<V>(row + U + j) + ld<V>(xr + U + j));
          V c = vtanh(ld<V>(row + 2 * U + j) + ld<V>(xr + 2 * U + j));
          V out = vsigmoid(ld<V>(row + 3 * U + j) + ld<V>(xr + 3 * U + j));
          store(row + j, i);
          store(row + U + j, f);
          store(row + 2 * U + j, c);
          store(row + 3 * U + j, out);
          V cPrev = ld<V>(cp + o + j);
          V cNew = f * cPrev + i * c;
          store(cn + o + j, kept ? cNew : cPrev);
          store(hn + o + j, kept ? out * vtanh(cNew) : ld<V>(hp + o + j));
        });
        write_output(q, hn, s, t, b, seq);
      }
    };
    over_rows(B, U, body);
  }
}

void lstm_sequence_grad(const float* R, const float* mask, const float* hs, const float* cs, const float* gates, const float* dseq,
                        const float* dLastH, const float* dLastC, float* dx, float* dR, float* dh0, float* dc0, long B, long T,
                        long U, bool backwards, bool zeroOutput) {
  const Seq q{B, T, U, backwards, zeroOutput, mask};
  const long G = 4 * U, S = B * U;
  // the pre-activation gate gradients of every step, step-major: the rows of the dR GEMM
  float* dG = (float*)pool_scratch(S_TEMP, sizeof(float) * (T * B * G + 1));
  float* buf = (float*)pool_scratch(S_TEMP2, sizeof(float) * (3 * S + 1));
  float *dh = buf, *dhPrev = buf + S, *dc = buf + 2 * S;
  copy(dh, dLastH, S);
  copy(dc, dLastC, S);
  for (long s = T - 1; s >= 0; s--) {
    const long t = q.time(s);
    const float* g = gates + s * B * G;
    const float *cp = cs + s * S, *cn = cs + (s + 1) * S;
    float* dg = dG + s * B * G;
    auto body = [&](long b0, long b1) {
      for (long b = b0; b < b1; b++) {
        add_output_grad(q, dseq, s, t, b, dh);
        float* drow = dg + b * G;
        if (!q.kept(b, t)) {
          zero(drow, G);  // dc and dh pass through unchanged
        } else {
          const float* row = g + b * G;
          const long o = b * U;
          lanes(U, [&](auto lane, long j) {
            using V = decltype(lane);
            V i = ld<V>(row + j), f = ld<V>(row + U + j), c = ld<V>(row + 2 * U + j), out = ld<V>(row + 3 * U + j);
            V tc = vtanh(ld<V>(cn + o + j));
            V dhj = ld<V>(dh + o + j);
            V dct = ld<V>(dc + o + j) + dhj * out * (1.0f - tc * tc);
            store(drow + j, dct * c * i * (1.0f - i));
            store(drow + U + j, dct * ld<V>(cp + o + j) * f * (1.0f - f));
            store(drow + 2 * U + j, dct * i * (1.0f - c * c));
            store(drow + 3 * U + j, dhj * tc * out * (1.0f - out));
            store(dc + o + j, dct * f);
          });
        }
        write_input_grad(q, G, drow, t, b, dx);
      }
    };
    over_rows(B, U, body);
    mm_bt(B, U, G, dg, G, R, G, dhPrev, U);
    for (long b = 0; b < B; b++)
      if (!q.kept(b, t)) copy(dhPrev + b * U, dh + b * U, U);
    float* swap = dh;
    dh = dhPrev;
    dhPrev = swap;
  }
  mm_at(U, G, T * B, hs, U, dG, G, dR, G);
  copy(dh0, dh, S);
  copy(dc0, dc, S);
}

void gru_sequence(const float* x, const float* R, const float* rb, const float* h0, const float* mask, float* seq, float* hs,
                  float* gates, long B, long T, long U, bool backwards, bool zeroOutput, bool resetAfter) {
  const Seq q{B, T, U, backwards, zeroOutput, mask};
  const long X = 3 * U, G = 4 * U, S = B * U;
  const long hhWidth = resetAfter ? X : 2 * U;
  // hh: h·R (resetAfter) or h·R_zr, then (r·h)·R_h; resetH: r·h
  float* buf = (float*)pool_scratch(S_TEMP2, sizeof(float) * (B * hhWidth + S + 1));
  float *hh = buf, *resetH = buf + B * hhWidth;
  copy(hs, h0, S);
  for (long s = 0; s < T; s++) {
    const long t = q.time(s);
    float* g = gates + s * B * G;
    const float* hp = hs + s * S;
    float* hn = hs + (s + 1) * S;
    mm(B, hhWidth, U, hp, U, R, X, hh, hhWidth);
    auto gatesZR = [&](long b0, long b1) {
      for (long b = b0; b < b1; b++) {
        float* row = g + b * G;
        const float* xr = x + (b * T + t) * X;
        const float* hr = hh + b * hhWidth;
        const long o = b * U;
        lanes(U, [&](auto lane, long j) {
          using V = decltype(lane);
          V bz = rb ? ld<V>(rb + j) : set1<V>(0.0f), br = rb ? ld<V>(rb + U + j) : set1<V>(0.0f);
          V z = vsigmoid(ld<V>(xr + j) + ld<V>(hr + j) + bz);
          V r = vsigmoid(ld<V>(xr + U + j) + ld<V>(hr + U + j) + br);
          store(row + j, z);
          store(row + U + j, r);
          if (resetAfter) {
            store(row + 3 * U + j, ld<V>(hr + 2 * U + j) + (rb ? ld<V>(rb + 2 * U + j) : set1<V>(0.0f)));
          } else {
            V rh = r * ld<V>(hp + o + j);
            store(row + 3 * U + j, rh);
            store(resetH + o + j, rh);
          }
        });
      }
    };
    over_rows(B, U, gatesZR);
    if (!resetAfter) mm(B, U, U, resetH, U, R + 2 * U, X, hh, U);
    auto update = [&](long b0, long b1) {
      for (long b = b0; b < b1; b++) {
        float* row = g + b * G;
        const float* xr = x + (b * T + t) * X + 2 * U;
        const long o = b * U;
        const bool kept = q.kept(b, t);
        lanes(U, [&](auto lane, long j) {
          using V = decltype(lane);
          V z = ld<V>(row + j);
          V recurrent = resetAfter ? ld<V>(row + U + j) * ld<V>(row + 3 * U + j) : ld<V>(hh + o + j);
          V n = vtanh(ld<V>(xr + j) + recurrent);
          store(row + 2 * U + j, n);
          V hPrev = ld<V>(hp + o + j);
          store(hn + o + j, kept ? z * hPrev + (1.0f - z) * n : hPrev);
        });
        write_output(q, hn, s, t, b, seq);
      }
    };
    over_rows(B, U, update);
  }
}

void gru_sequence_grad(const float* R, const float* mask, const float* hs, const float* gates, const float* dseq, const float* dLastH,
                       float* dx, float* dR, float* drb, float* dh0, long B, long T, long U, bool backwards, bool zeroOutput,
                       bool resetAfter) {
  const Seq q{B, T, U, backwards, zeroOutput, mask};
  const long X = 3 * U, G = 4 * U, S = B * U;
  // gradients of the recurrent products of every step, step-major: d(hh) [T, B, 3U] (resetAfter),
  // else d(h·R_zr) [T, B, 2U] and d((r·h)·R_h) = dn in dN [T, B, U]
  const long rw = resetAfter ? X : 2 * U;
  float* dRec = (float*)pool_scratch(S_TEMP, sizeof(float) * (T * B * (rw + (resetAfter ? 0 : U)) + 1));
  float* dN = dRec + T * B * rw;
  float* buf = (float*)pool_scratch(S_TEMP2, sizeof(float) * (4 * S + B * X + 1));
  float *dh = buf, *dhPrev = buf + S, *direct = buf + 2 * S, *dResetH = buf + 3 * S, *dStep = buf + 4 * S;
  copy(dh, dLastH, S);
  for (long s = T - 1; s >= 0; s--) {
    const long t = q.time(s);
    const float* g = gates + s * B * G;
    const float* hp = hs + s * S;
    float* dr = dRec + s * B * rw;
    float* dn = dN + s * S;
    auto first = [&](long b0, long b1) {
      for (long b = b0; b < b1; b++) {
        add_output_grad(q, dseq, s, t, b, dh);
        float *drow = dr + b * rw, *dsr = dStep + b * X;
        const long o = b * U;
        if (!q.kept(b, t)) {
          zero(drow, rw);
          zero(dsr, X);
          if (!resetAfter) zero(dn + o, U);
          continue;
        }
        const float* row = g + b * G;
        lanes(U, [&](auto lane, long j) {
          using V = decltype(lane);
          V z = ld<V>(row + j), n = ld<V>(row + 2 * U + j);
          V dhj = ld<V>(dh + o + j);
          V dan = dhj * (1.0f - z) * (1.0f - n * n);
          V daz = dhj * (ld<V>(hp + o + j) - n) * z * (1.0f - z);
          store(dsr + j, daz);
          store(dsr + 2 * U + j, dan);
          store(direct + o + j, dhj * z);
          store(drow + j, daz);
          if (resetAfter) {
            V r = ld<V>(row + U + j);
            V dar = dan * ld<V>(row + 3 * U + j) * r * (1.0f - r);
            store(dsr + U + j, dar);
            store(drow + U + j, dar);
            store(drow + 2 * U + j, dan * r);
          } else {
            store(dn + o + j, dan);
          }
        });
      }
    };
    over_rows(B, U, first);
    if (!resetAfter) {
      // d(r·h) = dn·R_hᵀ gives dr and a part of dh
      mm_bt(B, U, U, dn, U, R + 2 * U, X, dResetH, U);
      auto second = [&](long b0, long b1) {
        for (long b = b0; b < b1; b++) {
          if (!q.kept(b, t)) continue;
          const float* row = g + b * G;
          float *drow = dr + b * rw, *dsr = dStep + b * X;
          const long o = b * U;
          lanes(U, [&](auto lane, long j) {
            using V = decltype(lane);
            V r = ld<V>(row + U + j), drh = ld<V>(dResetH + o + j);
            V dar = drh * ld<V>(hp + o + j) * r * (1.0f - r);
            store(dsr + U + j, dar);
            store(drow + U + j, dar);
            store(direct + o + j, ld<V>(direct + o + j) + drh * r);
          });
        }
      };
      over_rows(B, U, second);
    }
    mm_bt(B, U, rw, dr, rw, R, X, dhPrev, U);
    auto last = [&](long b0, long b1) {
      for (long b = b0; b < b1; b++) {
        const long o = b * U;
        write_input_grad(q, X, dStep + b * X, t, b, dx);
        if (!q.kept(b, t)) {
          copy(dhPrev + o, dh + o, U);
          continue;
        }
        for (long j = 0; j < U; j++) dhPrev[o + j] += direct[o + j];
      }
    };
    over_rows(B, U, last);
    float* swap = dh;
    dh = dhPrev;
    dhPrev = swap;
  }
  if (resetAfter) {
    mm_at(U, X, T * B, hs, U, dRec, X, dR, X);
  } else {
    mm_at(U, 2 * U, T * B, hs, U, dRec, 2 * U, dR, X);
    // the h columns: (r·h)ᵀ·dn, r·h read in place from the saved gates' fourth block
    mm_at(U, U, T * B, gates + 3 * U, G, dN, U, dR + 2 * U, X);
  }
  if (drb) {
    zero(drb, X);
    for (long r = 0; r < T * B; r++)
      for (long j = 0; j < rw; j++) drb[j] += dRec[r * rw + j];
  }
  copy(dh0, dh, S);
}

void simple_rnn_sequence(const float* x, const float* R, const float* h0, const float* mask, float* seq, float* hs, long B, long T,
                         long U, bool backwards, bool zeroOutput, bool relu) {
  const Seq q{B, T, U, backwards, zeroOutput, mask};
  const long S = B * U;
  copy(hs, h0, S);
  for (long s = 0; s < T; s++) {
    const long t = q.time(s);
    const float* hp = hs + s * S;
    float* hn = hs + (s + 1) * S;
    mm(B, U, U, hp, U, R, U, hn, U);
    auto body = [&](long b0, long b1) {
      for (long b = b0; b < b1; b++) {
        const long o = b * U;
        if (!q.kept(b, t)) {
          copy(hn + o, hp + o, U);
        } else {
          const float* xr = x + (b * T + t) * U;
          lanes(U, [&](auto lane, long j) {
            using V = decltype(lane);
            V z = ld<V>(hn + o + j) + ld<V>(xr + j);
            store(hn + o + j, relu ? vmax(z, set1<V>(0.0f)) : vtanh(z));
          });
        }
        write_output(q, hn, s, t, b, seq);
      }
    };
    over_rows(B, U, body);
  }
}

void simple_rnn_sequence_grad(const float* R, const float* mask, const float* hs, const float* dseq, const float* dLastH, float* dx,
                              float* dR, float* dh0, long B, long T, long U, bool backwards, bool zeroOutput, bool relu) {
  const Seq q{B, T, U, backwards, zeroOutput, mask};
  const long S = B * U;
  float* dPre = (float*)pool_scratch(S_TEMP, sizeof(float) * (T * S + 1));
  float* buf = (float*)pool_scratch(S_TEMP2, sizeof(float) * (2 * S + 1));
  float *dh = buf, *dhPrev = buf + S;
  copy(dh, dLastH, S);
  for (long s = T - 1; s >= 0; s--) {
    const long t = q.time(s);
    const float* hn = hs + (s + 1) * S;
    float* dp = dPre + s * S;
    auto body = [&](long b0, long b1) {
      for (long b = b0; b < b1; b++) {
        add_output_grad(q, dseq, s, t, b, dh);
        const long o = b * U;
        if (!q.kept(b, t)) {
          zero(dp + o, U);
        } else {
          for (long j = 0; j < U; j++) {
            float h = hn[o + j];
            float slope = relu ? (h > 0.0f ? 1.0f : 0.0f) : 1.0f - h * h;
            dp[o + j] = dh[o + j] * slope;
          }
        }
        write_input_grad(q, U, dp + o, t, b, dx);
      }
    };
    over_rows(B, U, body);
    mm_bt(B, U, U, dp, U, R, U, dhPrev, U);
    for (long b = 0; b < B; b++)
      if (!q.kept(b, t)) copy(dhPrev + b * U, dh + b * U, U);
    float* swap = dh;
    dh = dhPrev;
    dhPrev = swap;
  }
  mm_at(U, U, T * B, hs, U, dPre, U, dR, U);
  copy(dh0, dh, S);
}

}  // namespace CAPA_NS
}  // namespace capa
