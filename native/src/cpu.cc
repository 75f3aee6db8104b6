#include "cpu.h"

#include <stdlib.h>
#include <string.h>

namespace capa {
namespace {

bool has_avx512() {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  // libgcc's checks include the OS's XSAVE support for the zmm state.
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512bw") &&
         __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
  return false;
#endif
}

bool has_avx2() {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
  return false;
#endif
}

/**
 * The table of the calling thread: every JavaScript thread (worker_threads) has its own, as it has
 * its own TypeScript backend object, so one worker's setIsa never changes another's numbers in
 * the middle of its work. The pool's workers run whatever kernel the caller passes them.
 */
thread_local const KernelTable* tl_active = nullptr;

const KernelTable* best() {
#if defined(__x86_64__)
  if (has_avx512()) return &kAvx512Table;
  if (has_avx2()) return &kAvx2Table;
#endif
#if defined(__EMSCRIPTEN__)
  return &kWasmSimdTable;  // the module validates only where the engine has SIMD128
#endif
  return &kScalarTable;
}

}  // namespace

int supported_isas(const char** out, int max) {
  int n = 0;
#if defined(__x86_64__)
  if (has_avx512() && n < max) out[n++] = "avx512";
  if (has_avx2() && n < max) out[n++] = "avx2";
#endif
#if defined(__EMSCRIPTEN__)
  if (n < max) out[n++] = "wasm-simd";
#endif
  if (n < max) out[n++] = "scalar";
  return n;
}

const KernelTable* table_for(const char* isa) {
  if (strcmp(isa, "scalar") == 0) return &kScalarTable;
#if defined(__x86_64__)
  if (strcmp(isa, "avx2") == 0) return has_avx2() ? &kAvx2Table : nullptr;
  if (strcmp(isa, "avx512") == 0) return has_avx512() ? &kAvx512Table : nullptr;
#endif
#if defined(__EMSCRIPTEN__)
  if (strcmp(isa, "wasm-simd") == 0) return &kWasmSimdTable;
#endif
  return nullptr;
}

const KernelTable& kernels() {
  if (!tl_active) {
    const char* env = getenv("CAPA_ISA");
    const KernelTable* t = env && *env ? table_for(env) : nullptr;
    tl_active = t ? t : best();
  }
  return *tl_active;
}

bool set_isa(const char* isa) {
  const KernelTable* t = table_for(isa);
  if (!t) return false;
  tl_active = t;
  return true;
}

}  // namespace capa
