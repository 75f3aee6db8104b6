/**
 * The wasm backend seen through host arrays, so the native kernel suites (test/native/) run on it
 * unchanged: each typed-array argument is uploaded into wasm storage (a NaN-poisoned output stays
 * poisoned there), the kernel runs on the storage, and every array is copied back after the call.
 */
import type { NativeBackend } from '../../src/backend/native/native.js';
import type { WasmBackend } from '../../src/backend/wasm/wasm-backend.js';
import type { TypedArray } from '../../src/tensor/dtype.js';

export function wasmOverHost(wasm: WasmBackend): NativeBackend {
  return new Proxy(wasm, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const moved: [TypedArray, object][] = [];
        const toWasm = (a: unknown): unknown => {
          if (a instanceof Float32Array || a instanceof Int32Array) {
            const s = target.upload(a.slice());
            moved.push([a, s]);
            return s;
          }
          if (Array.isArray(a)) return a.map(toWasm);
          if (a !== null && typeof a === 'object' && !ArrayBuffer.isView(a)) {
            return Object.fromEntries(Object.entries(a).map(([k, v]) => [k, toWasm(v)]));
          }
          return a;
        };
        const result = value.apply(target, args.map(toWasm));
        for (const [host, s] of moved)
          host.set(target.readSync(s, host instanceof Int32Array ? 'int32' : 'float32', host.length));
        return result;
      };
    },
  }) as unknown as NativeBackend;
}
