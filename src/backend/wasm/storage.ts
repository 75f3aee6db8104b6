/** A wasm tensor's values: `length` 32-bit values at `ptr` in the module memory. */
import type { DType } from '../../tensor/dtype.js';

export class WasmStorage {
  constructor(
    readonly ptr: number,
    readonly length: number,
    readonly dtype: DType,
  ) {}
}
