import { allocArray, checkDType, type DType, firstInt32Misfit, int32MisfitError, type TypedArray } from '../tensor/dtype.js';
import { generatorFor } from '../tensor/random.js';
import { checkShape, formatShape } from '../tensor/shape.js';
import type { NestedArray, Tensor } from '../tensor/tensor.js';
import { fromValues } from './engine.js';

export type TensorInput = number | NestedArray | TypedArray | readonly number[];

/**
 * `capa.tensor(values, shape?, dtype?)`: from a number, nested arrays or a flat typed array.
 * Nested arrays must be rectangular. Typed arrays are copied.
 */
export function tensor(values: TensorInput, shape?: readonly number[], dtype?: DType): Tensor {
  let flat: ArrayLike<number>;
  let inferred: number[];
  if (typeof values === 'number') {
    flat = [values];
    inferred = [];
  } else if (values instanceof Float32Array || values instanceof Int32Array) {
    flat = values;
    inferred = [values.length];
  } else if (ArrayBuffer.isView(values)) {
    flat = values as unknown as ArrayLike<number>;
    inferred = [flat.length];
  } else if (Array.isArray(values)) {
    inferred = inferShape(values);
    flat = flatten(values as NestedArray[], inferred);
  } else {
    throw new Error(`tensor: cannot make a tensor from ${typeof values}.`);
  }
  const finalShape = shape ? [...shape] : inferred;
  const size = checkShape(finalShape, 'tensor');
  if (size !== flat.length) {
    throw new Error(`tensor: ${flat.length} values do not fill shape ${formatShape(finalShape)} (${size} elements).`);
  }
  const dt: DType = dtype ?? (values instanceof Int32Array ? 'int32' : 'float32');
  checkDType(dt, 'tensor');
  const storage = allocArray(dt, flat.length);
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i] as number;
    if (typeof v !== 'number') throw new Error(`tensor: element ${i} is ${typeof v}, expected a number.`);
    storage[i] = v;
  }
  if (dt === 'int32' && !(values instanceof Int32Array)) {
    const bad = firstInt32Misfit(flat);
    if (bad >= 0) throw int32MisfitError('tensor', flat[bad] as number, `element ${bad}`);
  }
  return fromValues(storage, finalShape);
}

function inferShape(values: NestedArray[]): number[] {
  const shape: number[] = [];
  let level: NestedArray = values;
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = level[0] as NestedArray;
    if (level === undefined) break;
  }
  return shape;
}

function flatten(values: NestedArray[], shape: readonly number[]): number[] {
  const out: number[] = [];
  const walk = (v: NestedArray, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (Array.isArray(v)) throw new Error(`tensor: ragged nested array at ${path} (deeper than its siblings).`);
      out.push(v);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      throw new Error(`tensor: ragged nested array at ${path}: expected ${shape[depth]} elements like the first entry.`);
    }
    for (let i = 0; i < v.length; i++) walk(v[i] as NestedArray, depth + 1, `${path}[${i}]`);
  };
  walk(values, 0, 'values');
  return out;
}

export function scalar(value: number, dtype: DType = 'float32'): Tensor {
  return tensor(value, [], dtype);
}

export function fill(shape: readonly number[], value: number, dtype: DType = 'float32'): Tensor {
  const size = checkShape(shape, 'fill');
  checkDType(dtype, 'fill');
  if (dtype === 'int32' && firstInt32Misfit([value]) >= 0) throw int32MisfitError('fill', value, 'the value');
  const values = allocArray(dtype, size);
  if (value !== 0) values.fill(value);
  return fromValues(values, shape);
}

export function zeros(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return fill(shape, 0, dtype);
}

export function ones(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return fill(shape, 1, dtype);
}

export function zerosLike(x: Tensor): Tensor {
  return fill(x.shape, 0, x.dtype);
}

export function onesLike(x: Tensor): Tensor {
  return fill(x.shape, 1, x.dtype);
}

/** 0..n-1 style ranges: `range(start, stop, step)` (stop exclusive). */
export function range(start: number, stop?: number, step = 1, dtype: DType = 'float32'): Tensor {
  const [lo, hi] = stop === undefined ? [0, start] : [start, stop];
  if (step === 0) throw new Error('range: step must not be 0.');
  checkDType(dtype, 'range');
  const n = Math.max(0, Math.ceil((hi - lo) / step));
  const values = allocArray(dtype, n);
  for (let i = 0; i < n; i++) values[i] = lo + i * step;
  return fromValues(values, [n]);
}

export function eye(n: number, dtype: DType = 'float32'): Tensor {
  checkDType(dtype, 'eye');
  const values = allocArray(dtype, n * n);
  for (let i = 0; i < n; i++) values[i * n + i] = 1;
  return fromValues(values, [n, n]);
}

export interface RandomNormalOptions {
  mean?: number;
  stddev?: number;
  seed?: number;
}

export interface RandomUniformOptions {
  minval?: number;
  maxval?: number;
  seed?: number;
}

/** Normal samples; with `seed` the draw is reproducible on its own, else it uses the global stream. */
export function randomNormal(shape: readonly number[], options: RandomNormalOptions = {}): Tensor {
  const size = checkShape(shape, 'randomNormal');
  const { mean = 0, stddev = 1, seed } = options;
  const rng = generatorFor(seed);
  const values = new Float32Array(size);
  for (let i = 0; i < values.length; i++) values[i] = mean + stddev * rng.nextNormal();
  return fromValues(values, shape);
}

/** Normal samples redrawn until within two standard deviations (Keras's TruncatedNormal). */
export function truncatedNormal(shape: readonly number[], options: RandomNormalOptions = {}): Tensor {
  const size = checkShape(shape, 'truncatedNormal');
  const { mean = 0, stddev = 1, seed } = options;
  const rng = generatorFor(seed);
  const values = new Float32Array(size);
  for (let i = 0; i < values.length; i++) {
    let z = rng.nextNormal();
    while (z < -2 || z > 2) z = rng.nextNormal();
    values[i] = mean + stddev * z;
  }
  return fromValues(values, shape);
}

/** Uniform samples in [minval, maxval). */
export function randomUniform(shape: readonly number[], options: RandomUniformOptions = {}): Tensor {
  const size = checkShape(shape, 'randomUniform');
  const { minval = 0, maxval = 1, seed } = options;
  if (!(maxval > minval)) throw new Error(`randomUniform: maxval (${maxval}) must be greater than minval (${minval}).`);
  const rng = generatorFor(seed);
  const values = new Float32Array(size);
  const span = maxval - minval;
  for (let i = 0; i < values.length; i++) values[i] = minval + span * rng.nextFloat();
  return fromValues(values, shape);
}
