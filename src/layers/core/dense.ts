/** Dense: `activation(x @ kernel + bias)` over the last axis (Keras's `Dense`). */
import type { Tensor, Variable } from '../../tensor/tensor.js';
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
  keywordForm,
  type RegularizerArg,
  regularizerArg,
  serializeConstr,
  serializeInit,
  serializeReg,
} from '../engine/arguments.js';
import { type ConfigDict, configBoolean, configNumber } from '../engine/config.js';
import { InputSpec } from '../engine/input-spec.js';
import { baseArgsFromConfig, type CallArgs, Layer, type LayerArgs } from '../engine/layer.js';
import { formatPythonShape, type SymbolicShape } from '../engine/symbolic.js';
import type { Initializer } from '../initializers/index.js';
import type { Regularizer } from '../regularizers.js';
import { denseForward } from './dense-forward.js';

export interface DenseArgs extends LayerArgs {
  activation?: ActivationIdentifier | ActivationFunction | null;
  useBias?: boolean;
  kernelInitializer?: InitializerArg;
  biasInitializer?: InitializerArg;
  kernelRegularizer?: RegularizerArg;
  biasRegularizer?: RegularizerArg;
  activityRegularizer?: RegularizerArg;
  kernelConstraint?: ConstraintArg;
  biasConstraint?: ConstraintArg;
}

export class Dense extends Layer {
  static override readonly className: string = 'Dense';
  /** Keras's `supports_masking`: the input's mask goes on to the output unchanged. */
  protected override readonly supportsMasking = true;
  readonly units: number;
  readonly activation: ActivationFunction;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  kernel: Variable | null = null;
  bias: Variable | null = null;

  constructor(units: number, args?: DenseArgs);
  /** Keras's keyword form: `new Dense({ units: 64, activation: 'relu' })`. */
  constructor(args: DenseArgs & { units: number });
  constructor(...given: unknown[]) {
    super(keywordForm<DenseArgs>('Dense', ['units'], given).args);
    const form = keywordForm<DenseArgs>('Dense', ['units'], given);
    const units = form.values[0] as number;
    const args = form.args;
    if (!Number.isInteger(units) || units <= 0) {
      throw new Error(`Dense: received an invalid value for argument \`units\`, expected a positive integer, got ${units}.`);
    }
    this.units = units;
    this.activation = getActivation(args.activation);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = initializerArg(args.kernelInitializer, 'glorot_uniform');
    this.biasInitializer = initializerArg(args.biasInitializer, 'zeros');
    this.kernelRegularizer = regularizerArg(args.kernelRegularizer);
    this.biasRegularizer = regularizerArg(args.biasRegularizer);
    this.activityRegularizer = regularizerArg(args.activityRegularizer);
    this.kernelConstraint = constraintArg(args.kernelConstraint);
    this.biasConstraint = constraintArg(args.biasConstraint);
    this.inputSpec = [new InputSpec({ minNdim: 2 })];
  }

  override build(inputShape: SymbolicShape): void {
    const inDim = inputShape[inputShape.length - 1];
    if (inDim === null || inDim === undefined) {
      throw new Error(
        `Dense "${this.name}": the last dimension of the inputs must be defined. Received: input_shape=${formatPythonShape(inputShape)}`,
      );
    }
    this.kernel = this.addWeight('kernel', {
      shape: [inDim, this.units],
      initializer: this.kernelInitializer,
      regularizer: this.kernelRegularizer,
      constraint: this.kernelConstraint,
    });
    if (this.useBias) {
      this.bias = this.addWeight('bias', {
        shape: [this.units],
        initializer: this.biasInitializer,
        regularizer: this.biasRegularizer,
        constraint: this.biasConstraint,
      });
    }
    this.inputSpec = [new InputSpec({ minNdim: 2, axes: { [-1]: inDim } })];
  }

  override call(input: Tensor, _args: CallArgs): Tensor {
    return denseForward(input, this.kernel as Variable, this.bias, this.activation);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [...inputShape.slice(0, -1), this.units];
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: this.activation.name,
      use_bias: this.useBias,
      kernel_initializer: serializeInit(this.kernelInitializer),
      bias_initializer: serializeInit(this.biasInitializer),
      kernel_regularizer: serializeReg(this.kernelRegularizer),
      bias_regularizer: serializeReg(this.biasRegularizer),
      activity_regularizer: serializeReg(this.activityRegularizer),
      kernel_constraint: serializeConstr(this.kernelConstraint),
      bias_constraint: serializeConstr(this.biasConstraint),
    };
  }

  static override fromConfig(config: ConfigDict): Dense {
    const owner = 'Dense.fromConfig';
    return new Dense(configNumber(config, 'units', owner), {
      ...baseArgsFromConfig(config, owner),
      activation: activationFromConfig(config.activation, owner),
      useBias: configBoolean(config, 'use_bias', owner, true),
      kernelInitializer: (config.kernel_initializer as InitializerArg | null) ?? undefined,
      biasInitializer: (config.bias_initializer as InitializerArg | null) ?? undefined,
      kernelRegularizer: config.kernel_regularizer as RegularizerArg,
      biasRegularizer: config.bias_regularizer as RegularizerArg,
      activityRegularizer: config.activity_regularizer as RegularizerArg,
      kernelConstraint: config.kernel_constraint as ConstraintArg,
      biasConstraint: config.bias_constraint as ConstraintArg,
    });
  }
}
