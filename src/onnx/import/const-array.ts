/**
 * Values the importer knows while it reads the graph: initializers, Constant outputs and the
 * shape arithmetic folded from them. Elements are held as float64 so int64 shape values (up to
 * 2^53) and float32 weights fit one representation; `dtype` says what ONNX called them.
 */
export type ConstDType = 'float' | 'int' | 'bool';

export interface ConstArray {
  readonly dims: readonly number[];
  readonly data: Float64Array;
  readonly dtype: ConstDType;
}

export function constArray(dims: readonly number[], data: ArrayLike<number>, dtype: ConstDType): ConstArray {
  const size = sizeOfDims(dims);
  if (data.length !== size) {
    throw new Error(`a constant of shape [${dims.join(', ')}] needs ${size} values, received ${data.length}`);
  }
  return { dims: dims.slice(), data: data instanceof Float64Array ? data : Float64Array.from(data), dtype };
}

export function sizeOfDims(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** The values as plain numbers (shape operands: axes, pads, target shapes). */
export function constValues(c: ConstArray): number[] {
  return Array.from(c.data);
}

export function toFloat32(c: ConstArray): Float32Array {
  return Float32Array.from(c.data);
}

/** Row-major strides of a shape. */
export function stridesOf(dims: readonly number[]): number[] {
  const strides = new Array<number>(dims.length).fill(1);
  for (let i = dims.length - 2; i >= 0; i--) strides[i] = (strides[i + 1] as number) * (dims[i + 1] as number);
  return strides;
}

/** NumPy broadcasting of two shapes; null when they do not broadcast. */
export function broadcastDims(a: readonly number[], b: readonly number[]): number[] | null {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return null;
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** The flat index into `dims` (right-aligned, broadcast) of each element of `target`. */
export function broadcastIndex(dims: readonly number[], target: readonly number[]): Int32Array {
  const size = sizeOfDims(target);
  const out = new Int32Array(size);
  const offset = target.length - dims.length;
  const strides = stridesOf(dims);
  const index = new Array<number>(target.length).fill(0);
  for (let flat = 0; flat < size; flat++) {
    let src = 0;
    for (let i = 0; i < dims.length; i++)
      if ((dims[i] as number) !== 1) src += (index[i + offset] as number) * (strides[i] as number);
    out[flat] = src;
    for (let axis = target.length - 1; axis >= 0; axis--) {
      index[axis] = (index[axis] as number) + 1;
      if ((index[axis] as number) < (target[axis] as number)) break;
      index[axis] = 0;
    }
  }
  return out;
}

/** Transposes a constant: output axis i is input axis perm[i]. */
export function transposeConst(c: ConstArray, perm: readonly number[]): ConstArray {
  const dims = perm.map((p) => c.dims[p] as number);
  if (dims.length === 2 && perm[0] === 1) {
    // Dense kernels (the biggest weights): a plain 2-D transpose.
    const [rows, cols] = c.dims as [number, number];
    const out = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++) for (let k = 0; k < cols; k++) out[k * rows + r] = c.data[r * cols + k] as number;
    return { dims, data: out, dtype: c.dtype };
  }
  const inStrides = stridesOf(c.dims);
  const size = c.data.length;
  const out = new Float64Array(size);
  const index = new Array<number>(dims.length).fill(0);
  for (let flat = 0; flat < size; flat++) {
    let src = 0;
    for (let i = 0; i < dims.length; i++) src += (index[i] as number) * (inStrides[perm[i] as number] as number);
    out[flat] = c.data[src] as number;
    for (let axis = dims.length - 1; axis >= 0; axis--) {
      index[axis] = (index[axis] as number) + 1;
      if ((index[axis] as number) < (dims[axis] as number)) break;
      index[axis] = 0;
    }
  }
  return { dims, data: out, dtype: c.dtype };
}
