/**
 * Keras's dtype names at the model boundary. Layers compute in float32 (capa's kernels); an
 * `Input` may also declare integer or boolean data (token ids, masks), held as int32 tensors.
 * float16 / bfloat16 / float64 are names Keras accepts: capa recognizes them and says why it
 * cannot compute in them, rather than calling them unknown.
 */
import type { DType } from '../../tensor/dtype.js';

/** Integer dtypes Keras accepts for inputs; capa holds them as int32 (values checked on the way in). */
const INTEGER_DTYPES = ['int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32'] as const;
/** Float dtypes (and policies) Keras accepts that capa's float32 kernels cannot compute in. */
const UNSUPPORTED_FLOATS = ['float16', 'bfloat16', 'float64', 'mixed_float16', 'mixed_bfloat16'] as const;

export type InputDType = 'float32' | 'bool' | (typeof INTEGER_DTYPES)[number];
export type KerasFloatName = 'float32' | (typeof UNSUPPORTED_FLOATS)[number];

function floatRefusal(dtype: string, who: string): Error {
  return new Error(
    `${who}: dtype '${dtype}' is a Keras dtype capa cannot compute in: its kernels compute in float32 only. ` +
      "Use dtype 'float32' (the default); weights saved in float16 are converted to float32 on loading.",
  );
}

/** The dtype a layer computes in: float32, or a clear refusal naming the layer. */
export function checkComputeDtype(dtype: unknown, who: string): void {
  if (dtype === undefined || dtype === null || dtype === 'float32') return;
  if (typeof dtype === 'string' && (UNSUPPORTED_FLOATS as readonly string[]).includes(dtype)) throw floatRefusal(dtype, who);
  throw new Error(`${who}: unknown dtype ${JSON.stringify(dtype)}; layers compute in 'float32'.`);
}

/** An Input's declared dtype: float32, an integer dtype or bool; floats capa cannot hold are refused clearly. */
export function checkInputDtype(dtype: unknown, who: string): InputDType {
  if (dtype === undefined || dtype === null) return 'float32';
  if (dtype === 'float32' || dtype === 'bool') return dtype;
  if (typeof dtype === 'string' && (INTEGER_DTYPES as readonly string[]).includes(dtype)) return dtype as InputDType;
  if (typeof dtype === 'string' && (UNSUPPORTED_FLOATS as readonly string[]).includes(dtype)) throw floatRefusal(dtype, who);
  throw new Error(
    `${who}: unknown dtype ${JSON.stringify(dtype)}; an Input takes 'float32', 'bool' or an integer dtype (${INTEGER_DTYPES.join(', ')}).`,
  );
}

/** The tensor dtype holding data of an input dtype. */
export function storageDtype(dtype: InputDType): DType {
  return dtype === 'float32' ? 'float32' : 'int32';
}
