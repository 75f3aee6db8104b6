/** Reshape (target shape without the batch axis, one -1 allowed) and Permute (1-based axes). */
import * as ops from '../../ops/index.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type ConfigDict, configNumbers } from '../engine/config.js';
import { baseArgsFromConfig, type CallArgs, Layer, type LayerArgs } from '../engine/layer.js';
import { formatPythonShape, type SymbolicShape } from '../engine/symbolic.js';

export class Reshape extends Layer {
  static override readonly className: string = 'Reshape';
  readonly targetShape: number[];

  constructor(targetShape: readonly number[], args: LayerArgs = {}) {
    super(args);
    if (!Array.isArray(targetShape) || targetShape.some((d) => !Number.isInteger(d) || (d < 0 && d !== -1))) {
      throw new Error(
        `Reshape: \`target_shape\` must be a list of positive integers (one may be -1). Received: ${JSON.stringify(targetShape)}`,
      );
    }
    if (targetShape.filter((d) => d === -1).length > 1) {
      throw new Error(
        `Reshape: there can only be one unknown dimension (-1) in \`target_shape\`. Received: ${JSON.stringify(targetShape)}`,
      );
    }
    this.targetShape = targetShape.slice();
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const rest = inputShape.slice(1);
    const known = this.targetShape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    if (rest.some((d) => d === null)) return [inputShape[0] ?? null, ...this.targetShape.map((d) => (d === -1 ? null : d))];
    const total = (rest as number[]).reduce((a, b) => a * b, 1);
    const unknown = this.targetShape.indexOf(-1);
    if ((unknown < 0 && known !== total) || (unknown >= 0 && (known === 0 || total % known !== 0))) {
      throw new Error(
        `Layer "${this.name}": total size of new array must be unchanged, input_shape = ${formatPythonShape(rest)}, output_shape = ${formatPythonShape(this.targetShape)}`,
      );
    }
    return [inputShape[0] ?? null, ...this.targetShape.map((d) => (d === -1 ? total / known : d))];
  }

  override call(input: Tensor, _args: CallArgs): Tensor {
    const out = this.computeOutputShape([null, ...input.shape.slice(1)]);
    return ops.reshape(input, [input.shape[0] as number, ...(out.slice(1) as number[])]);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), target_shape: this.targetShape.slice() };
  }

  static override fromConfig(config: ConfigDict): Reshape {
    const owner = 'Reshape.fromConfig';
    const target = configNumbers(config, 'target_shape', owner);
    if (!target) throw new Error(`${owner}: the config needs 'target_shape'.`);
    return new Reshape(target, baseArgsFromConfig(config, owner));
  }
}

export class Permute extends Layer {
  static override readonly className: string = 'Permute';
  /** Permutation of the non-batch axes, 1-based (Keras's convention). */
  readonly dims: number[];

  constructor(dims: readonly number[], args: LayerArgs = {}) {
    super(args);
    const sorted = [...dims].sort((a, b) => a - b);
    if (!Array.isArray(dims) || sorted.some((d, i) => d !== i + 1)) {
      throw new Error(
        `Permute: invalid permutation argument \`dims\` for Permute Layer. The set of indices in \`dims\` must be consecutive and start from 1. Received dims=${JSON.stringify(dims)}`,
      );
    }
    this.dims = dims.slice();
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    if (inputShape.length !== this.dims.length + 1) {
      throw new Error(
        `Layer "${this.name}": dims ${JSON.stringify(this.dims)} do not fit input shape ${formatPythonShape(inputShape)}.`,
      );
    }
    return [inputShape[0] ?? null, ...this.dims.map((d) => inputShape[d] ?? null)];
  }

  override call(input: Tensor, _args: CallArgs): Tensor {
    return ops.transpose(input, [0, ...this.dims]);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), dims: this.dims.slice() };
  }

  static override fromConfig(config: ConfigDict): Permute {
    const owner = 'Permute.fromConfig';
    const dims = configNumbers(config, 'dims', owner);
    if (!dims) throw new Error(`${owner}: the config needs 'dims'.`);
    return new Permute(dims, baseArgsFromConfig(config, owner));
  }
}
