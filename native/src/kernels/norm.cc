// Batch normalization over the channels (last axis) of x viewed as [rows, channels], layer
// normalization over each row of x viewed as [rows, cols], and the fused optimizer updates. Per-channel statistics are summed in float over blocks of rows and
// joined in double, so long batches keep the reference's float64 accuracy.
#include "kernels.h"
#include "vmath.h"

namespace capa {
namespace CAPA_NS {
namespace {

/**
 * y = (x - center) * scale + shift per channel over rows [r0, r1). Centering first keeps a large
 * mean from cancelling in float32 (x * scale + shift loses everything when |mean * scale| is huge).
 */
void center_scale_shift(const float* x, const float* center, const float* scale, const float* shift, long C, long r0, long r1,
                        float* out) {
  for (long r = r0; r < r1; r++) {
    const float* xr = x + r * C;
    float* o = out + r * C;
    long c = 0;
    for (; c + W <= C; c += W) store(o + c, (ld<vf>(xr + c) - ld<vf>(center + c)) * ld<vf>(scale + c) + ld<vf>(shift + c));
    for (; c < C; c++) o[c] = (xr[c] - center[c]) * scale[c] + shift[c];
  }
}

void apply_center_scale_shift(const float* x, const float* center, const float* scale, const float* shift, long C, long rows,
                              float* out) {
  auto body = [&](long r0, long r1) { center_scale_shift(x, center, scale, shift, C, r0, r1, out); };
  parallel_range(rows, lmax(1, (1L << 15) / lmax(C, 1)), body);
}

/**
 * Per-channel sums accumulated in double (like the float64 reference): rowfn(r, acc) adds row r
 * into the nsums * C doubles at acc. Rows are split across threads and the parts joined in order.
 */
template <class RowFn>
void channel_sums(long rows, long C, long nsums, double* totals, RowFn rowfn) {
  int threads = pool_in_parallel() ? 1 : pool_threads();
  long parts = rows * C < (1L << 15) ? 1 : lmin(threads, rows);
  double* partial = (double*)pool_scratch(S_TEMP, sizeof(double) * parts * nsums * C);
  auto body = [&](long p, int) {
    long r0 = rows * p / parts, r1 = rows * (p + 1) / parts;
    double* tot = partial + p * nsums * C;
    for (long i = 0; i < nsums * C; i++) tot[i] = 0.0;
    for (long r = r0; r < r1; r++) rowfn(r, tot);
  };
  if (parts == 1) {
    body(0, pool_thread_index());
  } else {
    parallel_tasks(parts, body);
  }
  for (long i = 0; i < nsums * C; i++) {
    double s = 0.0;
    for (long p = 0; p < parts; p++) s += partial[p * nsums * C + i];
    totals[i] = s;
  }
}

}  // namespace

void batch_norm_inference(const float* x, const float* mean, const float* var, const float* gamma, const float* beta, float eps,
                          long C, long rows, float* out) {
  float* ss = (float*)pool_scratch(S_TEMP2, sizeof(float) * 2 * C);
  for (long c = 0; c < C; c++) {
    ss[c] = (float)((gamma ? (double)gamma[c] : 1.0) / __builtin_sqrt((double)var[c] + (double)eps));
    ss[C + c] = beta ? beta[c] : 0.0f;
  }
  apply_center_scale_shift(x, mean, ss, ss + C, C, rows, out);
}

void batch_norm_training(const float* x, const float* gamma, const float* beta, float eps, long C, long rows, float* out,
                         float* mean, float* var) {
  double* tot = (double*)pool_scratch(S_KSPLIT, sizeof(double) * 2 * C);
  channel_sums(rows, C, 1, tot, [&](long r, double* acc) {
    const float* xr = x + r * C;
    long c = 0;
    for (; c + W <= C; c += W) add_to_double(acc + c, ld<vf>(xr + c));
    for (; c < C; c++) acc[c] += xr[c];
  });
  float* mf = (float*)pool_scratch(S_PACK_A, sizeof(float) * 3 * C);
  double* md = tot + C;
  for (long c = 0; c < C; c++) {
    md[c] = rows > 0 ? tot[c] / (double)rows : 0.0;
    mf[c] = (float)md[c];
  }
  // Second pass around the float mean; the float mean's own rounding is corrected in double below.
  channel_sums(rows, C, 1, tot, [&](long r, double* acc) {
    const float* xr = x + r * C;
    long c = 0;
    for (; c + W <= C; c += W) {
      vf d = ld<vf>(xr + c) - ld<vf>(mf + c);
      add_to_double(acc + c, d * d);
    }
    for (; c < C; c++) {
      float d = xr[c] - mf[c];
      acc[c] += d * d;
    }
  });
  float* scale = mf + C;
  float* shift = mf + 2 * C;
  for (long c = 0; c < C; c++) {
    double delta = md[c] - (double)mf[c];
    double v = rows > 0 ? tot[c] / (double)rows - delta * delta : 0.0;
    if (v < 0.0) v = 0.0;
    mean[c] = (float)md[c];
    var[c] = (float)v;
    double s = (gamma ? (double)gamma[c] : 1.0) / __builtin_sqrt(v + (double)eps);
    scale[c] = (float)s;
    // Centered on the float mean; its rounding (delta) moves into the shift.
    shift[c] = (float)((beta ? (double)beta[c] : 0.0) - delta * s);
  }
  apply_center_scale_shift(x, mf, scale, shift, C, rows, out);
}

void batch_norm_grad(const float* x, const float* dy, const float* mean, const float* var, const float* gamma, float eps,
                     long C, long rows, float* dx, float* dgamma, float* dbeta) {
  float* inv = (float*)pool_scratch(S_PACK_A, sizeof(float) * 4 * C);
  for (long c = 0; c < C; c++) inv[c] = (float)(1.0 / __builtin_sqrt((double)var[c] + (double)eps));
  double* tot = (double*)pool_scratch(S_KSPLIT, sizeof(double) * 2 * C);
  // sums[0..C) = Σ dy, sums[C..2C) = Σ dy * (x - mean)
  channel_sums(rows, C, 2, tot, [&](long r, double* acc) {
    const float* xr = x + r * C;
    const float* g = dy + r * C;
    long c = 0;
    for (; c + W <= C; c += W) {
      vf gv = ld<vf>(g + c);
      add_to_double(acc + c, gv);
      add_to_double(acc + C + c, gv * (ld<vf>(xr + c) - ld<vf>(mean + c)));
    }
    for (; c < C; c++) {
      acc[c] += g[c];
      acc[C + c] += g[c] * (xr[c] - mean[c]);
    }
  });
  float* k = inv + C;      // gamma * inv
  float* a = inv + 2 * C;  // Σdy / rows
  float* b = inv + 3 * C;  // Σdy·x̂ / rows * inv
  for (long c = 0; c < C; c++) {
    double sumDy = tot[c], sumDyXhat = tot[C + c] * (double)inv[c];
    dbeta[c] = (float)sumDy;
    dgamma[c] = (float)sumDyXhat;
    k[c] = (gamma ? gamma[c] : 1.0f) * inv[c];
    a[c] = rows > 0 ? (float)(sumDy / (double)rows) : 0.0f;
    b[c] = rows > 0 ? (float)(sumDyXhat / (double)rows) * inv[c] : 0.0f;
  }
  // dx = k * (dy - a - (x - mean) * b)
  auto body = [&](long r0, long r1) {
    for (long r = r0; r < r1; r++) {
      const float* xr = x + r * C;
      const float* g = dy + r * C;
      float* d = dx + r * C;
      long c = 0;
      for (; c + W <= C; c += W) {
        vf xh = ld<vf>(xr + c) - ld<vf>(mean + c);
        store(d + c, ld<vf>(k + c) * (ld<vf>(g + c) - ld<vf>(a + c) - xh * ld<vf>(b + c)));
      }
      for (; c < C; c++) d[c] = k[c] * (g[c] - a[c] - (xr[c] - mean[c]) * b[c]);
    }
  };
  parallel_range(rows, lmax(1, (1L << 15) / lmax(C, 1)), body);
}

namespace {

/** Σ x[0..n) accumulated in double lanes (a row's statistics keep the float64 reference's accuracy). */
double row_sum(const float* x, long n) {
  double lanes[W] = {};
  long c = 0;
  for (; c + W <= n; c += W) add_to_double(lanes, ld<vf>(x + c));
  double s = 0.0;
  for (int i = 0; i < W; i++) s += lanes[i];
  for (; c < n; c++) s += x[c];
  return s;
}

/** Σ (x - center)^2 over x[0..n), in double lanes. */
double row_centered_squares(const float* x, float center, long n) {
  double lanes[W] = {};
  long c = 0;
  for (; c + W <= n; c += W) {
    vf d = ld<vf>(x + c) - center;
    add_to_double(lanes, d * d);
  }
  double s = 0.0;
  for (int i = 0; i < W; i++) s += lanes[i];
  for (; c < n; c++) s += (double)(x[c] - center) * (x[c] - center);
  return s;
}

/** Rows per task: enough elements to be worth a thread wake-up. */
long row_grain(long cols) { return lmax(1, (1L << 14) / lmax(cols, 1)); }

}  // namespace

void layer_norm(const float* x, const float* gamma, const float* beta, float* out, float* mean, float* rstd, float eps, long rows,
                long cols) {
  auto body = [&](long r0, long r1) {
    for (long r = r0; r < r1; r++) {
      const float* xr = x + r * cols;
      float* o = out + r * cols;
      // Two passes (mean, then squares around it): one pass of Σx² - (Σx)² cancels for a large mean.
      double m = cols > 0 ? row_sum(xr, cols) / (double)cols : 0.0;
      float mf = (float)m;
      double delta = m - (double)mf;
      double var = cols > 0 ? row_centered_squares(xr, mf, cols) / (double)cols - delta * delta : 0.0;
      if (var < 0.0) var = 0.0;
      float rs = (float)(1.0 / __builtin_sqrt(var + (double)eps));
      mean[r] = mf;
      rstd[r] = rs;
      // x - mean as (x - mf) - df: the float mean's rounding (df) comes off after the nearly exact
      // first difference, so a large mean next to a small spread keeps the double mean's accuracy.
      const float df = (float)delta;
      long c = 0;
      if (gamma && beta) {
        for (; c + W <= cols; c += W) store(o + c, (ld<vf>(xr + c) - mf - df) * rs * ld<vf>(gamma + c) + ld<vf>(beta + c));
        for (; c < cols; c++) o[c] = (xr[c] - mf - df) * rs * gamma[c] + beta[c];
      } else {
        for (; c + W <= cols; c += W) {
          vf v = (ld<vf>(xr + c) - mf - df) * rs;
          if (gamma) v = v * ld<vf>(gamma + c);
          if (beta) v = v + ld<vf>(beta + c);
          store(o + c, v);
        }
        for (; c < cols; c++) o[c] = (xr[c] - mf - df) * rs * (gamma ? gamma[c] : 1.0f) + (beta ? beta[c] : 0.0f);
      }
    }
  };
  parallel_range(rows, row_grain(cols), body);
}

void layer_norm_grad(const float* x, const float* dy, const float* mean, const float* rstd, const float* gamma, float* dx,
                     float* dgamma, float* dbeta, long rows, long cols) {
  // dGamma = Σ_rows dy·x̂ and dBeta = Σ_rows dy, summed per column in double across threads.
  double* tot = (double*)pool_scratch(S_KSPLIT, sizeof(double) * 2 * lmax(cols, 1));
  channel_sums(rows, cols, 2, tot, [&](long r, double* acc) {
    const float* xr = x + r * cols;
    const float* g = dy + r * cols;
    const float m = mean[r], rs = rstd[r];
    long c = 0;
    for (; c + W <= cols; c += W) {
      vf gv = ld<vf>(g + c);
      add_to_double(acc + c, gv * ((ld<vf>(xr + c) - m) * rs));
      add_to_double(acc + cols + c, gv);
    }
    for (; c < cols; c++) {
      acc[c] += g[c] * ((xr[c] - m) * rs);
      acc[cols + c] += g[c];
    }
  });
  for (long c = 0; c < cols; c++) {
    dgamma[c] = (float)tot[c];
    dbeta[c] = (float)tot[cols + c];
  }
  // Per row, with g = dy·gamma and x̂ = (x - mean)·rstd: dx = rstd·(g - mean(g) - x̂·mean(g·x̂)).
  auto body = [&](long r0, long r1) {
    for (long r = r0; r < r1; r++) {
      const float* xr = x + r * cols;
      const float* g = dy + r * cols;
      float* d = dx + r * cols;
      const float m = mean[r], rs = rstd[r];
      double sg = 0.0, sgx = 0.0;
      for (long c = 0; c < cols; c++) {
        double gc = (double)g[c] * (gamma ? gamma[c] : 1.0f);
        sg += gc;
        sgx += gc * (double)((xr[c] - m) * rs);
      }
      const float a = cols > 0 ? (float)(sg / (double)cols) : 0.0f;
      const float b = cols > 0 ? (float)(sgx / (double)cols) : 0.0f;
      long c = 0;
      for (; c + W <= cols; c += W) {
        vf gc = gamma ? ld<vf>(g + c) * ld<vf>(gamma + c) : ld<vf>(g + c);
        vf xh = (ld<vf>(xr + c) - m) * rs;
        store(d + c, rs * (gc - a - xh * b));
      }
      for (; c < cols; c++) {
        float gc = g[c] * (gamma ? gamma[c] : 1.0f);
        d[c] = rs * (gc - a - (xr[c] - m) * rs * b);
      }
    }
  };
  parallel_range(rows, row_grain(cols), body);
}

void sgd(float* p, const float* g, float* v, long n, float lr, float momentum, bool nesterov) {
  auto body = [&](long b, long e) {
    long i = b;
    if (!v) {
      for (; i + W <= e; i += W) store(p + i, ld<vf>(p + i) - lr * ld<vf>(g + i));
      for (; i < e; i++) p[i] -= lr * g[i];
      return;
    }
    // By value only: a generic lambda deduces vf's natural (vector-size) alignment, which a
    // reference to a vf variable (declared 4-aligned in isa.h) does not have.
    auto velocity = [&](auto gv, auto vv) { return momentum * vv - lr * gv; };
    auto param = [&](auto pv, auto gv, auto nv) { return pv + (nesterov ? momentum * nv - lr * gv : nv); };
    for (; i + W <= e; i += W) {
      vf gv = ld<vf>(g + i);
      vf nv = velocity(gv, ld<vf>(v + i));
      store(v + i, nv);
      store(p + i, param(ld<vf>(p + i), gv, nv));
    }
    for (; i < e; i++) {
      float nv = velocity(g[i], v[i]);
      v[i] = nv;
      p[i] = param(p[i], g[i], nv);
    }
  };
  parallel_range(n, 1L << 15, body);
}

void adam(float* p, const float* g, float* m, float* v, float* vmax, long n, float step, float b1, float b2, float eps) {
  const float a1 = 1.0f - b1, a2 = 1.0f - b2;
  auto body = [&](long b, long e) {
    // By value: see sgd.
    auto upd = [&](auto mv, auto denom) { return step * mv / (vsqrt(denom) + eps); };
    long i = b;
    for (; i + W <= e; i += W) {
      vf gv = ld<vf>(g + i);
      vf mv = ld<vf>(m + i);
      vf vv = ld<vf>(v + i);
      mv += (gv - mv) * a1;
      vv += (gv * gv - vv) * a2;
      store(m + i, mv);
      store(v + i, vv);
      vf denom = vv;
      if (vmax) {
        denom = select(ld<vf>(vmax + i) > vv, ld<vf>(vmax + i), vv);
        store(vmax + i, denom);
      }
      store(p + i, ld<vf>(p + i) - upd(mv, denom));
    }
    for (; i < e; i++) {
      float mv = m[i] + (g[i] - m[i]) * a1, vv = v[i] + (g[i] * g[i] - v[i]) * a2;
      m[i] = mv;
      v[i] = vv;
      float denom = vv;
      if (vmax) {
        denom = vmax[i] > vv ? vmax[i] : vv;
        vmax[i] = denom;
      }
      p[i] -= upd(mv, denom);
    }
  };
  parallel_range(n, 1L << 15, body);
}

}  // namespace CAPA_NS
}  // namespace capa
