// What the hand-written binding bodies (bind_*.cc) and the generated code share whatever carries
// the call: the N-API addon (napi_args.h) or the WebAssembly module's C ABI (wasm/wasm_args.h).
// Arguments are the tensors' own memory (no copies) plus an Int32Array `meta` carrying shapes and
// integer parameters, written by src/backend/native/meta.ts in the layouts documented at each
// body. Sizes are checked against the geometry before any kernel runs, so a wrong call reports an
// error instead of corrupting memory. Kernels run synchronously on the calling thread plus the pool.
#pragma once

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu.h"
#include "movement.h"
#include "threadpool.h"

namespace capa {
namespace bind {

/** A typed array argument: a pointer into the caller's array (no copy) and its element count. */
struct F32Arg {
  float* data = nullptr;  // null only for a nullable argument given null or undefined
  size_t length = 0;
};
struct I32Arg {
  int32_t* data = nullptr;
  size_t length = 0;
};
/** A Float32Array or an Int32Array (or Uint32Array): movement kernels copy 32-bit words of either. */
struct Any32Arg {
  uint32_t* data = nullptr;
  size_t length = 0;
  bool isInt = false;
  bool isFloat = false;
};

/** Reads the shared meta array (integer parameters). */
struct Meta {
  const int32_t* m = nullptr;
  size_t len = 0;
  size_t at = 0;
  bool ok = true;
  int32_t next() {
    if (at >= len) {
      ok = false;
      return 0;
    }
    return m[at++];
  }
  const int32_t* take(size_t n) {
    if (at + n > len) {
      ok = false;
      return m;
    }
    const int32_t* p = m + at;
    at += n;
    return p;
  }
};

/**
 * What both transports' Args share: the text of every failure, "<kernel>: <message>" (only a call's
 * first failure is reported). `Transport::report(text)` delivers it: a thrown JavaScript error
 * (napi_args.h) or the message the WebAssembly caller reads back (wasm/wasm_args.h).
 */
template <class Transport>
struct ArgsBase {
  const char* kernel;
  bool failed = false;

  explicit ArgsBase(const char* name) : kernel(name) {}

  decltype(nullptr) fail(const char* msg) { return failf("%s", msg); }

  decltype(nullptr) failf(const char* fmt, ...) __attribute__((format(printf, 2, 3))) {
    if (failed) return nullptr;
    failed = true;
    char text[256];
    int at = snprintf(text, sizeof text, "%s: ", kernel);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text + at, sizeof text - at, fmt, ap);
    va_end(ap);
    static_cast<Transport*>(this)->report(text);
    return nullptr;
  }

  /** An op code, refused (naming the kernel and the code) unless it is one of `names`. */
  template <size_t N>
  bool code_value(const char* name, int32_t v, const char* const (&names)[N], int& out) {
    if (v < 0 || (size_t)v >= N) return failf("unknown %s code %d (expected 0..%zu)", name, v, N - 1), false;
    out = v;
    return true;
  }

  /** Reports an op code a per-ISA kernel has no case for (its switch's default). */
  template <size_t N>
  decltype(nullptr) no_kernel(const char* name, int code, const char* const (&names)[N]) {
    return failf("no kernel for %s code %d (%s)", name, code, code >= 0 && (size_t)code < N ? names[code] : "unknown");
  }

  /** Whether an array holds at least `need` elements; reports naming it and the count otherwise. */
  template <class A>
  bool need(const A& arg, long need, const char* name, const char* what = "the shapes") {
    if (need >= 0 && arg.length >= (size_t)need) return true;
    return failf("%s holds %zu elements, %s need %ld", name, arg.length, what, need), false;
  }
};

/** JavaScript's ToInt32 (NaN and infinities are 0, the rest wraps modulo 2^32): a C cast of those is undefined. */
inline int32_t js_int32(double v) {
  if (!(v == v) || v - v != 0) return 0;
  double m = fmod(trunc(v), 4294967296.0);
  if (m < 0) m += 4294967296.0;
  return (int32_t)(uint32_t)m;
}

inline long size_of(const int32_t* shape, int rank) {
  long s = 1;
  for (int d = 0; d < rank; d++) s *= shape[d];
  return s;
}

/**
 * Whether `out` windows of size k (dilated) fit the padded input `in` at `stride` (none when they
 * do not). A window of no taps (k = 0, from a kernel with an empty spatial axis) reads nothing:
 * any output size is safe, and 'same' padding gives it one this formula does not.
 */
inline bool windows_fit(long in, long k, long dilation, long stride, long padBefore, long padAfter, long out) {
  if (k == 0) return true;
  long span = in + padBefore + padAfter - ((k - 1) * dilation + 1);
  return out == (span < 0 ? 0 : span / stride + 1);
}

/** A convolution/pooling geometry whose output size is the one its input, window and padding make. */
inline bool read_geom(Meta& meta, ConvGeom& g) {
  int32_t* f = &g.batch;
  for (int i = 0; i < 17; i++) f[i] = meta.next();
  if (!meta.ok) return false;
  for (int i = 0; i < 17; i++)
    if (f[i] < 0) return false;
  return g.strideH > 0 && g.strideW > 0 && g.dilationH > 0 && g.dilationW > 0 &&
         windows_fit(g.inH, g.kH, g.dilationH, g.strideH, g.padTop, g.padBottom, g.outH) &&
         windows_fit(g.inW, g.kW, g.dilationW, g.strideW, g.padLeft, g.padRight, g.outW);
}

inline long geom_in(const ConvGeom& g) { return (long)g.batch * g.inH * g.inW * g.inC; }
inline long geom_out(const ConvGeom& g) { return (long)g.batch * g.outH * g.outW * g.outC; }


}  // namespace bind
}  // namespace capa
