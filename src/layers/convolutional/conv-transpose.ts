/**
 * Conv2DTranspose and Conv1DTranspose (Keras's BaseConvTranspose): the kernel is laid out
 * [...kernelSize, filters, inChannels] (output channels before input channels, as Keras stores
 * it), the output length follows Keras's `compute_conv_transpose_output_length`, and the forward
 * runs on the backend's conv2dBackpropInput kernel (ops/conv-transpose.ts).
 */

import { convTransposeLength } from '../../ops/conv-transpose.js';
import * as ops from '../../ops/index.js';
import type { Tensor, Variable } from '../../tensor/tensor.js';
import { keywordForm } from '../engine/arguments.js';
import type { ConfigDict } from '../engine/config.js';
import { InputSpec } from '../engine/input-spec.js';
import type { CallArgs } from '../engine/layer.js';
import { formatPythonShape, type SymbolicShape } from '../engine/symbolic.js';
import { BaseConv, type ConvArgs, convArgsFromConfig } from './base-conv.js';

export interface ConvTransposeArgs extends Omit<ConvArgs, 'groups' | 'padding'> {
  padding?: 'valid' | 'same';
  /** Keras's `output_padding`: extra length at the end of each spatial axis, below its stride; null lets Keras infer it. */
  outputPadding?: number | readonly number[] | null;
}

function transposeForm(owner: string, given: unknown[]): [number, number | readonly number[], ConvTransposeArgs] {
  const { values, args } = keywordForm<ConvTransposeArgs>(owner, ['filters', 'kernelSize'], given);
  return [values[0] as number, values[1] as number | readonly number[], args];
}

abstract class BaseConvTranspose extends BaseConv {
  readonly outputPadding: number[] | null;

  constructor(rank: number, filters: number, kernelSize: number | readonly number[], args: ConvTransposeArgs) {
    super(rank, filters, kernelSize, args);
    const owner = (this.constructor as unknown as { className: string }).className;
    if (this.padding === 'causal')
      throw new Error(`${owner}: the \`padding\` argument must be one of "valid", "same". Received: causal`);
    const given = args.outputPadding ?? null;
    if (given === null) this.outputPadding = null;
    else {
      const list = typeof given === 'number' ? new Array<number>(rank).fill(given) : [...given];
      if (list.length !== rank || list.some((p) => !Number.isInteger(p) || p < 0)) {
        throw new Error(
          `${owner}: the \`output_padding\` argument must be a tuple of ${rank} non-negative integers (or one integer). Received: output_padding=${JSON.stringify(given)}`,
        );
      }
      list.forEach((p, i) => {
        if (p >= (this.strides[i] as number)) {
          throw new Error(
            `${owner}: \`output_padding\` must be < \`strides\`. output_padding=${JSON.stringify(list)}, strides=${JSON.stringify(this.strides)}`,
          );
        }
      });
      this.outputPadding = list;
    }
  }

  override build(inputShape: SymbolicShape): void {
    const inChannels = this.inChannelsOf(inputShape);
    this.kernel = this.addWeight('kernel', {
      shape: [...this.kernelSize, this.filters, inChannels],
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

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const spatial = inputShape.slice(1, 1 + this.rank).map((d, i) => {
      if (d === null || d === undefined) return null;
      const { length } = convTransposeLength(
        d,
        this.kernelSize[i] as number,
        this.padding as 'valid' | 'same',
        this.strides[i] as number,
        this.dilationRate[i] as number,
        this.outputPadding ? (this.outputPadding[i] as number) : null,
      );
      if (length <= 0) {
        throw new Error(
          `${this.className} "${this.name}": computed output size would be negative or zero. Received \`inputs shape=${formatPythonShape(inputShape)}\`.`,
        );
      }
      return length;
    });
    return [inputShape[0] ?? null, ...spatial, this.filters];
  }

  /** Transposed conv + bias + activation on NHWC input with a [kh, kw, filters, in] kernel. */
  protected transposeForward(
    x: Tensor,
    kernel: Tensor,
    strides: number[],
    dilation: number[],
    outputPadding: number[] | null,
  ): Tensor {
    let y = ops.conv2dTranspose(x, kernel, {
      strides: strides as [number, number],
      dilationRate: dilation as [number, number],
      padding: this.padding as 'valid' | 'same',
      outputPadding: outputPadding as [number, number] | null,
    });
    if (this.bias) y = ops.add(y, this.bias);
    return this.activation.apply(y);
  }

  /** tf.keras wrote `output_padding` (Keras 3's get_config leaves it out but its constructor takes it): kept so the layer round-trips. */
  override getConfig(): ConfigDict {
    const { groups: _groups, ...config } = super.getConfig();
    return { ...config, output_padding: this.outputPadding ? this.outputPadding.slice() : null };
  }
}

/** The constructor arguments of a transposed conv read back from its config. */
function transposeArgsFromConfig(config: ConfigDict, owner: string): [number, number[], ConvTransposeArgs] {
  const { filters, kernelSize, args } = convArgsFromConfig(config, owner);
  const { groups: _groups, padding, ...rest } = args;
  const op = config.output_padding;
  return [
    filters,
    kernelSize,
    {
      ...rest,
      padding: padding as 'valid' | 'same',
      outputPadding: op === null || op === undefined ? null : (op as number | number[]),
    },
  ];
}

/** Transposed 2-D convolution ("deconvolution") over NHWC input; kernel [kh, kw, filters, inChannels]. */
export class Conv2DTranspose extends BaseConvTranspose {
  static override readonly className: string = 'Conv2DTranspose';

  constructor(filters: number, kernelSize: number | readonly [number, number], args?: ConvTransposeArgs);
  constructor(filters: number, args: ConvTransposeArgs & { kernelSize: number | readonly [number, number] });
  constructor(args: ConvTransposeArgs & { filters: number; kernelSize: number | readonly [number, number] });
  constructor(...given: unknown[]) {
    super(2, ...transposeForm('Conv2DTranspose', given));
  }

  override call(input: Tensor, _args: CallArgs): Tensor {
    return this.transposeForward(input, this.kernel as Variable, this.strides, this.dilationRate, this.outputPadding);
  }

  static override fromConfig(config: ConfigDict): Conv2DTranspose {
    const [filters, kernelSize, args] = transposeArgsFromConfig(config, 'Conv2DTranspose.fromConfig');
    return new Conv2DTranspose(filters, kernelSize as [number, number], args);
  }
}

/** Transposed 1-D convolution over [batch, steps, channels], computed as a 2-D one of height 1. */
export class Conv1DTranspose extends BaseConvTranspose {
  static override readonly className: string = 'Conv1DTranspose';

  constructor(filters: number, kernelSize: number | readonly [number], args?: ConvTransposeArgs);
  constructor(filters: number, args: ConvTransposeArgs & { kernelSize: number | readonly [number] });
  constructor(args: ConvTransposeArgs & { filters: number; kernelSize: number | readonly [number] });
  constructor(...given: unknown[]) {
    super(1, ...transposeForm('Conv1DTranspose', given));
  }

  override call(input: Tensor, _args: CallArgs): Tensor {
    const x4 = ops.expandDims(input, 1);
    const k4 = ops.expandDims(this.kernel as Variable, 0);
    const op = this.outputPadding ? [0, this.outputPadding[0] as number] : null;
    const y = this.transposeForward(x4, k4, [1, this.strides[0] as number], [1, this.dilationRate[0] as number], op);
    return ops.squeeze(y, [1]);
  }

  static override fromConfig(config: ConfigDict): Conv1DTranspose {
    const [filters, kernelSize, args] = transposeArgsFromConfig(config, 'Conv1DTranspose.fromConfig');
    return new Conv1DTranspose(filters, kernelSize as [number], args);
  }
}
