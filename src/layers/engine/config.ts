/**
 * Config values: what `getConfig()` returns and `fromConfig()` reads, JSON-compatible and in
 * Keras's snake_case layout so saved files interoperate with Keras.
 */
export type ConfigValue = null | boolean | number | string | ConfigValue[] | ConfigDict;
export interface ConfigDict {
  [key: string]: ConfigValue;
}

/** A serialized object: Keras 3's `{module, class_name, config, registered_name}` (module optional). */
export interface SerializedObject extends ConfigDict {
  class_name: string;
  config: ConfigDict;
}

export function isConfigDict(v: ConfigValue | undefined): v is ConfigDict {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads a field, with an error naming the owner and field when its type is wrong. */
export function configNumber(config: ConfigDict, key: string, owner: string, fallback?: number): number {
  const v = config[key];
  if (v === undefined || v === null) {
    if (fallback !== undefined) return fallback;
    throw new Error(`${owner}: config field '${key}' is required (a number).`);
  }
  if (typeof v !== 'number') throw new Error(`${owner}: config field '${key}' must be a number, received ${JSON.stringify(v)}.`);
  return v;
}

export function configString(config: ConfigDict, key: string, owner: string, fallback?: string): string {
  const v = config[key];
  if (v === undefined || v === null) {
    if (fallback !== undefined) return fallback;
    throw new Error(`${owner}: config field '${key}' is required (a string).`);
  }
  if (typeof v !== 'string') throw new Error(`${owner}: config field '${key}' must be a string, received ${JSON.stringify(v)}.`);
  return v;
}

export function configBoolean(config: ConfigDict, key: string, owner: string, fallback: boolean): boolean {
  const v = config[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'boolean')
    throw new Error(`${owner}: config field '${key}' must be a boolean, received ${JSON.stringify(v)}.`);
  return v;
}

/** A list of numbers (or a single number, which Keras accepts for tuples like strides). */
export function configNumbers(config: ConfigDict, key: string, owner: string): number[] | undefined {
  const v = config[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'number')) return v as number[];
  throw new Error(`${owner}: config field '${key}' must be a list of numbers, received ${JSON.stringify(v)}.`);
}

/** A shape list where entries may be null. */
export function configShape(config: ConfigDict, key: string, owner: string): (number | null)[] | undefined {
  const v = config[key];
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v) && v.every((x) => typeof x === 'number' || x === null)) return v as (number | null)[];
  throw new Error(`${owner}: config field '${key}' must be a shape (numbers or null), received ${JSON.stringify(v)}.`);
}

/**
 * The deepest nesting of arrays and objects a config may have. Python's `json` cannot read deeper
 * text (its recursion limit is 1000), so no Keras file needs more; reviving or printing a deeper
 * config recursively would overflow the stack.
 */
export const MAX_CONFIG_DEPTH = 1000;

/**
 * Refuses a config nested deeper than MAX_CONFIG_DEPTH with an error naming the limit; `what`
 * names the config (e.g. "the model config"). Walks without recursion.
 */
export function assertConfigDepth(value: unknown, what: string): void {
  const stack: { value: object; depth: number }[] = [];
  if (typeof value === 'object' && value !== null) stack.push({ value, depth: 1 });
  for (let top = stack.pop(); top; top = stack.pop()) {
    if (top.depth > MAX_CONFIG_DEPTH) {
      throw new Error(
        `${what} nests arrays and objects more than ${MAX_CONFIG_DEPTH} levels deep; capa reads at most ${MAX_CONFIG_DEPTH} (Python's JSON reader, which Keras uses, stops near there too).`,
      );
    }
    for (const child of Array.isArray(top.value) ? top.value : Object.values(top.value)) {
      if (typeof child === 'object' && child !== null) stack.push({ value: child, depth: top.depth + 1 });
    }
  }
}
