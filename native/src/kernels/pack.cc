// Packing of GEMM operands: A into row blocks (stride LDA), B into k-major panels NR wide, from
// plain matrices (either orientation) or straight from an NHWC image as convolution patches.
#include "pack.h"

namespace capa {
namespace CAPA_NS {


/** Copies rows [i0, i0 + rows) x columns [k0, k0 + kc) of A into dst (row stride LDA). */
void pack_a(const GemmA& A, long i0, long rows, long k0, long kc, float* dst) {
  if (A.kind == GemmA::STRIDED) {
    if (A.cs == 1) {
      for (long r = 0; r < rows; r++) copy_run(dst + r * LDA, A.p + (i0 + r) * A.rs + k0, kc);
    } else {
      // A stored transposed: 16 rows at a time, so the 16 destination rows stay in L1 while k
      // walks the source's contiguous runs.
      for (long r0 = 0; r0 < rows; r0 += 16) {
        long r1 = lmin(rows, r0 + 16);
        for (long k = 0; k < kc; k++) {
          const float* src = A.p + (k0 + k) * A.cs + i0 * A.rs;
          for (long r = r0; r < r1; r++) dst[r * LDA + k] = src[r * A.rs];
        }
      }
    }
    return;
  }
  const ConvGeom& g = *A.geom;
  const long C = g.inC;
  const long perImage = (long)g.outH * g.outW;
  for (long r = 0; r < rows; r++) {
    long i = i0 + r;
    long n = i / perImage;
    long rem = i - n * perImage;
    long oh = rem / g.outW, ow = rem - oh * g.outW;
    long ih0 = oh * g.strideH - g.padTop, iw0 = ow * g.strideW - g.padLeft;
    const float* img = A.p + n * (long)g.inH * g.inW * C;
    float* d = dst + r * LDA;
    long k = k0, kend = k0 + kc;
    long tap = k / C, c = k - tap * C;
    long kh = tap / g.kW, kw = tap - kh * g.kW;
    const long rowRun = g.kW * C;
    const bool wholeRows = g.dilationW == 1 && iw0 >= 0 && iw0 + g.kW <= g.inW;
    while (k < kend) {
      long ih = ih0 + kh * g.dilationH;
      if (wholeRows && kw == 0 && c == 0 && kend - k >= rowRun) {
        // The filter row's taps are adjacent pixels: one contiguous run of kW * C values.
        if (ih >= 0 && ih < g.inH)
          copy_run(d, img + (ih * g.inW + iw0) * C, rowRun);
        else
          zero_run(d, rowRun);
        d += rowRun;
        k += rowRun;
        kh++;
        continue;
      }
      long run = C - c;
      if (run > kend - k) run = kend - k;
      long iw = iw0 + kw * g.dilationW;
      if (ih >= 0 && ih < g.inH && iw >= 0 && iw < g.inW) {
        copy_run(d, img + (ih * g.inW + iw) * C + c, run);
      } else {
        zero_run(d, run);
      }
      d += run;
      k += run;
      c = 0;
      if (++kw == g.kW) {
        kw = 0;
        kh++;
      }
    }
  }
}

/** Packs rows [k0, k0 + kc) x panels [q0, q1) of B: panel q is kc x NR, zero-padded past N. */
void pack_b(const GemmB& B, long N, long k0, long kc, long q0, long q1, float* dst) {
  if (B.kind == GemmB::STRIDED) {
    for (long q = q0; q < q1; q++) {
      float* d = dst + (q - q0) * kc * NR;
      long j0 = q * NR;
      long nr = N - j0 < NR ? N - j0 : NR;
      if (B.cs == 1) {
        const float* s = B.p + k0 * B.rs + j0;
        if (nr == NR) {
          for (long k = 0; k < kc; k++) copy_run(d + k * NR, s + k * B.rs, NR);
        } else {
          for (long k = 0; k < kc; k++) {
            for (long j = 0; j < nr; j++) d[k * NR + j] = s[k * B.rs + j];
            for (long j = nr; j < NR; j++) d[k * NR + j] = 0.0f;
          }
        }
      } else {
        // Column j of the panel is a contiguous run of the source when B is stored transposed
        // (rs == 1): read along it and write down the (L1-resident) panel.
        const float* s = B.p + k0 * B.rs + j0 * B.cs;
        for (long j = 0; j < nr; j++)
          for (long k = 0; k < kc; k++) d[k * NR + j] = s[j * B.cs + k * B.rs];
        for (long j = nr; j < NR; j++)
          for (long k = 0; k < kc; k++) d[k * NR + j] = 0.0f;
      }
    }
    return;
  }
  // IM2COL: row k is output pixel k0 + k, columns (kh, kw, c) in runs of C channels. Each pixel's
  // coordinates are worked out once, then its runs are spread over the panels they fall in.
  const ConvGeom& g = *B.geom;
  const long C = g.inC;
  const long perImage = (long)g.outH * g.outW;
  const long jBegin = q0 * NR, jEnd = lmin(N, q1 * NR);
  const long panelSize = kc * NR;
  long i = k0;
  long n = i / perImage, rem = i - n * perImage;
  long oh = rem / g.outW, ow = rem - oh * g.outW;
  for (long k = 0; k < kc; k++) {
    long ih0 = oh * g.strideH - g.padTop, iw0 = ow * g.strideW - g.padLeft;
    const float* img = B.p + n * (long)g.inH * g.inW * C;
    long j = jBegin;
    long tap = j / C, c = j - tap * C;
    long kh = tap / g.kW, kw = tap - kh * g.kW;
    while (j < jEnd) {
      long q = j / NR, col = j - q * NR;
      long run = C - c;
      if (run > jEnd - j) run = jEnd - j;
      if (run > NR - col) run = NR - col;  // a run never crosses into the next panel
      float* dd = dst + (q - q0) * panelSize + k * NR + col;
      long ih = ih0 + kh * g.dilationH, iw = iw0 + kw * g.dilationW;
      if (ih >= 0 && ih < g.inH && iw >= 0 && iw < g.inW) {
        copy_run(dd, img + (ih * g.inW + iw) * C + c, run);
      } else {
        zero_run(dd, run);
      }
      j += run;
      c += run;
      if (c == C) {
        c = 0;
        if (++kw == g.kW) {
          kw = 0;
          kh++;
        }
      }
    }
    if (jEnd < q1 * NR) zero_run(dst + (q1 - 1 - q0) * panelSize + k * NR + (jEnd - (q1 - 1) * NR), q1 * NR - jEnd);
    if (++ow == g.outW) {
      ow = 0;
      if (++oh == g.outH) {
        oh = 0;
        n++;
      }
    }
  }
}

}  // namespace CAPA_NS
}  // namespace capa
