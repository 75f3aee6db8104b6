/**
 * InputSpec: what a layer accepts (rank, fixed axis sizes), checked on every call with
 * Keras's wording: the layer, the input index, what was expected and the full shape received.
 */
import { formatPythonShape, type SymbolicShape } from './symbolic.js';

export interface InputSpecArgs {
  ndim?: number;
  minNdim?: number;
  maxNdim?: number;
  /** Axis (negative counts from the end) to required size, e.g. `{ [-1]: 784 }`. */
  axes?: Record<number, number>;
  shape?: SymbolicShape;
}

export class InputSpec {
  readonly ndim: number | null;
  readonly minNdim: number | null;
  readonly maxNdim: number | null;
  readonly axes: Readonly<Record<number, number>>;
  readonly shape: SymbolicShape | null;

  constructor(args: InputSpecArgs = {}) {
    this.shape = args.shape ? args.shape.slice() : null;
    this.ndim = args.ndim ?? (this.shape ? this.shape.length : null);
    this.minNdim = args.minNdim ?? null;
    this.maxNdim = args.maxNdim ?? null;
    this.axes = { ...(args.axes ?? {}) };
  }
}

/** Throws a Keras-worded error when `shapes` do not fit the layer's specs. */
export function assertInputCompatibility(
  layerName: string,
  specs: readonly InputSpec[] | null,
  shapes: readonly (readonly (number | null)[])[],
): void {
  if (!specs || specs.length === 0) return;
  if (specs.length !== shapes.length) {
    throw new Error(
      `Layer "${layerName}" expects ${specs.length} input(s), but it received ${shapes.length} input tensors. ` +
        `Input shapes received: ${shapes.map((s) => formatPythonShape(s)).join(', ')}`,
    );
  }
  specs.forEach((spec, index) => {
    const shape = shapes[index] as readonly (number | null)[];
    const ndim = shape.length;
    const prefix = `Input ${index} of layer "${layerName}" is incompatible with the layer:`;
    const full = formatPythonShape(shape);
    if (spec.ndim !== null && ndim !== spec.ndim) {
      throw new Error(`${prefix} expected ndim=${spec.ndim}, found ndim=${ndim}. Full shape received: ${full}`);
    }
    if (spec.maxNdim !== null && ndim > spec.maxNdim) {
      throw new Error(`${prefix} expected max_ndim=${spec.maxNdim}, found ndim=${ndim}. Full shape received: ${full}`);
    }
    if (spec.minNdim !== null && ndim < spec.minNdim) {
      throw new Error(`${prefix} expected min_ndim=${spec.minNdim}, found ndim=${ndim}. Full shape received: ${full}`);
    }
    for (const [key, value] of Object.entries(spec.axes)) {
      const axis = Number(key);
      const dim = shape[axis < 0 ? ndim + axis : axis];
      if (dim !== undefined && dim !== null && dim !== value) {
        throw new Error(
          `${prefix} expected axis ${axis} of input shape to have value ${value}, but received input with shape ${full}`,
        );
      }
    }
    if (spec.shape) {
      for (let i = 0; i < spec.shape.length; i++) {
        const want = spec.shape[i];
        const got = shape[i];
        if (want !== null && want !== undefined && got !== null && got !== undefined && want !== got) {
          throw new Error(`${prefix} expected shape=${formatPythonShape(spec.shape)}, found shape=${full}`);
        }
      }
    }
  });
}
