/**
 * The class registry: Keras class name -> layer class with a static `fromConfig`. Only
 * registered classes can be revived from a config, so loading a file never runs code it
 * names (safe load). Built-in layers and models are registered by `layers/builtins.ts`;
 * users add their own with `registerLayerClass` (Keras's `register_keras_serializable`).
 */
import { assertConfigDepth, type ConfigDict, type ConfigValue, isConfigDict } from './engine/config.js';
import type { Layer, LayerClass } from './engine/layer.js';

const classes = new Map<string, LayerClass>();

/** How many `deserializeLayer` calls are in progress: nested models revive their layers through it. */
let reviving = 0;

/** Registers a class under its `className` and any aliases (e.g. Keras 2's `Model`). */
export function registerLayerClass(cls: LayerClass, ...aliases: string[]): void {
  if (typeof cls.fromConfig !== 'function' || typeof cls.className !== 'string') {
    throw new Error('registerLayerClass: the class needs a static `className` string and a static `fromConfig(config)`.');
  }
  for (const name of [cls.className, ...aliases]) classes.set(name, cls);
}

export function getLayerClass(className: string, customObjects?: Readonly<Record<string, LayerClass>>): LayerClass {
  const cls = customObjects?.[className] ?? classes.get(className);
  if (!cls) {
    throw new Error(
      `Unknown layer: '${className}'. Please ensure you are using a capa layer or a class registered with registerLayerClass() ` +
        '(custom layers must be registered before loading).',
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
  const cls = getLayerClass(serialized.class_name, customObjects);
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
