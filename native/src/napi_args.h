// The N-API transport of the bindings: the Args the generated unpacking
// (native/src/gen/bindings.generated.cc) fills from a JavaScript call and the hand-written bodies
// (bind_*.cc) report through. Every failure throws a JavaScript error that starts with the kernel's
// name. The shared argument types and checks are in bind_args.h.
#pragma once

#include <node_api.h>

#include "bind_args.h"

namespace capa {
namespace bind {

/** The most arguments a binding takes (the recurrent kernels' 17); each generated binding asserts it. */
constexpr int kMaxArgs = 20;

/** What a binding body returns to its caller. */
using BindResult = napi_value;
/** A list<any32> argument: the JavaScript array, read item by item (Args::list_item). */
using ListArg = napi_value;

/**
 * One call's arguments, read by the generated unpacking (native/src/gen/bindings.generated.cc).
 * Every failure throws a JavaScript error that starts with the kernel's name.
 */
struct Args : ArgsBase<Args> {
  napi_env env;
  napi_value argv[kMaxArgs];
  size_t argc = kMaxArgs;

  Args(napi_env e, napi_callback_info info, const char* name) : ArgsBase(name), env(e) {
    napi_get_cb_info(e, info, &argc, argv, nullptr, nullptr);
  }

  void report(const char* text) { napi_throw_error(env, "CAPA_NATIVE", text); }

  /**
   * A typed array argument's data, length and type. One N-API call on the common path: the type
   * check of napi_get_typedarray_info stands in for napi_is_typedarray, and only a failed read
   * asks whether the value was null.
   */
  bool typed(size_t i, const char* name, bool nullable, void** data, size_t* length, napi_typedarray_type* type) {
    *data = nullptr;
    *length = 0;
    if (i >= argc) return failf("missing argument %zu (%s)", i, name), false;
    if (napi_get_typedarray_info(env, argv[i], type, length, data, nullptr, nullptr) != napi_ok) {
      napi_valuetype vt;
      napi_typeof(env, argv[i], &vt);
      if ((vt == napi_null || vt == napi_undefined) && nullable) return true;
      return failf("%s: expected a typed array, received %s", name, vt == napi_null ? "null" : "another value"), false;
    }
    // An empty typed array may have no backing store; kernels never touch it, but null means "absent" here.
    static uint32_t empty[1];
    if (!*data) *data = empty;
    return true;
  }

  bool f32(size_t i, const char* name, bool nullable, F32Arg& out) {
    void* data;
    napi_typedarray_type t;
    if (!typed(i, name, nullable, &data, &out.length, &t)) return false;
    if (data && t != napi_float32_array) return failf("%s: expected a Float32Array", name), false;
    out.data = (float*)data;
    return true;
  }

  bool i32(size_t i, const char* name, bool nullable, I32Arg& out) {
    void* data;
    napi_typedarray_type t;
    if (!typed(i, name, nullable, &data, &out.length, &t)) return false;
    if (data && t != napi_int32_array) return failf("%s: expected an Int32Array", name), false;
    out.data = (int32_t*)data;
    return true;
  }

  bool any32(size_t i, const char* name, bool nullable, Any32Arg& out) {
    void* data;
    napi_typedarray_type t;
    if (!typed(i, name, nullable, &data, &out.length, &t)) return false;
    if (data && t != napi_float32_array && t != napi_int32_array && t != napi_uint32_array)
      return failf("%s: expected a Float32Array or Int32Array", name), false;
    out.data = (uint32_t*)data;
    out.isInt = t == napi_int32_array;
    out.isFloat = t == napi_float32_array;
    return true;
  }

  bool meta(size_t i, Meta& meta) {
    I32Arg m;
    if (!i32(i, "meta", false, m)) return false;
    meta.m = m.data;
    meta.len = m.length;
    return true;
  }

  /** An op code argument, refused (naming the kernel and the code) unless it is one of `names`. */
  template <size_t N>
  bool code(size_t i, const char* name, const char* const (&names)[N], int& out) {
    int32_t v = 0;
    // undefined is not op 0; napi_get_value_int32 leaves v alone for a non-number.
    if (i >= argc || napi_get_value_int32(env, argv[i], &v) != napi_ok)
      return failf("%s: expected an op code (0..%zu), received a non-number", name, N - 1), false;
    return code_value(name, v, names, out);
  }

  napi_value value(size_t i) { return i < argc ? argv[i] : nullptr; }

  /** Item i of a list<any32> argument (a 32-bit typed array); false, having thrown, otherwise. */
  bool list_item(ListArg list, uint32_t i, Any32Arg& out) {
    napi_value item;
    if (!list || napi_get_element(env, list, i, &item) != napi_ok) return fail("inputs must be an array"), false;
    napi_typedarray_type t;
    void* data = nullptr;
    if (napi_get_typedarray_info(env, item, &t, &out.length, &data, nullptr, nullptr) != napi_ok)
      return fail("inputs must be typed arrays"), false;
    if (t != napi_float32_array && t != napi_int32_array && t != napi_uint32_array)
      return fail("inputs must be 32-bit arrays"), false;
    static uint32_t empty[1];
    out.data = data ? (uint32_t*)data : empty;
    out.isInt = t == napi_int32_array;
    out.isFloat = t == napi_float32_array;
    return true;
  }

  double num(size_t i) {
    double v = 0;
    if (i < argc) napi_get_value_double(env, argv[i], &v);
    return v;
  }

  int32_t int32(size_t i) {
    int32_t v = 0;
    if (i < argc) napi_get_value_int32(env, argv[i], &v);
    return v;
  }

  bool boolean(size_t i) {
    bool v = false;
    if (i < argc) napi_get_value_bool(env, argv[i], &v);
    return v;
  }
};

#define CHECK(cond, msg) \
  if (!(cond)) return a.fail(msg)
#define DONE return nullptr

}  // namespace bind
}  // namespace capa
