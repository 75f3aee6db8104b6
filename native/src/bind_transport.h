// The transport that carries a binding call: the N-API addon, or the WebAssembly module's C ABI
// when compiled by emscripten (scripts/build-wasm.mjs). The binding bodies compile against either.
#pragma once

#if defined(__EMSCRIPTEN__)
#include "wasm/wasm_args.h"
#else
#include "napi_args.h"
#endif
