/** Element types a Tensor can hold. Comparisons produce int32 0/1 values. */
export type DType = 'float32' | 'int32';

/** Storage of a tensor: always a dense, row-major typed array. */
export type TypedArray = Float32Array | Int32Array;

export function allocArray(dtype: DType, size: number): TypedArray {
  return dtype === 'int32' ? new Int32Array(size) : new Float32Array(size);
}

export function dtypeOfArray(values: TypedArray): DType {
  return values instanceof Int32Array ? 'int32' : 'float32';
}

/** The dtype two operands are computed in: int32 only when both are int32. */
export function upcast(a: DType, b: DType): DType {
  return a === 'int32' && b === 'int32' ? 'int32' : 'float32';
}

/** Throws, naming the op, unless `dtype` is one capa tensors hold (a 'float64' would else be stored as float32). */
export function checkDType(dtype: unknown, op: string): asserts dtype is DType {
  if (dtype !== 'float32' && dtype !== 'int32') {
    throw new Error(
      `${op}: dtype ${JSON.stringify(dtype)} is not supported; capa tensors are 'float32' or 'int32' ` +
        `(convert float64 data with 'float32').`,
    );
  }
}

/**
 * Index of the first value int32 storage cannot hold once truncated toward zero (NaN, ±Infinity,
 * beyond ±2^31), or -1. An Int32Array would silently wrap such a value (NaN and 2^32 become 0).
 */
export function firstInt32Misfit(values: ArrayLike<number>): number {
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!(v > -2147483649 && v < 2147483648)) return i;
  }
  return -1;
}

/** The error for a value int32 cannot hold, naming the op and where the value is. */
export function int32MisfitError(op: string, value: number, where: string): Error {
  return new Error(
    `${op}: ${where} is ${value}, which int32 cannot hold (integers in [-2147483648, 2147483647]); ` +
      'it would wrap to a wrong value.',
  );
}
