/** Helpers every op handler uses: typed access to a node's inputs, with the node named in errors. */
import type { OpNode } from '../builder.js';
import { constValues } from '../const-array.js';
import type { ConstValue, DynValue, Value } from '../values.js';

export type OpHandler = (node: OpNode) => Value[];

export function where(node: OpNode): string {
  return `node '${node.name}' (${node.opType}, opset ${node.opset})`;
}

export function fail(node: OpNode, message: string): never {
  throw new Error(`${where(node)}: ${message}`);
}

export function input(node: OpNode, i: number): Value {
  const v = node.inputs[i];
  if (!v) fail(node, `input ${i} is missing`);
  return v;
}

export function optionalInput(node: OpNode, i: number): Value | undefined {
  return node.inputs[i];
}

/**
 * A constant operand. Shape values may hold the free batch size (NaN, from Shape of a tensor with
 * a free batch); only a Reshape target may use it, as its first entry (see shape.ts).
 */
export function constInput(node: OpNode, i: number, what: string, allowBatch = false): ConstValue {
  const v = input(node, i);
  if (v.kind !== 'const') fail(node, `${what} (input ${i}) must be a constant known at import; it is computed by the graph`);
  if (!allowBatch && v.value.dtype === 'int' && v.value.data.some(Number.isNaN)) {
    fail(node, `${what} (input ${i}) depends on the free batch size; export with a fixed batch size`);
  }
  return v;
}

export function dynInput(node: OpNode, i: number): DynValue {
  const v = input(node, i);
  if (v.kind !== 'dyn') fail(node, `input ${i} is a constant where capa expects a computed tensor`);
  return v;
}

/** Integer operands (axes, pads, shapes) from an input, or from the attribute older opsets use. */
export function intsFrom(node: OpNode, inputIndex: number, attr: string): number[] | null {
  const v = optionalInput(node, inputIndex);
  if (v) return constValues(constInput(node, inputIndex, attr || `input ${inputIndex}`).value);
  return node.attrs.ints(attr);
}

export function normalizeAxis(node: OpNode, axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!(a >= 0 && a < rank)) fail(node, `axis ${axis} is out of range for a tensor of rank ${rank}`);
  return a;
}

/** Most elements per sample an op may produce (2^28 floats = 1 GiB), so pads or scales in a file cannot claim memory. */
export const MAX_ELEMENTS_PER_SAMPLE = 2 ** 28;

/** Refuses an output shape (batch axis free) bigger than MAX_ELEMENTS_PER_SAMPLE per sample. */
export function checkElements(node: OpNode, shape: readonly (number | null)[]): void {
  const perSample = shape.slice(1).reduce<number>((a, d) => a * (d ?? 1), 1) * (shape[0] ?? 1);
  if (!(perSample <= MAX_ELEMENTS_PER_SAMPLE)) {
    fail(
      node,
      `its output [${shape.map((d) => d ?? 'batch').join(', ')}] would hold ${perSample} elements per sample, more than capa accepts (${MAX_ELEMENTS_PER_SAMPLE})`,
    );
  }
}
