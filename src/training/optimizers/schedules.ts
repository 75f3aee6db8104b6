/**
 * Learning-rate schedules with Keras 3's formulas (keras/src/optimizers/schedules). A schedule
 * maps the optimizer's step count (updates applied so far, starting at 0) to a learning rate.
 */

export type ScheduleConfig = Record<string, number | boolean | string | number[] | null>;

export abstract class LearningRateSchedule {
  /** Keras class name, used in saved configs. */
  abstract readonly className: string;
  /** The learning rate at optimizer step `step` (0 before the first update). */
  abstract call(step: number): number;
  /** Keras's config for this schedule (snake_case keys). */
  abstract getConfig(): ScheduleConfig;
}

function checkDecaySteps(name: string, decaySteps: number): void {
  if (!(decaySteps > 0)) throw new Error(`${name}: argument decaySteps must be > 0. Received: decaySteps=${decaySteps}`);
}

export interface ExponentialDecayOptions {
  initialLearningRate: number;
  decaySteps: number;
  decayRate: number;
  staircase?: boolean;
  name?: string;
}

/** initialLearningRate * decayRate ^ (step / decaySteps), the exponent floored when staircase. */
export class ExponentialDecay extends LearningRateSchedule {
  readonly className = 'ExponentialDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;
  readonly name: string;

  constructor(options: ExponentialDecayOptions) {
    super();
    checkDecaySteps('ExponentialDecay', options.decaySteps);
    this.initialLearningRate = options.initialLearningRate;
    this.decaySteps = options.decaySteps;
    this.decayRate = options.decayRate;
    this.staircase = options.staircase ?? false;
    this.name = options.name ?? 'ExponentialDecay';
  }

  call(step: number): number {
    let p = step / this.decaySteps;
    if (this.staircase) p = Math.floor(p);
    return this.initialLearningRate * this.decayRate ** p;
  }

  getConfig(): ScheduleConfig {
    return {
      initial_learning_rate: this.initialLearningRate,
      decay_steps: this.decaySteps,
      decay_rate: this.decayRate,
      staircase: this.staircase,
      name: this.name,
    };
  }
}

export interface PiecewiseConstantDecayOptions {
  /** Increasing step boundaries. */
  boundaries: number[];
  /** One more value than boundaries: values[i] applies while step <= boundaries[i]. */
  values: number[];
  name?: string;
}

/** values[0] for step <= boundaries[0], values[i] for boundaries[i-1] < step <= boundaries[i], the last value after. */
export class PiecewiseConstantDecay extends LearningRateSchedule {
  readonly className = 'PiecewiseConstantDecay';
  readonly boundaries: number[];
  readonly values: number[];
  readonly name: string;

  constructor(options: PiecewiseConstantDecayOptions) {
    super();
    const { boundaries, values } = options;
    if (values.length !== boundaries.length + 1) {
      throw new Error(
        `PiecewiseConstantDecay: the length of boundaries should be 1 less than the length of values. Received: boundaries=[${boundaries}] of length ${boundaries.length}, values=[${values}] of length ${values.length}.`,
      );
    }
    for (let i = 1; i < boundaries.length; i++) {
      if (!((boundaries[i] as number) > (boundaries[i - 1] as number))) {
        throw new Error(`PiecewiseConstantDecay: boundaries must be increasing. Received: [${boundaries}].`);
      }
    }
    this.boundaries = boundaries.slice();
    this.values = values.slice();
    this.name = options.name ?? 'PiecewiseConstant';
  }

  call(step: number): number {
    for (let i = 0; i < this.boundaries.length; i++) {
      if (step <= (this.boundaries[i] as number)) return this.values[i] as number;
    }
    return this.values[this.values.length - 1] as number;
  }

  getConfig(): ScheduleConfig {
    return { boundaries: this.boundaries, values: this.values, name: this.name };
  }
}

export interface PolynomialDecayOptions {
  initialLearningRate: number;
  decaySteps: number;
  endLearningRate?: number;
  power?: number;
  cycle?: boolean;
  name?: string;
}

/** (initial - end) * (1 - step / decaySteps) ^ power + end, step capped at decaySteps (or cycled). */
export class PolynomialDecay extends LearningRateSchedule {
  readonly className = 'PolynomialDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly endLearningRate: number;
  readonly power: number;
  readonly cycle: boolean;
  readonly name: string;

  constructor(options: PolynomialDecayOptions) {
    super();
    checkDecaySteps('PolynomialDecay', options.decaySteps);
    this.initialLearningRate = options.initialLearningRate;
    this.decaySteps = options.decaySteps;
    this.endLearningRate = options.endLearningRate ?? 0.0001;
    this.power = options.power ?? 1.0;
    this.cycle = options.cycle ?? false;
    this.name = options.name ?? 'PolynomialDecay';
  }

  call(step: number): number {
    let decaySteps = this.decaySteps;
    if (this.cycle) {
      // the first multiple of decaySteps above step (1 at step 0)
      decaySteps *= step === 0 ? 1 : Math.ceil(step / this.decaySteps);
    } else {
      step = Math.min(step, decaySteps);
    }
    const p = step / decaySteps;
    return (this.initialLearningRate - this.endLearningRate) * (1 - p) ** this.power + this.endLearningRate;
  }

  getConfig(): ScheduleConfig {
    return {
      initial_learning_rate: this.initialLearningRate,
      decay_steps: this.decaySteps,
      end_learning_rate: this.endLearningRate,
      power: this.power,
      cycle: this.cycle,
      name: this.name,
    };
  }
}

export interface InverseTimeDecayOptions {
  initialLearningRate: number;
  decaySteps: number;
  decayRate: number;
  staircase?: boolean;
  name?: string;
}

/** initialLearningRate / (1 + decayRate * step / decaySteps), the ratio floored when staircase. */
export class InverseTimeDecay extends LearningRateSchedule {
  readonly className = 'InverseTimeDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;
  readonly name: string;

  constructor(options: InverseTimeDecayOptions) {
    super();
    checkDecaySteps('InverseTimeDecay', options.decaySteps);
    this.initialLearningRate = options.initialLearningRate;
    this.decaySteps = options.decaySteps;
    this.decayRate = options.decayRate;
    this.staircase = options.staircase ?? false;
    this.name = options.name ?? 'InverseTimeDecay';
  }

  call(step: number): number {
    let p = step / this.decaySteps;
    if (this.staircase) p = Math.floor(p);
    return this.initialLearningRate / (1 + this.decayRate * p);
  }

  getConfig(): ScheduleConfig {
    return {
      initial_learning_rate: this.initialLearningRate,
      decay_steps: this.decaySteps,
      decay_rate: this.decayRate,
      staircase: this.staircase,
      name: this.name,
    };
  }
}

export interface CosineDecayOptions {
  initialLearningRate: number;
  decaySteps: number;
  /** Floor of the decay as a fraction of the starting rate. */
  alpha?: number;
  /** When set, a linear warmup from initialLearningRate to warmupTarget over warmupSteps comes first. */
  warmupTarget?: number | null;
  warmupSteps?: number;
  name?: string;
}

/** Optional linear warmup, then from*((1-alpha)*0.5*(1+cos(pi*step/decaySteps))+alpha), step capped. */
export class CosineDecay extends LearningRateSchedule {
  readonly className = 'CosineDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly alpha: number;
  readonly warmupTarget: number | null;
  readonly warmupSteps: number;
  readonly name: string;

  constructor(options: CosineDecayOptions) {
    super();
    checkDecaySteps('CosineDecay', options.decaySteps);
    this.initialLearningRate = options.initialLearningRate;
    this.decaySteps = options.decaySteps;
    this.alpha = options.alpha ?? 0;
    this.warmupTarget = options.warmupTarget ?? null;
    this.warmupSteps = options.warmupSteps ?? 0;
    this.name = options.name ?? 'CosineDecay';
  }

  private decay(step: number, from: number): number {
    const cosine = 0.5 * (1 + Math.cos(Math.PI * (step / this.decaySteps)));
    return from * ((1 - this.alpha) * cosine + this.alpha);
  }

  call(step: number): number {
    if (this.warmupTarget === null) return this.decay(Math.min(step, this.decaySteps), this.initialLearningRate);
    step = Math.min(step, this.decaySteps + this.warmupSteps);
    if (step < this.warmupSteps) {
      return (this.warmupTarget - this.initialLearningRate) * (step / this.warmupSteps) + this.initialLearningRate;
    }
    return this.decay(step - this.warmupSteps, this.warmupTarget);
  }

  getConfig(): ScheduleConfig {
    return {
      initial_learning_rate: this.initialLearningRate,
      decay_steps: this.decaySteps,
      alpha: this.alpha,
      name: this.name,
      warmup_target: this.warmupTarget,
      warmup_steps: this.warmupSteps,
    };
  }
}

export interface CosineDecayRestartsOptions {
  initialLearningRate: number;
  firstDecaySteps: number;
  /** Each period is tMul times longer than the previous one. */
  tMul?: number;
  /** Each restart starts at mMul times the previous restart's rate. */
  mMul?: number;
  alpha?: number;
  name?: string;
}

/** SGDR: cosine decay that restarts, periods growing by tMul and peaks shrinking by mMul. */
export class CosineDecayRestarts extends LearningRateSchedule {
  readonly className = 'CosineDecayRestarts';
  readonly initialLearningRate: number;
  readonly firstDecaySteps: number;
  readonly tMul: number;
  readonly mMul: number;
  readonly alpha: number;
  readonly name: string;

  constructor(options: CosineDecayRestartsOptions) {
    super();
    if (!(options.firstDecaySteps > 0)) {
      throw new Error(
        `CosineDecayRestarts: argument firstDecaySteps must be > 0. Received: firstDecaySteps=${options.firstDecaySteps}`,
      );
    }
    this.initialLearningRate = options.initialLearningRate;
    this.firstDecaySteps = options.firstDecaySteps;
    this.tMul = options.tMul ?? 2.0;
    this.mMul = options.mMul ?? 1.0;
    this.alpha = options.alpha ?? 0;
    this.name = options.name ?? 'SGDRDecay';
  }

  call(step: number): number {
    let fraction = step / this.firstDecaySteps;
    let restart: number;
    if (this.tMul !== 1.0) {
      // periods grow geometrically: find which one `fraction` falls in
      restart = Math.floor(Math.log(1 - fraction * (1 - this.tMul)) / Math.log(this.tMul));
      const elapsed = (1 - this.tMul ** restart) / (1 - this.tMul);
      fraction = (fraction - elapsed) / this.tMul ** restart;
    } else {
      restart = Math.floor(fraction);
      fraction -= restart;
    }
    const cosine = 0.5 * this.mMul ** restart * (1 + Math.cos(Math.PI * fraction));
    return this.initialLearningRate * ((1 - this.alpha) * cosine + this.alpha);
  }

  getConfig(): ScheduleConfig {
    return {
      initial_learning_rate: this.initialLearningRate,
      first_decay_steps: this.firstDecaySteps,
      t_mul: this.tMul,
      m_mul: this.mMul,
      alpha: this.alpha,
      name: this.name,
    };
  }
}

/** Rebuilds a schedule from `{ class_name, config }` as Keras serializes it. */
export function deserializeSchedule(className: string, config: ScheduleConfig): LearningRateSchedule {
  const num = (key: string, fallback?: number): number => {
    const v = config[key];
    if (typeof v === 'number') return v;
    if (fallback !== undefined && (v === undefined || v === null)) return fallback;
    throw new Error(`${className}: config field '${key}' must be a number, received ${JSON.stringify(v)}.`);
  };
  const bool = (key: string): boolean => config[key] === true;
  const name = typeof config['name'] === 'string' ? config['name'] : undefined;
  switch (className) {
    case 'ExponentialDecay':
      return new ExponentialDecay({
        initialLearningRate: num('initial_learning_rate'),
        decaySteps: num('decay_steps'),
        decayRate: num('decay_rate'),
        staircase: bool('staircase'),
        ...(name ? { name } : {}),
      });
    case 'PiecewiseConstantDecay':
      return new PiecewiseConstantDecay({
        boundaries: config['boundaries'] as number[],
        values: config['values'] as number[],
        ...(name ? { name } : {}),
      });
    case 'PolynomialDecay':
      return new PolynomialDecay({
        initialLearningRate: num('initial_learning_rate'),
        decaySteps: num('decay_steps'),
        endLearningRate: num('end_learning_rate', 0.0001),
        power: num('power', 1),
        cycle: bool('cycle'),
        ...(name ? { name } : {}),
      });
    case 'InverseTimeDecay':
      return new InverseTimeDecay({
        initialLearningRate: num('initial_learning_rate'),
        decaySteps: num('decay_steps'),
        decayRate: num('decay_rate'),
        staircase: bool('staircase'),
        ...(name ? { name } : {}),
      });
    case 'CosineDecay': {
      const target = config['warmup_target'];
      return new CosineDecay({
        initialLearningRate: num('initial_learning_rate'),
        decaySteps: num('decay_steps'),
        alpha: num('alpha', 0),
        warmupTarget: typeof target === 'number' ? target : null,
        warmupSteps: num('warmup_steps', 0),
        ...(name ? { name } : {}),
      });
    }
    case 'CosineDecayRestarts':
      return new CosineDecayRestarts({
        initialLearningRate: num('initial_learning_rate'),
        firstDecaySteps: num('first_decay_steps'),
        tMul: num('t_mul', 2),
        mMul: num('m_mul', 1),
        alpha: num('alpha', 0),
        ...(name ? { name } : {}),
      });
    default:
      throw new Error(
        `Unknown learning rate schedule '${className}'. Known: ExponentialDecay, PiecewiseConstantDecay, PolynomialDecay, InverseTimeDecay, CosineDecay, CosineDecayRestarts.`,
      );
  }
}
