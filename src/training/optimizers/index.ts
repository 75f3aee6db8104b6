/** `capa.optimizers`: the optimizer classes, schedules, and Keras-style lookup by name or config. */
import { Adadelta } from './adadelta.js';
import { Adagrad } from './adagrad.js';
import { Adam, AdamW } from './adam.js';
import { Adamax } from './adamax.js';
import { Nadam } from './nadam.js';
import { Optimizer, type OptimizerConfig } from './optimizer.js';
import { RMSprop } from './rmsprop.js';
import { deserializeSchedule, type LearningRateSchedule, type ScheduleConfig } from './schedules.js';
import { SGD } from './sgd.js';

export { Adadelta, type AdadeltaOptions } from './adadelta.js';
export { Adagrad, type AdagradOptions } from './adagrad.js';
export { Adam, type AdamOptions, AdamW, type AdamWOptions } from './adam.js';
export { Adamax, type AdamaxOptions } from './adamax.js';
export { Nadam, type NadamOptions } from './nadam.js';
export { type GradAndVariable, Optimizer, type OptimizerConfig, type OptimizerOptions } from './optimizer.js';
export { RMSprop, type RMSpropOptions } from './rmsprop.js';
export * as schedules from './schedules.js';
export { SGD, type SGDOptions } from './sgd.js';

// biome-ignore lint/suspicious/noExplicitAny: each class takes its own options type; configs are checked by the constructors
type OptimizerClass = new (options?: any) => Optimizer;

/** Keras's identifiers (lowercased class names) for each optimizer class. */
const BY_NAME: Record<string, OptimizerClass> = {
  sgd: SGD,
  adam: Adam,
  adamw: AdamW,
  rmsprop: RMSprop,
  adagrad: Adagrad,
  adadelta: Adadelta,
  adamax: Adamax,
  nadam: Nadam,
};

/**
 * Whether this optimizer's update reads the gradients and keeps nothing of them, so the
 * training step may recycle their storage afterwards: the built-in classes exactly (a subclass
 * may override updateStep and keep one).
 */
export function keepsNoGradients(optimizer: Optimizer): boolean {
  return Object.values(BY_NAME).includes(optimizer.constructor as OptimizerClass);
}

/** Keras snake_case config keys and the camelCase option each one sets. */
const OPTION_KEYS: Record<string, string> = {
  learning_rate: 'learningRate',
  weight_decay: 'weightDecay',
  clipnorm: 'clipnorm',
  clipvalue: 'clipvalue',
  global_clipnorm: 'globalClipnorm',
  name: 'name',
  momentum: 'momentum',
  nesterov: 'nesterov',
  beta_1: 'beta1',
  beta_2: 'beta2',
  epsilon: 'epsilon',
  amsgrad: 'amsgrad',
  rho: 'rho',
  centered: 'centered',
  initial_accumulator_value: 'initialAccumulatorValue',
};

export type OptimizerIdentifier = string | Optimizer | { class_name: string; config?: OptimizerConfig };

/**
 * Resolves an optimizer from a Keras identifier ('adam', 'SGD', 'rmsprop', ...), a serialized
 * `{ class_name, config }`, or an instance (returned as is). Strings give a fresh optimizer
 * with Keras's defaults.
 */
export function get(identifier: OptimizerIdentifier): Optimizer {
  if (identifier instanceof Optimizer) return identifier;
  if (typeof identifier === 'string') {
    const cls = BY_NAME[identifier.toLowerCase()];
    if (!cls) {
      throw new Error(
        `Could not interpret optimizer identifier: '${identifier}'. Known optimizers: ${Object.keys(BY_NAME).join(', ')}.`,
      );
    }
    return new cls();
  }
  if (identifier !== null && typeof identifier === 'object' && typeof identifier.class_name === 'string') {
    return deserialize(identifier);
  }
  throw new Error(`Could not interpret optimizer identifier: ${JSON.stringify(identifier)}.`);
}

/** `{ class_name, config }` as Keras writes it in compile configs. */
export function serialize(optimizer: Optimizer): { class_name: string; config: OptimizerConfig } {
  return { class_name: optimizer.className, config: optimizer.getConfig() };
}

/** Rebuilds an optimizer from `{ class_name, config }` (Keras's snake_case keys; unknown Keras-only keys are ignored). */
export function deserialize(serialized: { class_name: string; config?: OptimizerConfig }): Optimizer {
  const cls = BY_NAME[serialized.class_name.toLowerCase()];
  if (!cls) throw new Error(`Unknown optimizer class '${serialized.class_name}'. Known: ${Object.keys(BY_NAME).join(', ')}.`);
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(serialized.config ?? {})) {
    const option = OPTION_KEYS[key];
    if (option === undefined || value === null) continue;
    if (key === 'learning_rate' && typeof value === 'object') {
      const schedule = value as { class_name: string; config: ScheduleConfig };
      options[option] = deserializeSchedule(schedule.class_name, schedule.config) satisfies LearningRateSchedule;
    } else {
      options[option] = value;
    }
  }
  return new cls(options);
}
