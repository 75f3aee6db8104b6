/**
 * What the storage pools hold, whichever backend the test runs on: the host pool (js, native)
 * and, when the wasm backend is current, its free list (src/backend/wasm/free-list.ts).
 */

import { loadWasmBackend } from '../../src/backend/wasm/load.js';
import { getBackend } from '../../src/index.js';
import { clearStoragePool, storagePoolStats } from '../../src/tensor/storage-pool.js';

function wasmPool() {
  return getBackend() === 'wasm' ? loadWasmBackend().backend : null;
}

/** Storage held for reuse now: arrays (or wasm regions), their bytes, weakly held host arrays. */
export function pooledStorage(): { arrays: number; bytes: number; weak: number } {
  const host = storagePoolStats();
  const wasm = wasmPool()?.pooledStorage() ?? { storages: 0, bytes: 0 };
  return { arrays: host.arrays + wasm.storages, bytes: host.bytes + wasm.bytes, weak: host.weak };
}

/** Empties the pools `pooledStorage` reports. */
export function clearPools(): void {
  clearStoragePool();
  wasmPool()?.clearPool();
}
