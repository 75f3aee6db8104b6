/** Orthogonal and Identity initializers (matrices), with Keras's formulas. */

import { generatorFor } from '../../tensor/random.js';
import { formatShape, sizeOf } from '../../tensor/shape.js';
import type { ConfigDict } from '../engine/config.js';
import { Initializer } from './initializer.js';

/**
 * Keras's Orthogonal: QR of a normal matrix of shape (max(rows, cols), min(rows, cols)), Q's
 * columns signed by diag(R), transposed when rows < cols, times `gain`. rows = prod(shape[:-1]).
 */
export class Orthogonal extends Initializer {
  readonly className = 'Orthogonal';
  readonly gain: number;
  readonly seed: number | null;

  constructor(args: { gain?: number; seed?: number | null } = {}) {
    super();
    this.gain = args.gain ?? 1;
    this.seed = args.seed ?? null;
  }

  generate(shape: readonly number[]): Float32Array {
    if (shape.length < 2) {
      throw new Error(`Orthogonal: the initializer needs a shape of rank >= 2, received ${formatShape(shape)}.`);
    }
    const cols = shape[shape.length - 1] as number;
    const rows = sizeOf(shape) / cols;
    const m = Math.max(rows, cols);
    const n = Math.min(rows, cols);
    const rng = generatorFor(this.seed ?? undefined);
    // a is m x n, column-major columns for Gram-Schmidt in float64.
    const q: Float64Array[] = [];
    const a: Float64Array[] = Array.from({ length: n }, () => new Float64Array(m));
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) (a[j] as Float64Array)[i] = rng.nextNormal();
    for (let j = 0; j < n; j++) {
      const v = (a[j] as Float64Array).slice();
      // Modified Gram-Schmidt, twice for stability; r_jj is the norm left over.
      for (let pass = 0; pass < 2; pass++) {
        for (const u of q) {
          let dot = 0;
          for (let i = 0; i < m; i++) dot += (u[i] as number) * (v[i] as number);
          for (let i = 0; i < m; i++) v[i] = (v[i] as number) - dot * (u[i] as number);
        }
      }
      let norm = 0;
      for (let i = 0; i < m; i++) norm += (v[i] as number) ** 2;
      norm = Math.sqrt(norm);
      // Gram-Schmidt gives R with a positive diagonal, which is Q * sign(diag(R)) in Keras's terms.
      for (let i = 0; i < m; i++) v[i] = norm > 0 ? (v[i] as number) / norm : 0;
      q.push(v);
    }
    const out = new Float32Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        // q is m x n (stored by column); when rows < cols the result is q transposed.
        const value = rows >= cols ? (q[c] as Float64Array)[r] : (q[r] as Float64Array)[c];
        out[r * cols + c] = this.gain * (value as number);
      }
    }
    return out;
  }

  getConfig(): ConfigDict {
    return { gain: this.gain, seed: this.seed };
  }
}

/** gain * I for 2-D shapes (Keras's Identity / IdentityInitializer). */
export class Identity extends Initializer {
  readonly className = 'Identity';
  readonly gain: number;

  constructor(args: { gain?: number } = {}) {
    super();
    this.gain = args.gain ?? 1;
  }

  generate(shape: readonly number[]): Float32Array {
    if (shape.length !== 2) {
      throw new Error(`Identity: the initializer can only be used for 2D matrices, received shape ${formatShape(shape)}.`);
    }
    const [r, c] = shape as [number, number];
    const out = new Float32Array(r * c);
    for (let i = 0; i < Math.min(r, c); i++) out[i * c + i] = this.gain;
    return out;
  }

  getConfig(): ConfigDict {
    return { gain: this.gain };
  }
}
