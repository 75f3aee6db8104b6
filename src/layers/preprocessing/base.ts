/**
 * Shared pieces of Keras 3's image preprocessing layers: channels-last image batches (rank 4, or
 * one rank-3 image), a per-layer seeded generator, Keras's factor arguments.
 */
import { generatorFor, RandomGenerator } from '../../tensor/random.js';
import { formatShape } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import type { ConfigDict, ConfigValue } from '../engine/config.js';
import { Layer, type LayerArgs, sameShape } from '../engine/layer.js';
import type { SymbolicShape } from '../engine/symbolic.js';

export interface PreprocessingArgs extends LayerArgs {
  /** Only 'channels_last' (capa's image layout). */
  dataFormat?: 'channels_last' | null;
}

export interface RandomArgs extends PreprocessingArgs {
  seed?: number | null;
}

/** A factor: f means [-f, f]; [low, high] as given. Keras validates the bounds per layer. */
export type Factor = number | readonly [number, number];

export function factorBounds(factor: Factor, owner: string, name = 'factor'): [number, number] {
  if (typeof factor === 'number') {
    if (!Number.isFinite(factor))
      throw new Error(`${owner}: \`${name}\` must be a number or a pair of numbers, received ${factor}.`);
    return [-Math.abs(factor), Math.abs(factor)];
  }
  if (!Array.isArray(factor) || factor.length !== 2 || !factor.every(Number.isFinite)) {
    throw new Error(`${owner}: \`${name}\` must be a number or a pair of numbers, received ${String(factor)}.`);
  }
  return [factor[0], factor[1]];
}

export function factorConfig(factor: Factor): ConfigValue {
  return typeof factor === 'number' ? factor : [factor[0], factor[1]];
}

export function configFactor(value: ConfigValue | undefined, owner: string, name: string): Factor {
  if (typeof value === 'number') return value;
  if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number'))
    return [value[0] as number, value[1] as number];
  throw new Error(`${owner}: config field '${name}' must be a number or a pair of numbers.`);
}

/** An image batch seen as channels-last data. */
export interface ImageBatch {
  data: Float32Array;
  batch: number;
  height: number;
  width: number;
  channels: number;
  /** The input was one image (rank 3). */
  single: boolean;
}

export abstract class ImagePreprocessingLayer extends Layer {
  /** The output keeps the input's shape. */
  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return sameShape(inputShape);
  }
  readonly seed: number | null;
  protected readonly rng: RandomGenerator;

  constructor(args: RandomArgs = {}) {
    super(args);
    if (args.dataFormat !== undefined && args.dataFormat !== null && args.dataFormat !== 'channels_last') {
      throw new Error(`${this.className}: only data_format 'channels_last' is supported, received '${String(args.dataFormat)}'.`);
    }
    this.seed = args.seed ?? null;
    this.rng = new RandomGenerator(this.seed ?? generatorFor().nextSeed());
  }

  protected images(input: Tensor): ImageBatch {
    if (input.rank !== 3 && input.rank !== 4) {
      throw new Error(
        `Layer "${this.name}" (${this.className}) expects images of shape (batch, height, width, channels) or (height, width, channels), received ${formatShape(input.shape)}.`,
      );
    }
    const single = input.rank === 3;
    const [batch, height, width, channels] = (single ? [1, ...input.shape] : input.shape) as [number, number, number, number];
    const src = input.dataSync();
    return { data: src instanceof Float32Array ? src : Float32Array.from(src), batch, height, width, channels, single };
  }

  /** Applies `fn` to each image; `fn` may change the spatial size (same for every image). */
  protected mapImages(
    b: ImageBatch,
    fn: (img: Float32Array, index: number) => { data: Float32Array; height: number; width: number },
  ): Tensor {
    const size = b.height * b.width * b.channels;
    const results = Array.from({ length: b.batch }, (_, i) => fn(b.data.subarray(i * size, (i + 1) * size), i));
    const first = results[0] ?? { data: new Float32Array(0), height: b.height, width: b.width };
    const out = new Float32Array(b.batch * first.height * first.width * b.channels);
    for (let i = 0; i < results.length; i++) out.set((results[i] as { data: Float32Array }).data, i * first.data.length);
    const shape = [first.height, first.width, b.channels];
    return new Tensor(out, b.single ? shape : [b.batch, ...shape]);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), data_format: 'channels_last' };
  }
}
