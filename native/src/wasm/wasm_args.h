// The WebAssembly transport of the bindings: the generated C ABI
// (native/src/gen/wasm_bindings.generated.cc) receives every array as a pointer into the module's
// memory and its element count, fills the same argument structs as the N-API unpacking, and runs
// the same bodies (bind_*.cc). A failure leaves its message for the caller
// (capa_last_error, read by src/backend/wasm/) and the exported function returns 1.
#pragma once

#include "../bind_args.h"

namespace capa {
namespace bind {

/** What a binding body returns to its caller (nothing: failures are recorded on the Args). */
using BindResult = decltype(nullptr);

/** A list<any32> argument: count arrays given as parallel tables of pointers, lengths and kinds. */
struct ListArg {
  const uint32_t* const* data = nullptr;
  const uint32_t* lengths = nullptr;
  const int32_t* kinds = nullptr;  // a WasmKind per array
  uint32_t count = 0;
};

/** How the caller tags a 32-bit array it passes (Any32Arg's isInt / isFloat). */
enum WasmKind : int32_t { K_FLOAT32 = 0, K_INT32 = 1, K_UINT32 = 2 };

/** The message of the failed call, kept until the next failure (one JavaScript thread per module). */
void set_last_error(const char* text);

struct Args : ArgsBase<Args> {
  explicit Args(const char* name) : ArgsBase(name) {}

  void report(const char* text) { set_last_error(text); }

  /** An array the caller passed as (pointer, length); a null pointer is refused unless nullable. */
  template <class A, class T>
  bool array(const char* name, bool nullable, T* data, uint32_t length, A& out) {
    if (!data && !nullable) return failf("%s: expected an array, received null", name), false;
    out.data = data;
    out.length = data ? length : 0;
    return true;
  }

  bool any32(const char* name, bool nullable, uint32_t* data, uint32_t length, int32_t kind, Any32Arg& out) {
    if (!array(name, nullable, data, length, out)) return false;
    if (kind < K_FLOAT32 || kind > K_UINT32) return failf("%s: unknown array kind %d", name, kind), false;
    out.isInt = kind == K_INT32;
    out.isFloat = kind == K_FLOAT32;
    return true;
  }

  bool meta(const int32_t* data, uint32_t length, Meta& out) {
    if (!data) return fail("meta: expected an array, received null"), false;
    out.m = data;
    out.len = length;
    return true;
  }

  bool list_item(const ListArg& list, uint32_t i, Any32Arg& out) {
    if (i >= list.count) return failf("inputs holds %u arrays, the shapes need more", list.count), false;
    return any32("inputs", false, (uint32_t*)list.data[i], list.lengths[i], list.kinds[i], out);
  }
};

#define CHECK(cond, msg) \
  if (!(cond)) return a.fail(msg)
#define DONE return nullptr

}  // namespace bind
}  // namespace capa
