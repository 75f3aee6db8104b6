/**
 * SimpleRNN, LSTM and GRU (Keras's): an RNN over the matching built-in cell, taking the cell's
 * options flat (`new LSTM(32, { dropout: 0.2, returnSequences: true })`) and writing them flat in
 * the config, as Keras does. The cell is named after the layer, so its weights are
 * `lstm/kernel`, `lstm/recurrent_kernel`, `lstm/bias` (TensorFlow.js's names).
 */
import { type RegularizerArg, regularizerArg, serializeReg } from '../engine/arguments.js';
import { type ConfigDict, configBoolean, configNumber } from '../engine/config.js';
import { baseArgsFromConfig, type LayerArgs } from '../engine/layer.js';
import { toSnakeCase, uniqueName } from '../engine/naming.js';
import { type CellOptions, cellOptionsConfig, cellOptionsFromConfig } from './cell-options.js';
import type { DropoutCell } from './dropout-cell.js';
import { GRUCell } from './gru-cell.js';
import { LSTMCell } from './lstm-cell.js';
import { RNN, type RNNArgs, rnnArgsFromConfig } from './rnn.js';
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
