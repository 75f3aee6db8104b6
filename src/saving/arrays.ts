/** Conversions between file arrays (HDF5 datasets) and capa tensors. */
import { Tensor, type Variable } from '../tensor/tensor.js';
import { SavingError } from './errors.js';
import type { H5Array } from './hdf5/h5-reader.js';
import type { H5WritableArray } from './hdf5/h5-writer.js';

/** A stored array as a tensor of the variable's dtype (float32, or int32 for integer data such as step counters). */
export function tensorFromH5(array: H5Array, dtype: 'float32' | 'int32', label: string, where: string): Tensor {
  const { data } = array;
  const n = data.length;
  if (dtype === 'int32') {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = Number(data[i]);
    return new Tensor(out, array.shape);
  }
  if (data instanceof Float32Array) return new Tensor(data, array.shape);
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
    throw new SavingError(label, `${where} holds 64-bit integers where float values are expected.`);
  }
  return new Tensor(Float32Array.from(data as ArrayLike<number>), array.shape);
}

/** A variable's values for an HDF5 dataset (float32 as is; int32 widened to int64 when `int64`). */
export function h5FromVariable(variable: Variable, int64 = false): H5WritableArray {
  const values = variable.dataSync();
  if (values instanceof Int32Array && int64) return { shape: variable.shape, data: BigInt64Array.from(values, (v) => BigInt(v)) };
  return { shape: variable.shape, data: values.slice() };
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
