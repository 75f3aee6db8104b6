/**
 * The structures a functional model's inputs and outputs may be given in, as Keras 3 accepts
 * them: one tensor, a list (nested lists are flattened, so `base.layers.map(l => l.output)`
 * works when a layer has several outputs), or a record keyed by name. A record's keys become the
 * names under which `fit` / `evaluate` / `predict` take data and `compile` takes losses.
 */
import { SymbolicTensor } from '../layers/engine/symbolic.js';

export type SymbolicStructure =
  | SymbolicTensor
  | readonly (SymbolicTensor | readonly SymbolicTensor[])[]
  | Readonly<Record<string, SymbolicTensor>>;

export interface FlatStructure {
  tensors: SymbolicTensor[];
  /** The record's keys, in order, when the structure was a record; null for a tensor or list. */
  keys: string[] | null;
}

/** Whether a value is a record of SymbolicTensors (Keras's dict of inputs / outputs). */
export function isSymbolicRecord(value: unknown): value is Readonly<Record<string, SymbolicTensor>> {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof SymbolicTensor) return false;
  const values = Object.values(value);
  return values.length > 0 && values.every((v) => v instanceof SymbolicTensor);
}

/** Flattens a structure, naming the offending entry when it is not a SymbolicTensor. */
export function flattenStructure(value: unknown, what: 'inputs' | 'outputs', owner: string): FlatStructure {
  if (value instanceof SymbolicTensor) return { tensors: [value], keys: null };
  if (isSymbolicRecord(value)) return { tensors: Object.values(value), keys: Object.keys(value) };
  if (!Array.isArray(value)) {
    throw new Error(
      `${owner}: \`${what}\` must be a SymbolicTensor (from Input(...) or layer.apply(...)), a list of them or a record of them by name; received ${describe(value)}.`,
    );
  }
  const tensors: SymbolicTensor[] = [];
  value.forEach((entry: unknown, i) => {
    const items: unknown[] = Array.isArray(entry) ? entry : [entry];
    for (const t of items) {
      if (!(t instanceof SymbolicTensor)) {
        throw new Error(
          `${owner}: ${what}[${i}] must be a SymbolicTensor (from Input(...) or layer.apply(...)), received ${describe(t)}.`,
        );
      }
      tensors.push(t);
    }
  });
  if (tensors.length === 0) throw new Error(`${owner}: \`${what}\` is empty.`);
  return { tensors, keys: null };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return `an object (${(value as object).constructor?.name ?? 'Object'})`;
  return typeof value;
}
