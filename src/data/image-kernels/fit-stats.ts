/**
 * The data-dependent statistics of `ImageDataGenerator.fit`: per-channel mean and standard
 * deviation, and the ZCA whitening matrix. Pure TypeScript, float64 accumulation.
 */
import { symmetricEigen } from '../linalg/symmetric-eigen.js';

const f32 = Math.fround;

/** Per-channel mean over all samples and pixels of channels-last data. */
export function channelMean(x: Float32Array, channels: number): Float32Array {
  const sums = new Float64Array(channels);
  for (let i = 0; i < x.length; i++) sums[i % channels] = (sums[i % channels] as number) + (x[i] as number);
  const count = x.length / channels;
  return Float32Array.from(sums, (s) => s / count);
}

/** Per-channel population standard deviation (NumPy's np.std, ddof 0). */
export function channelStd(x: Float32Array, channels: number): Float32Array {
  const mean = channelMean(x, channels);
  const sq = new Float64Array(channels);
  for (let i = 0; i < x.length; i++) {
    const c = i % channels;
    sq[c] = (sq[c] as number) + ((x[i] as number) - (mean[c] as number)) ** 2;
  }
  const count = x.length / channels;
  return Float32Array.from(sq, (s) => Math.sqrt(s / count));
}

export function subtractChannels(x: Float32Array, v: Float32Array): void {
  const c = v.length;
  for (let i = 0; i < x.length; i++) x[i] = (x[i] as number) - (v[i % c] as number);
}

export function divideChannels(x: Float32Array, std: Float32Array): void {
  const c = std.length;
  const d = Float32Array.from(std, (s) => f32(s + f32(1e-6)));
  for (let i = 0; i < x.length; i++) x[i] = (x[i] as number) / (d[i % c] as number);
}

/**
 * Keras's ZCA matrix for n flattened samples of d values: with U, s the left singular vectors and
 * values of X^T, `U diag(sqrt(n) / (s + eps)) U^T`. Computed from the eigen-decomposition of the
 * smaller of X^T X (d x d) and X X^T (n x n); in the second case the directions with zero singular
 * value (which SVD fills with arbitrary vectors) are left out.
 */
export function zcaMatrix(x: Float32Array, n: number, d: number, epsilon: number): Float64Array {
  const zca = new Float64Array(d * d);
  const scaleFor = (s: number): number => Math.sqrt(n) / (s + epsilon);
  if (d <= n) {
    const c = new Float64Array(d * d);
    for (let k = 0; k < n; k++) {
      const row = k * d;
      for (let i = 0; i < d; i++) {
        const xi = x[row + i] as number;
        if (xi === 0) continue;
        for (let j = i; j < d; j++) c[i * d + j] = (c[i * d + j] as number) + xi * (x[row + j] as number);
      }
    }
    for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) c[i * d + j] = c[j * d + i] as number;
    const { values, vectors } = symmetricEigen(c, d);
    for (let k = 0; k < d; k++) {
      const w = scaleFor(Math.sqrt(Math.max(values[k] as number, 0)));
      for (let i = 0; i < d; i++) {
        const ui = (vectors[i * d + k] as number) * w;
        if (ui === 0) continue;
        for (let j = 0; j < d; j++) zca[i * d + j] = (zca[i * d + j] as number) + ui * (vectors[j * d + k] as number);
      }
    }
    return zca;
  }
  const g = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    for (let b = a; b < n; b++) {
      let s = 0;
      for (let i = 0; i < d; i++) s += (x[a * d + i] as number) * (x[b * d + i] as number);
      g[a * n + b] = s;
      g[b * n + a] = s;
    }
  }
  const { values, vectors } = symmetricEigen(g, n);
  const maxValue = Math.max(...values, 0);
  const u = new Float64Array(d);
  for (let k = 0; k < n; k++) {
    const lambda = values[k] as number;
    if (!(lambda > maxValue * 1e-12)) continue;
    const s = Math.sqrt(lambda);
    u.fill(0);
    for (let a = 0; a < n; a++) {
      const v = (vectors[a * n + k] as number) / s;
      for (let i = 0; i < d; i++) u[i] = (u[i] as number) + v * (x[a * d + i] as number);
    }
    const w = scaleFor(s);
    for (let i = 0; i < d; i++) {
      const ui = (u[i] as number) * w;
      for (let j = 0; j < d; j++) zca[i * d + j] = (zca[i * d + j] as number) + ui * (u[j] as number);
    }
  }
  return zca;
}
