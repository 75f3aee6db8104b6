/**
 * Layer serialization in Keras's two JSON layouts:
 * - 'keras3' (the `.keras` config.json): `{module, class_name, config, registered_name,
 *   build_config}`, dtype as a DTypePolicy object, nested objects with their module.
 * - 'keras2' (legacy `.h5` model_config, TensorFlow.js model.json): `{class_name, config}`,
 *   dtype as a string, `batch_input_shape` instead of `batch_shape`.
 * Layers write Keras 3 configs; `toKeras2Config` converts. Models serialize their own graph
 * (models/config.ts) through `configFor(format)`.
 */
import { type ConfigDict, type ConfigValue, isConfigDict, type SerializedObject } from './engine/config.js';
import type { Layer } from './engine/layer.js';
import { registeredNameOf } from './registry.js';

export type ConfigFormat = 'keras3' | 'keras2';

/** Keras 3's module for built-in classes. */
function moduleOf(layer: Layer): string {
  if (layer.className === 'Sequential') return 'keras';
  if (layer.className === 'Functional') return 'keras.src.models.functional';
  return 'keras.layers';
}

interface ModelLike {
  configFor(format: ConfigFormat): ConfigDict;
}

function hasConfigFor(layer: Layer): layer is Layer & ModelLike {
  return typeof (layer as Partial<ModelLike>).configFor === 'function';
}

/** One layer as Keras writes it inside a model config (without `name`/`inbound_nodes`). */
export function serializeLayer(layer: Layer, format: ConfigFormat = 'keras3'): SerializedObject {
  const config = hasConfigFor(layer) ? layer.configFor(format) : layer.getConfig();
  if (format === 'keras2') {
    return { class_name: layer.className, config: hasConfigFor(layer) ? config : (toKeras2Config(config) as ConfigDict) };
  }
  const registered = registeredNameOf(layer.constructor);
  const out: SerializedObject = registered
    ? { module: null, class_name: layer.className, config, registered_name: registered }
    : { module: moduleOf(layer), class_name: layer.className, config, registered_name: null };
  const build = buildConfigOf(layer);
  if (build) out.build_config = build;
  return out;
}

/** Keras 3's `build_config`: the input shape(s) the layer was built with. */
export function buildConfigOf(layer: Layer): ConfigDict | null {
  if (!layer.built || !layer.buildShapes || layer.className === 'InputLayer') return null;
  const shapes = layer.buildShapes;
  return { input_shape: shapes.length === 1 ? (shapes[0] as (number | null)[]).slice() : shapes.map((s) => s.slice()) };
}

/**
 * Keras 3 config -> Keras 2 layout: DTypePolicy objects become their name, serialized objects
 * lose `module`/`registered_name`, `batch_shape` becomes `batch_input_shape`.
 */
export function toKeras2Config(value: ConfigValue): ConfigValue {
  if (Array.isArray(value)) return value.map(toKeras2Config);
  if (!isConfigDict(value)) return value;
  if (value.class_name === 'DTypePolicy' && isConfigDict(value.config)) return value.config.name ?? 'float32';
  const out: ConfigDict = {};
  for (const [k, v] of Object.entries(value)) {
    if ((k === 'module' || k === 'registered_name') && typeof value.class_name === 'string') continue;
    if (k === 'build_config') continue;
    out[k === 'batch_shape' ? 'batch_input_shape' : k] = toKeras2Config(v);
  }
  return out;
}
