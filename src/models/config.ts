/**
 * Model configs in Keras's layout, both ways: Functional (`layers` with `name` and
 * `inbound_nodes`, `input_layers`, `output_layers`) and Sequential (`layers`,
 * `build_input_shape`), in the Keras 3 or Keras 2 node format.
 *
 * Node indices follow Keras: our models (like Keras 2's) keep an internal node 0, so a nested
 * model's first call is node 1. Keras 3 writes `keras_history` without such nodes (node index
 * minus the nodes of the layer outside this model) and `input_layers`/`output_layers` counting
 * from 1 for Functional models (from 0 for Sequential); Keras 2 counts from 1 for every model.
 */
import { type CallOptions, callOptionsFromKwargs, callOptionsToKwargs } from '../layers/engine/call-options.js';
import { type ConfigDict, type ConfigValue, isConfigDict } from '../layers/engine/config.js';
import { dtypePolicyConfig, type Layer, type LayerClass } from '../layers/engine/layer.js';
import type { Node } from '../layers/engine/node.js';
import type { SymbolicTensor } from '../layers/engine/symbolic.js';
import { deserializeLayer } from '../layers/registry.js';
import { type ConfigFormat, serializeLayer, toKeras2Config } from '../layers/serialization.js';
import type { Model } from './functional.js';
import type { Sequential } from './sequential.js';

const isModel = (layer: Layer): layer is Model => typeof (layer as Partial<Model>).hasNode === 'function';
const isFunctional = (layer: Layer): boolean => isModel(layer) && layer.className !== 'Sequential';

/**
 * A node's indices as a config writes them, computed once per layer (a layer called k times
 * would otherwise cost O(k^2) to serialize): `kept`, its index among the layer's nodes that
 * belong to this model (Keras's node_reindexing_map; models count from 1 where Keras 2 or a
 * Functional keeps an internal node), and `history`, Keras 3's keras_history index (the node
 * index less the layer's nodes outside this model).
 */
type NodeIndexing = (layer: Layer) => { kept: number[]; history: number[] };

function nodeIndexing(model: Model, format: ConfigFormat): NodeIndexing {
  const cache = new Map<Layer, { kept: number[]; history: number[] }>();
  return (layer) => {
    let entry = cache.get(layer);
    if (!entry) {
      entry = { kept: [], history: [] };
      let kept = isModel(layer) && (format === 'keras2' || isFunctional(layer)) ? 1 : 0;
      let outside = 0;
      for (const [i, node] of layer.inboundNodes.entries()) {
        entry.kept.push(kept);
        entry.history.push(i - outside);
        if (model.hasNode(node)) kept++;
        else outside++;
      }
      cache.set(layer, entry);
    }
    return entry;
  };
}

function serializeNode(indexing: NodeIndexing, node: Node, format: ConfigFormat): ConfigValue {
  const kwargs = callOptionsToKwargs(node.callOptions);
  if (format === 'keras2') {
    return node.inputTensors.map((t) => [
      t.sourceLayer.name,
      indexing(t.sourceLayer).kept[t.nodeIndex] as number,
      t.tensorIndex,
      kwargs,
    ]);
  }
  const tensor = (t: SymbolicTensor): ConfigDict => ({
    class_name: '__keras_tensor__',
    config: {
      shape: t.shape.slice(),
      dtype: t.dtype,
      keras_history: [t.sourceLayer.name, indexing(t.sourceLayer).history[t.nodeIndex] as number, t.tensorIndex],
    },
  });
  const arg = node.inputsAsList ? node.inputTensors.map(tensor) : tensor(node.inputTensors[0] as SymbolicTensor);
  return { args: [arg], kwargs };
}

function tensorRef(indexing: NodeIndexing, t: SymbolicTensor): ConfigValue {
  return [t.sourceLayer.name, indexing(t.sourceLayer).kept[t.nodeIndex] as number, t.tensorIndex];
}

/** Keras 3 writes inputs / outputs given as a dict as a dict of references; Keras 2 only has lists. */
function refsConfig(indexing: NodeIndexing, tensors: SymbolicTensor[], keys: string[] | null): ConfigValue {
  if (!keys) return tensors.map((t) => tensorRef(indexing, t));
  const out: ConfigDict = {};
  keys.forEach((key, i) => {
    out[key] = tensorRef(indexing, tensors[i] as SymbolicTensor);
  });
  return out;
}

export function functionalConfig(model: Model, format: ConfigFormat = 'keras3'): ConfigDict {
  const indexing = nodeIndexing(model, format);
  const layers: ConfigDict[] = model.layers.map((layer) => {
    const entry: ConfigDict = { ...serializeLayer(layer, format) };
    entry.name = layer.name;
    entry.inbound_nodes = layer.inboundNodes
      .filter((node) => model.hasNode(node) && !node.isInput)
      .map((node) => serializeNode(indexing, node, format));
    return entry;
  });
  return {
    name: model.name,
    trainable: model.trainable,
    layers,
    input_layers: refsConfig(indexing, model.inputs, format === 'keras3' && model.ioAsRecords.inputs ? model.inputNames : null),
    output_layers: refsConfig(
      indexing,
      model.outputs,
      format === 'keras3' && model.ioAsRecords.outputs ? model.outputNames : null,
    ),
  };
}

export function sequentialConfig(model: Sequential, format: ConfigFormat = 'keras3'): ConfigDict {
  const all: Layer[] = model.inputLayer ? [model.inputLayer, ...model.layers] : model.layers;
  const config: ConfigDict = {
    name: model.name,
    trainable: model.trainable,
    dtype: format === 'keras3' ? dtypePolicyConfig() : 'float32',
    layers: all.map((layer) => serializeLayer(layer, format)),
  };
  if (model.inputLayer) config.build_input_shape = model.inputLayer.batchShape.slice();
  return format === 'keras2' ? (toKeras2Config(config) as ConfigDict) : config;
}

type CustomObjects = Readonly<Record<string, LayerClass>>;

interface CreatedModels {
  Model: new (args: {
    inputs: SymbolicTensor[] | Record<string, SymbolicTensor>;
    outputs: SymbolicTensor[] | Record<string, SymbolicTensor>;
    name?: string;
    trainable?: boolean;
  }) => Model;
}

/** Rebuilds a functional model from its config (Keras's `functional_from_config`). */
export function functionalFromConfig(config: ConfigDict, ctor: CreatedModels['Model'], customObjects?: CustomObjects): Model {
  const owner = 'Functional.fromConfig';
  const layerEntries = config.layers;
  if (!Array.isArray(layerEntries)) throw new Error(`${owner}: the config needs a 'layers' list.`);
  const created = new Map<string, Layer>();
  /** Each layer's calls still to make, in order, and how many it made. */
  const pending = new Map<Layer, { calls: ConfigValue[]; done: number }>();
  let format: ConfigFormat = 'keras2';
  for (const entry of layerEntries) {
    if (!isConfigDict(entry)) throw new Error(`${owner}: every entry of 'layers' must be an object.`);
    const layer = deserializeLayer(entry, customObjects);
    const name = typeof entry.name === 'string' ? entry.name : layer.name;
    if (name !== layer.name) throw new Error(`${owner}: layer entry '${name}' revived as '${layer.name}'.`);
    created.set(name, layer);
    const nodes = Array.isArray(entry.inbound_nodes) ? entry.inbound_nodes : [];
    if (nodes.some((n) => isConfigDict(n))) format = 'keras3';
    if (nodes.length > 0) pending.set(layer, { calls: nodes, done: 0 });
  }

  /** The layer whose node a call waited for (set when `nodeOf` finds no such node yet). */
  let missing: Layer | null = null;
  // Our models keep an internal node 0; Keras 3 histories do not count it.
  const nodeOf = (name: string, index: number, fromHistory: boolean): Node | undefined => {
    const layer = created.get(name);
    if (!layer) throw new Error(`${owner}: unknown layer '${name}' referenced by the config.`);
    const shift = isModel(layer) && format === 'keras3' && (fromHistory || layer.className === 'Sequential') ? 1 : 0;
    const node = layer.inboundNodes[index + shift];
    if (!node) missing = layer;
    return node;
  };

  type Call = { tensors: SymbolicTensor[]; asList: boolean; options: CallOptions };
  const inputsOf = (layer: Layer, data: ConfigValue): Call | null => {
    if (Array.isArray(data)) {
      const tensors: SymbolicTensor[] = [];
      for (const ref of data) {
        if (!Array.isArray(ref) || typeof ref[0] !== 'string')
          throw new Error(`${owner}: invalid inbound node ${JSON.stringify(ref)}.`);
        const node = nodeOf(ref[0], Number(ref[1]), false);
        if (!node) return null;
        tensors.push(node.outputTensors[Number(ref[2])] as SymbolicTensor);
      }
      // Keras 2 repeats the call's kwargs in each input reference
      const options = callOptionsFromKwargs(owner, layer.name, (data[0] as ConfigValue[] | undefined)?.[3]);
      return { tensors, asList: tensors.length > 1, options };
    }
    if (!isConfigDict(data) || !Array.isArray(data.args) || data.args.length === 0)
      throw new Error(`${owner}: invalid inbound node ${JSON.stringify(data)}.`);
    const options = callOptionsFromKwargs(owner, layer.name, data.kwargs);
    // several positional tensors (Keras 3's `MultiHeadAttention()(query, value)`) are the call's input list
    const arg = data.args.length > 1 ? data.args : data.args[0];
    const revive = (x: ConfigValue): SymbolicTensor | null => {
      const history = isConfigDict(x) && isConfigDict(x.config) ? x.config.keras_history : undefined;
      if (!Array.isArray(history) || typeof history[0] !== 'string') {
        throw new Error(`${owner}: expected a __keras_tensor__ argument, received ${JSON.stringify(x)}.`);
      }
      const node = nodeOf(history[0], Number(history[1]), true);
      return node ? (node.outputTensors[Number(history[2])] as SymbolicTensor) : null;
    };
    if (Array.isArray(arg)) {
      const tensors = arg.map(revive);
      return tensors.every((t) => t !== null) ? { tensors: tensors as SymbolicTensor[], asList: true, options } : null;
    }
    const t = revive(arg as ConfigValue);
    return t ? { tensors: [t], asList: false, options } : null;
  };

  // Call layers on their inputs as those become available. A layer whose next call needs a node
  // that does not exist yet waits on the layer that will make it and is retried when that layer
  // makes a call, so configs listed in any order load in linear time (Keras's repeated passes
  // over every layer are quadratic for a chain listed backwards).
  const waiters = new Map<Layer, Layer[]>();
  const ready = [...pending.keys()];
  for (let next = 0; next < ready.length; next++) {
    const layer = ready[next] as Layer;
    const work = pending.get(layer);
    if (!work) continue;
    const before = work.done;
    while (work.done < work.calls.length) {
      missing = null;
      const inputs = inputsOf(layer, work.calls[work.done] as ConfigValue);
      if (!inputs) {
        const blocker = missing as Layer | null;
        if (blocker) {
          const list = waiters.get(blocker);
          if (list) list.push(layer);
          else waiters.set(blocker, [layer]);
        }
        break;
      }
      layer.applyMulti(inputs.asList ? inputs.tensors : (inputs.tensors[0] as SymbolicTensor), inputs.options);
      work.done++;
    }
    if (work.done === work.calls.length) pending.delete(layer);
    const woken = work.done > before ? waiters.get(layer) : undefined;
    if (woken) {
      waiters.delete(layer);
      ready.push(...woken);
    }
  }
  if (pending.size > 0) {
    throw new Error(
      `${owner}: the inputs of layers [${[...pending.keys()].map((l) => `'${l.name}'`).join(', ')}] never become available.`,
    );
  }

  const ref = (key: string, entry: ConfigValue): SymbolicTensor => {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string')
      throw new Error(`${owner}: invalid entry in '${key}': ${JSON.stringify(entry)}.`);
    const node = nodeOf(entry[0], Number(entry[1]), false);
    const t = node?.outputTensors[Number(entry[2])];
    if (!t) throw new Error(`${owner}: '${key}' refers to a missing tensor ${JSON.stringify(entry)}.`);
    return t;
  };
  const refs = (key: string): SymbolicTensor[] | Record<string, SymbolicTensor> => {
    const list = config[key];
    // Keras 3 writes inputs / outputs given as a dict as a dict of references
    if (isConfigDict(list)) {
      const out: Record<string, SymbolicTensor> = {};
      for (const [name, entry] of Object.entries(list)) out[name] = ref(key, entry);
      return out;
    }
    if (!Array.isArray(list)) throw new Error(`${owner}: the config needs '${key}'.`);
    // A single [name, node, tensor] triple is also accepted.
    const triples = list.length === 3 && typeof list[0] === 'string' ? [list] : list;
    return triples.map((entry) => ref(key, entry));
  };
  return new ctor({
    inputs: refs('input_layers'),
    outputs: refs('output_layers'),
    name: typeof config.name === 'string' ? config.name : undefined,
    trainable: typeof config.trainable === 'boolean' ? config.trainable : undefined,
  });
}

/** Rebuilds a Sequential from its config (layers in order, InputLayer first if present). */
export function sequentialFromConfig(config: ConfigDict, model: Sequential, customObjects?: CustomObjects): Sequential {
  const entries = config.layers;
  if (!Array.isArray(entries)) throw new Error(`Sequential.fromConfig: the config needs a 'layers' list.`);
  for (const entry of entries) model.add(deserializeLayer(entry, customObjects));
  const shape = config.build_input_shape;
  if (!model.inputLayer && Array.isArray(shape) && model.layers.length > 0) model.build(shape as (number | null)[]);
  return model;
}
