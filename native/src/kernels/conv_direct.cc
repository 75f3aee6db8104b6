// Convolution fed straight from the image (no im2col packing). For a row of MR output pixels and
// one filter tap, the input pixels the tap reads are evenly spaced (stride * C floats apart), so
// they already form an A operand the microkernel can read in place; taps accumulate into the
// output tile. Packing patches costs about one copy per patch element, which is a large share of
// the work when there are few output channels (each element then feeds only 2 * F flops); this
// path avoids it. Tiles at the image border (some rows read padding) run each tap on the rows that
// stay inside, into a zeroed tile.
#include "common.h"
#include "kernels.h"
#include "microkernel.h"

namespace capa {
namespace CAPA_NS {
namespace {

struct DirectPlan {
  const float* x;
  const float* packed;  // filter as panels: panel q is [taps * C][NR]
  const float* bias;    // padded to npanels * NR, or null
  float* out;
  const ConvGeom* g;
  const long* tapOffsets;  // per tap: offset in floats from the tile's first input pixel
  long taps, npanels, tilesPerRow;
  int act;
};

/** Output pixels [ow0, ow0 + mr) of output row `row` (= n * outH + oh), columns [j0, j0 + nr). */
void direct_tile(const DirectPlan& P, long row, long ow0, long mr, long q, float* tile) {
  const ConvGeom& g = *P.g;
  const long C = g.inC, F = g.outC;
  const long n = row / g.outH, oh = row - n * g.outH;
  const long ih0 = oh * g.strideH - g.padTop;
  const long iwFirst = ow0 * g.strideW - g.padLeft;
  const long lda = (long)g.strideW * C;
  const float* img = P.x + n * (long)g.inH * g.inW * C;
  float* o = P.out + (row * g.outW + ow0) * F;
  const long j0 = q * NR;
  const long nr = lmin(NR, F - j0);
  const float* bq = P.packed + q * P.taps * C * NR;
  const float* bias = P.bias ? P.bias + j0 : nullptr;
  bool interior = ih0 >= 0 && ih0 + (long)(g.kH - 1) * g.dilationH < g.inH && iwFirst >= 0 &&
                  iwFirst + (mr - 1) * g.strideW + (long)(g.kW - 1) * g.dilationW < g.inW;
  if (interior && nr == NR) {
    // Every tap reads inside the image: one microkernel call sums all taps in registers.
    const float* a = img + (ih0 * g.inW + iwFirst) * C;
    microkernel((int)mr)(P.taps, P.tapOffsets, nullptr, C, a, lda, bq, NR, o + j0, F, F_EPILOGUE, bias, P.act);
    return;
  }
  // Border (or a partial panel): accumulate the in-bounds rows of each tap into a zeroed tile.
  for (long i = 0; i < mr * NR; i++) tile[i] = 0.0f;
  for (long t = 0; t < P.taps; t++) {
    long kh = t / g.kW, kw = t - kh * g.kW;
    long ih = ih0 + kh * g.dilationH;
    if (ih < 0 || ih >= g.inH) continue;
    // Rows whose input column is inside: iw = iwFirst + r * strideW + kw * dilationW.
    long base = iwFirst + kw * g.dilationW;
    long rlo = base >= 0 ? 0 : (-base + g.strideW - 1) / g.strideW;
    long rhi = base + (mr - 1) * g.strideW < g.inW ? mr : (g.inW - 1 - base) / g.strideW + 1;
    if (base >= g.inW) rhi = 0;
    if (rhi <= rlo) continue;
    const float* a = img + (ih * g.inW + base + rlo * g.strideW) * C;
    for (long c0 = 0; c0 < C; c0 += KC) {
      long kc = lmin(KC, C - c0);
      microkernel((int)(rhi - rlo))(1, nullptr, nullptr, kc, a + c0, lda, bq + (t * C + c0) * NR, NR, tile + rlo * NR, NR,
                                    F_ACCUMULATE, nullptr, A_LINEAR);
    }
  }
  for (long r = 0; r < mr; r++)
    for (long j = 0; j < nr; j++) o[r * F + j0 + j] = tile[r * NR + j];
  apply_bias_act(o + j0, F, mr, nr, bias, P.act);
}

}  // namespace

bool conv_direct_suits(const ConvGeom& g) {
  // Enough channels per tap to amortize the per-tap accumulation, few output channels (where
  // packing would dominate), and rows that do not alias in L1 (a 4 KiB multiple apart).
  long rowBytes = (long)g.strideW * g.inC * 4;
  return g.inC >= 16 && g.outC <= 128 && rowBytes % 4096 != 0;
}

void conv2d_direct(const float* x, const float* filter, float* out, const ConvGeom& g, const float* bias, int act) {
  const long C = g.inC, F = g.outC, taps = (long)g.kH * g.kW;
  const long npanels = (F + NR - 1) / NR;
  // The filter ([taps * C, F], HWIO) as NR-wide panels, zero-padded; and the bias likewise.
  int thread = pool_thread_index();
  float* packed = (float*)pool_scratch(S_TEMP, sizeof(float) * (npanels * taps * C * NR + npanels * NR));
  for (long q = 0; q < npanels; q++) {
    long j0 = q * NR, nr = lmin(NR, F - j0);
    float* d = packed + q * taps * C * NR;
    for (long k = 0; k < taps * C; k++) {
      const float* s = filter + k * F + j0;
      for (long j = 0; j < nr; j++) d[k * NR + j] = s[j];
      for (long j = nr; j < NR; j++) d[k * NR + j] = 0.0f;
    }
  }
  float* biasPadded = nullptr;
  if (bias) {
    biasPadded = packed + npanels * taps * C * NR;
    for (long j = 0; j < npanels * NR; j++) biasPadded[j] = j < F ? bias[j] : 0.0f;
  }
  long* tapOffsets = (long*)pool_scratch(S_TEMP2, sizeof(long) * taps);
  for (long t = 0; t < taps; t++) {
    long kh = t / g.kW, kw = t - kh * g.kW;
    tapOffsets[t] = (kh * g.dilationH * g.inW + kw * g.dilationW) * C;
  }
  DirectPlan P{x, packed, biasPadded, out, &g, tapOffsets, taps, npanels, (g.outW + MR - 1) / MR, act};
  // Tasks are groups of tiles; within one, panels run outermost so a panel of the filter stays in
  // L1 across the group's tiles. Tiles split each output row evenly (56: 4 x 14, 7: 7).
  const long rows = (long)g.batch * g.outH;
  const long tilesPerRow = P.tilesPerRow;
  const long totalTiles = rows * tilesPerRow;
  const long group = 4;
  auto body = [&](long t, int) {
    float* tile = (float*)pool_scratch(S_TILE, sizeof(float) * MR * NR);
    long first = t * group, last = lmin(totalTiles, first + group);
    for (long q = 0; q < npanels; q++) {
      for (long ti = first; ti < last; ti++) {
        long row = ti / tilesPerRow, k = ti - row * tilesPerRow;
        long ow0 = g.outW * k / tilesPerRow, ow1 = g.outW * (k + 1) / tilesPerRow;
        direct_tile(P, row, ow0, ow1 - ow0, q, tile);
      }
    }
  };
  long tasks = (totalTiles + group - 1) / group;
  if (totalTiles * MR * F * taps * C < (1L << 20)) {
    for (long t = 0; t < tasks; t++) body(t, thread);
  } else {
    parallel_tasks(tasks, body);
  }
}

bool conv_filter_direct_suits(const ConvGeom& g) { return g.inC >= NR && g.inC % NR == 0; }

/**
 * dFilter with the patches read in place: dFilterT[F, taps * C] = sum over output pixels p of
 * dyT[F, p] (x patch of p). For one filter tap, the input pixels a block of output rows reads are
 * evenly spaced within each row, so each row is one "tap" of the microkernel (its own A and B
 * offsets) and a block of rows accumulates in registers. Only dy is packed (transposed), which
 * is small next to the patches the GEMM formulation would copy. Threads split the output rows
 * and sum their private results at the end.
 */
void conv2d_backprop_filter_direct(const float* x, const float* dy, float* dfilter, const ConvGeom& g) {
  const long C = g.inC, F = g.outC, taps = (long)g.kH * g.kW, K = taps * C;
  const long OW = g.outW, rows = (long)g.batch * g.outH;
  const long R = lmax(1, 256 / OW);  // output rows per block: about 256 pixels of k
  const long la = R * OW + 16;       // row stride of the packed dyT block (+16 against L1 aliasing)
  const long blocks = (rows + R - 1) / R;
  int threads = pool_in_parallel() ? 1 : pool_threads();
  long parts = lmax(1, lmin((long)threads, blocks));
  if (rows * OW * F * K < (1L << 22)) parts = 1;
  float* partial = (float*)pool_scratch(S_KSPLIT, sizeof(float) * parts * F * K);
  const long ldb = (long)g.strideW * C;
  auto body = [&](long part, int) {
    float* T = partial + part * F * K;
    for (long i = 0; i < F * K; i++) T[i] = 0.0f;
    float* A = (float*)pool_scratch(S_PACK_A, sizeof(float) * F * la);
    long* off = (long*)pool_scratch(S_TEMP2, sizeof(long) * 2 * R);
    long* aoff = off;
    long* boff = off + R;
    for (long blk = blocks * part / parts; blk < blocks * (part + 1) / parts; blk++) {
      long r0 = blk * R, r1 = lmin(rows, r0 + R);
      // dyT for the block's pixels (contiguous in dy): A[f][j * OW + ow].
      const float* src = dy + r0 * OW * F;
      long pixels = (r1 - r0) * OW;
      for (long f0 = 0; f0 < F; f0 += 16) {
        long f1 = lmin(F, f0 + 16);
        for (long p = 0; p < pixels; p++)
          for (long f = f0; f < f1; f++) A[f * la + p] = src[p * F + f];
      }
      for (long t = 0; t < taps; t++) {
        long kh = t / g.kW, kw = t - kh * g.kW;
        // Output columns whose input column is inside: iw = ow * strideW - padLeft + kw * dilationW.
        long base = kw * g.dilationW - g.padLeft;
        long lo = base >= 0 ? 0 : (-base + g.strideW - 1) / g.strideW;
        long hi = base + (OW - 1) * g.strideW < g.inW ? OW : (g.inW - 1 - base) / g.strideW + 1;
        if (base >= g.inW) hi = 0;
        if (hi <= lo) continue;
        long n = 0;
        for (long r = r0; r < r1; r++) {
          long img = r / g.outH, oh = r - img * g.outH;
          long ih = oh * g.strideH - g.padTop + kh * g.dilationH;
          if (ih < 0 || ih >= g.inH) continue;
          aoff[n] = (r - r0) * OW + lo;
          boff[n] = ((img * g.inH + ih) * g.inW + base + lo * g.strideW) * C;
          n++;
        }
        if (n == 0) continue;
        // Output channels split evenly over the fewest tiles (64: 13+13+13+13+12).
        const long ftiles = (F + MR - 1) / MR;
        for (long ft = 0, i0 = 0; ft < ftiles; ft++) {
          long mr = (F - i0) / (ftiles - ft);
          for (long c0 = 0; c0 < C; c0 += NR) {
            microkernel((int)mr)(n, aoff, boff, hi - lo, A + i0 * la, la, x + c0, ldb, T + i0 * K + t * C + c0, K,
                                 F_ACCUMULATE, nullptr, A_LINEAR);
          }
          i0 += mr;
        }
      }
    }
  };
  if (parts == 1) {
    body(0, pool_thread_index());
  } else {
    parallel_tasks(parts, body);
  }
  // Sum the parts and transpose into HWIO, in 32 x 32 blocks.
  for (long f0 = 0; f0 < F; f0 += 32) {
    long f1 = lmin(F, f0 + 32);
    for (long k0 = 0; k0 < K; k0 += 32) {
      long k1 = lmin(K, k0 + 32);
      for (long k = k0; k < k1; k++)
        for (long f = f0; f < f1; f++) {
          float s = partial[f * K + k];
          for (long q = 1; q < parts; q++) s += partial[(q * F + f) * K + k];
          dfilter[k * F + f] = s;
        }
    }
  }
}

}  // namespace CAPA_NS
}  // namespace capa
