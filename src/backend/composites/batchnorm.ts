/** Default batch normalization over the last axis of x viewed as [rows, channels], in primitives. */
import type { RequiredPrimitives } from '../backend.js';
import { allocF32, lengthOf, map, zip } from './elementwise.js';

/** x [rows, C] op v [C], broadcast along rows, into out (fresh when not given). */
function perChannel(
  b: RequiredPrimitives,
  op: 'add' | 'sub' | 'mul',
  x: Float32Array,
  v: Float32Array,
  channels: number,
  out: Float32Array = allocF32(b, lengthOf(x)),
): Float32Array {
  const rows = lengthOf(x) / channels;
  b.binary(op, x, [rows, channels], v, [channels], out, [rows, channels]);
  return out;
}

/** 1 / sqrt(variance + epsilon) per channel. */
function inverseStd(b: RequiredPrimitives, variance: Float32Array, epsilon: number): Float32Array {
  return map(b, 'rsqrt', zip(b, 'add', variance, epsilon));
}

/** (x - mean) * scale + shift with scale = gamma / sqrt(var + eps): centring first, as the js kernel does. */
function normalize(
  b: RequiredPrimitives,
  x: Float32Array,
  mean: Float32Array,
  variance: Float32Array,
  gamma: Float32Array | null,
  beta: Float32Array | null,
  epsilon: number,
  channels: number,
  out: Float32Array,
): void {
  const inv = inverseStd(b, variance, epsilon);
  const scale = gamma ? zip(b, 'mul', gamma, inv) : inv;
  const scaled = perChannel(b, 'mul', perChannel(b, 'sub', x, mean, channels), scale, channels);
  if (beta) perChannel(b, 'add', scaled, beta, channels, out);
  else b.cast(scaled, out);
}

export function batchNormInference(
  b: RequiredPrimitives,
  x: Float32Array,
  mean: Float32Array,
  variance: Float32Array,
  gamma: Float32Array | null,
  beta: Float32Array | null,
  epsilon: number,
  channels: number,
  out: Float32Array,
): void {
  normalize(b, x, mean, variance, gamma, beta, epsilon, channels, out);
}

export function batchNormTraining(
  b: RequiredPrimitives,
  x: Float32Array,
  gamma: Float32Array | null,
  beta: Float32Array | null,
  epsilon: number,
  channels: number,
  out: Float32Array,
  mean: Float32Array,
  variance: Float32Array,
): void {
  const shape = [lengthOf(x) / channels, channels];
  b.reduce('mean', x, shape, [0], mean);
  // biased variance: the mean squared deviation
  const deviation = allocF32(b, lengthOf(x));
  b.binary('squaredDifference', x, shape, mean, [channels], deviation, shape);
  b.reduce('mean', deviation, shape, [0], variance);
  normalize(b, x, mean, variance, gamma, beta, epsilon, channels, out);
}

/** dx = gamma / sqrt(var + eps) · (dy - (Σ dy + x̂ · Σ dy·x̂) / rows), x̂ the normalized input. */
export function batchNormGrad(
  b: RequiredPrimitives,
  x: Float32Array,
  dy: Float32Array,
  mean: Float32Array,
  variance: Float32Array,
  gamma: Float32Array | null,
  epsilon: number,
  channels: number,
  dx: Float32Array,
  dGamma: Float32Array,
  dBeta: Float32Array,
): void {
  const rows = lengthOf(x) / channels;
  const shape = [rows, channels];
  const inv = inverseStd(b, variance, epsilon);
  const xHat = perChannel(b, 'mul', perChannel(b, 'sub', x, mean, channels), inv, channels);
  b.reduce('sum', dy, shape, [0], dBeta);
  b.reduce('sum', zip(b, 'mul', dy, xHat), shape, [0], dGamma);
  const correction = perChannel(b, 'add', perChannel(b, 'mul', xHat, dGamma, channels), dBeta, channels);
  const centered = zip(b, 'sub', dy, map(b, 'affine', correction, 1 / rows, 0));
  perChannel(b, 'mul', centered, gamma ? zip(b, 'mul', gamma, inv) : inv, channels, dx);
}
