/**
 * Default recurrent kernels in primitives: one step at a time, the recurrent product as a matmul and
 * the gate math as elementwise kernels; the backward runs the steps in reverse and forms dR as one
 * matmul over all steps at the end. Correct on any backend, not fast: backends override them.
 */
import type { RequiredPrimitives, RnnActivation, RnnInfo, Storage } from '../backend.js';
import { allocF32, map, zip } from './elementwise.js';
import { concat } from './layout.js';
import { columns, joinColumns, product, RnnSteps } from './rnn-steps.js';

/** y · (1 - y): σ' written in σ's output. */
function sigmoidSlope(b: RequiredPrimitives, y: Storage): Storage {
  return zip(b, 'mul', y, zip(b, 'sub', 1, y));
}

/** 1 - y²: tanh' written in tanh's output. */
function tanhSlope(b: RequiredPrimitives, y: Storage): Storage {
  return zip(b, 'sub', 1, map(b, 'square', y));
}

/** dR = hStates[0..steps-1]ᵀ · dRows, dRows [steps·batch, width]: one product over every step. */
function kernelGrad(b: RequiredPrimitives, info: RnnInfo, hStates: Storage, dRows: Storage, width: number, out: Storage): void {
  b.matmul(hStates, dRows, out, {
    batch: 1,
    m: info.units,
    n: width,
    k: info.steps * info.batch,
    transposeA: true,
    transposeB: false,
    aBatchStride: 0,
    bBatchStride: 0,
  });
}

export function lstmSequence(
  b: RequiredPrimitives,
  xProj: Storage,
  recurrentKernel: Storage,
  h0: Storage,
  c0: Storage,
  mask: Storage | null,
  info: RnnInfo,
  sequences: Storage,
  hStates: Storage,
  cStates: Storage,
  gates: Storage,
): void {
  const { batch, steps, units } = info;
  const width = 4 * units;
  const st = new RnnSteps(b, info, mask);
  let h = h0;
  let c = c0;
  st.writeState(hStates, steps + 1, 0, h, units);
  st.writeState(cStates, steps + 1, 0, c, units);
  for (let s = 0; s < steps; s++) {
    const t = st.time(s);
    const keep = st.keep(t);
    const pre = zip(b, 'add', product(b, h, recurrentKernel, batch, width, units), st.input(xProj, width, t));
    const gate = (k: number, op: 'sigmoid' | 'tanh') => map(b, op, columns(b, pre, batch, width, k * units, units));
    const [i, f, g, o] = [gate(0, 'sigmoid'), gate(1, 'sigmoid'), gate(2, 'tanh'), gate(3, 'sigmoid')];
    const cNew = zip(b, 'add', zip(b, 'mul', f, c), zip(b, 'mul', i, g));
    const hNew = zip(b, 'mul', o, map(b, 'tanh', cNew));
    st.writeState(gates, steps, s, joinColumns(b, [i, f, g, o], batch, units), width);
    c = st.carry(keep, cNew, c, units);
    h = st.carry(keep, hNew, h, units);
    st.writeState(hStates, steps + 1, s + 1, h, units);
    st.writeState(cStates, steps + 1, s + 1, c, units);
    st.writeOutput(sequences, s, keep, h);
  }
}

export function lstmSequenceGrad(
  b: RequiredPrimitives,
  recurrentKernel: Storage,
  mask: Storage | null,
  info: RnnInfo,
  hStates: Storage,
  cStates: Storage,
  gates: Storage,
  dSequences: Storage,
  dLastH: Storage,
  dLastC: Storage,
  dxProj: Storage,
  dRecurrentKernel: Storage,
  dh0: Storage,
  dc0: Storage,
): void {
  const { batch, steps, units } = info;
  const width = 4 * units;
  const st = new RnnSteps(b, info, mask);
  const dAll = allocF32(b, steps * batch * width);
  let dh = dLastH;
  let dc = dLastC;
  for (let s = steps - 1; s >= 0; s--) {
    const t = st.time(s);
    const keep = st.keep(t);
    dh = zip(b, 'add', dh, st.outputGrad(dSequences, s, keep));
    const gs = st.readState(gates, steps, s, width);
    const [i, f, g, o] = [0, 1, 2, 3].map((k) => columns(b, gs, batch, width, k * units, units)) as [
      Storage,
      Storage,
      Storage,
      Storage,
    ];
    const tc = map(b, 'tanh', st.readState(cStates, steps + 1, s + 1, units));
    const dct = zip(b, 'add', dc, zip(b, 'mul', zip(b, 'mul', dh, o), tanhSlope(b, tc)));
    const dI = zip(b, 'mul', zip(b, 'mul', dct, g), sigmoidSlope(b, i));
    const dF = zip(b, 'mul', zip(b, 'mul', dct, st.readState(cStates, steps + 1, s, units)), sigmoidSlope(b, f));
    const dG = zip(b, 'mul', zip(b, 'mul', dct, i), tanhSlope(b, g));
    const dO = zip(b, 'mul', zip(b, 'mul', dh, tc), sigmoidSlope(b, o));
    const dGates = st.keepRows(keep, joinColumns(b, [dI, dF, dG, dO], batch, units), width);
    st.writeState(dAll, steps, s, dGates, width);
    st.writeTime(dxProj, width, t, dGates);
    dc = st.carry(keep, zip(b, 'mul', dct, f), dc, units);
    dh = st.carry(keep, product(b, dGates, recurrentKernel, batch, units, width, false, true), dh, units);
  }
  kernelGrad(b, info, hStates, dAll, width, dRecurrentKernel);
  b.copy(dh, dh0, batch * units);
  b.copy(dc, dc0, batch * units);
}

export function gruSequence(
  b: RequiredPrimitives,
  xProj: Storage,
  recurrentKernel: Storage,
  recurrentBias: Storage | null,
  h0: Storage,
  mask: Storage | null,
  info: RnnInfo,
  resetAfter: boolean,
  sequences: Storage,
  hStates: Storage,
  gates: Storage,
): void {
  const { batch, steps, units } = info;
  const width = 3 * units;
  const st = new RnnSteps(b, info, mask);
  const resetKernel = resetAfter ? null : columns(b, recurrentKernel, units, width, 0, 2 * units);
  const hKernel = resetAfter ? null : columns(b, recurrentKernel, units, width, 2 * units, units);
  let h = h0;
  st.writeState(hStates, steps + 1, 0, h, units);
  for (let s = 0; s < steps; s++) {
    const t = st.time(s);
    const keep = st.keep(t);
    const x = st.input(xProj, width, t);
    const xGate = (k: number) => columns(b, x, batch, width, k * units, units);
    let hh: Storage;
    if (resetKernel === null) {
      hh = product(b, h, recurrentKernel, batch, width, units);
      if (recurrentBias !== null) {
        const biased = allocF32(b, batch * width);
        b.binary('add', hh, [batch, width], recurrentBias, [width], biased, [batch, width]);
        hh = biased;
      }
    } else {
      hh = product(b, h, resetKernel, batch, 2 * units, units);
    }
    const hhWidth = resetKernel === null ? width : 2 * units;
    const recurrentGate = (k: number) => columns(b, hh, batch, hhWidth, k * units, units);
    const z = map(b, 'sigmoid', zip(b, 'add', xGate(0), recurrentGate(0)));
    const r = map(b, 'sigmoid', zip(b, 'add', xGate(1), recurrentGate(1)));
    // resetAfter: r scales h·R_h + b_h; otherwise r scales h before its product with R_h
    const saved = resetKernel === null ? recurrentGate(2) : zip(b, 'mul', r, h);
    const candidate = resetKernel === null ? zip(b, 'mul', r, saved) : product(b, saved, hKernel as Storage, batch, units, units);
    const n = map(b, 'tanh', zip(b, 'add', xGate(2), candidate));
    const hNew = zip(b, 'add', n, zip(b, 'mul', z, zip(b, 'sub', h, n)));
    st.writeState(gates, steps, s, joinColumns(b, [z, r, n, saved], batch, units), 4 * units);
    h = st.carry(keep, hNew, h, units);
    st.writeState(hStates, steps + 1, s + 1, h, units);
    st.writeOutput(sequences, s, keep, h);
  }
}

export function gruSequenceGrad(
  b: RequiredPrimitives,
  recurrentKernel: Storage,
  mask: Storage | null,
  info: RnnInfo,
  resetAfter: boolean,
  hStates: Storage,
  gates: Storage,
  dSequences: Storage,
  dLastH: Storage,
  dxProj: Storage,
  dRecurrentKernel: Storage,
  dRecurrentBias: Storage | null,
  dh0: Storage,
): void {
  const { batch, steps, units } = info;
  const width = 3 * units;
  const st = new RnnSteps(b, info, mask);
  const resetKernel = resetAfter ? null : columns(b, recurrentKernel, units, width, 0, 2 * units);
  const hKernel = resetAfter ? null : columns(b, recurrentKernel, units, width, 2 * units, units);
  const recurrentWidth = resetAfter ? width : 2 * units;
  // gradients of the recurrent products per step: h·R (resetAfter) or h·R_zr and (r·h)·R_h
  const dRecurrent = allocF32(b, steps * batch * recurrentWidth);
  const dCandidate = resetAfter ? null : allocF32(b, steps * batch * units);
  let dh = dLastH;
  for (let s = steps - 1; s >= 0; s--) {
    const t = st.time(s);
    const keep = st.keep(t);
    dh = zip(b, 'add', dh, st.outputGrad(dSequences, s, keep));
    const gs = st.readState(gates, steps, s, 4 * units);
    const [z, r, n, saved] = [0, 1, 2, 3].map((k) => columns(b, gs, batch, 4 * units, k * units, units)) as [
      Storage,
      Storage,
      Storage,
      Storage,
    ];
    const hPrev = st.readState(hStates, steps + 1, s, units);
    const dan = st.keepRows(keep, zip(b, 'mul', zip(b, 'mul', dh, zip(b, 'sub', 1, z)), tanhSlope(b, n)), units);
    const daz = st.keepRows(keep, zip(b, 'mul', zip(b, 'mul', dh, zip(b, 'sub', hPrev, n)), sigmoidSlope(b, z)), units);
    let direct = zip(b, 'mul', dh, z);
    let dar: Storage;
    let dhNew: Storage;
    if (resetKernel === null) {
      dar = zip(b, 'mul', zip(b, 'mul', dan, saved), sigmoidSlope(b, r));
      const dRec = joinColumns(b, [daz, dar, zip(b, 'mul', dan, r)], batch, units);
      st.writeState(dRecurrent, steps, s, dRec, width);
      dhNew = product(b, dRec, recurrentKernel, batch, units, width, false, true);
    } else {
      const dResetH = product(b, dan, hKernel as Storage, batch, units, units, false, true);
      dar = zip(b, 'mul', zip(b, 'mul', dResetH, hPrev), sigmoidSlope(b, r));
      direct = zip(b, 'add', direct, zip(b, 'mul', dResetH, r));
      const dRec = joinColumns(b, [daz, dar], batch, units);
      st.writeState(dRecurrent, steps, s, dRec, 2 * units);
      st.writeState(dCandidate as Storage, steps, s, dan, units);
      dhNew = product(b, dRec, resetKernel, batch, units, 2 * units, false, true);
    }
    st.writeTime(dxProj, width, t, joinColumns(b, [daz, dar, dan], batch, units));
    dh = st.carry(keep, zip(b, 'add', dhNew, direct), dh, units);
  }
  const rows = steps * batch;
  if (resetAfter) {
    kernelGrad(b, info, hStates, dRecurrent, width, dRecurrentKernel);
  } else {
    const dZr = allocF32(b, units * 2 * units);
    kernelGrad(b, info, hStates, dRecurrent, 2 * units, dZr);
    // the h columns: (r·h)ᵀ · dn over every step, r·h saved as the fourth gate block
    const resetH = columns(b, gates, rows, 4 * units, 3 * units, units);
    const dH = product(b, resetH, dCandidate as Storage, units, units, rows, true, false);
    concat(
      b,
      [dZr, dH],
      [
        [units, 2 * units],
        [units, units],
      ],
      1,
      dRecurrentKernel,
    );
  }
  if (dRecurrentBias !== null) b.reduce('sum', dRecurrent, [rows, recurrentWidth], [0], dRecurrentBias);
  b.copy(dh, dh0, batch * units);
}

export function simpleRnnSequence(
  b: RequiredPrimitives,
  xProj: Storage,
  recurrentKernel: Storage,
  h0: Storage,
  mask: Storage | null,
  info: RnnInfo,
  activation: RnnActivation,
  sequences: Storage,
  hStates: Storage,
): void {
  const { batch, steps, units } = info;
  const st = new RnnSteps(b, info, mask);
  let h = h0;
  st.writeState(hStates, steps + 1, 0, h, units);
  for (let s = 0; s < steps; s++) {
    const t = st.time(s);
    const keep = st.keep(t);
    const hNew = map(
      b,
      activation,
      zip(b, 'add', product(b, h, recurrentKernel, batch, units, units), st.input(xProj, units, t)),
    );
    h = st.carry(keep, hNew, h, units);
    st.writeState(hStates, steps + 1, s + 1, h, units);
    st.writeOutput(sequences, s, keep, h);
  }
}

export function simpleRnnSequenceGrad(
  b: RequiredPrimitives,
  recurrentKernel: Storage,
  mask: Storage | null,
  info: RnnInfo,
  activation: RnnActivation,
  hStates: Storage,
  dSequences: Storage,
  dLastH: Storage,
  dxProj: Storage,
  dRecurrentKernel: Storage,
  dh0: Storage,
): void {
  const { batch, steps, units } = info;
  const st = new RnnSteps(b, info, mask);
  const dAll = allocF32(b, steps * batch * units);
  let dh = dLastH;
  for (let s = steps - 1; s >= 0; s--) {
    const t = st.time(s);
    const keep = st.keep(t);
    dh = zip(b, 'add', dh, st.outputGrad(dSequences, s, keep));
    const y = st.readState(hStates, steps + 1, s + 1, units);
    const slope = activation === 'tanh' ? tanhSlope(b, y) : positive(b, y);
    const dPre = st.keepRows(keep, zip(b, 'mul', dh, slope), units);
    st.writeState(dAll, steps, s, dPre, units);
    st.writeTime(dxProj, units, t, dPre);
    dh = st.carry(keep, product(b, dPre, recurrentKernel, batch, units, units, false, true), dh, units);
  }
  kernelGrad(b, info, hStates, dAll, units, dRecurrentKernel);
  b.copy(dh, dh0, batch * units);
}

/** 1 where y > 0, else 0 (relu's slope written in its output). */
function positive(b: RequiredPrimitives, y: Storage): Storage {
  const n = b.sizeOf(y);
  const flags = allocF32(b, n);
  const gt = map(b, 'sign', y);
  b.unary('relu', gt, flags, 0, 0);
  return flags;
}
