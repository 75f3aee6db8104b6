/** Cropping1D / Cropping2D: cut steps (or rows and columns) off the ends of the spatial axes. */
import * as ops from '../../ops/index.js';
import type { Tensor } from '../../tensor/tensor.js';
import { dataFormatArg } from '../engine/arguments.js';
import type { ConfigDict, ConfigValue } from '../engine/config.js';
import { InputSpec } from '../engine/input-spec.js';
import { baseArgsFromConfig, type CallArgs, Layer, type LayerArgs } from '../engine/layer.js';
import { formatPythonShape, type SymbolicShape } from '../engine/symbolic.js';

type Pair = [number, number];

const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
const isPair = (v: unknown): v is Pair => Array.isArray(v) && v.length === 2 && v.every(isCount);

/** The length left after cutting `pair` off an axis of `d`; throws (naming the layer) when nothing would remain. */
function cropped(layer: Layer, d: number | null | undefined, pair: Pair, shape: SymbolicShape): number | null {
  if (d === null || d === undefined) return null;
  const left = d - pair[0] - pair[1];
  if (left <= 0) {
    throw new Error(
      `${layer.className} "${layer.name}": \`cropping\` parameter of \`${layer.className}\` layer must be smaller than the input length. ` +
        `Received: inputs.shape=${formatPythonShape(shape)}, and cropping=${JSON.stringify((layer as unknown as { cropping: unknown }).cropping)}`,
    );
  }
  return left;
}

export class Cropping1D extends Layer {
  static override readonly className: string = 'Cropping1D';
  readonly cropping: Pair;

  constructor(cropping: number | readonly [number, number] = [1, 1], args: LayerArgs = {}) {
    super(args);
    if (isCount(cropping)) this.cropping = [cropping, cropping];
    else if (isPair(cropping)) this.cropping = [cropping[0], cropping[1]];
    else
      throw new Error(
        `Cropping1D: \`cropping\` must be an int or a tuple of 2 non-negative ints. Received: cropping=${JSON.stringify(cropping)}`,
      );
    this.inputSpec = [new InputSpec({ ndim: 3 })];
  }

  override computeOutputShape(s: SymbolicShape): SymbolicShape {
    return [s[0] ?? null, cropped(this, s[1], this.cropping, s), s[2] ?? null];
  }

  override call(input: Tensor, _args: CallArgs): Tensor {
    const steps = cropped(this, input.shape[1], this.cropping, input.shape) as number;
    return ops.slice(input, [0, this.cropping[0], 0], [-1, steps, -1]);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), cropping: this.cropping.slice() };
  }

  static override fromConfig(config: ConfigDict): Cropping1D {
    return new Cropping1D(config.cropping as number | Pair, baseArgsFromConfig(config, 'Cropping1D.fromConfig'));
  }
}

export type Cropping2DArg = number | readonly [number, number] | readonly [readonly [number, number], readonly [number, number]];

/** `1` -> ((1,1),(1,1)); `(1, 2)` -> ((1,1),(2,2)); `((t,b),(l,r))` as is. */
function normalizeCropping2D(cropping: unknown): [Pair, Pair] {
  if (isCount(cropping))
    return [
      [cropping, cropping],
      [cropping, cropping],
    ];
  if (isPair(cropping))
    return [
      [cropping[0], cropping[0]],
      [cropping[1], cropping[1]],
    ];
  if (Array.isArray(cropping) && cropping.length === 2 && isPair(cropping[0]) && isPair(cropping[1])) {
    return [[...cropping[0]] as Pair, [...cropping[1]] as Pair];
  }
  throw new Error(
    'Cropping2D: `cropping` should be either an int, a tuple of 2 ints (symmetric_height_crop, symmetric_width_crop), or a tuple of 2 tuples of 2 ints ' +
      `((top_crop, bottom_crop), (left_crop, right_crop)). Received: cropping=${JSON.stringify(cropping)}`,
  );
}

export class Cropping2D extends Layer {
  static override readonly className: string = 'Cropping2D';
  readonly cropping: [Pair, Pair];

  constructor(cropping: Cropping2DArg = 0, args: LayerArgs & { dataFormat?: 'channels_last' } = {}) {
    super(args);
    dataFormatArg(args.dataFormat, 'Cropping2D');
    this.cropping = normalizeCropping2D(cropping);
    this.inputSpec = [new InputSpec({ ndim: 4 })];
  }

  override computeOutputShape(s: SymbolicShape): SymbolicShape {
    const [h, w] = this.cropping;
    return [s[0] ?? null, cropped(this, s[1], h, s), cropped(this, s[2], w, s), s[3] ?? null];
  }

  override call(input: Tensor, _args: CallArgs): Tensor {
    const [h, w] = this.cropping;
    const rows = cropped(this, input.shape[1], h, input.shape) as number;
    const cols = cropped(this, input.shape[2], w, input.shape) as number;
    return ops.slice(input, [0, h[0], w[0], 0], [-1, rows, cols, -1]);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), cropping: this.cropping.map((p) => p.slice()), data_format: 'channels_last' };
  }

  static override fromConfig(config: ConfigDict): Cropping2D {
    const owner = 'Cropping2D.fromConfig';
    return new Cropping2D(normalizeCropping2D(config.cropping as ConfigValue), {
      ...baseArgsFromConfig(config, owner),
      dataFormat: dataFormatArg(config.data_format as string | undefined, owner),
    });
  }
}
