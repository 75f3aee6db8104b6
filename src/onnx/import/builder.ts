/**
 * Builds the capa functional graph while the importer walks the ONNX nodes: names layers after
 * their nodes, applies Keras layers with imported weights, makes OnnxOp layers (finding their
 * output shapes by running them once), and moves tensors between layouts (values.ts).
 */
import { Permute } from '../../layers/core/reshape.js';
import type { Layer } from '../../layers/engine/layer.js';
import type { SymbolicShape, SymbolicTensor } from '../../layers/engine/symbolic.js';
import * as ops from '../../ops/index.js';
import { Tensor } from '../../tensor/tensor.js';
import type { Attributes } from './attributes.js';
import { type ConstArray, toFloat32 } from './const-array.js';
import { OnnxOp, type OpCompute, type OpWeight } from './op-layer.js';
import { type ConstValue, type DynValue, identityPerm, isIdentity, type Value } from './values.js';

/** One ONNX node as a handler sees it. */
export interface OpNode {
  readonly opType: string;
  readonly name: string;
  readonly opset: number;
  readonly inputs: readonly (Value | undefined)[];
  readonly outputCount: number;
  readonly attrs: Attributes;
  readonly b: GraphBuilder;
}

export class GraphBuilder {
  private readonly names = new Set<string>();
  private readonly converted = new Map<string, DynValue>();

  /** Layer names from node names: '/layer1/conv/Conv' -> 'layer1.conv.Conv' (no '/' in capa names). */
  layerName(node: OpNode, suffix = ''): string {
    const base = (node.name || node.opType).replace(/^\/+/, '').replace(/[/:]+/g, '.') + suffix || node.opType;
    let name = base;
    for (let i = 1; this.names.has(name); i++) name = `${base}_${i}`;
    this.names.add(name);
    return name;
  }

  reserveName(name: string): void {
    this.names.add(name);
  }

  /** Applies a Keras layer and, when given, sets its weights (in the layer's `weights` order). */
  apply(
    layer: Layer,
    inputs: SymbolicTensor[],
    weights?: { values: Float32Array; shape: readonly number[] }[],
  ): SymbolicTensor[] {
    const outs = layer.applyMulti(inputs.length === 1 ? (inputs[0] as SymbolicTensor) : inputs);
    if (weights) layer.setWeights(weights.map((w) => new Tensor(w.values, w.shape)));
    return outs;
  }

  applyOne(layer: Layer, input: SymbolicTensor, weights?: { values: Float32Array; shape: readonly number[] }[]): SymbolicTensor {
    return this.apply(layer, [input], weights)[0] as SymbolicTensor;
  }

  /**
   * An OnnxOp layer on `inputs`. Its output shapes come from running it once on zeros (batch 1 and,
   * when the batch is free, batch 2: the axes that change with it are the batch-sized ones).
   */
  op(node: OpNode, inputs: SymbolicTensor[], compute: OpCompute, weights: OpWeight[] = [], suffix = ''): SymbolicTensor[] {
    const run = (batch: number): number[][] => {
      const xs = inputs.map((t) => ops.zeros(t.shape.map((d) => d ?? batch)));
      const ws = weights.map((w) => new Tensor(w.values, w.shape));
      return compute(xs, ws).map((y) => y.shape.slice());
    };
    const one = run(1);
    const free = inputs.some((t) => t.shape.includes(null));
    const two = free ? run(2) : one;
    const outputShapes: SymbolicShape[] = one.map((s, i) => s.map((d, j) => (d === two[i]?.[j] ? d : null)));
    const layer = new OnnxOp({
      name: this.layerName(node, suffix),
      opType: node.opType,
      nodeName: node.name,
      compute,
      weights,
      outputShapes,
    });
    return layer.applyMulti(inputs.length === 1 ? (inputs[0] as SymbolicTensor) : inputs);
  }

  opOne(
    node: OpNode,
    inputs: SymbolicTensor[],
    compute: (xs: Tensor[], ws: Tensor[]) => Tensor,
    weights: OpWeight[] = [],
  ): SymbolicTensor {
    return this.op(node, inputs, (xs, ws) => [compute(xs, ws)], weights)[0] as SymbolicTensor;
  }

  /** A constant operand as a layer weight: trainable (when the model is) if it was a graph initializer. */
  weight(name: string, c: ConstValue | ConstArray, shape?: readonly number[]): OpWeight {
    const value = 'kind' in c ? c.value : c;
    return { name, values: toFloat32(value), shape: shape ?? value.dims, trainable: 'kind' in c ? c.initializer : false };
  }

  /** The value stored with stored axis j holding logical axis `perm[j]`; one transpose when it moves. */
  toPerm(node: OpNode, v: DynValue, perm: readonly number[]): DynValue {
    if (v.flat && isIdentity(perm)) return v.flat.logical();
    if (v.perm.every((p, i) => p === perm[i])) return v;
    // One transpose per tensor and layout, however many consumers want it.
    const key = `${v.tensor.id}:${perm.join(',')}`;
    const known = this.converted.get(key);
    if (known) return known;
    const t = perm.map((p) => v.perm.indexOf(p));
    const tensor =
      t[0] === 0
        ? this.applyOne(new Permute(t.slice(1), { name: this.layerName(node, '.layout') }), v.tensor)
        : this.opOne({ ...node, opType: 'Transpose' }, [v.tensor], ([x]) => ops.transpose(x as Tensor, t));
    const out: DynValue = { kind: 'dyn', tensor, perm: perm.slice(), ...(v.nonNegative ? { nonNegative: true } : {}) };
    this.converted.set(key, out);
    return out;
  }

  logical(node: OpNode, v: DynValue): DynValue {
    return this.toPerm(node, v, identityPerm(v.perm.length));
  }
}

export function dyn(tensor: SymbolicTensor, perm: readonly number[], nonNegative = false): DynValue {
  return { kind: 'dyn', tensor, perm: perm.slice(), ...(nonNegative ? { nonNegative: true } : {}) };
}

export function constant(value: ConstArray): ConstValue {
  return { kind: 'const', value, initializer: false };
}
