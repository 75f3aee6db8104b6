/**
 * The N-API addon (native/src/binding.cc): the kernel functions generated from
 * native/spec/kernels.mjs, plus the controls binding.cc writes by hand.
 */
import type { NativeKernels } from './addon.generated.js';

export interface NativeInfo {
  /** The instruction set the kernels run with now. */
  isa: 'avx512' | 'avx2' | 'scalar';
  /** Instruction sets this CPU supports, best first. */
  isas: string[];
  /** Threads of the kernel pool (CAPA_NUM_THREADS overrides the CPU count). */
  threads: number;
}

export interface NativeAddon extends NativeKernels {
  info(): NativeInfo;
  /** Switches the kernels' instruction set; false when this CPU cannot run it. */
  setIsa(isa: string): boolean;
  setThreads(threads: number): void;
}
