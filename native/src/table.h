// The kernels one ISA build provides, as a table of plain function pointers. binding.cc picks one
// table at load time (cpu.cc) and calls only through it, so code compiled for AVX-512 or AVX2 runs
// only on a CPU that has it.
#pragma once

#include <stdint.h>

#include "types.h"

namespace capa {

struct MatmulSpec {
  long batch, m, n, k;
  bool transA, transB;
  long aBatchStride, bBatchStride;
  const float* bias;
  int act;
};

/** One ISA build's kernels (their list: CAPA_ISA_KERNELS, generated from native/spec/kernels.mjs). */
struct KernelTable {
  const char* isa;
#define CAPA_TABLE_FIELD(ret, name, params) ret(*name) params;
  CAPA_ISA_KERNELS(CAPA_TABLE_FIELD)
#undef CAPA_TABLE_FIELD
};

extern const KernelTable kScalarTable;
#if defined(__x86_64__) || defined(_M_X64)
extern const KernelTable kAvx2Table;
extern const KernelTable kAvx512Table;
#endif
#if defined(__EMSCRIPTEN__)
extern const KernelTable kWasmSimdTable;
#endif

}  // namespace capa
