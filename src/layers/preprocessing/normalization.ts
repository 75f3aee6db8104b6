/**
 * Keras's Normalization: `(x - mean) / max(sqrt(variance), 1e-7)` per feature along `axis`
 * (default -1), or the inverse with `invert`. `mean`/`variance` are given, or learned by `adapt`
 * (population statistics over every other axis) into the non-trainable weights `mean`,
 * `variance` and `count` that Keras 3 saves.
 */
import * as ops from '../../ops/index.js';
import { formatShape } from '../../tensor/shape.js';
import { Tensor, type Variable } from '../../tensor/tensor.js';
import { type ConfigDict, type ConfigValue, configBoolean } from '../engine/config.js';
import { baseArgsFromConfig, Layer, type LayerArgs, sameShape } from '../engine/layer.js';
import type { SymbolicShape } from '../engine/symbolic.js';
import { flattenBatches, type NumericData } from './numeric-data.js';

/** Keras's backend epsilon, the floor of the standard deviation. */
const EPSILON = 1e-7;

export interface NormalizationArgs extends LayerArgs {
  /** Axes that keep separate statistics (default -1); null: one mean and variance for everything. */
  axis?: number | readonly number[] | null;
  mean?: number | readonly number[] | null;
  variance?: number | readonly number[] | null;
  invert?: boolean;
}

export class Normalization extends Layer {
  static override readonly className: string = 'Normalization';
  readonly axis: number[];
  readonly axisArg: number | number[] | null;
  readonly invert: boolean;
  readonly inputMean: number[] | null;
  readonly inputVariance: number[] | null;
  meanVar: Variable | null = null;
  varianceVar: Variable | null = null;
  countVar: Variable | null = null;
  /** The statistics shape (the kept axes' sizes) once built. */
  private statShape: number[] | null = null;

  constructor(args: NormalizationArgs = {}) {
    super(args);
    const axis = args.axis === undefined ? -1 : args.axis;
    this.axisArg = axis === null ? null : typeof axis === 'number' ? axis : axis.slice();
    this.axis = axis === null ? [] : typeof axis === 'number' ? [axis] : axis.slice();
    if (!this.axis.every(Number.isInteger))
      throw new Error(
        `${this.who}: \`axis\` must be an integer, a list of integers or null, received ${JSON.stringify(args.axis)}.`,
      );
    this.invert = args.invert ?? false;
    const given = (v: number | readonly number[] | null | undefined) =>
      v === undefined || v === null ? null : typeof v === 'number' ? [v] : v.slice();
    this.inputMean = given(args.mean);
    this.inputVariance = given(args.variance);
    if ((this.inputMean === null) !== (this.inputVariance === null)) {
      throw new Error(
        `${this.who}: when setting \`mean\` or \`variance\`, both must be set. Received: mean=${JSON.stringify(args.mean)} and variance=${JSON.stringify(args.variance)}.`,
      );
    }
  }

  private get who(): string {
    return `Normalization "${this.name}"`;
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return sameShape(inputShape);
  }

  /** The kept axes as non-negative indices for a rank. */
  private keptAxes(rank: number): number[] {
    return this.axis.map((a) => {
      const k = a < 0 ? a + rank : a;
      if (k < 0 || k >= rank || k === 0) {
        throw new Error(
          `${this.who}: all \`axis\` values must be in the range [-ndim, ndim) and not the batch axis; received axis=${JSON.stringify(this.axisArg)} for an input of rank ${rank}.`,
        );
      }
      return k;
    });
  }

  override build(inputShape: SymbolicShape): void {
    const kept = this.keptAxes(inputShape.length);
    const shape = kept.map((k) => {
      const d = inputShape[k];
      if (d === null || d === undefined)
        throw new Error(
          `${this.who}: all \`axis\` values to be kept must have a known shape; received input shape ${JSON.stringify(inputShape)}.`,
        );
      return d;
    });
    this.statShape = shape;
    if (this.inputMean === null) {
      this.meanVar = this.addWeight({ name: 'mean', shape, initializer: 'zeros', trainable: false });
      this.varianceVar = this.addWeight({ name: 'variance', shape, initializer: 'ones', trainable: false });
      this.countVar = this.addWeight({ name: 'count', shape: [], initializer: 'zeros', trainable: false });
    }
  }

  /** Learns mean and variance from data: a Tensor, number arrays, or batches of them. */
  adapt(data: NumericData): void;
  adapt(data: AsyncIterable<unknown>): Promise<void>;
  adapt(data: NumericData | AsyncIterable<unknown>): void | Promise<void> {
    if (this.inputMean !== null) throw new Error(`${this.who}: cannot adapt a layer given \`mean\` and \`variance\`.`);
    return flattenBatches(data, this.who, (batches) => this.finishAdapt(batches));
  }

  private finishAdapt(batches: Tensor[]): void {
    const first = batches[0];
    if (!first) throw new Error(`${this.who}: adapt() received no data.`);
    if (!this.built) this.maybeBuild([[null, ...first.shape.slice(1)]]);
    const kept = this.keptAxes(first.rank);
    const size = (this.statShape as number[]).reduce((a, b) => a * b, 1);
    const sum = new Float64Array(size);
    const sumSq = new Float64Array(size);
    let count = 0;
    for (const batch of batches) {
      if (batch.rank !== first.rank || kept.some((k) => batch.shape[k] !== first.shape[k])) {
        throw new Error(
          `${this.who}: adapt() batches must agree on the kept axes; received ${formatShape(batch.shape)} after ${formatShape(first.shape)}.`,
        );
      }
      const data = batch.dataSync();
      const strides = batch.shape.map((_, i) => batch.shape.slice(i + 1).reduce((a, b) => a * b, 1));
      const keptStrides = kept.map((_, j) => kept.slice(j + 1).reduce((a, k) => a * (batch.shape[k] as number), 1));
      for (let i = 0; i < data.length; i++) {
        let s = 0;
        for (let j = 0; j < kept.length; j++)
          s +=
            (Math.floor(i / (strides[kept[j] as number] as number)) % (batch.shape[kept[j] as number] as number)) *
            (keptStrides[j] as number);
        const v = data[i] as number;
        sum[s] += v;
        sumSq[s] += v * v;
      }
      count += data.length / size;
    }
    const mean = Float32Array.from(sum, (v) => v / count);
    const variance = Float32Array.from(sumSq, (v, i) => Math.max(v / count - ((sum[i] as number) / count) ** 2, 0));
    (this.meanVar as Variable).assign(new Tensor(mean, this.statShape as number[]));
    (this.varianceVar as Variable).assign(new Tensor(variance, this.statShape as number[]));
    (this.countVar as Variable).assign(new Tensor(new Float32Array([count]), []));
  }

  /** mean and std as tensors shaped to broadcast against an input of this rank. */
  private statistics(rank: number): { mean: Tensor; std: Tensor } {
    const kept = this.keptAxes(rank);
    const shape = Array.from({ length: rank }, (_, i) => (kept.includes(i) ? null : 1));
    const size = (this.statShape ?? []).reduce((a, b) => a * b, 1);
    const broadcastShape = shape.map((d, i) => d ?? ((this.statShape as number[])[kept.indexOf(i)] as number));
    const fill = (values: number[] | null, v: Variable | null): Float32Array => {
      if (v) return Float32Array.from(v.dataSync());
      const given = values as number[];
      if (given.length !== 1 && given.length !== size)
        throw new Error(
          `${this.who}: \`mean\`/\`variance\` of length ${given.length} do not match the ${size} features of axis ${JSON.stringify(this.axisArg)}.`,
        );
      return Float32Array.from({ length: size }, (_, i) => given[given.length === 1 ? 0 : i] as number);
    };
    const mean = fill(this.inputMean, this.meanVar);
    const variance = fill(this.inputVariance, this.varianceVar);
    const std = variance.map((v) => Math.max(Math.sqrt(v), EPSILON));
    return { mean: new Tensor(mean, broadcastShape), std: new Tensor(std, broadcastShape) };
  }

  override call(input: Tensor): Tensor {
    const { mean, std } = this.statistics(input.rank);
    return this.invert ? ops.add(mean, ops.mul(input, std)) : ops.div(ops.sub(input, mean), std);
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      axis: this.axisArg,
      invert: this.invert,
      mean: this.inputMean as ConfigValue,
      variance: this.inputVariance as ConfigValue,
    };
  }

  static override fromConfig(config: ConfigDict): Normalization {
    const owner = 'Normalization.fromConfig';
    const nums = (v: ConfigValue | undefined) => (typeof v === 'number' ? v : Array.isArray(v) ? (v.flat(8) as number[]) : null);
    const axis = config.axis;
    return new Normalization({
      ...baseArgsFromConfig(config, owner),
      axis: axis === null ? null : typeof axis === 'number' ? axis : Array.isArray(axis) ? (axis as number[]) : -1,
      invert: configBoolean(config, 'invert', owner, false),
      mean: nums(config.mean),
      variance: nums(config.variance),
    });
  }
}
