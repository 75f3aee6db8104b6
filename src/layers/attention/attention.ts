/**
 * Attention (Luong-style, dot or concat scores) and AdditiveAttention (Bahdanau-style), Keras 3's:
 * called on [query, value] or [query, value, key] of shapes [batch, targets, dim] and
 * [batch, sources, dim]; scores [batch, targets, sources], softmax over the sources with masked
 * sources pushed to -1e9, dropout on the weights in training, output weights @ value.
 */
import * as ops from '../../ops/index.js';
import { RandomGenerator } from '../../tensor/random.js';
import type { Tensor, Variable } from '../../tensor/tensor.js';
import type { CallOptions } from '../engine/call-options.js';
import { type ConfigDict, configBoolean, configNumber, configString } from '../engine/config.js';
import { baseArgsFromConfig, type CallArgs, Layer, type LayerArgs } from '../engine/layer.js';
import { formatPythonShape, type SymbolicShape, type SymbolicTensor } from '../engine/symbolic.js';
import { asFloatMask, causalMask, checkedMask, combineMasks } from './masking.js';

export interface BaseAttentionArgs extends LayerArgs {
  /** Dropout rate on the attention weights (training only). */
  dropout?: number;
  seed?: number | null;
}

/** The call options of Attention and AdditiveAttention (Keras's call keyword arguments). */
export interface AttentionCallArgs extends CallArgs {
  /**
   * The inputs' masks in input order (Keras's `mask=[query_mask, value_mask]`): query [batch,
   * targets] and value [batch, sources], nonzero where a step is present; either may be null.
   */
  masks?: readonly (Tensor | null)[];
  /** Each target attends only to sources at or before it. */
  useCausalMask?: boolean;
  /** Also return the attention weights [batch, targets, sources] (use `applyMulti`). */
  returnAttentionScores?: boolean;
}

abstract class BaseDenseAttention extends Layer {
  protected override readonly expectsList = true;
  readonly dropout: number;
  readonly seed: number | null;
  private readonly rng: RandomGenerator | null;

  constructor(args: BaseAttentionArgs) {
    super(args);
    this.dropout = args.dropout ?? 0;
    if (!(this.dropout >= 0 && this.dropout < 1)) {
      throw new Error(`${this.className}: \`dropout\` must be a number in [0, 1). Received: dropout=${args.dropout}`);
    }
    this.seed = args.seed ?? null;
    this.rng = this.seed === null ? null : new RandomGenerator(this.seed);
  }

  override apply(inputs: SymbolicTensor | SymbolicTensor[], args?: AttentionCallArgs): SymbolicTensor;
  override apply(inputs: Tensor | Tensor[], args?: AttentionCallArgs): Tensor;
  override apply(
    inputs: Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[],
    args: AttentionCallArgs = {},
  ): Tensor | SymbolicTensor {
    return super.apply(inputs as Tensor[], args);
  }

  override applyMulti(inputs: SymbolicTensor | SymbolicTensor[], args?: AttentionCallArgs): SymbolicTensor[];
  override applyMulti(inputs: Tensor | Tensor[], args?: AttentionCallArgs): Tensor[];
  override applyMulti(
    inputs: Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[],
    args: AttentionCallArgs = {},
  ): (Tensor | SymbolicTensor)[] {
    return super.applyMulti(inputs as Tensor[], args);
  }

  /** Scores [batch, targets, sources] of query [batch, targets, dim] against key [batch, sources, dim]. */
  protected abstract scores(query: Tensor, key: Tensor): Tensor;

  protected checkShapes(shapes: SymbolicShape[]): [SymbolicShape, SymbolicShape, SymbolicShape] {
    if (shapes.length < 2 || shapes.length > 3) {
      throw new Error(
        `${this.className} "${this.name}": the layer must be called on a list of inputs, namely [query, value] or [query, value, key]. Received ${shapes.length} input(s).`,
      );
    }
    const [query, value, key = value] = shapes as [SymbolicShape, SymbolicShape, SymbolicShape?];
    for (const [name, s] of [
      ['query', query],
      ['value', value],
      ['key', key],
    ] as const) {
      if (s.length !== 3) {
        throw new Error(
          `${this.className} "${this.name}": ${name} must have rank 3 [batch, steps, dim]; received ${name} shape ${formatPythonShape(s)}.`,
        );
      }
    }
    if (key[1] !== null && value[1] !== null && key[1] !== value[1]) {
      throw new Error(
        `${this.className} "${this.name}": key and value must have the same number of steps; received key shape ${formatPythonShape(key)} and value shape ${formatPythonShape(value)}.`,
      );
    }
    if (query[2] !== null && key[2] !== null && query[2] !== key[2]) {
      throw new Error(
        `${this.className} "${this.name}": query and key must have the same last dimension; received query shape ${formatPythonShape(query)} and key shape ${formatPythonShape(key)}.`,
      );
    }
    return [query, value, key];
  }

  override computeOutputShapeMulti(inputShapes: SymbolicShape[], options: CallOptions = {}): SymbolicShape[] {
    const [query, value] = this.checkShapes(inputShapes);
    const output: SymbolicShape = [query[0] ?? null, query[1] ?? null, value[2] ?? null];
    return options.returnAttentionScores ? [output, [query[0] ?? null, query[1] ?? null, value[1] ?? null]] : [output];
  }

  override callMulti(inputs: Tensor[], args: AttentionCallArgs): Tensor[] {
    const [query, value, key = value] = inputs as [Tensor, Tensor, Tensor?];
    this.checkShapes(inputs.map((t) => t.shape));
    const [batch, targets] = query.shape as [number, number];
    const sources = value.shape[1] as number;
    const owner = `${this.className} "${this.name}"`;
    const given = args.masks ?? null;
    if (given !== null && (!Array.isArray(given) || given.length < 2 || given.length > 3)) {
      throw new Error(`${owner}: \`masks\` must be a list of the inputs' masks [query_mask, value_mask] (either may be null).`);
    }
    const queryMask = given?.[0] ? checkedMask(owner, 'query_mask', given[0], [batch, targets], '(batch, target)') : null;
    const valueMask = given?.[1] ? checkedMask(owner, 'value_mask', given[1], [batch, sources], '(batch, source)') : null;
    let scoresMask = valueMask && ops.expandDims(valueMask, -2);
    if (args.useCausalMask) scoresMask = combineMasks(scoresMask, causalMask(targets, sources));
    let scores = this.scores(query, key);
    if (scoresMask !== null) scores = ops.sub(scores, ops.mul(ops.sub(1, scoresMask), 1e9));
    let weights = ops.softmax(scores, -1);
    if (args.training && this.dropout > 0) {
      weights = ops.dropout(weights, this.dropout, { seed: this.rng ? this.rng.nextSeed() : undefined });
    }
    let result = ops.matmul(weights, value);
    if (queryMask !== null) result = ops.mul(result, ops.expandDims(asFloatMask(queryMask), -1));
    return args.returnAttentionScores ? [result, weights] : [result];
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), dropout: this.dropout, seed: this.seed };
  }
}

export interface AttentionArgs extends BaseAttentionArgs {
  /** Learn a scalar that scales the scores (default false). */
  useScale?: boolean;
  /** 'dot' (query · key) or 'concat' (Σ tanh(query + key)). */
  scoreMode?: 'dot' | 'concat';
}

/** Dot-product attention (Luong-style). */
export class Attention extends BaseDenseAttention {
  static override readonly className: string = 'Attention';
  readonly useScale: boolean;
  readonly scoreMode: 'dot' | 'concat';
  scale: Variable | null = null;
  concatScoreWeight: Variable | null = null;

  constructor(args: AttentionArgs = {}) {
    super(args);
    this.useScale = args.useScale ?? false;
    const mode = args.scoreMode ?? 'dot';
    if (mode !== 'dot' && mode !== 'concat') {
      throw new Error(
        `Attention: invalid value for argument score_mode. Expected one of {'dot', 'concat'}. Received: score_mode=${mode}`,
      );
    }
    this.scoreMode = mode;
  }

  override buildMulti(inputShapes: SymbolicShape[]): void {
    this.checkShapes(inputShapes);
    if (this.useScale) this.scale = this.addWeight('scale', { shape: [], initializer: 'ones' });
    if (this.scoreMode === 'concat') {
      this.concatScoreWeight = this.addWeight('concat_score_weight', { shape: [], initializer: 'ones' });
    }
  }

  protected scores(query: Tensor, key: Tensor): Tensor {
    if (this.scoreMode === 'dot') {
      const s = ops.matmul(query, key, { transposeB: true });
      return this.scale ? ops.mul(s, this.scale) : s;
    }
    // [batch, targets, 1, dim] + [batch, 1, sources, dim]
    let sum = ops.add(ops.expandDims(query, -2), ops.expandDims(key, -3));
    if (this.scale) sum = ops.mul(sum, this.scale);
    return ops.mul(ops.sum(ops.tanh(sum), -1), this.concatScoreWeight as Variable);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), use_scale: this.useScale, score_mode: this.scoreMode };
  }

  static override fromConfig(config: ConfigDict): Attention {
    const owner = 'Attention.fromConfig';
    return new Attention({
      ...baseArgsFromConfig(config, owner),
      useScale: configBoolean(config, 'use_scale', owner, false),
      scoreMode: configString(config, 'score_mode', owner, 'dot') as 'dot' | 'concat',
      dropout: configNumber(config, 'dropout', owner, 0),
      seed: typeof config.seed === 'number' ? config.seed : null,
    });
  }
}

export interface AdditiveAttentionArgs extends BaseAttentionArgs {
  /** Learn a per-dimension scale of the tanh terms (default true). */
  useScale?: boolean;
}

/** Additive attention (Bahdanau-style): scores Σ scale · tanh(query + key). */
export class AdditiveAttention extends BaseDenseAttention {
  static override readonly className: string = 'AdditiveAttention';
  readonly useScale: boolean;
  scale: Variable | null = null;

  constructor(args: AdditiveAttentionArgs = {}) {
    super(args);
    this.useScale = args.useScale ?? true;
  }

  override buildMulti(inputShapes: SymbolicShape[]): void {
    const [, , key] = this.checkShapes(inputShapes);
    const dim = key[2];
    if (dim === null || dim === undefined) {
      throw new Error(
        `AdditiveAttention "${this.name}": the last axis of the key must be defined; received shape ${formatPythonShape(key)}.`,
      );
    }
    if (this.useScale) this.scale = this.addWeight('scale', { shape: [dim], initializer: 'glorot_uniform' });
  }

  protected scores(query: Tensor, key: Tensor): Tensor {
    const t = ops.tanh(ops.add(ops.expandDims(query, -2), ops.expandDims(key, -3)));
    return ops.sum(this.scale ? ops.mul(t, this.scale) : t, -1);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), use_scale: this.useScale };
  }

  static override fromConfig(config: ConfigDict): AdditiveAttention {
    const owner = 'AdditiveAttention.fromConfig';
    return new AdditiveAttention({
      ...baseArgsFromConfig(config, owner),
      useScale: configBoolean(config, 'use_scale', owner, true),
      dropout: configNumber(config, 'dropout', owner, 0),
      seed: typeof config.seed === 'number' ? config.seed : null,
    });
  }
}
