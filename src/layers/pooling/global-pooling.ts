/** Global average / max pooling over the spatial axes (1-D and 2-D), with Keras's `keepdims`. */
import * as ops from '../../ops/index.js';
import type { Tensor } from '../../tensor/tensor.js';
import { dataFormatArg } from '../engine/arguments.js';
import { type ConfigDict, configBoolean } from '../engine/config.js';
import { InputSpec } from '../engine/input-spec.js';
import { baseArgsFromConfig, type CallArgs, Layer, type LayerArgs } from '../engine/layer.js';
import { assertMaskShape } from '../engine/masking.js';
import type { SymbolicShape } from '../engine/symbolic.js';

export interface GlobalPoolingArgs extends LayerArgs {
  dataFormat?: 'channels_last';
  keepdims?: boolean;
}

abstract class GlobalPooling extends Layer {
  readonly keepdims: boolean;
  protected abstract readonly mode: 'max' | 'avg';
  readonly rank: number;

  constructor(rank: number, args: GlobalPoolingArgs) {
    super(args);
    dataFormatArg(args.dataFormat, (this.constructor as unknown as { className: string }).className);
    this.rank = rank;
    this.keepdims = args.keepdims ?? false;
    this.inputSpec = [new InputSpec({ ndim: rank + 2 })];
  }

  private get axes(): number[] {
    return this.rank === 2 ? [1, 2] : [1];
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const channels = inputShape[inputShape.length - 1] ?? null;
    if (this.keepdims) return [inputShape[0] ?? null, ...this.axes.map(() => 1), channels];
    return [inputShape[0] ?? null, channels];
  }

  override call(input: Tensor, args: CallArgs): Tensor {
    if (this.mode === 'max') return ops.max(input, this.axes, this.keepdims);
    // Keras's GlobalAveragePooling1D averages over the unmasked steps only (max pooling ignores masks, as in Keras)
    if (this.rank === 1 && args.mask) return maskedMean(input, args.mask, this.keepdims, this.name);
    return ops.mean(input, this.axes, this.keepdims);
  }

  /** The time axis is pooled away, and its mask with it. */
  override computeMask(_input: Tensor, _mask: Tensor | null): Tensor | null {
    return null;
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), data_format: 'channels_last', keepdims: this.keepdims };
  }
}

/** Mean over the steps whose mask is true: sum(x * m) / sum(m), per batch row and channel. */
function maskedMean(input: Tensor, mask: Tensor, keepdims: boolean, layerName: string): Tensor {
  assertMaskShape(mask, input.shape.slice(0, 2), layerName);
  const m = ops.expandDims(ops.cast(mask, 'float32'), 2);
  return ops.div(ops.sum(ops.mul(input, m), [1], keepdims), ops.sum(m, [1], keepdims));
}

function argsOf(config: ConfigDict, owner: string): GlobalPoolingArgs {
  dataFormatArg(config.data_format as string | undefined, owner);
  return { ...baseArgsFromConfig(config, owner), keepdims: configBoolean(config, 'keepdims', owner, false) };
}

export class GlobalAveragePooling2D extends GlobalPooling {
  static override readonly className: string = 'GlobalAveragePooling2D';
  protected readonly mode = 'avg';
  constructor(args: GlobalPoolingArgs = {}) {
    super(2, args);
  }
  static override fromConfig(config: ConfigDict): GlobalAveragePooling2D {
    return new GlobalAveragePooling2D(argsOf(config, 'GlobalAveragePooling2D.fromConfig'));
  }
}

export class GlobalMaxPooling2D extends GlobalPooling {
  static override readonly className: string = 'GlobalMaxPooling2D';
  protected readonly mode = 'max';
  constructor(args: GlobalPoolingArgs = {}) {
    super(2, args);
  }
  static override fromConfig(config: ConfigDict): GlobalMaxPooling2D {
    return new GlobalMaxPooling2D(argsOf(config, 'GlobalMaxPooling2D.fromConfig'));
  }
}

export class GlobalAveragePooling1D extends GlobalPooling {
  static override readonly className: string = 'GlobalAveragePooling1D';
  protected readonly mode = 'avg';
  constructor(args: GlobalPoolingArgs = {}) {
    super(1, args);
  }
  static override fromConfig(config: ConfigDict): GlobalAveragePooling1D {
    return new GlobalAveragePooling1D(argsOf(config, 'GlobalAveragePooling1D.fromConfig'));
  }
}

export class GlobalMaxPooling1D extends GlobalPooling {
  static override readonly className: string = 'GlobalMaxPooling1D';
  protected readonly mode = 'max';
  constructor(args: GlobalPoolingArgs = {}) {
    super(1, args);
  }
  static override fromConfig(config: ConfigDict): GlobalMaxPooling1D {
    return new GlobalMaxPooling1D(argsOf(config, 'GlobalMaxPooling1D.fromConfig'));
  }
}
