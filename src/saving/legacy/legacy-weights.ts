/**
 * Keras 2's HDF5 weights layout (tf-keras `hdf5_format.py`, Keras 3 `legacy_h5_format.py`),
 * used by legacy `.h5` models (under `model_weights`), Keras 2 `save_weights('x.h5')` files and
 * Keras's published ImageNet weights:
 *
 *   attrs: layer_names = [every layer, in model.layers order], backend, keras_version
 *   <layer>/            attrs: weight_names = ['<layer>/kernel:0', '<layer>/bias:0']
 *   <layer>/<layer>/kernel:0   (the dataset path is the group plus the weight name)
 *
 * Loading is topological (the n-th layer with weights gets the n-th saved layer with weights) or
 * by name, as in Keras; weights within a layer follow `trainable + non-trainable` order.
 */
import type { Layer } from '../../layers/engine/layer.js';
import type { Tensor, Variable } from '../../tensor/tensor.js';
import { h5FromVariable, sameShape, tensorFromH5 } from '../arrays.js';
import { SavingError } from '../errors.js';
import type { H5Reader } from '../hdf5/h5-reader.js';
import type { H5Writer } from '../hdf5/h5-writer.js';
import { isModel, keras2WeightNames, legacyWeights } from '../model-walk.js';

/** The Keras version and backend capa declares in legacy files (tf-keras 2.x with TensorFlow). */
export const LEGACY_KERAS_VERSION = '2.15.0';
export const LEGACY_BACKEND = 'tensorflow';

function layersOf(model: Layer): Layer[] {
  if (!isModel(model)) throw new Error(`Layer "${model.name}" is not a model; legacy HDF5 weights are saved per model layer.`);
  return model.layers;
}

function join(group: string, name: string): string {
  return group ? `${group}/${name}` : name;
}

/** Writes `model`'s weights into `group` ('' for the file root) in Keras 2's layout. */
export function writeLegacyWeights(writer: H5Writer, group: string, model: Layer): void {
  const layers = layersOf(model);
  writer.stringListAttr(
    group,
    'layer_names',
    layers.map((l) => l.name),
  );
  writer.stringAttr(group, 'backend', LEGACY_BACKEND);
  writer.stringAttr(group, 'keras_version', LEGACY_KERAS_VERSION);
  const keras2Names = keras2WeightNames(model);
  // Keras writes the groups sorted by name so no group name is a prefix of one written later.
  for (const layer of [...layers].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const layerGroup = join(group, layer.name);
    const weights = legacyWeights(layer);
    const names = weights.map((v) => `${keras2Names.get(v) ?? v.name}:0`);
    if (new Set(names).size !== names.length) {
      throw new Error(`Layer "${layer.name}" has two weights with the same name; Keras's h5 layout cannot store them.`);
    }
    writer.stringListAttr(layerGroup, 'weight_names', names);
    for (const [i, v] of weights.entries()) writer.dataset(`${layerGroup}/${names[i]}`, h5FromVariable(v));
  }
}

export interface LegacyLoadOptions {
  /** Match saved layers to model layers by name instead of by position. */
  byName?: boolean;
  /** Skip (with a warning) layers whose weight count or shapes differ instead of failing. */
  skipMismatch?: boolean;
}

interface SavedLayer {
  name: string;
  values: { name: string; read: () => Tensor }[];
}

function savedLayer(reader: H5Reader, group: string, name: string): SavedLayer {
  const layerGroup = join(group, name);
  if (reader.kind(layerGroup) !== 'group') {
    throw new SavingError(reader.label, `'layer_names' lists '${name}', but the file has no group '${layerGroup}'.`);
  }
  const weightNames = reader.stringList(layerGroup, 'weight_names') ?? [];
  return {
    name,
    values: weightNames.map((weightName) => {
      const path = `${layerGroup}/${weightName}`;
      return { name: weightName, read: () => tensorFromH5(reader.dataset(path), 'float32', reader.label, `dataset '${path}'`) };
    }),
  };
}

/** The group holding the layer_names attribute: the root for weights files, `model_weights` for whole models. */
export function legacyWeightsGroup(reader: H5Reader): string | null {
  if (reader.stringList('', 'layer_names') !== undefined) return '';
  if (reader.kind('model_weights') === 'group' && reader.stringList('model_weights', 'layer_names') !== undefined)
    return 'model_weights';
  return null;
}

/** Model layers with weights that the file's `layer_names` do not list (for by-name loads that must fill every layer). */
export function layersMissingFromFile(reader: H5Reader, group: string, model: Layer): string[] {
  const saved = new Set(reader.stringList(group, 'layer_names') ?? []);
  return layersOf(model)
    .filter((layer) => legacyWeights(layer).length > 0 && !saved.has(layer.name))
    .map((layer) => layer.name);
}

/** Loads Keras 2 layout weights from `group` into the model; nothing changes unless everything fits. */
export function readLegacyWeights(reader: H5Reader, group: string, model: Layer, options: LegacyLoadOptions = {}): void {
  const label = reader.label;
  const layerNames = reader.stringList(group, 'layer_names');
  if (layerNames === undefined) {
    throw new SavingError(label, `'${group || '/'}' has no 'layer_names' attribute; this is not a Keras HDF5 weights file.`);
  }
  const planned: { variable: Variable; value: Tensor }[] = [];
  const skipped: string[] = [];
  const problem = (message: string): void => {
    if (!options.skipMismatch) throw new SavingError(label, message);
    skipped.push(message);
  };
  const assignLayer = (layer: Layer, saved: SavedLayer, where: string): void => {
    const symbolic = legacyWeights(layer);
    if (saved.values.length !== symbolic.length) {
      problem(
        `weight count mismatch for ${where}: the layer expects ${symbolic.length} weight(s), the file has ${saved.values.length} (${saved.values.map((v) => v.name).join(', ') || 'none'}).`,
      );
      return;
    }
    const layerPlan: { variable: Variable; value: Tensor }[] = [];
    for (const [i, variable] of symbolic.entries()) {
      const value = saved.values[i]!.read();
      if (!sameShape(value.shape, variable.shape)) {
        problem(
          `shape mismatch in ${where} for weight ${variable.name}: the weight expects shape [${variable.shape.join(', ')}], ` +
            `the saved weight '${saved.values[i]!.name}' has shape [${value.shape.join(', ')}].`,
        );
        if (options.skipMismatch) continue;
      }
      layerPlan.push({ variable, value });
    }
    planned.push(...layerPlan);
  };

  const modelLayers = layersOf(model);
  if (options.byName) {
    const index = new Map<string, Layer[]>();
    for (const layer of modelLayers) index.set(layer.name, [...(index.get(layer.name) ?? []), layer]);
    layerNames.forEach((name, k) => {
      const targets = index.get(name);
      if (!targets) return;
      const saved = savedLayer(reader, group, name);
      for (const layer of targets) assignLayer(layer, saved, `layer #${k} (named ${layer.name})`);
    });
  } else {
    const withWeights = modelLayers.filter((l) => legacyWeights(l).length > 0);
    const saved = layerNames.map((name) => savedLayer(reader, group, name)).filter((s) => s.values.length > 0);
    if (saved.length !== withWeights.length) {
      throw new SavingError(
        label,
        `layer count mismatch when loading weights from file. Model expected ${withWeights.length} layers, found ${saved.length} saved layers. ` +
          'Pass { byName: true } to match layers by name.',
      );
    }
    for (const [k, layer] of withWeights.entries()) {
      assignLayer(layer, saved[k]!, `layer #${k} (named ${layer.name} in the current model, ${saved[k]!.name} in the save file)`);
    }
  }
  if (skipped.length > 0) console.warn(`${label}: skipped loading some weights. ${skipped.join(' ')}`);
  for (const { variable, value } of planned) variable.assign(value);
}
