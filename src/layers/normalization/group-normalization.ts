/**
 * GroupNormalization (Keras 3's): the channels (last axis) split into `groups`; each sample is
 * normalized per group over every other non-batch axis and the group's channels, with the biased
 * variance, then scaled by `gamma` and shifted by `beta` per channel. groups=-1 is instance norm
 * (one channel per group), groups=1 normalizes like LayerNormalization over all non-batch axes.
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
import { baseArgsFromConfig, type CallArgs, Layer, type LayerArgs, sameShape } from '../engine/layer.js';
import { formatPythonShape, type SymbolicShape } from '../engine/symbolic.js';
import type { Initializer } from '../initializers/index.js';
import type { Regularizer } from '../regularizers.js';

export interface GroupNormalizationArgs extends LayerArgs {
  /** Number of channel groups (default 32); -1 means one group per channel. */
  groups?: number;
  /** The channel axis; capa supports the last (-1, the default). */
  axis?: number;
  epsilon?: number;
  center?: boolean;
  scale?: boolean;
  betaInitializer?: InitializerArg;
  gammaInitializer?: InitializerArg;
  betaRegularizer?: RegularizerArg;
  gammaRegularizer?: RegularizerArg;
  betaConstraint?: ConstraintArg;
  gammaConstraint?: ConstraintArg;
}

export class GroupNormalization extends Layer {
  static override readonly className: string = 'GroupNormalization';
  readonly groups: number;
  readonly axis: number;
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
  /** The group count resolved at build (groups=-1 becomes the channel count). */
  private resolvedGroups = 0;

  constructor(args: GroupNormalizationArgs = {}) {
    super(args);
    this.groups = args.groups ?? 32;
    if (!Number.isInteger(this.groups) || (this.groups < 1 && this.groups !== -1)) {
      throw new Error(`GroupNormalization: \`groups\` must be a positive integer or -1. Received: groups=${this.groups}`);
    }
    this.axis = args.axis ?? -1;
    if (this.axis !== -1) {
      throw new Error(
        `GroupNormalization: capa normalizes channels-last inputs only: \`axis\` must be -1. Received: axis=${this.axis}`,
      );
    }
    this.epsilon = args.epsilon ?? 1e-3;
    if (!(this.epsilon >= 0) || !Number.isFinite(this.epsilon)) {
      throw new Error(`GroupNormalization: \`epsilon\` must be a finite number >= 0, received ${this.epsilon}.`);
    }
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    this.betaInitializer = initializerArg(args.betaInitializer, 'zeros');
    this.gammaInitializer = initializerArg(args.gammaInitializer, 'ones');
    this.betaRegularizer = regularizerArg(args.betaRegularizer);
    this.gammaRegularizer = regularizerArg(args.gammaRegularizer);
    this.betaConstraint = constraintArg(args.betaConstraint);
    this.gammaConstraint = constraintArg(args.gammaConstraint);
    this.inputSpec = [new InputSpec({ minNdim: 2 })];
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return sameShape(inputShape);
  }

  override build(inputShape: SymbolicShape): void {
    const channels = inputShape[inputShape.length - 1];
    if (channels === null || channels === undefined) {
      throw new Error(
        `GroupNormalization "${this.name}": axis -1 of input tensor should have a defined dimension but the layer received an input with shape ${formatPythonShape(inputShape)}.`,
      );
    }
    const groups = this.groups === -1 ? channels : this.groups;
    if (channels < groups) {
      throw new Error(
        `GroupNormalization "${this.name}": number of groups (${groups}) cannot be more than the number of channels (${channels}).`,
      );
    }
    if (channels % groups !== 0) {
      throw new Error(
        `GroupNormalization "${this.name}": number of groups (${groups}) must be a multiple of the number of channels (${channels}).`,
      );
    }
    this.resolvedGroups = groups;
    this.inputSpec = [new InputSpec({ ndim: inputShape.length, axes: { [-1]: channels } })];
    if (this.scale) {
      this.gamma = this.addWeight('gamma', {
        shape: [channels],
        initializer: this.gammaInitializer,
        regularizer: this.gammaRegularizer,
        constraint: this.gammaConstraint,
      });
    }
    if (this.center) {
      this.beta = this.addWeight('beta', {
        shape: [channels],
        initializer: this.betaInitializer,
        regularizer: this.betaRegularizer,
        constraint: this.betaConstraint,
      });
    }
  }

  override call(input: Tensor, _args: CallArgs): Tensor {
    const shape = input.shape;
    const batch = shape[0] as number;
    const channels = shape[shape.length - 1] as number;
    const g = this.resolvedGroups;
    // [batch, positions, groups, channels per group]: statistics over axes 1 and 3.
    const grouped = ops.reshape(input, [batch, -1, g, channels / g]);
    const mean = ops.mean(grouped, [1, 3], true);
    const variance = ops.mean(ops.square(ops.sub(grouped, mean)), [1, 3], true);
    const normalized = ops.mul(ops.sub(grouped, mean), ops.rsqrt(ops.add(variance, this.epsilon)));
    let y = ops.reshape(normalized, shape);
    if (this.gamma) y = ops.mul(y, this.gamma);
    if (this.beta) y = ops.add(y, this.beta);
    return y;
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      groups: this.groups,
      axis: this.axis,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      beta_initializer: serializeInit(this.betaInitializer),
      gamma_initializer: serializeInit(this.gammaInitializer),
      beta_regularizer: serializeReg(this.betaRegularizer),
      gamma_regularizer: serializeReg(this.gammaRegularizer),
      beta_constraint: serializeConstr(this.betaConstraint),
      gamma_constraint: serializeConstr(this.gammaConstraint),
    };
  }

  static override fromConfig(config: ConfigDict): GroupNormalization {
    const owner = 'GroupNormalization.fromConfig';
    return new GroupNormalization({
      ...baseArgsFromConfig(config, owner),
      groups: configNumber(config, 'groups', owner, 32),
      axis: configNumber(config, 'axis', owner, -1),
      epsilon: configNumber(config, 'epsilon', owner, 1e-3),
      center: configBoolean(config, 'center', owner, true),
      scale: configBoolean(config, 'scale', owner, true),
      betaInitializer: (config.beta_initializer as InitializerArg | null) ?? undefined,
      gammaInitializer: (config.gamma_initializer as InitializerArg | null) ?? undefined,
      betaRegularizer: config.beta_regularizer as RegularizerArg,
      gammaRegularizer: config.gamma_regularizer as RegularizerArg,
      betaConstraint: config.beta_constraint as ConstraintArg,
      gammaConstraint: config.gamma_constraint as ConstraintArg,
    });
  }
}
