import type { DType, TypedArray } from './dtype.js';
import { formatTensor } from './format.js';
import { hostStorage } from './host-storage.js';
import { checkShape, formatShape } from './shape.js';
import { isHostArray, type Storage, type StorageBackend } from './storage.js';
import { exposeStorage, type StorageLease, storageLease } from './storage-pool.js';
import { releasedTensorError } from './storage-recycler.js';

/** What the autograd keeps for a tensor produced by a differentiable op. */
export interface GradNode {
  /** Op name, for error messages and debugging. */
  readonly op: string;
  readonly inputs: readonly Tensor[];
  /** Given the gradient of the output, the gradients of the inputs (null where none flows). */
  readonly backward: (dy: Tensor) => readonly (Tensor | null)[];
}

let nextTensorId = 0;

/**
 * A dense, row-major n-dimensional array. Its values live in `storage`, a handle owned by a
 * backend (tensor/storage.ts): on the CPU backends the typed array itself. Tensors are immutable
 * to users (ops return new tensors) and garbage-collected.
 * Chainable math methods (`add`, `matmul`, ...) are attached by `ops/chain.ts`.
 */
export class Tensor {
  readonly id = nextTensorId++;
  readonly shape: number[];
  readonly dtype: DType;
  readonly size: number;
  /** Set on leaves the autograd should differentiate with respect to, and on their descendants. */
  requiresGrad = false;
  /** How this tensor was computed, when it depends on a tensor that requires grad. */
  gradNode: GradNode | null = null;
  private handle: Storage;
  private holder: StorageBackend;
  /** The recycling pool's lease on the host storage when this tensor was made (null: not pooled storage). */
  private lease: StorageLease | null;

  /**
   * A typed array alone makes a host tensor (usable by every CPU backend). Storage of another
   * backend comes with its owner and dtype.
   */
  constructor(storage: Storage, shape: readonly number[], owner: StorageBackend = hostStorage, dtype?: DType) {
    const size = checkShape(shape, 'Tensor');
    // Host arrays carry their dtype; one instanceof each, as this runs once per op.
    const hostDType = storage instanceof Float32Array ? 'float32' : storage instanceof Int32Array ? 'int32' : null;
    if (hostDType !== null) {
      if ((storage as TypedArray).length !== size) {
        throw new Error(
          `Tensor: ${(storage as TypedArray).length} values do not fill shape ${formatShape(shape)} (${size} elements).`,
        );
      }
      this.dtype = hostDType;
    } else if (dtype === undefined || owner.storageKind === 'host') {
      throw new Error(
        `Tensor: storage of backend '${owner.name}' must be a Float32Array or Int32Array, or come with its dtype ` +
          'from a backend that owns non-host storage.',
      );
    } else {
      this.dtype = dtype;
    }
    this.handle = storage;
    this.holder = owner;
    this.lease = hostDType !== null ? storageLease(storage as TypedArray) : null;
    this.shape = shape.slice();
    this.size = size;
  }

  /** The backend that made `storage` and reads it. */
  get owner(): StorageBackend {
    return this.holder;
  }

  /**
   * Rebinds the tensor to the same values in another backend's storage (ops/engine.ts: a tensor of
   * one CPU backend used by an op of another moves there once). The values do not change, so
   * neither does anything that reads them; only where they live does.
   */
  moveStorage(storage: Storage, owner: StorageBackend): void {
    this.handle = storage;
    this.holder = owner;
    this.lease = isHostArray(storage) ? storageLease(storage) : null;
  }

  /**
   * The backend's handle to the values: what ops hand to kernels. Never index it or keep it; read
   * with `data()`. Every use of the values goes through here, so a tensor whose host storage was
   * recycled (tensor/storage-recycler.ts: its lease ended, or its buffer was detached) throws
   * instead of handing a kernel another tensor's values or an empty array.
   */
  get storage(): Storage {
    const s = this.handle;
    if (this.recycled()) throw releasedTensorError(this, (s as TypedArray).buffer);
    return s;
  }

  /** Whether the host storage went back to the recycling pool after this tensor was made. */
  private recycled(): boolean {
    const lease = this.lease;
    if (lease !== null) return !lease.out;
    const s = this.handle;
    return (s as TypedArray).length !== this.size && isHostArray(s);
  }

  get rank(): number {
    return this.shape.length;
  }

  /** Name of the backend whose storage holds the values ('host' for arrays no backend made). */
  get backend(): string {
    return this.owner.name;
  }

  /**
   * The values, row-major, read synchronously: on the CPU backends the tensor's own storage (read
   * it, do not write it). Backends that can only read by waiting throw; use `await data()`.
   */
  dataSync(): TypedArray {
    const values = this.readSync('dataSync()', 'await tensor.data()');
    // The caller may keep the array: if the storage is recycled, the array is emptied, not reused.
    if (values === this.handle) exposeStorage(values);
    return values;
  }

  /** The values on the host, on every backend. */
  data(): Promise<TypedArray> {
    const s = this.storage;
    if (isHostArray(s)) {
      exposeStorage(s);
      return Promise.resolve(s);
    }
    return this.owner.read(s, this.dtype, this.size);
  }

  /** The values as nested arrays (a number for a scalar); synchronous backends only, like `dataSync`. */
  arraySync(): NestedArray {
    return toNested(this.readSync('arraySync()', 'await tensor.array()'), this.shape, 0, 0);
  }

  /** The values as nested arrays, on every backend. */
  async array(): Promise<NestedArray> {
    return toNested(await this.data(), this.shape, 0, 0);
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) throw new Error(`item: tensor of shape ${formatShape(this.shape)} has ${this.size} elements, not 1.`);
    return this.readSync('item()', '(await tensor.data())[0]')[0] as number;
  }

  /** Whether `dataSync()`, `arraySync()` and `item()` can answer (host storage, or a backend that reads synchronously). */
  get readsSync(): boolean {
    return isHostArray(this.storage) || this.owner.readSync !== undefined;
  }

  toString(): string {
    if (this.recycled()) return `Tensor ${this.id} of shape ${formatShape(this.shape)} (storage recycled)`;
    if (!this.readsSync) {
      return `Tensor ${formatShape(this.shape)} ${this.dtype} on '${this.owner.name}' (read it with await tensor.data())`;
    }
    return formatTensor(this.dataSync(), this.shape, this.dtype);
  }

  /** A tensor sharing this one's storage with no gradient history. */
  detach(): Tensor {
    return new Tensor(this.storage, this.shape, this.owner, this.dtype);
  }

  /** A copy with its own storage. */
  clone(): Tensor {
    return new Tensor(ownCopy(this), this.shape, this.owner, this.dtype);
  }

  /** The same storage seen with another shape of the same size (no copy, no history). */
  protected withShape(shape: readonly number[]): Tensor {
    return new Tensor(this.storage, shape, this.owner, this.dtype);
  }

  /** The values on the host now, or an error naming the backend and the async twin of `method`. */
  private readSync(method: string, asyncTwin: string): TypedArray {
    const s = this.storage;
    if (isHostArray(s)) return s;
    const owner = this.owner;
    if (owner.readSync === undefined) {
      throw new Error(
        `${method}: the '${owner.name}' backend cannot read a tensor's values synchronously; use ${asyncTwin} instead.`,
      );
    }
    return owner.readSync(s, this.dtype, this.size);
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/**
 * Storage of t's owner holding a copy of t's values. Host copies are fresh arrays outside the
 * recycling pool: a copy is kept (a weight, a clone), never an intermediate.
 */
function ownCopy(t: Tensor): Storage {
  if (isHostArray(t.storage)) return t.storage.slice();
  const storage = t.owner.allocate(t.dtype, t.size);
  t.owner.copy(t.storage, storage, t.size);
  return storage;
}

export type NestedArray = number | NestedArray[];

function toNested(values: TypedArray, shape: readonly number[], dim: number, offset: number): NestedArray {
  if (dim === shape.length) return values[offset] as number;
  const n = shape[dim] as number;
  let stride = 1;
  for (let i = dim + 1; i < shape.length; i++) stride *= shape[i] as number;
  const out: NestedArray[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = toNested(values, shape, dim + 1, offset + i * stride);
  return out;
}

/** Tensor whose storage is mutable in place: layer weights and optimizer slots. */
export class Variable extends Tensor {
  readonly name: string;
  private trainableFlag: boolean;

  constructor(initial: Tensor, options: { name?: string; trainable?: boolean } = {}) {
    super(ownCopy(initial), initial.shape, initial.owner, initial.dtype);
    this.name = options.name ?? `variable_${this.id}`;
    this.trainableFlag = options.trainable ?? true;
    this.requiresGrad = this.trainableFlag;
  }

  get trainable(): boolean {
    return this.trainableFlag;
  }

  set trainable(value: boolean) {
    this.trainableFlag = value;
    this.requiresGrad = value;
  }

  /** Replaces the value; the shape must match. */
  assign(value: Tensor): void {
    if (value.size !== this.size || value.shape.length !== this.shape.length || value.shape.some((d, i) => d !== this.shape[i])) {
      throw new Error(
        `Variable ${this.name}: cannot assign a value of shape ${formatShape(value.shape)} to a variable of shape ${formatShape(this.shape)}.`,
      );
    }
    if (value.dtype !== this.dtype) throw new Error(`Variable ${this.name}: cannot assign ${value.dtype} to ${this.dtype}.`);
    if (value.owner.storageKind !== this.owner.storageKind) {
      throw new Error(
        `Variable ${this.name}: cannot assign a value on backend '${value.backend}' to a variable on backend ` +
          `'${this.backend}'; move it first with capa.ops.toBackend(value, '${this.backend}').`,
      );
    }
    this.owner.copy(value.storage, this.storage, this.size);
  }

  /** Writes raw values into the variable's storage (optimizers, weight loading). */
  assignValues(values: ArrayLike<number>): void {
    if (values.length !== this.size) {
      throw new Error(`Variable ${this.name}: expected ${this.size} values, received ${values.length}.`);
    }
    this.owner.write(this.storage, values);
  }
}
