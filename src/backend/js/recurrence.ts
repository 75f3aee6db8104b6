/**
 * What the recurrent kernels (lstm.ts, gru.ts, simple-rnn.ts) share: the step-to-time order, the
 * mask, and the outputs and output gradients of a step. Layouts are those of `RnnInfo` (backend.ts).
 */
import type { RnnInfo } from '../backend.js';
import { packPanels } from './gemm.js';

/** The time index step s reads (steps run backwards with goBackwards). */
export function timeOf(info: RnnInfo, s: number): number {
  return info.goBackwards ? info.steps - 1 - s : s;
}

/** Per row of the batch: whether time t is kept (always, without a mask). */
export function keptRows(mask: Float32Array | null, info: RnnInfo, t: number, out: Uint8Array): Uint8Array {
  for (let b = 0; b < info.batch; b++) out[b] = mask === null || mask[b * info.steps + t] !== 0 ? 1 : 0;
  return out;
}

/**
 * sequences[:, s] = the state after step s (hStates[s + 1]: the new h where kept, the carried h, which
 * is the previous output, where masked), or zeros on masked rows with zeroOutputForMask.
 */
export function writeOutput(info: RnnInfo, hStates: Float32Array, s: number, keep: Uint8Array, sequences: Float32Array): void {
  const { batch, steps, units } = info;
  for (let b = 0; b < batch; b++) {
    const dst = (b * steps + s) * units;
    if (keep[b] === 0 && info.zeroOutputForMask) sequences.fill(0, dst, dst + units);
    else {
      const src = ((s + 1) * batch + b) * units;
      sequences.set(hStates.subarray(src, src + units), dst);
    }
  }
}

/** dh += dSequences[:, s], step s's output (a zeroed output of a masked row passes no gradient). */
export function addOutputGrad(info: RnnInfo, dSequences: Float32Array, s: number, keep: Uint8Array, dh: Float32Array): void {
  const { batch, steps, units } = info;
  for (let b = 0; b < batch; b++) {
    if (keep[b] === 0 && info.zeroOutputForMask) continue;
    const src = (b * steps + s) * units;
    const o = b * units;
    for (let j = 0; j < units; j++) dh[o + j] = (dh[o + j] as number) + (dSequences[src + j] as number);
  }
}

/** A masked row's state passed through the step unchanged, so its gradient does too: dst[b] = carried[b]. */
export function carryMaskedRows(keep: Uint8Array, units: number, carried: Float32Array, dst: Float32Array): void {
  for (let b = 0; b < keep.length; b++) {
    if (keep[b] === 0) dst.set(carried.subarray(b * units, (b + 1) * units), b * units);
  }
}

/** Copies x[:, t] of x [batch, steps, width] from / to a step-major row block at `offset` ([batch, width]). */
export function scatterStep(
  info: RnnInfo,
  width: number,
  src: Float32Array,
  srcOffset: number,
  t: number,
  dst: Float32Array,
): void {
  const { batch, steps } = info;
  for (let b = 0; b < batch; b++) {
    const from = srcOffset + b * width;
    dst.set(src.subarray(from, from + width), (b * steps + t) * width);
  }
}

/**
 * Columns [first, first + width) of the recurrent kernel R [units, ld], packed once as the right
 * operand of the forward products h·R (`gemm`'s packedB).
 */
export function packKernel(recurrentKernel: Float32Array, units: number, ld: number, first = 0, width = ld): Float32Array {
  return packPanels(recurrentKernel, first, width, units, true, undefined, ld);
}

/** The same columns packed as the right operand of the backward products dGates·Rᵀ. */
export function packKernelTransposed(
  recurrentKernel: Float32Array,
  units: number,
  ld: number,
  first = 0,
  width = ld,
): Float32Array {
  return packPanels(recurrentKernel, first, units, width, false, undefined, ld);
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}
