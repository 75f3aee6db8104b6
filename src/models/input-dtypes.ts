/**
 * Data entering a model is converted to its Input's declared dtype, as Keras 3's Functional does
 * with `convert_to_tensor(x, dtype=input.dtype)`: integers fed to a float32 input become floats,
 * floats fed to an integer input become integers, anything fed to a bool input becomes 0/1.
 * Unlike a bare cast, a float that is not a whole number is refused for an integer input: it
 * would be truncated into a wrong token id without a word.
 */
import { InputLayer } from '../layers/core/input-layer.js';
import type { SymbolicTensor } from '../layers/engine/symbolic.js';
import * as ops from '../ops/index.js';
import { Tensor } from '../tensor/tensor.js';

export function toInputDtype(x: Tensor, input: SymbolicTensor, modelName: string): Tensor {
  const layer = input.sourceLayer;
  const declared = layer instanceof InputLayer ? layer.inputDtype : 'float32';
  if (declared === 'bool') {
    const values = x.dataSync();
    const out = new Int32Array(values.length);
    for (let i = 0; i < values.length; i++) out[i] = values[i] !== 0 ? 1 : 0;
    return new Tensor(out, x.shape);
  }
  if (x.dtype === input.dtype) return x;
  if (input.dtype === 'int32') {
    const values = x.dataSync();
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      if (!Number.isInteger(v)) {
        throw new Error(
          `Model "${modelName}": input "${layer.name}" has dtype '${declared}', but element ${i} of its data is ${v}, not a whole number.`,
        );
      }
    }
  }
  return ops.cast(x, input.dtype);
}
