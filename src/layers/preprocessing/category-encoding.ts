/**
 * Keras's CategoryEncoding: integer ids in [0, numTokens) -> 'one_hot', 'multi_hot' (default) or
 * 'count' vectors (count optionally weighted by `countWeights`). Rank-1 input is one sample for
 * multi_hot/count and a batch of ids for one_hot, as in Keras; out-of-range ids are refused.
 */
import { formatShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type ConfigDict, configNumber, configString } from '../engine/config.js';
import { baseArgsFromConfig, Layer, type LayerArgs } from '../engine/layer.js';
import type { SymbolicShape } from '../engine/symbolic.js';
import { type CategoricalMode, encodeCategorical } from './lookup/encode.js';
import { outputModeArg } from './lookup/index-lookup.js';

export interface CategoryEncodingArgs extends LayerArgs {
  numTokens?: number | null;
  outputMode?: CategoricalMode | 'binary';
  sparse?: boolean;
}

export class CategoryEncoding extends Layer {
  static override readonly className: string = 'CategoryEncoding';
  readonly numTokens: number;
  readonly outputMode: CategoricalMode;

  constructor(args: CategoryEncodingArgs = {}) {
    super(args);
    const who = `CategoryEncoding "${this.name}"`;
    if (args.numTokens === undefined || args.numTokens === null) {
      throw new Error(
        `${who}: \`num_tokens\` must be set to use this layer. If the number of tokens is not known beforehand, use the IntegerLookup layer instead.`,
      );
    }
    if (!Number.isInteger(args.numTokens) || args.numTokens < 1)
      throw new Error(`${who}: \`num_tokens\` must be >= 1. Received: num_tokens=${args.numTokens}.`);
    this.numTokens = args.numTokens;
    this.outputMode = outputModeArg(args.outputMode ?? 'multi_hot', who, ['one_hot', 'multi_hot', 'count']) as CategoricalMode;
    if (args.sparse) throw new Error(`${who}: \`sparse=true\` is not supported: capa has no sparse tensors.`);
  }

  /** Counts weighted per element (`count` mode only), as Keras's `count_weights`. */
  encode(input: Tensor, countWeights?: Tensor): Tensor {
    const who = `CategoryEncoding "${this.name}"`;
    const ids = input.dataSync();
    for (const v of ids) {
      if (v < 0 || v >= this.numTokens || !Number.isInteger(v)) {
        throw new Error(
          `${who}: input values must be integers in the range [0, ${this.numTokens}) (num_tokens=${this.numTokens}); received ${v}.`,
        );
      }
    }
    if (countWeights) {
      if (this.outputMode !== 'count')
        throw new Error(
          `${who}: \`count_weights\` is not used when \`output_mode\` is not 'count'. Received output_mode=${this.outputMode}.`,
        );
      if (countWeights.size !== input.size)
        throw new Error(
          `${who}: \`count_weights\` shape ${formatShape(countWeights.shape)} must match the input shape ${formatShape(input.shape)}.`,
        );
    }
    return encodeCategorical(ids, input.shape, this.outputMode, this.numTokens, who, countWeights?.dataSync());
  }

  override call(input: Tensor): Tensor {
    return this.encode(input);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    if (inputShape.length === 0) return [this.numTokens];
    if (this.outputMode === 'one_hot') {
      const keep =
        inputShape.length > 1 && inputShape[inputShape.length - 1] === 1 ? inputShape.slice(0, -1) : inputShape.slice();
      return [...keep, this.numTokens];
    }
    return [...inputShape.slice(0, -1), this.numTokens];
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), num_tokens: this.numTokens, output_mode: this.outputMode, sparse: false };
  }

  static override fromConfig(config: ConfigDict): CategoryEncoding {
    const owner = 'CategoryEncoding.fromConfig';
    return new CategoryEncoding({
      ...baseArgsFromConfig(config, owner),
      numTokens: configNumber(config, 'num_tokens', owner),
      outputMode: configString(config, 'output_mode', owner, 'multi_hot') as CategoricalMode,
    });
  }
}
