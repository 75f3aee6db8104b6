/**
 * Bulk random fills for weight initialization. Drawing a 100M-element kernel through the
 * generator's method calls costs ~20 ns per value; this inlined xoshiro128** (the algorithm of
 * tensor/random.ts, seeded by one draw from that generator so `setSeed` and per-initializer
 * seeds still make every fill reproducible) runs about 4x faster.
 */
import type { RandomGenerator } from '../../tensor/random.js';

/** xoshiro128** state seeded through splitmix32, as tensor/random.ts does. */
function seedState(seed: number): Int32Array {
  let x = seed >>> 0;
  const state = new Int32Array(4);
  for (let i = 0; i < 4; i++) {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    state[i] = (z ^ (z >>> 16)) | 0;
  }
  return state;
}

/** out[i] = minval + (maxval - minval) * u, u uniform in [0, 1). */
export function fillUniformFast(out: Float32Array, minval: number, maxval: number, rng: RandomGenerator): Float32Array {
  const state = seedState(rng.nextSeed());
  let s0 = state[0] as number;
  let s1 = state[1] as number;
  let s2 = state[2] as number;
  let s3 = state[3] as number;
  const scale = (maxval - minval) / 4294967296;
  for (let i = 0; i < out.length; i++) {
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    out[i] = minval + scale * result;
  }
  return out;
}

/**
 * Standard normals by Box-Muller from the same inlined generator; with `truncate`, values
 * outside [-2, 2] are redrawn (TensorFlow's truncated_normal). out[i] = mean + stddev * z.
 */
export function fillNormalFast(
  out: Float32Array,
  mean: number,
  stddev: number,
  truncate: boolean,
  rng: RandomGenerator,
): Float32Array {
  const state = seedState(rng.nextSeed());
  let s0 = state[0] as number;
  let s1 = state[1] as number;
  let s2 = state[2] as number;
  let s3 = state[3] as number;
  const uniform = (): number => {
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    return result / 4294967296;
  };
  let i = 0;
  while (i < out.length) {
    let u = uniform();
    while (u === 0) u = uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    const theta = 2 * Math.PI * uniform();
    const z0 = r * Math.cos(theta);
    const z1 = r * Math.sin(theta);
    if (!truncate || (z0 >= -2 && z0 <= 2)) out[i++] = mean + stddev * z0;
    if (i < out.length && (!truncate || (z1 >= -2 && z1 <= 2))) out[i++] = mean + stddev * z1;
  }
  return out;
}
