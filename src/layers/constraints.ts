/**
 * Weight constraints (Keras's MaxNorm, NonNeg, UnitNorm, MinMaxNorm), applied to a variable
 * after each optimizer update: training calls `applyConstraints(model)` after its step.
 */
import { noGrad } from '../autograd/record.js';
import { add, div, maximum, mul } from '../ops/arithmetic.js';
import { sum } from '../ops/reduce.js';
import { clip, sqrt, square } from '../ops/unary.js';
import type { Tensor } from '../tensor/tensor.js';
import { type ConfigDict, type ConfigValue, isConfigDict, type SerializedObject } from './engine/config.js';

/** Keras's backend epsilon, used in the norm divisions. */
const EPSILON = 1e-7;

export abstract class Constraint {
  abstract readonly className: string;
  /** The constrained value (computed without gradient recording). */
  abstract apply(w: Tensor): Tensor;
  abstract getConfig(): ConfigDict;
}

type Axis = number | number[];

function norms(w: Tensor, axis: Axis): Tensor {
  return sqrt(sum(square(w), axis, true));
}

export class MaxNorm extends Constraint {
  readonly className = 'MaxNorm';
  readonly maxValue: number;
  readonly axis: Axis;
  constructor(args: { maxValue?: number; axis?: Axis } = {}) {
    super();
    this.maxValue = args.maxValue ?? 2;
    this.axis = args.axis ?? 0;
  }
  apply(w: Tensor): Tensor {
    return noGrad(() => {
      const n = norms(w, this.axis);
      const desired = clip(n, 0, this.maxValue);
      return mul(w, div(desired, add(n, EPSILON)));
    });
  }
  getConfig(): ConfigDict {
    return { max_value: this.maxValue, axis: this.axis };
  }
}

export class NonNeg extends Constraint {
  readonly className = 'NonNeg';
  apply(w: Tensor): Tensor {
    return noGrad(() => maximum(w, 0));
  }
  getConfig(): ConfigDict {
    return {};
  }
}

export class UnitNorm extends Constraint {
  readonly className = 'UnitNorm';
  readonly axis: Axis;
  constructor(args: { axis?: Axis } = {}) {
    super();
    this.axis = args.axis ?? 0;
  }
  apply(w: Tensor): Tensor {
    return noGrad(() => div(w, add(norms(w, this.axis), EPSILON)));
  }
  getConfig(): ConfigDict {
    return { axis: this.axis };
  }
}

export class MinMaxNorm extends Constraint {
  readonly className = 'MinMaxNorm';
  readonly minValue: number;
  readonly maxValue: number;
  readonly rate: number;
  readonly axis: Axis;
  constructor(args: { minValue?: number; maxValue?: number; rate?: number; axis?: Axis } = {}) {
    super();
    this.minValue = args.minValue ?? 0;
    this.maxValue = args.maxValue ?? 1;
    this.rate = args.rate ?? 1;
    this.axis = args.axis ?? 0;
  }
  apply(w: Tensor): Tensor {
    return noGrad(() => {
      const n = norms(w, this.axis);
      const desired = add(mul(clip(n, this.minValue, this.maxValue), this.rate), mul(n, 1 - this.rate));
      return mul(w, div(desired, add(n, EPSILON)));
    });
  }
  getConfig(): ConfigDict {
    return { min_value: this.minValue, max_value: this.maxValue, rate: this.rate, axis: this.axis };
  }
}

export type ConstraintIdentifier = 'max_norm' | 'non_neg' | 'unit_norm' | 'min_max_norm' | Constraint | SerializedObject;

function axisOf(c: ConfigDict): Axis | undefined {
  const a = c.axis;
  if (typeof a === 'number') return a;
  if (Array.isArray(a) && a.every((x) => typeof x === 'number')) return a as number[];
  return undefined;
}

export function getConstraint(identifier: ConstraintIdentifier | ConfigValue | undefined): Constraint | null {
  if (identifier === undefined || identifier === null) return null;
  if (identifier instanceof Constraint) return identifier;
  let className: string;
  let c: ConfigDict = {};
  if (typeof identifier === 'string') className = identifier;
  else if (isConfigDict(identifier) && typeof identifier.class_name === 'string') {
    className = identifier.class_name;
    c = isConfigDict(identifier.config) ? identifier.config : {};
  } else throw new Error(`Could not interpret constraint identifier: ${JSON.stringify(identifier)}.`);
  const n = (k: string): number | undefined => (typeof c[k] === 'number' ? (c[k] as number) : undefined);
  switch (className) {
    case 'max_norm':
    case 'MaxNorm':
      return new MaxNorm({ maxValue: n('max_value'), axis: axisOf(c) });
    case 'non_neg':
    case 'NonNeg':
      return new NonNeg();
    case 'unit_norm':
    case 'UnitNorm':
      return new UnitNorm({ axis: axisOf(c) });
    case 'min_max_norm':
    case 'MinMaxNorm':
      return new MinMaxNorm({ minValue: n('min_value'), maxValue: n('max_value'), rate: n('rate'), axis: axisOf(c) });
    default:
      throw new Error(`Unknown constraint: '${className}'. Known: max_norm, non_neg, unit_norm, min_max_norm.`);
  }
}

export function serializeConstraint(c: Constraint | null): SerializedObject | null {
  return c ? { module: 'keras.constraints', class_name: c.className, config: c.getConfig(), registered_name: null } : null;
}
