// Elementwise kernels: unary math and activations, their gradients, broadcast binary ops and
// comparisons. Each op body is a generic lambda run on whole vectors and then on the scalar tail.
#include "kernels.h"
#include "vmath.h"

namespace capa {
namespace CAPA_NS {
namespace {

constexpr float kSeluAlpha = 1.6732632423543772f;
constexpr float kSeluScale = 1.0507009873554805f;
constexpr float kSqrt2OverPi = 0.7978845608028654f;
constexpr float kInvSqrt2 = 0.7071067811865476f;
constexpr float kInvSqrt2Pi = 0.3989422804014327f;

/** Elements per task: cheap ops need big chunks to be worth a thread wake-up. */
constexpr long kGrainCheap = 1L << 15;
constexpr long kGrainCostly = 1L << 12;

template <class F>
void map1(const float* x, float* out, long n, long grain, F f) {
  auto body = [&](long b, long e) {
    long i = b;
    for (; i + W <= e; i += W) store(out + i, f(ld<vf>(x + i)));
    for (; i < e; i++) out[i] = f(x[i]);
  };
  parallel_range(n, grain, body);
}

template <class F>
void map3(const float* x, const float* y, const float* dy, float* dx, long n, long grain, F f) {
  auto body = [&](long b, long e) {
    long i = b;
    for (; i + W <= e; i += W) store(dx + i, f(ld<vf>(x + i), ld<vf>(y + i), ld<vf>(dy + i)));
    for (; i < e; i++) dx[i] = f(x[i], y[i], dy[i]);
  };
  parallel_range(n, grain, body);
}

/** Scalar-only functions (no vector form here): libm per element. */
template <class F>
void map1_scalar(const float* x, float* out, long n, F f) {
  auto body = [&](long b, long e) {
    for (long i = b; i < e; i++) out[i] = f(x[i]);
  };
  parallel_range(n, kGrainCostly, body);
}

template <class T>
CAPA_INLINE T zero() {
  return set1<T>(0.0f);
}

}  // namespace

bool unary(int op, const float* x, float* out, long n, float alpha, float beta) {
#define GEN [&](auto v) -> decltype(v)
  using F = float;
  switch (op) {
    case U_NEG: return map1(x, out, n, kGrainCheap, GEN { return -v; }), true;
    case U_ABS: return map1(x, out, n, kGrainCheap, GEN { return vabs(v); }), true;
    case U_SIGN:
      return map1(x, out, n, kGrainCheap, GEN {
        using T = decltype(v);
        return select(v > zero<T>(), set1<T>(1.0f), select(v < zero<T>(), set1<T>(-1.0f), v));
      }), true;
    case U_EXP: return map1(x, out, n, kGrainCostly, GEN { return vexp(v); }), true;
    case U_EXPM1: return map1(x, out, n, kGrainCostly, GEN { return vexpm1(v); }), true;
    case U_LOG: return map1(x, out, n, kGrainCostly, GEN { return vlog(v); }), true;
    case U_LOG1P: return map1(x, out, n, kGrainCostly, GEN { return vlog1p(v); }), true;
    case U_SQRT: return map1(x, out, n, kGrainCheap, GEN { return vsqrt(v); }), true;
    case U_RSQRT: return map1(x, out, n, kGrainCheap, GEN { return 1.0f / vsqrt(v); }), true;
    case U_SQUARE: return map1(x, out, n, kGrainCheap, GEN { return v * v; }), true;
    case U_RECIPROCAL: return map1(x, out, n, kGrainCheap, GEN { return 1.0f / v; }), true;
    case U_FLOOR: return map1(x, out, n, kGrainCheap, GEN { return vfloor(v); }), true;
    case U_CEIL: return map1(x, out, n, kGrainCheap, GEN { return -vfloor(-v); }), true;
    case U_ROUND: return map1(x, out, n, kGrainCheap, GEN { return vround_even(v); }), true;
    case U_SIN: return map1_scalar(x, out, n, [](F v) { return __builtin_sinf(v); }), true;
    case U_COS: return map1_scalar(x, out, n, [](F v) { return __builtin_cosf(v); }), true;
    case U_ERF: return map1(x, out, n, kGrainCostly, GEN { return verf(v); }), true;
    case U_CLIP:
      return map1(x, out, n, kGrainCheap, GEN {
        using T = decltype(v);
        return select(v < set1<T>(alpha), set1<T>(alpha), select(v > set1<T>(beta), set1<T>(beta), v));
      }), true;
    case U_AFFINE: return map1(x, out, n, kGrainCheap, GEN { return v * alpha + beta; }), true;
    case U_POW_SCALAR:
      if (alpha == 2.0f) return map1(x, out, n, kGrainCheap, GEN { return v * v; }), true;
      if (alpha == 1.0f) return map1(x, out, n, kGrainCheap, GEN { return v; }), true;
      if (alpha == 3.0f) return map1(x, out, n, kGrainCheap, GEN { return v * v * v; }), true;
      // pow(x, 0.5) is sqrt except pow(-inf, 0.5) = +inf and pow(-0, 0.5) = +0 (C, IEEE 754).
      if (alpha == 0.5f)
        return map1(x, out, n, kGrainCheap, GEN {
          using T = decltype(v);
          return select(v == set1<T>(-__builtin_inff()), set1<T>(__builtin_inff()), vsqrt(v) + 0.0f);
        }), true;
      if (alpha == -1.0f) return map1(x, out, n, kGrainCheap, GEN { return 1.0f / v; }), true;
      return map1_scalar(x, out, n, [alpha](F v) { return __builtin_powf(v, alpha); }), true;
    case U_LINEAR:
      if (out != x) map1(x, out, n, kGrainCheap, GEN { return v; });
      return true;
    case U_RELU:
      return map1(x, out, n, kGrainCheap, GEN {
        using T = decltype(v);
        return vmax(v, zero<T>());
      }), true;
    case U_RELU6:
      return map1(x, out, n, kGrainCheap, GEN {
        using T = decltype(v);
        return vmin(vmax(v, zero<T>()), set1<T>(6.0f));
      }), true;
    case U_LEAKY_RELU:
      return map1(x, out, n, kGrainCheap, GEN {
        using T = decltype(v);
        return select(v > zero<T>(), v, v * alpha);
      }), true;
    case U_ELU:
      return map1(x, out, n, kGrainCostly, GEN {
        using T = decltype(v);
        return select(v > zero<T>(), v, vexpm1(v) * alpha);
      }), true;
    case U_SELU:
      return map1(x, out, n, kGrainCostly, GEN {
        using T = decltype(v);
        return select(v > zero<T>(), v * kSeluScale, vexpm1(v) * (kSeluScale * kSeluAlpha));
      }), true;
    case U_GELU: return map1(x, out, n, kGrainCostly, GEN { return 0.5f * v * (1.0f + verf(v * kInvSqrt2)); }), true;
    case U_GELU_TANH:
      return map1(x, out, n, kGrainCostly, GEN { return 0.5f * v * (1.0f + vtanh(kSqrt2OverPi * (v + 0.044715f * v * v * v))); }), true;
    case U_SIGMOID: return map1(x, out, n, kGrainCostly, GEN { return vsigmoid(v); }), true;
    case U_HARD_SIGMOID:
      return map1(x, out, n, kGrainCheap, GEN {
        using T = decltype(v);
        T h = v / 6.0f + 0.5f;
        return select(h < zero<T>(), zero<T>(), select(h > set1<T>(1.0f), set1<T>(1.0f), h));
      }), true;
    case U_TANH: return map1(x, out, n, kGrainCostly, GEN { return vtanh(v); }), true;
    case U_SOFTPLUS: return map1(x, out, n, kGrainCostly, GEN { return vsoftplus(v); }), true;
    case U_SOFTSIGN: return map1(x, out, n, kGrainCheap, GEN { return v / (1.0f + vabs(v)); }), true;
    case U_SILU: return map1(x, out, n, kGrainCostly, GEN { return v * vsigmoid(v); }), true;
    default: return false;  // a code this kernel has no case for: the binding reports it
  }
#undef GEN
}

bool unary_grad(int op, const float* x, const float* y, const float* dy, float* dx, long n, float alpha) {
#define GEN3 [&](auto xv, auto yv, auto g) -> decltype(xv)
#define ZERO set1<decltype(xv)>(0.0f)
  (void)y;
  switch (op) {
    case U_LINEAR:
      if (dx != dy) map3(x, y, dy, dx, n, kGrainCheap, GEN3 { return g; });
      return true;
    case U_RELU: return map3(x, x, dy, dx, n, kGrainCheap, GEN3 { return select(xv > ZERO, g, ZERO); }), true;
    case U_RELU6:
      return map3(x, x, dy, dx, n, kGrainCheap, GEN3 { return select((xv > ZERO) & (xv < set1<decltype(xv)>(6.0f)), g, ZERO); }), true;
    case U_LEAKY_RELU: return map3(x, x, dy, dx, n, kGrainCheap, GEN3 { return select(xv > ZERO, g, g * alpha); }), true;
    case U_ELU: return map3(x, y, dy, dx, n, kGrainCheap, GEN3 { return select(xv > ZERO, g, g * (yv + alpha)); }), true;
    case U_SELU:
      return map3(x, y, dy, dx, n, kGrainCheap, GEN3 {
        return select(xv > ZERO, g * kSeluScale, g * (yv + kSeluScale * kSeluAlpha));
      }), true;
    case U_GELU:
      return map3(x, x, dy, dx, n, kGrainCostly, GEN3 {
        auto cdf = 0.5f * (1.0f + verf(xv * kInvSqrt2));
        auto pdf = kInvSqrt2Pi * vexp(-0.5f * xv * xv);
        return g * (cdf + xv * pdf);
      }), true;
    case U_GELU_TANH:
      return map3(x, x, dy, dx, n, kGrainCostly, GEN3 {
        using T = decltype(xv);
        auto t = vtanh(kSqrt2OverPi * (xv + 0.044715f * xv * xv * xv));
        auto dInner = kSqrt2OverPi * (1.0f + 3.0f * 0.044715f * xv * xv);
        auto d = 0.5f * (1.0f + t) + 0.5f * xv * (1.0f - t * t) * dInner;
        // Beyond |x| = 10 tanh is exactly ±1 and the slope exactly 1 or 0; the formula would make
        // 0 * inf = NaN once x * x overflows float32 (the reference, in float64, gives 1 or 0).
        auto saturated = (vabs(xv) > set1<T>(10.0f)) & (vabs(xv) < set1<T>(__builtin_inff()));
        return g * select(saturated, select(xv > ZERO, set1<T>(1.0f), ZERO), d);
      }), true;
    case U_SIGMOID: return map3(y, y, dy, dx, n, kGrainCheap, GEN3 { return g * yv * (1.0f - yv); }), true;
    case U_HARD_SIGMOID:
      return map3(x, x, dy, dx, n, kGrainCheap, GEN3 {
        using T = decltype(xv);
        return select((xv > set1<T>(-3.0f)) & (xv < set1<T>(3.0f)), g / 6.0f, ZERO);
      }), true;
    case U_TANH: return map3(y, y, dy, dx, n, kGrainCheap, GEN3 { return g * (1.0f - yv * yv); }), true;
    case U_SOFTPLUS: return map3(x, x, dy, dx, n, kGrainCostly, GEN3 { return g * vsigmoid(xv); }), true;
    case U_SOFTSIGN:
      return map3(x, x, dy, dx, n, kGrainCheap, GEN3 {
        auto d = 1.0f + vabs(xv);
        return g / (d * d);
      }), true;
    case U_SILU:
      return map3(x, x, dy, dx, n, kGrainCostly, GEN3 {
        auto s = vsigmoid(xv);
        return g * s * (1.0f + xv * (1.0f - s));
      }), true;
    default: return false;  // a code this kernel has no case for: the binding reports it
  }
#undef ZERO
#undef GEN3
}

// ---------------------------------------------------------------- broadcast binary ops

namespace {

/** Walks rows [r0, r1) of a broadcast (last axis = row), calling row(aOff, bOff, outOff, len, sa, sb). */
template <class Row>
void for_rows(const Broadcast& bc, long r0, long r1, Row row) {
  const int rank = bc.rank;
  const long len = bc.outShape[rank - 1];
  const long sa = bc.strides[0][rank - 1], sb = bc.strides[1][rank - 1];
  long idx[kMaxRank] = {0};
  long offA = 0, offB = 0;
  long rem = r0;
  for (int d = rank - 2; d >= 0; d--) {
    idx[d] = rem % bc.outShape[d];
    rem /= bc.outShape[d];
    offA += idx[d] * bc.strides[0][d];
    offB += idx[d] * bc.strides[1][d];
  }
  for (long r = r0; r < r1; r++) {
    row(offA, offB, r * len, len, sa, sb);
    for (int d = rank - 2; d >= 0; d--) {
      if (++idx[d] < bc.outShape[d]) {
        offA += bc.strides[0][d];
        offB += bc.strides[1][d];
        break;
      }
      idx[d] = 0;
      offA -= bc.strides[0][d] * (bc.outShape[d] - 1);
      offB -= bc.strides[1][d] * (bc.outShape[d] - 1);
    }
  }
}

/** out[i] = f(a[i*sa], b[i*sb]) for one row, sa/sb in {0, 1}; vector body then scalar tail. */
template <class OutT, class F, class StoreV>
CAPA_INLINE void row_op(const float* a, long sa, const float* b, long sb, OutT* out, long n, F f, StoreV sv) {
  long i = 0;
  if (sa && sb) {
    for (; i + W <= n; i += W) sv(out + i, f(ld<vf>(a + i), ld<vf>(b + i)));
    for (; i < n; i++) out[i] = f(a[i], b[i]);
  } else if (sa) {
    vf bv = set1<vf>(b[0]);
    for (; i + W <= n; i += W) sv(out + i, f(ld<vf>(a + i), bv));
    for (; i < n; i++) out[i] = f(a[i], b[0]);
  } else if (sb) {
    vf av = set1<vf>(a[0]);
    for (; i + W <= n; i += W) sv(out + i, f(av, ld<vf>(b + i)));
    for (; i < n; i++) out[i] = f(a[0], b[i]);
  } else {
    float v = f(a[0], b[0]);
    for (; i < n; i++) out[i] = v;
  }
}

template <class OutT, class F, class StoreV>
void broadcast_op(const float* a, const float* b, OutT* out, const Broadcast& bc, long grain, F f, StoreV sv) {
  long len = bc.outShape[bc.rank - 1];
  long rows = 1;
  for (int d = 0; d < bc.rank - 1; d++) rows *= bc.outShape[d];
  if (rows == 1) {
    // One long row: split it.
    long sa = bc.strides[0][bc.rank - 1], sb = bc.strides[1][bc.rank - 1];
    auto body = [&](long s, long e) { row_op(a + s * sa, sa, b + s * sb, sb, out + s, e - s, f, sv); };
    parallel_range(len, grain, body);
    return;
  }
  auto body = [&](long r0, long r1) {
    for_rows(bc, r0, r1, [&](long oa, long ob, long oo, long n, long sa, long sb) {
      row_op(a + oa, sa, b + ob, sb, out + oo, n, f, sv);
    });
  };
  parallel_range(rows, (grain + len - 1) / len, body);
}

struct StoreF {
  CAPA_INLINE void operator()(float* p, vf v) const { store(p, v); }
};

#if CAPA_W > 1
struct StoreMask {
  CAPA_INLINE void operator()(int32_t* p, vi m) const {
    vi one = -m;  // comparisons give -1 for true
    __builtin_memcpy(p, &one, sizeof one);
  }
};
#else
struct StoreMask {
  CAPA_INLINE void operator()(int32_t* p, bool m) const { *p = m ? 1 : 0; }
};
#endif

template <class F>
void binary_scalar(const float* a, const float* b, float* out, const Broadcast& bc, F f) {
  auto body = [&](long r0, long r1) {
    for_rows(bc, r0, r1, [&](long oa, long ob, long oo, long n, long sa, long sb) {
      for (long i = 0; i < n; i++) out[oo + i] = f(a[oa + i * sa], b[ob + i * sb]);
    });
  };
  long len = bc.outShape[bc.rank - 1], rows = 1;
  for (int d = 0; d < bc.rank - 1; d++) rows *= bc.outShape[d];
  if (rows == 1) {
    long sa = bc.strides[0][bc.rank - 1], sb = bc.strides[1][bc.rank - 1];
    auto one = [&](long s, long e) {
      for (long i = s; i < e; i++) out[i] = f(a[i * sa], b[i * sb]);
    };
    parallel_range(len, kGrainCostly, one);
    return;
  }
  parallel_range(rows, (kGrainCostly + len - 1) / len, body);
}

}  // namespace

bool binary(int op, const float* a, const float* b, float* out, const Broadcast& bc) {
#define GEN2 [&](auto x, auto y) -> decltype(x)
  StoreF sf;
  switch (op) {
    case B_ADD: return broadcast_op(a, b, out, bc, kGrainCheap, GEN2 { return x + y; }, sf), true;
    case B_SUB: return broadcast_op(a, b, out, bc, kGrainCheap, GEN2 { return x - y; }, sf), true;
    case B_MUL: return broadcast_op(a, b, out, bc, kGrainCheap, GEN2 { return x * y; }, sf), true;
    case B_DIV: return broadcast_op(a, b, out, bc, kGrainCheap, GEN2 { return x / y; }, sf), true;
    case B_MAXIMUM: return broadcast_op(a, b, out, bc, kGrainCheap, GEN2 { return vmax(x, y); }, sf), true;
    case B_MINIMUM: return broadcast_op(a, b, out, bc, kGrainCheap, GEN2 { return vmin(x, y); }, sf), true;
    case B_SQUARED_DIFFERENCE:
      return broadcast_op(a, b, out, bc, kGrainCheap, GEN2 {
        auto d = x - y;
        return d * d;
      }, sf), true;
    case B_FLOOR_DIV: return broadcast_op(a, b, out, bc, kGrainCheap, GEN2 { return vfloor(x / y); }, sf), true;
    case B_POW: return binary_scalar(a, b, out, bc, [](float x, float y) { return __builtin_powf(x, y); }), true;
    case B_MOD:
      return binary_scalar(a, b, out, bc, [](float x, float y) {
        float r = __builtin_fmodf(x, y);
        return r != 0.0f && ((r < 0.0f) != (y < 0.0f)) ? r + y : r;
      }), true;
    case B_ATAN2: return binary_scalar(a, b, out, bc, [](float x, float y) { return __builtin_atan2f(x, y); }), true;
    default: return false;  // a code this kernel has no case for: the binding reports it
  }
#undef GEN2
}

bool compare(int op, const float* a, const float* b, int32_t* out, const Broadcast& bc) {
  StoreMask sm;
  auto run = [&](auto f) { broadcast_op(a, b, out, bc, kGrainCheap, f, sm); };
  switch (op) {
    case C_EQUAL: return run([](auto x, auto y) { return x == y; }), true;
    case C_NOT_EQUAL: return run([](auto x, auto y) { return x != y; }), true;
    case C_LESS: return run([](auto x, auto y) { return x < y; }), true;
    case C_LESS_EQUAL: return run([](auto x, auto y) { return x <= y; }), true;
    case C_GREATER: return run([](auto x, auto y) { return x > y; }), true;
    case C_GREATER_EQUAL: return run([](auto x, auto y) { return x >= y; }), true;
    case C_LOGICAL_AND: return run([](auto x, auto y) { return (x != decltype(x){}) & (y != decltype(y){}); }), true;
    case C_LOGICAL_OR: return run([](auto x, auto y) { return (x != decltype(x){}) | (y != decltype(y){}); }), true;
    default: return false;  // a code this kernel has no case for: the binding reports it
  }
}

}  // namespace CAPA_NS
}  // namespace capa
