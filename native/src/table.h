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

struct KernelTable {
  const char* isa;
  void (*unary)(int op, const float* x, float* out, long n, float alpha, float beta);
  void (*unary_grad)(int op, const float* x, const float* y, const float* dy, float* dx, long n, float alpha);
  void (*binary)(int op, const float* a, const float* b, float* out, const Broadcast& bc);
  void (*compare)(int op, const float* a, const float* b, int32_t* out, const Broadcast& bc);
  void (*reduce)(int op, const float* x, long outer, long red, long inner, float* out);
  void (*arg_reduce)(bool isMin, const float* x, long outer, long n, long inner, int32_t* out);
  void (*matmul)(const float* a, const float* b, float* out, const MatmulSpec& spec);
  void (*softmax)(const float* x, long rows, long cols, float* out, bool log);
  void (*softmax_grad)(const float* y, const float* dy, long rows, long cols, float* dx, bool log);
  void (*conv2d)(const float* x, const float* filter, float* out, const ConvGeom& g, const float* bias, int act);
  void (*conv2d_backprop_input)(const float* dy, const float* filter, float* dx, const ConvGeom& g);
  void (*conv2d_backprop_filter)(const float* x, const float* dy, float* dfilter, const ConvGeom& g);
  void (*depthwise)(const float* x, const float* filter, float* out, const ConvGeom& g);
  void (*depthwise_backprop_input)(const float* dy, const float* filter, float* dx, const ConvGeom& g);
  void (*depthwise_backprop_filter)(const float* x, const float* dy, float* dfilter, const ConvGeom& g);
  void (*max_pool)(const float* x, float* out, const ConvGeom& g);
  void (*max_pool_grad)(const float* x, const float* dy, float* dx, const ConvGeom& g);
  void (*avg_pool)(const float* x, float* out, const ConvGeom& g);
  void (*avg_pool_grad)(const float* dy, float* dx, const ConvGeom& g);
  void (*batch_norm_inference)(const float* x, const float* mean, const float* var, const float* gamma, const float* beta,
                               float eps, long channels, long rows, float* out);
  void (*batch_norm_training)(const float* x, const float* gamma, const float* beta, float eps, long channels, long rows,
                              float* out, float* mean, float* var);
  void (*batch_norm_grad)(const float* x, const float* dy, const float* mean, const float* var, const float* gamma, float eps,
                          long channels, long rows, float* dx, float* dgamma, float* dbeta);
  void (*sgd)(float* p, const float* g, float* v, long n, float lr, float momentum, bool nesterov);
  void (*adam)(float* p, const float* g, float* m, float* v, float* vmax, long n, float step, float b1, float b2, float eps);
};

extern const KernelTable kScalarTable;
#if defined(__x86_64__) || defined(_M_X64)
extern const KernelTable kAvx2Table;
extern const KernelTable kAvx512Table;
#endif

}  // namespace capa
