/** Public controls of the native backend (exported from the package root). */

import { loadNativeBackend } from '#platform/native-backend';
import type { NativeInfo } from './addon.js';

/**
 * The native kernels' instruction set (this thread's: each worker_thread chooses its own), the sets
 * this CPU supports and the thread count (the process's); null without the addon.
 */
export function nativeInfo(): NativeInfo | null {
  return loadNativeBackend().backend?.info() ?? null;
}

/**
 * Sets how many threads the native kernels use (default: the CPUs this process may run on, or
 * CAPA_NUM_THREADS). The pool is one per process, shared by every worker_thread: their kernels
 * take turns on it, each with all its threads. The TypeScript backend is single-threaded and ignores it.
 */
export function setNumThreads(threads: number): void {
  if (!Number.isInteger(threads) || threads < 1) {
    throw new Error(`setNumThreads: expected a positive integer, received ${String(threads)}.`);
  }
  loadNativeBackend().backend?.setThreads(threads);
}
