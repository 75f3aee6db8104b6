/** Keras 3's RandomContrast and RandomBrightness: per-image random factors, clipped to `valueRange`, training only. */
import type { Tensor } from '../../tensor/tensor.js';
import type { ConfigDict } from '../engine/config.js';
import { baseArgsFromConfig, type CallArgs } from '../engine/layer.js';
import { configFactor, type Factor, factorConfig, ImagePreprocessingLayer, type RandomArgs } from './base.js';

export interface ColorArgs extends RandomArgs {
  /** The range pixel values live in (and are clipped to); default [0, 255]. */
  valueRange?: [number, number];
}

function valueRangeOf(args: ColorArgs, owner: string): [number, number] {
  const r = args.valueRange ?? [0, 255];
  if (!Array.isArray(r) || r.length !== 2 || !(r[0] < r[1]))
    throw new Error(`${owner}: \`value_range\` must be [low, high] with low < high, received ${String(r)}.`);
  return [r[0], r[1]];
}

function colorArgs(config: ConfigDict, owner: string): ColorArgs {
  const vr = config.value_range;
  return {
    ...baseArgsFromConfig(config, owner),
    valueRange: Array.isArray(vr) && vr.length === 2 ? [vr[0] as number, vr[1] as number] : [0, 255],
    seed: typeof config.seed === 'number' ? config.seed : null,
  };
}

function clip(v: number, r: [number, number]): number {
  return v < r[0] ? r[0] : v > r[1] ? r[1] : v;
}

/** Contrast: (x - per-channel mean) * c + mean, with c uniform in [1 - low, 1 + high]. */
export class RandomContrast extends ImagePreprocessingLayer {
  static override readonly className: string = 'RandomContrast';
  readonly factor: Factor;
  readonly valueRange: [number, number];
  private readonly lower: number;
  private readonly upper: number;

  constructor(factor: Factor, args: ColorArgs = {}) {
    super(args);
    const [lower, upper] = typeof factor === 'number' ? [factor, factor] : [factor[0], factor[1]];
    if (!(lower >= 0 && lower <= 1 && upper >= 0 && upper <= 1)) {
      throw new Error(
        `RandomContrast: \`factor\` values must be in [0, 1] (the contrast factor is drawn from [1 - lower, 1 + upper]), received ${String(factor)}.`,
      );
    }
    this.factor = factor;
    this.lower = lower;
    this.upper = upper;
    this.valueRange = valueRangeOf(args, 'RandomContrast');
  }

  override call(input: Tensor, args: CallArgs): Tensor {
    if (!args.training) return input;
    const b = this.images(input);
    return this.mapImages(b, (img) => {
      const c = 1 - this.lower + (this.lower + this.upper) * this.rng.nextFloat();
      const means = new Float64Array(b.channels);
      for (let i = 0; i < img.length; i++) means[i % b.channels] = (means[i % b.channels] as number) + (img[i] as number);
      for (let k = 0; k < b.channels; k++) means[k] = (means[k] as number) / (b.height * b.width);
      const out = new Float32Array(img.length);
      for (let i = 0; i < img.length; i++) {
        const m = means[i % b.channels] as number;
        out[i] = clip(((img[i] as number) - m) * c + m, this.valueRange);
      }
      return { data: out, height: b.height, width: b.width };
    });
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), factor: factorConfig(this.factor), value_range: [...this.valueRange], seed: this.seed };
  }

  static override fromConfig(config: ConfigDict): RandomContrast {
    const owner = 'RandomContrast.fromConfig';
    return new RandomContrast(configFactor(config.factor, owner, 'factor'), colorArgs(config, owner));
  }
}

/** Brightness: adds uniform(low, high) * (range width) to every pixel, then clips to `valueRange`. */
export class RandomBrightness extends ImagePreprocessingLayer {
  static override readonly className: string = 'RandomBrightness';
  readonly factor: Factor;
  readonly valueRange: [number, number];
  private readonly bounds: [number, number];

  constructor(factor: Factor, args: ColorArgs = {}) {
    super(args);
    const b: [number, number] = typeof factor === 'number' ? [-Math.abs(factor), Math.abs(factor)] : [factor[0], factor[1]];
    if (!(b[0] >= -1 && b[1] <= 1 && b[0] <= b[1])) {
      throw new Error(
        `RandomBrightness: \`factor\` argument should be a number or a pair of numbers in [-1, 1], received ${String(factor)}.`,
      );
    }
    this.factor = factor;
    this.bounds = b;
    this.valueRange = valueRangeOf(args, 'RandomBrightness');
  }

  override call(input: Tensor, args: CallArgs): Tensor {
    if (!args.training) return input;
    const b = this.images(input);
    const span = this.valueRange[1] - this.valueRange[0];
    return this.mapImages(b, (img) => {
      const delta = (this.bounds[0] + (this.bounds[1] - this.bounds[0]) * this.rng.nextFloat()) * span;
      return { data: Float32Array.from(img, (v) => clip(v + delta, this.valueRange)), height: b.height, width: b.width };
    });
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), factor: factorConfig(this.factor), value_range: [...this.valueRange], seed: this.seed };
  }

  static override fromConfig(config: ConfigDict): RandomBrightness {
    const owner = 'RandomBrightness.fromConfig';
    return new RandomBrightness(configFactor(config.factor, owner, 'factor'), colorArgs(config, owner));
  }
}
