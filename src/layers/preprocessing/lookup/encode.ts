/**
 * Keras's `encode_categorical_inputs` (numerical_utils.py): integer ids -> one_hot, multi_hot or
 * count vectors of `depth`. A rank-1 input is one sample for multi_hot/count (output [depth]) and
 * a batch of single ids for one_hot ([n, depth]); a rank-2 input is a batch of samples. Negative
 * ids (dropped mask tokens) are skipped; an id >= depth is refused, naming the layer.
 */
import { Tensor } from '../../../tensor/tensor.js';

export type CategoricalMode = 'one_hot' | 'multi_hot' | 'count';

export function encodeCategorical(
  ids: ArrayLike<number>,
  shape: readonly number[],
  mode: CategoricalMode,
  depth: number,
  who: string,
  weights?: ArrayLike<number>,
): Tensor {
  if (shape.length > 2) {
    throw new Error(`${who}: output_mode '${mode}' takes inputs of rank 1 or 2, received shape [${shape.join(', ')}].`);
  }
  const check = (id: number): void => {
    if (!Number.isInteger(id) || id >= depth) {
      throw new Error(`${who}: input value ${id} is not an integer in [0, ${depth}) (the layer encodes ${depth} categories).`);
    }
  };
  if (mode === 'one_hot') {
    // (batch, 1) is squeezed to (batch,) as Keras does; otherwise one vector per element
    const keep = shape.length === 2 && shape[1] === 1 ? [shape[0] as number] : shape.slice();
    const out = new Float32Array(ids.length * depth);
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] as number;
      if (id < 0) continue;
      check(id);
      out[i * depth + id] = 1;
    }
    return new Tensor(out, [...keep, depth]);
  }
  const rows = shape.length === 2 ? (shape[0] as number) : 1;
  const width = shape.length === 2 ? (shape[1] as number) : ids.length;
  const out = new Float32Array(rows * depth);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < width; c++) {
      const i = r * width + c;
      const id = ids[i] as number;
      if (id < 0) continue;
      check(id);
      if (mode === 'multi_hot') out[r * depth + id] = 1;
      else out[r * depth + id] += weights ? (weights[i] as number) : 1;
    }
  }
  return new Tensor(out, shape.length === 2 ? [rows, depth] : [depth]);
}
