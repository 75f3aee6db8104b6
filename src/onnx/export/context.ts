/**
 * What a layer converter works with: the graph being built, layout conversions emitted at most
 * once per value and target layout, and weights stored once per variable. (Every op the
 * converters emit means the same in opsets 13 to 17, so they need not know which one is chosen.)
 */
import type { Layer } from '../../layers/engine/layer.js';
import type { SymbolicShape } from '../../layers/engine/symbolic.js';
import type { Variable } from '../../tensor/tensor.js';
import type { GraphBuilder } from './graph-builder.js';
import { channelsFirstPerm, normalizePerm, type OnnxValue, transposeBetween } from './layout.js';

/** One call of a layer being converted. */
export interface LayerCall<L extends Layer = Layer> {
  readonly layer: L;
  readonly inputs: readonly OnnxValue[];
  /** The Keras shapes of the call's outputs. */
  readonly outputShapes: readonly SymbolicShape[];
  /** Node-name prefix: enclosing models' names and the layer's, `model/block1_conv1`. */
  readonly path: string;
}

export class ExportContext {
  private readonly transposed = new Map<string, OnnxValue>();
  private readonly weights = new Map<Variable, Map<string, string>>();

  /** `weightValues`: every variable's values, read beforehand (a backend may only read asynchronously). */
  constructor(
    readonly graph: GraphBuilder,
    private readonly weightValues: ReadonlyMap<Variable, Float32Array>,
  ) {}

  /** A variable's values as read before the export started. */
  valuesOf(variable: Variable): Float32Array {
    const values = this.weightValues.get(variable);
    if (!values)
      throw new Error(`ONNX export: the values of variable "${variable.name}" were not read; it does not belong to the model.`);
    return values;
  }

  /** The value in the given physical layout (`null`: the logical one), transposing once if needed. */
  inLayout(value: OnnxValue, perm: readonly number[] | null): OnnxValue {
    const rank = value.shape.length;
    const p = transposeBetween(value.perm, perm, rank);
    if (!p) return value;
    const key = `${value.name}|${(perm ?? []).join(',')}`;
    const cached = this.transposed.get(key);
    if (cached) return cached;
    const channelsFirst = normalizePerm(channelsFirstPerm(rank));
    const suffix =
      perm === null
        ? 'to_channels_last'
        : channelsFirst && perm.join() === channelsFirst.join()
          ? 'to_channels_first'
          : 'transpose';
    const name = this.graph.op('Transpose', [value.name], `${value.name}/${suffix}`, { perm: p });
    const result: OnnxValue = { name, shape: value.shape, perm: perm === null ? null : normalizePerm(perm) };
    this.transposed.set(key, result);
    return result;
  }

  /** The value in Keras's own (channels-last) layout. */
  logical(value: OnnxValue): OnnxValue {
    return this.inLayout(value, null);
  }

  /** The value channels-first ([N, C, ...spatial]), as ONNX's Conv and pooling expect. */
  channelsFirst(value: OnnxValue): OnnxValue {
    return this.inLayout(value, normalizePerm(channelsFirstPerm(value.shape.length)));
  }

  /**
   * A float32 initializer holding a variable's values, named after it; `arrange` gives them in
   * another layout (a kernel made channels-first). A layer called several times (a
   * shared layer, a nested model used twice) stores its weights once.
   */
  weight(variable: Variable, arrange?: (values: Float32Array) => { values: Float32Array; dims: number[] }): string {
    const key = arrange ? 'arranged' : 'as-is';
    const cached = this.weights.get(variable)?.get(key);
    if (cached) return cached;
    const source = this.valuesOf(variable);
    const { values, dims } = arrange ? arrange(source) : { values: source, dims: variable.shape };
    const name = this.graph.floats(variable.name, values, dims);
    const forVariable = this.weights.get(variable) ?? new Map<string, string>();
    forVariable.set(key, name);
    this.weights.set(variable, forVariable);
    return name;
  }
}

/** The first input of a single-input layer call, with a Keras-style error when there are more. */
export function singleInput(call: LayerCall): OnnxValue {
  if (call.inputs.length !== 1) {
    throw new Error(
      `ONNX export: layer "${call.layer.name}" (${call.layer.className}) expects 1 input, received ${call.inputs.length}.`,
    );
  }
  return call.inputs[0] as OnnxValue;
}

/** The single output shape of a layer call. */
export function singleOutputShape(call: LayerCall): SymbolicShape {
  return call.outputShapes[0] as SymbolicShape;
}
