/**
 * Training-only regularization layers: SpatialDropout2D (drops whole feature maps) and
 * GaussianNoise (adds N(0, stddev) noise). Both are the identity at inference.
 */
import * as ops from '../../ops/index.js';
import { RandomGenerator } from '../../tensor/random.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Dropout, type DropoutArgs } from '../core/dropout.js';
import { type ConfigDict, configNumber } from '../engine/config.js';
import { InputSpec } from '../engine/input-spec.js';
import { baseArgsFromConfig, type CallArgs, Layer, type LayerArgs, sameShape } from '../engine/layer.js';
import type { SymbolicShape } from '../engine/symbolic.js';

export class SpatialDropout2D extends Dropout {
  static override readonly className: string = 'SpatialDropout2D';

  constructor(rate: number, args: Omit<DropoutArgs, 'noiseShape'> & { dataFormat?: 'channels_last' } = {}) {
    super(rate, args);
    this.inputSpec = [new InputSpec({ ndim: 4 })];
  }

  /** One draw per (sample, channel): the mask is [batch, 1, 1, channels]. */
  protected override maskShape(input: Tensor): (number | null)[] {
    return [input.shape[0] as number, 1, 1, input.shape[3] as number];
  }

  override getConfig(): ConfigDict {
    const { noise_shape: _unused, ...rest } = super.getConfig();
    return { ...rest, data_format: 'channels_last' };
  }

  static override fromConfig(config: ConfigDict): SpatialDropout2D {
    const owner = 'SpatialDropout2D.fromConfig';
    return new SpatialDropout2D(configNumber(config, 'rate', owner), {
      ...baseArgsFromConfig(config, owner),
      seed: typeof config.seed === 'number' ? config.seed : null,
    });
  }
}

export class GaussianNoise extends Layer {
  static override readonly className: string = 'GaussianNoise';
  /** Keras's `supports_masking`: the input's mask goes on to the output unchanged. */
  protected override readonly supportsMasking = true;

  /** The output keeps the input's shape. */
  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return sameShape(inputShape);
  }
  readonly stddev: number;
  readonly seed: number | null;
  private readonly rng: RandomGenerator | null;

  constructor(stddev: number, args: LayerArgs & { seed?: number | null } = {}) {
    super(args);
    if (typeof stddev !== 'number' || !(stddev >= 0)) {
      throw new Error(`Invalid value received for argument \`stddev\`. Expected a float value >= 0. Received: stddev=${stddev}`);
    }
    this.stddev = stddev;
    this.seed = args.seed ?? null;
    this.rng = this.seed === null ? null : new RandomGenerator(this.seed);
  }

  override call(input: Tensor, args: CallArgs): Tensor {
    if (!args.training || this.stddev === 0) return input;
    return ops.add(
      input,
      ops.randomNormal(input.shape, { stddev: this.stddev, seed: this.rng ? this.rng.nextSeed() : undefined }),
    );
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), stddev: this.stddev, seed: this.seed };
  }

  static override fromConfig(config: ConfigDict): GaussianNoise {
    const owner = 'GaussianNoise.fromConfig';
    return new GaussianNoise(configNumber(config, 'stddev', owner), {
      ...baseArgsFromConfig(config, owner),
      seed: typeof config.seed === 'number' ? config.seed : null,
    });
  }
}
