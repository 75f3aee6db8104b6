// Bodies of the elementwise, reduction, matmul and softmax bindings: the checks of sizes against
// shapes, then the kernel. Their arguments arrive unpacked (gen/bindings.generated.cc).
#include "gen/bindings.generated.h"

namespace capa {
namespace bind {
BODY(Unary) {
  long n = (long)p.x.length;
  if (!a.need(p.out, n, "out", "x's length")) DONE;
  if (!kernels().unary(p.op, p.x.data, p.out.data, n, (float)p.alpha, (float)p.beta)) return a.no_kernel("op", p.op, kUnaryNames);
  DONE;
}

/** Only the activations (codes from U_LINEAR on) have a gradient kernel; the others fail in its switch. */
BODY(UnaryGrad) {
  long n = (long)p.dy.length;
  if ((p.x.data && !a.need(p.x, n, "x", "dy's length")) || (p.y.data && !a.need(p.y, n, "y", "dy's length")) ||
      !a.need(p.dx, n, "dx", "dy's length"))
    DONE;
  const float* x = p.x.data ? p.x.data : p.dy.data;
  const float* y = p.y.data ? p.y.data : p.dy.data;
  if (!kernels().unary_grad(p.op, x, y, p.dy.data, p.dx.data, n, (float)p.alpha)) return a.no_kernel("op", p.op, kUnaryNames);
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

// meta = broadcast layout (read_broadcast)
BODY(Binary) {
  Meta meta = p.meta;
  Broadcast bc;
  long sizes[3], outSize;
  CHECK(read_broadcast(meta, bc, sizes, outSize), "bad shapes");
  if (!a.need(p.a, sizes[0], "a") || !a.need(p.b, sizes[1], "b") || !a.need(p.out, outSize, "out")) DONE;
  if (outSize > 0 && !kernels().binary(p.op, p.a.data, p.b.data, p.out.data, bc)) return a.no_kernel("op", p.op, kBinaryNames);
  DONE;
}

// meta = broadcast layout (read_broadcast)
BODY(Compare) {
  Meta meta = p.meta;
  Broadcast bc;
  long sizes[3], outSize;
  CHECK(read_broadcast(meta, bc, sizes, outSize), "bad shapes");
  if (!a.need(p.a, sizes[0], "a") || !a.need(p.b, sizes[1], "b") || !a.need(p.out, outSize, "out")) DONE;
  if (outSize > 0 && !kernels().compare(p.op, p.a.data, p.b.data, p.out.data, bc)) return a.no_kernel("op", p.op, kCompareNames);
  DONE;
}

// meta = broadcast layout of three inputs (read_broadcast)
BODY(Select) {
  Meta meta = p.meta;
  Broadcast bc;
  long sizes[3], outSize;
  CHECK(read_broadcast(meta, bc, sizes, outSize), "bad shapes");
  CHECK(meta.m[0] == 3, "bad shapes");
  if (!a.need(p.cond, sizes[0], "cond") || !a.need(p.a, sizes[1], "a") || !a.need(p.b, sizes[2], "b") ||
      !a.need(p.out, outSize, "out"))
    DONE;
  if (outSize > 0) select32(p.cond.data, p.cond.isFloat, p.a.data, p.b.data, p.out.data, bc);
  DONE;
}

BODY(Cast) {
  long n = (long)p.x.length;
  if (!a.need(p.out, n, "out", "x's length")) DONE;
  if (p.x.isInt == p.out.isInt)
    memcpy(p.out.data, p.x.data, n * 4);
  else if (p.out.isInt)
    cast_f32_i32((const float*)p.x.data, (int32_t*)p.out.data, n);
  else
    cast_i32_f32((const int32_t*)p.x.data, (float*)p.out.data, n);
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

// meta = [rank, ...shape, naxes, ...axes]
BODY(Reduce) {
  Meta meta = p.meta;
  int rank = meta.next();
  CHECK(rank >= 0 && rank <= kMaxRank, "rank too large");
  const int32_t* shape = meta.take(rank);
  int naxes = meta.next();
  CHECK(naxes >= 0 && naxes <= rank, "bad axes");
  const int32_t* axes = meta.take(naxes);
  CHECK(meta.ok, "bad meta");
  for (int i = 0; i < naxes; i++) CHECK(axes[i] >= 0 && axes[i] < rank && (i == 0 || axes[i] > axes[i - 1]), "bad axes");
  for (int d = 0; d < rank; d++) CHECK(shape[d] >= 0, "bad shape");
  long total = size_of(shape, rank);
  long outSize = 1;
  for (int d = 0; d < rank; d++) {
    bool r = false;
    for (int i = 0; i < naxes; i++) r |= axes[i] == d;
    if (!r) outSize *= shape[d];
  }
  if (!a.need(p.x, total, "x") || !a.need(p.out, outSize, "out")) DONE;
  const float* x = p.x.data;
  float* out = p.out.data;
  int op = p.op;
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
    if (outSize > 0 && !kernels().reduce(op, x, outer, red, inner, out)) return a.no_kernel("op", op, kReduceNames);
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
  CHECK(tmp, "out of memory");
  transpose32((const uint32_t*)x, shape, perm, rank, (uint32_t*)tmp);
  bool known = kernels().reduce(op, tmp, keptSize, redSize, 1, out);
  free(tmp);
  if (!known) return a.no_kernel("op", op, kReduceNames);
  DONE;
}

// meta = [rank, ...shape, axis]
BODY(ArgReduce) {
  Meta meta = p.meta;
  int rank = meta.next();
  CHECK(rank >= 1 && rank <= kMaxRank, "bad rank");
  const int32_t* shape = meta.take(rank);
  int axis = meta.next();
  CHECK(meta.ok && axis >= 0 && axis < rank, "bad axis");
  long outer = 1, inner = 1, n = shape[axis];
  for (int d = 0; d < axis; d++) outer *= shape[d];
  for (int d = axis + 1; d < rank; d++) inner *= shape[d];
  if (!a.need(p.x, outer * n * inner, "x") || !a.need(p.out, outer * inner, "out")) DONE;
  if (outer * inner == 0) DONE;
  // An empty axis has no index to return; the reference writes 0, and so does this.
  if (n == 0)
    memset(p.out.data, 0, outer * inner * sizeof(int32_t));
  else
    kernels().arg_reduce(p.isMin, p.x.data, outer, n, inner, p.out.data);
  DONE;
}

// meta = [batch, m, n, k, transA, transB, aBatchStride, bBatchStride, act]
BODY(Matmul) {
  Meta meta = p.meta;
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
  CHECK(meta.ok && s.batch >= 0 && s.m >= 0 && s.n >= 0 && s.k >= 0 && s.aBatchStride >= 0 && s.bBatchStride >= 0, "bad meta");
  if (s.act < 0 || s.act >= A_COUNT) return a.failf("unknown activation code %d (expected 0..%d)", s.act, A_COUNT - 1);
  long last = s.batch > 0 ? s.batch - 1 : 0;
  if (!a.need(p.a, s.batch ? last * s.aBatchStride + s.m * s.k : 0, "a") ||
      !a.need(p.b, s.batch ? last * s.bBatchStride + s.k * s.n : 0, "b") || !a.need(p.out, s.batch * s.m * s.n, "out") ||
      (p.bias.data && !a.need(p.bias, s.n, "bias")))
    DONE;
  s.bias = p.bias.data;
  if (s.batch > 0) kernels().matmul(p.a.data, p.b.data, p.out.data, s);
  DONE;
}

BODY(Softmax) {
  long rows = p.rows, cols = p.cols;
  CHECK(rows >= 0 && cols >= 0, "negative rows or cols");
  if (!a.need(p.x, rows * cols, "x", "rows * cols") || !a.need(p.out, rows * cols, "out", "rows * cols")) DONE;
  if (rows * cols > 0) kernels().softmax(p.x.data, rows, cols, p.out.data, p.log);
  DONE;
}

BODY(SoftmaxGrad) {
  long rows = p.rows, cols = p.cols;
  CHECK(rows >= 0 && cols >= 0, "negative rows or cols");
  if (!a.need(p.y, rows * cols, "y", "rows * cols") || !a.need(p.dy, rows * cols, "dy", "rows * cols") ||
      !a.need(p.dx, rows * cols, "dx", "rows * cols"))
    DONE;
  if (rows * cols > 0) kernels().softmax_grad(p.y.data, p.dy.data, rows, cols, p.dx.data, p.log);
  DONE;
}


}  // namespace bind
}  // namespace capa
