/**
 * The class registry: Keras class name -> layer class with a static `fromConfig`. Only
 * registered classes can be revived from a config, so loading a file never runs code it
 * names (safe load). Built-in layers and models are registered by `layers/builtins.ts`;
 * users add their own with `registerKerasSerializable(cls, { package })` (Keras's
 * `register_keras_serializable`, saved as `registered_name: 'package>Name'`) or
 * `registerLayerClass`. Functions (a Lambda layer's) are registered the same way and looked up
 * by name: a file names a function, it never carries code capa would run.
 */
import { assertConfigDepth, type ConfigDict, type ConfigValue, isConfigDict } from './engine/config.js';
import { classNameOf, type Layer, type LayerClass } from './engine/layer.js';

const classes = new Map<string, LayerClass>();
/** `package>name` of each class registered with registerKerasSerializable (written to configs). */
const registeredNames = new Map<unknown, string>();
const functions = new Map<string, (...args: never[]) => unknown>();

/** How many `deserializeLayer` calls are in progress: nested models revive their layers through it. */
let reviving = 0;

/** Registers a class under its `className` and any aliases (e.g. Keras 2's `Model`). */
export function registerLayerClass(cls: LayerClass, ...aliases: string[]): void {
  if (typeof cls.fromConfig !== 'function') {
    throw new Error('registerLayerClass: the class needs a static `fromConfig(config)` (every Layer subclass has one).');
  }
  for (const name of [classNameOf(cls), ...aliases]) classes.set(name, cls);
}

export interface SerializableOptions {
  /** Keras's `package` (default 'Custom'). */
  package?: string;
  /** The name to register under (default: the class's className, or the function's name). */
  name?: string;
}

/**
 * Keras's `register_keras_serializable(package, name)`: a custom Layer or Model class (revived
 * with its static `fromConfig`, by default `new cls(config)`), or a function a Lambda layer
 * calls. Returns what it registered, so it can wrap a class or function definition.
 */
export function registerKerasSerializable<T extends LayerClass | ((...args: never[]) => unknown)>(
  target: T,
  options: SerializableOptions = {},
): T {
  const pkg = options.package ?? 'Custom';
  if (typeof pkg !== 'string' || pkg === '' || pkg.includes('>')) {
    throw new Error(
      `registerKerasSerializable: package must be a non-empty string without '>', received ${JSON.stringify(pkg)}.`,
    );
  }
  if (typeof target !== 'function') throw new Error('registerKerasSerializable: pass a Layer class or a function.');
  const isClass = typeof (target as Partial<LayerClass>).fromConfig === 'function';
  const name = options.name ?? (isClass ? classNameOf(target) : target.name);
  if (!name)
    throw new Error('registerKerasSerializable: an anonymous function needs a name: registerKerasSerializable(fn, { name }).');
  const key = `${pkg}>${name}`;
  registeredNames.set(target, key);
  if (isClass) {
    registerLayerClass(target as unknown as LayerClass);
    classes.set(key, target as unknown as LayerClass);
  } else functions.set(key, target as (...args: never[]) => unknown);
  return target;
}

/** The `package>name` a class or function was registered under, or null. */
export function registeredNameOf(target: unknown): string | null {
  return registeredNames.get(target) ?? null;
}

/** A function registered with registerKerasSerializable, by its `package>name`; null when none is. */
export function registeredFunction(key: string): ((...args: never[]) => unknown) | null {
  return functions.get(key) ?? null;
}

export function getLayerClass(className: string, customObjects?: Readonly<Record<string, LayerClass>>): LayerClass {
  const cls = customObjects?.[className] ?? classes.get(className);
  if (!cls) {
    throw new Error(
      `Unknown layer: '${className}'. Please ensure you are using a capa layer or a class registered with ` +
        `registerKerasSerializable(${className}, { package: 'Custom' }) (custom layers must be registered before loading).`,
    );
  }
  return cls;
}

export function registeredLayerClassNames(): string[] {
  return [...classes.keys()].sort();
}

/**
 * Revives a layer from `{class_name, config}` (Keras 3 or Keras 2 layout) and builds it from
 * `build_config` when present, so its weights exist before weights are loaded.
 */
export function deserializeLayer(serialized: ConfigValue, customObjects?: Readonly<Record<string, LayerClass>>): Layer {
  // Checked once, on the whole config, before the recursive revival of nested models starts.
  if (reviving === 0) assertConfigDepth(serialized, 'deserializeLayer: the config');
  reviving++;
  try {
    return revive(serialized, customObjects);
  } finally {
    reviving--;
  }
}

function revive(serialized: ConfigValue, customObjects?: Readonly<Record<string, LayerClass>>): Layer {
  if (!isConfigDict(serialized) || typeof serialized.class_name !== 'string') {
    throw new Error(`deserializeLayer: expected {class_name, config}, received ${JSON.stringify(serialized)?.slice(0, 200)}.`);
  }
  const registered = serialized.registered_name;
  const cls =
    typeof registered === 'string' && classes.has(registered) && !customObjects?.[serialized.class_name]
      ? (classes.get(registered) as LayerClass)
      : getLayerClass(serialized.class_name, customObjects);
  let config = serialized.config;
  // Keras 2.0 wrote a Sequential's config as the bare list of its layers.
  if (Array.isArray(config)) config = { layers: config };
  if (!isConfigDict(config)) throw new Error(`deserializeLayer: '${serialized.class_name}' has no config object.`);
  const layer = cls.fromConfig(config as ConfigDict, customObjects);
  const build = serialized.build_config;
  if (!layer.built && isConfigDict(build) && Array.isArray(build.input_shape)) {
    const shape = build.input_shape;
    const shapes =
      shape.length > 0 && shape.every((s) => Array.isArray(s)) ? (shape as (number | null)[][]) : [shape as (number | null)[]];
    layer.maybeBuild(shapes);
  }
  return layer;
}
