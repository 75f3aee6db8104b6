/**
 * BaseConv: the shared machinery of Conv1D and Conv2D (Keras's `BaseConv`): options, kernel
 * [...kernelSize, inChannels, filters] and bias creation, output-shape arithmetic, the fused
 * conv + bias + activation forward, and the Keras config. Subclasses fix the rank.
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

export interface ConvArgs extends LayerArgs {
  strides?: number | readonly number[];
  padding?: 'valid' | 'same' | 'causal';
  dataFormat?: 'channels_last';
  dilationRate?: number | readonly number[];
  groups?: number;
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

export abstract class BaseConv extends Layer {
  readonly rank: number;
  readonly filters: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: string;
  readonly dilationRate: number[];
  readonly groups: number;
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

  constructor(rank: number, filters: number, kernelSize: number | readonly number[], args: ConvArgs = {}) {
    super(args);
    const owner = (this.constructor as unknown as { className: string }).className;
    if (!Number.isInteger(filters) || filters <= 0) {
      throw new Error(
        `${owner}: invalid value for argument \`filters\`. Expected a strictly positive integer. Received filters=${filters}.`,
      );
    }
    this.rank = rank;
    this.filters = filters;
    this.kernelSize = normalizeTuple(kernelSize, rank, 'kernel_size', owner);
    this.strides = normalizeTuple(args.strides, rank, 'strides', owner, 1);
    this.padding = paddingArg(args.padding, owner, rank === 1 ? ['valid', 'same', 'causal'] : ['valid', 'same']);
    dataFormatArg(args.dataFormat, owner);
    this.dilationRate = normalizeTuple(args.dilationRate, rank, 'dilation_rate', owner, 1);
    this.groups = args.groups ?? 1;
    if (!Number.isInteger(this.groups) || this.groups <= 0) {
      throw new Error(
        `${owner}: invalid value for argument \`groups\`. Expected a strictly positive integer. Received groups=${this.groups}.`,
      );
    }
    if (filters % this.groups !== 0) {
      throw new Error(
        `${owner}: the number of filters must be evenly divisible by the number of groups. Received: groups=${this.groups}, filters=${filters}.`,
      );
    }
    if (this.strides.some((s) => s > 1) && this.dilationRate.some((d) => d > 1)) {
      throw new Error(
        `${owner}: \`strides > 1\` not supported in conjunction with \`dilation_rate > 1\`. Received: strides=${JSON.stringify(this.strides)} and dilation_rate=${JSON.stringify(this.dilationRate)}`,
      );
    }
    this.activation = getActivation(args.activation);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = initializerArg(args.kernelInitializer, 'glorot_uniform');
    this.biasInitializer = initializerArg(args.biasInitializer, 'zeros');
    this.kernelRegularizer = regularizerArg(args.kernelRegularizer);
    this.biasRegularizer = regularizerArg(args.biasRegularizer);
    this.activityRegularizer = regularizerArg(args.activityRegularizer);
    this.kernelConstraint = constraintArg(args.kernelConstraint);
    this.biasConstraint = constraintArg(args.biasConstraint);
    this.inputSpec = [new InputSpec({ ndim: rank + 2 })];
  }

  protected inChannelsOf(inputShape: SymbolicShape): number {
    const c = inputShape[inputShape.length - 1];
    if (c === null || c === undefined) {
      throw new Error(
        `${this.className} "${this.name}": the channel dimension of the inputs should be defined. Received input_shape=${formatPythonShape(inputShape)}`,
      );
    }
    return c;
  }

  override build(inputShape: SymbolicShape): void {
    const inChannels = this.inChannelsOf(inputShape);
    if (inChannels % this.groups !== 0) {
      throw new Error(
        `${this.className} "${this.name}": the number of input channels must be evenly divisible by the number of groups. ` +
          `Received groups=${this.groups}, but the input has ${inChannels} channels (full input shape is ${formatPythonShape(inputShape)}).`,
      );
    }
    this.kernel = this.addWeight('kernel', {
      shape: [...this.kernelSize, inChannels / this.groups, this.filters],
      initializer: this.kernelInitializer,
      regularizer: this.kernelRegularizer,
      constraint: this.kernelConstraint,
    });
    if (this.useBias) {
      this.bias = this.addWeight('bias', {
        shape: [this.filters],
        initializer: this.biasInitializer,
        regularizer: this.biasRegularizer,
        constraint: this.biasConstraint,
      });
    }
    this.inputSpec = [new InputSpec({ ndim: this.rank + 2, axes: { [-1]: inChannels } })];
  }

  /** Spatial output sizes; throws (like Keras) when the window does not fit. */
  protected spatialOutput(inputShape: SymbolicShape, kernel: number[], strides: number[], dilation: number[]): (number | null)[] {
    const spatial = inputShape.slice(1, 1 + this.rank);
    const out = spatial.map((d, i) =>
      convOutputLength(d ?? null, kernel[i] as number, this.padding, strides[i] as number, dilation[i] as number),
    );
    if (out.some((d) => d !== null && d <= 0)) {
      throw new Error(
        `${this.className} "${this.name}": computed output size would be negative or zero. Received \`inputs shape=${formatPythonShape(inputShape)}\`, ` +
          `\`kernel shape=${formatPythonShape(kernel)}\`, \`dilation_rate=${formatPythonShape(dilation)}\`.`,
      );
    }
    return out;
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [
      inputShape[0] ?? null,
      ...this.spatialOutput(inputShape, this.kernelSize, this.strides, this.dilationRate),
      this.filters,
    ];
  }

  /**
   * conv + bias + activation on NHWC input, fused where the activation allows it. With groups,
   * input channel slice g is convolved with the kernel's filter slice g (kernel [kh, kw, C/groups,
   * filters]) and the results are concatenated, as Keras's grouped convolution orders them.
   */
  protected conv2dForward(x: Tensor, kernel: Tensor, strides: number[], dilation: number[], padding: 'valid' | 'same'): Tensor {
    if (this.groups > 1) {
      const options = { strides: strides as [number, number], padding, dilationRate: dilation as [number, number] };
      const xs = ops.split(x, this.groups, 3);
      const ks = ops.split(kernel, this.groups, 3);
      let y = ops.concat(
        xs.map((xg, g) => ops.conv2d(xg, ks[g] as Tensor, options)),
        3,
      );
      if (this.bias) y = ops.add(y, this.bias);
      return this.activation.apply(y);
    }
    const fused = this.activation.fused;
    const y = ops.fusedConv2d({
      x,
      filter: kernel,
      bias: this.bias ?? undefined,
      activation: fused ?? 'linear',
      strides: strides as [number, number],
      padding,
      dilationRate: dilation as [number, number],
    });
    return fused ? y : this.activation.apply(y);
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernel_size: this.kernelSize.slice(),
      strides: this.strides.slice(),
      padding: this.padding,
      data_format: 'channels_last',
      dilation_rate: this.dilationRate.slice(),
      groups: this.groups,
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
}

/** The constructor arguments of a conv layer read back from its config. */
export function convArgsFromConfig(config: ConfigDict, owner: string): { filters: number; kernelSize: number[]; args: ConvArgs } {
  const kernelSize = configNumbers(config, 'kernel_size', owner);
  if (!kernelSize) throw new Error(`${owner}: the config needs 'kernel_size'.`);
  return {
    filters: configNumber(config, 'filters', owner),
    kernelSize,
    args: {
      ...baseArgsFromConfig(config, owner),
      strides: configNumbers(config, 'strides', owner),
      padding: configString(config, 'padding', owner, 'valid') as ConvArgs['padding'],
      dataFormat: dataFormatArg(config.data_format as string | undefined, owner),
      dilationRate: configNumbers(config, 'dilation_rate', owner),
      groups: config.groups === undefined || config.groups === null ? 1 : configNumber(config, 'groups', owner),
      activation: activationFromConfig(config.activation, owner),
      useBias: configBoolean(config, 'use_bias', owner, true),
      kernelInitializer: (config.kernel_initializer as InitializerArg | null) ?? undefined,
      biasInitializer: (config.bias_initializer as InitializerArg | null) ?? undefined,
      kernelRegularizer: config.kernel_regularizer as RegularizerArg,
      biasRegularizer: config.bias_regularizer as RegularizerArg,
      activityRegularizer: config.activity_regularizer as RegularizerArg,
      kernelConstraint: config.kernel_constraint as ConstraintArg,
      biasConstraint: config.bias_constraint as ConstraintArg,
    },
  };
}

export type { CallArgs };
