import { type DType, dtypeOfArray, type TypedArray } from './dtype.js';
import { formatTensor } from './format.js';
import { checkShape, formatShape } from './shape.js';
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
 * A dense, row-major n-dimensional array. Storage is a typed array owned by the tensor;
 * tensors are immutable to users (ops return new tensors) and garbage-collected.
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
  protected values: TypedArray;

  constructor(values: TypedArray, shape: readonly number[]) {
    const size = checkShape(shape, 'Tensor');
    if (values.length !== size) {
      throw new Error(`Tensor: ${values.length} values do not fill shape ${formatShape(shape)} (${size} elements).`);
    }
    this.values = values;
    this.shape = shape.slice();
    this.dtype = dtypeOfArray(values);
    this.size = size;
  }

  get rank(): number {
    return this.shape.length;
  }

  /**
   * The values, row-major. This is the tensor's own storage: read it, do not write it. Throws
   * if the storage was recycled (tensor/storage-recycler.ts): every read goes through here.
   */
  dataSync(): TypedArray {
    // A recycled buffer is detached: its views have no elements left.
    if (this.values.length !== this.size) throw releasedTensorError(this, this.values.buffer);
    return this.values;
  }

  /** Async twin of `dataSync` (tfjs-compatible). */
  async data(): Promise<TypedArray> {
    return this.dataSync();
  }

  /** The values as nested arrays (a number for a scalar). */
  arraySync(): NestedArray {
    return toNested(this.dataSync(), this.shape, 0, 0);
  }

  async array(): Promise<NestedArray> {
    return this.arraySync();
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) throw new Error(`item: tensor of shape ${formatShape(this.shape)} has ${this.size} elements, not 1.`);
    return this.dataSync()[0] as number;
  }

  toString(): string {
    if (this.values.length !== this.size) return `Tensor ${this.id} of shape ${formatShape(this.shape)} (storage recycled)`;
    return formatTensor(this.values, this.shape, this.dtype);
  }

  /** A tensor sharing this one's storage with no gradient history. */
  detach(): Tensor {
    return new Tensor(this.dataSync(), this.shape);
  }

  /** A copy with its own storage. */
  clone(): Tensor {
    return new Tensor(this.dataSync().slice(), this.shape);
  }

  /** The same storage seen with another shape of the same size (no copy, no history). */
  protected withShape(shape: readonly number[]): Tensor {
    return new Tensor(this.dataSync(), shape);
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
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
    super(initial.dataSync().slice(), initial.shape);
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
    this.values.set(value.dataSync());
  }

  /** Writes raw values into the variable's storage (optimizers, weight loading). */
  assignValues(values: ArrayLike<number>): void {
    if (values.length !== this.size) {
      throw new Error(`Variable ${this.name}: expected ${this.size} values, received ${values.length}.`);
    }
    this.values.set(values);
  }
}
