// The N-API argument helpers the generated unpacking (native/src/gen/bindings.generated.cc) and
// the hand-written binding bodies (bind_*.cc) use. Arguments are the tensors' own typed arrays (no
// copies) plus a shared Int32Array `meta` carrying shapes and integer parameters, written by
// src/backend/native/native.ts in the layouts documented at each body. Sizes are
// checked against the geometry before any kernel runs, so a wrong call throws instead of
// corrupting memory. Kernels run synchronously on the calling thread plus the pool.
#pragma once

#include <node_api.h>
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

/** The most arguments a binding takes (the recurrent kernels' 17); each generated binding asserts it. */
constexpr int kMaxArgs = 20;

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
 * One call's arguments, read by the generated unpacking (native/src/gen/bindings.generated.cc).
 * Every failure throws a JavaScript error that starts with the kernel's name.
 */
struct Args {
  napi_env env;
  const char* kernel;
  napi_value argv[kMaxArgs];
  size_t argc = kMaxArgs;
  bool failed = false;

  Args(napi_env e, napi_callback_info info, const char* name) : env(e), kernel(name) {
    napi_get_cb_info(e, info, &argc, argv, nullptr, nullptr);
  }

  /** Throws "<kernel>: <msg>" (only the first failure of a call is reported). */
  napi_value fail(const char* msg) { return failf("%s", msg); }

  napi_value failf(const char* fmt, ...) __attribute__((format(printf, 2, 3))) {
    if (failed) return nullptr;
    failed = true;
    char text[256];
    int at = snprintf(text, sizeof text, "%s: ", kernel);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text + at, sizeof text - at, fmt, ap);
    va_end(ap);
    napi_throw_error(env, "CAPA_NATIVE", text);
    return nullptr;
  }

  /**
   * A typed array argument's data, length and type. One N-API call on the common path: the type
   * check of napi_get_typedarray_info stands in for napi_is_typedarray, and only a failed read
   * asks whether the value was null.
   */
  bool typed(size_t i, const char* name, bool nullable, void** data, size_t* length, napi_typedarray_type* type) {
    *data = nullptr;
    *length = 0;
    if (i >= argc) return failf("missing argument %zu (%s)", i, name), false;
    if (napi_get_typedarray_info(env, argv[i], type, length, data, nullptr, nullptr) != napi_ok) {
      napi_valuetype vt;
      napi_typeof(env, argv[i], &vt);
      if ((vt == napi_null || vt == napi_undefined) && nullable) return true;
      return failf("%s: expected a typed array, received %s", name, vt == napi_null ? "null" : "another value"), false;
    }
    // An empty typed array may have no backing store; kernels never touch it, but null means "absent" here.
    static uint32_t empty[1];
    if (!*data) *data = empty;
    return true;
  }

  bool f32(size_t i, const char* name, bool nullable, F32Arg& out) {
    void* data;
    napi_typedarray_type t;
    if (!typed(i, name, nullable, &data, &out.length, &t)) return false;
    if (data && t != napi_float32_array) return failf("%s: expected a Float32Array", name), false;
    out.data = (float*)data;
    return true;
  }

  bool i32(size_t i, const char* name, bool nullable, I32Arg& out) {
    void* data;
    napi_typedarray_type t;
    if (!typed(i, name, nullable, &data, &out.length, &t)) return false;
    if (data && t != napi_int32_array) return failf("%s: expected an Int32Array", name), false;
    out.data = (int32_t*)data;
    return true;
  }

  bool any32(size_t i, const char* name, bool nullable, Any32Arg& out) {
    void* data;
    napi_typedarray_type t;
    if (!typed(i, name, nullable, &data, &out.length, &t)) return false;
    if (data && t != napi_float32_array && t != napi_int32_array && t != napi_uint32_array)
      return failf("%s: expected a Float32Array or Int32Array", name), false;
    out.data = (uint32_t*)data;
    out.isInt = t == napi_int32_array;
    out.isFloat = t == napi_float32_array;
    return true;
  }

  bool meta(size_t i, Meta& meta) {
    I32Arg m;
    if (!i32(i, "meta", false, m)) return false;
    meta.m = m.data;
    meta.len = m.length;
    return true;
  }

  /** An op code argument, refused (naming the kernel and the code) unless it is one of `names`. */
  template <size_t N>
  bool code(size_t i, const char* name, const char* const (&names)[N], int& out) {
    int32_t v = 0;
    // undefined is not op 0; napi_get_value_int32 leaves v alone for a non-number.
    if (i >= argc || napi_get_value_int32(env, argv[i], &v) != napi_ok)
      return failf("%s: expected an op code (0..%zu), received a non-number", name, N - 1), false;
    if (v < 0 || (size_t)v >= N) return failf("unknown %s code %d (expected 0..%zu)", name, v, N - 1), false;
    out = v;
    return true;
  }

  /** Reports an op code a per-ISA kernel has no case for (its switch's default). */
  template <size_t N>
  napi_value no_kernel(const char* name, int code, const char* const (&names)[N]) {
    return failf("no kernel for %s code %d (%s)", name, code, code >= 0 && (size_t)code < N ? names[code] : "unknown");
  }

  /** Whether an array holds at least `need` elements; throws naming it and the count otherwise. */
  template <class A>
  bool need(const A& arg, long need, const char* name, const char* what = "the shapes") {
    if (need >= 0 && arg.length >= (size_t)need) return true;
    return failf("%s holds %zu elements, %s need %ld", name, arg.length, what, need), false;
  }

  napi_value value(size_t i) { return i < argc ? argv[i] : nullptr; }

  double num(size_t i) {
    double v = 0;
    if (i < argc) napi_get_value_double(env, argv[i], &v);
    return v;
  }

  int32_t int32(size_t i) {
    int32_t v = 0;
    if (i < argc) napi_get_value_int32(env, argv[i], &v);
    return v;
  }

  bool boolean(size_t i) {
    bool v = false;
    if (i < argc) napi_get_value_bool(env, argv[i], &v);
    return v;
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

#define CHECK(cond, msg) \
  if (!(cond)) return a.fail(msg)
#define DONE return nullptr

}  // namespace bind
}  // namespace capa
