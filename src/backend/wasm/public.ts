/** Public controls of the wasm backend (exported from the package root). */
import { loadedWasmBackend } from './load.js';
import type { WasmInfo } from './wasm-backend.js';

export { setWasmPaths } from './load-async.js';
export type { WasmInfo };

/**
 * Which wasm build runs ('threads' where SharedArrayBuffer is allowed: Node, cross-origin isolated
 * pages; else 'single'), its kernels' instruction set and thread count; null until the wasm backend
 * has been loaded (`setBackend('wasm')`, or the default choice in Node without the addon).
 */
export function wasmInfo(): WasmInfo | null {
  return loadedWasmBackend()?.info() ?? null;
}
