/**
 * SymbolicTensor: a placeholder flowing through `layer.apply(...)` while a model graph is
 * built (Keras's KerasTensor). It has a shape (batch usually `null`) and a dtype, and
 * remembers which layer call produced it so a Model can walk the graph back to its inputs.
 */
import type { DType } from '../../tensor/dtype.js';
import type { Layer } from './layer.js';

/** A shape whose entries may be unknown (`null`), like Keras's `(None, 28, 28, 1)`. */
export type SymbolicShape = (number | null)[];

let nextSymbolicId = 0;

export class SymbolicTensor {
  readonly id = nextSymbolicId++;
  readonly shape: SymbolicShape;
  readonly dtype: DType;
  /** The layer whose call produced this tensor. */
  readonly sourceLayer: Layer;
  /** Index of that call in `sourceLayer.inboundNodes`. */
  readonly nodeIndex: number;
  /** Index of this tensor among that call's outputs. */
  readonly tensorIndex: number;
  readonly name: string;

  constructor(shape: SymbolicShape, dtype: DType, sourceLayer: Layer, nodeIndex: number, tensorIndex: number) {
    this.shape = shape.slice();
    this.dtype = dtype;
    this.sourceLayer = sourceLayer;
    this.nodeIndex = nodeIndex;
    this.tensorIndex = tensorIndex;
    this.name = `${sourceLayer.name}/${nodeIndex}/${tensorIndex}`;
  }

  get rank(): number {
    return this.shape.length;
  }

  toString(): string {
    return `<SymbolicTensor shape=${formatPythonShape(this.shape)}, dtype=${this.dtype}, name=${this.name}>`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/** Python's tuple repr of a shape: `(None, 28, 28, 1)`, `(None,)`, `()`. */
export function formatPythonShape(shape: readonly (number | null)[]): string {
  const parts = shape.map((d) => (d === null ? 'None' : String(d)));
  return parts.length === 1 ? `(${parts[0]},)` : `(${parts.join(', ')})`;
}
