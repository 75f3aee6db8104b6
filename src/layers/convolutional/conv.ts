/** Conv2D and Conv1D: thin subclasses of BaseConv fixing the rank. */
import * as ops from '../../ops/index.js';
import type { Tensor, Variable } from '../../tensor/tensor.js';
import { keywordForm } from '../engine/arguments.js';
import type { ConfigDict } from '../engine/config.js';
import type { CallArgs } from '../engine/layer.js';
import { BaseConv, type ConvArgs, convArgsFromConfig } from './base-conv.js';

/** (filters, kernelSize, args) from the positional or keyword form. */
function convForm(owner: string, given: unknown[]): [number, number | readonly number[], ConvArgs] {
  const { values, args } = keywordForm<ConvArgs>(owner, ['filters', 'kernelSize'], given);
  return [values[0] as number, values[1] as number | readonly number[], args];
}

/** 2-D convolution over NHWC input; kernel [kh, kw, inChannels, filters]. */
export class Conv2D extends BaseConv {
  static override readonly className: string = 'Conv2D';

  constructor(filters: number, kernelSize: number | readonly [number, number], args?: ConvArgs);
  /** Keras's keyword forms: `new Conv2D(32, { kernelSize: 3 })`, `new Conv2D({ filters: 32, kernelSize: 3 })`. */
  constructor(filters: number, args: ConvArgs & { kernelSize: number | readonly [number, number] });
  constructor(args: ConvArgs & { filters: number; kernelSize: number | readonly [number, number] });
  constructor(...given: unknown[]) {
    super(2, ...convForm('Conv2D', given));
  }

  override call(input: Tensor, _args: CallArgs): Tensor {
    return this.conv2dForward(input, this.kernel as Variable, this.strides, this.dilationRate, this.padding as 'valid' | 'same');
  }

  static override fromConfig(config: ConfigDict): Conv2D {
    const { filters, kernelSize, args } = convArgsFromConfig(config, 'Conv2D.fromConfig');
    return new Conv2D(filters, kernelSize as [number, number], args);
  }
}

/**
 * 1-D convolution over [batch, steps, channels], computed as a 2-D convolution of height 1;
 * 'causal' padding left-pads (kernel - 1) * dilation steps.
 */
export class Conv1D extends BaseConv {
  static override readonly className: string = 'Conv1D';

  constructor(filters: number, kernelSize: number | readonly [number], args?: ConvArgs);
  /** Keras's keyword forms: `new Conv1D(32, { kernelSize: 3 })`, `new Conv1D({ filters: 32, kernelSize: 3 })`. */
  constructor(filters: number, args: ConvArgs & { kernelSize: number | readonly [number] });
  constructor(args: ConvArgs & { filters: number; kernelSize: number | readonly [number] });
  constructor(...given: unknown[]) {
    super(1, ...convForm('Conv1D', given));
  }

  override call(input: Tensor, _args: CallArgs): Tensor {
    const k = this.kernelSize[0] as number;
    const d = this.dilationRate[0] as number;
    let x = input;
    let padding: 'valid' | 'same' = this.padding === 'same' ? 'same' : 'valid';
    if (this.padding === 'causal') {
      x = ops.pad(x, [
        [0, 0],
        [(k - 1) * d, 0],
        [0, 0],
      ]);
      padding = 'valid';
    }
    const kernel = this.kernel as Variable;
    const x4 = ops.expandDims(x, 1);
    const k4 = ops.expandDims(kernel, 0);
    const y = this.conv2dForward(x4, k4, [1, this.strides[0] as number], [1, d], padding);
    return ops.squeeze(y, [1]);
  }

  static override fromConfig(config: ConfigDict): Conv1D {
    const { filters, kernelSize, args } = convArgsFromConfig(config, 'Conv1D.fromConfig');
    return new Conv1D(filters, kernelSize as [number], args);
  }
}
