/**
 * The recurrent kernels (lstmSequence, gruSequence, simpleRnnSequence and their gradients) run on
 * one backend from host arrays, so two implementations can be compared output by output: the
 * composite defaults against the js kernels, the native kernels against the js kernels.
 */
import type { Backend, RnnActivation, RnnInfo, Storage } from '../../src/backend/backend.js';
import type { Rng } from '../native/harness.js';

export type RnnKind = 'lstm' | 'gru' | 'simple';

export interface RnnCase {
  kind: RnnKind;
  info: RnnInfo;
  masked: boolean;
  resetAfter: boolean;
  bias: boolean;
  activation: RnnActivation;
}

/** How host arrays reach a backend's storage and come back (identity on host backends). */
export interface HostAccess {
  put(values: Float32Array): Storage;
  /** Output storage of n floats, poisoned with NaN where the backend allows (a kernel must write it all). */
  output(n: number): Storage;
  get(storage: Storage): Float32Array;
}

/** Host storage: outputs start as NaN. */
export const hostAccess: HostAccess = {
  put: (values) => values,
  output: (n) => new Float32Array(n).fill(Number.NaN),
  get: (storage) => storage as Float32Array,
};

export function describeCase(c: RnnCase): string {
  const { batch, steps, units, goBackwards, zeroOutputForMask } = c.info;
  const flags = [
    c.masked ? 'mask' : '',
    goBackwards ? 'goBackwards' : '',
    zeroOutputForMask ? 'zeroOutputForMask' : '',
    c.kind === 'gru' ? `resetAfter=${c.resetAfter}${c.bias ? '' : ' no bias'}` : '',
    c.kind === 'simple' ? c.activation : '',
  ].filter((f) => f !== '');
  return `${c.kind} B=${batch} T=${steps} U=${units} ${flags.join(' ')}`;
}

/** Odd sizes (units 5, 13, 33 across SIMD widths) with every option, deterministic for a seed. */
export function rnnCases(rng: Rng): RnnCase[] {
  const cases: RnnCase[] = [];
  for (const kind of ['lstm', 'gru', 'simple'] as const) {
    for (const [batch, steps, units] of [
      [3, 7, 5],
      [3, 7, 13],
      [3, 7, 33],
      [1, 1, 1],
      [4, 3, 8],
    ] as const) {
      const masked = rng.bool();
      cases.push({
        kind,
        info: { batch, steps, units, goBackwards: rng.bool(), zeroOutputForMask: masked && rng.bool() },
        masked,
        resetAfter: rng.bool(),
        bias: rng.bool(),
        activation: rng.bool() ? 'tanh' : 'relu',
      });
    }
  }
  return cases;
}

/** Random inputs of a case: xProj, kernel, states, mask (about a third masked), bias, output gradients. */
export function rnnInputs(c: RnnCase, rng: Rng): Record<string, Float32Array> {
  const { batch, steps, units } = c.info;
  const gates = c.kind === 'lstm' ? 4 : c.kind === 'gru' ? 3 : 1;
  const scale = 1 / Math.sqrt(units);
  const inputs: Record<string, Float32Array> = {
    xProj: rng.floats(batch * steps * gates * units, -1.5, 1.5),
    kernel: rng.floats(units * gates * units, -scale, scale),
    h0: rng.floats(batch * units, -0.5, 0.5),
    c0: rng.floats(batch * units, -0.5, 0.5),
    bias: rng.floats(gates * units, -0.3, 0.3),
    dSequences: rng.floats(batch * steps * units, -1, 1),
    dLastH: rng.floats(batch * units, -1, 1),
    dLastC: rng.floats(batch * units, -1, 1),
  };
  inputs.mask = rng.floats(batch * steps, 0, 1).map((v) => (v < 0.35 ? 0 : v < 0.7 ? 1 : 2));
  return inputs;
}

/** Every output of the forward and backward kernels of a case, by name. */
export function runRnnKernels(
  be: Backend,
  access: HostAccess,
  c: RnnCase,
  inputs: Record<string, Float32Array>,
): Record<string, Float32Array> {
  const { batch, steps, units } = c.info;
  const gates = c.kind === 'lstm' ? 4 : c.kind === 'gru' ? 3 : 1;
  const put = (name: string) => access.put(inputs[name] as Float32Array);
  const mask = c.masked ? put('mask') : null;
  const state = batch * units;
  const out = {
    sequences: access.output(batch * steps * units),
    hStates: access.output((steps + 1) * state),
    cStates: access.output((steps + 1) * state),
    gates: access.output(steps * batch * (c.kind === 'simple' ? units : 4 * units)),
    dxProj: access.output(batch * steps * gates * units),
    dKernel: access.output(units * gates * units),
    dh0: access.output(state),
    dc0: access.output(state),
    dBias: access.output(gates * units),
  };
  const kernel = put('kernel');
  const [dSeq, dH] = [put('dSequences'), put('dLastH')];
  const kept: Partial<Record<keyof typeof out, Storage>> = {};
  if (c.kind === 'lstm') {
    be.lstmSequence(put('xProj'), kernel, put('h0'), put('c0'), mask, c.info, out.sequences, out.hStates, out.cStates, out.gates);
    be.lstmSequenceGrad(
      kernel,
      mask,
      c.info,
      out.hStates,
      out.cStates,
      out.gates,
      dSeq,
      dH,
      put('dLastC'),
      out.dxProj,
      out.dKernel,
      out.dh0,
      out.dc0,
    );
    Object.assign(kept, out);
    delete kept.dBias;
  } else if (c.kind === 'gru') {
    const bias = c.resetAfter && c.bias ? put('bias') : null;
    be.gruSequence(put('xProj'), kernel, bias, put('h0'), mask, c.info, c.resetAfter, out.sequences, out.hStates, out.gates);
    const dBias = bias === null ? null : out.dBias;
    be.gruSequenceGrad(
      kernel,
      mask,
      c.info,
      c.resetAfter,
      out.hStates,
      out.gates,
      dSeq,
      dH,
      out.dxProj,
      out.dKernel,
      dBias,
      out.dh0,
    );
    const { sequences, hStates, dxProj, dKernel, dh0 } = out;
    Object.assign(kept, { sequences, hStates, gates: out.gates, dxProj, dKernel, dh0 }, dBias ? { dBias } : {});
  } else {
    be.simpleRnnSequence(put('xProj'), kernel, put('h0'), mask, c.info, c.activation, out.sequences, out.hStates);
    be.simpleRnnSequenceGrad(kernel, mask, c.info, c.activation, out.hStates, dSeq, dH, out.dxProj, out.dKernel, out.dh0);
    const { sequences, hStates, dxProj, dKernel, dh0 } = out;
    Object.assign(kept, { sequences, hStates, dxProj, dKernel, dh0 });
  }
  return Object.fromEntries(Object.entries(kept).map(([k, s]) => [k, access.get(s as Storage)]));
}
