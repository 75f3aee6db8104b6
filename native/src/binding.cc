// The addon's entry point: registers one function per kernel of native/spec/kernels.mjs plus the
// info / setIsa / setThreads controls, after checking CAPA_ISA.
#include <napi.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "gen/bindings.generated.h"

namespace capa {
namespace {

Napi::Value Info(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object obj = Napi::Object::New(env);
  obj.Set("isa", kernels().isa);
  const char* names[4];
  int n = supported_isas(names, 4);
  Napi::Array list = Napi::Array::New(env, n);
  for (int i = 0; i < n; i++) list.Set(i, names[i]);
  obj.Set("isas", list);
  obj.Set("threads", pool_threads());
  return obj;
}

Napi::Value SetIsa(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsString()) {
    Napi::Error::New(env, "setIsa: expected 'scalar', 'avx2' or 'avx512'").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  return Napi::Boolean::New(env, set_isa(info[0].As<Napi::String>().Utf8Value().c_str()));
}

Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsNumber() || info[0].As<Napi::Number>().Int32Value() < 1) {
    Napi::Error::New(env, "setThreads: expected a positive integer").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  pool_set_threads(info[0].As<Napi::Number>().Int32Value());
  return env.Undefined();
}

#ifdef CAPA_SANITIZER_BUILD
/**
 * Only in the sanitizer build (scripts/build-native-asan.mjs): commits the fault it is asked for,
 * so `npm run test:asan` can prove a report really ends the process before trusting a clean run.
 * The operands come from JavaScript so the compiler cannot see the fault coming.
 */
Napi::Value SanitizerSelfTest(const Napi::CallbackInfo& info) {
  std::string kind = info[0].As<Napi::String>().Utf8Value();
  int operand = info[1].As<Napi::Number>().Int32Value();
  if (kind == "heap-buffer-overflow") {
    int* block = new int[4]();
    int* volatile opaque = block;  // hides the block's size from UBSan's own bounds check
    int value = opaque[operand];   // operand 4: one past the end
    delete[] block;
    return Napi::Number::New(info.Env(), value);
  }
  if (kind == "division-by-zero") return Napi::Number::New(info.Env(), 7 / operand);  // operand 0
  return info.Env().Undefined();
}
#endif

/**
 * Tensors are garbage-collected typed arrays, so every op allocates its output afresh. glibc maps
 * each large block with mmap and unmaps it on free, so every new activation page-faults its way
 * in (a ResNet50 forward allocates ~150 MB: ~30 ms of faults). Keeping blocks up to 32 MB in the
 * heap, and the heap from shrinking, turns that into reuse of already-mapped memory. The resident
 * set then stays at its high-water mark instead of breathing with every step.
 */
void keep_freed_memory_mapped() {
#if defined(__GLIBC__)
  if (getenv("CAPA_KEEP_MALLOC_DEFAULTS")) return;
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
#endif
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  keep_freed_memory_mapped();
  const char* isa = getenv("CAPA_ISA");
  if (isa && *isa && !table_for(isa)) {
    Napi::Error::New(env, "CAPA_ISA names an instruction set this CPU cannot run (use scalar, avx2 or avx512)")
        .ThrowAsJavaScriptException();
    return exports;
  }
  // The kernels use raw Node-API callbacks: no wrapper objects on the per-op path.
  for (const bind::Binding& e : bind::kBindings) {
    napi_value fn;
    napi_create_function(env, e.name, NAPI_AUTO_LENGTH, e.fn, nullptr, &fn);
    exports.Set(e.name, Napi::Value(env, fn));
  }
  exports.Set("info", Napi::Function::New(env, Info, "info"));
  exports.Set("setIsa", Napi::Function::New(env, SetIsa, "setIsa"));
  exports.Set("setThreads", Napi::Function::New(env, SetThreads, "setThreads"));
#ifdef CAPA_SANITIZER_BUILD
  exports.Set("sanitizerSelfTest", Napi::Function::New(env, SanitizerSelfTest, "sanitizerSelfTest"));
#endif
  return exports;
}

}  // namespace
}  // namespace capa

static Napi::Object CapaInit(Napi::Env env, Napi::Object exports) { return capa::Init(env, exports); }

NODE_API_MODULE(NODE_GYP_MODULE_NAME, CapaInit)
