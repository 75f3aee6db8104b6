/**
 * Masking (Keras's): marks the timesteps whose features all equal `maskValue` as padding. The
 * output is the input with those steps zeroed, and carries a [batch, steps] mask that the next
 * mask-consuming layers (RNNs, GlobalAveragePooling1D, attention) read. See docs/masking.md.
 */
import * as ops from '../../ops/index.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type ConfigDict, configNumber } from '../engine/config.js';
import { baseArgsFromConfig, type CallArgs, Layer, type LayerArgs, sameShape } from '../engine/layer.js';
import type { SymbolicShape } from '../engine/symbolic.js';

export interface MaskingArgs extends LayerArgs {
  /** The padding value; a step is masked when all its features equal it. Default 0. */
  maskValue?: number;
}

export class Masking extends Layer {
  static override readonly className: string = 'Masking';
  readonly maskValue: number;

  constructor(args: MaskingArgs = {}) {
    super(args);
    const value = args.maskValue ?? 0;
    if (typeof value !== 'number' || Number.isNaN(value)) {
      throw new Error(`Masking: \`maskValue\` must be a number, received ${JSON.stringify(args.maskValue)}.`);
    }
    this.maskValue = value;
  }

  /** 1 where any feature of the step differs from maskValue, [batch, steps, ..., 1]. */
  private keptSteps(input: Tensor): Tensor {
    return ops.greater(ops.max(ops.notEqual(input, this.maskValue), -1, true), 0);
  }

  override call(input: Tensor, _args: CallArgs): Tensor {
    return ops.mul(input, ops.cast(this.keptSteps(input), 'float32'));
  }

  override computeMask(input: Tensor, _mask: Tensor | null): Tensor | null {
    return ops.squeeze(this.keptSteps(input), [-1]);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return sameShape(inputShape);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), mask_value: this.maskValue };
  }

  static override fromConfig(config: ConfigDict): Masking {
    const owner = 'Masking.fromConfig';
    return new Masking({ ...baseArgsFromConfig(config, owner), maskValue: configNumber(config, 'mask_value', owner, 0) });
  }
}
