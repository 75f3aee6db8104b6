/**
 * Keras 3's geometric augmentation layers (RandomRotation, RandomZoom, RandomTranslation): a
 * random projective transform per image, applied like `ops.image.affine_transform` (TF's
 * ImageProjectiveTransformV3 semantics: fill modes reflect / wrap / constant / nearest, nearest or
 * bilinear), in training only. Note the defaults differ from ImageDataGenerator: `fillMode`
 * 'reflect' here, 'nearest' there.
 */
import {
  type ProjectiveTransform,
  projectiveTransform,
  TF_FILL_MODES,
  type TfFillMode,
} from '../../data/image-kernels/projective-tf.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type ConfigDict, configNumber, configString } from '../engine/config.js';
import { baseArgsFromConfig, type CallArgs } from '../engine/layer.js';
import { configFactor, type Factor, factorBounds, factorConfig, ImagePreprocessingLayer, type RandomArgs } from './base.js';

export interface AffineLayerArgs extends RandomArgs {
  fillMode?: TfFillMode;
  interpolation?: 'nearest' | 'bilinear';
  fillValue?: number;
}

abstract class RandomAffineLayer extends ImagePreprocessingLayer {
  readonly fillMode: TfFillMode;
  readonly interpolation: 'nearest' | 'bilinear';
  readonly fillValue: number;

  constructor(args: AffineLayerArgs) {
    super(args);
    this.fillMode = args.fillMode ?? 'reflect';
    this.interpolation = args.interpolation ?? 'bilinear';
    this.fillValue = args.fillValue ?? 0;
    if (!TF_FILL_MODES.includes(this.fillMode)) {
      throw new Error(`Unknown \`fill_mode\` ${String(this.fillMode)}. Expected of one ${TF_FILL_MODES.join(', ')}.`);
    }
    if (this.interpolation !== 'nearest' && this.interpolation !== 'bilinear') {
      throw new Error(`Unknown \`interpolation\` ${String(this.interpolation)}. Expected of one nearest, bilinear.`);
    }
  }

  /** The transform for one image of this size, drawn from the layer's generator. */
  protected abstract drawTransform(height: number, width: number): ProjectiveTransform;

  override call(input: Tensor, args: CallArgs): Tensor {
    if (!args.training) return input;
    const b = this.images(input);
    return this.mapImages(b, (img) => ({
      data: projectiveTransform(
        img,
        b.height,
        b.width,
        b.channels,
        this.drawTransform(b.height, b.width),
        this.interpolation,
        this.fillMode,
        this.fillValue,
      ),
      height: b.height,
      width: b.width,
    }));
  }

  protected uniform(low: number, high: number): number {
    return low + (high - low) * this.rng.nextFloat();
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      fill_mode: this.fillMode,
      interpolation: this.interpolation,
      fill_value: this.fillValue,
      seed: this.seed,
    };
  }
}

function affineArgs(config: ConfigDict, owner: string): AffineLayerArgs {
  return {
    ...baseArgsFromConfig(config, owner),
    fillMode: configString(config, 'fill_mode', owner, 'reflect') as TfFillMode,
    interpolation: configString(config, 'interpolation', owner, 'bilinear') as 'nearest' | 'bilinear',
    fillValue: configNumber(config, 'fill_value', owner, 0),
    seed: typeof config.seed === 'number' ? config.seed : null,
  };
}

/** Rotation by a random fraction of a full turn in [factor low, factor high] (counter-clockwise positive). */
export class RandomRotation extends RandomAffineLayer {
  static override readonly className: string = 'RandomRotation';
  readonly factor: Factor;
  private readonly bounds: [number, number];

  constructor(factor: Factor, args: AffineLayerArgs = {}) {
    super(args);
    this.factor = factor;
    this.bounds = factorBounds(factor, 'RandomRotation');
  }

  protected drawTransform(h: number, w: number): ProjectiveTransform {
    const angle = this.uniform(this.bounds[0] * 2 * Math.PI, this.bounds[1] * 2 * Math.PI);
    const cos = Math.cos(angle);
    const sin = Math.sin(angle);
    const xOffset = (w - 1 - (cos * (w - 1) - sin * (h - 1))) / 2;
    const yOffset = (h - 1 - (sin * (w - 1) + cos * (h - 1))) / 2;
    return [cos, -sin, xOffset, sin, cos, yOffset, 0, 0];
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), factor: factorConfig(this.factor) };
  }

  static override fromConfig(config: ConfigDict): RandomRotation {
    const owner = 'RandomRotation.fromConfig';
    return new RandomRotation(configFactor(config.factor, owner, 'factor'), affineArgs(config, owner));
  }
}

function checkZoomBounds(b: [number, number], name: string): void {
  if (b[0] > b[1]) throw new Error(`RandomZoom: \`${name}\` lower bound ${b[0]} is larger than the upper bound ${b[1]}.`);
  if (b[0] < -1)
    throw new Error(`RandomZoom: \`${name}\` lower bound must be >= -1 (zoom factors are 1 + factor), received ${b[0]}.`);
}

/** Zoom: factors in [1 + low, 1 + high] (positive zooms out, negative zooms in); width follows height unless given. */
export class RandomZoom extends RandomAffineLayer {
  static override readonly className: string = 'RandomZoom';
  readonly heightFactor: Factor;
  readonly widthFactor: Factor | null;
  private readonly hBounds: [number, number];
  private readonly wBounds: [number, number] | null;

  constructor(heightFactor: Factor, widthFactor: Factor | null = null, args: AffineLayerArgs = {}) {
    super(args);
    this.heightFactor = heightFactor;
    this.widthFactor = widthFactor;
    this.hBounds = factorBounds(heightFactor, 'RandomZoom', 'height_factor');
    checkZoomBounds(this.hBounds, 'height_factor');
    this.wBounds = widthFactor === null ? null : factorBounds(widthFactor, 'RandomZoom', 'width_factor');
    if (this.wBounds) checkZoomBounds(this.wBounds, 'width_factor');
  }

  protected drawTransform(h: number, w: number): ProjectiveTransform {
    const zy = this.uniform(1 + this.hBounds[0], 1 + this.hBounds[1]);
    const zx = this.wBounds ? this.uniform(1 + this.wBounds[0], 1 + this.wBounds[1]) : zy;
    return [zx, 0, ((w - 1) / 2) * (1 - zx), 0, zy, ((h - 1) / 2) * (1 - zy), 0, 0];
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      height_factor: factorConfig(this.heightFactor),
      width_factor: this.widthFactor === null ? null : factorConfig(this.widthFactor),
    };
  }

  static override fromConfig(config: ConfigDict): RandomZoom {
    const owner = 'RandomZoom.fromConfig';
    const width =
      config.width_factor === null || config.width_factor === undefined
        ? null
        : configFactor(config.width_factor, owner, 'width_factor');
    return new RandomZoom(configFactor(config.height_factor, owner, 'height_factor'), width, affineArgs(config, owner));
  }
}

/** Translation by random fractions of the height and width. */
export class RandomTranslation extends RandomAffineLayer {
  static override readonly className: string = 'RandomTranslation';
  readonly heightFactor: Factor;
  readonly widthFactor: Factor;
  private readonly hBounds: [number, number];
  private readonly wBounds: [number, number];

  constructor(heightFactor: Factor, widthFactor: Factor, args: AffineLayerArgs = {}) {
    super(args);
    this.heightFactor = heightFactor;
    this.widthFactor = widthFactor;
    this.hBounds = factorBounds(heightFactor, 'RandomTranslation', 'height_factor');
    this.wBounds = factorBounds(widthFactor, 'RandomTranslation', 'width_factor');
    for (const [b, name] of [
      [this.hBounds, 'height_factor'],
      [this.wBounds, 'width_factor'],
    ] as const) {
      if (b[0] > b[1] || b[0] < -1 || b[1] > 1) {
        throw new Error(
          `RandomTranslation: \`${name}\` must be within [-1, 1] with lower <= upper, received [${b[0]}, ${b[1]}].`,
        );
      }
    }
  }

  protected drawTransform(h: number, w: number): ProjectiveTransform {
    const dy = this.uniform(this.hBounds[0], this.hBounds[1]) * h;
    const dx = this.uniform(this.wBounds[0], this.wBounds[1]) * w;
    return [1, 0, -dx, 0, 1, -dy, 0, 0];
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), height_factor: factorConfig(this.heightFactor), width_factor: factorConfig(this.widthFactor) };
  }

  static override fromConfig(config: ConfigDict): RandomTranslation {
    const owner = 'RandomTranslation.fromConfig';
    return new RandomTranslation(
      configFactor(config.height_factor, owner, 'height_factor'),
      configFactor(config.width_factor, owner, 'width_factor'),
      affineArgs(config, owner),
    );
  }
}
