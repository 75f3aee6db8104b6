// Plain data shared by the N-API layer and every ISA build of the kernels. The numeric codes
// mirror src/backend/native/codes.ts: change both together.
#pragma once

#include <stdint.h>

namespace capa {

enum UnaryCode : int {
  U_NEG, U_ABS, U_SIGN, U_EXP, U_EXPM1, U_LOG, U_LOG1P, U_SQRT, U_RSQRT, U_SQUARE, U_RECIPROCAL,
  U_FLOOR, U_CEIL, U_ROUND, U_SIN, U_COS, U_ERF, U_CLIP, U_AFFINE, U_POW_SCALAR,
  // activations (also valid for unary_grad)
  U_LINEAR, U_RELU, U_RELU6, U_LEAKY_RELU, U_ELU, U_SELU, U_GELU, U_GELU_TANH, U_SIGMOID,
  U_HARD_SIGMOID, U_TANH, U_SOFTPLUS, U_SOFTSIGN, U_SILU,
  U_COUNT
};

enum BinaryCode : int {
  B_ADD, B_SUB, B_MUL, B_DIV, B_POW, B_MAXIMUM, B_MINIMUM, B_SQUARED_DIFFERENCE, B_FLOOR_DIV, B_MOD,
  B_ATAN2, B_COUNT
};

enum CompareCode : int {
  C_EQUAL, C_NOT_EQUAL, C_LESS, C_LESS_EQUAL, C_GREATER, C_GREATER_EQUAL, C_LOGICAL_AND, C_LOGICAL_OR,
  C_COUNT
};

enum ReduceCode : int { R_SUM, R_MEAN, R_MAX, R_MIN, R_PROD, R_COUNT };

/** Activations a GEMM or convolution applies in its store. */
enum Act : int { A_LINEAR = 0, A_RELU = 1, A_RELU6 = 2, A_SIGMOID = 3, A_TANH = 4 };

/** Geometry of a 2-D convolution / pooling window over NHWC data (see Conv2DInfo in backend.ts). */
struct ConvGeom {
  int batch, inH, inW, inC, outH, outW, outC;
  int kH, kW, strideH, strideW, dilationH, dilationW;
  int padTop, padLeft, padBottom, padRight;
};

/** Broadcast geometry of up to three inputs against an output, after collapsing axes. */
constexpr int kMaxRank = 12;
struct Broadcast {
  int rank;                     // collapsed rank (>= 1)
  long outShape[kMaxRank];
  long strides[3][kMaxRank];    // element stride of each input along each output axis (0 = broadcast)
};

}  // namespace capa
