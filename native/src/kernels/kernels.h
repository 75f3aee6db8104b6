// The entry points each ISA build defines (gathered into its KernelTable by table.cc), as
// native/spec/kernels.mjs declares them.
#pragma once

#include "../table.h"
#include "common.h"

namespace capa {
namespace CAPA_NS {

#define CAPA_DECLARE_KERNEL(ret, name, params) ret name params;
CAPA_ISA_KERNELS(CAPA_DECLARE_KERNEL)
#undef CAPA_DECLARE_KERNEL

}  // namespace CAPA_NS
}  // namespace capa
