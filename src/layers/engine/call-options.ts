/**
 * The options of a call on symbolic inputs that a functional graph records (Keras's node
 * `call_kwargs`): `Dropout()(x, training=True)` keeps dropout on at inference (Monte Carlo
 * dropout), `MultiHeadAttention()(x, x, use_causal_mask=True)` masks the future. Plain values
 * (booleans, numbers, strings) are recorded on the node, replayed on every run of the graph and
 * written to the config as `kwargs`; a tensor-valued option (an attention mask, an explicit
 * mask) is refused by name, since the graph has no input for it, rather than silently dropped.
 */
import { Tensor } from '../../tensor/tensor.js';
import type { ConfigDict, ConfigValue } from './config.js';
import { toSnakeCase } from './naming.js';
import { SymbolicTensor } from './symbolic.js';

export type CallOptionValue = boolean | number | string;
export type CallOptions = Readonly<Record<string, CallOptionValue>>;

/** Options with their own meaning on symbolic calls: masks follow the inputs, initial states become inputs. */
const NOT_OPTIONS = new Set(['mask', 'masks', 'initialState']);

const isTensorLike = (v: unknown): boolean =>
  v instanceof Tensor || v instanceof SymbolicTensor || (Array.isArray(v) && v.some(isTensorLike));

/** The plain options of a call on symbolic inputs; a tensor-valued one is refused, naming the layer. */
export function recordableCallOptions(layerName: string, args: object): CallOptions {
  const options: Record<string, CallOptionValue> = {};
  for (const [key, value] of Object.entries(args)) {
    if (value === undefined || value === null) continue;
    if (NOT_OPTIONS.has(key) || isTensorLike(value)) {
      if (key === 'masks' && Array.isArray(value) && value.every((m) => m === null || m === undefined)) continue;
      throw new Error(
        `Layer "${layerName}": the call option \`${key}\` holds a tensor, which a functional graph cannot record ` +
          '(it has no input for it). Masks follow the inputs (an Embedding with maskZero, a Masking layer); ' +
          'call the layer on Tensors (eagerly or inside a subclassed model) to pass one explicitly.',
      );
    }
    if (typeof value !== 'boolean' && typeof value !== 'number' && typeof value !== 'string') {
      throw new Error(
        `Layer "${layerName}": the call option \`${key}\` must be a boolean, number or string to be recorded in a functional graph; received ${JSON.stringify(value)}.`,
      );
    }
    options[key] = value;
  }
  return options;
}

const toCamel = (key: string): string => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** Keras's `kwargs` of a node: snake_case names. */
export function callOptionsToKwargs(options: CallOptions): ConfigDict {
  const kwargs: ConfigDict = {};
  for (const [key, value] of Object.entries(options)) kwargs[toSnakeCase(key)] = value;
  return kwargs;
}

/**
 * A node's `kwargs` from a config as call options. Keras writes `None` for options left at their
 * default (`mask: null`): skipped. A tensor-valued kwarg is refused like a tensor-valued option.
 */
export function callOptionsFromKwargs(owner: string, layerName: string, kwargs: ConfigValue | undefined): CallOptions {
  if (kwargs === undefined || kwargs === null) return {};
  if (typeof kwargs !== 'object' || Array.isArray(kwargs)) {
    throw new Error(
      `${owner}: the kwargs of a call of layer '${layerName}' must be an object, received ${JSON.stringify(kwargs)}.`,
    );
  }
  const options: Record<string, CallOptionValue> = {};
  for (const [key, value] of Object.entries(kwargs)) {
    if (value === null) continue;
    if (typeof value !== 'boolean' && typeof value !== 'number' && typeof value !== 'string') {
      throw new Error(
        `${owner}: layer '${layerName}' is called with the keyword argument '${key}' = ${JSON.stringify(value).slice(0, 120)}; ` +
          'capa records only boolean, number and string call arguments in a functional graph.',
      );
    }
    options[toCamel(key)] = value;
  }
  return options;
}
