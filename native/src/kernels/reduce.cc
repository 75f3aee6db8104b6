// Reductions over the middle axis of [outer, red, inner], arg-reductions, and the softmax family.
#include "kernels.h"
#include "vmath.h"

namespace capa {
namespace CAPA_NS {
namespace {

constexpr long kGrain = 1L << 15;

template <class T>
CAPA_INLINE T combine(int op, T acc, T v) {
  switch (op) {
    case R_MAX: return vmax(v, acc);
    case R_MIN: return vmin(v, acc);
    case R_PROD: return acc * v;
    // R_SUM and R_MEAN; reduce() refuses any other code before its loops run.
    default: return acc + v;
  }
}

float identity(int op) {
  return op == R_MAX ? -__builtin_inff() : op == R_MIN ? __builtin_inff() : op == R_PROD ? 1.0f : 0.0f;
}

/** Sum of a contiguous row, accumulated in double (a loss is often the sum of many terms). */
double sum_row_double(const float* x, long n) {
  long i = 0;
  double s = 0.0;
#if CAPA_W == 16
  __m512d a0 = _mm512_setzero_pd(), a1 = _mm512_setzero_pd();
  for (; i + 16 <= n; i += 16) {
    __m512 v = _mm512_loadu_ps(x + i);
    a0 = _mm512_add_pd(a0, _mm512_cvtps_pd(_mm512_castps512_ps256(v)));
    a1 = _mm512_add_pd(a1, _mm512_cvtps_pd(_mm512_extractf32x8_ps(v, 1)));
  }
  s = _mm512_reduce_add_pd(_mm512_add_pd(a0, a1));
#elif CAPA_W == 8
  __m256d a0 = _mm256_setzero_pd(), a1 = _mm256_setzero_pd();
  for (; i + 8 <= n; i += 8) {
    __m256 v = _mm256_loadu_ps(x + i);
    a0 = _mm256_add_pd(a0, _mm256_cvtps_pd(_mm256_castps256_ps128(v)));
    a1 = _mm256_add_pd(a1, _mm256_cvtps_pd(_mm256_extractf128_ps(v, 1)));
  }
  double lanes[4];
  _mm256_storeu_pd(lanes, _mm256_add_pd(a0, a1));
  s = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
#endif
  for (; i < n; i++) s += x[i];
  return s;
}

/** Reduces one contiguous row. */
float reduce_row(int op, const float* x, long n) {
  if (op == R_SUM || op == R_MEAN) return (float)(op == R_MEAN ? sum_row_double(x, n) / (double)n : sum_row_double(x, n));
  if (op == R_PROD) {
    double p = 1.0;
    for (long i = 0; i < n; i++) p *= x[i];
    return (float)p;
  }
  float init = identity(op);
  vf acc[4] = {set1<vf>(init), set1<vf>(init), set1<vf>(init), set1<vf>(init)};
  long i = 0;
  for (; i + 4 * W <= n; i += 4 * W) {
    acc[0] = combine(op, acc[0], ld<vf>(x + i));
    acc[1] = combine(op, acc[1], ld<vf>(x + i + W));
    acc[2] = combine(op, acc[2], ld<vf>(x + i + 2 * W));
    acc[3] = combine(op, acc[3], ld<vf>(x + i + 3 * W));
  }
  for (; i + W <= n; i += W) acc[0] = combine(op, acc[0], ld<vf>(x + i));
  acc[0] = combine(op, combine(op, acc[0], acc[1]), combine(op, acc[2], acc[3]));
  float lanes[W];
  store(lanes, acc[0]);
  float r = lanes[0];
  for (int l = 1; l < W; l++) r = combine(op, r, lanes[l]);
  for (; i < n; i++) r = combine(op, r, x[i]);
  return r;
}

/**
 * out[c] = reduction over `red` rows of x (rows `inner` apart) for columns [c0, c1). Sums
 * accumulate in double like the reference. `scratch` holds (c1 - c0) doubles.
 */
void reduce_columns(int op, const float* x, long red, long inner, long c0, long c1, float* out, void* scratch) {
  const long width = c1 - c0;
  if (op != R_SUM && op != R_MEAN) {
    float init = identity(op);
    for (long c = c0; c < c1; c++) out[c] = init;
    for (long r = 0; r < red; r++) {
      const float* row = x + r * inner;
      long c = c0;
      for (; c + W <= c1; c += W) store(out + c, combine(op, ld<vf>(out + c), ld<vf>(row + c)));
      for (; c < c1; c++) out[c] = combine(op, out[c], row[c]);
    }
    return;
  }
  double* total = (double*)scratch;
  for (long c = 0; c < width; c++) total[c] = 0.0;
  for (long r = 0; r < red; r++) {
    const float* row = x + r * inner + c0;
    long c = 0;
    for (; c + W <= width; c += W) add_to_double(total + c, ld<vf>(row + c));
    for (; c < width; c++) total[c] += row[c];
  }
  double scale = op == R_MEAN && red > 0 ? 1.0 / (double)red : 1.0;
  for (long c = 0; c < width; c++) out[c0 + c] = (float)(total[c] * scale);
}

}  // namespace

bool reduce(int op, const float* x, long outer, long red, long inner, float* out) {
  switch (op) {
    case R_SUM: case R_MEAN: case R_MAX: case R_MIN: case R_PROD: break;
    default: return false;  // a code this kernel has no case for: the binding reports it
  }
  if (inner == 1) {
    auto body = [&](long o0, long o1) {
      for (long o = o0; o < o1; o++) out[o] = reduce_row(op, x + o * red, red);
    };
    parallel_range(outer, lmax(1, kGrain / lmax(red, 1)), body);
    return true;
  }
  int threads = pool_in_parallel() ? 1 : pool_threads();
  long colChunks = lmax(1, lmin((inner + 63) / 64, threads * 2L));
  auto scratchFor = [](long width) { return pool_scratch(S_TEMP2, (sizeof(double) + sizeof(float)) * width); };
  if (outer * colChunks >= threads || red * inner < kGrain * 2) {
    // Tasks over (outer, column chunk): each owns its outputs.
    auto body = [&](long t, int) {
      long o = t / colChunks, ch = t - o * colChunks;
      long c0 = inner * ch / colChunks, c1 = inner * (ch + 1) / colChunks;
      reduce_columns(op, x + o * red * inner, red, inner, c0, c1, out + o * inner, scratchFor(c1 - c0));
    };
    if (red * inner * outer < kGrain) {
      for (long t = 0; t < outer * colChunks; t++) body(t, pool_thread_index());
    } else {
      parallel_tasks(outer * colChunks, body);
    }
    return true;
  }
  // Few outputs, many rows (a bias gradient): split the rows into parts, then join the parts.
  long parts = threads;
  float* partial = (float*)pool_scratch(S_TEMP, sizeof(float) * parts * outer * inner);
  int partOp = op == R_MEAN ? R_SUM : op;
  auto body = [&](long p, int) {
    long r0 = red * p / parts, r1 = red * (p + 1) / parts;
    for (long o = 0; o < outer; o++)
      reduce_columns(partOp, x + (o * red + r0) * inner, r1 - r0, inner, 0, inner, partial + (p * outer + o) * inner,
                     scratchFor(inner));
  };
  parallel_tasks(parts, body);
  for (long i = 0; i < outer * inner; i++) {
    if (partOp == R_SUM) {
      double s = 0.0;
      for (long p = 0; p < parts; p++) s += partial[p * outer * inner + i];
      out[i] = (float)(op == R_MEAN ? s / (double)red : s);
    } else {
      float r = partial[i];
      for (long p = 1; p < parts; p++) r = combine(op, r, partial[p * outer * inner + i]);
      out[i] = r;
    }
  }
  return true;
}

void arg_reduce(bool isMin, const float* x, long outer, long n, long inner, int32_t* out) {
  auto body = [&](long o0, long o1) {
    for (long o = o0; o < o1; o++) {
      const float* base = x + o * n * inner;
      int32_t* dst = out + o * inner;
      if (inner == 1) {
        float best = base[0];
        int32_t idx = 0;
        for (long r = 1; r < n; r++) {
          float v = base[r];
          if (arg_better(isMin, v, best)) {
            best = v;
            idx = (int32_t)r;
          }
        }
        dst[0] = idx;
        continue;
      }
      long c = 0;
      for (; c + W <= inner; c += W) {
        vf best = ld<vf>(base + c);
        vf idx = set1<vf>(0.0f);
        for (long r = 1; r < n; r++) {
          vf v = ld<vf>(base + r * inner + c);
          auto better = arg_better(isMin, v, best);
          best = select(better, v, best);
          idx = select(better, set1<vf>((float)r), idx);
        }
        float tmp[W];
        store(tmp, idx);
        for (int l = 0; l < W; l++) dst[c + l] = (int32_t)tmp[l];
      }
      for (; c < inner; c++) {
        float best = base[c];
        int32_t idx = 0;
        for (long r = 1; r < n; r++) {
          float v = base[r * inner + c];
          if (arg_better(isMin, v, best)) {
            best = v;
            idx = (int32_t)r;
          }
        }
        dst[c] = idx;
      }
    }
  };
  parallel_range(outer, lmax(1, kGrain / lmax(n * inner, 1)), body);
}

void softmax(const float* x, long rows, long cols, float* out, bool log) {
  auto body = [&](long r0, long r1) {
    for (long r = r0; r < r1; r++) {
      const float* xr = x + r * cols;
      float* o = out + r * cols;
      float m = reduce_row(R_MAX, xr, cols);
      vf mv = set1<vf>(m);
      vf sv = set1<vf>(0.0f);
      float s = 0.0f;
      long j = 0;
      if (log) {
        for (; j + W <= cols; j += W) sv += vexp(ld<vf>(xr + j) - mv);
        for (; j < cols; j++) s += vexp(xr[j] - m);
        float lse = m + vlog(s + hsum(sv));
        vf lv = set1<vf>(lse);
        for (j = 0; j + W <= cols; j += W) store(o + j, ld<vf>(xr + j) - lv);
        for (; j < cols; j++) o[j] = xr[j] - lse;
      } else {
        for (; j + W <= cols; j += W) {
          vf e = vexp(ld<vf>(xr + j) - mv);
          store(o + j, e);
          sv += e;
        }
        for (; j < cols; j++) {
          float e = vexp(xr[j] - m);
          o[j] = e;
          s += e;
        }
        float inv = 1.0f / (s + hsum(sv));
        for (j = 0; j + W <= cols; j += W) store(o + j, ld<vf>(o + j) * inv);
        for (; j < cols; j++) o[j] *= inv;
      }
    }
  };
  parallel_range(rows, lmax(1, 4096 / lmax(cols, 1)), body);
}

void softmax_grad(const float* y, const float* dy, long rows, long cols, float* dx, bool log) {
  auto body = [&](long r0, long r1) {
    for (long r = r0; r < r1; r++) {
      const float* yr = y + r * cols;
      const float* g = dy + r * cols;
      float* d = dx + r * cols;
      vf sv = set1<vf>(0.0f);
      float s = 0.0f;
      long j = 0;
      if (log) {
        // dx = dy - exp(y) * sum(dy)
        for (; j + W <= cols; j += W) sv += ld<vf>(g + j);
        for (; j < cols; j++) s += g[j];
        s += hsum(sv);
        for (j = 0; j + W <= cols; j += W) store(d + j, ld<vf>(g + j) - vexp(ld<vf>(yr + j)) * s);
        for (; j < cols; j++) d[j] = g[j] - vexp(yr[j]) * s;
      } else {
        // dx = y * (dy - sum(dy * y))
        for (; j + W <= cols; j += W) sv += ld<vf>(g + j) * ld<vf>(yr + j);
        for (; j < cols; j++) s += g[j] * yr[j];
        s += hsum(sv);
        for (j = 0; j + W <= cols; j += W) store(d + j, ld<vf>(yr + j) * (ld<vf>(g + j) - s));
        for (; j < cols; j++) d[j] = yr[j] * (g[j] - s);
      }
    }
  };
  parallel_range(rows, lmax(1, 4096 / lmax(cols, 1)), body);
}

}  // namespace CAPA_NS
}  // namespace capa
