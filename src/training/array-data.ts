/**
 * The data fit / evaluate / predict take, as Keras users pass it: Tensors, plain nested arrays
 * and TypedArrays (where Keras users pass NumPy arrays), one per model input or output, as a list
 * or as a record keyed by the model's input / output names (Keras's dicts). Everything becomes a
 * list of Tensors in the model's order; the dtype is then matched to each Input by the model.
 */
import type { SymbolicShape } from '../layers/engine/symbolic.js';
import { tensor } from '../ops/creation.js';
import { formatShape } from '../tensor/shape.js';
import { type NestedArray, Tensor } from '../tensor/tensor.js';
import { describeArgument } from './arguments.js';

/** A JavaScript typed array (a NumPy array's flat data). */
export type NumericArray =
  | Float32Array
  | Float64Array
  | Int32Array
  | Int16Array
  | Int8Array
  | Uint32Array
  | Uint16Array
  | Uint8Array
  | Uint8ClampedArray;

/** One array of data: a Tensor, a nested array of numbers (or booleans), or a typed array. */
export type ArrayData = Tensor | NumericArray | NestedBooleanOrNumber[];
type NestedBooleanOrNumber = number | boolean | NestedBooleanOrNumber[];

/** Data for one or several model inputs (outputs): one array, a list, or a record by name. */
export type StructuredData = ArrayData | ArrayData[] | Readonly<Record<string, ArrayData>>;

/** What the data is matched against: the model's input (output) names and, for inputs, shapes. */
export interface DataSlots {
  /** Whose names these are, for messages. */
  role: 'inputs' | 'outputs';
  names: readonly string[];
  /** Shapes (batch axis first) that a flat typed array is reshaped to when they are fully known. */
  shapes?: readonly SymbolicShape[];
}

function isTypedArray(value: unknown): value is NumericArray {
  return ArrayBuffer.isView(value) && !(value instanceof DataView);
}

/** Whether a value is a record of arrays (not a Tensor, array, typed array or iterator). */
export function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Tensor || isTypedArray(value))
    return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * A record whose keys are all among `names` (the model's output or input names): data by name,
 * not an options object (`fit(xDict, yDict)`).
 */
export function isDataRecordFor(value: unknown, names: readonly string[]): boolean {
  if (!isPlainRecord(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => names.includes(k));
}

/** Converts the data to one Tensor per slot, in slot order, naming `what` and `where` in errors. */
export function structuredToTensors(value: unknown, what: string, where: string, slots?: DataSlots): Tensor[] {
  if (isPlainRecord(value)) return recordToTensors(value, what, where, slots);
  // A list holding Tensors or typed arrays is one array per input, and so is a list of one nested
  // array per input of a model with several; otherwise a nested array of numbers is one array.
  const slotCount = slots?.names.length ?? 0;
  const isList =
    Array.isArray(value) &&
    (value.some((v) => v instanceof Tensor || isTypedArray(v) || isPlainRecord(v)) ||
      (slotCount > 1 && value.length === slotCount && value.every((v) => Array.isArray(v))));
  const list: unknown[] = isList ? (value as unknown[]) : [value];
  if (Array.isArray(value) && value.length === 0) throw new Error(`${where}: ${what} is an empty list.`);
  return list.map((v, i) => toTensor(v, list.length > 1 ? `${what}[${i}]` : what, where, slots?.shapes?.[i]));
}

function recordToTensors(record: Record<string, unknown>, what: string, where: string, slots?: DataSlots): Tensor[] {
  const names = slots?.names ?? [];
  const keys = Object.keys(record);
  const unknown = keys.filter((k) => !names.includes(k));
  if (names.length === 0 || unknown.length > 0) {
    throw new Error(
      `${where}: ${what} is a record with keys [${keys.map((k) => `'${k}'`).join(', ')}], but ${unknown.length > 0 && names.length > 0 ? `[${unknown.map((k) => `'${k}'`).join(', ')}] ${unknown.length === 1 ? 'is not a name' : 'are not names'} of the model's ${slots?.role ?? 'inputs'}; expected keys: [${names.map((n) => `'${n}'`).join(', ')}]` : "the model's names are not known yet (build the model first)"}.`,
    );
  }
  const missing = names.filter((n) => !(n in record));
  if (missing.length > 0) {
    throw new Error(
      `${where}: ${what} has no data for [${missing.map((n) => `'${n}'`).join(', ')}]; the model expects keys [${names.map((n) => `'${n}'`).join(', ')}].`,
    );
  }
  return names.map((n, i) => toTensor(record[n], `${what}['${n}']`, where, slots?.shapes?.[i]));
}

function toTensor(value: unknown, label: string, where: string, shape?: SymbolicShape): Tensor {
  let t: Tensor;
  if (value instanceof Tensor) t = value;
  else if (value instanceof BigInt64Array || value instanceof BigUint64Array) {
    throw new Error(`${where}: ${label} is a 64-bit integer array; pass an Int32Array or a Float32Array.`);
  } else if (isTypedArray(value)) t = fromTypedArray(value, label, where, shape);
  else if (Array.isArray(value)) t = fromNested(value, label, where);
  else {
    throw new Error(
      `${where}: ${label} must be a Tensor, received ${describeArgument(value)}; pass a Tensor, a nested array of numbers or a typed array (Float32Array, Int32Array, ...).`,
    );
  }
  if (t.rank === 0) throw new Error(`${where}: ${label} must have a batch axis; received a scalar.`);
  return t;
}

/**
 * A typed array is flat: it is one value per sample, or, when the model input's shape is fully
 * known, reshaped to [samples, ...that shape] (a NumPy array would carry that shape itself).
 */
function fromTypedArray(values: NumericArray, label: string, where: string, shape?: SymbolicShape): Tensor {
  const integer = !(values instanceof Float32Array || values instanceof Float64Array);
  const copy = integer ? Int32Array.from(values) : Float32Array.from(values);
  const rowShape = shape?.slice(1) ?? [];
  const known = rowShape.every((d): d is number => typeof d === 'number');
  const rowSize = known ? (rowShape as number[]).reduce((p, d) => p * d, 1) : 1;
  if (!known || rowShape.length === 0) {
    return new Tensor(copy, [copy.length]);
  }
  if (rowSize === 0 || copy.length % rowSize !== 0) {
    throw new Error(
      `${where}: ${label} is a flat typed array of ${copy.length} values, which does not split into samples of shape ${formatShape(rowShape as number[])} (${rowSize} values each); pass a Tensor with its shape.`,
    );
  }
  return new Tensor(copy, [copy.length / rowSize, ...(rowShape as number[])]);
}

function fromNested(values: unknown[], label: string, where: string): Tensor {
  let sawBoolean = false;
  const walk = (v: unknown): NestedArray => {
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === 'boolean') {
      sawBoolean = true;
      return v ? 1 : 0;
    }
    return v as NestedArray;
  };
  const numbers = walk(values) as NestedArray[];
  try {
    return tensor(numbers, undefined, sawBoolean ? 'int32' : undefined);
  } catch (e) {
    throw new Error(`${where}: ${label} cannot be read as an array: ${(e as Error).message}`);
  }
}
