/** Keras 3's RandomFlip: each image flipped with probability 1/2 per direction, in training only. */
import { flipHorizontal, flipVertical } from '../../data/image-kernels/adjust.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type ConfigDict, configString } from '../engine/config.js';
import { baseArgsFromConfig, type CallArgs } from '../engine/layer.js';
import { ImagePreprocessingLayer, type RandomArgs } from './base.js';

export type FlipMode = 'horizontal' | 'vertical' | 'horizontal_and_vertical';

export class RandomFlip extends ImagePreprocessingLayer {
  static override readonly className: string = 'RandomFlip';
  readonly mode: FlipMode;

  constructor(mode: FlipMode = 'horizontal_and_vertical', args: RandomArgs = {}) {
    super(args);
    if (!['horizontal', 'vertical', 'horizontal_and_vertical'].includes(mode)) {
      throw new Error(`RandomFlip layer ${this.name} received an unknown mode argument ${String(mode)}`);
    }
    this.mode = mode;
  }

  override call(input: Tensor, args: CallArgs): Tensor {
    if (!args.training) return input;
    const b = this.images(input);
    const horizontal = this.mode !== 'vertical';
    const vertical = this.mode !== 'horizontal';
    return this.mapImages(b, (img) => {
      let out = img;
      if (horizontal && this.rng.nextFloat() < 0.5) out = flipHorizontal(out, b.height, b.width, b.channels);
      if (vertical && this.rng.nextFloat() < 0.5) out = flipVertical(out, b.height, b.width, b.channels);
      return { data: out === img ? img.slice() : out, height: b.height, width: b.width };
    });
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), mode: this.mode, seed: this.seed };
  }

  static override fromConfig(config: ConfigDict): RandomFlip {
    const owner = 'RandomFlip.fromConfig';
    return new RandomFlip(configString(config, 'mode', owner, 'horizontal_and_vertical') as FlipMode, {
      ...baseArgsFromConfig(config, owner),
      seed: typeof config.seed === 'number' ? config.seed : null,
    });
  }
}
