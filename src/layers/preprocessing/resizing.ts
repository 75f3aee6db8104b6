/**
 * Keras 3's Resizing: `ops.image.resize` (tf.image.resize semantics, no antialiasing) to
 * (height, width), optionally through the aspect-ratio crop or pad. Active at inference too.
 */
import {
  resizeTf,
  resizeWithPad,
  smartCrop,
  TF_INTERPOLATIONS,
  type TfInterpolation,
} from '../../data/image-kernels/resize-tf.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type ConfigDict, configBoolean, configNumber, configString } from '../engine/config.js';
import { baseArgsFromConfig } from '../engine/layer.js';
import type { SymbolicShape } from '../engine/symbolic.js';
import { ImagePreprocessingLayer, type PreprocessingArgs } from './base.js';

export interface ResizingArgs extends PreprocessingArgs {
  interpolation?: TfInterpolation;
  cropToAspectRatio?: boolean;
  padToAspectRatio?: boolean;
  /** Only 'constant' (Keras's default and only documented value). */
  fillMode?: 'constant';
  fillValue?: number;
}

export class Resizing extends ImagePreprocessingLayer {
  static override readonly className: string = 'Resizing';
  readonly height: number;
  readonly width: number;
  readonly interpolation: TfInterpolation;
  readonly cropToAspectRatio: boolean;
  readonly padToAspectRatio: boolean;
  readonly fillValue: number;

  constructor(height: number, width: number, args: ResizingArgs = {}) {
    super(args);
    if (!Number.isInteger(height) || !Number.isInteger(width) || height < 1 || width < 1) {
      throw new Error(`Resizing: height and width must be positive integers, received ${height} and ${width}.`);
    }
    this.height = height;
    this.width = width;
    this.interpolation = args.interpolation ?? 'bilinear';
    if (!TF_INTERPOLATIONS.includes(this.interpolation)) {
      throw new Error(
        `Resizing: interpolation must be one of ${TF_INTERPOLATIONS.join(', ')}, received '${String(this.interpolation)}'.`,
      );
    }
    this.cropToAspectRatio = args.cropToAspectRatio ?? false;
    this.padToAspectRatio = args.padToAspectRatio ?? false;
    if (this.cropToAspectRatio && this.padToAspectRatio) {
      throw new Error('Resizing: Only one of `pad_to_aspect_ratio`, `crop_to_aspect_ratio` can be set to `True`.');
    }
    if (args.fillMode !== undefined && args.fillMode !== 'constant')
      throw new Error(`Resizing: fill_mode must be 'constant', received '${String(args.fillMode)}'.`);
    this.fillValue = args.fillValue ?? 0;
  }

  override call(input: Tensor): Tensor {
    const b = this.images(input);
    return this.mapImages(b, (data) => {
      const img = { data, height: b.height, width: b.width, channels: b.channels };
      if (this.cropToAspectRatio)
        return resizeTf(smartCrop(img, this.height, this.width), this.height, this.width, this.interpolation);
      if (this.padToAspectRatio) return resizeWithPad(img, this.height, this.width, this.interpolation, this.fillValue);
      return resizeTf(img, this.height, this.width, this.interpolation);
    });
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const s = inputShape.slice();
    s[s.length - 3] = this.height;
    s[s.length - 2] = this.width;
    return s;
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      height: this.height,
      width: this.width,
      interpolation: this.interpolation,
      crop_to_aspect_ratio: this.cropToAspectRatio,
      pad_to_aspect_ratio: this.padToAspectRatio,
      fill_mode: 'constant',
      fill_value: this.fillValue,
    };
  }

  static override fromConfig(config: ConfigDict): Resizing {
    const owner = 'Resizing.fromConfig';
    return new Resizing(configNumber(config, 'height', owner), configNumber(config, 'width', owner), {
      ...baseArgsFromConfig(config, owner),
      interpolation: configString(config, 'interpolation', owner, 'bilinear') as TfInterpolation,
      cropToAspectRatio: configBoolean(config, 'crop_to_aspect_ratio', owner, false),
      padToAspectRatio: configBoolean(config, 'pad_to_aspect_ratio', owner, false),
      fillValue: configNumber(config, 'fill_value', owner, 0),
    });
  }
}
