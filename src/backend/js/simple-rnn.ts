/** SimpleRNN over a whole sequence and its backpropagation through time, in plain loops. */
import type { RnnActivation, RnnInfo } from '../backend.js';
import { gemm } from './gemm.js';
import {
  addOutputGrad,
  carryMaskedRows,
  keptRows,
  packKernel,
  packKernelTransposed,
  scatterStep,
  timeOf,
  writeOutput,
} from './recurrence.js';

export function simpleRnnSequence(
  xProj: Float32Array,
  recurrentKernel: Float32Array,
  h0: Float32Array,
  mask: Float32Array | null,
  info: RnnInfo,
  activation: RnnActivation,
  sequences: Float32Array,
  hStates: Float32Array,
): void {
  const { batch, steps, units } = info;
  const stateSize = batch * units;
  hStates.set(h0.subarray(0, stateSize), 0);
  const packed = packKernel(recurrentKernel, units, units);
  const keep = new Uint8Array(batch);
  for (let s = 0; s < steps; s++) {
    const t = timeOf(info, s);
    keptRows(mask, info, t, keep);
    const prev = s * stateSize;
    const next = prev + stateSize;
    gemm(false, false, batch, units, units, hStates, prev, recurrentKernel, 0, hStates, next, false, packed);
    for (let b = 0; b < batch; b++) {
      const st = next + b * units;
      if (keep[b] === 0) {
        hStates.copyWithin(st, prev + b * units, prev + (b + 1) * units);
        continue;
      }
      const x = (b * steps + t) * units;
      for (let j = 0; j < units; j++) {
        const z = (hStates[st + j] as number) + (xProj[x + j] as number);
        hStates[st + j] = activation === 'tanh' ? Math.tanh(z) : Math.max(z, 0);
      }
    }
    writeOutput(info, hStates, s, keep, sequences);
  }
}

export function simpleRnnSequenceGrad(
  recurrentKernel: Float32Array,
  mask: Float32Array | null,
  info: RnnInfo,
  activation: RnnActivation,
  hStates: Float32Array,
  dSequences: Float32Array,
  dLastH: Float32Array,
  dxProj: Float32Array,
  dRecurrentKernel: Float32Array,
  dh0: Float32Array,
): void {
  const { batch, steps, units } = info;
  const stateSize = batch * units;
  const packedT = packKernelTransposed(recurrentKernel, units, units);
  const dPre = new Float32Array(steps * stateSize);
  let dh = Float32Array.from(dLastH.subarray(0, stateSize));
  let dhPrev = new Float32Array(stateSize);
  const keep = new Uint8Array(batch);
  for (let s = steps - 1; s >= 0; s--) {
    const t = timeOf(info, s);
    keptRows(mask, info, t, keep);
    addOutputGrad(info, dSequences, s, keep, dh);
    const next = (s + 1) * stateSize;
    const d0 = s * stateSize;
    for (let b = 0; b < batch; b++) {
      if (keep[b] === 0) continue;
      for (let j = b * units, end = j + units; j < end; j++) {
        const h = hStates[next + j] as number;
        const slope = activation === 'tanh' ? 1 - h * h : h > 0 ? 1 : 0;
        dPre[d0 + j] = (dh[j] as number) * slope;
      }
    }
    scatterStep(info, units, dPre, d0, t, dxProj);
    gemm(false, true, batch, units, units, dPre, d0, recurrentKernel, 0, dhPrev, 0, false, packedT);
    carryMaskedRows(keep, units, dh, dhPrev);
    [dh, dhPrev] = [dhPrev, dh];
  }
  gemm(true, false, units, units, steps * batch, hStates, 0, dPre, 0, dRecurrentKernel, 0, false);
  dh0.set(dh);
}
