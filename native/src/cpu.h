// CPU feature detection and the choice of kernel table.
#pragma once

#include "table.h"

namespace capa {

/** ISA names this CPU (and OS) can run, best first, e.g. {"avx512", "avx2", "scalar"}. */
int supported_isas(const char** out, int max);
/** The table for an ISA name, or null when unknown or unsupported here. */
const KernelTable* table_for(const char* isa);
/** The calling thread's table: CAPA_ISA when set (and supported), else the best supported. */
const KernelTable& kernels();
/** Switches the calling thread's table; false when the ISA is unknown or unsupported. */
bool set_isa(const char* isa);

}  // namespace capa
