// Bodies of the data-movement bindings (dtype-agnostic 32-bit copies): the checks of sizes
// against shapes, then the copy. Their arguments arrive unpacked (gen/bindings.generated.cc).
#include "gen/bindings.generated.h"

namespace capa {
namespace bind {
// meta = [rank, ...shape, ...perm]
BODY(Transpose) {
  Meta meta = p.meta;
  int rank = meta.next();
  CHECK(rank >= 0 && rank <= kMaxRank, "rank too large");
  const int32_t* shape = meta.take(rank);
  const int32_t* perm = meta.take(rank);
  CHECK(meta.ok, "bad meta");
  bool seen[kMaxRank] = {false};
  for (int d = 0; d < rank; d++) {
    CHECK(perm[d] >= 0 && perm[d] < rank && !seen[perm[d]], "bad permutation");
    seen[perm[d]] = true;
  }
  long n = size_of(shape, rank);
  if (!a.need(p.x, n, "x") || !a.need(p.out, n, "out")) DONE;
  if (n > 0) transpose32(p.x.data, shape, perm, rank, p.out.data);
  DONE;
}

// meta = [rank, ...shape, ...begin, ...size, ...step]
BODY(Slice) {
  Meta meta = p.meta;
  int rank = meta.next();
  CHECK(rank >= 0 && rank <= kMaxRank, "rank too large");
  const int32_t* shape = meta.take(rank);
  const int32_t* begin = meta.take(rank);
  const int32_t* size = meta.take(rank);
  const int32_t* step = meta.take(rank);
  CHECK(meta.ok, "bad meta");
  for (int d = 0; d < rank; d++) {
    long lastIdx = begin[d] + (long)(size[d] - 1) * step[d];
    CHECK(size[d] >= 0 && step[d] >= 1, "bad size or step");
    CHECK(size[d] == 0 || (begin[d] >= 0 && begin[d] < shape[d] && lastIdx >= 0 && lastIdx < shape[d]), "out of range");
  }
  if (!a.need(p.x, size_of(shape, rank), "x") || !a.need(p.out, size_of(size, rank), "out")) DONE;
  if (size_of(size, rank) > 0) slice32(p.x.data, shape, begin, size, step, rank, p.out.data);
  DONE;
}

// meta = [rank, ...dstShape, ...srcShape, ...begin, ...step]
BODY(SliceAssign) {
  Meta meta = p.meta;
  int rank = meta.next();
  CHECK(rank >= 0 && rank <= kMaxRank, "rank too large");
  const int32_t* dstShape = meta.take(rank);
  const int32_t* srcShape = meta.take(rank);
  const int32_t* begin = meta.take(rank);
  const int32_t* step = meta.take(rank);
  CHECK(meta.ok, "bad meta");
  for (int d = 0; d < rank; d++) {
    long lastIdx = begin[d] + (long)(srcShape[d] - 1) * step[d];
    // Distinct steps keep the rows that threads write apart.
    CHECK(srcShape[d] >= 0 && step[d] >= 1, "bad size or step");
    CHECK(srcShape[d] == 0 || (begin[d] >= 0 && begin[d] < dstShape[d] && lastIdx >= 0 && lastIdx < dstShape[d]),
          "out of range");
  }
  if (!a.need(p.dst, size_of(dstShape, rank), "dst") || !a.need(p.src, size_of(srcShape, rank), "src")) DONE;
  if (size_of(srcShape, rank) > 0)
    slice_assign32(p.dst.data, dstShape, p.src.data, srcShape, begin, step, rank, p.accumulate, p.dst.isInt);
  DONE;
}

// meta = [count, rank, axis, ...shapes]
BODY(Concat) {
  Meta meta = p.meta;
  int count = meta.next(), rank = meta.next(), axis = meta.next();
  CHECK(meta.ok && count >= 0 && rank >= 1 && rank <= kMaxRank && axis >= 0 && axis < rank, "bad meta");
  if (count == 0) DONE;
  CHECK(meta.at + (size_t)count * rank <= meta.len, "bad meta");
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
    for (int d = 0; d < rank; d++) CHECK(s[d] >= 0 && (d == axis || s[d] == first[d]), "shapes differ off the axis");
    outRow += (long)s[axis] * inner;
    total += size_of(s, rank);
  }
  CHECK(meta.ok, "bad meta");
  if (!a.need(p.out, total, "out")) DONE;
  uint32_t* out = p.out.data;
  long offset = 0;
  for (int i = 0; i < count; i++) {
    Any32Arg item;
    if (!a.list_item(p.inputs, (uint32_t)i, item)) DONE;
    const int32_t* s = meta.m + 3 + (size_t)i * rank;
    long row = (long)s[axis] * inner;
    CHECK((long)item.length >= outer * row, "input shorter than its shape");
    if (row > 0)
      for (long o = 0; o < outer; o++) memcpy(out + o * outRow + offset, item.data + o * row, row * 4);
    offset += row;
  }
  DONE;
}

// meta = [rank, ...shape, ...paddings(before, after)]
BODY(Pad) {
  Meta meta = p.meta;
  int rank = meta.next();
  CHECK(rank >= 0 && rank <= kMaxRank, "rank too large");
  const int32_t* shape = meta.take(rank);
  const int32_t* paddings = meta.take(2 * rank);
  CHECK(meta.ok, "bad meta");
  long outSize = 1;
  for (int d = 0; d < rank; d++) {
    CHECK(paddings[2 * d] >= 0 && paddings[2 * d + 1] >= 0, "negative padding");
    outSize *= shape[d] + paddings[2 * d] + paddings[2 * d + 1];
  }
  if (!a.need(p.x, size_of(shape, rank), "x") || !a.need(p.out, outSize, "out")) DONE;
  uint32_t bits;
  if (p.out.isInt) {
    int32_t iv = js_int32(p.value);
    memcpy(&bits, &iv, 4);
  } else {
    float fv = (float)p.value;
    memcpy(&bits, &fv, 4);
  }
  if (outSize > 0) pad32(p.x.data, shape, paddings, rank, p.mode, bits, p.out.data);
  DONE;
}

// meta = [rank, ...shape, ...reps]
BODY(Tile) {
  Meta meta = p.meta;
  int rank = meta.next();
  CHECK(rank >= 0 && rank <= kMaxRank, "rank too large");
  const int32_t* shape = meta.take(rank);
  const int32_t* reps = meta.take(rank);
  CHECK(meta.ok, "bad meta");
  long outSize = 1;
  for (int d = 0; d < rank; d++) {
    CHECK(shape[d] >= 0 && reps[d] >= 0, "negative size or repeat");
    outSize *= (long)shape[d] * reps[d];
  }
  if (!a.need(p.x, size_of(shape, rank), "x") || !a.need(p.out, outSize, "out")) DONE;
  if (outSize > 0) tile32(p.x.data, shape, reps, rank, p.out.data);
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

// meta = [rank, ...shape, axis]
BODY(Gather) {
  Meta meta = p.meta;
  long outer, n, inner;
  CHECK(around_axis(meta, outer, n, inner), "bad meta");
  long count = (long)p.indices.length;
  const int32_t* idx = p.indices.data;
  for (long i = 0; i < count; i++) CHECK(idx[i] >= 0 && idx[i] < n, "index out of range");
  if (!a.need(p.x, outer * n * inner, "x") || !a.need(p.out, outer * count * inner, "out")) DONE;
  gather32(p.x.data, outer, n, inner, idx, count, p.out.data);
  DONE;
}

// meta = [rank, ...outShape, axis]
BODY(ScatterAdd) {
  Meta meta = p.meta;
  long outer, n, inner;
  CHECK(around_axis(meta, outer, n, inner), "bad meta");
  long count = (long)p.indices.length;
  const int32_t* idx = p.indices.data;
  for (long i = 0; i < count; i++) CHECK(idx[i] >= 0 && idx[i] < n, "index out of range");
  if (!a.need(p.updates, outer * count * inner, "updates") || !a.need(p.out, outer * n * inner, "out")) DONE;
  scatter_add32(p.updates.data, outer, n, inner, idx, count, p.out.data, p.out.isInt);
  DONE;
}

BODY(OneHot) {
  size_t count = p.indices.length;
  const int32_t* idx = p.indices.data;
  long depth = p.depth;
  CHECK(depth >= 0, "negative depth");
  if (!a.need(p.out, (long)count * depth, "out", "indices * depth")) DONE;
  uint32_t* out = p.out.data;
  uint32_t onBits, offBits;
  if (p.out.isInt) {
    int32_t a1 = js_int32(p.onValue), a2 = js_int32(p.offValue);
    memcpy(&onBits, &a1, 4);
    memcpy(&offBits, &a2, 4);
  } else {
    float f1 = (float)p.onValue, f2 = (float)p.offValue;
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
