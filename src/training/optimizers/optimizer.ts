/**
 * The optimizer base, following Keras 3's BaseOptimizer: gradients are clipped (clipnorm,
 * globalClipnorm or clipvalue), decoupled weight decay is applied (var -= var * wd * lr), then
 * each subclass's update step runs, then `iterations` increases. Updates work in place on the
 * variables' own storage and on per-variable slot Variables through the backend's update kernels
 * (none of the math loops here), allocating nothing per step except when clipping (a gradient
 * tensor's storage may be shared, so it is never written).
 */
import { variableGrads } from '../../autograd/grad.js';
import { noGrad } from '../../autograd/record.js';
import { backend } from '../../backend/registry.js';
import type { Storage } from '../../tensor/storage.js';
import { Tensor, Variable } from '../../tensor/tensor.js';
import type { LearningRateSchedule, ScheduleConfig } from './schedules.js';

export interface OptimizerOptions {
  /** A float, or a schedule evaluated at the optimizer's step count. */
  learningRate?: number | LearningRateSchedule;
  /** Decoupled weight decay: var -= var * weightDecay * learningRate before each update. */
  weightDecay?: number | null;
  /** Each gradient is rescaled so its L2 norm is at most clipnorm. */
  clipnorm?: number | null;
  /** Each gradient value is clipped to [-clipvalue, clipvalue]. */
  clipvalue?: number | null;
  /** All gradients are rescaled together so their joint L2 norm is at most globalClipnorm. */
  globalClipnorm?: number | null;
  name?: string;
}

export type OptimizerConfigValue = number | boolean | string | null | { class_name: string; config: ScheduleConfig };
export type OptimizerConfig = Record<string, OptimizerConfigValue>;

/** A gradient and the variable it belongs to; null gradients are skipped with a warning. */
export type GradAndVariable = readonly [Tensor | null, Variable];

interface VariableState {
  /** The slots' storage, owned by the variable's backend. */
  slots: Storage[];
}

/** A per-variable slot: its Keras name and starting value, and its creation group (see `variables`). */
export interface SlotSpec {
  name: string;
  initialValue: number;
  /**
   * Keras creates some slots in one loop over the variables (interleaved: m0, v0, m1, v1) and
   * others in a later loop (all velocity_hats after); slots of a higher group come after.
   */
  group?: number;
}

interface SlotRecord {
  variable: Variable;
  group: number;
  owner: number;
  index: number;
}

export abstract class Optimizer {
  /** Keras class name (e.g. 'Adam'), used in configs. */
  abstract readonly className: string;
  readonly name: string;
  weightDecay: number | null;
  readonly clipnorm: number | null;
  readonly clipvalue: number | null;
  readonly globalClipnorm: number | null;

  private readonly iterationsVar: Variable;
  private readonly learningRateVar: Variable | null;
  private schedule: LearningRateSchedule | null;
  private readonly states = new Map<Variable, VariableState>();
  private readonly slotRecords: SlotRecord[] = [];
  private excludedVariables = new Set<Variable>();
  /** Sets of variables already reported as having no gradient (the warning is printed once each). */
  private readonly warnedMissing = new Set<string>();
  private excludedNamePattern: RegExp | null = null;

  protected constructor(options: OptimizerOptions, defaults: { learningRate: number; name: string }) {
    const { clipnorm = null, clipvalue = null, globalClipnorm = null } = options;
    const setCount = [clipnorm, clipvalue, globalClipnorm].filter((v) => v !== null && v !== undefined).length;
    if (setCount > 1) {
      throw new Error(
        `Only one of clipnorm, clipvalue and globalClipnorm can be set. Received: clipnorm=${clipnorm}, clipvalue=${clipvalue}, globalClipnorm=${globalClipnorm}`,
      );
    }
    this.name = options.name ?? defaults.name;
    this.weightDecay = options.weightDecay ?? null;
    this.clipnorm = clipnorm;
    this.clipvalue = clipvalue;
    this.globalClipnorm = globalClipnorm;
    this.iterationsVar = new Variable(new Tensor(new Int32Array(1), []), { name: `${this.name}/iteration`, trainable: false });
    const lr = options.learningRate ?? defaults.learningRate;
    if (typeof lr === 'number') {
      checkLearningRate(lr, this.name);
      this.schedule = null;
      this.learningRateVar = new Variable(new Tensor(Float32Array.of(lr), []), {
        name: `${this.name}/learning_rate`,
        trainable: false,
      });
    } else if (lr !== null && typeof lr === 'object' && typeof lr.call === 'function') {
      this.schedule = lr;
      this.learningRateVar = null;
    } else {
      throw new Error(
        `${this.name}: learningRate should be a number or a LearningRateSchedule. Received instead: learningRate=${String(lr)}`,
      );
    }
  }

  /** Number of updates applied so far. */
  get iterations(): number {
    return this.iterationsVar.dataSync()[0] as number;
  }

  set iterations(value: number) {
    this.iterationsVar.assignValues([value]);
  }

  /** The learning rate the next update uses (a schedule is evaluated at `iterations`). */
  get learningRate(): number {
    if (this.schedule !== null) return this.schedule.call(this.iterations);
    return (this.learningRateVar as Variable).dataSync()[0] as number;
  }

  /** Sets a new constant rate (ReduceLROnPlateau, LearningRateScheduler) or a new schedule. */
  set learningRate(value: number | LearningRateSchedule) {
    if (typeof value !== 'number') {
      this.schedule = value;
      return;
    }
    if (this.schedule !== null || this.learningRateVar === null) {
      throw new Error(
        `${this.name}: this optimizer was created with a LearningRateSchedule as its learningRate, hence its learning rate is not settable. If you need the learning rate to be settable, create the optimizer with a number learningRate.`,
      );
    }
    checkLearningRate(value, this.name);
    this.learningRateVar.assignValues([value]);
  }

  /** The schedule driving the learning rate, when there is one. */
  get learningRateSchedule(): LearningRateSchedule | null {
    return this.schedule;
  }

  /**
   * The optimizer's state in Keras's order: iteration, learning_rate (when not a schedule),
   * then the slots in the order they were created.
   */
  get variables(): Variable[] {
    const head = this.learningRateVar ? [this.iterationsVar, this.learningRateVar] : [this.iterationsVar];
    const slots = this.slotRecords
      .slice()
      .sort((a, b) => a.group - b.group || a.owner - b.owner || a.index - b.index)
      .map((r) => r.variable);
    return [...head, ...slots, ...this.extraVariables()];
  }

  /** Copies of the state values, in `variables` order. */
  getWeights(): Tensor[] {
    return this.variables.map((v) => v.clone());
  }

  /** Restores state saved by getWeights (the optimizer must already hold slots for the same variables). */
  setWeights(weights: readonly Tensor[]): void {
    const vars = this.variables;
    if (weights.length !== vars.length) {
      throw new Error(
        `${this.name}.setWeights: expected ${vars.length} weights (iteration, learning rate and slots), received ${weights.length}. Build the optimizer (one training step, or optimizer.build(variables)) before restoring its state.`,
      );
    }
    for (const [i, v] of vars.entries()) v.assign(weights[i] as Tensor);
  }

  /** Variables excluded from weight decay, by identity or by a name fragment (Keras's exclude_from_weight_decay). */
  excludeFromWeightDecay(options: { variables?: readonly Variable[]; varNames?: readonly string[] }): void {
    this.excludedVariables = new Set(options.variables ?? []);
    const names = options.varNames ?? [];
    this.excludedNamePattern = names.length > 0 ? new RegExp(names.map(escapeRegExp).join('|')) : null;
  }

  /** Creates the slots for these variables now (Keras's optimizer.build). */
  build(variables: readonly Variable[]): void {
    for (const v of variables) this.stateOf(v);
  }

  /** Applies one update from (gradient, variable) pairs; returns the new iteration count. */
  applyGradients(gradsAndVars: readonly GradAndVariable[]): number {
    const grads: Tensor[] = [];
    const vars: Variable[] = [];
    const missing: string[] = [];
    for (const [g, v] of gradsAndVars) {
      if (!(v instanceof Variable)) throw new Error(`${this.name}.applyGradients: expected [gradient, Variable] pairs.`);
      if (g === null || g === undefined) {
        missing.push(v.name);
        continue;
      }
      if (g.size !== v.size) {
        throw new Error(
          `${this.name}.applyGradients: gradient of shape [${g.shape}] does not match variable ${v.name} of shape [${v.shape}].`,
        );
      }
      grads.push(g);
      vars.push(v);
    }
    if (grads.length === 0) throw new Error(`${this.name}: no gradients provided for any variable.`);
    // Keras logs this once per set of variables, not on every step.
    const missingKey = missing.join('\u0000');
    if (missing.length > 0 && !this.warnedMissing.has(missingKey)) {
      this.warnedMissing.add(missingKey);
      console.warn(
        `Gradients do not exist for variables [${missing.join(', ')}] when minimizing the loss. If using model.compile(), did you forget to provide a loss argument?`,
      );
    }
    noGrad(() => this.applyUpdate(grads, vars));
    return this.iterations;
  }

  /** Keras 3's `apply(grads, variables)`: the same as applyGradients with parallel lists. */
  apply(grads: readonly (Tensor | null)[], variables: readonly Variable[]): number {
    if (grads.length !== variables.length) {
      throw new Error(`${this.name}.apply: received ${grads.length} gradients for ${variables.length} variables.`);
    }
    return this.applyGradients(variables.map((v, i) => [grads[i] ?? null, v] as const));
  }

  /** Computes the gradients of loss() with respect to variables and applies them; returns the loss value. */
  minimize(loss: () => Tensor, variables: readonly Variable[]): number {
    const { value, grads } = variableGrads(loss, variables);
    this.applyGradients(variables.map((v, i) => [grads[i] ?? null, v] as const));
    return value.item();
  }

  private applyUpdate(grads: Tensor[], vars: Variable[]): void {
    const values = this.clipGradients(grads);
    const lr = this.learningRate;
    if (this.weightDecay !== null && this.weightDecay !== 0) {
      const factor = 1 - this.weightDecay * Math.fround(lr);
      for (const v of vars) {
        if (this.usesWeightDecay(v)) backend().weightDecayUpdate(v.storage, factor);
      }
    }
    // Keras computes in float32: the rate a step sees is the float32 value.
    const lr32 = Math.fround(lr);
    const step = this.iterations + 1;
    this.beforeUpdates(step);
    for (let i = 0; i < vars.length; i++) {
      const v = vars[i] as Variable;
      this.updateStep(values[i] as Storage, v.storage, this.stateOf(v).slots, lr32, step);
    }
    this.iterations = step;
  }

  private usesWeightDecay(v: Variable): boolean {
    if (this.excludedVariables.has(v)) return false;
    return this.excludedNamePattern === null || !this.excludedNamePattern.test(v.name);
  }

  private stateOf(v: Variable): VariableState {
    let state = this.states.get(v);
    if (state === undefined) {
      if (v.dtype !== 'float32') throw new Error(`${this.name}: cannot train variable ${v.name} of dtype ${v.dtype}.`);
      const slots: Storage[] = [];
      const owner = this.states.size;
      for (const [index, { name, initialValue, group }] of this.slotSpecs().entries()) {
        // on the variable's own backend, so the update kernels find its storage there
        const start = v.owner.upload(new Float32Array(v.size).fill(initialValue));
        const slot = new Variable(new Tensor(start, v.shape, v.owner, 'float32'), {
          name: `${v.name.replace(/[/:]/g, '_')}_${name}`,
          trainable: false,
        });
        this.slotRecords.push({ variable: slot, group: group ?? 0, owner, index });
        slots.push(slot.storage);
      }
      state = { slots };
      this.states.set(v, state);
    }
    return state;
  }

  /** The gradients to apply: clipped into fresh storage (a gradient's own storage may be shared). */
  private clipGradients(grads: Tensor[]): Storage[] {
    const raw = grads.map((g) => g.storage);
    const b = backend();
    const fresh = () => grads.map((g) => b.allocate('float32', g.size));
    if (this.clipnorm !== null && this.clipnorm > 0) {
      const outs = fresh();
      for (const [i, g] of raw.entries()) b.clipByNorm(g, this.clipnorm, outs[i] as Storage);
      return outs;
    }
    if (this.globalClipnorm !== null && this.globalClipnorm > 0) {
      const outs = fresh();
      b.clipByGlobalNorm(raw, this.globalClipnorm, outs);
      return outs;
    }
    if (this.clipvalue !== null && this.clipvalue > 0) {
      const outs = fresh();
      for (const [i, g] of raw.entries()) b.clipByValue(g, this.clipvalue, outs[i] as Storage);
      return outs;
    }
    return raw;
  }

  /** Keras 3's base config (snake_case), extended by subclasses. */
  getConfig(): OptimizerConfig {
    const lr: OptimizerConfigValue = this.schedule
      ? { class_name: this.schedule.className, config: this.schedule.getConfig() }
      : this.learningRate;
    return {
      name: this.name,
      learning_rate: lr,
      weight_decay: this.weightDecay,
      clipnorm: this.clipnorm,
      global_clipnorm: this.globalClipnorm,
      clipvalue: this.clipvalue,
      use_ema: false,
      ema_momentum: 0.99,
      ema_overwrite_frequency: null,
      loss_scale_factor: null,
      gradient_accumulation_steps: null,
    };
  }

  /** The per-variable slots this optimizer keeps, in creation order. */
  protected abstract slotSpecs(): readonly SlotSpec[];

  /** State that is not per variable (Nadam's momentum product), listed after the slots. */
  protected extraVariables(): Variable[] {
    return [];
  }

  /** Hook run once per update before the per-variable steps (Nadam's running momentum product). */
  protected beforeUpdates(_step: number): void {}

  /**
   * Updates one variable in place. `step` is the 1-based number of this update (Keras's
   * local_step = iterations + 1); `slots` are the arrays named by slotSpecs, in order.
   */
  protected abstract updateStep(grad: Storage, param: Storage, slots: Storage[], lr: number, step: number): void;
}

function checkLearningRate(lr: number, name: string): void {
  if (!Number.isFinite(lr) || lr < 0) throw new Error(`${name}: learningRate must be a finite number >= 0, received ${lr}.`);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
