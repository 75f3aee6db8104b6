/** Activation layers with parameters: ReLU, LeakyReLU, ELU, Softmax (Keras 3 semantics). */
import * as ops from '../../ops/index.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type ConfigDict, configNumber } from '../engine/config.js';
import { baseArgsFromConfig, type CallArgs, Layer, type LayerArgs, sameShape } from '../engine/layer.js';
import type { SymbolicShape } from '../engine/symbolic.js';

export interface ReLUArgs extends LayerArgs {
  maxValue?: number | null;
  negativeSlope?: number;
  threshold?: number;
}

/**
 * Keras's relu(x, negative_slope, max_value, threshold): x above the threshold, clipped at
 * max_value, and negative_slope * (x - threshold) below it.
 */
export class ReLU extends Layer {
  static override readonly className: string = 'ReLU';
  /** Keras's `supports_masking`: the input's mask goes on to the output unchanged. */
  protected override readonly supportsMasking = true;

  /** The output keeps the input's shape. */
  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return sameShape(inputShape);
  }
  readonly maxValue: number | null;
  readonly negativeSlope: number;
  readonly threshold: number;

  constructor(args: ReLUArgs = {}) {
    super(args);
    this.maxValue = args.maxValue ?? null;
    this.negativeSlope = args.negativeSlope ?? 0;
    this.threshold = args.threshold ?? 0;
    if (this.maxValue !== null && this.maxValue < 0) {
      throw new Error(`max_value of a ReLU layer cannot be a negative value. Received: ${this.maxValue}`);
    }
    if (this.negativeSlope < 0)
      throw new Error(`negative_slope of a ReLU layer cannot be a negative value. Received: ${this.negativeSlope}`);
  }

  override call(input: Tensor, _args: CallArgs): Tensor {
    const { maxValue, negativeSlope, threshold } = this;
    if (negativeSlope !== 0 && maxValue === null && threshold === 0) return ops.leakyRelu(input, negativeSlope);
    const negativePart =
      negativeSlope !== 0 ? ops.relu(threshold !== 0 ? ops.add(ops.neg(input), threshold) : ops.neg(input)) : null;
    let x: Tensor;
    let clip = maxValue !== null;
    if (threshold !== 0) x = ops.mul(input, ops.cast(ops.greater(input, threshold), 'float32'));
    else if (maxValue === 6) {
      x = ops.relu6(input);
      clip = false;
    } else x = ops.relu(input);
    if (clip) x = ops.clip(x, 0, maxValue as number);
    if (negativePart) x = ops.sub(x, ops.mul(negativePart, negativeSlope));
    return x;
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), max_value: this.maxValue, negative_slope: this.negativeSlope, threshold: this.threshold };
  }

  static override fromConfig(config: ConfigDict): ReLU {
    const owner = 'ReLU.fromConfig';
    return new ReLU({
      ...baseArgsFromConfig(config, owner),
      maxValue: typeof config.max_value === 'number' ? config.max_value : null,
      negativeSlope: configNumber(config, 'negative_slope', owner, 0),
      threshold: configNumber(config, 'threshold', owner, 0),
    });
  }
}

/** max(x, negativeSlope * x); Keras 3's default slope is 0.3. */
export class LeakyReLU extends Layer {
  static override readonly className: string = 'LeakyReLU';
  /** Keras's `supports_masking`: the input's mask goes on to the output unchanged. */
  protected override readonly supportsMasking = true;

  /** The output keeps the input's shape. */
  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return sameShape(inputShape);
  }
  readonly negativeSlope: number;

  constructor(args: LayerArgs & { negativeSlope?: number; alpha?: number } = {}) {
    super(args);
    this.negativeSlope = args.negativeSlope ?? args.alpha ?? 0.3;
    if (!(this.negativeSlope >= 0)) {
      throw new Error(
        `The negative_slope value of a Leaky ReLU layer cannot be None or negative value. Expected a float. Received: negative_slope=${this.negativeSlope}`,
      );
    }
  }

  override call(input: Tensor, _args: CallArgs): Tensor {
    return ops.leakyRelu(input, this.negativeSlope);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), negative_slope: this.negativeSlope };
  }

  static override fromConfig(config: ConfigDict): LeakyReLU {
    const owner = 'LeakyReLU.fromConfig';
    // Keras 2 called the slope `alpha`.
    const slope = config.negative_slope ?? config.alpha;
    return new LeakyReLU({ ...baseArgsFromConfig(config, owner), negativeSlope: typeof slope === 'number' ? slope : 0.3 });
  }
}

export class ELU extends Layer {
  static override readonly className: string = 'ELU';
  /** Keras's `supports_masking`: the input's mask goes on to the output unchanged. */
  protected override readonly supportsMasking = true;

  /** The output keeps the input's shape. */
  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return sameShape(inputShape);
  }
  readonly alpha: number;

  constructor(args: LayerArgs & { alpha?: number } = {}) {
    super(args);
    this.alpha = args.alpha ?? 1;
  }

  override call(input: Tensor, _args: CallArgs): Tensor {
    return ops.elu(input, this.alpha);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), alpha: this.alpha };
  }

  static override fromConfig(config: ConfigDict): ELU {
    const owner = 'ELU.fromConfig';
    return new ELU({ ...baseArgsFromConfig(config, owner), alpha: configNumber(config, 'alpha', owner, 1) });
  }
}

export class Softmax extends Layer {
  static override readonly className: string = 'Softmax';
  /** Keras's `supports_masking`: the input's mask goes on to the output unchanged. */
  protected override readonly supportsMasking = true;

  /** The output keeps the input's shape. */
  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return sameShape(inputShape);
  }
  readonly axis: number;

  constructor(args: LayerArgs & { axis?: number } = {}) {
    super(args);
    this.axis = args.axis ?? -1;
  }

  override call(input: Tensor, _args: CallArgs): Tensor {
    return ops.softmax(input, this.axis);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), axis: this.axis };
  }

  static override fromConfig(config: ConfigDict): Softmax {
    const owner = 'Softmax.fromConfig';
    const axis = config.axis;
    if (Array.isArray(axis))
      throw new Error(`${owner}: only a single softmax axis is supported, received ${JSON.stringify(axis)}.`);
    return new Softmax({ ...baseArgsFromConfig(config, owner), axis: typeof axis === 'number' ? axis : -1 });
  }
}
