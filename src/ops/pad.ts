/** Padding with a constant, or by mirroring the edge (reflect excludes it, symmetric repeats it). */
import { record } from '../autograd/record.js';
import type { PadMode } from '../backend/backend.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { alloc, allocZeros, backendFor, castTo, expectTensor, output } from './engine.js';

export interface PadOptions {
  /** 'constant' (default), 'reflect' or 'symmetric'; TensorFlow's upper-case spellings are accepted. */
  mode?: PadMode | 'CONSTANT' | 'REFLECT' | 'SYMMETRIC';
  constantValue?: number;
}

/** Where padded position i of an axis of length n reads from (-1: the constant). */
function padSource(i: number, n: number, mode: PadMode): number {
  if (i >= 0 && i < n) return i;
  if (mode === 'constant') return -1;
  if (mode === 'reflect') return i < 0 ? -i : 2 * (n - 1) - i;
  return i < 0 ? -i - 1 : 2 * n - 1 - i;
}

/** Pads axis i by paddings[i] = [before, after]. */
export function pad(x: Tensor, paddings: readonly (readonly [number, number])[], options: PadOptions = {}): Tensor {
  expectTensor(x, 'pad');
  const mode = (options.mode ?? 'constant').toLowerCase() as PadMode;
  if (mode !== 'constant' && mode !== 'reflect' && mode !== 'symmetric') {
    throw new Error(`pad: mode must be 'constant', 'reflect' or 'symmetric', received ${JSON.stringify(options.mode)}.`);
  }
  if (!Array.isArray(paddings) || paddings.length !== x.rank) {
    throw new Error(
      `pad: paddings must hold one [before, after] pair per axis of x ${formatShape(x.shape)}, received ${JSON.stringify(paddings)}.`,
    );
  }
  paddings.forEach((p, d) => {
    const n = x.shape[d] as number;
    const limit = mode === 'reflect' ? n - 1 : mode === 'symmetric' ? n : Infinity;
    if (!Array.isArray(p) || p.length !== 2 || p.some((v) => !Number.isInteger(v) || v < 0 || v > limit)) {
      throw new Error(
        `pad: paddings[${d}] = ${JSON.stringify(p)} is invalid for axis ${d} of size ${n} in ${formatShape(x.shape)}` +
          (mode === 'constant' ? ' (need two non-negative integers).' : ` (${mode} mode allows at most ${limit} per side).`),
      );
    }
  });
  const shape = x.shape.map((n, d) => n + (paddings[d] as readonly number[]).reduce((p, v) => p + v, 0));
  const be = backendFor('pad', x);
  const out = alloc(be, x.dtype, shape);
  be.pad(x.storage, x.shape, paddings, mode, options.constantValue ?? 0, out);
  return record('pad', output(be, out, shape, x.dtype), [x], (dy) => {
    let g = castTo(dy, 'float32');
    const bg = backendFor('pad gradient', g);
    // Padding is one gather per axis; its adjoint is one scatterAdd per axis (the constant cells drop out).
    for (let d = x.rank - 1; d >= 0; d--) {
      const [before, after] = paddings[d] as readonly [number, number];
      if (before === 0 && after === 0) continue;
      const n = x.shape[d] as number;
      const outShape = g.shape.map((s, i) => (i === d ? n : s));
      // slice overwrites its output; scatterAdd accumulates into zeros.
      const next = mode === 'constant' ? alloc(bg, 'float32', outShape) : allocZeros(bg, 'float32', outShape);
      if (mode === 'constant') {
        const begin = g.shape.map((_, i) => (i === d ? before : 0));
        bg.slice(
          g.storage,
          g.shape,
          begin,
          outShape,
          outShape.map(() => 1),
          next,
        );
      } else {
        const map = new Int32Array(n + before + after);
        for (let i = 0; i < map.length; i++) map[i] = padSource(i - before, n, mode);
        bg.scatterAdd(g.storage, bg.upload(map), d, next, outShape);
      }
      g = output(bg, next, outShape, 'float32');
    }
    return [g];
  });
}
