/**
 * DepthwiseConv2D (a kernel [kh, kw, inChannels, depthMultiplier] per input channel) and
 * SeparableConv2D (depthwise, then a 1x1 pointwise conv to `filters`), as in Keras.
 */
import * as ops from '../../ops/index.js';
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
  convOutputLength,
  dataFormatArg,
  type InitializerArg,
  initializerArg,
  normalizeTuple,
  paddingArg,
  type RegularizerArg,
  regularizerArg,
  serializeConstr,
  serializeInit,
  serializeReg,
} from '../engine/arguments.js';
import { type ConfigDict, configBoolean, configNumber, configNumbers, configString } from '../engine/config.js';
import { InputSpec } from '../engine/input-spec.js';
import { baseArgsFromConfig, type CallArgs, Layer, type LayerArgs } from '../engine/layer.js';
import { formatPythonShape, type SymbolicShape } from '../engine/symbolic.js';
import type { Initializer } from '../initializers/index.js';
import type { Regularizer } from '../regularizers.js';

export interface DepthwiseArgs extends LayerArgs {
  strides?: number | readonly [number, number];
  padding?: 'valid' | 'same';
  depthMultiplier?: number;
  dataFormat?: 'channels_last';
  dilationRate?: number | readonly [number, number];
  activation?: ActivationIdentifier | ActivationFunction | null;
  useBias?: boolean;
  depthwiseInitializer?: InitializerArg;
  biasInitializer?: InitializerArg;
  depthwiseRegularizer?: RegularizerArg;
  biasRegularizer?: RegularizerArg;
  activityRegularizer?: RegularizerArg;
  depthwiseConstraint?: ConstraintArg;
  biasConstraint?: ConstraintArg;
}

/** Options common to the depthwise family; the per-layer extras live in the subclasses. */
abstract class DepthwiseBase extends Layer {
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: 'valid' | 'same';
  readonly depthMultiplier: number;
  readonly dilationRate: number[];
  readonly activation: ActivationFunction;
  readonly useBias: boolean;
  readonly depthwiseInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly depthwiseRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly depthwiseConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  depthwiseKernel: Variable | null = null;
  bias: Variable | null = null;

  constructor(kernelSize: number | readonly number[], args: DepthwiseArgs) {
    super(args);
    const owner = (this.constructor as unknown as { className: string }).className;
    this.kernelSize = normalizeTuple(kernelSize, 2, 'kernel_size', owner);
    this.strides = normalizeTuple(args.strides, 2, 'strides', owner, 1);
    this.padding = paddingArg(args.padding, owner) as 'valid' | 'same';
    this.depthMultiplier = args.depthMultiplier ?? 1;
    if (!Number.isInteger(this.depthMultiplier) || this.depthMultiplier <= 0) {
      throw new Error(`${owner}: \`depth_multiplier\` must be a positive integer. Received: ${this.depthMultiplier}`);
    }
    dataFormatArg(args.dataFormat, owner);
    this.dilationRate = normalizeTuple(args.dilationRate, 2, 'dilation_rate', owner, 1);
    this.activation = getActivation(args.activation);
    this.useBias = args.useBias ?? true;
    this.depthwiseInitializer = initializerArg(args.depthwiseInitializer, 'glorot_uniform');
    this.biasInitializer = initializerArg(args.biasInitializer, 'zeros');
    this.depthwiseRegularizer = regularizerArg(args.depthwiseRegularizer);
    this.biasRegularizer = regularizerArg(args.biasRegularizer);
    this.activityRegularizer = regularizerArg(args.activityRegularizer);
    this.depthwiseConstraint = constraintArg(args.depthwiseConstraint);
    this.biasConstraint = constraintArg(args.biasConstraint);
    this.inputSpec = [new InputSpec({ ndim: 4 })];
  }

  protected inChannels(inputShape: SymbolicShape): number {
    const c = inputShape[3];
    if (c === null || c === undefined) {
      throw new Error(
        `${this.className} "${this.name}": the channel dimension of the inputs should be defined. Received input_shape=${formatPythonShape(inputShape)}`,
      );
    }
    return c;
  }

  protected buildDepthwise(inChannels: number): void {
    this.depthwiseKernel = this.addWeight(this.className === 'DepthwiseConv2D' ? 'kernel' : 'depthwise_kernel', {
      shape: [...this.kernelSize, inChannels, this.depthMultiplier],
      initializer: this.depthwiseInitializer,
      regularizer: this.depthwiseRegularizer,
      constraint: this.depthwiseConstraint,
    });
  }

  protected spatialOutput(inputShape: SymbolicShape): (number | null)[] {
    const out = [1, 2].map((a, i) =>
      convOutputLength(
        inputShape[a] ?? null,
        this.kernelSize[i] as number,
        this.padding,
        this.strides[i] as number,
        this.dilationRate[i] as number,
      ),
    );
    if (out.some((d) => d !== null && d <= 0)) {
      throw new Error(
        `${this.className} "${this.name}": computed output size would be negative or zero. Received \`inputs shape=${formatPythonShape(inputShape)}\`, ` +
          `\`kernel shape=${formatPythonShape(this.kernelSize)}\`, \`dilation_rate=${formatPythonShape(this.dilationRate)}\`.`,
      );
    }
    return out;
  }

  protected depthwise(x: Tensor): Tensor {
    return ops.depthwiseConv2d(x, this.depthwiseKernel as Variable, {
      strides: this.strides as [number, number],
      padding: this.padding,
      dilationRate: this.dilationRate as [number, number],
    });
  }

  protected finish(y: Tensor): Tensor {
    const withBias = this.bias ? ops.add(y, this.bias) : y;
    return this.activation.apply(withBias);
  }

  protected depthwiseConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      kernel_size: this.kernelSize.slice(),
      strides: this.strides.slice(),
      padding: this.padding,
      depth_multiplier: this.depthMultiplier,
      data_format: 'channels_last',
      dilation_rate: this.dilationRate.slice(),
      activation: this.activation.name,
      use_bias: this.useBias,
    };
  }
}

function depthwiseArgsFromConfig(config: ConfigDict, owner: string): { kernelSize: number[]; args: DepthwiseArgs } {
  const kernelSize = configNumbers(config, 'kernel_size', owner);
  if (!kernelSize) throw new Error(`${owner}: the config needs 'kernel_size'.`);
  return {
    kernelSize,
    args: {
      ...baseArgsFromConfig(config, owner),
      strides: configNumbers(config, 'strides', owner) as [number, number] | undefined,
      padding: configString(config, 'padding', owner, 'valid') as 'valid' | 'same',
      depthMultiplier: config.depth_multiplier == null ? 1 : configNumber(config, 'depth_multiplier', owner),
      dataFormat: dataFormatArg(config.data_format as string | undefined, owner),
      dilationRate: configNumbers(config, 'dilation_rate', owner) as [number, number] | undefined,
      activation: activationFromConfig(config.activation, owner),
      useBias: configBoolean(config, 'use_bias', owner, true),
      depthwiseInitializer: (config.depthwise_initializer as InitializerArg | null) ?? undefined,
      biasInitializer: (config.bias_initializer as InitializerArg | null) ?? undefined,
      depthwiseRegularizer: config.depthwise_regularizer as RegularizerArg,
      biasRegularizer: config.bias_regularizer as RegularizerArg,
      activityRegularizer: config.activity_regularizer as RegularizerArg,
      depthwiseConstraint: config.depthwise_constraint as ConstraintArg,
      biasConstraint: config.bias_constraint as ConstraintArg,
    },
  };
}

export class DepthwiseConv2D extends DepthwiseBase {
  static override readonly className: string = 'DepthwiseConv2D';

  constructor(kernelSize: number | readonly [number, number], args: DepthwiseArgs = {}) {
    super(kernelSize, args);
  }

  override build(inputShape: SymbolicShape): void {
    const c = this.inChannels(inputShape);
    this.buildDepthwise(c);
    if (this.useBias) {
      this.bias = this.addWeight('bias', {
        shape: [c * this.depthMultiplier],
        initializer: this.biasInitializer,
        regularizer: this.biasRegularizer,
        constraint: this.biasConstraint,
      });
    }
    this.inputSpec = [new InputSpec({ ndim: 4, axes: { [-1]: c } })];
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const c = inputShape[3];
    return [
      inputShape[0] ?? null,
      ...this.spatialOutput(inputShape),
      c === null || c === undefined ? null : c * this.depthMultiplier,
    ];
  }

  override call(input: Tensor, _args: CallArgs): Tensor {
    return this.finish(this.depthwise(input));
  }

  override getConfig(): ConfigDict {
    return {
      ...this.depthwiseConfig(),
      depthwise_initializer: serializeInit(this.depthwiseInitializer),
      bias_initializer: serializeInit(this.biasInitializer),
      depthwise_regularizer: serializeReg(this.depthwiseRegularizer),
      bias_regularizer: serializeReg(this.biasRegularizer),
      activity_regularizer: serializeReg(this.activityRegularizer),
      depthwise_constraint: serializeConstr(this.depthwiseConstraint),
      bias_constraint: serializeConstr(this.biasConstraint),
    };
  }

  static override fromConfig(config: ConfigDict): DepthwiseConv2D {
    const { kernelSize, args } = depthwiseArgsFromConfig(config, 'DepthwiseConv2D.fromConfig');
    return new DepthwiseConv2D(kernelSize as [number, number], args);
  }
}

export interface SeparableArgs extends DepthwiseArgs {
  pointwiseInitializer?: InitializerArg;
  pointwiseRegularizer?: RegularizerArg;
  pointwiseConstraint?: ConstraintArg;
}

export class SeparableConv2D extends DepthwiseBase {
  static override readonly className: string = 'SeparableConv2D';
  readonly filters: number;
  readonly pointwiseInitializer: Initializer;
  readonly pointwiseRegularizer: Regularizer | null;
  readonly pointwiseConstraint: Constraint | null;
  pointwiseKernel: Variable | null = null;

  constructor(filters: number, kernelSize: number | readonly [number, number], args: SeparableArgs = {}) {
    super(kernelSize, args);
    if (!Number.isInteger(filters) || filters <= 0) {
      throw new Error(
        `SeparableConv2D: invalid value for argument \`filters\`. Expected a strictly positive integer. Received filters=${filters}.`,
      );
    }
    this.filters = filters;
    this.pointwiseInitializer = initializerArg(args.pointwiseInitializer, 'glorot_uniform');
    this.pointwiseRegularizer = regularizerArg(args.pointwiseRegularizer);
    this.pointwiseConstraint = constraintArg(args.pointwiseConstraint);
  }

  override build(inputShape: SymbolicShape): void {
    const c = this.inChannels(inputShape);
    this.buildDepthwise(c);
    this.pointwiseKernel = this.addWeight('pointwise_kernel', {
      shape: [1, 1, c * this.depthMultiplier, this.filters],
      initializer: this.pointwiseInitializer,
      regularizer: this.pointwiseRegularizer,
      constraint: this.pointwiseConstraint,
    });
    if (this.useBias) {
      this.bias = this.addWeight('bias', {
        shape: [this.filters],
        initializer: this.biasInitializer,
        regularizer: this.biasRegularizer,
        constraint: this.biasConstraint,
      });
    }
    this.inputSpec = [new InputSpec({ ndim: 4, axes: { [-1]: c } })];
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [inputShape[0] ?? null, ...this.spatialOutput(inputShape), this.filters];
  }

  override call(input: Tensor, _args: CallArgs): Tensor {
    const d = this.depthwise(input);
    const fused = this.activation.fused;
    const y = ops.fusedConv2d({
      x: d,
      filter: this.pointwiseKernel as Variable,
      bias: this.bias ?? undefined,
      activation: fused ?? 'linear',
    });
    return fused ? y : this.activation.apply(y);
  }

  override getConfig(): ConfigDict {
    return {
      ...this.depthwiseConfig(),
      filters: this.filters,
      depthwise_initializer: serializeInit(this.depthwiseInitializer),
      pointwise_initializer: serializeInit(this.pointwiseInitializer),
      bias_initializer: serializeInit(this.biasInitializer),
      depthwise_regularizer: serializeReg(this.depthwiseRegularizer),
      pointwise_regularizer: serializeReg(this.pointwiseRegularizer),
      bias_regularizer: serializeReg(this.biasRegularizer),
      activity_regularizer: serializeReg(this.activityRegularizer),
      depthwise_constraint: serializeConstr(this.depthwiseConstraint),
      pointwise_constraint: serializeConstr(this.pointwiseConstraint),
      bias_constraint: serializeConstr(this.biasConstraint),
    };
  }

  static override fromConfig(config: ConfigDict): SeparableConv2D {
    const owner = 'SeparableConv2D.fromConfig';
    const { kernelSize, args } = depthwiseArgsFromConfig(config, owner);
    return new SeparableConv2D(configNumber(config, 'filters', owner), kernelSize as [number, number], {
      ...args,
      pointwiseInitializer: (config.pointwise_initializer as InitializerArg | null) ?? undefined,
      pointwiseRegularizer: config.pointwise_regularizer as RegularizerArg,
      pointwiseConstraint: config.pointwise_constraint as ConstraintArg,
    });
  }
}
