/**
 * LayerNormalization, as Keras 3 computes it: each sample normalized over `axis` (the last axis
 * by default) with its own mean and biased variance, then scaled by `gamma` and shifted by `beta`,
 * weights shaped like the normalized axes. The same in training and at inference.
 */
import * as ops from '../../ops/index.js';
import type { Tensor, Variable } from '../../tensor/tensor.js';
import type { Constraint } from '../constraints.js';
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
import { type ConfigDict, configBoolean, configNumber } from '../engine/config.js';
import { InputSpec } from '../engine/input-spec.js';
import { baseArgsFromConfig, Layer, type LayerArgs, sameShape } from '../engine/layer.js';
import { formatPythonShape, type SymbolicShape } from '../engine/symbolic.js';
import type { Initializer } from '../initializers/index.js';
import type { Regularizer } from '../regularizers.js';

export interface LayerNormalizationArgs extends LayerArgs {
  /** The axis or axes to normalize over (default -1). capa normalizes over trailing axes: the last, or the last few. */
  axis?: number | number[];
  /** Added to the variance (default 1e-3, as Keras). */
  epsilon?: number;
  /** Add the learned offset `beta` (default true). */
  center?: boolean;
  /** Multiply by the learned scale `gamma` (default true). */
  scale?: boolean;
  /** Keras's RMS normalization; capa implements only false (the default). */
  rmsScaling?: boolean;
  betaInitializer?: InitializerArg;
  gammaInitializer?: InitializerArg;
  betaRegularizer?: RegularizerArg;
  gammaRegularizer?: RegularizerArg;
  betaConstraint?: ConstraintArg;
  gammaConstraint?: ConstraintArg;
}

export class LayerNormalization extends Layer {
  static override readonly className: string = 'LayerNormalization';
  /** Keras's `supports_masking`: the input's mask goes on to the output unchanged. */
  protected override readonly supportsMasking = true;

  /** The output keeps the input's shape. */
  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return sameShape(inputShape);
  }
  readonly axis: number | number[];
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: Initializer;
  readonly gammaInitializer: Initializer;
  readonly betaRegularizer: Regularizer | null;
  readonly gammaRegularizer: Regularizer | null;
  readonly betaConstraint: Constraint | null;
  readonly gammaConstraint: Constraint | null;
  gamma: Variable | null = null;
  beta: Variable | null = null;

  constructor(args: LayerNormalizationArgs = {}) {
    super(args);
    this.axis = Array.isArray(args.axis) ? [...args.axis] : (args.axis ?? -1);
    const axes = Array.isArray(this.axis) ? this.axis : [this.axis];
    if (axes.length === 0 || !axes.every(Number.isInteger)) {
      throw new Error(
        `LayerNormalization: \`axis\` must be an integer or a non-empty list of integers, received ${JSON.stringify(args.axis)}.`,
      );
    }
    this.epsilon = args.epsilon ?? 1e-3;
    if (!(this.epsilon >= 0) || !Number.isFinite(this.epsilon)) {
      throw new Error(`LayerNormalization: \`epsilon\` must be a finite number >= 0, received ${this.epsilon}.`);
    }
    if (args.rmsScaling) {
      throw new Error(
        'LayerNormalization: `rms_scaling=True` is not supported by capa; use the default mean/variance normalization.',
      );
    }
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    this.betaInitializer = initializerArg(args.betaInitializer, 'zeros');
    this.gammaInitializer = initializerArg(args.gammaInitializer, 'ones');
    this.betaRegularizer = regularizerArg(args.betaRegularizer);
    this.gammaRegularizer = regularizerArg(args.gammaRegularizer);
    this.betaConstraint = constraintArg(args.betaConstraint);
    this.gammaConstraint = constraintArg(args.gammaConstraint);
  }

  /** The first normalized axis, for inputs of this rank: the axes must be the trailing ones. */
  private firstAxis(rank: number): number {
    const axes = (Array.isArray(this.axis) ? this.axis : [this.axis]).map((a) => (a < 0 ? rank + a : a));
    const sorted = [...new Set(axes)].sort((a, b) => a - b);
    if (sorted.some((a) => a < 0 || a >= rank)) {
      throw new Error(
        `LayerNormalization "${this.name}": axis ${JSON.stringify(this.axis)} is out of range for inputs of rank ${rank}.`,
      );
    }
    const first = sorted[0] as number;
    if (first === 0 || sorted.length !== axes.length || sorted.some((a, i) => a !== first + i) || sorted.at(-1) !== rank - 1) {
      throw new Error(
        `LayerNormalization "${this.name}": axis ${JSON.stringify(this.axis)} is not supported for inputs of rank ${rank}: capa normalizes over the trailing axes of each sample (axis -1, or e.g. [-2, -1]), never the batch axis.`,
      );
    }
    return first;
  }

  override build(inputShape: SymbolicShape): void {
    const first = this.firstAxis(inputShape.length);
    const shape = inputShape.slice(first);
    if (shape.some((d) => d === null || d === undefined)) {
      throw new Error(
        `LayerNormalization "${this.name}": the normalized axes ${JSON.stringify(this.axis)} of the input shape must be defined. Received input_shape=${formatPythonShape(inputShape)}`,
      );
    }
    const paramShape = shape as number[];
    if (this.scale) {
      this.gamma = this.addWeight('gamma', {
        shape: paramShape,
        initializer: this.gammaInitializer,
        regularizer: this.gammaRegularizer,
        constraint: this.gammaConstraint,
      });
    }
    if (this.center) {
      this.beta = this.addWeight('beta', {
        shape: paramShape,
        initializer: this.betaInitializer,
        regularizer: this.betaRegularizer,
        constraint: this.betaConstraint,
      });
    }
    const axes: Record<number, number> = {};
    paramShape.forEach((d, i) => {
      axes[first + i] = d;
    });
    this.inputSpec = [new InputSpec({ ndim: inputShape.length, axes })];
  }

  override call(input: Tensor): Tensor {
    return ops.layerNormalization(input, this.gamma, this.beta, this.epsilon, this.firstAxis(input.rank)).y;
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      axis: this.axis,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      rms_scaling: false,
      beta_initializer: serializeInit(this.betaInitializer),
      gamma_initializer: serializeInit(this.gammaInitializer),
      beta_regularizer: serializeReg(this.betaRegularizer),
      gamma_regularizer: serializeReg(this.gammaRegularizer),
      beta_constraint: serializeConstr(this.betaConstraint),
      gamma_constraint: serializeConstr(this.gammaConstraint),
    };
  }

  static override fromConfig(config: ConfigDict): LayerNormalization {
    const owner = 'LayerNormalization.fromConfig';
    const axis = config.axis ?? -1;
    const isAxisList = Array.isArray(axis) && axis.every((a) => typeof a === 'number');
    if (typeof axis !== 'number' && !isAxisList) {
      throw new Error(
        `${owner}: \`axis\` must be an integer or a list of integers, received axis=${JSON.stringify(config.axis)}.`,
      );
    }
    return new LayerNormalization({
      ...baseArgsFromConfig(config, owner),
      axis: axis as number | number[],
      epsilon: configNumber(config, 'epsilon', owner, 1e-3),
      center: configBoolean(config, 'center', owner, true),
      scale: configBoolean(config, 'scale', owner, true),
      rmsScaling: configBoolean(config, 'rms_scaling', owner, false),
      betaInitializer: (config.beta_initializer as InitializerArg | null) ?? undefined,
      gammaInitializer: (config.gamma_initializer as InitializerArg | null) ?? undefined,
      betaRegularizer: config.beta_regularizer as RegularizerArg,
      gammaRegularizer: config.gamma_regularizer as RegularizerArg,
      betaConstraint: config.beta_constraint as ConstraintArg,
      gammaConstraint: config.gamma_constraint as ConstraintArg,
    });
  }
}
