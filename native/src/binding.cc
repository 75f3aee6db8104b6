// The N-API surface: one function per Backend kernel. Arguments are the tensors' own typed
// arrays (no copies) plus a shared Int32Array `meta` carrying shapes and integer parameters,
// written by src/backend/native/native.ts in the layouts documented at each function. Sizes are
// checked against the geometry before any kernel runs, so a wrong call throws instead of
// corrupting memory. Kernels run synchronously on the calling thread plus the pool.
#include <napi.h>
#include <stdlib.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <string.h>

#include "cpu.h"
#include "movement.h"
#include "threadpool.h"

namespace capa {
namespace {

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

bool read_meta(Args& a, size_t i, Meta& meta) {
  meta.m = a.i32(i, &meta.len);
  return meta.m != nullptr;
}

long size_of(const int32_t* shape, int rank) {
  long s = 1;
  for (int d = 0; d < rank; d++) s *= shape[d];
  return s;
}

bool read_geom(Meta& meta, ConvGeom& g) {
  int32_t* f = &g.batch;
  for (int i = 0; i < 17; i++) f[i] = meta.next();
  if (!meta.ok) return false;
  for (int i = 0; i < 13; i++)
    if (f[i] < 0) return false;
  return g.strideH > 0 && g.strideW > 0 && g.dilationH > 0 && g.dilationW > 0;
}

long geom_in(const ConvGeom& g) { return (long)g.batch * g.inH * g.inW * g.inC; }
long geom_out(const ConvGeom& g) { return (long)g.batch * g.outH * g.outW * g.outC; }

#define FN(name) napi_value name(napi_env env, napi_callback_info info)
#define ARGS Args a(env, info)
#define CHECK(cond, msg) \
  if (!(cond)) return a.fail(msg)
#define DONE return nullptr

// unary(x, out, op, alpha, beta)
FN(Unary) {
  ARGS;
  size_t n;
  void* xp = a.array(0, &n);
  float* out = a.f32(1, n);
  CHECK(xp && out, "unary: bad arrays");
  kernels().unary(a.int32(2), (const float*)xp, out, (long)n, (float)a.num(3), (float)a.num(4));
  DONE;
}

// unaryGrad(x, y, dy, dx, op, alpha)
FN(UnaryGrad) {
  ARGS;
  size_t n;
  void* dyp = a.array(2, &n);
  float* x = a.f32(0, n, true);
  float* y = a.f32(1, n, true);
  float* dx = a.f32(3, n);
  CHECK(dyp && dx && !a.failed, "unaryGrad: bad arrays");
  kernels().unary_grad(a.int32(4), x ? x : (float*)dyp, y ? y : (float*)dyp, (const float*)dyp, dx, (long)n, (float)a.num(5));
  DONE;
}

/** meta: [inputs, rank0, ...shape0, rank1, ...shape1, (rank2, ...shape2), outRank, ...outShape] */
bool read_broadcast(Meta& meta, Broadcast& bc, long* sizes, long& outSize) {
  int inputs = meta.next();
  if (inputs < 1 || inputs > 3) return false;
  const int32_t* shapes[3];
  int ranks[3];
  for (int j = 0; j < inputs; j++) {
    ranks[j] = meta.next();
    if (ranks[j] < 0 || ranks[j] > kMaxRank) return false;
    shapes[j] = meta.take(ranks[j]);
    sizes[j] = size_of(shapes[j], ranks[j]);
  }
  int outRank = meta.next();
  if (outRank < 0 || outRank > kMaxRank) return false;
  const int32_t* outShape = meta.take(outRank);
  if (!meta.ok) return false;
  outSize = size_of(outShape, outRank);
  return plan_broadcast(shapes, ranks, inputs, outShape, outRank, bc);
}

// binary(a, b, out, op, meta)
FN(Binary) {
  ARGS;
  Meta meta;
  CHECK(read_meta(a, 4, meta), "binary: bad meta");
  Broadcast bc;
  long sizes[3], outSize;
  CHECK(read_broadcast(meta, bc, sizes, outSize), "binary: bad shapes");
  float* x = a.f32(0, sizes[0]);
  float* y = a.f32(1, sizes[1]);
  float* out = a.f32(2, outSize);
  CHECK(x && y && out, "binary: bad arrays");
  if (outSize > 0) kernels().binary(a.int32(3), x, y, out, bc);
  DONE;
}

// compare(a, b, out, op, meta)
FN(Compare) {
  ARGS;
  Meta meta;
  CHECK(read_meta(a, 4, meta), "compare: bad meta");
  Broadcast bc;
  long sizes[3], outSize;
  CHECK(read_broadcast(meta, bc, sizes, outSize), "compare: bad shapes");
  float* x = a.f32(0, sizes[0]);
  float* y = a.f32(1, sizes[1]);
  size_t outLen;
  int32_t* out = a.i32(2, &outLen);
  CHECK(x && y && out && (long)outLen >= outSize, "compare: bad arrays");
  if (outSize > 0) kernels().compare(a.int32(3), x, y, out, bc);
  DONE;
}

// select(cond, a, b, out, meta)
FN(Select) {
  ARGS;
  Meta meta;
  CHECK(read_meta(a, 4, meta), "select: bad meta");
  Broadcast bc;
  long sizes[3], outSize;
  CHECK(read_broadcast(meta, bc, sizes, outSize), "select: bad shapes");
  bool condFloat = false;
  uint32_t* c = a.any32(0, sizes[0], nullptr, &condFloat);
  uint32_t* x = a.any32(1, sizes[1]);
  uint32_t* y = a.any32(2, sizes[2]);
  uint32_t* out = a.any32(3, outSize);
  CHECK(c && x && y && out, "select: bad arrays");
  if (outSize > 0) select32(c, condFloat, x, y, out, bc);
  DONE;
}

// cast(x, out)
FN(Cast) {
  ARGS;
  size_t n;
  bool xInt = false, outInt = false;
  uint32_t* x = a.any32(0, 0, &xInt);
  a.array(0, &n);
  uint32_t* out = a.any32(1, n, &outInt);
  CHECK(x && out, "cast: bad arrays");
  if (xInt == outInt)
    memcpy(out, x, n * 4);
  else if (outInt)
    cast_f32_i32((const float*)x, (int32_t*)out, (long)n);
  else
    cast_i32_f32((const int32_t*)x, (float*)out, (long)n);
  DONE;
}

/** Splits a shape around sorted axes into [outer, red, inner] when the axes are contiguous. */
bool contiguous_axes(const int32_t* shape, int rank, const int32_t* axes, int naxes, long& outer, long& red, long& inner) {
  // Size-1 axes never matter: skip them when testing contiguity.
  int first = -1, last = -1;
  for (int i = 0; i < naxes; i++) {
    if (shape[axes[i]] == 1) continue;
    if (first < 0) first = axes[i];
    last = axes[i];
  }
  outer = red = inner = 1;
  if (first < 0) {
    outer = size_of(shape, rank);
    return true;
  }
  for (int d = first; d <= last; d++) {
    bool reduced = false;
    for (int i = 0; i < naxes; i++) reduced |= axes[i] == d;
    if (!reduced && shape[d] != 1) return false;
  }
  for (int d = 0; d < first; d++) outer *= shape[d];
  for (int d = first; d <= last; d++) red *= shape[d];
  for (int d = last + 1; d < rank; d++) inner *= shape[d];
  return true;
}

// reduce(x, out, op, meta = [rank, ...shape, naxes, ...axes])
FN(Reduce) {
  ARGS;
  Meta meta;
  CHECK(read_meta(a, 3, meta), "reduce: bad meta");
  int rank = meta.next();
  CHECK(rank >= 0 && rank <= kMaxRank, "reduce: rank too large");
  const int32_t* shape = meta.take(rank);
  int naxes = meta.next();
  const int32_t* axes = meta.take(naxes);
  CHECK(meta.ok, "reduce: bad meta");
  long total = size_of(shape, rank);
  float* x = a.f32(0, total);
  long outSize = 1;
  for (int d = 0; d < rank; d++) {
    bool r = false;
    for (int i = 0; i < naxes; i++) r |= axes[i] == d;
    if (!r) outSize *= shape[d];
  }
  float* out = a.f32(1, outSize);
  CHECK(x && out, "reduce: bad arrays");
  int op = a.int32(2);
  if (naxes == 0) {
    memcpy(out, x, total * 4);
    DONE;
  }
  long outer, red, inner;
  if (contiguous_axes(shape, rank, axes, naxes, outer, red, inner)) {
    if (red == 0) {
      float init = op == R_MAX ? -__builtin_inff() : op == R_MIN ? __builtin_inff() : op == R_PROD ? 1.0f : 0.0f;
      if (op == R_MEAN) init = __builtin_nanf("");
      for (long i = 0; i < outSize; i++) out[i] = init;
      DONE;
    }
    if (outSize > 0) kernels().reduce(op, x, outer, red, inner, out);
    DONE;
  }
  // Move the reduced axes last, then reduce rows.
  int32_t perm[kMaxRank];
  int k = 0;
  long keptSize = 1, redSize = 1;
  for (int d = 0; d < rank; d++) {
    bool r = false;
    for (int i = 0; i < naxes; i++) r |= axes[i] == d;
    if (!r) {
      perm[k++] = d;
      keptSize *= shape[d];
    }
  }
  for (int i = 0; i < naxes; i++) {
    perm[k++] = axes[i];
    redSize *= shape[axes[i]];
  }
  float* tmp = (float*)malloc(sizeof(float) * (total > 0 ? total : 1));
  CHECK(tmp, "reduce: out of memory");
  transpose32((const uint32_t*)x, shape, perm, rank, (uint32_t*)tmp);
  kernels().reduce(op, tmp, keptSize, redSize, 1, out);
  free(tmp);
  DONE;
}

// argReduce(x, out, isMin, meta = [rank, ...shape, axis])
FN(ArgReduce) {
  ARGS;
  Meta meta;
  CHECK(read_meta(a, 3, meta), "argReduce: bad meta");
  int rank = meta.next();
  CHECK(rank >= 1 && rank <= kMaxRank, "argReduce: bad rank");
  const int32_t* shape = meta.take(rank);
  int axis = meta.next();
  CHECK(meta.ok && axis >= 0 && axis < rank, "argReduce: bad axis");
  long outer = 1, inner = 1, n = shape[axis];
  for (int d = 0; d < axis; d++) outer *= shape[d];
  for (int d = axis + 1; d < rank; d++) inner *= shape[d];
  float* x = a.f32(0, outer * n * inner);
  size_t outLen;
  int32_t* out = a.i32(1, &outLen);
  CHECK(x && out && (long)outLen >= outer * inner, "argReduce: bad arrays");
  if (n > 0 && outer * inner > 0) kernels().arg_reduce(a.boolean(2), x, outer, n, inner, out);
  DONE;
}

// matmul(a, b, out, bias|null, meta = [batch, m, n, k, transA, transB, aBatchStride, bBatchStride, act])
FN(Matmul) {
  ARGS;
  Meta meta;
  CHECK(read_meta(a, 4, meta), "matmul: bad meta");
  MatmulSpec s;
  s.batch = meta.next();
  s.m = meta.next();
  s.n = meta.next();
  s.k = meta.next();
  s.transA = meta.next() != 0;
  s.transB = meta.next() != 0;
  s.aBatchStride = meta.next();
  s.bBatchStride = meta.next();
  s.act = meta.next();
  CHECK(meta.ok && s.batch >= 0 && s.m >= 0 && s.n >= 0 && s.k >= 0 && s.aBatchStride >= 0 && s.bBatchStride >= 0,
        "matmul: bad meta");
  long last = s.batch > 0 ? s.batch - 1 : 0;
  float* A = a.f32(0, s.batch ? last * s.aBatchStride + s.m * s.k : 0);
  float* B = a.f32(1, s.batch ? last * s.bBatchStride + s.k * s.n : 0);
  float* out = a.f32(2, s.batch * s.m * s.n);
  s.bias = a.f32(3, s.n, true);
  CHECK(A && B && out && !a.failed, "matmul: bad arrays");
  if (s.batch > 0) kernels().matmul(A, B, out, s);
  DONE;
}

// softmax(x, out, rows, cols, log)
FN(Softmax) {
  ARGS;
  long rows = a.int32(2), cols = a.int32(3);
  float* x = a.f32(0, rows * cols);
  float* out = a.f32(1, rows * cols);
  CHECK(x && out && rows >= 0 && cols >= 0, "softmax: bad arrays");
  if (rows * cols > 0) kernels().softmax(x, rows, cols, out, a.boolean(4));
  DONE;
}

// softmaxGrad(y, dy, dx, rows, cols, log)
FN(SoftmaxGrad) {
  ARGS;
  long rows = a.int32(3), cols = a.int32(4);
  float* y = a.f32(0, rows * cols);
  float* dy = a.f32(1, rows * cols);
  float* dx = a.f32(2, rows * cols);
  CHECK(y && dy && dx && rows >= 0 && cols >= 0, "softmaxGrad: bad arrays");
  if (rows * cols > 0) kernels().softmax_grad(y, dy, rows, cols, dx, a.boolean(5));
  DONE;
}

long filter_size(const ConvGeom& g) { return (long)g.kH * g.kW * g.inC * g.outC; }
long depthwise_filter_size(const ConvGeom& g) { return (long)g.kH * g.kW * g.outC; }

// conv2d(x, filter, out, bias|null, act, meta = geometry)
FN(Conv2d) {
  ARGS;
  Meta meta;
  ConvGeom g;
  CHECK(read_meta(a, 5, meta) && read_geom(meta, g), "conv2d: bad geometry");
  float* x = a.f32(0, geom_in(g));
  float* f = a.f32(1, filter_size(g));
  float* out = a.f32(2, geom_out(g));
  float* bias = a.f32(3, g.outC, true);
  CHECK(x && f && out && !a.failed, "conv2d: bad arrays");
  if (geom_out(g) > 0) kernels().conv2d(x, f, out, g, bias, a.int32(4));
  DONE;
}

// conv2dBackpropInput(dy, filter, dx, meta)
FN(Conv2dBackpropInput) {
  ARGS;
  Meta meta;
  ConvGeom g;
  CHECK(read_meta(a, 3, meta) && read_geom(meta, g), "conv2dBackpropInput: bad geometry");
  float* dy = a.f32(0, geom_out(g));
  float* f = a.f32(1, filter_size(g));
  float* dx = a.f32(2, geom_in(g));
  CHECK(dy && f && dx, "conv2dBackpropInput: bad arrays");
  if (geom_in(g) == 0) DONE;
  if (geom_out(g) == 0) {
    memset(dx, 0, geom_in(g) * 4);
    DONE;
  }
  kernels().conv2d_backprop_input(dy, f, dx, g);
  DONE;
}

// conv2dBackpropFilter(x, dy, dFilter, meta)
FN(Conv2dBackpropFilter) {
  ARGS;
  Meta meta;
  ConvGeom g;
  CHECK(read_meta(a, 3, meta) && read_geom(meta, g), "conv2dBackpropFilter: bad geometry");
  float* x = a.f32(0, geom_in(g));
  float* dy = a.f32(1, geom_out(g));
  float* df = a.f32(2, filter_size(g));
  CHECK(x && dy && df, "conv2dBackpropFilter: bad arrays");
  if (filter_size(g) == 0) DONE;
  if (geom_out(g) == 0) {
    memset(df, 0, filter_size(g) * 4);
    DONE;
  }
  kernels().conv2d_backprop_filter(x, dy, df, g);
  DONE;
}

// depthwiseConv2d(x, filter, out, meta) and its gradients
FN(Depthwise) {
  ARGS;
  Meta meta;
  ConvGeom g;
  CHECK(read_meta(a, 3, meta) && read_geom(meta, g) && g.inC > 0 && g.outC % g.inC == 0, "depthwiseConv2d: bad geometry");
  float* x = a.f32(0, geom_in(g));
  float* f = a.f32(1, depthwise_filter_size(g));
  float* out = a.f32(2, geom_out(g));
  CHECK(x && f && out, "depthwiseConv2d: bad arrays");
  if (geom_out(g) > 0) kernels().depthwise(x, f, out, g);
  DONE;
}

FN(DepthwiseBackpropInput) {
  ARGS;
  Meta meta;
  ConvGeom g;
  CHECK(read_meta(a, 3, meta) && read_geom(meta, g) && g.inC > 0 && g.outC % g.inC == 0,
        "depthwiseConv2dBackpropInput: bad geometry");
  float* dy = a.f32(0, geom_out(g));
  float* f = a.f32(1, depthwise_filter_size(g));
  float* dx = a.f32(2, geom_in(g));
  CHECK(dy && f && dx, "depthwiseConv2dBackpropInput: bad arrays");
  if (geom_in(g) > 0) kernels().depthwise_backprop_input(dy, f, dx, g);
  DONE;
}

FN(DepthwiseBackpropFilter) {
  ARGS;
  Meta meta;
  ConvGeom g;
  CHECK(read_meta(a, 3, meta) && read_geom(meta, g) && g.inC > 0 && g.outC % g.inC == 0,
        "depthwiseConv2dBackpropFilter: bad geometry");
  float* x = a.f32(0, geom_in(g));
  float* dy = a.f32(1, geom_out(g));
  float* df = a.f32(2, depthwise_filter_size(g));
  CHECK(x && dy && df, "depthwiseConv2dBackpropFilter: bad arrays");
  if (depthwise_filter_size(g) > 0) kernels().depthwise_backprop_filter(x, dy, df, g);
  DONE;
}

// maxPool2d(x, out, meta), avgPool2d(x, out, meta)
FN(Pool) {
  ARGS;
  Meta meta;
  ConvGeom g;
  CHECK(read_meta(a, 3, meta) && read_geom(meta, g) && g.inC == g.outC, "pool2d: bad geometry");
  float* x = a.f32(0, geom_in(g));
  float* out = a.f32(1, geom_out(g));
  CHECK(x && out, "pool2d: bad arrays");
  if (geom_out(g) > 0) (a.boolean(2) ? kernels().avg_pool : kernels().max_pool)(x, out, g);
  DONE;
}

// maxPool2dGrad(x, dy, dx, meta)
FN(MaxPoolGrad) {
  ARGS;
  Meta meta;
  ConvGeom g;
  CHECK(read_meta(a, 3, meta) && read_geom(meta, g) && g.inC == g.outC, "maxPool2dGrad: bad geometry");
  float* x = a.f32(0, geom_in(g));
  float* dy = a.f32(1, geom_out(g));
  float* dx = a.f32(2, geom_in(g));
  CHECK(x && dy && dx, "maxPool2dGrad: bad arrays");
  if (geom_in(g) > 0) kernels().max_pool_grad(x, dy, dx, g);
  DONE;
}

// avgPool2dGrad(dy, dx, meta)
FN(AvgPoolGrad) {
  ARGS;
  Meta meta;
  ConvGeom g;
  CHECK(read_meta(a, 2, meta) && read_geom(meta, g) && g.inC == g.outC, "avgPool2dGrad: bad geometry");
  float* dy = a.f32(0, geom_out(g));
  float* dx = a.f32(1, geom_in(g));
  CHECK(dy && dx, "avgPool2dGrad: bad arrays");
  if (geom_in(g) > 0) kernels().avg_pool_grad(dy, dx, g);
  DONE;
}

// batchNormInference(x, mean, variance, gamma|null, beta|null, out, epsilon, channels)
FN(BatchNormInference) {
  ARGS;
  long C = a.int32(7);
  size_t n;
  a.array(0, &n);
  CHECK(C > 0 && n % C == 0, "batchNormInference: size is not a multiple of channels");
  float* x = a.f32(0, n);
  float* mean = a.f32(1, C);
  float* var = a.f32(2, C);
  float* gamma = a.f32(3, C, true);
  float* beta = a.f32(4, C, true);
  float* out = a.f32(5, n);
  CHECK(x && mean && var && out && !a.failed, "batchNormInference: bad arrays");
  kernels().batch_norm_inference(x, mean, var, gamma, beta, (float)a.num(6), C, (long)n / C, out);
  DONE;
}

// batchNormTraining(x, gamma|null, beta|null, out, mean, variance, epsilon, channels)
FN(BatchNormTraining) {
  ARGS;
  long C = a.int32(7);
  size_t n;
  a.array(0, &n);
  CHECK(C > 0 && n % C == 0, "batchNormTraining: size is not a multiple of channels");
  float* x = a.f32(0, n);
  float* gamma = a.f32(1, C, true);
  float* beta = a.f32(2, C, true);
  float* out = a.f32(3, n);
  float* mean = a.f32(4, C);
  float* var = a.f32(5, C);
  CHECK(x && out && mean && var && !a.failed, "batchNormTraining: bad arrays");
  kernels().batch_norm_training(x, gamma, beta, (float)a.num(6), C, (long)n / C, out, mean, var);
  DONE;
}

// batchNormGrad(x, dy, mean, variance, gamma|null, dx, dGamma, dBeta, epsilon, channels)
FN(BatchNormGrad) {
  ARGS;
  long C = a.int32(9);
  size_t n;
  a.array(0, &n);
  CHECK(C > 0 && n % C == 0, "batchNormGrad: size is not a multiple of channels");
  float* x = a.f32(0, n);
  float* dy = a.f32(1, n);
  float* mean = a.f32(2, C);
  float* var = a.f32(3, C);
  float* gamma = a.f32(4, C, true);
  float* dx = a.f32(5, n);
  float* dgamma = a.f32(6, C);
  float* dbeta = a.f32(7, C);
  CHECK(x && dy && mean && var && dx && dgamma && dbeta && !a.failed, "batchNormGrad: bad arrays");
  kernels().batch_norm_grad(x, dy, mean, var, gamma, (float)a.num(8), C, (long)n / C, dx, dgamma, dbeta);
  DONE;
}

// sgdUpdate(param, grad, velocity|null, lr, momentum, nesterov)
FN(SgdUpdate) {
  ARGS;
  size_t n;
  a.array(0, &n);
  float* p = a.f32(0, n);
  float* g = a.f32(1, n);
  float* v = a.f32(2, n, true);
  CHECK(p && g && !a.failed, "sgdUpdate: bad arrays");
  kernels().sgd(p, g, v, (long)n, (float)a.num(3), (float)a.num(4), a.boolean(5));
  DONE;
}

// adamUpdate(param, grad, m, v, vMax|null, stepSize, beta1, beta2, epsilon)
FN(AdamUpdate) {
  ARGS;
  size_t n;
  a.array(0, &n);
  float* p = a.f32(0, n);
  float* g = a.f32(1, n);
  float* m = a.f32(2, n);
  float* v = a.f32(3, n);
  float* vmax = a.f32(4, n, true);
  CHECK(p && g && m && v && !a.failed, "adamUpdate: bad arrays");
  kernels().adam(p, g, m, v, vmax, (long)n, (float)a.num(5), (float)a.num(6), (float)a.num(7), (float)a.num(8));
  DONE;
}

// transpose(x, out, meta = [rank, ...shape, ...perm])
FN(Transpose) {
  ARGS;
  Meta meta;
  CHECK(read_meta(a, 2, meta), "transpose: bad meta");
  int rank = meta.next();
  CHECK(rank >= 0 && rank <= kMaxRank, "transpose: rank too large");
  const int32_t* shape = meta.take(rank);
  const int32_t* perm = meta.take(rank);
  CHECK(meta.ok, "transpose: bad meta");
  for (int d = 0; d < rank; d++) CHECK(perm[d] >= 0 && perm[d] < rank, "transpose: bad permutation");
  long n = size_of(shape, rank);
  uint32_t* x = a.any32(0, n);
  uint32_t* out = a.any32(1, n);
  CHECK(x && out, "transpose: bad arrays");
  if (n > 0) transpose32(x, shape, perm, rank, out);
  DONE;
}

// slice(x, out, meta = [rank, ...shape, ...begin, ...size, ...step])
FN(Slice) {
  ARGS;
  Meta meta;
  CHECK(read_meta(a, 2, meta), "slice: bad meta");
  int rank = meta.next();
  CHECK(rank >= 0 && rank <= kMaxRank, "slice: rank too large");
  const int32_t* shape = meta.take(rank);
  const int32_t* begin = meta.take(rank);
  const int32_t* size = meta.take(rank);
  const int32_t* step = meta.take(rank);
  CHECK(meta.ok, "slice: bad meta");
  for (int d = 0; d < rank; d++) {
    long lastIdx = begin[d] + (long)(size[d] - 1) * step[d];
    CHECK(size[d] == 0 || (begin[d] >= 0 && begin[d] < shape[d] && lastIdx >= 0 && lastIdx < shape[d]), "slice: out of range");
  }
  uint32_t* x = a.any32(0, size_of(shape, rank));
  uint32_t* out = a.any32(1, size_of(size, rank));
  CHECK(x && out, "slice: bad arrays");
  if (size_of(size, rank) > 0) slice32(x, shape, begin, size, step, rank, out);
  DONE;
}

// sliceAssign(dst, src, accumulate, meta = [rank, ...dstShape, ...srcShape, ...begin, ...step])
FN(SliceAssign) {
  ARGS;
  Meta meta;
  CHECK(read_meta(a, 3, meta), "sliceAssign: bad meta");
  int rank = meta.next();
  CHECK(rank >= 0 && rank <= kMaxRank, "sliceAssign: rank too large");
  const int32_t* dstShape = meta.take(rank);
  const int32_t* srcShape = meta.take(rank);
  const int32_t* begin = meta.take(rank);
  const int32_t* step = meta.take(rank);
  CHECK(meta.ok, "sliceAssign: bad meta");
  for (int d = 0; d < rank; d++) {
    long lastIdx = begin[d] + (long)(srcShape[d] - 1) * step[d];
    CHECK(srcShape[d] == 0 || (begin[d] >= 0 && begin[d] < dstShape[d] && lastIdx >= 0 && lastIdx < dstShape[d]),
          "sliceAssign: out of range");
  }
  bool isInt = false;
  uint32_t* dst = a.any32(0, size_of(dstShape, rank), &isInt);
  uint32_t* src = a.any32(1, size_of(srcShape, rank));
  CHECK(dst && src, "sliceAssign: bad arrays");
  if (size_of(srcShape, rank) > 0) slice_assign32(dst, dstShape, src, srcShape, begin, step, rank, a.boolean(2), isInt);
  DONE;
}

// concat(inputs[], out, meta = [count, rank, axis, ...shapes])
FN(Concat) {
  ARGS;
  Meta meta;
  CHECK(read_meta(a, 2, meta), "concat: bad meta");
  int count = meta.next(), rank = meta.next(), axis = meta.next();
  CHECK(meta.ok && count >= 0 && rank >= 1 && rank <= kMaxRank && axis >= 0 && axis < rank, "concat: bad meta");
  long outer = 1;
  long outRow = 0;
  const int32_t* first = meta.m + meta.at;
  for (int d = 0; d < axis; d++) outer *= first[d];
  long inner = 1;
  for (int d = axis + 1; d < rank; d++) inner *= first[d];
  long total = 0;
  for (int i = 0; i < count; i++) {
    const int32_t* s = meta.take(rank);
    outRow += (long)s[axis] * inner;
    total += size_of(s, rank);
  }
  CHECK(meta.ok, "concat: bad meta");
  uint32_t* out = a.any32(1, total);
  CHECK(out, "concat: bad output");
  long offset = 0;
  for (int i = 0; i < count; i++) {
    napi_value item;
    napi_get_element(env, a.argv[0], i, &item);
    bool is = false;
    napi_is_typedarray(env, item, &is);
    CHECK(is, "concat: inputs must be typed arrays");
    napi_typedarray_type t;
    size_t len;
    void* data;
    napi_get_typedarray_info(env, item, &t, &len, &data, nullptr, nullptr);
    const int32_t* s = meta.m + 3 + (size_t)i * rank;
    long row = (long)s[axis] * inner;
    CHECK((long)len >= outer * row, "concat: input shorter than its shape");
    for (long o = 0; o < outer; o++) memcpy(out + o * outRow + offset, (uint32_t*)data + o * row, row * 4);
    offset += row;
  }
  DONE;
}

// pad(x, out, mode, value, meta = [rank, ...shape, ...paddings(before, after)])
FN(Pad) {
  ARGS;
  Meta meta;
  CHECK(read_meta(a, 4, meta), "pad: bad meta");
  int rank = meta.next();
  CHECK(rank >= 0 && rank <= kMaxRank, "pad: rank too large");
  const int32_t* shape = meta.take(rank);
  const int32_t* paddings = meta.take(2 * rank);
  CHECK(meta.ok, "pad: bad meta");
  long outSize = 1;
  for (int d = 0; d < rank; d++) {
    CHECK(paddings[2 * d] >= 0 && paddings[2 * d + 1] >= 0, "pad: negative padding");
    outSize *= shape[d] + paddings[2 * d] + paddings[2 * d + 1];
  }
  bool isInt = false;
  uint32_t* x = a.any32(0, size_of(shape, rank));
  uint32_t* out = a.any32(1, outSize, &isInt);
  CHECK(x && out, "pad: bad arrays");
  double v = a.num(3);
  uint32_t bits;
  if (isInt) {
    int32_t iv = (int32_t)v;
    memcpy(&bits, &iv, 4);
  } else {
    float fv = (float)v;
    memcpy(&bits, &fv, 4);
  }
  if (outSize > 0) pad32(x, shape, paddings, rank, a.int32(2), bits, out);
  DONE;
}

// tile(x, out, meta = [rank, ...shape, ...reps])
FN(Tile) {
  ARGS;
  Meta meta;
  CHECK(read_meta(a, 2, meta), "tile: bad meta");
  int rank = meta.next();
  CHECK(rank >= 0 && rank <= kMaxRank, "tile: rank too large");
  const int32_t* shape = meta.take(rank);
  const int32_t* reps = meta.take(rank);
  CHECK(meta.ok, "tile: bad meta");
  long outSize = 1;
  for (int d = 0; d < rank; d++) outSize *= (long)shape[d] * reps[d];
  uint32_t* x = a.any32(0, size_of(shape, rank));
  uint32_t* out = a.any32(1, outSize);
  CHECK(x && out, "tile: bad arrays");
  if (outSize > 0) tile32(x, shape, reps, rank, out);
  DONE;
}

/** [outer, n, inner] around an axis. */
bool around_axis(Meta& meta, long& outer, long& n, long& inner) {
  int rank = meta.next();
  if (rank < 1 || rank > kMaxRank) return false;
  const int32_t* shape = meta.take(rank);
  int axis = meta.next();
  if (!meta.ok || axis < 0 || axis >= rank) return false;
  outer = inner = 1;
  for (int d = 0; d < axis; d++) outer *= shape[d];
  for (int d = axis + 1; d < rank; d++) inner *= shape[d];
  n = shape[axis];
  return true;
}

// gather(x, indices, out, meta = [rank, ...shape, axis])
FN(Gather) {
  ARGS;
  Meta meta;
  long outer, n, inner;
  CHECK(read_meta(a, 3, meta) && around_axis(meta, outer, n, inner), "gather: bad meta");
  size_t count;
  int32_t* idx = a.i32(1, &count);
  CHECK(idx, "gather: bad indices");
  for (size_t i = 0; i < count; i++) CHECK(idx[i] >= 0 && idx[i] < n, "gather: index out of range");
  uint32_t* x = a.any32(0, outer * n * inner);
  uint32_t* out = a.any32(2, outer * (long)count * inner);
  CHECK(x && out, "gather: bad arrays");
  gather32(x, outer, n, inner, idx, (long)count, out);
  DONE;
}

// scatterAdd(updates, indices, out, meta = [rank, ...outShape, axis])
FN(ScatterAdd) {
  ARGS;
  Meta meta;
  long outer, n, inner;
  CHECK(read_meta(a, 3, meta) && around_axis(meta, outer, n, inner), "scatterAdd: bad meta");
  size_t count;
  int32_t* idx = a.i32(1, &count);
  CHECK(idx, "scatterAdd: bad indices");
  for (size_t i = 0; i < count; i++) CHECK(idx[i] >= 0 && idx[i] < n, "scatterAdd: index out of range");
  bool isInt = false;
  uint32_t* upd = a.any32(0, outer * (long)count * inner);
  uint32_t* out = a.any32(2, outer * n * inner, &isInt);
  CHECK(upd && out, "scatterAdd: bad arrays");
  scatter_add32(upd, outer, n, inner, idx, (long)count, out, isInt);
  DONE;
}

// oneHot(indices, out, depth, on, off)
FN(OneHot) {
  ARGS;
  size_t count;
  int32_t* idx = a.i32(0, &count);
  long depth = a.int32(2);
  bool isInt = false;
  uint32_t* out = a.any32(1, count * depth, &isInt);
  CHECK(idx && out && depth >= 0, "oneHot: bad arrays");
  double on = a.num(3), off = a.num(4);
  uint32_t onBits, offBits;
  if (isInt) {
    int32_t a1 = (int32_t)on, a2 = (int32_t)off;
    memcpy(&onBits, &a1, 4);
    memcpy(&offBits, &a2, 4);
  } else {
    float f1 = (float)on, f2 = (float)off;
    memcpy(&onBits, &f1, 4);
    memcpy(&offBits, &f2, 4);
  }
  for (size_t i = 0; i < count; i++) {
    uint32_t* row = out + i * depth;
    for (long j = 0; j < depth; j++) row[j] = offBits;
    if (idx[i] >= 0 && idx[i] < depth) row[idx[i]] = onBits;
  }
  DONE;
}

Napi::Value Info(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object obj = Napi::Object::New(env);
  obj.Set("isa", kernels().isa);
  const char* names[4];
  int n = supported_isas(names, 4);
  Napi::Array list = Napi::Array::New(env, n);
  for (int i = 0; i < n; i++) list.Set(i, names[i]);
  obj.Set("isas", list);
  obj.Set("threads", pool_threads());
  return obj;
}

Napi::Value SetIsa(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsString()) {
    Napi::Error::New(env, "setIsa: expected 'scalar', 'avx2' or 'avx512'").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  return Napi::Boolean::New(env, set_isa(info[0].As<Napi::String>().Utf8Value().c_str()));
}

Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsNumber() || info[0].As<Napi::Number>().Int32Value() < 1) {
    Napi::Error::New(env, "setThreads: expected a positive integer").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  pool_set_threads(info[0].As<Napi::Number>().Int32Value());
  return env.Undefined();
}

/**
 * Tensors are garbage-collected typed arrays, so every op allocates its output afresh. glibc maps
 * each large block with mmap and unmaps it on free, so every new activation page-faults its way
 * in (a ResNet50 forward allocates ~150 MB: ~30 ms of faults). Keeping blocks up to 32 MB in the
 * heap, and the heap from shrinking, turns that into reuse of already-mapped memory. The resident
 * set then stays at its high-water mark instead of breathing with every step.
 */
void keep_freed_memory_mapped() {
#if defined(__GLIBC__)
  if (getenv("CAPA_KEEP_MALLOC_DEFAULTS")) return;
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
#endif
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  keep_freed_memory_mapped();
  const char* isa = getenv("CAPA_ISA");
  if (isa && *isa && !table_for(isa)) {
    Napi::Error::New(env, "CAPA_ISA names an instruction set this CPU cannot run (use scalar, avx2 or avx512)")
        .ThrowAsJavaScriptException();
    return exports;
  }
  // The kernels use raw Node-API callbacks: no wrapper objects on the per-op path.
  struct Entry {
    const char* name;
    napi_callback fn;
  } entries[] = {
      {"unary", Unary},
      {"unaryGrad", UnaryGrad},
      {"binary", Binary},
      {"compare", Compare},
      {"select", Select},
      {"cast", Cast},
      {"reduce", Reduce},
      {"argReduce", ArgReduce},
      {"matmul", Matmul},
      {"softmax", Softmax},
      {"softmaxGrad", SoftmaxGrad},
      {"conv2d", Conv2d},
      {"conv2dBackpropInput", Conv2dBackpropInput},
      {"conv2dBackpropFilter", Conv2dBackpropFilter},
      {"depthwiseConv2d", Depthwise},
      {"depthwiseConv2dBackpropInput", DepthwiseBackpropInput},
      {"depthwiseConv2dBackpropFilter", DepthwiseBackpropFilter},
      {"pool2d", Pool},
      {"maxPool2dGrad", MaxPoolGrad},
      {"avgPool2dGrad", AvgPoolGrad},
      {"batchNormInference", BatchNormInference},
      {"batchNormTraining", BatchNormTraining},
      {"batchNormGrad", BatchNormGrad},
      {"sgdUpdate", SgdUpdate},
      {"adamUpdate", AdamUpdate},
      {"transpose", Transpose},
      {"slice", Slice},
      {"sliceAssign", SliceAssign},
      {"concat", Concat},
      {"pad", Pad},
      {"tile", Tile},
      {"gather", Gather},
      {"scatterAdd", ScatterAdd},
      {"oneHot", OneHot},
  };
  for (const Entry& e : entries) {
    napi_value fn;
    napi_create_function(env, e.name, NAPI_AUTO_LENGTH, e.fn, nullptr, &fn);
    exports.Set(e.name, Napi::Value(env, fn));
  }
  exports.Set("info", Napi::Function::New(env, Info, "info"));
  exports.Set("setIsa", Napi::Function::New(env, SetIsa, "setIsa"));
  exports.Set("setThreads", Napi::Function::New(env, SetThreads, "setThreads"));
  return exports;
}

}  // namespace
}  // namespace capa

static Napi::Object CapaInit(Napi::Env env, Napi::Object exports) { return capa::Init(env, exports); }

NODE_API_MODULE(NODE_GYP_MODULE_NAME, CapaInit)
