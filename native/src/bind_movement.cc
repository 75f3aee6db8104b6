// Bindings of the data-movement kernels (dtype-agnostic 32-bit copies).
#include "napi_args.h"

namespace capa {
namespace bind {
FN(Transpose) {
  ARGS;
  Meta meta;
  CHECK(read_meta(a, 2, meta), "transpose: bad meta");
  int rank = meta.next();
  CHECK(rank >= 0 && rank <= kMaxRank, "transpose: rank too large");
  const int32_t* shape = meta.take(rank);
  const int32_t* perm = meta.take(rank);
  CHECK(meta.ok, "transpose: bad meta");
  bool seen[kMaxRank] = {false};
  for (int d = 0; d < rank; d++) {
    CHECK(perm[d] >= 0 && perm[d] < rank && !seen[perm[d]], "transpose: bad permutation");
    seen[perm[d]] = true;
  }
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
    CHECK(size[d] >= 0 && step[d] >= 1, "slice: bad size or step");
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
    // Distinct steps keep the rows that threads write apart.
    CHECK(srcShape[d] >= 0 && step[d] >= 1, "sliceAssign: bad size or step");
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
  if (count == 0) DONE;
  CHECK(meta.at + (size_t)count * rank <= meta.len, "concat: bad meta");
  long outer = 1;
  long outRow = 0;
  const int32_t* first = meta.m + meta.at;
  for (int d = 0; d < axis; d++) outer *= first[d];
  long inner = 1;
  for (int d = axis + 1; d < rank; d++) inner *= first[d];
  long total = 0;
  for (int i = 0; i < count; i++) {
    const int32_t* s = meta.take(rank);
    // The copy below takes every input's outer and inner extents from the first.
    for (int d = 0; d < rank; d++) CHECK(s[d] >= 0 && (d == axis || s[d] == first[d]), "concat: shapes differ off the axis");
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
    CHECK(t == napi_float32_array || t == napi_int32_array || t == napi_uint32_array, "concat: inputs must be 32-bit arrays");
    const int32_t* s = meta.m + 3 + (size_t)i * rank;
    long row = (long)s[axis] * inner;
    CHECK((long)len >= outer * row, "concat: input shorter than its shape");
    // An empty input may have no backing store at all (data null): nothing to copy.
    if (row > 0)
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
  int mode = a.code(2, 0, 3);  // constant, reflect, symmetric
  CHECK(x && out && mode >= 0, "pad: bad arrays or mode");
  uint32_t bits;
  if (isInt) {
    // Node's ToInt32: a C cast of NaN or of a double beyond int32 would be undefined.
    int32_t iv = a.int32(3);
    memcpy(&bits, &iv, 4);
  } else {
    float fv = (float)a.num(3);
    memcpy(&bits, &fv, 4);
  }
  if (outSize > 0) pad32(x, shape, paddings, rank, mode, bits, out);
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
  for (int d = 0; d < rank; d++) {
    CHECK(shape[d] >= 0 && reps[d] >= 0, "tile: negative size or repeat");
    outSize *= (long)shape[d] * reps[d];
  }
  uint32_t* x = a.any32(0, size_of(shape, rank));
  uint32_t* out = a.any32(1, outSize);
  CHECK(x && out, "tile: bad arrays");
  if (outSize > 0) tile32(x, shape, reps, rank, out);
  DONE;
}

/** [outer, n, inner] around an axis. */
static bool around_axis(Meta& meta, long& outer, long& n, long& inner) {
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
  uint32_t onBits, offBits;
  if (isInt) {
    int32_t a1 = a.int32(3), a2 = a.int32(4);  // ToInt32, as in pad
    memcpy(&onBits, &a1, 4);
    memcpy(&offBits, &a2, 4);
  } else {
    float f1 = (float)a.num(3), f2 = (float)a.num(4);
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


}  // namespace bind
}  // namespace capa
