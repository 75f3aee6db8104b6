/**
 * What a name in the ONNX graph stands for while the importer walks it: a constant it knows
 * (folded, never a layer) or a tensor computed by the capa graph, with the layout it is kept in.
 *
 * The layout rule. A computed tensor is stored as a transpose of the tensor the ONNX graph
 * means: stored axis j holds the graph's (logical) axis `perm[j]`. Convolutions, pooling and
 * batch norm want channels last, so an NCHW activation is stored NHWC (perm [0, 2, 3, 1]) and
 * stays so through everything that does not care (activations, adds, concat on the channel
 * axis, ...): such ops read their axes through `perm` (a Softmax on axis 1 runs on stored axis 3)
 * and per-channel constants are transposed once at import. A Transpose node only changes `perm`
 * and costs nothing. Ops that need the graph's own element order (Reshape, Squeeze, a Flatten
 * feeding anything but a Dense, MatMul on non-trailing axes) get one transpose back to the logical
 * layout, and a Flatten of an NHWC map feeding a Gemm is absorbed by permuting the Dense kernel's
 * rows. Model inputs and outputs are in the graph's layout, so callers see NCHW where it says NCHW.
 */
import type { SymbolicTensor } from '../../layers/engine/symbolic.js';
import type { ConstArray } from './const-array.js';

export interface DynValue {
  readonly kind: 'dyn';
  readonly tensor: SymbolicTensor;
  /** Stored axis j holds logical axis perm[j]. */
  readonly perm: readonly number[];
  /** Known to be >= 0 (after a ReLU): zero padding is then as good as -inf padding for a max pool. */
  readonly nonNegative?: boolean;
  /**
   * A flattened NHWC map: stored column j holds logical (NCHW-flattened) column order[j];
   * `logical()` builds the graph-order version for consumers that cannot absorb the order.
   */
  readonly flat?: { readonly order: Int32Array; readonly logical: () => DynValue };
}

export interface ConstValue {
  readonly kind: 'const';
  readonly value: ConstArray;
  /** From a graph initializer (a weight, trainable when asked) rather than a Constant node. */
  readonly initializer: boolean;
}

export type Value = DynValue | ConstValue;

export function identityPerm(rank: number): number[] {
  return Array.from({ length: rank }, (_, i) => i);
}

export function isIdentity(perm: readonly number[]): boolean {
  return perm.every((p, i) => p === i);
}

/** NCHW stored as NHWC (and NCW as NWC, NCDHW as NDHWC): channels moved last. */
export function channelsLastPerm(rank: number): number[] {
  return [0, ...identityPerm(rank).slice(2), 1];
}

/** The graph's (logical) shape of a stored tensor. */
export function logicalShape(v: DynValue): (number | null)[] {
  const out = new Array<number | null>(v.perm.length).fill(null);
  v.perm.forEach((p, j) => {
    out[p] = v.tensor.shape[j] ?? null;
  });
  return out;
}

/** Where logical axis `axis` (negative counts from the end) is stored. */
export function storedAxis(v: DynValue, axis: number): number {
  const rank = v.perm.length;
  const a = axis < 0 ? axis + rank : axis;
  return v.perm.indexOf(a);
}

/** The perm after removing logical axes (a reduction without keepdims, a Squeeze). */
export function permWithout(perm: readonly number[], removed: readonly number[]): number[] {
  const kept = perm.filter((p) => !removed.includes(p));
  return kept.map((p) => p - removed.filter((r) => r < p).length);
}
