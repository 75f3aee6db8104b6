/**
 * The emscripten module of the wasm backend (wasm/dist/, built by scripts/build-wasm.mjs): its
 * exports besides the kernels, and the memory every tensor of the backend lives in.
 */
import type { WasmKernelExports } from './kernels.generated.js';

/** The module's memory (a WebAssembly.Memory; typed here so the core needs no DOM or Node types). */
export interface WasmMemory {
  /** An ArrayBuffer, or a SharedArrayBuffer in the threads build; a new object after each growth. */
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
}

/** The controls native/src/wasm/runtime.cc exports. */
export interface WasmRuntimeExports {
  /** Memory for tensors (16-byte aligned); 0 when the memory cannot grow further. */
  _capa_alloc(bytes: number): number;
  _capa_free(ptr: number): void;
  /** Address of the failed call's message (a NUL-terminated string). */
  _capa_last_error(): number;
  _capa_isa(): number;
  _capa_set_isa(isaPtr: number): number;
  _capa_threads(): number;
  _capa_set_threads(threads: number): void;
}

export type WasmExports = WasmKernelExports & WasmRuntimeExports;

/** A loaded module: its exports, its memory, and the variant that was loaded. */
export interface WasmModule {
  exports: WasmExports;
  memory: WasmMemory;
  /** 'threads' (pthreads over SharedArrayBuffer) or 'single'. */
  variant: 'threads' | 'single';
  /** Workers the runtime loaded for the kernel pool: the most threads `setThreads` can ask for. */
  poolSize: number;
}

/** The NUL-terminated string at `ptr` in the module memory. */
export function readCString(memory: WasmMemory, ptr: number): string {
  const bytes = new Uint8Array(memory.buffer);
  let end = ptr;
  while (end < bytes.length && bytes[end] !== 0) end++;
  let text = '';
  for (let i = ptr; i < end; i++) text += String.fromCharCode(bytes[i] as number);
  return text;
}
