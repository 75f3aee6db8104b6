// Bindings of the elementwise, reduction, matmul and softmax kernels.
#include "napi_args.h"

namespace capa {
namespace bind {
// unary(x, out, op, alpha, beta)
FN(Unary) {
  ARGS;
  size_t n;
  void* xp = a.array(0, &n);
  float* out = a.f32(1, n);
  int op = a.code(2, 0, U_COUNT);
  CHECK(xp && out && op >= 0, "unary: bad arrays or op");
  kernels().unary(op, (const float*)xp, out, (long)n, (float)a.num(3), (float)a.num(4));
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
  int op = a.code(4, U_LINEAR, U_COUNT);
  CHECK(dyp && dx && !a.failed && op >= 0, "unaryGrad: bad arrays or activation");
  kernels().unary_grad(op, x ? x : (float*)dyp, y ? y : (float*)dyp, (const float*)dyp, dx, (long)n, (float)a.num(5));
  DONE;
}

/** meta: [inputs, rank0, ...shape0, rank1, ...shape1, (rank2, ...shape2), outRank, ...outShape] */
static bool read_broadcast(Meta& meta, Broadcast& bc, long* sizes, long& outSize) {
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
  // Each input must broadcast to the output (aligned from the right, size 1 or the output's size),
  // or the kernels would walk past its end.
  for (int d = 0; d < outRank; d++)
    if (outShape[d] < 0) return false;
  for (int j = 0; j < inputs; j++) {
    if (ranks[j] > outRank) return false;
    for (int k = 0; k < ranks[j]; k++) {
      int32_t dim = shapes[j][k];
      if (dim != 1 && dim != outShape[k + outRank - ranks[j]]) return false;
    }
  }
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
  int op = a.code(3, 0, B_COUNT);
  CHECK(x && y && out && op >= 0, "binary: bad arrays or op");
  if (outSize > 0) kernels().binary(op, x, y, out, bc);
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
  int op = a.code(3, 0, C_COUNT);
  CHECK(x && y && out && (long)outLen >= outSize && op >= 0, "compare: bad arrays or op");
  if (outSize > 0) kernels().compare(op, x, y, out, bc);
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
static bool contiguous_axes(const int32_t* shape, int rank, const int32_t* axes, int naxes, long& outer, long& red, long& inner) {
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
  CHECK(naxes >= 0 && naxes <= rank, "reduce: bad axes");
  const int32_t* axes = meta.take(naxes);
  CHECK(meta.ok, "reduce: bad meta");
  for (int i = 0; i < naxes; i++) CHECK(axes[i] >= 0 && axes[i] < rank && (i == 0 || axes[i] > axes[i - 1]), "reduce: bad axes");
  for (int d = 0; d < rank; d++) CHECK(shape[d] >= 0, "reduce: bad shape");
  long total = size_of(shape, rank);
  float* x = a.f32(0, total);
  long outSize = 1;
  for (int d = 0; d < rank; d++) {
    bool r = false;
    for (int i = 0; i < naxes; i++) r |= axes[i] == d;
    if (!r) outSize *= shape[d];
  }
  float* out = a.f32(1, outSize);
  int op = a.code(2, 0, R_COUNT);
  CHECK(x && out && op >= 0, "reduce: bad arrays or op");
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
  if (outer * inner == 0) DONE;
  // An empty axis has no index to return; the reference writes 0, and so does this.
  if (n == 0)
    memset(out, 0, outer * inner * sizeof(int32_t));
  else
    kernels().arg_reduce(a.boolean(2), x, outer, n, inner, out);
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
  CHECK(meta.ok && s.act >= A_LINEAR && s.act <= A_TANH && s.batch >= 0 && s.m >= 0 && s.n >= 0 && s.k >= 0 && s.aBatchStride >= 0 && s.bBatchStride >= 0,
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


}  // namespace bind
}  // namespace capa
