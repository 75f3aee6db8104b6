/** `utils.toCategorical(y, numClasses?)`: Keras's to_categorical, integer class labels to one-hot rows. */
import { Tensor } from '../tensor/tensor.js';

/**
 * One-hot float32 rows for integer labels: shape = labels' shape (a trailing axis of 1 dropped)
 * + [numClasses]. numClasses defaults to the largest label + 1.
 */
export function toCategorical(y: Tensor | ArrayLike<number>, numClasses?: number): Tensor {
  const values: ArrayLike<number> = y instanceof Tensor ? y.dataSync() : y;
  let shape = y instanceof Tensor ? y.shape.slice() : [values.length];
  if (shape.length > 1 && shape[shape.length - 1] === 1) shape = shape.slice(0, -1);
  let max = -1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isInteger(v) || v < 0) {
      throw new Error(`toCategorical: labels must be non-negative integers; found ${v} at index ${i}.`);
    }
    if (v > max) max = v;
  }
  const classes = numClasses ?? max + 1;
  if (!Number.isInteger(classes) || classes < 1)
    throw new Error(`toCategorical: numClasses must be a positive integer, received ${numClasses}.`);
  if (max >= classes) {
    throw new Error(`toCategorical: label ${max} does not fit numClasses=${classes}; labels must be in [0, ${classes}).`);
  }
  const out = new Float32Array(values.length * classes);
  for (let i = 0; i < values.length; i++) out[i * classes + (values[i] as number)] = 1;
  return new Tensor(out, [...shape, classes]);
}
