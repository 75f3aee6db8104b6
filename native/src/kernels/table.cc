// This ISA build's KernelTable. Constant-initialized: no code of this file runs at load time.
#include "kernels.h"

namespace capa {

#if defined(CAPA_ISA_AVX512)
extern const KernelTable kAvx512Table = {
    "avx512",
#elif defined(CAPA_ISA_AVX2)
extern const KernelTable kAvx2Table = {
    "avx2",
#elif defined(CAPA_ISA_WASM_SIMD)
extern const KernelTable kWasmSimdTable = {
    "wasm-simd",
#else
extern const KernelTable kScalarTable = {
    "scalar",
#endif
#define CAPA_TABLE_ENTRY(ret, name, params) CAPA_NS::name,
    CAPA_ISA_KERNELS(CAPA_TABLE_ENTRY)
#undef CAPA_TABLE_ENTRY
};

}  // namespace capa
