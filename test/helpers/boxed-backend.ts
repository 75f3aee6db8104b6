/**
 * A backend whose storage is not a typed array: each handle is a `Box` whose values only this
 * module can open, and which cannot be read synchronously (like a GPU buffer). Its kernels are
 * the js backend's, reached through a proxy that opens the boxes, so its results must be the js
 * backend's exactly; what it proves is that the engine never touches a handle itself.
 */

import { JsBackend } from '../../src/backend/js/index.js';
import type { Backend, Storage } from '../../src/index.js';
import { allocArray, type DType, type TypedArray } from '../../src/tensor/dtype.js';
import { HostStorage } from '../../src/tensor/host-storage.js';

/** An opaque handle: nothing outside this module can reach the values. */
export class Box {
  private constructor() {}

  static of(values: TypedArray): Box {
    const box = new Box();
    contents.set(box, values);
    return box;
  }
}

const contents = new WeakMap<Box, TypedArray>();

function open(storage: Storage): TypedArray {
  const values = contents.get(storage as Box);
  if (values === undefined)
    throw new Error(`boxed backend: a kernel was given storage that is not a Box (${describe(storage)}).`);
  return values;
}

function describe(x: unknown): string {
  return x === null || typeof x !== 'object' ? String(x) : (x.constructor?.name ?? 'object');
}

/** Opens every Box in a kernel argument: a Box, an array of boxes (concat), MatmulArgs' bias. */
function unbox(arg: unknown): unknown {
  if (arg instanceof Box) return open(arg);
  if (Array.isArray(arg) && arg.some((a) => a instanceof Box)) return arg.map(unbox);
  if (arg !== null && typeof arg === 'object' && 'bias' in arg && (arg as { bias: unknown }).bias instanceof Box) {
    return { ...arg, bias: open((arg as { bias: Box }).bias) };
  }
  // Any other object (shapes, geometry) and a host array must not reach a kernel here.
  if (arg instanceof Float32Array || arg instanceof Int32Array) {
    throw new Error("boxed backend: a kernel was given a host array instead of this backend's storage.");
  }
  return arg;
}

/** The storage methods; every other Backend member is the js kernel behind `unbox`. */
class BoxedStorage {
  readonly name = 'boxed';
  readonly storageKind = 'boxed';
  /** Handles made, for tests that check allocation goes through the backend. */
  allocations = 0;
  /** Reads of values back to the host, and the sizes of host values uploaded, for tests that count traffic. */
  reads = 0;
  readonly uploads: number[] = [];

  allocate(dtype: DType, size: number): Storage {
    this.allocations++;
    // Dirty storage, as the contract allows: NaN shows a kernel that leaves part of its output unwritten.
    return Box.of(allocArray(dtype, size).fill(dtype === 'int32' ? -0x7fffffff : Number.NaN));
  }

  allocateZeroed(dtype: DType, size: number): Storage {
    this.allocations++;
    return Box.of(allocArray(dtype, size));
  }

  upload(values: TypedArray): Storage {
    this.uploads.push(values.length);
    return Box.of(values.slice());
  }

  async read(storage: Storage): Promise<TypedArray> {
    this.reads++;
    return open(storage).slice();
  }

  copy(src: Storage, dst: Storage, size: number): void {
    open(dst).set(open(src).subarray(0, size));
  }

  write(dst: Storage, values: ArrayLike<number>): void {
    open(dst).set(values);
  }

  storageMark(): number {
    return 0;
  }

  release(): boolean {
    return false;
  }
}

export type BoxedBackend = Backend & Pick<BoxedStorage, 'allocations' | 'reads' | 'uploads'>;

export function createBoxedBackend(): BoxedBackend {
  const js = new JsBackend();
  const storage = new BoxedStorage();
  return new Proxy(storage, {
    get(target, key, receiver) {
      if (key in target) return Reflect.get(target, key, receiver);
      // The js backend's own storage methods (readSync among them) are not this backend's.
      if (key in HostStorage.prototype) return undefined;
      const kernel = Reflect.get(js, key) as unknown;
      if (typeof kernel !== 'function') return kernel;
      return (...args: unknown[]) => (kernel as (...a: unknown[]) => unknown).apply(js, args.map(unbox));
    },
  }) as unknown as BoxedBackend;
}
