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
