// Transcendental functions on `float` and `vf`, accurate to a few ulp (Cephes-style polynomials
// with exact range reduction), so results agree with the TypeScript reference (which computes in
// float64 and rounds) well inside 1e-5 relative. Included inside namespace capa::CAPA_NS.
#pragma once

#include "isa.h"

namespace capa {
namespace CAPA_NS {

template <class T>
using IntOf = decltype(to_bits(T{}));

/** 2^n for integer-valued n in [-150, 128], as two factors so neither under/overflows alone. */
template <class T>
CAPA_INLINE T pow2_split(T n, T p) {
  using I = IntOf<T>;
  I ni = cvt_trunc(n);
  I n1 = ni >> 1;
  I n2 = ni - n1;
  T s1 = from_bits((I)((n1 + 127) << 23));
  T s2 = from_bits((I)((n2 + 127) << 23));
  return p * s1 * s2;
}

template <class T>
CAPA_INLINE T vexp(T x) {
  // NaN must not reach the float-to-int conversion in pow2_split (undefined behaviour in C++,
  // whether the clamps pass NaN through or not); the result for NaN is x itself.
  T xc = select(isnan_(x), set1<T>(0.0f), vmin(vmax(x, set1<T>(-104.0f)), set1<T>(89.0f)));
  T n = vround_even(xc * 1.44269504088896341f);
  T r = xc - n * 0.693359375f;
  r = r - n * -2.12194440e-4f;
  T p = set1<T>(1.9875691500e-4f);
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * (r * r) + r + 1.0f;
  T y = pow2_split(n, p);
  return select(isnan_(x), x, y);
}

/** Natural log; x < 0 gives NaN, 0 gives -inf, +inf gives +inf. */
template <class T>
CAPA_INLINE T vlog(T x) {
  using I = IntOf<T>;
  // Scale denormals into the normal range first.
  auto tiny = x < 1.17549435e-38f;
  T xs = select(tiny, x * 8388608.0f, x);
  I bits = to_bits(xs);
  T ef = cvt_float((I)((bits >> 23) & 0xff) - 126) - select(tiny, set1<T>(23.0f), set1<T>(0.0f));
  T m = from_bits((I)((bits & 0x807fffff) | 0x3f000000));
  auto small = m < 0.707106781186547524f;
  ef = ef - select(small, set1<T>(1.0f), set1<T>(0.0f));
  m = select(small, m + m, m) - 1.0f;
  T z = m * m;
  T y = set1<T>(7.0376836292e-2f);
  y = y * m - 1.1514610310e-1f;
  y = y * m + 1.1676998740e-1f;
  y = y * m - 1.2420140846e-1f;
  y = y * m + 1.4249322787e-1f;
  y = y * m - 1.6668057665e-1f;
  y = y * m + 2.0000714765e-1f;
  y = y * m - 2.4999993993e-1f;
  y = y * m + 3.3333331174e-1f;
  y = y * m * z;
  y = y + ef * -2.12194440e-4f;
  y = y - 0.5f * z;
  T res = m + y + ef * 0.693359375f;
  res = select(x == set1<T>(__builtin_inff()), x, res);
  res = select(x == set1<T>(0.0f), set1<T>(-__builtin_inff()), res);
  res = select((x < set1<T>(0.0f)) | isnan_(x), set1<T>(__builtin_nanf("")), res);
  return res;
}

template <class T>
CAPA_INLINE T vexpm1(T x) {
  // Taylor series where exp(x) - 1 would cancel; the truncation error is below 1e-9 relative.
  T p = set1<T>(1.0f / 362880.0f);
  p = p * x + 1.0f / 40320.0f;
  p = p * x + 1.0f / 5040.0f;
  p = p * x + 1.0f / 720.0f;
  p = p * x + 1.0f / 120.0f;
  p = p * x + 1.0f / 24.0f;
  p = p * x + 1.0f / 6.0f;
  p = p * x + 0.5f;
  p = p * x * x + x;
  T big = vexp(x) - 1.0f;
  return select(vabs(x) < set1<T>(0.5f), p, big);
}

template <class T>
CAPA_INLINE T vlog1p(T x) {
  T u = x + 1.0f;
  T d = u - 1.0f;
  // log(u) * x / (u - 1) cancels the rounding of 1 + x (Goldberg's trick).
  T r = vlog(u) * x / select(d == set1<T>(0.0f), set1<T>(1.0f), d);
  r = select(d == set1<T>(0.0f), x, r);
  return select(x == set1<T>(__builtin_inff()), x, r);
}

template <class T>
CAPA_INLINE T vtanh(T x) {
  T a = vabs(x);
  T e = vexpm1(a + a);
  T t = e / (e + 2.0f);
  t = select(a > set1<T>(9.0f), set1<T>(1.0f), t);
  t = select(x < set1<T>(0.0f), -t, t);
  return select(isnan_(x), x, t);
}

template <class T>
CAPA_INLINE T vsigmoid(T x) {
  T e = vexp(-vabs(x));
  T s = 1.0f / (e + 1.0f);
  return select(x >= set1<T>(0.0f), s, e * s);
}

/** erf with the same Numerical Recipes fit the TypeScript backend uses (1.2e-7 absolute). */
template <class T>
CAPA_INLINE T verf(T x) {
  T z = vabs(x);
  T t = 1.0f / (z * 0.5f + 1.0f);
  T p = set1<T>(0.17087277f);
  p = p * t - 0.82215223f;
  p = p * t + 1.48851587f;
  p = p * t - 1.13520398f;
  p = p * t + 0.27886807f;
  p = p * t - 0.18628806f;
  p = p * t + 0.09678418f;
  p = p * t + 0.37409196f;
  p = p * t + 1.00002368f;
  p = p * t - 1.26551223f;
  T r = t * vexp(p - z * z);
  return select(x >= set1<T>(0.0f), 1.0f - r, r - 1.0f);
}

template <class T>
CAPA_INLINE T vsoftplus(T x) {
  return vmax(x, set1<T>(0.0f)) + vlog1p(vexp(-vabs(x)));
}

}  // namespace CAPA_NS
}  // namespace capa
