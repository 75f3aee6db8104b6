/**
 * Keras's `pad_sequences`: lists of numbers -> a [n, maxlen] Tensor, padded with `value` and
 * truncated at the start ('pre', the default) or the end ('post'). `maxlen` defaults to the
 * longest sequence. dtype 'int32' (default) or 'float32' (capa's tensor dtypes).
 */
import { Tensor } from '../../tensor/tensor.js';

export interface PadSequencesOptions {
  maxlen?: number | null;
  dtype?: 'int32' | 'float32';
  padding?: 'pre' | 'post';
  truncating?: 'pre' | 'post';
  value?: number;
}

export function padSequences(
  sequences: readonly (readonly number[] | ArrayLike<number>)[],
  options: PadSequencesOptions = {},
): Tensor {
  const who = 'utils.padSequences';
  if (!Array.isArray(sequences))
    throw new Error(`${who}: \`sequences\` must be a list of lists of numbers, received ${typeof sequences}.`);
  const { padding = 'pre', truncating = 'pre', value = 0, dtype = 'int32' } = options;
  for (const [name, v] of [
    ['padding', padding],
    ['truncating', truncating],
  ] as const) {
    if (v !== 'pre' && v !== 'post') throw new Error(`${who}: ${name} type "${String(v)}" not understood; use 'pre' or 'post'.`);
  }
  if (dtype !== 'int32' && dtype !== 'float32')
    throw new Error(`${who}: dtype '${String(dtype)}' is not supported; capa tensors are 'int32' or 'float32'.`);
  if (dtype === 'int32' && !Number.isInteger(value)) {
    throw new Error(
      `${who}: \`dtype\` int32 is not compatible with \`value\`'s type ${value}; use dtype 'float32' to pad with it.`,
    );
  }
  for (const [i, s] of sequences.entries()) {
    if (typeof s !== 'object' || s === null || typeof (s as ArrayLike<number>).length !== 'number') {
      throw new Error(
        `${who}: \`sequences\` must be a list of iterables. Found non-iterable: ${JSON.stringify(s)} at index ${i}.`,
      );
    }
  }
  const maxlen = options.maxlen ?? sequences.reduce((m, s) => Math.max(m, s.length), 0);
  if (!Number.isInteger(maxlen) || maxlen < 0)
    throw new Error(`${who}: \`maxlen\` must be a non-negative integer, received ${maxlen}.`);
  const out = dtype === 'int32' ? new Int32Array(sequences.length * maxlen) : new Float32Array(sequences.length * maxlen);
  out.fill(value);
  for (const [i, s] of sequences.entries()) {
    const n = s.length;
    if (n === 0) continue;
    const keep = Math.min(n, maxlen);
    const from = truncating === 'pre' ? n - keep : 0;
    const at = i * maxlen + (padding === 'post' ? 0 : maxlen - keep);
    for (let j = 0; j < keep; j++) out[at + j] = s[from + j] as number;
  }
  return new Tensor(out, [sequences.length, maxlen]);
}
