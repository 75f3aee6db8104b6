/** ZeroPadding2D / ZeroPadding1D: zeros around the spatial axes (Keras's padding forms). */
import * as ops from '../../ops/index.js';
import type { Tensor } from '../../tensor/tensor.js';
import { dataFormatArg } from '../engine/arguments.js';
import type { ConfigDict, ConfigValue } from '../engine/config.js';
import { InputSpec } from '../engine/input-spec.js';
import { baseArgsFromConfig, type CallArgs, Layer, type LayerArgs } from '../engine/layer.js';
import type { SymbolicShape } from '../engine/symbolic.js';

export type Padding2D = number | readonly [number, number] | readonly [readonly [number, number], readonly [number, number]];

function isPair(x: unknown): x is [number, number] {
  return Array.isArray(x) && x.length === 2 && x.every((v) => Number.isInteger(v) && v >= 0);
}

/** `1` -> ((1,1),(1,1)); `(1, 2)` -> ((1,1),(2,2)); `((t,b),(l,r))` as is. */
function normalizePadding2D(padding: unknown): [[number, number], [number, number]] {
  if (Number.isInteger(padding) && (padding as number) >= 0) {
    const p = padding as number;
    return [
      [p, p],
      [p, p],
    ];
  }
  if (isPair(padding)) {
    return [
      [padding[0], padding[0]],
      [padding[1], padding[1]],
    ];
  }
  if (Array.isArray(padding) && padding.length === 2 && isPair(padding[0]) && isPair(padding[1])) {
    return [[...padding[0]] as [number, number], [...padding[1]] as [number, number]];
  }
  throw new Error(
    '`padding` should be either an int, a tuple of 2 ints (symmetric_height_pad, symmetric_width_pad), or a tuple of 2 tuples of 2 ints ' +
      `((top_pad, bottom_pad), (left_pad, right_pad)). Received: padding=${JSON.stringify(padding)}.`,
  );
}

const plus = (d: number | null | undefined, a: number, b: number): number | null =>
  d === null || d === undefined ? null : d + a + b;

export class ZeroPadding2D extends Layer {
  static override readonly className: string = 'ZeroPadding2D';
  readonly padding: [[number, number], [number, number]];

  constructor(padding: Padding2D = 1, args: LayerArgs & { dataFormat?: 'channels_last' } = {}) {
    super(args);
    dataFormatArg(args.dataFormat, 'ZeroPadding2D');
    this.padding = normalizePadding2D(padding);
    this.inputSpec = [new InputSpec({ ndim: 4 })];
  }

  override computeOutputShape(s: SymbolicShape): SymbolicShape {
    const [[t, b], [l, r]] = this.padding;
    return [s[0] ?? null, plus(s[1], t, b), plus(s[2], l, r), s[3] ?? null];
  }

  override call(input: Tensor, _args: CallArgs): Tensor {
    const [h, w] = this.padding;
    return ops.pad(input, [[0, 0], h, w, [0, 0]]);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), padding: this.padding.map((p) => p.slice()), data_format: 'channels_last' };
  }

  static override fromConfig(config: ConfigDict): ZeroPadding2D {
    const owner = 'ZeroPadding2D.fromConfig';
    dataFormatArg(config.data_format as string | undefined, owner);
    return new ZeroPadding2D(normalizePadding2D(config.padding as ConfigValue), baseArgsFromConfig(config, owner));
  }
}

export class ZeroPadding1D extends Layer {
  static override readonly className: string = 'ZeroPadding1D';
  readonly padding: [number, number];

  constructor(padding: number | readonly [number, number] = 1, args: LayerArgs = {}) {
    super(args);
    if (Number.isInteger(padding) && (padding as number) >= 0) this.padding = [padding as number, padding as number];
    else if (isPair(padding)) this.padding = [padding[0], padding[1]];
    else
      throw new Error(
        `ZeroPadding1D: \`padding\` must be an int or a tuple of 2 ints. Received: padding=${JSON.stringify(padding)}.`,
      );
    this.inputSpec = [new InputSpec({ ndim: 3 })];
  }

  override computeOutputShape(s: SymbolicShape): SymbolicShape {
    return [s[0] ?? null, plus(s[1], this.padding[0], this.padding[1]), s[2] ?? null];
  }

  override call(input: Tensor, _args: CallArgs): Tensor {
    return ops.pad(input, [[0, 0], this.padding, [0, 0]]);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), padding: this.padding.slice() };
  }

  static override fromConfig(config: ConfigDict): ZeroPadding1D {
    const p = config.padding;
    return new ZeroPadding1D(
      typeof p === 'number' ? p : (p as [number, number]),
      baseArgsFromConfig(config, 'ZeroPadding1D.fromConfig'),
    );
  }
}
