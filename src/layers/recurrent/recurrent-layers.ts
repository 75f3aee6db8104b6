/**
 * SimpleRNN, LSTM and GRU (Keras's): an RNN over the matching built-in cell, taking the cell's
 * options flat (`new LSTM(32, { dropout: 0.2, returnSequences: true })`) and writing them flat in
 * the config, as Keras does. The cell is named after the layer, so its weights are
 * `lstm/kernel`, `lstm/recurrent_kernel`, `lstm/bias` (TensorFlow.js's names).
 */
import * as ops from '../../ops/index.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type ActivationFunction, isBuiltinActivation } from '../activations/functions.js';
import { type RegularizerArg, regularizerArg, serializeReg } from '../engine/arguments.js';
import { type ConfigDict, configBoolean, configNumber } from '../engine/config.js';
import { baseArgsFromConfig, type LayerArgs } from '../engine/layer.js';
import { toSnakeCase, uniqueName } from '../engine/naming.js';
import { type CellOptions, cellOptionsConfig, cellOptionsFromConfig } from './cell-options.js';
import type { CellWeights } from './cell-weights.js';
import type { DropoutCell } from './dropout-cell.js';
import { GRUCell } from './gru-cell.js';
import { LSTMCell } from './lstm-cell.js';
import { RNN, type RNNArgs, rnnArgsFromConfig } from './rnn.js';
import type { SequenceResult } from './rnn-loop.js';
import { SimpleRNNCell } from './simple-rnn-cell.js';

export interface RecurrentLayerArgs extends RNNArgs, CellOptions {
  activityRegularizer?: RegularizerArg;
}
export type SimpleRNNArgs = Omit<RecurrentLayerArgs, 'recurrentActivation'>;
export interface LSTMArgs extends RecurrentLayerArgs {
  unitForgetBias?: boolean;
}
export interface GRUArgs extends RecurrentLayerArgs {
  resetAfter?: boolean;
}

const CELL_OPTION_KEYS = [
  'activation',
  'recurrentActivation',
  'useBias',
  'kernelInitializer',
  'recurrentInitializer',
  'biasInitializer',
  'kernelRegularizer',
  'recurrentRegularizer',
  'biasRegularizer',
  'kernelConstraint',
  'recurrentConstraint',
  'biasConstraint',
  'dropout',
  'recurrentDropout',
  'seed',
] as const satisfies readonly (keyof CellOptions)[];

/** Splits a recurrent layer's flat options into the cell's and the layer's. */
function splitArgs<A extends RecurrentLayerArgs>(
  args: A,
  className: string,
): { name: string; cell: CellOptions; layer: RNNArgs } {
  const name = args.name ?? uniqueName(toSnakeCase(className));
  const cell: Record<string, unknown> = {};
  const layer: Record<string, unknown> = { ...(args as object), name };
  for (const key of CELL_OPTION_KEYS) {
    if (key in args) cell[key] = (args as RecurrentLayerArgs)[key];
    delete layer[key];
  }
  return { name, cell: cell as CellOptions, layer: layer as RNNArgs };
}

abstract class BuiltinRNN<C extends DropoutCell> extends RNN {
  declare readonly cell: C;

  constructor(cell: C, layerArgs: RNNArgs & { activityRegularizer?: RegularizerArg }) {
    const { activityRegularizer, ...rest } = layerArgs;
    super(cell, rest);
    this.activityRegularizer = regularizerArg(activityRegularizer);
  }

  get units(): number {
    return this.cell.units;
  }

  /**
   * Whether the fused whole-sequence op computes this call (Keras's cuDNN eligibility): the
   * default activations, and no recurrent dropout while training. Otherwise the cell loop runs.
   */
  usesFusedOp(training: boolean): boolean {
    const o = this.cell.options;
    return this.fusedActivationsOk() && !(training && o.recurrentDropout > 0);
  }

  protected abstract fusedActivationsOk(): boolean;

  /** The fused recurrence over `xProj` (x·kernel + input bias, every step). */
  protected abstract fusedRecurrence(xProj: Tensor, weights: CellWeights, initial: Tensor[], mask: Tensor | null): SequenceResult;

  /** Bias added to x·kernel (the input row of a reset-after GRU's bias). */
  protected inputBias(weights: CellWeights): Tensor | null {
    return weights.bias;
  }

  protected override runSequence(sequence: Tensor, initial: Tensor[], mask: Tensor | null, training: boolean): SequenceResult {
    if (!this.usesFusedOp(training)) return super.runSequence(sequence, initial, mask, training);
    const weights = this.cell.weightsOf as CellWeights;
    const [batch, steps, features] = sequence.shape as [number, number, number];
    // Keras drops the same input features at every step: the step mask broadcast over time
    const drop = this.cell.inputDropoutMask(ops.zeros([batch, features]), training);
    const x = drop ? ops.mul(sequence, ops.expandDims(drop, 1)) : sequence;
    let xProj = ops.matmul(ops.reshape(x, [batch * steps, features]), weights.kernel);
    const bias = this.inputBias(weights);
    if (bias) xProj = ops.add(xProj, bias);
    return this.fusedRecurrence(ops.reshape(xProj, [batch, steps, xProj.shape[1] as number]), weights, initial, mask);
  }

  /** Keras's last output: the final h, or with zero outputs at masked steps, the last row of the sequence. */
  protected lastOutput(sequences: Tensor, lastH: Tensor, mask: Tensor | null): Tensor {
    if (!(mask && this.zeroOutputForMask)) return lastH;
    const [batch, steps, units] = sequences.shape as [number, number, number];
    return ops.reshape(ops.slice(sequences, [0, steps - 1, 0], [batch, 1, units]), [batch, units]);
  }

  protected recurrenceOptions(mask: Tensor | null): { goBackwards: boolean; mask: Tensor | null; zeroOutputForMask: boolean } {
    return { goBackwards: this.goBackwards, mask, zeroOutputForMask: this.zeroOutputForMask };
  }

  /** Flat config: units, the cell's options, then the RNN options (Keras's LSTM.get_config). */
  protected flatConfig(gated: boolean, extra: ConfigDict): ConfigDict {
    const { cell: _cell, ...base } = super.getConfig();
    return {
      ...base,
      units: this.units,
      ...cellOptionsConfig(this.cell.options, gated),
      ...extra,
      activity_regularizer: serializeReg(this.activityRegularizer),
    };
  }
}

/** Whether `fn` is Keras's built-in activation of that name (a user's function is never fused). */
function isBuiltin(fn: ActivationFunction, name: string): boolean {
  return fn.name === name && isBuiltinActivation(fn);
}

function layerArgsFromConfig(config: ConfigDict, owner: string): RecurrentLayerArgs {
  return {
    ...baseArgsFromConfig(config, owner),
    ...cellOptionsFromConfig(config, owner),
    ...rnnArgsFromConfig(config, owner),
    activityRegularizer: config.activity_regularizer as RegularizerArg,
  };
}

function cellLayerArgs(name: string, args: LayerArgs): LayerArgs {
  return { name, trainable: args.trainable, dtype: args.dtype };
}

export class SimpleRNN extends BuiltinRNN<SimpleRNNCell> {
  static override readonly className: string = 'SimpleRNN';

  constructor(units: number, args: SimpleRNNArgs = {}) {
    const { name, cell, layer } = splitArgs(args, 'SimpleRNN');
    super(new SimpleRNNCell(units, { ...cell, ...cellLayerArgs(name, args) }), layer);
  }

  protected fusedActivationsOk(): boolean {
    const a = this.cell.options.activation;
    return isBuiltin(a, 'tanh') || isBuiltin(a, 'relu');
  }

  protected fusedRecurrence(xProj: Tensor, weights: CellWeights, initial: Tensor[], mask: Tensor | null): SequenceResult {
    const activation = this.cell.options.activation.name === 'relu' ? 'relu' : 'tanh';
    const r = ops.simpleRnnRecurrence(xProj, weights.recurrentKernel, initial[0] as Tensor, {
      ...this.recurrenceOptions(mask),
      activation,
    });
    return { sequences: r.sequences, last: this.lastOutput(r.sequences, r.lastH, mask), states: [r.lastH] };
  }

  override getConfig(): ConfigDict {
    return this.flatConfig(false, {});
  }

  static override fromConfig(config: ConfigDict): SimpleRNN {
    const owner = 'SimpleRNN.fromConfig';
    const { recurrentActivation: _r, ...args } = layerArgsFromConfig(config, owner);
    return new SimpleRNN(configNumber(config, 'units', owner), args);
  }
}

export class LSTM extends BuiltinRNN<LSTMCell> {
  static override readonly className: string = 'LSTM';

  constructor(units: number, args: LSTMArgs = {}) {
    const { unitForgetBias, ...rest } = args;
    const { name, cell, layer } = splitArgs(rest, 'LSTM');
    super(new LSTMCell(units, { ...cell, unitForgetBias, ...cellLayerArgs(name, args) }), layer);
  }

  protected fusedActivationsOk(): boolean {
    const o = this.cell.options;
    return isBuiltin(o.activation, 'tanh') && isBuiltin(o.recurrentActivation, 'sigmoid');
  }

  protected fusedRecurrence(xProj: Tensor, weights: CellWeights, initial: Tensor[], mask: Tensor | null): SequenceResult {
    const [h0, c0] = initial as [Tensor, Tensor];
    const r = ops.lstmRecurrence(xProj, weights.recurrentKernel, h0, c0, this.recurrenceOptions(mask));
    return { sequences: r.sequences, last: this.lastOutput(r.sequences, r.lastH, mask), states: [r.lastH, r.lastC] };
  }

  override getConfig(): ConfigDict {
    return this.flatConfig(true, { unit_forget_bias: this.cell.unitForgetBias });
  }

  static override fromConfig(config: ConfigDict): LSTM {
    const owner = 'LSTM.fromConfig';
    return new LSTM(configNumber(config, 'units', owner), {
      ...layerArgsFromConfig(config, owner),
      unitForgetBias: configBoolean(config, 'unit_forget_bias', owner, true),
    });
  }
}

export class GRU extends BuiltinRNN<GRUCell> {
  static override readonly className: string = 'GRU';

  constructor(units: number, args: GRUArgs = {}) {
    const { resetAfter, ...rest } = args;
    const { name, cell, layer } = splitArgs(rest, 'GRU');
    super(new GRUCell(units, { ...cell, resetAfter, ...cellLayerArgs(name, args) }), layer);
  }

  protected fusedActivationsOk(): boolean {
    const o = this.cell.options;
    return isBuiltin(o.activation, 'tanh') && isBuiltin(o.recurrentActivation, 'sigmoid');
  }

  protected override inputBias(_weights: CellWeights): Tensor | null {
    return this.cell.biases().input;
  }

  protected fusedRecurrence(xProj: Tensor, weights: CellWeights, initial: Tensor[], mask: Tensor | null): SequenceResult {
    const r = ops.gruRecurrence(xProj, weights.recurrentKernel, this.cell.biases().recurrent, initial[0] as Tensor, {
      ...this.recurrenceOptions(mask),
      resetAfter: this.cell.resetAfter,
    });
    return { sequences: r.sequences, last: this.lastOutput(r.sequences, r.lastH, mask), states: [r.lastH] };
  }

  get resetAfter(): boolean {
    return this.cell.resetAfter;
  }

  override getConfig(): ConfigDict {
    return this.flatConfig(true, { reset_after: this.cell.resetAfter });
  }

  static override fromConfig(config: ConfigDict): GRU {
    const owner = 'GRU.fromConfig';
    return new GRU(configNumber(config, 'units', owner), {
      ...layerArgsFromConfig(config, owner),
      // TensorFlow.js and old Keras 2 files have no reset_after: they computed without it
      resetAfter: configBoolean(config, 'reset_after', owner, false),
    });
  }
}
