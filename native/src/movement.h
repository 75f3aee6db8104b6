// Data movement kernels. They only copy 32-bit elements, so one implementation serves float32
// and int32 tensors alike (`accumulate` paths take the dtype). No ISA-specific code here.
#pragma once

#include <stdint.h>

#include "types.h"

namespace capa {

/** Collapses broadcasting of `inputs` shapes against outShape into a Broadcast (see types.h). */
bool plan_broadcast(const int32_t* const* shapes, const int* ranks, int inputs, const int32_t* outShape, int outRank,
                    Broadcast& bc);

void transpose32(const uint32_t* x, const int32_t* shape, const int32_t* perm, int rank, uint32_t* out);
void slice32(const uint32_t* x, const int32_t* shape, const int32_t* begin, const int32_t* size, const int32_t* step,
             int rank, uint32_t* out);
void slice_assign32(uint32_t* dst, const int32_t* dstShape, const uint32_t* src, const int32_t* srcShape, const int32_t* begin,
                    const int32_t* step, int rank, bool accumulate, bool isInt);
void pad32(const uint32_t* x, const int32_t* shape, const int32_t* paddings, int rank, int mode, uint32_t value, uint32_t* out);
void tile32(const uint32_t* x, const int32_t* shape, const int32_t* reps, int rank, uint32_t* out);
void gather32(const uint32_t* x, long outer, long n, long inner, const int32_t* indices, long count, uint32_t* out);
void scatter_add32(const uint32_t* updates, long outer, long n, long inner, const int32_t* indices, long count, uint32_t* out,
                   bool isInt);
void select32(const uint32_t* cond, bool condIsFloat, const uint32_t* a, const uint32_t* b, uint32_t* out,
              const Broadcast& bc);
void cast_f32_i32(const float* x, int32_t* out, long n);
void cast_i32_f32(const int32_t* x, float* out, long n);

}  // namespace capa
