/**
 * Keras's Discretization: values -> bucket indices by `binBoundaries` (index = number of
 * boundaries <= x, TensorFlow's bucketize), or `numBins` learned by `adapt` as the quantiles
 * i/numBins of the data. Keras learns them from an epsilon-approximate quantile summary; capa
 * takes exact quantiles (the value at rank floor(q * n) of the sorted data), which is what that
 * summary converges to and what Keras gives on small data. Outputs 'int' or an encoding.
 */
import { Tensor } from '../../tensor/tensor.js';
import { type ConfigDict, configNumber, configNumbers, configString } from '../engine/config.js';
import { baseArgsFromConfig, Layer, type LayerArgs } from '../engine/layer.js';
import type { SymbolicShape } from '../engine/symbolic.js';
import { type CategoricalMode, encodeCategorical } from './lookup/encode.js';
import { outputModeArg } from './lookup/index-lookup.js';
import { flattenBatches, type NumericData, toTensor } from './numeric-data.js';

export interface DiscretizationArgs extends LayerArgs {
  binBoundaries?: readonly number[] | null;
  numBins?: number | null;
  /** Keras's quantile-summary error bound; accepted and kept in the config (quantiles are exact). */
  epsilon?: number;
  outputMode?: 'int' | CategoricalMode;
  sparse?: boolean;
}

export class Discretization extends Layer {
  static override readonly className: string = 'Discretization';
  binBoundaries: number[] | null;
  readonly numBins: number | null;
  readonly epsilon: number;
  readonly outputMode: 'int' | CategoricalMode;
  /** Whether the boundaries were given (Keras keeps learned ones in the config too). */
  private readonly given: boolean;

  constructor(args: DiscretizationArgs = {}) {
    super(args);
    const who = `Discretization "${this.name}"`;
    const bins = args.binBoundaries ?? null;
    this.numBins = args.numBins ?? null;
    if (bins !== null && this.numBins !== null) {
      throw new Error(
        `${who}: both \`num_bins\` and \`bin_boundaries\` should not be set. Received: num_bins=${this.numBins} and bin_boundaries=${JSON.stringify(bins)}.`,
      );
    }
    if (bins === null && this.numBins === null)
      throw new Error(`${who}: set \`bin_boundaries\` or \`num_bins\` (and adapt the layer).`);
    if (this.numBins !== null && (!Number.isInteger(this.numBins) || this.numBins < 1))
      throw new Error(`${who}: \`num_bins\` must be a positive integer, received ${this.numBins}.`);
    if (bins?.some((b, i) => i > 0 && b < (bins[i - 1] as number)))
      throw new Error(`${who}: \`bin_boundaries\` must be sorted, received ${JSON.stringify(bins)}.`);
    this.binBoundaries = bins ? bins.slice() : null;
    this.given = bins !== null;
    this.epsilon = args.epsilon ?? 0.01;
    this.outputMode = outputModeArg(args.outputMode ?? 'int', who, ['int', 'one_hot', 'multi_hot', 'count']) as
      | 'int'
      | CategoricalMode;
    if (args.sparse) throw new Error(`${who}: \`sparse=true\` is not supported: capa has no sparse tensors.`);
  }

  private get depth(): number {
    return this.numBins ?? (this.binBoundaries?.length ?? 0) + 1;
  }

  adapt(data: NumericData): void;
  adapt(data: AsyncIterable<unknown>): Promise<void>;
  adapt(data: NumericData | AsyncIterable<unknown>): void | Promise<void> {
    const who = `Discretization "${this.name}"`;
    if (this.given || this.numBins === null)
      throw new Error(`${who}: cannot adapt a layer created with \`bin_boundaries\`; pass \`num_bins\` instead.`);
    const numBins = this.numBins;
    return flattenBatches(data, who, (batches) => {
      const values = Float64Array.from(batches.flatMap((b) => Array.from(b.dataSync())));
      if (values.length === 0) throw new Error(`${who}: adapt() received no data.`);
      values.sort();
      this.binBoundaries = Array.from(
        { length: numBins - 1 },
        (_, i) => values[Math.min(values.length - 1, Math.floor(((i + 1) / numBins) * values.length))] as number,
      );
    });
  }

  /** Bucket indices of `x` (a Tensor or number arrays). */
  override call(input: Tensor): Tensor {
    const boundaries = this.binBoundaries;
    if (!boundaries)
      throw new Error(
        `Discretization "${this.name}": the layer has no bin boundaries: adapt() it on data first (num_bins=${this.numBins}).`,
      );
    const x = toTensor(input, `Discretization "${this.name}"`).dataSync();
    const ids = new Int32Array(x.length);
    for (let i = 0; i < x.length; i++) {
      const v = x[i] as number;
      let lo = 0;
      let hi = boundaries.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((boundaries[mid] as number) <= v) lo = mid + 1;
        else hi = mid;
      }
      ids[i] = lo;
    }
    if (this.outputMode === 'int') return new Tensor(ids, input.shape);
    return encodeCategorical(ids, input.shape, this.outputMode, this.depth, `Discretization "${this.name}"`);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    if (this.outputMode === 'int') return inputShape.slice();
    if (this.outputMode === 'one_hot') {
      const keep =
        inputShape.length > 1 && inputShape[inputShape.length - 1] === 1 ? inputShape.slice(0, -1) : inputShape.slice();
      return [...keep, this.depth];
    }
    return [...inputShape.slice(0, -1), this.depth];
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      bin_boundaries: this.binBoundaries ? this.binBoundaries.slice() : null,
      num_bins: this.numBins,
      epsilon: this.epsilon,
      output_mode: this.outputMode,
      sparse: false,
    };
  }

  static override fromConfig(config: ConfigDict): Discretization {
    const owner = 'Discretization.fromConfig';
    const numBins = config.num_bins === null || config.num_bins === undefined ? null : configNumber(config, 'num_bins', owner);
    const bins = configNumbers(config, 'bin_boundaries', owner) ?? null;
    const layer = new Discretization({
      ...baseArgsFromConfig(config, owner),
      // an adapted layer's config holds both; revive it from num_bins and restore the boundaries
      binBoundaries: numBins === null ? bins : null,
      numBins,
      epsilon: configNumber(config, 'epsilon', owner, 0.01),
      outputMode: configString(config, 'output_mode', owner, 'int') as 'int' | CategoricalMode,
    });
    if (numBins !== null && bins) layer.binBoundaries = bins;
    return layer;
  }
}
