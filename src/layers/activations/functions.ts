/**
 * Activation functions by Keras string name (`'relu'`, `'softmax'`, ...), each with the op
 * that computes it and, where a matmul/conv can apply it in its store, the fused form.
 * `hard_sigmoid` is Keras 3's relu6(x + 3) / 6 (Keras 2 and tfjs use 0.2x + 0.5).
 */
import type { FusedActivation } from '../../backend/backend.js';
import * as ops from '../../ops/index.js';
import type { Tensor } from '../../tensor/tensor.js';

export type ActivationFn = (x: Tensor) => Tensor;

export interface ActivationFunction {
  /** The Keras name written to configs. */
  readonly name: string;
  readonly apply: ActivationFn;
  /** Set when a fused matmul/conv kernel can apply it in its store. */
  readonly fused?: FusedActivation;
}

export type ActivationIdentifier =
  | 'linear'
  | 'relu'
  | 'relu6'
  | 'sigmoid'
  | 'softmax'
  | 'log_softmax'
  | 'tanh'
  | 'elu'
  | 'selu'
  | 'gelu'
  | 'swish'
  | 'silu'
  | 'softplus'
  | 'softsign'
  | 'hard_sigmoid'
  | 'hard_silu'
  | 'hard_swish'
  | 'leaky_relu'
  | 'exponential'
  | 'mish';

const table: Record<ActivationIdentifier, Omit<ActivationFunction, 'name'>> = {
  linear: { apply: (x) => x, fused: 'linear' },
  relu: { apply: (x) => ops.relu(x), fused: 'relu' },
  relu6: { apply: (x) => ops.relu6(x), fused: 'relu6' },
  sigmoid: { apply: (x) => ops.sigmoid(x), fused: 'sigmoid' },
  tanh: { apply: (x) => ops.tanh(x), fused: 'tanh' },
  softmax: { apply: (x) => ops.softmax(x, -1) },
  log_softmax: { apply: (x) => ops.logSoftmax(x, -1) },
  elu: { apply: (x) => ops.elu(x, 1) },
  selu: { apply: (x) => ops.selu(x) },
  gelu: { apply: (x) => ops.gelu(x, false) },
  silu: { apply: (x) => ops.silu(x) },
  swish: { apply: (x) => ops.silu(x) },
  softplus: { apply: (x) => ops.softplus(x) },
  softsign: { apply: (x) => ops.softsign(x) },
  hard_sigmoid: { apply: (x) => ops.hardSigmoid(x) },
  hard_silu: { apply: (x) => ops.mul(x, ops.hardSigmoid(x)) },
  hard_swish: { apply: (x) => ops.mul(x, ops.hardSigmoid(x)) },
  leaky_relu: { apply: (x) => ops.leakyRelu(x, 0.2) },
  exponential: { apply: (x) => ops.exp(x) },
  mish: { apply: (x) => ops.mul(x, ops.tanh(ops.softplus(x))) },
};

export const activationNames: readonly string[] = Object.keys(table);

/** Whether `fn` computes one of the built-in activations (not a user function). */
export function isBuiltinActivation(fn: ActivationFunction): boolean {
  return Object.hasOwn(table, fn.name) && table[fn.name as ActivationIdentifier].apply === fn.apply;
}

/** A user function used as an activation; its config name is the function's name. */
export function customActivation(name: string, apply: ActivationFn): ActivationFunction {
  return { name, apply };
}

/** Resolves an activation: a Keras name, null/undefined (linear), or an ActivationFunction. */
export function getActivation(
  identifier: ActivationIdentifier | ActivationFunction | string | null | undefined,
): ActivationFunction {
  if (identifier === null || identifier === undefined) return { name: 'linear', ...table.linear };
  if (typeof identifier === 'object') return identifier;
  const entry = table[identifier as ActivationIdentifier];
  if (!entry) {
    throw new Error(`Unknown activation function: '${identifier}'. Known: ${activationNames.join(', ')}.`);
  }
  return { name: identifier, ...entry };
}

/** An activation as written in a config: a Keras name, or null for linear. */
export function activationFromConfig(value: unknown, owner: string): ActivationFunction {
  if (value === undefined || value === null) return getActivation(null);
  if (typeof value === 'string') return getActivation(value);
  throw new Error(
    `${owner}: cannot revive activation ${JSON.stringify(value)}; only Keras's named activations (${activationNames.join(', ')}) can be loaded.`,
  );
}
