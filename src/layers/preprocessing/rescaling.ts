/** Keras's Rescaling: `x * scale + offset`, in training and inference alike (differentiable). */
import * as ops from '../../ops/index.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type ConfigDict, configNumber } from '../engine/config.js';
import { baseArgsFromConfig, Layer, type LayerArgs, sameShape } from '../engine/layer.js';
import type { SymbolicShape } from '../engine/symbolic.js';

export interface RescalingArgs extends LayerArgs {
  offset?: number;
}

export class Rescaling extends Layer {
  static override readonly className: string = 'Rescaling';

  /** The output keeps the input's shape. */
  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return sameShape(inputShape);
  }
  readonly scale: number;
  readonly offset: number;

  constructor(scale: number, args: RescalingArgs = {}) {
    super(args);
    if (typeof scale !== 'number' || !Number.isFinite(scale))
      throw new Error(`Rescaling: \`scale\` must be a number, received ${String(scale)}.`);
    this.scale = scale;
    this.offset = args.offset ?? 0;
  }

  override call(input: Tensor): Tensor {
    const scaled = ops.mul(input, this.scale);
    return this.offset === 0 ? scaled : ops.add(scaled, this.offset);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), scale: this.scale, offset: this.offset };
  }

  static override fromConfig(config: ConfigDict): Rescaling {
    const owner = 'Rescaling.fromConfig';
    return new Rescaling(configNumber(config, 'scale', owner), {
      ...baseArgsFromConfig(config, owner),
      offset: configNumber(config, 'offset', owner, 0),
    });
  }
}
