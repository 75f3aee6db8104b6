/**
 * UpSampling1D / UpSampling2D (Keras's): repeat each step (nearest) or, in 2-D, resize with
 * bilinear interpolation on half-pixel centres (Keras 3 calls `ops.image.resize(..., 'bilinear')`,
 * i.e. tf.image.resize without antialiasing). Both are gathers along the spatial axes, so they are
 * differentiable and run on any backend.
 */
import * as ops from '../../ops/index.js';
import type { Tensor } from '../../tensor/tensor.js';
import { dataFormatArg, normalizeTuple } from '../engine/arguments.js';
import { type ConfigDict, configNumber, configNumbers, configString } from '../engine/config.js';
import { InputSpec } from '../engine/input-spec.js';
import { baseArgsFromConfig, type CallArgs, Layer, type LayerArgs } from '../engine/layer.js';
import type { SymbolicShape } from '../engine/symbolic.js';

const times = (d: number | null | undefined, k: number): number | null => (d === null || d === undefined ? null : d * k);

/** Each index of an axis of `length` repeated `k` times: 0,0,1,1,... */
function nearestIndices(length: number, k: number): number[] {
  return Array.from({ length: length * k }, (_, i) => Math.floor(i / k));
}

/**
 * Bilinear resize of one axis by an integer factor with half-pixel centres: output i samples the
 * input at (i + 0.5) / k - 0.5, clamped to the edges (tf.image.resize's weights).
 */
function bilinearAxis(x: Tensor, axis: number, k: number): Tensor {
  const n = x.shape[axis] as number;
  const lower: number[] = [];
  const upper: number[] = [];
  const weights: number[] = [];
  for (let i = 0; i < n * k; i++) {
    const src = (i + 0.5) / k - 0.5;
    const f = Math.floor(src);
    lower.push(Math.max(f, 0));
    upper.push(Math.min(Math.ceil(src), n - 1));
    weights.push(src - f);
  }
  const shape = x.shape.map((_, a) => (a === axis ? n * k : 1));
  const w = ops.tensor(Float32Array.from(weights), shape);
  const a = ops.gather(x, lower, axis);
  const b = ops.gather(x, upper, axis);
  return ops.add(a, ops.mul(ops.sub(b, a), w));
}

export class UpSampling1D extends Layer {
  static override readonly className: string = 'UpSampling1D';
  readonly size: number;

  constructor(size = 2, args: LayerArgs = {}) {
    super(args);
    if (!Number.isInteger(size) || size < 1)
      throw new Error(`UpSampling1D: \`size\` must be a positive integer. Received: size=${JSON.stringify(size)}`);
    this.size = size;
    this.inputSpec = [new InputSpec({ ndim: 3 })];
  }

  override computeOutputShape(s: SymbolicShape): SymbolicShape {
    return [s[0] ?? null, times(s[1], this.size), s[2] ?? null];
  }

  override call(input: Tensor, _args: CallArgs): Tensor {
    return ops.gather(input, nearestIndices(input.shape[1] as number, this.size), 1);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), size: this.size };
  }

  static override fromConfig(config: ConfigDict): UpSampling1D {
    const owner = 'UpSampling1D.fromConfig';
    return new UpSampling1D(configNumber(config, 'size', owner, 2), baseArgsFromConfig(config, owner));
  }
}

export type UpSamplingInterpolation = 'nearest' | 'bilinear';

export interface UpSampling2DArgs extends LayerArgs {
  dataFormat?: 'channels_last';
  interpolation?: UpSamplingInterpolation;
}

export class UpSampling2D extends Layer {
  static override readonly className: string = 'UpSampling2D';
  readonly size: [number, number];
  readonly interpolation: UpSamplingInterpolation;

  constructor(size: number | readonly [number, number] = 2, args: UpSampling2DArgs = {}) {
    super(args);
    dataFormatArg(args.dataFormat, 'UpSampling2D');
    this.size = normalizeTuple(size, 2, 'size', 'UpSampling2D') as [number, number];
    const interpolation = args.interpolation ?? 'nearest';
    if (interpolation !== 'nearest' && interpolation !== 'bilinear') {
      throw new Error(
        `UpSampling2D: \`interpolation\` must be "nearest" or "bilinear" (capa does not implement Keras's bicubic and lanczos ones). Received: interpolation=${JSON.stringify(interpolation)}`,
      );
    }
    this.interpolation = interpolation;
    this.inputSpec = [new InputSpec({ ndim: 4 })];
  }

  override computeOutputShape(s: SymbolicShape): SymbolicShape {
    return [s[0] ?? null, times(s[1], this.size[0]), times(s[2], this.size[1]), s[3] ?? null];
  }

  override call(input: Tensor, _args: CallArgs): Tensor {
    const [kh, kw] = this.size;
    if (this.interpolation === 'bilinear') return bilinearAxis(bilinearAxis(input, 1, kh), 2, kw);
    const rows = ops.gather(input, nearestIndices(input.shape[1] as number, kh), 1);
    return ops.gather(rows, nearestIndices(input.shape[2] as number, kw), 2);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), size: this.size.slice(), data_format: 'channels_last', interpolation: this.interpolation };
  }

  static override fromConfig(config: ConfigDict): UpSampling2D {
    const owner = 'UpSampling2D.fromConfig';
    const size = configNumbers(config, 'size', owner) ?? [2, 2];
    return new UpSampling2D((size.length === 1 ? size[0] : size) as number | [number, number], {
      ...baseArgsFromConfig(config, owner),
      dataFormat: dataFormatArg(config.data_format as string | undefined, owner),
      interpolation: configString(config, 'interpolation', owner, 'nearest') as UpSamplingInterpolation,
    });
  }
}
