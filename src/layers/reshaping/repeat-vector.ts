/** RepeatVector: [batch, features] -> [batch, n, features], the input repeated n times. */
import * as ops from '../../ops/index.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type ConfigDict, configNumber } from '../engine/config.js';
import { InputSpec } from '../engine/input-spec.js';
import { baseArgsFromConfig, type CallArgs, Layer, type LayerArgs } from '../engine/layer.js';
import type { SymbolicShape } from '../engine/symbolic.js';

export class RepeatVector extends Layer {
  static override readonly className: string = 'RepeatVector';
  readonly n: number;

  constructor(n: number, args: LayerArgs = {}) {
    super(args);
    if (!Number.isInteger(n) || n < 1)
      throw new Error(`RepeatVector: expected an integer value for \`n\` of at least 1. Received: n=${JSON.stringify(n)}`);
    this.n = n;
    this.inputSpec = [new InputSpec({ ndim: 2 })];
  }

  override computeOutputShape(s: SymbolicShape): SymbolicShape {
    return [s[0] ?? null, this.n, s[1] ?? null];
  }

  override call(input: Tensor, _args: CallArgs): Tensor {
    return ops.tile(ops.expandDims(input, 1), [1, this.n, 1]);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), n: this.n };
  }

  static override fromConfig(config: ConfigDict): RepeatVector {
    const owner = 'RepeatVector.fromConfig';
    return new RepeatVector(configNumber(config, 'n', owner), baseArgsFromConfig(config, owner));
  }
}
