/**
 * Recurrent layers' whole sequences as single ops: LSTM, GRU and SimpleRNN over every timestep in
 * one kernel call forward and one backward (backpropagation through time), instead of one op per
 * step. The caller computes the input projection xProj = x·kernel + bias for all steps with one
 * matmul; these ops run the recurrence. docs/rnn-ops.md describes the contract.
 */
import type { Backend, RnnActivation, RnnInfo } from '../backend/backend.js';
import { formatShape } from '../tensor/shape.js';
import type { Storage } from '../tensor/storage.js';
import type { Tensor } from '../tensor/tensor.js';
import { alloc, backendFor, backendForAll, castTo, expectTensor, output } from './engine.js';
import { recordJoint } from './joint-outputs.js';

export interface RecurrenceOptions {
  /** Process the steps from the last to the first; `sequences` is then in processing order (as Keras). */
  goBackwards?: boolean;
  /** [batch, steps], nonzero = keep: a masked step carries the states over and repeats the previous output. */
  mask?: Tensor | null;
  /** Masked steps output zeros instead of the previous output (Keras's `zero_output_for_mask`). */
  zeroOutputForMask?: boolean;
}

export interface GruRecurrenceOptions extends RecurrenceOptions {
  /** Keras's `reset_after` (default true): the reset gate applies after the recurrent product. */
  resetAfter?: boolean;
}

export interface SimpleRnnRecurrenceOptions extends RecurrenceOptions {
  /** Default 'tanh'. */
  activation?: RnnActivation;
}

export interface LstmRecurrenceResult {
  /** [batch, steps, units]: the output of each step, in processing order. */
  sequences: Tensor;
  /** [batch, units]: the final hidden state. */
  lastH: Tensor;
  /** [batch, units]: the final cell state. */
  lastC: Tensor;
}

export interface RecurrenceResult {
  sequences: Tensor;
  lastH: Tensor;
}

interface Prepared {
  be: Backend;
  info: RnnInfo;
  mask: Storage | null;
}

/** Checks the shapes (naming the op, the argument, what was expected and received) and derives the geometry. */
function prepare(
  op: string,
  xProj: Tensor,
  recurrentKernel: Tensor,
  gateCount: number,
  states: Record<string, Tensor>,
  opts: RecurrenceOptions,
): Prepared {
  expectTensor(xProj, op, 'xProj');
  expectTensor(recurrentKernel, op, 'recurrentKernel');
  const gates = gateCount === 1 ? 'units' : `${gateCount} * units`;
  if (recurrentKernel.rank !== 2 || recurrentKernel.shape[1] !== gateCount * (recurrentKernel.shape[0] as number)) {
    throw new Error(`${op}: recurrentKernel must be [units, ${gates}], received shape ${formatShape(recurrentKernel.shape)}.`);
  }
  const units = recurrentKernel.shape[0] as number;
  if (xProj.rank !== 3 || xProj.shape[2] !== gateCount * units) {
    throw new Error(
      `${op}: xProj must be [batch, steps, ${gateCount * units}] (${gates} for the recurrentKernel's ${units} units), received shape ${formatShape(xProj.shape)}.`,
    );
  }
  const [batch, steps] = xProj.shape as [number, number, number];
  if (steps < 1)
    throw new Error(`${op}: the sequence needs at least one timestep, received xProj of shape ${formatShape(xProj.shape)}.`);
  for (const [name, state] of Object.entries(states)) {
    expectTensor(state, op, name);
    if (state.rank !== 2 || state.shape[0] !== batch || state.shape[1] !== units) {
      throw new Error(
        `${op}: ${name} must be [batch, units] = [${batch}, ${units}], received shape ${formatShape(state.shape)}.`,
      );
    }
  }
  const maskTensor = opts.mask ?? null;
  if (maskTensor !== null) {
    expectTensor(maskTensor, op, 'mask');
    if (maskTensor.rank !== 2 || maskTensor.shape[0] !== batch || maskTensor.shape[1] !== steps) {
      throw new Error(
        `${op}: mask must be [batch, steps] = [${batch}, ${steps}], received shape ${formatShape(maskTensor.shape)}.`,
      );
    }
  }
  const be = backendForAll(op, [xProj, recurrentKernel, ...Object.values(states), ...(maskTensor ? [maskTensor] : [])]);
  const info: RnnInfo = {
    batch,
    steps,
    units,
    goBackwards: opts.goBackwards ?? false,
    zeroOutputForMask: opts.zeroOutputForMask ?? false,
  };
  return { be, info, mask: maskTensor === null ? null : f32(maskTensor) };
}

function f32(x: Tensor): Storage {
  return castTo(x, 'float32').storage;
}

/** The last of states [steps + 1, batch, units]: the final state, [batch, units]. */
function lastOf(be: Backend, states: Storage, info: RnnInfo): Tensor {
  const { batch, steps, units } = info;
  const out = alloc(be, 'float32', [batch, units]);
  be.slice(states, [steps + 1, batch * units], [steps, 0], [1, batch * units], [1, 1], out);
  return output(be, out, [batch, units], 'float32');
}

/**
 * LSTM over a whole sequence (Keras's gate order i, f, c, o; σ the logistic sigmoid):
 * i=σ(xi+h·Ri) f=σ(xf+h·Rf) g=tanh(xc+h·Rc) o=σ(xo+h·Ro), c=f·c+i·g, h=o·tanh(c).
 * xProj [batch, steps, 4·units] is x·kernel + bias of every step; recurrentKernel [units, 4·units];
 * h0, c0 [batch, units]. Differentiable w.r.t. xProj, recurrentKernel, h0 and c0.
 */
export function lstmRecurrence(
  xProj: Tensor,
  recurrentKernel: Tensor,
  h0: Tensor,
  c0: Tensor,
  opts: RecurrenceOptions = {},
): LstmRecurrenceResult {
  const op = 'lstmRecurrence';
  const { be, info, mask } = prepare(op, xProj, recurrentKernel, 4, { h0, c0 }, opts);
  const { batch, steps, units } = info;
  const kernel = f32(recurrentKernel);
  const sequences = alloc(be, 'float32', [batch, steps, units]);
  const hStates = alloc(be, 'float32', [steps + 1, batch, units]);
  const cStates = alloc(be, 'float32', [steps + 1, batch, units]);
  const gates = alloc(be, 'float32', [steps, batch, 4 * units]);
  be.lstmSequence(f32(xProj), kernel, f32(h0), f32(c0), mask, info, sequences, hStates, cStates, gates);
  const outputs = [output(be, sequences, [batch, steps, units], 'float32'), lastOf(be, hStates, info), lastOf(be, cStates, info)];
  const [seq, lastH, lastC] = recordJoint(op, outputs, [xProj, recurrentKernel, h0, c0], ([dSeq, dH, dC]) => {
    const bg = backendFor(`${op} gradient`, dSeq as Tensor);
    const dx = alloc(bg, 'float32', xProj.shape);
    const dR = alloc(bg, 'float32', recurrentKernel.shape);
    const dh0 = alloc(bg, 'float32', h0.shape);
    const dc0 = alloc(bg, 'float32', c0.shape);
    bg.lstmSequenceGrad(
      kernel,
      mask,
      info,
      hStates,
      cStates,
      gates,
      (dSeq as Tensor).storage,
      (dH as Tensor).storage,
      (dC as Tensor).storage,
      dx,
      dR,
      dh0,
      dc0,
    );
    return [
      output(bg, dx, xProj.shape, 'float32'),
      output(bg, dR, recurrentKernel.shape, 'float32'),
      output(bg, dh0, h0.shape, 'float32'),
      output(bg, dc0, c0.shape, 'float32'),
    ];
  }) as [Tensor, Tensor, Tensor];
  return { sequences: seq, lastH, lastC };
}

/**
 * GRU over a whole sequence (Keras's gate order z, r, h). resetAfter (the default, Keras's and
 * cuDNN's form): hh = h·R + recurrentBias, z=σ(xz+hh_z), r=σ(xr+hh_r), n=tanh(xh + r·hh_h).
 * resetAfter false (recurrentBias must be null: the bias is in xProj): n = tanh(xh + (r·h)·R_h).
 * Then h = z·h + (1-z)·n. xProj [batch, steps, 3·units], recurrentKernel [units, 3·units],
 * recurrentBias [3·units] or null, h0 [batch, units]. Differentiable w.r.t. every tensor argument.
 */
export function gruRecurrence(
  xProj: Tensor,
  recurrentKernel: Tensor,
  recurrentBias: Tensor | null,
  h0: Tensor,
  opts: GruRecurrenceOptions = {},
): RecurrenceResult {
  const op = 'gruRecurrence';
  const resetAfter = opts.resetAfter ?? true;
  const { be, info, mask } = prepare(op, xProj, recurrentKernel, 3, { h0 }, opts);
  const { batch, steps, units } = info;
  if (recurrentBias !== null && recurrentBias !== undefined) {
    expectTensor(recurrentBias, op, 'recurrentBias');
    if (!resetAfter) {
      throw new Error(`${op}: recurrentBias must be null when resetAfter is false (the whole bias belongs in xProj).`);
    }
    if (recurrentBias.rank !== 1 || recurrentBias.shape[0] !== 3 * units) {
      throw new Error(
        `${op}: recurrentBias must be [3 * units] = [${3 * units}], received shape ${formatShape(recurrentBias.shape)}.`,
      );
    }
    backendFor(op, recurrentBias);
  }
  const bias = recurrentBias ?? null;
  const kernel = f32(recurrentKernel);
  const sequences = alloc(be, 'float32', [batch, steps, units]);
  const hStates = alloc(be, 'float32', [steps + 1, batch, units]);
  const gates = alloc(be, 'float32', [steps, batch, 4 * units]);
  be.gruSequence(
    f32(xProj),
    kernel,
    bias === null ? null : f32(bias),
    f32(h0),
    mask,
    info,
    resetAfter,
    sequences,
    hStates,
    gates,
  );
  const outputs = [output(be, sequences, [batch, steps, units], 'float32'), lastOf(be, hStates, info)];
  const inputs = bias === null ? [xProj, recurrentKernel, h0] : [xProj, recurrentKernel, h0, bias];
  const [seq, lastH] = recordJoint(op, outputs, inputs, ([dSeq, dH]) => {
    const bg = backendFor(`${op} gradient`, dSeq as Tensor);
    const dx = alloc(bg, 'float32', xProj.shape);
    const dR = alloc(bg, 'float32', recurrentKernel.shape);
    const dh0 = alloc(bg, 'float32', h0.shape);
    const db = bias === null ? null : alloc(bg, 'float32', bias.shape);
    bg.gruSequenceGrad(
      kernel,
      mask,
      info,
      resetAfter,
      hStates,
      gates,
      (dSeq as Tensor).storage,
      (dH as Tensor).storage,
      dx,
      dR,
      db,
      dh0,
    );
    const grads = [
      output(bg, dx, xProj.shape, 'float32'),
      output(bg, dR, recurrentKernel.shape, 'float32'),
      output(bg, dh0, h0.shape, 'float32'),
    ];
    if (bias !== null && db !== null) grads.push(output(bg, db, bias.shape, 'float32'));
    return grads;
  }) as [Tensor, Tensor];
  return { sequences: seq, lastH };
}

/**
 * SimpleRNN over a whole sequence: h = activation(x + h·R). xProj [batch, steps, units],
 * recurrentKernel [units, units], h0 [batch, units]. Differentiable w.r.t. every tensor argument.
 */
export function simpleRnnRecurrence(
  xProj: Tensor,
  recurrentKernel: Tensor,
  h0: Tensor,
  opts: SimpleRnnRecurrenceOptions = {},
): RecurrenceResult {
  const op = 'simpleRnnRecurrence';
  const activation = opts.activation ?? 'tanh';
  if (activation !== 'tanh' && activation !== 'relu') {
    throw new Error(`${op}: activation must be 'tanh' or 'relu', received ${JSON.stringify(activation)}.`);
  }
  const { be, info, mask } = prepare(op, xProj, recurrentKernel, 1, { h0 }, opts);
  const { batch, steps, units } = info;
  const kernel = f32(recurrentKernel);
  const sequences = alloc(be, 'float32', [batch, steps, units]);
  const hStates = alloc(be, 'float32', [steps + 1, batch, units]);
  be.simpleRnnSequence(f32(xProj), kernel, f32(h0), mask, info, activation, sequences, hStates);
  const outputs = [output(be, sequences, [batch, steps, units], 'float32'), lastOf(be, hStates, info)];
  const [seq, lastH] = recordJoint(op, outputs, [xProj, recurrentKernel, h0], ([dSeq, dH]) => {
    const bg = backendFor(`${op} gradient`, dSeq as Tensor);
    const dx = alloc(bg, 'float32', xProj.shape);
    const dR = alloc(bg, 'float32', recurrentKernel.shape);
    const dh0 = alloc(bg, 'float32', h0.shape);
    bg.simpleRnnSequenceGrad(
      kernel,
      mask,
      info,
      activation,
      hStates,
      (dSeq as Tensor).storage,
      (dH as Tensor).storage,
      dx,
      dR,
      dh0,
    );
    return [
      output(bg, dx, xProj.shape, 'float32'),
      output(bg, dR, recurrentKernel.shape, 'float32'),
      output(bg, dh0, h0.shape, 'float32'),
    ];
  }) as [Tensor, Tensor];
  return { sequences: seq, lastH };
}
