/**
 * Weight initializers with Keras's formulas and config layout. Values are generated straight
 * into a Float32Array by the seeded TypeScript RNG (every backend sees the same numbers), one
 * pass per weight, so VGG19's 143M parameters initialize in seconds.
 */

import { fromValues } from '../../ops/engine.js';
import { generatorFor, type RandomGenerator } from '../../tensor/random.js';
import { sizeOf } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { ConfigDict } from '../engine/config.js';
import { computeFans } from './fans.js';
import { fillNormalFast, fillUniformFast } from './fast-random.js';

export abstract class Initializer {
  /** Keras's class name (`GlorotUniform`), used in configs and the registry. */
  abstract readonly className: string;

  /** The initial values, row-major. */
  abstract generate(shape: readonly number[]): Float32Array;

  /** Initial values on the current backend, so a layer's weights live where its ops run. */
  apply(shape: readonly number[]): Tensor {
    return fromValues(this.generate(shape), shape);
  }

  abstract getConfig(): ConfigDict;
}

export class Zeros extends Initializer {
  readonly className = 'Zeros';
  generate(shape: readonly number[]): Float32Array {
    return new Float32Array(sizeOf(shape));
  }
  getConfig(): ConfigDict {
    return {};
  }
}

export class Ones extends Initializer {
  readonly className = 'Ones';
  generate(shape: readonly number[]): Float32Array {
    return new Float32Array(sizeOf(shape)).fill(1);
  }
  getConfig(): ConfigDict {
    return {};
  }
}

export class Constant extends Initializer {
  readonly className = 'Constant';
  readonly value: number;
  constructor(args: { value?: number } = {}) {
    super();
    this.value = args.value ?? 0;
  }
  generate(shape: readonly number[]): Float32Array {
    return new Float32Array(sizeOf(shape)).fill(this.value);
  }
  getConfig(): ConfigDict {
    return { value: this.value };
  }
}

/** Seeded initializers give the same values on every call, as Keras's do. */
abstract class SeededInitializer extends Initializer {
  readonly seed: number | null;
  constructor(seed: number | null | undefined) {
    super();
    this.seed = seed ?? null;
  }
  protected rng(): RandomGenerator {
    return generatorFor(this.seed ?? undefined);
  }
}

function fillUniform(n: number, minval: number, maxval: number, rng: RandomGenerator): Float32Array {
  return fillUniformFast(new Float32Array(n), minval, maxval, rng);
}

function fillNormal(n: number, mean: number, stddev: number, rng: RandomGenerator): Float32Array {
  return fillNormalFast(new Float32Array(n), mean, stddev, false, rng);
}

/** Normal samples redrawn until within two standard deviations (TensorFlow's truncated_normal). */
function fillTruncatedNormal(n: number, mean: number, stddev: number, rng: RandomGenerator): Float32Array {
  return fillNormalFast(new Float32Array(n), mean, stddev, true, rng);
}

export class RandomNormal extends SeededInitializer {
  readonly className = 'RandomNormal';
  readonly mean: number;
  readonly stddev: number;
  constructor(args: { mean?: number; stddev?: number; seed?: number | null } = {}) {
    super(args.seed);
    this.mean = args.mean ?? 0;
    this.stddev = args.stddev ?? 0.05;
  }
  generate(shape: readonly number[]): Float32Array {
    return fillNormal(sizeOf(shape), this.mean, this.stddev, this.rng());
  }
  getConfig(): ConfigDict {
    return { mean: this.mean, stddev: this.stddev, seed: this.seed };
  }
}

export class TruncatedNormal extends SeededInitializer {
  readonly className = 'TruncatedNormal';
  readonly mean: number;
  readonly stddev: number;
  constructor(args: { mean?: number; stddev?: number; seed?: number | null } = {}) {
    super(args.seed);
    this.mean = args.mean ?? 0;
    this.stddev = args.stddev ?? 0.05;
  }
  generate(shape: readonly number[]): Float32Array {
    return fillTruncatedNormal(sizeOf(shape), this.mean, this.stddev, this.rng());
  }
  getConfig(): ConfigDict {
    return { mean: this.mean, stddev: this.stddev, seed: this.seed };
  }
}

export class RandomUniform extends SeededInitializer {
  readonly className = 'RandomUniform';
  readonly minval: number;
  readonly maxval: number;
  constructor(args: { minval?: number; maxval?: number; seed?: number | null } = {}) {
    super(args.seed);
    this.minval = args.minval ?? -0.05;
    this.maxval = args.maxval ?? 0.05;
  }
  generate(shape: readonly number[]): Float32Array {
    return fillUniform(sizeOf(shape), this.minval, this.maxval, this.rng());
  }
  getConfig(): ConfigDict {
    return { minval: this.minval, maxval: this.maxval, seed: this.seed };
  }
}

export type FanMode = 'fan_in' | 'fan_out' | 'fan_avg';
export type Distribution = 'truncated_normal' | 'untruncated_normal' | 'uniform';

export interface VarianceScalingArgs {
  scale?: number;
  mode?: FanMode;
  distribution?: Distribution | 'normal';
  seed?: number | null;
}

/** Keras's VarianceScaling: the base of the Glorot, He and LeCun families. */
export class VarianceScaling extends SeededInitializer {
  readonly className: string = 'VarianceScaling';
  readonly scale: number;
  readonly mode: FanMode;
  readonly distribution: Distribution;

  constructor(args: VarianceScalingArgs = {}) {
    super(args.seed);
    this.scale = args.scale ?? 1;
    this.mode = args.mode ?? 'fan_in';
    // Keras 2's 'normal' meant the truncated normal.
    this.distribution = args.distribution === 'normal' ? 'truncated_normal' : (args.distribution ?? 'truncated_normal');
    if (!(this.scale > 0)) throw new Error(`VarianceScaling: 'scale' must be a positive float, received ${this.scale}.`);
    if (!['fan_in', 'fan_out', 'fan_avg'].includes(this.mode)) {
      throw new Error(`VarianceScaling: invalid 'mode' ${JSON.stringify(this.mode)}; expected one of fan_in, fan_out, fan_avg.`);
    }
    if (!['truncated_normal', 'untruncated_normal', 'uniform'].includes(this.distribution)) {
      throw new Error(
        `VarianceScaling: invalid 'distribution' ${JSON.stringify(args.distribution)}; expected one of truncated_normal, untruncated_normal, uniform.`,
      );
    }
  }

  generate(shape: readonly number[]): Float32Array {
    const [fanIn, fanOut] = computeFans(shape);
    let scale = this.scale;
    if (this.mode === 'fan_in') scale /= Math.max(1, fanIn);
    else if (this.mode === 'fan_out') scale /= Math.max(1, fanOut);
    else scale /= Math.max(1, (fanIn + fanOut) / 2);
    const n = sizeOf(shape);
    if (this.distribution === 'truncated_normal') {
      // Std of a standard normal truncated to [-2, 2], so the result has variance `scale`.
      const stddev = Math.sqrt(scale) / 0.8796256610342398;
      return fillTruncatedNormal(n, 0, stddev, this.rng());
    }
    if (this.distribution === 'untruncated_normal') return fillNormal(n, 0, Math.sqrt(scale), this.rng());
    const limit = Math.sqrt(3 * scale);
    return fillUniform(n, -limit, limit, this.rng());
  }

  getConfig(): ConfigDict {
    return { scale: this.scale, mode: this.mode, distribution: this.distribution, seed: this.seed };
  }
}

/** A named VarianceScaling preset: its config is only the seed, as in Keras. */
abstract class VarianceScalingPreset extends VarianceScaling {
  override getConfig(): ConfigDict {
    return { seed: this.seed };
  }
}

export class GlorotUniform extends VarianceScalingPreset {
  override readonly className = 'GlorotUniform';
  constructor(args: { seed?: number | null } = {}) {
    super({ scale: 1, mode: 'fan_avg', distribution: 'uniform', seed: args.seed });
  }
}

export class GlorotNormal extends VarianceScalingPreset {
  override readonly className = 'GlorotNormal';
  constructor(args: { seed?: number | null } = {}) {
    super({ scale: 1, mode: 'fan_avg', distribution: 'truncated_normal', seed: args.seed });
  }
}

export class HeNormal extends VarianceScalingPreset {
  override readonly className = 'HeNormal';
  constructor(args: { seed?: number | null } = {}) {
    super({ scale: 2, mode: 'fan_in', distribution: 'truncated_normal', seed: args.seed });
  }
}

export class HeUniform extends VarianceScalingPreset {
  override readonly className = 'HeUniform';
  constructor(args: { seed?: number | null } = {}) {
    super({ scale: 2, mode: 'fan_in', distribution: 'uniform', seed: args.seed });
  }
}

export class LecunNormal extends VarianceScalingPreset {
  override readonly className = 'LecunNormal';
  constructor(args: { seed?: number | null } = {}) {
    super({ scale: 1, mode: 'fan_in', distribution: 'truncated_normal', seed: args.seed });
  }
}

export class LecunUniform extends VarianceScalingPreset {
  override readonly className = 'LecunUniform';
  constructor(args: { seed?: number | null } = {}) {
    super({ scale: 1, mode: 'fan_in', distribution: 'uniform', seed: args.seed });
  }
}
