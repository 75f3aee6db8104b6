/** Default batch normalization over the last axis of x viewed as [rows, channels], in primitives. */
import type { RequiredPrimitives, Storage } from '../backend.js';
import { allocF32, map, zip } from './elementwise.js';

/** x [rows, C] op v [C], broadcast along rows, into out (fresh when not given). */
function perChannel(
  b: RequiredPrimitives,
  op: 'add' | 'sub' | 'mul',
  x: Storage,
  v: Storage,
  channels: number,
  out: Storage = allocF32(b, b.sizeOf(x)),
): Storage {
  const rows = b.sizeOf(x) / channels;
  b.binary(op, x, [rows, channels], v, [channels], out, [rows, channels]);
  return out;
}

/** 1 / sqrt(variance + epsilon) per channel. */
function inverseStd(b: RequiredPrimitives, variance: Storage, epsilon: number): Storage {
  return map(b, 'rsqrt', zip(b, 'add', variance, epsilon));
}

/** (x - mean) * scale + shift with scale = gamma / sqrt(var + eps): centring first, as the js kernel does. */
function normalize(
  b: RequiredPrimitives,
  x: Storage,
  mean: Storage,
  variance: Storage,
  gamma: Storage | null,
  beta: Storage | null,
  epsilon: number,
  channels: number,
  out: Storage,
): void {
  const inv = inverseStd(b, variance, epsilon);
  const scale = gamma ? zip(b, 'mul', gamma, inv) : inv;
  const scaled = perChannel(b, 'mul', perChannel(b, 'sub', x, mean, channels), scale, channels);
  if (beta) perChannel(b, 'add', scaled, beta, channels, out);
  else b.cast(scaled, out);
}

export function batchNormInference(
  b: RequiredPrimitives,
  x: Storage,
  mean: Storage,
  variance: Storage,
  gamma: Storage | null,
  beta: Storage | null,
  epsilon: number,
  channels: number,
  out: Storage,
): void {
  normalize(b, x, mean, variance, gamma, beta, epsilon, channels, out);
}

export function batchNormTraining(
  b: RequiredPrimitives,
  x: Storage,
  gamma: Storage | null,
  beta: Storage | null,
  epsilon: number,
  channels: number,
  out: Storage,
  mean: Storage,
  variance: Storage,
): void {
  const shape = [b.sizeOf(x) / channels, channels];
  b.reduce('mean', x, shape, [0], mean);
  // biased variance: the mean squared deviation
  const deviation = allocF32(b, b.sizeOf(x));
  b.binary('squaredDifference', x, shape, mean, [channels], deviation, shape);
  b.reduce('mean', deviation, shape, [0], variance);
  normalize(b, x, mean, variance, gamma, beta, epsilon, channels, out);
}

/** dx = gamma / sqrt(var + eps) · (dy - (Σ dy + x̂ · Σ dy·x̂) / rows), x̂ the normalized input. */
export function batchNormGrad(
  b: RequiredPrimitives,
  x: Storage,
  dy: Storage,
  mean: Storage,
  variance: Storage,
  gamma: Storage | null,
  epsilon: number,
  channels: number,
  dx: Storage,
  dGamma: Storage,
  dBeta: Storage,
): void {
  const rows = b.sizeOf(x) / channels;
  const shape = [rows, channels];
  const inv = inverseStd(b, variance, epsilon);
  const xHat = perChannel(b, 'mul', perChannel(b, 'sub', x, mean, channels), inv, channels);
  b.reduce('sum', dy, shape, [0], dBeta);
  b.reduce('sum', zip(b, 'mul', dy, xHat), shape, [0], dGamma);
  const correction = perChannel(b, 'add', perChannel(b, 'mul', xHat, dGamma, channels), dBeta, channels);
  const centered = zip(b, 'sub', dy, map(b, 'affine', correction, 1 / rows, 0));
  perChannel(b, 'mul', centered, gamma ? zip(b, 'mul', gamma, inv) : inv, channels, dx);
}
