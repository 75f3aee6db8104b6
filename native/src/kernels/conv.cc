// 2-D convolution over NHWC data with HWIO filters, all three passes as GEMMs:
//   forward         out[P, F]  = patches(x)[P, K] · filter[K, F]          (1x1 stride-1: x itself)
//   input gradient  stride 1:  a forward convolution of dy with the flipped, transposed filter;
//                   strided (or a non-finite filter): col = dy · filterᵀ, then col2im adds the
//                   patches back into dx
//   filter gradient dFilterᵀ[F, K] = dyᵀ[F, P] · patches(x)[P, K], K split across threads
// Patches are never materialized for the forward passes: the GEMM packs them straight from x.
#include "common.h"
#include "kernels.h"

namespace capa {
namespace CAPA_NS {
namespace {

bool pointwise(const ConvGeom& g) {
  return g.kH == 1 && g.kW == 1 && g.strideH == 1 && g.strideW == 1 && g.padTop == 0 && g.padLeft == 0 &&
         g.padBottom == 0 && g.padRight == 0;
}

/** Adds the patches in col (rows [r0, r1) of this geometry, each K = kH*kW*C long) back into dx. */
void col2im(const float* col, const ConvGeom& g, long r0, long r1, float* dx) {
  const long C = g.inC;
  const long perImage = (long)g.outH * g.outW;
  for (long r = r0; r < r1; r++) {
    long n = r / perImage, rem = r - n * perImage;
    long oh = rem / g.outW, ow = rem - oh * g.outW;
    long ih0 = oh * g.strideH - g.padTop, iw0 = ow * g.strideW - g.padLeft;
    float* img = dx + n * (long)g.inH * g.inW * C;
    const float* src = col + (r - r0) * (long)g.kH * g.kW * C;
    for (long kh = 0; kh < g.kH; kh++) {
      long ih = ih0 + kh * g.dilationH;
      for (long kw = 0; kw < g.kW; kw++, src += C) {
        long iw = iw0 + kw * g.dilationW;
        if (ih < 0 || ih >= g.inH || iw < 0 || iw >= g.inW) continue;
        float* d = img + (ih * g.inW + iw) * C;
        long c = 0;
        for (; c + W <= C; c += W) store(d + c, ld<vf>(d + c) + ld<vf>(src + c));
        for (; c < C; c++) d[c] += src[c];
      }
    }
  }
}

/** Whether every value is finite: a NaN or an infinity needs the col2im form of the input gradient. */
bool all_finite(const float* v, long n) {
  for (long i = 0; i < n; i++)
    if (!(v[i] - v[i] == 0.0f)) return false;
  return true;
}

}  // namespace

void conv2d(const float* x, const float* filter, float* out, const ConvGeom& g, const float* bias, int act) {
  // The direct kernel skips padding taps; the GEMM multiplies them as zeros, which a non-finite
  // tap turns into NaN, as zero-padding does in TensorFlow and in the reference.
  if (conv_direct_suits(g) && all_finite(filter, (long)g.kH * g.kW * g.inC * g.outC)) {
    conv2d_direct(x, filter, out, g, bias, act);
    return;
  }
  long M = (long)g.batch * g.outH * g.outW, N = g.outC, K = (long)g.kH * g.kW * g.inC;
  GemmA A = pointwise(g) ? GemmA{GemmA::STRIDED, x, g.inC, 1, nullptr} : GemmA{GemmA::IM2COL, x, 0, 0, &g};
  GemmB B{GemmB::STRIDED, filter, N, 1, nullptr};
  gemm(M, N, K, A, B, GemmOut{out, N, bias, act, false});
}

void conv2d_backprop_input(const float* dy, const float* filter, float* dx, const ConvGeom& g) {
  const long C = g.inC, F = g.outC, taps = (long)g.kH * g.kW, K = taps * C;
  const long rows = (long)g.batch * g.outH * g.outW;
  const long dxSize = (long)g.batch * g.inH * g.inW * C;
  if (pointwise(g)) {
    // dx[P, C] = dy[P, F] · filter[C, F]ᵀ
    gemm(rows, C, F, GemmA{GemmA::STRIDED, dy, F, 1, nullptr}, GemmB{GemmB::STRIDED, filter, 1, F, nullptr},
         GemmOut{dx, C, nullptr, A_LINEAR, false});
    return;
  }
  // The stride-1 form correlates a zero-padded dy with the filter, so a padding zero meets every
  // tap; with an infinite tap that is 0 * inf = NaN where the true gradient (only real outputs
  // contribute, as in TensorFlow and the reference) is finite. Such filters take the col2im form.
  if (g.strideH == 1 && g.strideW == 1 && all_finite(filter, taps * C * F)) {
    // Correlating dy with the filter rotated 180 degrees and transposed to [kh, kw, F, C].
    float* flipped = (float*)pool_scratch(S_COL, sizeof(float) * taps * F * C);
    for (long t = 0; t < taps; t++) {
      const float* src = filter + (taps - 1 - t) * C * F;
      float* dst = flipped + t * F * C;
      for (long c = 0; c < C; c++)
        for (long f = 0; f < F; f++) dst[f * C + c] = src[c * F + f];
    }
    ConvGeom t{};
    t.batch = g.batch;
    t.inH = g.outH;
    t.inW = g.outW;
    t.inC = (int)F;
    t.outH = g.inH;
    t.outW = g.inW;
    t.outC = (int)C;
    t.kH = g.kH;
    t.kW = g.kW;
    t.strideH = t.strideW = 1;
    t.dilationH = g.dilationH;
    t.dilationW = g.dilationW;
    t.padTop = (g.kH - 1) * g.dilationH - g.padTop;
    t.padLeft = (g.kW - 1) * g.dilationW - g.padLeft;
    t.padBottom = (g.kH - 1) * g.dilationH - g.padBottom;
    t.padRight = (g.kW - 1) * g.dilationW - g.padRight;
    if (conv_direct_suits(t)) {
      conv2d_direct(dy, flipped, dx, t, nullptr, A_LINEAR);
      return;
    }
    long M = (long)g.batch * g.inH * g.inW;
    gemm(M, C, taps * F, GemmA{GemmA::IM2COL, dy, 0, 0, &t}, GemmB{GemmB::STRIDED, flipped, C, 1, nullptr},
         GemmOut{dx, C, nullptr, A_LINEAR, false});
    return;
  }
  // Patch gradients col = dy · filterᵀ ([rows, K]), added back with col2im.
  for (long i = 0; i < dxSize; i++) dx[i] = 0.0f;
  const GemmB Bt{GemmB::STRIDED, filter, 1, F, nullptr};
  const long perImage = (long)g.outH * g.outW;
  int threads = pool_threads();
  if (g.batch >= threads && threads > 1 && !pool_in_parallel()) {
    // One image per task: each writes only its own part of dx.
    auto body = [&](long n, int) {
      float* col = (float*)pool_scratch(S_COL, sizeof(float) * perImage * K);
      gemm(perImage, K, F, GemmA{GemmA::STRIDED, dy + n * perImage * F, F, 1, nullptr}, Bt,
           GemmOut{col, K, nullptr, A_LINEAR, false});
      col2im(col, g, n * perImage, (n + 1) * perImage, dx);
    };
    parallel_tasks(g.batch, body);
    return;
  }
  long chunk = lmax(1, lmin(rows, (4L << 20) / lmax(1, K)));
  float* col = (float*)pool_scratch(S_COL, sizeof(float) * chunk * K);
  for (long r0 = 0; r0 < rows; r0 += chunk) {
    long r1 = lmin(rows, r0 + chunk);
    gemm(r1 - r0, K, F, GemmA{GemmA::STRIDED, dy + r0 * F, F, 1, nullptr}, Bt, GemmOut{col, K, nullptr, A_LINEAR, false});
    col2im(col, g, r0, r1, dx);
  }
}

void conv2d_backprop_filter(const float* x, const float* dy, float* dfilter, const ConvGeom& g) {
  // The direct kernel skips padding cells; the GEMM multiplies them as zeros, which a non-finite
  // dy turns into NaN, as in TensorFlow and the reference.
  if (conv_filter_direct_suits(g) && all_finite(dy, (long)g.batch * g.outH * g.outW * g.outC)) {
    conv2d_backprop_filter_direct(x, dy, dfilter, g);
    return;
  }
  const long C = g.inC, F = g.outC, K = (long)g.kH * g.kW * C;
  const long rows = (long)g.batch * g.outH * g.outW;
  // dFilterᵀ[F, K] = dyᵀ · patches, then transposed into the HWIO layout.
  float* t = (float*)pool_scratch(S_TEMP, sizeof(float) * F * K);
  GemmA A{GemmA::STRIDED, dy, 1, F, nullptr};
  GemmB B = pointwise(g) ? GemmB{GemmB::STRIDED, x, C, 1, nullptr} : GemmB{GemmB::IM2COL, x, 0, 0, &g};
  gemm(F, K, rows, A, B, GemmOut{t, K, nullptr, A_LINEAR, false});
  // Transposed back in 32 x 32 blocks, so both sides stay in cache lines already loaded.
  for (long f0 = 0; f0 < F; f0 += 32) {
    long f1 = lmin(F, f0 + 32);
    for (long k0 = 0; k0 < K; k0 += 32) {
      long k1 = lmin(K, k0 + 32);
      for (long k = k0; k < k1; k++)
        for (long f = f0; f < f1; f++) dfilter[k * F + f] = t[f * K + k];
    }
  }
}

}  // namespace CAPA_NS
}  // namespace capa
