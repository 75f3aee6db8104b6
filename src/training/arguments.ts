/**
 * Checks of the arguments fit / evaluate / predict receive before anything else, so a wrong call
 * (`fit(null)`, `fit(x, null)`) gets an error that says what the method takes instead of a
 * TypeError from deep inside.
 */
import { Tensor } from '../tensor/tensor.js';
import { isPlainRecord } from './array-data.js';
import { isDataIterator } from './batch-source.js';

/** How a wrong argument is named in messages: `null`, `undefined`, `an array`, `a string`, `an object`. */
export function describeArgument(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** Refuses an x that is neither Tensors nor a data iterator; `usage` shows how `where` is called. */
export function checkDataArgument(x: unknown, where: string, usage: string): void {
  if (x instanceof Tensor || Array.isArray(x) || ArrayBuffer.isView(x) || isDataIterator(x)) return;
  if (isPlainRecord(x) && Object.keys(x).length > 0) return;
  throw new Error(
    `${where}: x must be a Tensor, a list of Tensors (one per model input), a record of them by input name or a data iterator yielding batches (nested arrays and typed arrays stand for Tensors); received ${describeArgument(x)}. Call ${usage}.`,
  );
}

/** The options object (an empty one when omitted); refuses anything else. */
export function optionsObject<T extends object>(options: T | undefined, where: string, usage: string): T {
  if (options === undefined) return {} as T;
  if (options === null || typeof options !== 'object' || Array.isArray(options) || options instanceof Tensor) {
    throw new Error(`${where}: the options must be an object; received ${describeArgument(options)}. Call ${usage}.`);
  }
  return options;
}
