// The N-API argument helpers every binding file uses. Arguments are the tensors' own typed
// arrays (no copies) plus a shared Int32Array `meta` carrying shapes and integer parameters,
// written by src/backend/native/native.ts in the layouts documented at each function. Sizes are
// checked against the geometry before any kernel runs, so a wrong call throws instead of
// corrupting memory. Kernels run synchronously on the calling thread plus the pool.
#pragma once

#include <node_api.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cpu.h"
#include "movement.h"
#include "threadpool.h"

namespace capa {
namespace bind {

constexpr int kMaxArgs = 12;

struct Args {
  napi_env env;
  napi_value argv[kMaxArgs];
  size_t argc = kMaxArgs;
  bool failed = false;

  Args(napi_env e, napi_callback_info info) : env(e) { napi_get_cb_info(e, info, &argc, argv, nullptr, nullptr); }

  napi_value fail(const char* msg) {
    if (!failed) napi_throw_error(env, "CAPA_NATIVE", msg);
    failed = true;
    return nullptr;
  }

  /** A typed array argument's data and length; `allowNull` accepts null/undefined as (nullptr, 0). */
  void* array(size_t i, size_t* length, napi_typedarray_type* type = nullptr, bool allowNull = false) {
    *length = 0;
    if (i >= argc) {
      fail("capa native: missing typed array argument");
      return nullptr;
    }
    napi_valuetype vt;
    napi_typeof(env, argv[i], &vt);
    if (vt == napi_null || vt == napi_undefined) {
      if (!allowNull) fail("capa native: expected a typed array, received null");
      return nullptr;
    }
    bool is = false;
    napi_is_typedarray(env, argv[i], &is);
    if (!is) {
      fail("capa native: expected a typed array");
      return nullptr;
    }
    napi_typedarray_type t;
    void* data = nullptr;
    napi_get_typedarray_info(env, argv[i], &t, length, &data, nullptr, nullptr);
    if (type) *type = t;
    // An empty typed array may have no backing store; kernels never touch it, but null means failure here.
    static uint32_t empty[1];
    if (!data && *length == 0) data = empty;
    if (t != napi_float32_array && t != napi_int32_array && t != napi_uint32_array) {
      fail("capa native: expected a Float32Array or Int32Array");
      return nullptr;
    }
    return data;
  }

  float* f32(size_t i, size_t need, bool allowNull = false) {
    size_t len;
    napi_typedarray_type t;
    void* p = array(i, &len, &t, allowNull);
    if (!p) return nullptr;
    if (t != napi_float32_array) return (float*)fail("capa native: expected a Float32Array");
    if (len < need) return (float*)fail("capa native: Float32Array shorter than the shapes require");
    return (float*)p;
  }

  int32_t* i32(size_t i, size_t* len) {
    napi_typedarray_type t;
    void* p = array(i, len, &t);
    if (!p) return nullptr;
    if (t != napi_int32_array) return (int32_t*)fail("capa native: expected an Int32Array");
    return (int32_t*)p;
  }

  /** Any 32-bit typed array (for dtype-agnostic movement); need = required length. */
  uint32_t* any32(size_t i, size_t need, bool* isInt = nullptr, bool* isFloat = nullptr) {
    size_t len;
    napi_typedarray_type t;
    void* p = array(i, &len, &t);
    if (!p) return nullptr;
    if (len < need) return (uint32_t*)fail("capa native: typed array shorter than the shapes require");
    if (isInt) *isInt = t == napi_int32_array;
    if (isFloat) *isFloat = t == napi_float32_array;
    return (uint32_t*)p;
  }

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

  /** An op code argument: its value when in [first, end), else -1 (a kernel would skip an unknown op silently). */
  int code(size_t i, int first, int end) {
    int32_t v = 0;
    if (i >= argc || napi_get_value_int32(env, argv[i], &v) != napi_ok) return -1;  // undefined is not op 0
    return v >= first && v < end ? v : -1;
  }

  bool boolean(size_t i) {
    bool v = false;
    if (i < argc) napi_get_value_bool(env, argv[i], &v);
    return v;
  }
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

inline bool read_meta(Args& a, size_t i, Meta& meta) {
  meta.m = a.i32(i, &meta.len);
  return meta.m != nullptr;
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

#define FN(name) napi_value name(napi_env env, napi_callback_info info)
#define ARGS Args a(env, info)
#define CHECK(cond, msg) \
  if (!(cond)) return a.fail(msg)
#define DONE return nullptr


// The exported functions, one per Backend kernel: X(C++ name, JavaScript name).
#define CAPA_BINDINGS(X) \
  X(Unary, "unary") \
  X(UnaryGrad, "unaryGrad") \
  X(Binary, "binary") \
  X(Compare, "compare") \
  X(Select, "select") \
  X(Cast, "cast") \
  X(Reduce, "reduce") \
  X(ArgReduce, "argReduce") \
  X(Matmul, "matmul") \
  X(Softmax, "softmax") \
  X(SoftmaxGrad, "softmaxGrad") \
  X(Conv2d, "conv2d") \
  X(Conv2dBackpropInput, "conv2dBackpropInput") \
  X(Conv2dBackpropFilter, "conv2dBackpropFilter") \
  X(Depthwise, "depthwiseConv2d") \
  X(DepthwiseBackpropInput, "depthwiseConv2dBackpropInput") \
  X(DepthwiseBackpropFilter, "depthwiseConv2dBackpropFilter") \
  X(Pool, "pool2d") \
  X(MaxPoolGrad, "maxPool2dGrad") \
  X(AvgPoolGrad, "avgPool2dGrad") \
  X(BatchNormInference, "batchNormInference") \
  X(BatchNormTraining, "batchNormTraining") \
  X(BatchNormGrad, "batchNormGrad") \
  X(SgdUpdate, "sgdUpdate") \
  X(AdamUpdate, "adamUpdate") \
  X(Transpose, "transpose") \
  X(Slice, "slice") \
  X(SliceAssign, "sliceAssign") \
  X(Concat, "concat") \
  X(Pad, "pad") \
  X(Tile, "tile") \
  X(Gather, "gather") \
  X(ScatterAdd, "scatterAdd") \
  X(OneHot, "oneHot")
#define CAPA_DECLARE(name, js) napi_value name(napi_env env, napi_callback_info info);
CAPA_BINDINGS(CAPA_DECLARE)
#undef CAPA_DECLARE

}  // namespace bind
}  // namespace capa
