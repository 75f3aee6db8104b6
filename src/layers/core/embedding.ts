/**
 * Embedding (Keras's): integer ids of any shape -> one learned vector per id, output shape
 * input shape + [outputDim]. Takes the int32 data an `Input({ dtype: 'int32' })` holds (or floats
 * holding whole numbers); an id outside [0, inputDim) is refused by the gather, naming it.
 */
import * as ops from '../../ops/index.js';
import type { Tensor, Variable } from '../../tensor/tensor.js';
import type { Constraint } from '../constraints.js';
import {
  type ConstraintArg,
  constraintArg,
  type InitializerArg,
  initializerArg,
  keywordForm,
  type RegularizerArg,
  regularizerArg,
  serializeConstr,
  serializeInit,
  serializeReg,
} from '../engine/arguments.js';
import { type ConfigDict, configBoolean, configNumber } from '../engine/config.js';
import { baseArgsFromConfig, type CallArgs, Layer, type LayerArgs } from '../engine/layer.js';
import type { SymbolicShape } from '../engine/symbolic.js';
import type { Initializer } from '../initializers/index.js';
import type { Regularizer } from '../regularizers.js';

export interface EmbeddingArgs extends LayerArgs {
  /** Default 'uniform' as in Keras: RandomUniform(-0.05, 0.05). */
  embeddingsInitializer?: InitializerArg;
  embeddingsRegularizer?: RegularizerArg;
  activityRegularizer?: RegularizerArg;
  embeddingsConstraint?: ConstraintArg;
  /**
   * Keras's `mask_zero`: id 0 is padding, and the output carries a mask that is false there
   * (docs/masking.md); id 0 is then reserved, so `inputDim` counts it.
   */
  maskZero?: boolean;
}

export class Embedding extends Layer {
  static override readonly className: string = 'Embedding';
  readonly inputDim: number;
  readonly outputDim: number;
  readonly embeddingsInitializer: Initializer;
  readonly embeddingsRegularizer: Regularizer | null;
  readonly embeddingsConstraint: Constraint | null;
  readonly maskZero: boolean;
  embeddings: Variable | null = null;

  constructor(inputDim: number, outputDim: number, args?: EmbeddingArgs);
  /** Keras's keyword form: `new Embedding({ inputDim: 1000, outputDim: 64 })`. */
  constructor(args: EmbeddingArgs & { inputDim: number; outputDim: number });
  constructor(...given: unknown[]) {
    super(keywordForm<EmbeddingArgs>('Embedding', ['inputDim', 'outputDim'], given).args);
    const { values, args } = keywordForm<EmbeddingArgs>('Embedding', ['inputDim', 'outputDim'], given);
    const [inputDim, outputDim] = values as [number, number];
    for (const [name, v] of [
      ['input_dim', inputDim],
      ['output_dim', outputDim],
    ] as const) {
      if (!Number.isInteger(v) || v <= 0) {
        throw new Error(`Embedding: received an invalid value for argument \`${name}\`, expected a positive integer, got ${v}.`);
      }
    }
    this.maskZero = args.maskZero ?? false;
    this.inputDim = inputDim;
    this.outputDim = outputDim;
    this.embeddingsInitializer = initializerArg(args.embeddingsInitializer, 'random_uniform');
    this.embeddingsRegularizer = regularizerArg(args.embeddingsRegularizer);
    this.activityRegularizer = regularizerArg(args.activityRegularizer);
    this.embeddingsConstraint = constraintArg(args.embeddingsConstraint);
  }

  override build(_inputShape: SymbolicShape): void {
    this.embeddings = this.addWeight('embeddings', {
      shape: [this.inputDim, this.outputDim],
      initializer: this.embeddingsInitializer,
      regularizer: this.embeddingsRegularizer,
      constraint: this.embeddingsConstraint,
    });
  }

  override call(input: Tensor, _args: CallArgs): Tensor {
    try {
      return ops.gather(this.embeddings as Variable, input, 0);
    } catch (error) {
      throw new Error(`Embedding "${this.name}" (input_dim=${this.inputDim}): ${(error as Error).message}`);
    }
  }

  /** With maskZero: true where the id is not 0 (Keras's `compute_mask`). */
  override computeMask(input: Tensor, _mask: Tensor | null): Tensor | null {
    return this.maskZero ? ops.notEqual(input, 0) : null;
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [...inputShape, this.outputDim];
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      input_dim: this.inputDim,
      output_dim: this.outputDim,
      embeddings_initializer: serializeInit(this.embeddingsInitializer),
      embeddings_regularizer: serializeReg(this.embeddingsRegularizer),
      activity_regularizer: serializeReg(this.activityRegularizer),
      embeddings_constraint: serializeConstr(this.embeddingsConstraint),
      mask_zero: this.maskZero,
    };
  }

  static override fromConfig(config: ConfigDict): Embedding {
    const owner = 'Embedding.fromConfig';
    return new Embedding(configNumber(config, 'input_dim', owner), configNumber(config, 'output_dim', owner), {
      ...baseArgsFromConfig(config, owner),
      embeddingsInitializer: (config.embeddings_initializer as InitializerArg | null) ?? undefined,
      embeddingsRegularizer: config.embeddings_regularizer as RegularizerArg,
      activityRegularizer: config.activity_regularizer as RegularizerArg,
      embeddingsConstraint: config.embeddings_constraint as ConstraintArg,
      maskZero: configBoolean(config, 'mask_zero', owner, false),
    });
  }
}
