/**
 * Argument helpers shared by layers: weight options (initializer, regularizer, constraint)
 * resolved from Keras identifiers and serialized back, and Keras-style tuple arguments.
 */
import { type Constraint, type ConstraintIdentifier, getConstraint, serializeConstraint } from '../constraints.js';
import { getInitializer, type Initializer, type InitializerIdentifier, serializeInitializer } from '../initializers/index.js';
import { getRegularizer, type Regularizer, type RegularizerIdentifier, serializeRegularizer } from '../regularizers.js';
import type { ConfigDict, ConfigValue } from './config.js';

export type InitializerArg = InitializerIdentifier | Initializer | ConfigDict;
export type RegularizerArg = RegularizerIdentifier | null;
export type ConstraintArg = ConstraintIdentifier | null;

export function initializerArg(value: InitializerArg | undefined | null, fallback: InitializerIdentifier): Initializer {
  return getInitializer(value ?? fallback);
}

export function regularizerArg(value: RegularizerArg | ConfigValue | undefined): Regularizer | null {
  return getRegularizer(value);
}

export function constraintArg(value: ConstraintArg | ConfigValue | undefined): Constraint | null {
  return getConstraint(value);
}

export const serializeInit = serializeInitializer;
export const serializeReg = serializeRegularizer;
export const serializeConstr = serializeConstraint;

/** Keras's `standardize_tuple`: an int or an n-tuple of positive ints. */
export function normalizeTuple(
  value: number | readonly number[] | undefined,
  n: number,
  name: string,
  owner: string,
  fallback?: number,
): number[] {
  const v = value ?? fallback;
  const list = typeof v === 'number' ? new Array<number>(n).fill(v) : v ? [...v] : undefined;
  if (!list || list.length !== n || list.some((x) => !Number.isInteger(x) || x <= 0)) {
    throw new Error(
      `${owner}: the \`${name}\` argument must be a tuple of ${n} integers (or one integer). Received: ${name}=${JSON.stringify(value)}`,
    );
  }
  return list;
}

export type Padding = 'valid' | 'same';

export function paddingArg(value: string | undefined, owner: string, allowed: readonly string[] = ['valid', 'same']): string {
  const p = (value ?? 'valid').toLowerCase();
  if (!allowed.includes(p)) {
    throw new Error(
      `${owner}: the \`padding\` argument must be one of ${allowed.map((a) => `"${a}"`).join(', ')}. Received: ${value}`,
    );
  }
  return p;
}

/** Only channels_last is implemented (NHWC, the Keras default). */
export function dataFormatArg(value: string | undefined | null, owner: string): 'channels_last' {
  if (value === undefined || value === null || value === 'channels_last') return 'channels_last';
  throw new Error(`${owner}: data_format '${value}' is not supported; capa layers use 'channels_last' (NHWC).`);
}

/**
 * One output length of a convolution or pooling window, as Keras computes it; null stays null.
 * Throws when the window does not fit.
 */
export function convOutputLength(
  input: number | null,
  kernel: number,
  padding: string,
  stride: number,
  dilation: number,
): number | null {
  if (input === null) return null;
  const dilated = kernel + (kernel - 1) * (dilation - 1);
  let length: number;
  if (padding === 'same' || padding === 'causal') length = input;
  else length = input - dilated + 1;
  return Math.floor((length + stride - 1) / stride);
}

/**
 * Keras's keyword forms of a layer's positional arguments: `Conv2D(32, kernel_size=3)` is
 * `new Conv2D(32, { kernelSize: 3 })`, `MaxPooling2D(pool_size=2)` is
 * `new MaxPooling2D({ poolSize: 2 })`, `Dense(units=8)` is `new Dense({ units: 8 })`. The first
 * plain object among the arguments is the options; the positional values it stands in for are
 * taken from it by name (and removed, so they are not mistaken for options).
 */
export function keywordForm<A extends object>(
  owner: string,
  names: readonly string[],
  given: readonly unknown[],
): { values: unknown[]; args: A } {
  const at = given.findIndex((v) => v !== null && typeof v === 'object' && !Array.isArray(v));
  if (at < 0 || at > names.length) return { values: given.slice(0, names.length), args: (given[names.length] ?? {}) as A };
  const options = { ...(given[at] as Record<string, unknown>) };
  const extra = given.slice(at + 1).find((v) => v !== undefined);
  if (extra !== undefined) {
    throw new Error(
      `${owner}: positional arguments come before the options object; received ${JSON.stringify(extra)} after it. Call ${owner}(${names.join(', ')}, { ...options }).`,
    );
  }
  const values = names.map((name, i) => {
    if (i < at) {
      if (name in options) throw new Error(`${owner}: \`${name}\` was given both positionally and in the options.`);
      return given[i];
    }
    const v = options[name];
    delete options[name];
    return v;
  });
  return { values, args: options as A };
}
