/** Batch normalization over the last axis (channels): the inference form and the training form. */
import { record } from '../autograd/record.js';
import { formatShape } from '../tensor/shape.js';
import type { Storage } from '../tensor/storage.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, mul, neg, sub } from './arithmetic.js';
import { alloc, allocZeros, backendFor, backendForAll, castTo, expectTensor, output } from './engine.js';
import { sum } from './reduce.js';
import { reshape } from './reshape.js';
import { rsqrt } from './unary.js';

/** x's storage as float32 (the op has checked x is on its backend). */
function f32(x: Tensor): Storage {
  return castTo(x, 'float32').storage;
}

function channelsOf(op: string, x: Tensor): number {
  expectTensor(x, op, 'x');
  if (x.rank === 0) throw new Error(`${op}: x must have a channels axis (rank >= 1), received a scalar.`);
  return x.shape[x.rank - 1] as number;
}

/** Per-channel parameters must hold exactly one value per channel, with channels last. */
function expectPerChannel(op: string, name: string, t: Tensor | null, x: Tensor, channels: number): void {
  if (t === null) return;
  expectTensor(t, op, name);
  if (t.size !== channels || (t.rank > 0 && t.shape[t.rank - 1] !== channels)) {
    throw new Error(
      `${op}: ${name} has shape ${formatShape(t.shape)} but x ${formatShape(x.shape)} has ${channels} channels (its last axis).`,
    );
  }
}

/** Axes summed to get per-channel totals (all but the last). */
function batchAxes(x: Tensor): number[] {
  return x.shape.slice(0, -1).map((_, i) => i);
}

/**
 * (x - mean) / sqrt(variance + epsilon) * scale + offset with given statistics (Keras's
 * BatchNormalization at inference). Differentiable with respect to every tensor argument.
 */
export function batchNormalization(
  x: Tensor,
  mean: Tensor,
  variance: Tensor,
  offset: Tensor | null,
  scale: Tensor | null,
  epsilon = 1e-3,
): Tensor {
  const op = 'batchNormalization';
  const channels = channelsOf(op, x);
  expectPerChannel(op, 'mean', mean, x, channels);
  expectPerChannel(op, 'variance', variance, x, channels);
  expectPerChannel(op, 'offset', offset, x, channels);
  expectPerChannel(op, 'scale', scale, x, channels);
  const inputs = [x, mean, variance, ...(offset ? [offset] : []), ...(scale ? [scale] : [])];
  const be = backendForAll(op, inputs);
  const out = alloc(be, 'float32', x.shape);
  be.batchNormInference(
    f32(x),
    f32(mean),
    f32(variance),
    scale ? f32(scale) : null,
    offset ? f32(offset) : null,
    epsilon,
    channels,
    out,
  );
  return record(op, output(be, out, x.shape, 'float32'), inputs, (dy) => {
    const flat = (t: Tensor): Tensor => reshape(t, [channels]);
    const invStd = rsqrt(add(flat(variance), epsilon));
    const gain = scale ? mul(flat(scale), invStd) : invStd;
    const centered = sub(x, flat(mean));
    const axes = batchAxes(x);
    const dyGain = mul(dy, gain);
    const grads: (Tensor | null)[] = [dyGain, reshape(neg(sum(dyGain, axes)), mean.shape)];
    // d/dvar of (x - mean) * gain = -0.5 * (x - mean) * gain / (var + eps)
    const dVar = mul(sum(mul(dy, centered), axes), mul(mul(gain, mul(invStd, invStd)), -0.5));
    grads.push(reshape(dVar, variance.shape));
    if (offset) grads.push(reshape(sum(dy, axes), offset.shape));
    if (scale) grads.push(reshape(sum(mul(dy, mul(centered, invStd)), axes), scale.shape));
    return grads;
  });
}

export interface BatchNormTrainingResult {
  /** The normalized output. */
  y: Tensor;
  /** Batch mean per channel, [channels]. */
  mean: Tensor;
  /** Batch (biased) variance per channel, [channels]. */
  variance: Tensor;
}

/**
 * Normalizes with the statistics of the batch itself, over every axis but the last (Keras's
 * BatchNormalization in training). All three outputs are differentiable with respect to x.
 */
export function batchNormTraining(x: Tensor, gamma: Tensor | null, beta: Tensor | null, epsilon = 1e-3): BatchNormTrainingResult {
  const op = 'batchNormTraining';
  const channels = channelsOf(op, x);
  expectPerChannel(op, 'gamma', gamma, x, channels);
  expectPerChannel(op, 'beta', beta, x, channels);
  const inputs = [x, ...(gamma ? [gamma] : []), ...(beta ? [beta] : [])];
  const be = backendFor(op, x, gamma ?? undefined, beta ?? undefined);
  const input = f32(x);
  const rows = channels === 0 ? 0 : x.size / channels;
  const out = alloc(be, 'float32', x.shape);
  const meanV = alloc(be, 'float32', [channels]);
  const varV = alloc(be, 'float32', [channels]);
  const g = gamma ? f32(gamma) : null;
  be.batchNormTraining(input, g, beta ? f32(beta) : null, epsilon, channels, out, meanV, varV);
  const y = record(op, output(be, out, x.shape, 'float32'), inputs, (dy) => {
    const bg = backendFor(`${op} gradient`, x, dy);
    const dx = alloc(bg, 'float32', x.shape);
    const dGamma = alloc(bg, 'float32', [channels]);
    const dBeta = alloc(bg, 'float32', [channels]);
    bg.batchNormGrad(input, f32(dy), meanV, varV, g, epsilon, channels, dx, dGamma, dBeta);
    const grads: (Tensor | null)[] = [output(bg, dx, x.shape, 'float32')];
    if (gamma) grads.push(output(bg, dGamma, gamma.shape, 'float32'));
    if (beta) grads.push(output(bg, dBeta, beta.shape, 'float32'));
    return grads;
  });
  const meanT = output(be, meanV, [channels], 'float32');
  const mean = record(`${op}.mean`, meanT, [x], (dMean) => {
    const bg = backendFor(`${op} gradient`, dMean);
    return [add(mul(dMean, 1 / rows), output(bg, allocZeros(bg, 'float32', x.shape), x.shape, 'float32'))];
  });
  const variance = record(`${op}.variance`, output(be, varV, [channels], 'float32'), [x], (dVar) => [
    mul(sub(x, meanT), mul(dVar, 2 / rows)),
  ]);
  return { y, mean, variance };
}

export interface LayerNormalizationResult {
  /** The normalized output, shaped like x. */
  y: Tensor;
  /** Each sample's mean over the normalized axes, shaped like x's leading axes. */
  mean: Tensor;
  /** Each sample's 1 / sqrt(variance + epsilon) (biased variance), shaped like x's leading axes. */
  rstd: Tensor;
}

/**
 * Layer normalization: each sample of x normalized over its trailing axes, from `axis` on (the last
 * axis by default), with its own mean and biased variance, then scaled by gamma and shifted by
 * beta, both shaped like those trailing axes (or flat): Keras's LayerNormalization.
 * Differentiable with respect to x, gamma and beta.
 */
export function layerNormalization(
  x: Tensor,
  gamma: Tensor | null,
  beta: Tensor | null,
  epsilon = 1e-3,
  axis = -1,
): LayerNormalizationResult {
  const op = 'layerNormalization';
  expectTensor(x, op, 'x');
  if (x.rank === 0) throw new Error(`${op}: x must have at least one axis to normalize over, received a scalar.`);
  if (!Number.isInteger(axis) || axis < -x.rank || axis >= x.rank) {
    throw new Error(
      `${op}: axis must be an integer in [${-x.rank}, ${x.rank}) for x of shape ${formatShape(x.shape)}, received ${axis}.`,
    );
  }
  if (!(epsilon >= 0) || !Number.isFinite(epsilon))
    throw new Error(`${op}: epsilon must be a finite number >= 0, received ${epsilon}.`);
  const first = axis < 0 ? x.rank + axis : axis;
  const trailing = x.shape.slice(first);
  const leading = x.shape.slice(0, first);
  const cols = trailing.reduce((a, b) => a * b, 1);
  const rows = leading.reduce((a, b) => a * b, 1);
  for (const [name, t] of [
    ['gamma', gamma],
    ['beta', beta],
  ] as const) {
    if (t === null) continue;
    expectTensor(t, op, name);
    const flat = t.rank === 1 && t.shape[0] === cols;
    if (!flat && formatShape(t.shape) !== formatShape(trailing)) {
      throw new Error(
        `${op}: ${name} has shape ${formatShape(t.shape)} but x ${formatShape(x.shape)} is normalized over the axes of shape ${formatShape(trailing)} (from axis ${axis}).`,
      );
    }
  }
  const be = backendFor(op, x, gamma ?? undefined, beta ?? undefined);
  const input = f32(x);
  const g = gamma ? f32(gamma) : null;
  const out = alloc(be, 'float32', x.shape);
  const meanV = alloc(be, 'float32', leading);
  const rstdV = alloc(be, 'float32', leading);
  be.layerNorm(input, g, beta ? f32(beta) : null, epsilon, rows, cols, out, meanV, rstdV);
  const inputs = [x, ...(gamma ? [gamma] : []), ...(beta ? [beta] : [])];
  const y = record(op, output(be, out, x.shape, 'float32'), inputs, (dy) => {
    const bg = backendFor(`${op} gradient`, x, dy);
    const dx = alloc(bg, 'float32', x.shape);
    const dGamma = alloc(bg, 'float32', [cols]);
    const dBeta = alloc(bg, 'float32', [cols]);
    bg.layerNormGrad(input, f32(dy), meanV, rstdV, g, rows, cols, dx, dGamma, dBeta);
    const grads: (Tensor | null)[] = [output(bg, dx, x.shape, 'float32')];
    if (gamma) grads.push(output(bg, dGamma, gamma.shape, 'float32'));
    if (beta) grads.push(output(bg, dBeta, beta.shape, 'float32'));
    return grads;
  });
  return { y, mean: output(be, meanV, leading, 'float32'), rstd: output(be, rstdV, leading, 'float32') };
}
