/**
 * BatchNormalization, as Keras 3 computes it: in training (and only while the layer is
 * trainable) the batch's own mean and biased variance normalize the input and update the
 * moving statistics `moving = moving * momentum + batch * (1 - momentum)`; at inference the
 * moving statistics are used. gamma/beta are trainable, the moving statistics are not.
 */
import { noGrad } from '../../autograd/record.js';
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
import { baseArgsFromConfig, type CallArgs, Layer, type LayerArgs, sameShape } from '../engine/layer.js';
import { formatPythonShape, type SymbolicShape } from '../engine/symbolic.js';
import type { Initializer } from '../initializers/index.js';
import type { Regularizer } from '../regularizers.js';

export interface BatchNormalizationArgs extends LayerArgs {
  axis?: number;
  momentum?: number;
  epsilon?: number;
  center?: boolean;
  scale?: boolean;
  betaInitializer?: InitializerArg;
  gammaInitializer?: InitializerArg;
  movingMeanInitializer?: InitializerArg;
  movingVarianceInitializer?: InitializerArg;
  betaRegularizer?: RegularizerArg;
  gammaRegularizer?: RegularizerArg;
  betaConstraint?: ConstraintArg;
  gammaConstraint?: ConstraintArg;
}

export class BatchNormalization extends Layer {
  static override readonly className: string = 'BatchNormalization';
  /** Keras's `supports_masking`: the input's mask goes on to the output unchanged. */
  protected override readonly supportsMasking = true;

  /** The output keeps the input's shape. */
  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return sameShape(inputShape);
  }
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: Initializer;
  readonly gammaInitializer: Initializer;
  readonly movingMeanInitializer: Initializer;
  readonly movingVarianceInitializer: Initializer;
  readonly betaRegularizer: Regularizer | null;
  readonly gammaRegularizer: Regularizer | null;
  readonly betaConstraint: Constraint | null;
  readonly gammaConstraint: Constraint | null;
  gamma: Variable | null = null;
  beta: Variable | null = null;
  movingMean: Variable | null = null;
  movingVariance: Variable | null = null;

  constructor(args: BatchNormalizationArgs = {}) {
    super(args);
    this.axis = args.axis ?? -1;
    if (!Number.isInteger(this.axis)) throw new Error(`BatchNormalization: \`axis\` must be an integer, received ${this.axis}.`);
    this.momentum = args.momentum ?? 0.99;
    this.epsilon = args.epsilon ?? 1e-3;
    if (!(this.epsilon > 0)) throw new Error(`BatchNormalization: \`epsilon\` must be positive, received ${this.epsilon}.`);
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    this.betaInitializer = initializerArg(args.betaInitializer, 'zeros');
    this.gammaInitializer = initializerArg(args.gammaInitializer, 'ones');
    this.movingMeanInitializer = initializerArg(args.movingMeanInitializer, 'zeros');
    this.movingVarianceInitializer = initializerArg(args.movingVarianceInitializer, 'ones');
    this.betaRegularizer = regularizerArg(args.betaRegularizer);
    this.gammaRegularizer = regularizerArg(args.gammaRegularizer);
    this.betaConstraint = constraintArg(args.betaConstraint);
    this.gammaConstraint = constraintArg(args.gammaConstraint);
  }

  private axisFor(rank: number): number {
    const a = this.axis < 0 ? rank + this.axis : this.axis;
    if (a < 0 || a >= rank)
      throw new Error(`BatchNormalization "${this.name}": axis ${this.axis} is out of range for inputs of rank ${rank}.`);
    return a;
  }

  override build(inputShape: SymbolicShape): void {
    const a = this.axisFor(inputShape.length);
    const dim = inputShape[a];
    if (dim === null || dim === undefined) {
      throw new Error(
        `BatchNormalization "${this.name}": axis ${this.axis} of the input shape must be defined. Received input_shape=${formatPythonShape(inputShape)}`,
      );
    }
    if (this.scale) {
      this.gamma = this.addWeight('gamma', {
        shape: [dim],
        initializer: this.gammaInitializer,
        regularizer: this.gammaRegularizer,
        constraint: this.gammaConstraint,
      });
    }
    if (this.center) {
      this.beta = this.addWeight('beta', {
        shape: [dim],
        initializer: this.betaInitializer,
        regularizer: this.betaRegularizer,
        constraint: this.betaConstraint,
      });
    }
    this.movingMean = this.addWeight('moving_mean', { shape: [dim], initializer: this.movingMeanInitializer, trainable: false });
    this.movingVariance = this.addWeight('moving_variance', {
      shape: [dim],
      initializer: this.movingVarianceInitializer,
      trainable: false,
    });
    this.inputSpec = [new InputSpec({ ndim: inputShape.length, axes: { [a]: dim } })];
  }

  override call(input: Tensor, args: CallArgs): Tensor {
    const a = this.axisFor(input.rank);
    // The ops normalize over the last axis: move the feature axis there and back.
    const last = input.rank - 1;
    const perm = a === last ? null : [...Array(input.rank).keys()].map((i) => (i === a ? last : i === last ? a : i));
    const x = perm ? ops.transpose(input, perm) : input;
    let y: Tensor;
    if (args.training && this.trainable) {
      const result = ops.batchNormTraining(x, this.gamma, this.beta, this.epsilon);
      y = result.y;
      noGrad(() => {
        const mm = this.movingMean as Variable;
        const mv = this.movingVariance as Variable;
        mm.assign(ops.add(ops.mul(mm, this.momentum), ops.mul(result.mean.detach(), 1 - this.momentum)));
        mv.assign(ops.add(ops.mul(mv, this.momentum), ops.mul(result.variance.detach(), 1 - this.momentum)));
      });
    } else {
      y = ops.batchNormalization(
        x,
        this.movingMean as Variable,
        this.movingVariance as Variable,
        this.beta,
        this.gamma,
        this.epsilon,
      );
    }
    return perm ? ops.transpose(y, perm) : y;
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      axis: this.axis,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      beta_initializer: serializeInit(this.betaInitializer),
      gamma_initializer: serializeInit(this.gammaInitializer),
      moving_mean_initializer: serializeInit(this.movingMeanInitializer),
      moving_variance_initializer: serializeInit(this.movingVarianceInitializer),
      beta_regularizer: serializeReg(this.betaRegularizer),
      gamma_regularizer: serializeReg(this.gammaRegularizer),
      beta_constraint: serializeConstr(this.betaConstraint),
      gamma_constraint: serializeConstr(this.gammaConstraint),
      synchronized: false,
    };
  }

  static override fromConfig(config: ConfigDict): BatchNormalization {
    const owner = 'BatchNormalization.fromConfig';
    let axis = config.axis;
    // Keras 2 sometimes wrote the axis as a one-element list.
    if (Array.isArray(axis) && axis.length === 1) axis = axis[0] as number;
    if (axis !== undefined && axis !== null && typeof axis !== 'number') {
      throw new Error(`${owner}: only a single normalization axis is supported, received axis=${JSON.stringify(config.axis)}.`);
    }
    return new BatchNormalization({
      ...baseArgsFromConfig(config, owner),
      axis: typeof axis === 'number' ? axis : -1,
      momentum: configNumber(config, 'momentum', owner, 0.99),
      epsilon: configNumber(config, 'epsilon', owner, 1e-3),
      center: configBoolean(config, 'center', owner, true),
      scale: configBoolean(config, 'scale', owner, true),
      betaInitializer: (config.beta_initializer as InitializerArg | null) ?? undefined,
      gammaInitializer: (config.gamma_initializer as InitializerArg | null) ?? undefined,
      movingMeanInitializer: (config.moving_mean_initializer as InitializerArg | null) ?? undefined,
      movingVarianceInitializer: (config.moving_variance_initializer as InitializerArg | null) ?? undefined,
      betaRegularizer: config.beta_regularizer as RegularizerArg,
      gammaRegularizer: config.gamma_regularizer as RegularizerArg,
      betaConstraint: config.beta_constraint as ConstraintArg,
      gammaConstraint: config.gamma_constraint as ConstraintArg,
    });
  }
}
