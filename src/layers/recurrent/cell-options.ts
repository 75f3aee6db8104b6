/**
 * The options SimpleRNNCell, LSTMCell and GRUCell share (Keras's cell arguments), resolved once,
 * written back to Keras's snake_case config, and read from one. The recurrent layers (LSTM, ...)
 * take the same options and hand them to their cell.
 */
import {
  type ActivationFunction,
  type ActivationIdentifier,
  activationFromConfig,
  getActivation,
} from '../activations/functions.js';
import type { Constraint } from '../constraints.js';
import {
  type ConstraintArg,
  constraintArg,
  type InitializerArg,
  initializerArg,
  type RegularizerArg,
  regularizerArg,
  serializeConstr,
  serializeInit,
  serializeReg,
} from '../engine/arguments.js';
import { type ConfigDict, configBoolean, configNumber } from '../engine/config.js';
import type { Initializer } from '../initializers/index.js';
import type { Regularizer } from '../regularizers.js';

export interface CellOptions {
  activation?: ActivationIdentifier | ActivationFunction | null;
  /** The gates' activation (LSTM, GRU); default 'sigmoid'. */
  recurrentActivation?: ActivationIdentifier | ActivationFunction | null;
  useBias?: boolean;
  kernelInitializer?: InitializerArg;
  recurrentInitializer?: InitializerArg;
  biasInitializer?: InitializerArg;
  kernelRegularizer?: RegularizerArg;
  recurrentRegularizer?: RegularizerArg;
  biasRegularizer?: RegularizerArg;
  kernelConstraint?: ConstraintArg;
  recurrentConstraint?: ConstraintArg;
  biasConstraint?: ConstraintArg;
  /** Fraction of the input features dropped (one mask per sequence, as in Keras). */
  dropout?: number;
  /** Fraction of the previous output dropped before the recurrent product. */
  recurrentDropout?: number;
  /** Seed of the dropout masks. */
  seed?: number | null;
}

/** The resolved options of a cell. */
export interface ResolvedCellOptions {
  activation: ActivationFunction;
  recurrentActivation: ActivationFunction;
  useBias: boolean;
  kernelInitializer: Initializer;
  recurrentInitializer: Initializer;
  biasInitializer: Initializer;
  kernelRegularizer: Regularizer | null;
  recurrentRegularizer: Regularizer | null;
  biasRegularizer: Regularizer | null;
  kernelConstraint: Constraint | null;
  recurrentConstraint: Constraint | null;
  biasConstraint: Constraint | null;
  dropout: number;
  recurrentDropout: number;
  seed: number | null;
}

function rate(value: number | undefined, name: string, owner: string): number {
  const v = value ?? 0;
  if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
    throw new Error(`${owner}: \`${name}\` must be a number in [0, 1], received ${JSON.stringify(value)}.`);
  }
  // Keras clips the rates to [0, 1]; 1 would drop everything, so it is refused like ops.dropout does
  if (v === 1) throw new Error(`${owner}: \`${name}\` of 1 would drop every value; use a rate below 1.`);
  return v;
}

export function resolveCellOptions(args: CellOptions, owner: string): ResolvedCellOptions {
  return {
    activation: getActivation(args.activation === undefined ? 'tanh' : args.activation),
    recurrentActivation: getActivation(args.recurrentActivation === undefined ? 'sigmoid' : args.recurrentActivation),
    useBias: args.useBias ?? true,
    kernelInitializer: initializerArg(args.kernelInitializer, 'glorot_uniform'),
    recurrentInitializer: initializerArg(args.recurrentInitializer, 'orthogonal'),
    biasInitializer: initializerArg(args.biasInitializer, 'zeros'),
    kernelRegularizer: regularizerArg(args.kernelRegularizer),
    recurrentRegularizer: regularizerArg(args.recurrentRegularizer),
    biasRegularizer: regularizerArg(args.biasRegularizer),
    kernelConstraint: constraintArg(args.kernelConstraint),
    recurrentConstraint: constraintArg(args.recurrentConstraint),
    biasConstraint: constraintArg(args.biasConstraint),
    dropout: rate(args.dropout, 'dropout', owner),
    recurrentDropout: rate(args.recurrentDropout, 'recurrentDropout', owner),
    seed: args.seed ?? null,
  };
}

/** Keras's config keys of the shared options; `gated` adds recurrent_activation (LSTM, GRU). */
export function cellOptionsConfig(o: ResolvedCellOptions, gated: boolean): ConfigDict {
  return {
    activation: o.activation.name,
    ...(gated ? { recurrent_activation: o.recurrentActivation.name } : {}),
    use_bias: o.useBias,
    kernel_initializer: serializeInit(o.kernelInitializer),
    recurrent_initializer: serializeInit(o.recurrentInitializer),
    bias_initializer: serializeInit(o.biasInitializer),
    kernel_regularizer: serializeReg(o.kernelRegularizer),
    recurrent_regularizer: serializeReg(o.recurrentRegularizer),
    bias_regularizer: serializeReg(o.biasRegularizer),
    kernel_constraint: serializeConstr(o.kernelConstraint),
    recurrent_constraint: serializeConstr(o.recurrentConstraint),
    bias_constraint: serializeConstr(o.biasConstraint),
    dropout: o.dropout,
    recurrent_dropout: o.recurrentDropout,
    seed: o.seed,
  };
}

/** The shared options from a Keras config (Keras 2 and 3 spell them the same). */
export function cellOptionsFromConfig(config: ConfigDict, owner: string): CellOptions {
  const init = (key: string): InitializerArg | undefined => (config[key] as InitializerArg | null) ?? undefined;
  return {
    activation: activationFromConfig(config.activation ?? 'tanh', owner),
    recurrentActivation: activationFromConfig(config.recurrent_activation ?? 'sigmoid', owner),
    useBias: configBoolean(config, 'use_bias', owner, true),
    kernelInitializer: init('kernel_initializer'),
    recurrentInitializer: init('recurrent_initializer'),
    biasInitializer: init('bias_initializer'),
    kernelRegularizer: config.kernel_regularizer as RegularizerArg,
    recurrentRegularizer: config.recurrent_regularizer as RegularizerArg,
    biasRegularizer: config.bias_regularizer as RegularizerArg,
    kernelConstraint: config.kernel_constraint as ConstraintArg,
    recurrentConstraint: config.recurrent_constraint as ConstraintArg,
    biasConstraint: config.bias_constraint as ConstraintArg,
    dropout: configNumber(config, 'dropout', owner, 0),
    recurrentDropout: configNumber(config, 'recurrent_dropout', owner, 0),
    seed: typeof config.seed === 'number' ? config.seed : null,
  };
}
