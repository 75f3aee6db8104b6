/** Flatten: [batch, d1, d2, ...] -> [batch, d1 * d2 * ...] (Keras's `Flatten`). */
import * as ops from '../../ops/index.js';
import type { Tensor } from '../../tensor/tensor.js';
import { dataFormatArg } from '../engine/arguments.js';
import type { ConfigDict } from '../engine/config.js';
import { InputSpec } from '../engine/input-spec.js';
import { baseArgsFromConfig, type CallArgs, Layer, type LayerArgs } from '../engine/layer.js';
import type { SymbolicShape } from '../engine/symbolic.js';

export interface FlattenArgs extends LayerArgs {
  dataFormat?: 'channels_last';
}

export class Flatten extends Layer {
  static override readonly className: string = 'Flatten';

  constructor(args: FlattenArgs = {}) {
    super(args);
    dataFormatArg(args.dataFormat, 'Flatten');
    this.inputSpec = [new InputSpec({ minNdim: 1 })];
  }

  override call(input: Tensor, _args: CallArgs): Tensor {
    return ops.reshape(input, [input.shape[0] as number, input.rank === 1 ? 1 : -1]);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const rest = inputShape.slice(1);
    if (rest.length === 0) return [inputShape[0] ?? null, 1];
    const size = rest.some((d) => d === null) ? null : (rest as number[]).reduce((a, b) => a * b, 1);
    return [inputShape[0] ?? null, size];
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), data_format: 'channels_last' };
  }

  static override fromConfig(config: ConfigDict): Flatten {
    dataFormatArg(config.data_format as string | undefined, 'Flatten.fromConfig');
    return new Flatten(baseArgsFromConfig(config, 'Flatten.fromConfig'));
  }
}
