/**
 * MaxPooling2D / AveragePooling2D (pool size, strides defaulting to the pool size, 'valid' or
 * 'same') and their 1-D forms computed through the 2-D ops with a height of 1.
 */
import * as ops from '../../ops/index.js';
import type { Tensor } from '../../tensor/tensor.js';
import { convOutputLength, dataFormatArg, keywordForm, normalizeTuple, paddingArg } from '../engine/arguments.js';
import { type ConfigDict, configNumbers, configString } from '../engine/config.js';
import { InputSpec } from '../engine/input-spec.js';
import { baseArgsFromConfig, type CallArgs, Layer, type LayerArgs } from '../engine/layer.js';
import { formatPythonShape, type SymbolicShape } from '../engine/symbolic.js';

/** (poolSize, args) from the positional or keyword form. */
function poolingForm(owner: string, given: unknown[]): [number | readonly number[] | undefined, PoolingArgs] {
  const { values, args } = keywordForm<PoolingArgs>(owner, ['poolSize'], given);
  return [values[0] as number | readonly number[] | undefined, args];
}

export interface PoolingArgs extends LayerArgs {
  strides?: number | readonly number[] | null;
  padding?: 'valid' | 'same';
  dataFormat?: 'channels_last';
}

abstract class Pooling extends Layer {
  readonly poolSize: number[];
  readonly strides: number[];
  readonly padding: 'valid' | 'same';
  protected abstract readonly mode: 'max' | 'avg';
  readonly rank: number;

  constructor(rank: number, poolSize: number | readonly number[] | undefined, args: PoolingArgs) {
    super(args);
    const owner = (this.constructor as unknown as { className: string }).className;
    this.rank = rank;
    this.poolSize = normalizeTuple(poolSize, rank, 'pool_size', owner, 2);
    this.strides =
      args.strides === null || args.strides === undefined
        ? this.poolSize.slice()
        : normalizeTuple(args.strides, rank, 'strides', owner);
    this.padding = paddingArg(args.padding, owner) as 'valid' | 'same';
    dataFormatArg(args.dataFormat, owner);
    this.inputSpec = [new InputSpec({ ndim: rank + 2 })];
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const spatial = inputShape
      .slice(1, 1 + this.rank)
      .map((d, i) => convOutputLength(d ?? null, this.poolSize[i] as number, this.padding, this.strides[i] as number, 1));
    if (spatial.some((d) => d !== null && d <= 0)) {
      throw new Error(
        `${this.className} "${this.name}": computed output size would be negative or zero. Received: inputs.shape=${formatPythonShape(inputShape)} and pool_size=${formatPythonShape(this.poolSize)}.`,
      );
    }
    return [inputShape[0] ?? null, ...spatial, inputShape[inputShape.length - 1] ?? null];
  }

  protected pool2d(x: Tensor, size: [number, number], strides: [number, number]): Tensor {
    const options = { strides, padding: this.padding };
    return this.mode === 'max' ? ops.maxPool2d(x, size, options) : ops.avgPool2d(x, size, options);
  }

  override call(input: Tensor, _args: CallArgs): Tensor {
    if (this.rank === 2) return this.pool2d(input, this.poolSize as [number, number], this.strides as [number, number]);
    const y = this.pool2d(ops.expandDims(input, 1), [1, this.poolSize[0] as number], [1, this.strides[0] as number]);
    return ops.squeeze(y, [1]);
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      pool_size: this.poolSize.slice(),
      padding: this.padding,
      strides: this.strides.slice(),
      data_format: 'channels_last',
    };
  }
}

function poolingArgsFromConfig(config: ConfigDict, owner: string): { poolSize: number[] | undefined; args: PoolingArgs } {
  return {
    poolSize: configNumbers(config, 'pool_size', owner),
    args: {
      ...baseArgsFromConfig(config, owner),
      strides: configNumbers(config, 'strides', owner) ?? null,
      padding: configString(config, 'padding', owner, 'valid') as 'valid' | 'same',
      dataFormat: dataFormatArg(config.data_format as string | undefined, owner),
    },
  };
}

export class MaxPooling2D extends Pooling {
  static override readonly className: string = 'MaxPooling2D';
  protected readonly mode = 'max';
  constructor(poolSize?: number | readonly [number, number], args?: PoolingArgs);
  /** Keras's keyword form: `new MaxPooling2D({ poolSize: 2 })`. */
  constructor(args: PoolingArgs & { poolSize?: number | readonly [number, number] });
  constructor(...given: unknown[]) {
    super(2, ...poolingForm('MaxPooling2D', given));
  }
  static override fromConfig(config: ConfigDict): MaxPooling2D {
    const { poolSize, args } = poolingArgsFromConfig(config, 'MaxPooling2D.fromConfig');
    return new MaxPooling2D(poolSize as [number, number] | undefined, args);
  }
}

export class AveragePooling2D extends Pooling {
  static override readonly className: string = 'AveragePooling2D';
  protected readonly mode = 'avg';
  constructor(poolSize?: number | readonly [number, number], args?: PoolingArgs);
  /** Keras's keyword form: `new AveragePooling2D({ poolSize: 2 })`. */
  constructor(args: PoolingArgs & { poolSize?: number | readonly [number, number] });
  constructor(...given: unknown[]) {
    super(2, ...poolingForm('AveragePooling2D', given));
  }
  static override fromConfig(config: ConfigDict): AveragePooling2D {
    const { poolSize, args } = poolingArgsFromConfig(config, 'AveragePooling2D.fromConfig');
    return new AveragePooling2D(poolSize as [number, number] | undefined, args);
  }
}

export class MaxPooling1D extends Pooling {
  static override readonly className: string = 'MaxPooling1D';
  protected readonly mode = 'max';
  constructor(poolSize?: number | readonly [number], args?: PoolingArgs);
  /** Keras's keyword form: `new MaxPooling1D({ poolSize: 2 })`. */
  constructor(args: PoolingArgs & { poolSize?: number | readonly [number] });
  constructor(...given: unknown[]) {
    super(1, ...poolingForm('MaxPooling1D', given));
  }
  static override fromConfig(config: ConfigDict): MaxPooling1D {
    const { poolSize, args } = poolingArgsFromConfig(config, 'MaxPooling1D.fromConfig');
    return new MaxPooling1D(poolSize as [number] | undefined, args);
  }
}

export class AveragePooling1D extends Pooling {
  static override readonly className: string = 'AveragePooling1D';
  protected readonly mode = 'avg';
  constructor(poolSize?: number | readonly [number], args?: PoolingArgs);
  /** Keras's keyword form: `new AveragePooling1D({ poolSize: 2 })`. */
  constructor(args: PoolingArgs & { poolSize?: number | readonly [number] });
  constructor(...given: unknown[]) {
    super(1, ...poolingForm('AveragePooling1D', given));
  }
  static override fromConfig(config: ConfigDict): AveragePooling1D {
    const { poolSize, args } = poolingArgsFromConfig(config, 'AveragePooling1D.fromConfig');
    return new AveragePooling1D(poolSize as [number] | undefined, args);
  }
}
