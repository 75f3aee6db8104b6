/**
 * LSTM over a whole sequence and its backpropagation through time, in plain loops: the per-step
 * product h·R goes through the packed gemm (R packed once per call), the gate math is one fused
 * loop. The reference the native kernel is tested against.
 */
import type { RnnInfo } from '../backend.js';
import { gemm } from './gemm.js';
import {
  addOutputGrad,
  carryMaskedRows,
  keptRows,
  packKernel,
  packKernelTransposed,
  scatterStep,
  sigmoid,
  timeOf,
  writeOutput,
} from './recurrence.js';

export function lstmSequence(
  xProj: Float32Array,
  recurrentKernel: Float32Array,
  h0: Float32Array,
  c0: Float32Array,
  mask: Float32Array | null,
  info: RnnInfo,
  sequences: Float32Array,
  hStates: Float32Array,
  cStates: Float32Array,
  gates: Float32Array,
): void {
  const { batch, steps, units } = info;
  const width = 4 * units;
  const stateSize = batch * units;
  hStates.set(h0.subarray(0, stateSize), 0);
  cStates.set(c0.subarray(0, stateSize), 0);
  const packed = packKernel(recurrentKernel, units, width);
  const keep = new Uint8Array(batch);
  for (let s = 0; s < steps; s++) {
    const t = timeOf(info, s);
    keptRows(mask, info, t, keep);
    const prev = s * stateSize;
    const next = prev + stateSize;
    const g0 = s * batch * width;
    gemm(false, false, batch, width, units, hStates, prev, recurrentKernel, 0, gates, g0, false, packed);
    for (let b = 0; b < batch; b++) {
      const row = g0 + b * width;
      const x = (b * steps + t) * width;
      const st = b * units;
      // a masked row's gates are computed too (gates is an output: every element is written)
      const kept = keep[b] !== 0;
      for (let j = 0; j < units; j++) {
        const i = sigmoid((gates[row + j] as number) + (xProj[x + j] as number));
        const f = sigmoid((gates[row + units + j] as number) + (xProj[x + units + j] as number));
        const g = Math.tanh((gates[row + 2 * units + j] as number) + (xProj[x + 2 * units + j] as number));
        const o = sigmoid((gates[row + 3 * units + j] as number) + (xProj[x + 3 * units + j] as number));
        gates[row + j] = i;
        gates[row + units + j] = f;
        gates[row + 2 * units + j] = g;
        gates[row + 3 * units + j] = o;
        const cPrev = cStates[prev + st + j] as number;
        const c = f * cPrev + i * g;
        cStates[next + st + j] = kept ? c : cPrev;
        hStates[next + st + j] = kept ? o * Math.tanh(c) : (hStates[prev + st + j] as number);
      }
    }
    writeOutput(info, hStates, s, keep, sequences);
  }
}

export function lstmSequenceGrad(
  recurrentKernel: Float32Array,
  mask: Float32Array | null,
  info: RnnInfo,
  hStates: Float32Array,
  cStates: Float32Array,
  gates: Float32Array,
  dSequences: Float32Array,
  dLastH: Float32Array,
  dLastC: Float32Array,
  dxProj: Float32Array,
  dRecurrentKernel: Float32Array,
  dh0: Float32Array,
  dc0: Float32Array,
): void {
  const { batch, steps, units } = info;
  const width = 4 * units;
  const stateSize = batch * units;
  const packedT = packKernelTransposed(recurrentKernel, units, width);
  // gradients of the pre-activation gates of every step, step-major: the rows of one GEMM for dR
  const dGates = new Float32Array(steps * batch * width);
  // dh carried into the step (the state's gradient plus the output's), and the next step's dh
  let dh = Float32Array.from(dLastH.subarray(0, stateSize));
  let dhPrev = new Float32Array(stateSize);
  const dc = Float32Array.from(dLastC.subarray(0, stateSize));
  const keep = new Uint8Array(batch);
  for (let s = steps - 1; s >= 0; s--) {
    const t = timeOf(info, s);
    keptRows(mask, info, t, keep);
    addOutputGrad(info, dSequences, s, keep, dh);
    const prev = s * stateSize;
    const next = prev + stateSize;
    const g0 = s * batch * width;
    for (let b = 0; b < batch; b++) {
      if (keep[b] === 0) continue; // its dGates stay zero, dc passes through unchanged
      const row = g0 + b * width;
      const st = b * units;
      for (let j = 0; j < units; j++) {
        const i = gates[row + j] as number;
        const f = gates[row + units + j] as number;
        const g = gates[row + 2 * units + j] as number;
        const o = gates[row + 3 * units + j] as number;
        const tc = Math.tanh(cStates[next + st + j] as number);
        const dhj = dh[st + j] as number;
        const dct = (dc[st + j] as number) + dhj * o * (1 - tc * tc);
        dGates[row + j] = dct * g * i * (1 - i);
        dGates[row + units + j] = dct * (cStates[prev + st + j] as number) * f * (1 - f);
        dGates[row + 2 * units + j] = dct * i * (1 - g * g);
        dGates[row + 3 * units + j] = dhj * tc * o * (1 - o);
        dc[st + j] = dct * f;
      }
    }
    scatterStep(info, width, dGates, g0, t, dxProj);
    gemm(false, true, batch, units, width, dGates, g0, recurrentKernel, 0, dhPrev, 0, false, packedT);
    carryMaskedRows(keep, units, dh, dhPrev);
    [dh, dhPrev] = [dhPrev, dh];
  }
  // dR = Σ_s h_{s-1}ᵀ · dGates_s: hStates[0..steps-1] as [steps·batch, units] against dGates
  gemm(true, false, units, width, steps * batch, hStates, 0, dGates, 0, dRecurrentKernel, 0, false);
  dh0.set(dh);
  dc0.set(dc);
}
