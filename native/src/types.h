// Plain data shared by the N-API layer and every ISA build of the kernels. The op codes and
// kMaxRank come from native/spec/kernels.mjs (gen/spec.generated.h), as do their TypeScript twins.
#pragma once

#include <stdint.h>

#include "gen/spec.generated.h"

namespace capa {

/** Geometry of a 2-D convolution / pooling window over NHWC data (see Conv2DInfo in backend.ts). */
struct ConvGeom {
  int batch, inH, inW, inC, outH, outW, outC;
  int kH, kW, strideH, strideW, dilationH, dilationW;
  int padTop, padLeft, padBottom, padRight;
};

/** Broadcast geometry of up to three inputs against an output, after collapsing axes. */
struct Broadcast {
  int rank;                     // collapsed rank (>= 1)
  long outShape[kMaxRank];
  long strides[3][kMaxRank];    // element stride of each input along each output axis (0 = broadcast)
};

}  // namespace capa
