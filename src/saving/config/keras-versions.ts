/**
 * Converts model configs between Keras 3's serialization (what `.keras` files and capa's
 * `getConfig()` use) and Keras 2's (what legacy `.h5` files, tf.keras 2.x and TensorFlow.js
 * `model.json` use). The differences, from Keras's and tfjs-layers' own serializers:
 *
 * - Keras 3 wraps every object as `{module, class_name, config, registered_name}` (plus
 *   `build_config`/`compile_config`); Keras 2 as `{class_name, config}`.
 * - Keras 3 writes a layer's dtype as a `DTypePolicy` object; Keras 2 as a string.
 * - Keras 3's `InputLayer` has `batch_shape`; Keras 2's has `batch_input_shape`.
 * - Functional graphs: Keras 3 `inbound_nodes` are `[{args: [<__keras_tensor__ with
 *   keras_history [layer, node, tensor]> | [...]], kwargs}]`; Keras 2's are
 *   `[[[layer, node, tensor, kwargs], ...]]`. Keras 2 may call the class `Model`.
 */
import { isJsonObject, isSerializedObject, type Json, type JsonObject } from './json.js';

const KERAS3_ONLY_KEYS = new Set(['module', 'registered_name', 'build_config', 'compile_config', 'shared_object_id']);
const MODEL_CLASSES = new Set(['Sequential', 'Functional', 'Model']);

function keras3TensorHistory(value: Json): [string, number, number] | null {
  if (!isJsonObject(value) || value.class_name !== '__keras_tensor__' || !isJsonObject(value.config)) return null;
  const history = value.config.keras_history;
  if (!Array.isArray(history) || history.length < 3 || typeof history[0] !== 'string') return null;
  return [history[0], Number(history[1]), Number(history[2])];
}

/** Keras 3 `inbound_nodes` -> Keras 2 form (one list of `[layer, node, tensor, kwargs]` per call). */
export function inboundNodesToKeras2(nodes: Json, owner: string): Json[] {
  if (!Array.isArray(nodes)) throw new Error(`${owner}: 'inbound_nodes' should be a list, got ${JSON.stringify(nodes)}.`);
  return nodes.map((node) => {
    if (Array.isArray(node)) return node; // already Keras 2
    if (!isJsonObject(node))
      throw new Error(`${owner}: an inbound node should be an object with 'args', got ${JSON.stringify(node)}.`);
    const kwargs = isJsonObject(node.kwargs) ? node.kwargs : {};
    const entries: Json[] = [];
    const collect = (arg: Json): void => {
      const history = keras3TensorHistory(arg);
      if (history) entries.push([...history, kwargs]);
      else if (Array.isArray(arg)) arg.forEach(collect);
    };
    (Array.isArray(node.args) ? node.args : []).forEach(collect);
    return entries;
  });
}

function kerasTensor(history: Json[]): JsonObject {
  return { class_name: '__keras_tensor__', config: { keras_history: [history[0]!, history[1] ?? 0, history[2] ?? 0] } };
}

/** Keras 2 `inbound_nodes` -> Keras 3 form. A call on several tensors passes them as one list argument. */
export function inboundNodesToKeras3(nodes: Json, owner: string): Json[] {
  if (!Array.isArray(nodes)) throw new Error(`${owner}: 'inbound_nodes' should be a list, got ${JSON.stringify(nodes)}.`);
  return nodes.map((node) => {
    if (isJsonObject(node)) return node; // already Keras 3
    if (!Array.isArray(node) || !node.every((entry) => Array.isArray(entry) && typeof entry[0] === 'string')) {
      throw new Error(
        `${owner}: a Keras 2 inbound node should be a list of [layer, node, tensor, kwargs], got ${JSON.stringify(node)}.`,
      );
    }
    const entries = node as Json[][];
    const tensors = entries.map(kerasTensor);
    const kwargs = entries.find((entry) => isJsonObject(entry[3]))?.[3] ?? {};
    return { args: tensors.length === 1 ? [tensors[0]!] : [tensors], kwargs };
  });
}

function dtypeName(value: Json): Json {
  if (isJsonObject(value) && typeof value.class_name === 'string' && /DTypePolicy$/.test(value.class_name)) {
    return isJsonObject(value.config) && typeof value.config.name === 'string' ? value.config.name : 'float32';
  }
  return value;
}

/** Any config value, with nested serialized objects converted to Keras 2's form. */
function valueToKeras2(value: Json, owner: string): Json {
  if (Array.isArray(value)) return value.map((v) => valueToKeras2(v, owner));
  if (!isJsonObject(value)) return value;
  if (isSerializedObject(value)) return objectToKeras2(value, owner);
  const out: JsonObject = {};
  for (const [key, v] of Object.entries(value)) out[key] = valueToKeras2(v, owner);
  return out;
}

function objectToKeras2(object: JsonObject & { class_name: string; config: Json }, owner: string): JsonObject {
  const className = object.class_name;
  const where = `${owner} > ${className}`;
  const out: JsonObject = { class_name: className };
  const config = object.config;
  if (isJsonObject(config)) {
    const converted: JsonObject = {};
    for (const [key, value] of Object.entries(config)) {
      if (key === 'dtype') converted.dtype = dtypeName(value);
      else if (key === 'layers' && MODEL_CLASSES.has(className) && Array.isArray(value)) {
        converted.layers = value.map((layer) => layerEntryToKeras2(layer, where));
      } else converted[key] = valueToKeras2(value, where);
    }
    if (className === 'InputLayer' && 'batch_shape' in converted) {
      converted.batch_input_shape = converted.batch_shape!;
      delete converted.batch_shape;
    }
    if (className === 'Sequential') delete converted.build_input_shape;
    out.config = converted;
  } else {
    out.config = valueToKeras2(config, where);
  }
  for (const [key, value] of Object.entries(object)) {
    if (key === 'class_name' || key === 'config' || KERAS3_ONLY_KEYS.has(key)) continue;
    out[key] = key === 'inbound_nodes' ? inboundNodesToKeras2(value, where) : valueToKeras2(value, where);
  }
  return out;
}

function layerEntryToKeras2(layer: Json, owner: string): JsonObject {
  if (!isSerializedObject(layer))
    throw new Error(`${owner}: a layer entry should be {class_name, config}, got ${JSON.stringify(layer)}.`);
  return objectToKeras2(layer, owner);
}

/** A Keras 3 serialized model (or layer) -> the Keras 2 / TensorFlow.js form. */
export function toKeras2Config(model: JsonObject): JsonObject {
  if (!isSerializedObject(model)) throw new Error('toKeras2Config: expected a serialized model {class_name, config}.');
  return objectToKeras2(model, 'model config');
}

/** Any config value, with Keras 2 nested objects given Keras 3's keys. */
function valueToKeras3(value: Json, owner: string): Json {
  if (Array.isArray(value)) return value.map((v) => valueToKeras3(v, owner));
  if (!isJsonObject(value)) return value;
  if (isSerializedObject(value)) return objectToKeras3(value, owner);
  const out: JsonObject = {};
  for (const [key, v] of Object.entries(value)) out[key] = valueToKeras3(v, owner);
  return out;
}

function objectToKeras3(object: JsonObject & { class_name: string; config: Json }, owner: string): JsonObject {
  const className = object.class_name === 'Model' ? 'Functional' : object.class_name;
  const where = `${owner} > ${className}`;
  const out: JsonObject = { ...object, class_name: className };
  const config = object.config;
  if (isJsonObject(config)) {
    const converted: JsonObject = {};
    for (const [key, value] of Object.entries(config)) {
      if (key === 'layers' && MODEL_CLASSES.has(className) && Array.isArray(value)) {
        converted.layers = value.map((layer) => {
          if (!isSerializedObject(layer))
            throw new Error(`${where}: a layer entry should be {class_name, config}, got ${JSON.stringify(layer)}.`);
          return objectToKeras3(layer, where);
        });
      } else converted[key] = valueToKeras3(value, where);
    }
    if (className === 'InputLayer' && 'batch_input_shape' in converted && !('batch_shape' in converted)) {
      converted.batch_shape = converted.batch_input_shape!;
      delete converted.batch_input_shape;
    }
    out.config = converted;
  } else {
    out.config = valueToKeras3(config, where);
  }
  if ('inbound_nodes' in object) out.inbound_nodes = inboundNodesToKeras3(object.inbound_nodes!, where);
  return out;
}

/** A Keras 2 / TensorFlow.js serialized model -> Keras 3's structure (what capa deserializes). */
export function toKeras3Config(model: JsonObject): JsonObject {
  if (!isSerializedObject(model)) throw new Error('toKeras3Config: expected a serialized model {class_name, config}.');
  return objectToKeras3(model, 'model config');
}
