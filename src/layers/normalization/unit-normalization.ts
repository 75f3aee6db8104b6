/** UnitNormalization (Keras's): each sample scaled to unit L2 norm over `axis` (x * rsqrt(max(Σx², 1e-12))). */
import * as ops from '../../ops/index.js';
import { normalizeAxis } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { ConfigDict } from '../engine/config.js';
import { baseArgsFromConfig, type CallArgs, Layer, type LayerArgs, sameShape } from '../engine/layer.js';
import type { SymbolicShape } from '../engine/symbolic.js';

export class UnitNormalization extends Layer {
  static override readonly className: string = 'UnitNormalization';
  readonly axis: number | number[];

  constructor(args: LayerArgs & { axis?: number | readonly number[] } = {}) {
    super(args);
    const axis = args.axis ?? -1;
    const list = typeof axis === 'number' ? [axis] : [...axis];
    if (list.length === 0 || !list.every(Number.isInteger)) {
      throw new Error(
        `UnitNormalization: invalid value for \`axis\` argument: expected an int or a list of ints. Received: axis=${JSON.stringify(axis)}`,
      );
    }
    this.axis = typeof axis === 'number' ? axis : list;
  }

  override computeOutputShape(s: SymbolicShape): SymbolicShape {
    return sameShape(s);
  }

  override call(input: Tensor, _args: CallArgs): Tensor {
    const axes = (typeof this.axis === 'number' ? [this.axis] : this.axis).map((a) =>
      normalizeAxis(a, input.rank, `UnitNormalization "${this.name}"`),
    );
    return ops.l2Normalize(input, axes);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), axis: typeof this.axis === 'number' ? this.axis : this.axis.slice() };
  }

  static override fromConfig(config: ConfigDict): UnitNormalization {
    return new UnitNormalization({
      ...baseArgsFromConfig(config, 'UnitNormalization.fromConfig'),
      axis: config.axis as number | number[] | undefined,
    });
  }
}
