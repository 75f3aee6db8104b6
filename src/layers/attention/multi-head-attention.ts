/**
 * MultiHeadAttention (Keras 3's): query, key and value projected per head by EinsumDense
 * sub-layers (kernels [dModel, numHeads, keyDim], biases [numHeads, keyDim]), scaled dot-product
 * attention over the sequence axis with an optional mask and causal mask, dropout on the
 * attention probabilities, and an output EinsumDense (kernel [numHeads, valueDim, outputDim]).
 * The sub-layers sit in the properties Keras uses (`_query_dense`, ...), so a `.keras` file
 * stores their variables under Keras's paths.
 */
import * as ops from '../../ops/index.js';
import { RandomGenerator } from '../../tensor/random.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Constraint } from '../constraints.js';
import { EinsumDense } from '../core/einsum-dense.js';
import {
  type ConstraintArg,
  constraintArg,
  type InitializerArg,
  initializerArg,
  type RegularizerArg,
  regularizerArg,
  serializeConstr,
  serializeInit,
  serializeReg,
} from '../engine/arguments.js';
import type { CallOptions } from '../engine/call-options.js';
import { type ConfigDict, configBoolean, configNumber } from '../engine/config.js';
import { baseArgsFromConfig, type CallArgs, Layer, type LayerArgs } from '../engine/layer.js';
import { formatPythonShape, type SymbolicShape, type SymbolicTensor } from '../engine/symbolic.js';
import type { Initializer } from '../initializers/index.js';
import type { Regularizer } from '../regularizers.js';
import { causalMask, checkedMask, combineMasks, maskedSoftmax } from './masking.js';

export interface MultiHeadAttentionArgs extends LayerArgs {
  numHeads: number;
  /** Size of each attention head for query and key. */
  keyDim: number;
  /** Size of each attention head for value (default keyDim). */
  valueDim?: number | null;
  /** Dropout rate on the attention probabilities (training only). */
  dropout?: number;
  useBias?: boolean;
  /** The last axis of the output (default: the query's last axis); an int or a shape. */
  outputShape?: number | readonly number[] | null;
  /** The axes attention runs over; capa supports Keras's default (the sequence axis of rank-3 inputs). */
  attentionAxes?: number | readonly number[] | null;
  kernelInitializer?: InitializerArg;
  biasInitializer?: InitializerArg;
  kernelRegularizer?: RegularizerArg;
  biasRegularizer?: RegularizerArg;
  activityRegularizer?: RegularizerArg;
  kernelConstraint?: ConstraintArg;
  biasConstraint?: ConstraintArg;
  seed?: number | null;
}

/** The call options of MultiHeadAttention (Keras's call keyword arguments). */
export interface MultiHeadAttentionCallArgs extends CallArgs {
  /** [batch, targets, sources] (or broadcastable to it): nonzero where a target may attend to a source. */
  attentionMask?: Tensor | null;
  /** Each target attends only to sources at or before it (a decoder's mask). */
  useCausalMask?: boolean;
  /**
   * The inputs' masks in input order ([query [batch, targets], value [batch, sources], key]),
   * nonzero where a step is present (Keras reads them from the inputs' `_keras_mask`): a target
   * attends only to present sources, combined with `attentionMask` by a logical and.
   */
  masks?: readonly (Tensor | null)[];
  /** Also return the attention probabilities [batch, heads, targets, sources] (use `applyMulti`). */
  returnAttentionScores?: boolean;
}

export class MultiHeadAttention extends Layer {
  static override readonly className: string = 'MultiHeadAttention';
  protected override readonly expectsList = true;
  readonly numHeads: number;
  readonly keyDim: number;
  readonly valueDim: number;
  readonly dropout: number;
  readonly useBias: boolean;
  readonly outputShapeArg: number[] | null;
  readonly seed: number | null;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  private readonly rng: RandomGenerator | null;
  // Keras's attribute names: a .keras file keeps the sub-layers' variables under these paths.
  _query_dense: EinsumDense | null = null;
  _key_dense: EinsumDense | null = null;
  _value_dense: EinsumDense | null = null;
  _output_dense: EinsumDense | null = null;

  constructor(args: MultiHeadAttentionArgs) {
    super(args);
    const owner = 'MultiHeadAttention';
    const positive = (v: unknown): boolean => Number.isInteger(v) && (v as number) > 0;
    if (!args || !positive(args.numHeads)) {
      throw new Error(
        `${owner}: \`num_heads\` must be a positive integer. Received: num_heads=${JSON.stringify(args?.numHeads)}`,
      );
    }
    if (!positive(args.keyDim)) {
      throw new Error(`${owner}: \`key_dim\` must be a positive integer. Received: key_dim=${JSON.stringify(args.keyDim)}`);
    }
    this.numHeads = args.numHeads;
    this.keyDim = args.keyDim;
    this.valueDim = args.valueDim ?? args.keyDim;
    if (!positive(this.valueDim)) {
      throw new Error(`${owner}: \`value_dim\` must be a positive integer. Received: value_dim=${JSON.stringify(args.valueDim)}`);
    }
    this.dropout = args.dropout ?? 0;
    if (!(this.dropout >= 0 && this.dropout < 1)) {
      throw new Error(`${owner}: \`dropout\` must be a number in [0, 1). Received: dropout=${args.dropout}`);
    }
    this.useBias = args.useBias ?? true;
    const out = args.outputShape ?? null;
    this.outputShapeArg = out === null ? null : typeof out === 'number' ? [out] : [...out];
    if (this.outputShapeArg && (this.outputShapeArg.length === 0 || !this.outputShapeArg.every(positive))) {
      throw new Error(
        `${owner}: \`output_shape\` must be a positive integer or a list of them. Received: output_shape=${JSON.stringify(out)}`,
      );
    }
    const axes = args.attentionAxes ?? null;
    const axesList = axes === null ? null : typeof axes === 'number' ? [axes] : [...axes];
    if (axesList !== null && !(axesList.length === 1 && (axesList[0] === 1 || axesList[0] === -2))) {
      throw new Error(
        `${owner}: capa attends over the sequence axis of rank-3 inputs only (attention_axes=None or (1,)). Received: attention_axes=${JSON.stringify(axes)}`,
      );
    }
    this.seed = args.seed ?? null;
    this.rng = this.seed === null ? null : new RandomGenerator(this.seed);
    this.kernelInitializer = initializerArg(args.kernelInitializer, 'glorot_uniform');
    this.biasInitializer = initializerArg(args.biasInitializer, 'zeros');
    this.kernelRegularizer = regularizerArg(args.kernelRegularizer);
    this.biasRegularizer = regularizerArg(args.biasRegularizer);
    this.activityRegularizer = regularizerArg(args.activityRegularizer);
    this.kernelConstraint = constraintArg(args.kernelConstraint);
    this.biasConstraint = constraintArg(args.biasConstraint);
  }

  /** The initializer, regularizer and constraint entries of the config, shared with the sub-layers (Keras's `_get_common_kwargs_for_sublayer`). */
  private commonConfig(): ConfigDict {
    return {
      kernel_initializer: serializeInit(this.kernelInitializer),
      bias_initializer: serializeInit(this.biasInitializer),
      kernel_regularizer: serializeReg(this.kernelRegularizer),
      bias_regularizer: serializeReg(this.biasRegularizer),
      activity_regularizer: serializeReg(this.activityRegularizer),
      kernel_constraint: serializeConstr(this.kernelConstraint),
      bias_constraint: serializeConstr(this.biasConstraint),
    };
  }

  // ---- calling ----

  override apply(inputs: SymbolicTensor | SymbolicTensor[], args?: MultiHeadAttentionCallArgs): SymbolicTensor;
  override apply(inputs: Tensor | Tensor[], args?: MultiHeadAttentionCallArgs): Tensor;
  override apply(
    inputs: Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[],
    args: MultiHeadAttentionCallArgs = {},
  ): Tensor | SymbolicTensor {
    return super.apply(inputs as Tensor[], args);
  }

  override applyMulti(inputs: SymbolicTensor | SymbolicTensor[], args?: MultiHeadAttentionCallArgs): SymbolicTensor[];
  override applyMulti(inputs: Tensor | Tensor[], args?: MultiHeadAttentionCallArgs): Tensor[];
  override applyMulti(
    inputs: Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[],
    args: MultiHeadAttentionCallArgs = {},
  ): (Tensor | SymbolicTensor)[] {
    return super.applyMulti(inputs as Tensor[], args);
  }

  /** [query, value, key?] shapes checked as Keras does, naming the layer. */
  private checkShapes(shapes: SymbolicShape[]): [SymbolicShape, SymbolicShape, SymbolicShape] {
    if (shapes.length < 2 || shapes.length > 3) {
      throw new Error(
        `MultiHeadAttention "${this.name}": expects [query, value] or [query, value, key], received ${shapes.length} input(s).`,
      );
    }
    const [query, value, key = value] = shapes as [SymbolicShape, SymbolicShape, SymbolicShape?];
    const names = ['query', 'value', 'key'];
    [query, value, key].forEach((s, i) => {
      if (s.length !== 3) {
        throw new Error(
          `MultiHeadAttention "${this.name}": ${names[i]} must have rank 3 [batch, sequence, features] (capa attends over the sequence axis); ` +
            `received ${names[i]} shape ${formatPythonShape(s)}, query shape ${formatPythonShape(query)} and value shape ${formatPythonShape(value)}.`,
        );
      }
    });
    if (key[1] !== null && value[1] !== null && key[1] !== value[1]) {
      throw new Error(
        `MultiHeadAttention "${this.name}": key and value must have the same sequence length; received key shape ${formatPythonShape(key)} and value shape ${formatPythonShape(value)}.`,
      );
    }
    const batches = [query[0], value[0], key[0]].filter((b) => b !== null && b !== undefined);
    if (batches.some((b) => b !== batches[0])) {
      throw new Error(
        `MultiHeadAttention "${this.name}": query, value and key must have the same batch size; received shapes ${formatPythonShape(query)}, ${formatPythonShape(value)} and ${formatPythonShape(key)}.`,
      );
    }
    for (const [i, s] of [query, value, key].entries()) {
      if (s[2] === null || s[2] === undefined) {
        throw new Error(
          `MultiHeadAttention "${this.name}": the last axis of ${names[i]} must be defined; received shape ${formatPythonShape(s)}.`,
        );
      }
    }
    return [query, value, key];
  }

  private projection(name: string, equation: string, shape: (number | null)[], biasAxes: string): EinsumDense {
    const layer = EinsumDense.fromConfig({
      name,
      trainable: this.trainable,
      equation,
      output_shape: shape,
      bias_axes: this.useBias ? biasAxes : null,
      activation: 'linear',
      ...this.commonConfig(),
    });
    layer.weightScope = `${this.name}/${name}`;
    return layer;
  }

  override buildMulti(inputShapes: SymbolicShape[]): void {
    const [query, value, key] = this.checkShapes(inputShapes);
    const outLetters = 'efghij'.slice(0, (this.outputShapeArg ?? [0]).length);
    const outShape = this.outputShapeArg ?? [query[2] as number];
    this._query_dense = this.projection('query', 'abc,cde->abde', [null, this.numHeads, this.keyDim], 'de');
    this._key_dense = this.projection('key', 'abc,cde->abde', [null, this.numHeads, this.keyDim], 'de');
    this._value_dense = this.projection('value', 'abc,cde->abde', [null, this.numHeads, this.valueDim], 'de');
    this._output_dense = this.projection(
      'attention_output',
      `abcd,cd${outLetters}->ab${outLetters}`,
      [null, ...outShape],
      outLetters,
    );
    this._query_dense.maybeBuild([query]);
    this._key_dense.maybeBuild([key]);
    this._value_dense.maybeBuild([value]);
    this._output_dense.maybeBuild([[query[0] ?? null, query[1] ?? null, this.numHeads, this.valueDim]]);
  }

  override computeOutputShapeMulti(inputShapes: SymbolicShape[], options: CallOptions = {}): SymbolicShape[] {
    const [query, value] = this.checkShapes(inputShapes);
    const output: SymbolicShape = [query[0] ?? null, query[1] ?? null, ...(this.outputShapeArg ?? [query[2] as number])];
    if (!options.returnAttentionScores) return [output];
    return [output, [query[0] ?? null, this.numHeads, query[1] ?? null, value[1] ?? null]];
  }

  override callMulti(inputs: Tensor[], args: MultiHeadAttentionCallArgs): Tensor[] {
    const [query, value, key = value] = inputs as [Tensor, Tensor, Tensor?];
    this.checkShapes(inputs.map((t) => t.shape));
    const [batch, targets] = query.shape as [number, number];
    const sources = value.shape[1] as number;
    const owner = `MultiHeadAttention "${this.name}"`;
    // Keras's _compute_attention_mask: query mask [B, T, 1] & value and key masks [B, 1, S] & causal & attention_mask
    const [queryMask, valueMask, keyMask] = [0, 1, 2].map((i) => args.masks?.[i] ?? null);
    let mask: Tensor | null = null;
    if (queryMask) mask = ops.expandDims(checkedMask(owner, 'query_mask', queryMask, [batch, targets], '(batch, target)'), -1);
    for (const [what, m] of [
      ['value_mask', valueMask],
      ['key_mask', keyMask],
    ] as const) {
      if (m) mask = combineMasks(mask, ops.expandDims(checkedMask(owner, what, m, [batch, sources], '(batch, source)'), 1));
    }
    if (args.useCausalMask) mask = combineMasks(mask, causalMask(targets, sources));
    if (args.attentionMask !== undefined && args.attentionMask !== null) {
      const given = checkedMask(
        owner,
        'attention_mask',
        args.attentionMask,
        [batch, targets, sources],
        '(batch, target, source)',
      );
      mask = combineMasks(mask, given);
    }
    // [batch, seq, heads, dim] -> [batch, heads, seq, dim]
    const heads = (t: Tensor): Tensor => ops.transpose(t, [0, 2, 1, 3]);
    const q = heads(ops.mul((this._query_dense as EinsumDense).apply(query), 1 / Math.sqrt(this.keyDim)));
    const k = heads((this._key_dense as EinsumDense).apply(key));
    const v = heads((this._value_dense as EinsumDense).apply(value));
    const scores = ops.matmul(q, k, { transposeB: true });
    // the mask gains the heads axis: [batch, 1, targets, sources]
    let probs = maskedSoftmax(scores, mask && ops.expandDims(mask.rank === 3 ? mask : ops.reshape(mask, [1, ...mask.shape]), 1));
    if (args.training && this.dropout > 0) {
      probs = ops.dropout(probs, this.dropout, { seed: this.rng ? this.rng.nextSeed() : undefined });
    }
    const attended = ops.transpose(ops.matmul(probs, v), [0, 2, 1, 3]);
    const output = (this._output_dense as EinsumDense).apply(attended);
    return args.returnAttentionScores ? [output, probs] : [output];
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      num_heads: this.numHeads,
      key_dim: this.keyDim,
      value_dim: this.valueDim,
      dropout: this.dropout,
      use_bias: this.useBias,
      output_shape:
        this.outputShapeArg === null
          ? null
          : this.outputShapeArg.length === 1
            ? (this.outputShapeArg[0] as number)
            : this.outputShapeArg.slice(),
      attention_axes: null,
      ...this.commonConfig(),
      seed: this.seed,
    };
  }

  static override fromConfig(config: ConfigDict): MultiHeadAttention {
    const owner = 'MultiHeadAttention.fromConfig';
    const out = config.output_shape;
    const axes = config.attention_axes;
    return new MultiHeadAttention({
      ...baseArgsFromConfig(config, owner),
      numHeads: configNumber(config, 'num_heads', owner),
      keyDim: configNumber(config, 'key_dim', owner),
      valueDim: config.value_dim === null || config.value_dim === undefined ? null : configNumber(config, 'value_dim', owner),
      dropout: configNumber(config, 'dropout', owner, 0),
      useBias: configBoolean(config, 'use_bias', owner, true),
      outputShape: out === null || out === undefined ? null : (out as number | number[]),
      attentionAxes: axes === null || axes === undefined ? null : (axes as number | number[]),
      kernelInitializer: (config.kernel_initializer as InitializerArg | null) ?? undefined,
      biasInitializer: (config.bias_initializer as InitializerArg | null) ?? undefined,
      kernelRegularizer: config.kernel_regularizer as RegularizerArg,
      biasRegularizer: config.bias_regularizer as RegularizerArg,
      activityRegularizer: config.activity_regularizer as RegularizerArg,
      kernelConstraint: config.kernel_constraint as ConstraintArg,
      biasConstraint: config.bias_constraint as ConstraintArg,
      seed: typeof config.seed === 'number' ? config.seed : null,
    });
  }
}
