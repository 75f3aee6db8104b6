/**
 * Dropout: in training, zeroes each input with probability `rate` and scales the rest by
 * 1 / (1 - rate); at inference it is the identity (Keras's inverted dropout). A seeded layer
 * draws a fresh, reproducible mask on every call.
 */
import * as ops from '../../ops/index.js';
import { RandomGenerator } from '../../tensor/random.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type ConfigDict, configNumber } from '../engine/config.js';
import { baseArgsFromConfig, type CallArgs, Layer, type LayerArgs, sameShape } from '../engine/layer.js';
import type { SymbolicShape } from '../engine/symbolic.js';

export interface DropoutArgs extends LayerArgs {
  /** Shape of the binary mask (null entries follow the input), e.g. [null, 1, 1, null]. */
  noiseShape?: readonly (number | null)[] | null;
  seed?: number | null;
}

export class Dropout extends Layer {
  static override readonly className: string = 'Dropout';
  /** Keras's `supports_masking`: the input's mask goes on to the output unchanged. */
  protected override readonly supportsMasking = true;

  /** The output keeps the input's shape. */
  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return sameShape(inputShape);
  }
  readonly rate: number;
  readonly noiseShape: (number | null)[] | null;
  readonly seed: number | null;
  private readonly rng: RandomGenerator | null;

  constructor(rate: number, args: DropoutArgs = {}) {
    super(args);
    if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) {
      throw new Error(
        `Invalid value received for argument \`rate\`. Expected a float value between 0 and 1. Received: rate=${rate}`,
      );
    }
    this.rate = rate;
    this.noiseShape = args.noiseShape ? args.noiseShape.slice() : null;
    this.seed = args.seed ?? null;
    this.rng = this.seed === null ? null : new RandomGenerator(this.seed);
  }

  /** The mask shape for one call; subclasses (SpatialDropout2D) choose their own. */
  protected maskShape(_input: Tensor): (number | null)[] | undefined {
    return this.noiseShape ?? undefined;
  }

  override call(input: Tensor, args: CallArgs): Tensor {
    if (!args.training || this.rate === 0) return input;
    if (this.rate === 1) return ops.mul(input, 0);
    return ops.dropout(input, this.rate, { seed: this.rng ? this.rng.nextSeed() : undefined, noiseShape: this.maskShape(input) });
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed, noise_shape: this.noiseShape };
  }

  static override fromConfig(config: ConfigDict): Dropout {
    const owner = 'Dropout.fromConfig';
    return new Dropout(configNumber(config, 'rate', owner), {
      ...baseArgsFromConfig(config, owner),
      noiseShape: Array.isArray(config.noise_shape) ? (config.noise_shape as (number | null)[]) : null,
      seed: typeof config.seed === 'number' ? config.seed : null,
    });
  }
}
