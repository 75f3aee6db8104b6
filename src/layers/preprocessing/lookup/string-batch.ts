/**
 * Arrays of strings (or of numbers) as the input of the lookup and text layers. capa tensors hold
 * float32 or int32 only, so string data reaches these layers as nested JavaScript arrays: one
 * flat list of values plus the dense shape they fill (Keras's string tensors, without a dtype).
 */
import { formatShape } from '../../../tensor/shape.js';
import { Tensor } from '../../../tensor/tensor.js';

/** A string batch: `string[]` (one value per sample) or `string[][]` (rows of equal length). */
export type StringInput = readonly string[] | readonly (readonly string[])[];
/** What lookup layers accept: strings as arrays, numbers as arrays or a Tensor. */
export type LookupInput = StringInput | readonly number[] | readonly (readonly number[])[] | Tensor;

export interface FlatValues<T> {
  values: T[];
  shape: number[];
}

/** True when `x` is a (possibly nested) JavaScript array whose first leaf is a string. */
export function isStringArray(x: unknown): x is StringInput {
  let cur: unknown = x;
  while (Array.isArray(cur)) {
    if (cur.length === 0) return false;
    cur = cur[0];
  }
  return typeof cur === 'string';
}

/** Flattens a rank-1 or rank-2 array (rows must have one length), naming `who` in errors. */
export function flattenArray<T>(
  input: readonly T[] | readonly (readonly T[])[],
  who: string,
  leaf: (v: unknown) => v is T,
): FlatValues<T> {
  if (!Array.isArray(input)) throw new Error(`${who}: expected an array, received ${typeof input}.`);
  if (input.length > 0 && Array.isArray(input[0])) {
    const rows = input as readonly (readonly T[])[];
    const width = rows[0]?.length ?? 0;
    const values: T[] = [];
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r];
      if (!Array.isArray(row) || row.length !== width) {
        throw new Error(
          `${who}: rows of a rank-2 input must have one length (${width}); row ${r} has ${Array.isArray(row) ? row.length : 'no'} values. Pad them first (e.g. utils.padSequences).`,
        );
      }
      for (const v of row) {
        if (!leaf(v)) throw new Error(`${who}: row ${r} holds ${JSON.stringify(v)}, not the values this layer takes.`);
        values.push(v);
      }
    }
    return { values, shape: [rows.length, width] };
  }
  const values = input as readonly unknown[];
  for (const v of values) {
    if (Array.isArray(v)) throw new Error(`${who}: an input mixes arrays and single values.`);
    if (!leaf(v)) throw new Error(`${who}: input holds ${JSON.stringify(v)}, not the values this layer takes.`);
  }
  return { values: values.slice() as T[], shape: [values.length] };
}

export const isString = (v: unknown): v is string => typeof v === 'string';
export const isNumber = (v: unknown): v is number => typeof v === 'number';

/** Numbers from a Tensor or (nested) number arrays of rank 1 or 2. */
export function flattenNumbers(input: unknown, who: string): FlatValues<number> {
  if (input instanceof Tensor) {
    if (input.rank > 2) throw new Error(`${who}: expected an input of rank 1 or 2, received shape ${formatShape(input.shape)}.`);
    return { values: Array.from(input.dataSync()), shape: input.rank === 0 ? [1] : input.shape.slice() };
  }
  return flattenArray(input as readonly number[], who, isNumber);
}
