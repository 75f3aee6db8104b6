/**
 * Keras 3's RandomCrop: in training, a (height, width) window at a random position of each image;
 * at inference (and in training for images smaller than the window) the largest centred window
 * with the target's aspect ratio, resized (bilinear) to (height, width), so the output shape never
 * depends on the mode.
 */
import { resizeTf, smartCrop } from '../../data/image-kernels/resize-tf.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type ConfigDict, configNumber } from '../engine/config.js';
import { baseArgsFromConfig, type CallArgs } from '../engine/layer.js';
import type { SymbolicShape } from '../engine/symbolic.js';
import { ImagePreprocessingLayer, type RandomArgs } from './base.js';

export class RandomCrop extends ImagePreprocessingLayer {
  static override readonly className: string = 'RandomCrop';
  readonly height: number;
  readonly width: number;

  constructor(height: number, width: number, args: RandomArgs = {}) {
    super(args);
    if (!Number.isInteger(height) || !Number.isInteger(width) || height < 1 || width < 1) {
      throw new Error(`RandomCrop: height and width must be positive integers, received ${height} and ${width}.`);
    }
    this.height = height;
    this.width = width;
  }

  override call(input: Tensor, args: CallArgs): Tensor {
    const b = this.images(input);
    const fits = b.height >= this.height && b.width >= this.width;
    return this.mapImages(b, (data) => {
      const img = { data, height: b.height, width: b.width, channels: b.channels };
      if (!args.training || !fits) return resizeTf(smartCrop(img, this.height, this.width), this.height, this.width, 'bilinear');
      const top = this.rng.nextInt(b.height - this.height + 1);
      const left = this.rng.nextInt(b.width - this.width + 1);
      const out = new Float32Array(this.height * this.width * b.channels);
      const row = this.width * b.channels;
      for (let y = 0; y < this.height; y++) {
        const src = ((top + y) * b.width + left) * b.channels;
        out.set(data.subarray(src, src + row), y * row);
      }
      return { data: out, height: this.height, width: this.width };
    });
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const s = inputShape.slice();
    s[s.length - 3] = this.height;
    s[s.length - 2] = this.width;
    return s;
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), height: this.height, width: this.width, seed: this.seed };
  }

  static override fromConfig(config: ConfigDict): RandomCrop {
    const owner = 'RandomCrop.fromConfig';
    return new RandomCrop(configNumber(config, 'height', owner), configNumber(config, 'width', owner), {
      ...baseArgsFromConfig(config, owner),
      seed: typeof config.seed === 'number' ? config.seed : null,
    });
  }
}
