// Pooling and depthwise convolution over NHWC windows, vectorized across channels (contiguous).
// Forward passes split output rows across threads; scatter-style gradients split by image and
// channel block so no two tasks write the same dx element.
#include "kernels.h"
#include "vmath.h"

namespace capa {
namespace CAPA_NS {
namespace {

constexpr long kChannelBlock = 64;

CAPA_INLINE bool inside(const ConvGeom& g, long ih, long iw) { return ih >= 0 && ih < g.inH && iw >= 0 && iw < g.inW; }

/**
 * The in-bounds taps [k0, k1) x [l0, l1) of the window whose first cell is (ih0, iw0). Pools loop
 * over these alone, so the work follows the input, not the window: a 'same' pool wider than the
 * input would otherwise spend time on every padding cell (minutes for a 1e9-wide window).
 */
struct Window {
  long k0, k1, l0, l1;
  long cells() const { return (k1 - k0) * (l1 - l0); }
};

CAPA_INLINE void taps_inside(long start, long step, long taps, long size, long& first, long& end) {
  first = start >= 0 ? 0 : (-start + step - 1) / step;
  end = start > size - 1 ? 0 : lmin(taps, (size - 1 - start) / step + 1);
  if (end < first) end = first;
}

/** Cells a window can cover inside the input: sizes work without overflowing on huge windows. */
CAPA_INLINE long window_area(const ConvGeom& g) { return lmin(g.kH, g.inH) * lmin(g.kW, g.inW); }

CAPA_INLINE Window window_at(const ConvGeom& g, long ih0, long iw0) {
  Window w;
  taps_inside(ih0, g.dilationH, g.kH, g.inH, w.k0, w.k1);
  taps_inside(iw0, g.dilationW, g.kW, g.inW, w.l0, w.l1);
  return w;
}

long out_rows(const ConvGeom& g) { return (long)g.batch * g.outH; }

/** Tasks = images x channel blocks, for gradients that scatter into dx. */
template <class F>
void per_image_channel_block(const ConvGeom& g, long C, F body) {
  long blocks = (C + kChannelBlock - 1) / kChannelBlock;
  auto task = [&](long t, int) {
    long n = t / blocks, b = t - n * blocks;
    body(n, b * kChannelBlock, lmin(C, (b + 1) * kChannelBlock));
  };
  long work = (long)g.batch * g.outH * g.outW * C * window_area(g);
  if (work < (1L << 15)) {
    for (long t = 0; t < (long)g.batch * blocks; t++) task(t, 0);
  } else {
    parallel_tasks((long)g.batch * blocks, task);
  }
}

}  // namespace

void max_pool(const float* x, float* out, const ConvGeom& g) {
  const long C = g.inC;
  auto body = [&](long r0, long r1) {
    for (long row = r0; row < r1; row++) {
      long n = row / g.outH, oh = row - n * g.outH;
      const float* img = x + n * (long)g.inH * g.inW * C;
      for (long ow = 0; ow < g.outW; ow++) {
        float* o = out + ((row * g.outW) + ow) * C;
        long ih0 = oh * g.strideH - g.padTop, iw0 = ow * g.strideW - g.padLeft;
        Window w = window_at(g, ih0, iw0);
        auto run = [&](auto acc, long c) {
          using T = decltype(acc);
          for (long kh = w.k0; kh < w.k1; kh++) {
            long ih = ih0 + kh * g.dilationH;
            for (long kw = w.l0; kw < w.l1; kw++) {
              long iw = iw0 + kw * g.dilationW;
              acc = vmax(ld<T>(img + (ih * g.inW + iw) * C + c), acc);
            }
          }
          store(o + c, w.cells() > 0 ? acc : set1<T>(0.0f));
        };
        long c = 0;
        for (; c + W <= C; c += W) run(set1<vf>(-__builtin_inff()), c);
        for (; c < C; c++) run(-__builtin_inff(), c);
      }
    }
  };
  parallel_range(out_rows(g), lmax(1, (1L << 14) / lmax(1, (long)g.outW * C * window_area(g))), body);
}

void max_pool_grad(const float* x, const float* dy, float* dx, const ConvGeom& g) {
  const long C = g.inC;
  per_image_channel_block(g, C, [&](long n, long c0, long c1) {
    const float* img = x + n * (long)g.inH * g.inW * C;
    float* dimg = dx + n * (long)g.inH * g.inW * C;
    for (long i = 0; i < (long)g.inH * g.inW; i++)
      for (long c = c0; c < c1; c++) dimg[i * C + c] = 0.0f;
    for (long oh = 0; oh < g.outH; oh++) {
      for (long ow = 0; ow < g.outW; ow++) {
        const float* grad = dy + ((n * g.outH + oh) * g.outW + ow) * C;
        long ih0 = oh * g.strideH - g.padTop, iw0 = ow * g.strideW - g.padLeft;
        Window w = window_at(g, ih0, iw0);
        if (w.cells() == 0) continue;
        bool bigWindow = w.cells() > 64;
        // The window's in-bounds cells, as pixel offsets, in row-major window order.
        long cells[64];
        long ncells = 0;
        for (long kh = w.k0; kh < w.k1 && !bigWindow; kh++)
          for (long kw = w.l0; kw < w.l1; kw++) cells[ncells++] = ((ih0 + kh * g.dilationH) * g.inW + iw0 + kw * g.dilationW) * C;
        long c = c0;
        if (!bigWindow) {
          // Per lane: the first cell holding the max (strict '>'; a NaN beats numbers).
          for (; c + W <= c1; c += W) {
            vf best = ld<vf>(img + cells[0] + c);
            vf where = set1<vf>(0.0f);
            for (long k = 1; k < ncells; k++) {
              vf v = ld<vf>(img + cells[k] + c);
              auto better = arg_better(false, v, best);
              best = select(better, v, best);
              where = select(better, set1<vf>((float)k), where);
            }
            float lanes[W];
            store(lanes, where);
            for (int l = 0; l < W; l++) dimg[cells[(long)lanes[l]] + c + l] += grad[c + l];
          }
        }
        for (; c < c1; c++) {
          float best = 0.0f;
          long at = -1;
          for (long kh = w.k0; kh < w.k1; kh++) {
            long ih = ih0 + kh * g.dilationH;
            for (long kw = w.l0; kw < w.l1; kw++) {
              long iw = iw0 + kw * g.dilationW;
              long p = (ih * g.inW + iw) * C + c;
              float v = img[p];
              if (at < 0 || arg_better(false, v, best)) {
                best = v;
                at = p;
              }
            }
          }
          dimg[at] += grad[c];
        }
      }
    }
  });
}

void avg_pool(const float* x, float* out, const ConvGeom& g) {
  const long C = g.inC;
  auto body = [&](long r0, long r1) {
    for (long row = r0; row < r1; row++) {
      long n = row / g.outH, oh = row - n * g.outH;
      const float* img = x + n * (long)g.inH * g.inW * C;
      for (long ow = 0; ow < g.outW; ow++) {
        float* o = out + ((row * g.outW) + ow) * C;
        long ih0 = oh * g.strideH - g.padTop, iw0 = ow * g.strideW - g.padLeft;
        Window w = window_at(g, ih0, iw0);
        float inv = w.cells() > 0 ? 1.0f / (float)w.cells() : 0.0f;
        auto run = [&](auto acc, long c) {
          using T = decltype(acc);
          for (long kh = w.k0; kh < w.k1; kh++) {
            long ih = ih0 + kh * g.dilationH;
            for (long kw = w.l0; kw < w.l1; kw++) acc += ld<T>(img + (ih * g.inW + iw0 + kw * g.dilationW) * C + c);
          }
          store(o + c, acc * inv);
        };
        long c = 0;
        for (; c + W <= C; c += W) run(set1<vf>(0.0f), c);
        for (; c < C; c++) run(0.0f, c);
      }
    }
  };
  parallel_range(out_rows(g), lmax(1, (1L << 14) / lmax(1, (long)g.outW * C * window_area(g))), body);
}

void avg_pool_grad(const float* dy, float* dx, const ConvGeom& g) {
  const long C = g.inC;
  per_image_channel_block(g, C, [&](long n, long c0, long c1) {
    float* dimg = dx + n * (long)g.inH * g.inW * C;
    for (long i = 0; i < (long)g.inH * g.inW; i++)
      for (long c = c0; c < c1; c++) dimg[i * C + c] = 0.0f;
    for (long oh = 0; oh < g.outH; oh++) {
      for (long ow = 0; ow < g.outW; ow++) {
        const float* grad = dy + ((n * g.outH + oh) * g.outW + ow) * C;
        long ih0 = oh * g.strideH - g.padTop, iw0 = ow * g.strideW - g.padLeft;
        Window w = window_at(g, ih0, iw0);
        if (w.cells() == 0) continue;
        float inv = 1.0f / (float)w.cells();
        for (long kh = w.k0; kh < w.k1; kh++) {
          long ih = ih0 + kh * g.dilationH;
          for (long kw = w.l0; kw < w.l1; kw++) {
            long iw = iw0 + kw * g.dilationW;
            float* d = dimg + (ih * g.inW + iw) * C;
            long c = c0;
            for (; c + W <= c1; c += W) store(d + c, ld<vf>(d + c) + ld<vf>(grad + c) * inv);
            for (; c < c1; c++) d[c] += grad[c] * inv;
          }
        }
      }
    }
  });
}

// ---------------------------------------------------------------- depthwise

void depthwise(const float* x, const float* filter, float* out, const ConvGeom& g) {
  const long C = g.inC, OC = g.outC, M = OC / C;
  auto body = [&](long r0, long r1) {
    for (long row = r0; row < r1; row++) {
      long n = row / g.outH, oh = row - n * g.outH;
      const float* img = x + n * (long)g.inH * g.inW * C;
      for (long ow = 0; ow < g.outW; ow++) {
        float* o = out + ((row * g.outW) + ow) * OC;
        long ih0 = oh * g.strideH - g.padTop, iw0 = ow * g.strideW - g.padLeft;
        if (M == 1) {
          auto run = [&](auto acc, long c) {
            using T = decltype(acc);
            for (long kh = 0; kh < g.kH; kh++) {
              long ih = ih0 + kh * g.dilationH;
              for (long kw = 0; kw < g.kW; kw++) {
                long iw = iw0 + kw * g.dilationW;
                if (!inside(g, ih, iw)) continue;
                acc += ld<T>(img + (ih * g.inW + iw) * C + c) * ld<T>(filter + (kh * g.kW + kw) * OC + c);
              }
            }
            store(o + c, acc);
          };
          long c = 0;
          for (; c + W <= C; c += W) run(set1<vf>(0.0f), c);
          for (; c < C; c++) run(0.0f, c);
          continue;
        }
        for (long j = 0; j < OC; j++) o[j] = 0.0f;
        for (long kh = 0; kh < g.kH; kh++) {
          long ih = ih0 + kh * g.dilationH;
          for (long kw = 0; kw < g.kW; kw++) {
            long iw = iw0 + kw * g.dilationW;
            if (!inside(g, ih, iw)) continue;
            const float* xs = img + (ih * g.inW + iw) * C;
            const float* fs = filter + (kh * g.kW + kw) * OC;
            for (long c = 0; c < C; c++)
              for (long m = 0; m < M; m++) o[c * M + m] += xs[c] * fs[c * M + m];
          }
        }
      }
    }
  };
  parallel_range(out_rows(g), lmax(1, (1L << 14) / lmax(1, (long)g.outW * OC * g.kH * g.kW)), body);
}

void depthwise_backprop_input(const float* dy, const float* filter, float* dx, const ConvGeom& g) {
  const long C = g.inC, OC = g.outC, M = OC / C;
  // Gather form: each dx pixel sums the outputs whose window covers it, so rows split cleanly.
  auto body = [&](long r0, long r1) {
    for (long row = r0; row < r1; row++) {
      long n = row / g.inH, ih = row - n * g.inH;
      for (long iw = 0; iw < g.inW; iw++) {
        float* d = dx + ((row * g.inW) + iw) * C;
        for (long c = 0; c < C; c++) d[c] = 0.0f;
        for (long kh = 0; kh < g.kH; kh++) {
          long th = ih + g.padTop - kh * g.dilationH;
          if (th < 0 || th % g.strideH) continue;
          long oh = th / g.strideH;
          if (oh >= g.outH) continue;
          for (long kw = 0; kw < g.kW; kw++) {
            long tw = iw + g.padLeft - kw * g.dilationW;
            if (tw < 0 || tw % g.strideW) continue;
            long ow = tw / g.strideW;
            if (ow >= g.outW) continue;
            const float* gr = dy + ((n * g.outH + oh) * g.outW + ow) * OC;
            const float* fs = filter + (kh * g.kW + kw) * OC;
            if (M == 1) {
              long c = 0;
              for (; c + W <= C; c += W) store(d + c, ld<vf>(d + c) + ld<vf>(gr + c) * ld<vf>(fs + c));
              for (; c < C; c++) d[c] += gr[c] * fs[c];
            } else {
              for (long c = 0; c < C; c++) {
                float s = 0.0f;
                for (long m = 0; m < M; m++) s += gr[c * M + m] * fs[c * M + m];
                d[c] += s;
              }
            }
          }
        }
      }
    }
  };
  parallel_range((long)g.batch * g.inH, lmax(1, (1L << 14) / lmax(1, (long)g.inW * OC * g.kH * g.kW)), body);
}

void depthwise_backprop_filter(const float* x, const float* dy, float* dfilter, const ConvGeom& g) {
  const long C = g.inC, OC = g.outC, M = OC / C, taps = (long)g.kH * g.kW, size = taps * OC;
  const long rows = out_rows(g);
  int threads = pool_in_parallel() ? 1 : pool_threads();
  long parts = rows * g.outW * size < (1L << 16) ? 1 : lmin(threads, rows);
  float* partial = (float*)pool_scratch(S_TEMP, sizeof(float) * parts * size);
  auto body = [&](long p, int) {
    float* acc = partial + p * size;
    for (long i = 0; i < size; i++) acc[i] = 0.0f;
    for (long row = rows * p / parts; row < rows * (p + 1) / parts; row++) {
      long n = row / g.outH, oh = row - n * g.outH;
      const float* img = x + n * (long)g.inH * g.inW * C;
      for (long ow = 0; ow < g.outW; ow++) {
        const float* gr = dy + ((row * g.outW) + ow) * OC;
        long ih0 = oh * g.strideH - g.padTop, iw0 = ow * g.strideW - g.padLeft;
        for (long kh = 0; kh < g.kH; kh++) {
          long ih = ih0 + kh * g.dilationH;
          for (long kw = 0; kw < g.kW; kw++) {
            long iw = iw0 + kw * g.dilationW;
            if (!inside(g, ih, iw)) continue;
            const float* xs = img + (ih * g.inW + iw) * C;
            float* a = acc + (kh * g.kW + kw) * OC;
            if (M == 1) {
              long c = 0;
              for (; c + W <= C; c += W) store(a + c, ld<vf>(a + c) + ld<vf>(xs + c) * ld<vf>(gr + c));
              for (; c < C; c++) a[c] += xs[c] * gr[c];
            } else {
              for (long c = 0; c < C; c++)
                for (long m = 0; m < M; m++) a[c * M + m] += xs[c] * gr[c * M + m];
            }
          }
        }
      }
    }
  };
  if (parts == 1) {
    body(0, 0);
  } else {
    parallel_tasks(parts, body);
  }
  for (long i = 0; i < size; i++) {
    float s = 0.0f;
    for (long p = 0; p < parts; p++) s += partial[p * size + i];
    dfilter[i] = s;
  }
}

}  // namespace CAPA_NS
}  // namespace capa
