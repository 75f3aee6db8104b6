/**
 * GRU over a whole sequence and its backpropagation through time, in plain loops (Keras's gate
 * order z, r, h; both reset_after forms). Per step: the recurrent products through the packed gemm,
 * the gate math in one fused loop. The reference the native kernel is tested against.
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

export function gruSequence(
  xProj: Float32Array,
  recurrentKernel: Float32Array,
  recurrentBias: Float32Array | null,
  h0: Float32Array,
  mask: Float32Array | null,
  info: RnnInfo,
  resetAfter: boolean,
  sequences: Float32Array,
  hStates: Float32Array,
  gates: Float32Array,
): void {
  const { batch, steps, units } = info;
  const width = 3 * units;
  const stateSize = batch * units;
  hStates.set(h0.subarray(0, stateSize), 0);
  // resetAfter: hh = h·R (all three gates); otherwise h·R_zr, and later (r·h)·R_h
  const packed = packKernel(recurrentKernel, units, width, 0, resetAfter ? width : 2 * units);
  const packedH = resetAfter ? null : packKernel(recurrentKernel, units, width, 2 * units, units);
  const hh = new Float32Array(batch * width);
  const resetH = new Float32Array(stateSize);
  const keep = new Uint8Array(batch);
  for (let s = 0; s < steps; s++) {
    const t = timeOf(info, s);
    keptRows(mask, info, t, keep);
    const prev = s * stateSize;
    const next = prev + stateSize;
    const g0 = s * batch * 4 * units;
    const hhWidth = resetAfter ? width : 2 * units;
    gemm(false, false, batch, hhWidth, units, hStates, prev, recurrentKernel, 0, hh, 0, false, packed);
    for (let b = 0; b < batch; b++) {
      const row = g0 + b * 4 * units;
      const x = (b * steps + t) * width;
      const r0 = b * hhWidth;
      const st = b * units;
      for (let j = 0; j < units; j++) {
        const rbz = recurrentBias ? (recurrentBias[j] as number) : 0;
        const rbr = recurrentBias ? (recurrentBias[units + j] as number) : 0;
        const z = sigmoid((xProj[x + j] as number) + (hh[r0 + j] as number) + rbz);
        const r = sigmoid((xProj[x + units + j] as number) + (hh[r0 + units + j] as number) + rbr);
        gates[row + j] = z;
        gates[row + units + j] = r;
        if (resetAfter) {
          const hhh = (hh[r0 + 2 * units + j] as number) + (recurrentBias ? (recurrentBias[2 * units + j] as number) : 0);
          gates[row + 3 * units + j] = hhh;
        } else {
          const rh = r * (hStates[prev + st + j] as number);
          gates[row + 3 * units + j] = rh;
          resetH[st + j] = rh;
        }
      }
    }
    if (packedH) gemm(false, false, batch, units, units, resetH, 0, recurrentKernel, 0, hh, 0, false, packedH);
    for (let b = 0; b < batch; b++) {
      const row = g0 + b * 4 * units;
      const x = (b * steps + t) * width + 2 * units;
      const st = b * units;
      const kept = keep[b] !== 0;
      for (let j = 0; j < units; j++) {
        const z = gates[row + j] as number;
        const r = gates[row + units + j] as number;
        // resetAfter: r scales hh_h; otherwise hh now holds (r·h)·R_h
        const recurrent = resetAfter ? r * (gates[row + 3 * units + j] as number) : (hh[st + j] as number);
        const n = Math.tanh((xProj[x + j] as number) + recurrent);
        gates[row + 2 * units + j] = n;
        const hPrev = hStates[prev + st + j] as number;
        hStates[next + st + j] = kept ? z * hPrev + (1 - z) * n : hPrev;
      }
    }
    writeOutput(info, hStates, s, keep, sequences);
  }
}

export function gruSequenceGrad(
  recurrentKernel: Float32Array,
  mask: Float32Array | null,
  info: RnnInfo,
  resetAfter: boolean,
  hStates: Float32Array,
  gates: Float32Array,
  dSequences: Float32Array,
  dLastH: Float32Array,
  dxProj: Float32Array,
  dRecurrentKernel: Float32Array,
  dRecurrentBias: Float32Array | null,
  dh0: Float32Array,
): void {
  const { batch, steps, units } = info;
  const width = 3 * units;
  const stateSize = batch * units;
  // gradients w.r.t. the recurrent products of every step, step-major: the rows of the dR GEMMs.
  // resetAfter: d(hh) [steps, batch, 3u]; otherwise d(h·R_zr) [steps, batch, 2u] and d((r·h)·R_h) in dN.
  const recurrentWidth = resetAfter ? width : 2 * units;
  const dRecurrent = new Float32Array(steps * batch * recurrentWidth);
  const dN = resetAfter ? null : new Float32Array(steps * stateSize);
  const dStep = new Float32Array(batch * width);
  const packedT = packKernelTransposed(recurrentKernel, units, width, 0, recurrentWidth);
  const packedHT = resetAfter ? null : packKernelTransposed(recurrentKernel, units, width, 2 * units, units);
  const dResetH = new Float32Array(stateSize);
  let dh = Float32Array.from(dLastH.subarray(0, stateSize));
  let dhPrev = new Float32Array(stateSize);
  const direct = new Float32Array(stateSize);
  const keep = new Uint8Array(batch);
  for (let s = steps - 1; s >= 0; s--) {
    const t = timeOf(info, s);
    keptRows(mask, info, t, keep);
    addOutputGrad(info, dSequences, s, keep, dh);
    const prev = s * stateSize;
    const g0 = s * batch * 4 * units;
    const d0 = s * batch * recurrentWidth;
    dStep.fill(0);
    for (let b = 0; b < batch; b++) {
      if (keep[b] === 0) continue;
      const row = g0 + b * 4 * units;
      const st = b * units;
      const ds = b * width;
      const dr0 = d0 + b * recurrentWidth;
      for (let j = 0; j < units; j++) {
        const z = gates[row + j] as number;
        const n = gates[row + 2 * units + j] as number;
        const dhj = dh[st + j] as number;
        const hp = hStates[prev + st + j] as number;
        const dan = dhj * (1 - z) * (1 - n * n);
        const daz = dhj * (hp - n) * z * (1 - z);
        dStep[ds + j] = daz;
        dStep[ds + 2 * units + j] = dan;
        direct[st + j] = dhj * z;
        dRecurrent[dr0 + j] = daz;
        if (resetAfter) {
          const r = gates[row + units + j] as number;
          const dar = dan * (gates[row + 3 * units + j] as number) * r * (1 - r);
          dStep[ds + units + j] = dar;
          dRecurrent[dr0 + units + j] = dar;
          dRecurrent[dr0 + 2 * units + j] = dan * r;
        } else {
          (dN as Float32Array)[prev + st + j] = dan;
        }
      }
    }
    if (!resetAfter) {
      // d(r·h) = dn·R_hᵀ, which gives dr and part of dh
      gemm(
        false,
        true,
        batch,
        units,
        units,
        dN as Float32Array,
        prev,
        recurrentKernel,
        0,
        dResetH,
        0,
        false,
        packedHT as Float32Array,
      );
      for (let b = 0; b < batch; b++) {
        if (keep[b] === 0) continue;
        const row = g0 + b * 4 * units;
        const st = b * units;
        for (let j = 0; j < units; j++) {
          const r = gates[row + units + j] as number;
          const drh = dResetH[st + j] as number;
          const dar = drh * (hStates[prev + st + j] as number) * r * (1 - r);
          dStep[b * width + units + j] = dar;
          dRecurrent[d0 + b * recurrentWidth + units + j] = dar;
          direct[st + j] = (direct[st + j] as number) + drh * r;
        }
      }
    }
    scatterStep(info, width, dStep, 0, t, dxProj);
    gemm(false, true, batch, units, recurrentWidth, dRecurrent, d0, recurrentKernel, 0, dhPrev, 0, false, packedT);
    for (let k = 0; k < stateSize; k++) dhPrev[k] = (dhPrev[k] as number) + (direct[k] as number);
    carryMaskedRows(keep, units, dh, dhPrev);
    [dh, dhPrev] = [dhPrev, dh];
  }
  recurrentKernelGrad(info, resetAfter, hStates, gates, dRecurrent, dN, dRecurrentKernel);
  if (dRecurrentBias) {
    dRecurrentBias.fill(0);
    for (let r = 0, rows = steps * batch; r < rows; r++) {
      for (let j = 0; j < recurrentWidth; j++) {
        dRecurrentBias[j] = (dRecurrentBias[j] as number) + (dRecurrent[r * recurrentWidth + j] as number);
      }
    }
  }
  dh0.set(dh);
}

/**
 * dR = Σ_s h_{s-1}ᵀ · d(recurrent products)_s as GEMMs over all steps at once; without resetAfter the
 * h columns are (r·h)ᵀ · dn instead.
 */
function recurrentKernelGrad(
  info: RnnInfo,
  resetAfter: boolean,
  hStates: Float32Array,
  gates: Float32Array,
  dRecurrent: Float32Array,
  dN: Float32Array | null,
  dRecurrentKernel: Float32Array,
): void {
  const { batch, steps, units } = info;
  const rows = steps * batch;
  const width = 3 * units;
  if (resetAfter) {
    gemm(true, false, units, width, rows, hStates, 0, dRecurrent, 0, dRecurrentKernel, 0, false);
    return;
  }
  const zr = new Float32Array(units * 2 * units);
  gemm(true, false, units, 2 * units, rows, hStates, 0, dRecurrent, 0, zr, 0, false);
  const resetH = new Float32Array(rows * units);
  for (let r = 0; r < rows; r++) resetH.set(gates.subarray(r * 4 * units + 3 * units, (r + 1) * 4 * units), r * units);
  const h = new Float32Array(units * units);
  gemm(true, false, units, units, rows, resetH, 0, dN as Float32Array, 0, h, 0, false);
  for (let i = 0; i < units; i++) {
    dRecurrentKernel.set(zr.subarray(i * 2 * units, (i + 1) * 2 * units), i * width);
    dRecurrentKernel.set(h.subarray(i * units, (i + 1) * units), i * width + 2 * units);
  }
}
