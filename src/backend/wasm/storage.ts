/** A wasm tensor's values: `length` 32-bit values at `ptr` in the module memory. */
import type { DType } from '../../tensor/dtype.js';

export class WasmStorage {
  constructor(
    readonly ptr: number,
    readonly length: number,
    readonly dtype: DType,
    /**
     * When it was allocated, on the storage clock every backend shares (tensor/storage-pool.ts);
     * 0 for storage that holds values brought from elsewhere (`upload`), which is never released.
     */
    readonly stamp: number,
  ) {}
}
