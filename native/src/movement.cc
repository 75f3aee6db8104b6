#include "movement.h"

#include <string.h>

#include "threadpool.h"

namespace capa {
namespace {

/**
 * Runs body(begin, end) over [0, n) split across the pool when the copy is big enough. Never with
 * an empty range: the bodies locate their first item by dividing by the shape's extents, and an
 * empty output may have a 0-length axis among them.
 */
template <class F>
void split(long n, long bytesPerItem, F body) {
  if (n <= 0) return;
  long total = n * bytesPerItem;
  int threads = pool_in_parallel() ? 1 : pool_threads();
  long chunks = total < (1L << 20) ? 1 : (n < threads * 4L ? n : threads * 4L);
  if (chunks <= 1) {
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

/** Row-major strides of a shape. */
void strides_of(const int32_t* shape, int rank, long* strides) {
  long acc = 1;
  for (int d = rank - 1; d >= 0; d--) {
    strides[d] = acc;
    acc *= shape[d];
  }
}

/**
 * Visits the rows (last axis) of an output of shape `shape` in [r0, r1): for each, the input
 * offset given per-axis input strides. row(inOffset, outOffset). Needs r0 < r1 (see split).
 */
template <class Row>
void walk_rows(const int32_t* shape, int rank, const long* inStrides, long inBase, long r0, long r1, Row row) {
  long idx[kMaxRank] = {0};
  long off = inBase, rem = r0;
  long len = rank > 0 ? shape[rank - 1] : 1;
  for (int d = rank - 2; d >= 0; d--) {
    idx[d] = rem % shape[d];
    rem /= shape[d];
    off += idx[d] * inStrides[d];
  }
  for (long r = r0; r < r1; r++) {
    row(off, r * len);
    for (int d = rank - 2; d >= 0; d--) {
      if (++idx[d] < shape[d]) {
        off += inStrides[d];
        break;
      }
      idx[d] = 0;
      off -= inStrides[d] * (shape[d] - 1);
    }
  }
}

long rows_of(const int32_t* shape, int rank) {
  long rows = 1;
  for (int d = 0; d < rank - 1; d++) rows *= shape[d];
  return rows;
}

}  // namespace

bool plan_broadcast(const int32_t* const* shapes, const int* ranks, int inputs, const int32_t* outShape, int outRank,
                    Broadcast& bc) {
  if (outRank > kMaxRank) return false;
  // full[j][d]: input j spans output axis d (not broadcast along it). Size-1 output axes drop out.
  bool full[3][kMaxRank];
  long dims[kMaxRank];
  int axes = 0;
  for (int d = 0; d < outRank; d++) {
    if (outShape[d] == 1) continue;
    for (int j = 0; j < inputs; j++) {
      int k = d - (outRank - ranks[j]);
      long dim = k >= 0 ? shapes[j][k] : 1;
      full[j][axes] = dim != 1;
    }
    dims[axes++] = outShape[d];
  }
  // Merge neighbours that every input treats alike.
  int rank = 0;
  bool mfull[3][kMaxRank];
  long mdims[kMaxRank];
  for (int d = 0; d < axes; d++) {
    bool same = rank > 0;
    for (int j = 0; j < inputs && same; j++) same = mfull[j][rank - 1] == full[j][d];
    if (same) {
      mdims[rank - 1] *= dims[d];
    } else {
      for (int j = 0; j < inputs; j++) mfull[j][rank] = full[j][d];
      mdims[rank++] = dims[d];
    }
  }
  if (rank == 0) {
    rank = 1;
    mdims[0] = 1;
    for (int j = 0; j < inputs; j++) mfull[j][0] = false;
  }
  bc.rank = rank;
  for (int d = 0; d < rank; d++) bc.outShape[d] = mdims[d];
  for (int j = 0; j < 3; j++) {
    long acc = 1;
    for (int d = rank - 1; d >= 0; d--) {
      bool f = j < inputs && mfull[j][d];
      bc.strides[j][d] = f ? acc : 0;
      if (f) acc *= mdims[d];
    }
  }
  return true;
}

void transpose32(const uint32_t* x, const int32_t* shape, const int32_t* perm, int rank, uint32_t* out) {
  long inStrides[kMaxRank], strides[kMaxRank];
  int32_t outShape[kMaxRank];
  strides_of(shape, rank, inStrides);
  for (int d = 0; d < rank; d++) {
    outShape[d] = shape[perm[d]];
    strides[d] = inStrides[perm[d]];
  }
  long len = rank > 0 ? outShape[rank - 1] : 1;
  long rs = rank > 0 ? strides[rank - 1] : 1;
  split(rows_of(outShape, rank), len * 4, [&](long r0, long r1) {
    walk_rows(outShape, rank, strides, 0, r0, r1, [&](long in, long o) {
      if (rs == 1) {
        memcpy(out + o, x + in, len * 4);
      } else {
        for (long i = 0; i < len; i++) out[o + i] = x[in + i * rs];
      }
    });
  });
}

void slice32(const uint32_t* x, const int32_t* shape, const int32_t* begin, const int32_t* size, const int32_t* step,
             int rank, uint32_t* out) {
  long inStrides[kMaxRank], strides[kMaxRank];
  strides_of(shape, rank, inStrides);
  long base = 0;
  for (int d = 0; d < rank; d++) {
    base += begin[d] * inStrides[d];
    strides[d] = inStrides[d] * step[d];
  }
  long len = rank > 0 ? size[rank - 1] : 1;
  long rs = rank > 0 ? strides[rank - 1] : 1;
  split(rows_of(size, rank), len * 4, [&](long r0, long r1) {
    walk_rows(size, rank, strides, base, r0, r1, [&](long in, long o) {
      if (rs == 1) {
        memcpy(out + o, x + in, len * 4);
      } else {
        for (long i = 0; i < len; i++) out[o + i] = x[in + i * rs];
      }
    });
  });
}

void slice_assign32(uint32_t* dst, const int32_t* dstShape, const uint32_t* src, const int32_t* srcShape, const int32_t* begin,
                    const int32_t* step, int rank, bool accumulate, bool isInt) {
  long dStrides[kMaxRank], strides[kMaxRank];
  strides_of(dstShape, rank, dStrides);
  long base = 0;
  for (int d = 0; d < rank; d++) {
    base += begin[d] * dStrides[d];
    strides[d] = dStrides[d] * step[d];
  }
  long len = rank > 0 ? srcShape[rank - 1] : 1;
  long rs = rank > 0 ? strides[rank - 1] : 1;
  // Rows of src map to distinct dst elements (steps are nonzero), so rows split safely.
  split(rows_of(srcShape, rank), len * 4, [&](long r0, long r1) {
    walk_rows(srcShape, rank, strides, base, r0, r1, [&](long d, long s) {
      if (!accumulate) {
        if (rs == 1)
          memcpy(dst + d, src + s, len * 4);
        else
          for (long i = 0; i < len; i++) dst[d + i * rs] = src[s + i];
      } else if (isInt) {
        int32_t* di = (int32_t*)dst;
        const int32_t* si = (const int32_t*)src;
        for (long i = 0; i < len; i++) di[d + i * rs] = (int32_t)((uint32_t)di[d + i * rs] + (uint32_t)si[s + i]);
      } else {
        float* df = (float*)dst;
        const float* sf = (const float*)src;
        for (long i = 0; i < len; i++) df[d + i * rs] += sf[s + i];
      }
    });
  });
}

void pad32(const uint32_t* x, const int32_t* shape, const int32_t* paddings, int rank, int mode, uint32_t value, uint32_t* out) {
  // Per output axis, the source index of each position (-1: the constant).
  int32_t outShape[kMaxRank];
  long inStrides[kMaxRank];
  strides_of(shape, rank, inStrides);
  long total = 0;
  for (int d = 0; d < rank; d++) {
    outShape[d] = shape[d] + paddings[2 * d] + paddings[2 * d + 1];
    total += outShape[d];
  }
  int32_t* maps = new int32_t[total > 0 ? total : 1];
  int32_t* map[kMaxRank];
  long at = 0;
  for (int d = 0; d < rank; d++) {
    map[d] = maps + at;
    at += outShape[d];
    long n = shape[d], before = paddings[2 * d];
    for (long o = 0; o < outShape[d]; o++) {
      long i = o - before;
      if (i < 0 || i >= n) {
        if (mode == P_CONSTANT || n == 0) {
          i = -1;
        } else if (mode == P_REFLECT) {
          // reflect (edge excluded): period 2n - 2
          long period = n > 1 ? 2 * n - 2 : 1;
          long m = ((i % period) + period) % period;
          i = m < n ? m : period - m;
        } else {
          // symmetric (edge repeated): period 2n
          long period = 2 * n;
          long m = ((i % period) + period) % period;
          i = m < n ? m : period - 1 - m;
        }
      }
      map[d][o] = (int32_t)i;
    }
  }
  long len = rank > 0 ? outShape[rank - 1] : 1;
  long rows = rows_of(outShape, rank);
  split(rows, len * 4, [&](long r0, long r1) {
    long idx[kMaxRank] = {0};
    long rem = r0;
    for (int d = rank - 2; d >= 0; d--) {
      idx[d] = rem % outShape[d];
      rem /= outShape[d];
    }
    for (long r = r0; r < r1; r++) {
      uint32_t* o = out + r * len;
      long off = 0;
      bool constant = false;
      for (int d = 0; d < rank - 1; d++) {
        int32_t i = map[d][idx[d]];
        if (i < 0) {
          constant = true;
          break;
        }
        off += i * inStrides[d];
      }
      if (rank == 0) {
        o[0] = x[0];
      } else if (constant) {
        for (long i = 0; i < len; i++) o[i] = value;
      } else {
        const int32_t* m = map[rank - 1];
        for (long i = 0; i < len; i++) o[i] = m[i] < 0 ? value : x[off + m[i]];
      }
      for (int d = rank - 2; d >= 0; d--) {
        if (++idx[d] < outShape[d]) break;
        idx[d] = 0;
      }
    }
  });
  delete[] maps;
}

void tile32(const uint32_t* x, const int32_t* shape, const int32_t* reps, int rank, uint32_t* out) {
  int32_t outShape[kMaxRank];
  long inStrides[kMaxRank];
  strides_of(shape, rank, inStrides);
  for (int d = 0; d < rank; d++) outShape[d] = shape[d] * reps[d];
  long len = rank > 0 ? outShape[rank - 1] : 1;
  long inLen = rank > 0 ? shape[rank - 1] : 1;
  split(rows_of(outShape, rank), len * 4, [&](long r0, long r1) {
    long idx[kMaxRank] = {0};
    long rem = r0;
    for (int d = rank - 2; d >= 0; d--) {
      idx[d] = rem % outShape[d];
      rem /= outShape[d];
    }
    for (long r = r0; r < r1; r++) {
      long off = 0;
      for (int d = 0; d < rank - 1; d++) off += (idx[d] % shape[d]) * inStrides[d];
      uint32_t* o = out + r * len;
      for (long i = 0; i < len; i += inLen) memcpy(o + i, x + off, inLen * 4);
      if (rank == 0) o[0] = x[0];
      for (int d = rank - 2; d >= 0; d--) {
        if (++idx[d] < outShape[d]) break;
        idx[d] = 0;
      }
    }
  });
}

void gather32(const uint32_t* x, long outer, long n, long inner, const int32_t* indices, long count, uint32_t* out) {
  split(outer * count, inner * 4, [&](long t0, long t1) {
    for (long t = t0; t < t1; t++) {
      long o = t / count, j = t - o * count;
      memcpy(out + t * inner, x + (o * n + indices[j]) * inner, inner * 4);
    }
  });
  (void)n;
}

void scatter_add32(const uint32_t* updates, long outer, long n, long inner, const int32_t* indices, long count, uint32_t* out,
                   bool isInt) {
  // Indices may repeat, so tasks split the outer axis (disjoint outputs), never the indices.
  split(outer, count * inner * 4, [&](long o0, long o1) {
    for (long o = o0; o < o1; o++) {
      for (long j = 0; j < count; j++) {
        long d = (o * n + indices[j]) * inner, s = (o * count + j) * inner;
        if (isInt) {
          int32_t* di = (int32_t*)out;
          const int32_t* si = (const int32_t*)updates;
          for (long i = 0; i < inner; i++) di[d + i] = (int32_t)((uint32_t)di[d + i] + (uint32_t)si[s + i]);
        } else {
          float* df = (float*)out;
          const float* sf = (const float*)updates;
          for (long i = 0; i < inner; i++) df[d + i] += sf[s + i];
        }
      }
    }
  });
}

void select32(const uint32_t* cond, bool condIsFloat, const uint32_t* a, const uint32_t* b, uint32_t* out,
              const Broadcast& bc) {
  long len = bc.outShape[bc.rank - 1];
  long rows = 1;
  for (int d = 0; d < bc.rank - 1; d++) rows *= bc.outShape[d];
  const long sc = bc.strides[0][bc.rank - 1], sa = bc.strides[1][bc.rank - 1], sb = bc.strides[2][bc.rank - 1];
  split(rows, len * 4, [&](long r0, long r1) {
    long idx[kMaxRank] = {0};
    long off[3] = {0, 0, 0};
    long rem = r0;
    for (int d = bc.rank - 2; d >= 0; d--) {
      idx[d] = rem % bc.outShape[d];
      rem /= bc.outShape[d];
      for (int j = 0; j < 3; j++) off[j] += idx[d] * bc.strides[j][d];
    }
    for (long r = r0; r < r1; r++) {
      uint32_t* o = out + r * len;
      for (long i = 0; i < len; i++) {
        uint32_t c = cond[off[0] + i * sc];
        // float -0.0 is zero too: compare without the sign bit
        bool t = condIsFloat ? (c & 0x7fffffffu) != 0 : c != 0;
        o[i] = t ? a[off[1] + i * sa] : b[off[2] + i * sb];
      }
      for (int d = bc.rank - 2; d >= 0; d--) {
        if (++idx[d] < bc.outShape[d]) {
          for (int j = 0; j < 3; j++) off[j] += bc.strides[j][d];
          break;
        }
        idx[d] = 0;
        for (int j = 0; j < 3; j++) off[j] -= bc.strides[j][d] * (bc.outShape[d] - 1);
      }
    }
  });
}

void cast_f32_i32(const float* x, int32_t* out, long n) {
  split(n, 4, [&](long b, long e) {
    for (long i = b; i < e; i++) {
      float v = x[i];
      // JavaScript's ToInt32: NaN and infinities become 0, others truncate and wrap modulo 2^32.
      if (!(v == v) || v == __builtin_inff() || v == -__builtin_inff()) {
        out[i] = 0;
      } else if (v > -2147483648.0f && v < 2147483648.0f) {
        out[i] = (int32_t)v;
      } else {
        double t = __builtin_trunc((double)v);
        double m = __builtin_fmod(t, 4294967296.0);
        if (m < 0) m += 4294967296.0;
        out[i] = (int32_t)(uint32_t)m;
      }
    }
  });
}

void cast_i32_f32(const int32_t* x, float* out, long n) {
  split(n, 4, [&](long b, long e) {
    for (long i = b; i < e; i++) out[i] = (float)x[i];
  });
}

}  // namespace capa
