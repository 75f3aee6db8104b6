/**
 * What a kernel call passes to the module besides numbers: the address of each tensor view (no
 * copy), the small integer tables (meta, concat's input lists) copied into a scratch region, and
 * the check of the call's status that turns a failure into an Error carrying the module's message.
 */
import type { TypedArray } from '../../tensor/dtype.js';
import { readCString, type WasmExports, type WasmMemory } from './module.js';

/** The kinds of 32-bit array the C ABI tells apart (native/src/wasm/wasm_args.h, WasmKind). */
const KIND_FLOAT32 = 0;
const KIND_INT32 = 1;
const META = 0;
const LIST = 1;

export class WasmCall {
  /**
   * The address each view was made at. A view of a non-shared memory is detached when the memory
   * grows; the address it was made at stays valid, so calls resolve views through this map.
   */
  private readonly addresses = new WeakMap<TypedArray, number>();
  /** Scratch regions, one per table a call can pass (META, LIST: concat passes both). */
  private readonly scratch = [0, 0];
  private readonly scratchBytes = [0, 0];

  constructor(
    private readonly e: WasmExports,
    private readonly memory: WasmMemory,
  ) {}

  /** A view of `length` values of `dtype` at `ptr`, made now (so over the memory's current buffer). */
  view(ptr: number, length: number, isInt: boolean): TypedArray {
    const v = isInt ? new Int32Array(this.memory.buffer, ptr, length) : new Float32Array(this.memory.buffer, ptr, length);
    this.addresses.set(v, ptr);
    return v;
  }

  /** The address of a view made by `view`; 0 for null (an absent optional array). */
  at(v: TypedArray | null): number {
    if (v === null) return 0;
    const ptr = this.addresses.get(v);
    if (ptr === undefined) {
      throw new Error('wasm backend: a kernel was given an array outside the wasm memory (move the tensor with ops.toBackend)');
    }
    return ptr;
  }

  kind(v: TypedArray): number {
    return v instanceof Int32Array ? KIND_INT32 : KIND_FLOAT32;
  }

  /** The meta table copied to the scratch region; returns its address. */
  meta(m: Int32Array): number {
    const ptr = this.reserve(META, m.length * 4);
    new Int32Array(this.memory.buffer, ptr, m.length).set(m);
    return ptr;
  }

  /** A list of views as the C ABI's four arguments: tables of addresses, lengths and kinds, and the count. */
  list(arrays: readonly TypedArray[]): [number, number, number, number] {
    const n = arrays.length;
    const ptr = this.reserve(LIST, 3 * n * 4);
    const table = new Int32Array(this.memory.buffer, ptr, 3 * n);
    for (let i = 0; i < n; i++) {
      const a = arrays[i] as TypedArray;
      table[i] = this.at(a);
      table[n + i] = a.length;
      table[2 * n + i] = this.kind(a);
    }
    return [ptr, ptr + 4 * n, ptr + 8 * n, n];
  }

  /** Throws the module's message when a kernel call reported a failure. */
  check(status: number): void {
    if (status !== 0) throw new Error(readCString(this.memory, this.e._capa_last_error()));
  }

  /** Scratch region `slot`, grown to at least `bytes`. */
  private reserve(slot: number, bytes: number): number {
    if (bytes > (this.scratchBytes[slot] as number)) {
      if (this.scratch[slot]) this.e._capa_free(this.scratch[slot] as number);
      const size = Math.max(bytes, 4096);
      const ptr = this.e._capa_alloc(size) >>> 0;
      if (ptr === 0) throw new Error('wasm backend: out of memory (the wasm memory is limited to 4 GiB)');
      this.scratch[slot] = ptr;
      this.scratchBytes[slot] = size;
    }
    return this.scratch[slot] as number;
  }
}
