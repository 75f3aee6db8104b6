/**
 * Layouts of exported values. capa computes channels-last (NHWC); ONNX's Conv and pooling want
 * channels-first (NCHW). Rather than wrapping every conv in a pair of transposes, each exported
 * value remembers how its physical axes relate to the Keras (logical) axes, and a value is
 * transposed only when a consumer needs another layout: a chain of convs, batch norms and
 * activations stays channels-first, and Flatten or Dense convert once.
 */
import type { SymbolicShape } from '../../layers/engine/symbolic.js';

/**
 * A value of the exported graph. `shape` is the Keras (logical) shape; `perm` says where each
 * logical axis lies physically: physical axis i holds logical axis `perm[i]`. `null` means the
 * physical layout is the logical one.
 */
export interface OnnxValue {
  readonly name: string;
  readonly shape: SymbolicShape;
  readonly perm: readonly number[] | null;
}

/** [0, rank-1, 1, ..., rank-2]: channels moved from last to second, as ONNX's Conv expects. */
export function channelsFirstPerm(rank: number): number[] {
  if (rank < 3) return [...Array(rank).keys()];
  return [0, rank - 1, ...Array.from({ length: rank - 2 }, (_, i) => i + 1)];
}

export function identityPerm(rank: number): number[] {
  return [...Array(rank).keys()];
}

export function isIdentity(perm: readonly number[]): boolean {
  return perm.every((p, i) => p === i);
}

/** `null` for the identity, so "same as logical" has one spelling. */
export function normalizePerm(perm: readonly number[]): number[] | null {
  return isIdentity(perm) ? null : perm.slice();
}

export function invertPerm(perm: readonly number[]): number[] {
  const inverse = new Array<number>(perm.length);
  perm.forEach((p, i) => {
    inverse[p] = i;
  });
  return inverse;
}

export function samePerm(a: readonly number[] | null, b: readonly number[] | null, rank: number): boolean {
  const x = a ?? identityPerm(rank);
  const y = b ?? identityPerm(rank);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

/** The physical position of a logical axis (negative axes count from the end). */
export function physicalAxis(value: OnnxValue, logicalAxis: number): number {
  const rank = value.shape.length;
  const axis = logicalAxis < 0 ? rank + logicalAxis : logicalAxis;
  return value.perm ? value.perm.indexOf(axis) : axis;
}

/** The value's physical shape (what ONNX sees). */
export function physicalShape(value: OnnxValue): SymbolicShape {
  return value.perm ? value.perm.map((p) => value.shape[p] ?? null) : value.shape.slice();
}

/**
 * The Transpose `perm` attribute taking a value from physical layout `from` to `to` (both in the
 * OnnxValue sense), or null when no transpose is needed. ONNX's Transpose puts input axis
 * `p[i]` at output axis i.
 */
export function transposeBetween(from: readonly number[] | null, to: readonly number[] | null, rank: number): number[] | null {
  const source = invertPerm(from ?? identityPerm(rank));
  const target = to ?? identityPerm(rank);
  const p = target.map((logical) => source[logical] as number);
  return isIdentity(p) ? null : p;
}
