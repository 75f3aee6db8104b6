/** Gradient clipping with float64 norms (Keras's clipnorm, global_clipnorm and clipvalue). */

function sumOfSquares(g: Float32Array): number {
  let s = 0;
  for (let i = 0; i < g.length; i++) s += (g[i] as number) * (g[i] as number);
  return s;
}

/** out = g * factor, or a copy of g when the norm is within bounds (factor 1 exactly). */
function scaleInto(g: Float32Array, norm: number, maxNorm: number, out: Float32Array): void {
  if (!(norm > maxNorm)) {
    if (out !== g) out.set(g);
    return;
  }
  const factor = maxNorm / norm;
  for (let i = 0; i < g.length; i++) out[i] = (g[i] as number) * factor;
}

export function clipByValue(grad: Float32Array, clipValue: number, out: Float32Array): void {
  const c = clipValue;
  for (let i = 0; i < grad.length; i++) {
    const x = grad[i] as number;
    out[i] = x > c ? c : x < -c ? -c : x;
  }
}

export function clipByNorm(grad: Float32Array, maxNorm: number, out: Float32Array): void {
  scaleInto(grad, Math.sqrt(sumOfSquares(grad)), maxNorm, out);
}

export function clipByGlobalNorm(grads: readonly Float32Array[], maxNorm: number, outs: readonly Float32Array[]): void {
  let total = 0;
  for (const g of grads) total += sumOfSquares(g);
  // tf.clip_by_global_norm: scale = c * min(1 / norm, 1 / c)
  const norm = Math.sqrt(total);
  for (const [i, g] of grads.entries()) scaleInto(g, norm, maxNorm, outs[i] as Float32Array);
}
