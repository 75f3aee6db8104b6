// The WebAssembly module's controls besides the kernels (src/backend/wasm/ calls them): memory for
// tensors, the last error, and the kernel table and thread pool that binding.cc controls in the addon.
#include <emscripten.h>
#include <stdlib.h>
#include <string.h>

#include "../cpu.h"
#include "../threadpool.h"
#include "wasm_args.h"

namespace capa {
namespace bind {
namespace {
char last_error[256];
}
void set_last_error(const char* text) {
  strncpy(last_error, text, sizeof last_error - 1);
  last_error[sizeof last_error - 1] = 0;
}
}  // namespace bind
}  // namespace capa

extern "C" {

/** Tensor memory, 16-byte aligned for the SIMD loads; null when the memory cannot grow further. */
EMSCRIPTEN_KEEPALIVE void* capa_alloc(uint32_t bytes) { return aligned_alloc(16, bytes < 16 ? 16 : (bytes + 15) & ~15u); }

EMSCRIPTEN_KEEPALIVE void capa_free(void* p) { free(p); }

EMSCRIPTEN_KEEPALIVE const char* capa_last_error() { return capa::bind::last_error; }

/** The instruction set of this thread's kernels ("wasm-simd" or "scalar"). */
EMSCRIPTEN_KEEPALIVE const char* capa_isa() { return capa::kernels().isa; }

EMSCRIPTEN_KEEPALIVE int capa_set_isa(const char* isa) { return capa::set_isa(isa) ? 1 : 0; }

EMSCRIPTEN_KEEPALIVE int capa_threads() { return capa::pool_threads(); }

EMSCRIPTEN_KEEPALIVE void capa_set_threads(int n) { capa::pool_set_threads(n); }
}
