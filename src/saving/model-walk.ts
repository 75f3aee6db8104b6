/**
 * How the file formats see a model's variables:
 * - `ownVariables(layer)`: the variables a layer created itself (Keras's `_trainable_variables +
 *   _non_trainable_variables`), which Keras 3 stores under the layer's own `vars` group;
 * - `legacyWeights(layer)`: Keras 2's h5 order, `trainable_weights + non_trainable_weights`
 *   (for a nested model: every trainable weight of its layers, then every non-trainable one);
 * - `keras3Objects(model)`: each saveable's object path in a `.keras` / `.weights.h5` file
 *   (`layers/dense/vars`, `layers/dense_1/vars`, ... named by class, not by layer name).
 */

import { Layer } from '../layers/engine/layer.js';
import { trackedPaths } from '../layers/engine/tracking.js';
import { Model } from '../models/functional.js';
import type { Variable } from '../tensor/tensor.js';

export function isModel(layer: Layer): layer is Model {
  return layer instanceof Model;
}

/** The layer's own variables, in creation order with the trainable ones first (Keras 3's `vars` order). */
export function ownVariables(layer: Layer): Variable[] {
  const inner = new Set<Variable>();
  for (const sub of layer.subLayers()) for (const v of sub.weights) inner.add(v);
  return layer.weights.filter((v) => !inner.has(v));
}

/** Keras 2's `_legacy_weights(layer)`: trainable weights, then non-trainable weights. */
export function legacyWeights(layer: Layer): Variable[] {
  return [...layer.trainableWeights, ...layer.nonTrainableWeights];
}

/**
 * Weight names Keras 3 changed: Keras 2 and TensorFlow.js call DepthwiseConv2D's kernel
 * `depthwise_kernel` (Keras 3 calls it `kernel`). Keyed by class, Keras 3 name -> Keras 2 name.
 */
const KERAS2_WEIGHT_NAMES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  DepthwiseConv2D: { kernel: 'depthwise_kernel' },
  DepthwiseConv1D: { kernel: 'depthwise_kernel' },
};

/**
 * Every variable of the model with its Keras 2 / TensorFlow.js name (`<layer>/<weight>`), found by
 * walking the layers (nested models included) so each variable is named after its owning layer's class.
 */
export function keras2WeightNames(model: Layer): Map<Variable, string> {
  const names = new Map<Variable, string>();
  const visit = (layer: Layer): void => {
    const renames = KERAS2_WEIGHT_NAMES[layer.className] ?? {};
    for (const v of ownVariables(layer)) {
      const short = variableShortName(v);
      const prefix = v.name.slice(0, v.name.length - short.length);
      names.set(v, `${prefix}${renames[short] ?? short}`);
    }
    for (const sub of layer.subLayers()) visit(sub);
  };
  visit(model);
  return names;
}

/** A variable's short name inside its layer (`kernel` for `dense/kernel`). */
export function variableShortName(variable: Variable): string {
  const cut = variable.name.lastIndexOf('/');
  return cut < 0 ? variable.name : variable.name.slice(cut + 1);
}

/**
 * Keras 3's `naming.to_snake_case` (keras/src/utils/naming.py), which names a saveable inside a
 * container by its class: `Conv2D` -> `conv2d`, `BatchNormalization` -> `batch_normalization`,
 * `ReLU` -> `re_lu`. (tf-keras's older variant treats digits differently; files use this one.)
 */
export function keras3SnakeCase(className: string): string {
  return className
    .replace(/[^A-Za-z0-9_]+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** One saveable of a Keras 3 file: its object path and the variables stored under `<path>/vars`. */
export interface Keras3Object {
  path: string;
  layer: Layer;
  variables: Variable[];
}

/**
 * Keras 3's `_save_state` walk: the model's own `vars` at the root, then for a Sequential or
 * Functional model its `layers` container, each child named by the snake_case of its class with
 * `_1`, `_2`, ... for repeats (Keras never uses layer names, which vary between instances).
 */
export function keras3Objects(model: Layer): Keras3Object[] {
  const out: Keras3Object[] = [];
  const visit = (layer: Layer, path: string): void => {
    out.push({ path, layer, variables: ownVariables(layer) });
    if (isModel(layer) && !layer.isSubclassed()) {
      const used = new Map<string, number>();
      for (const child of layer.layers) {
        const base = keras3SnakeCase(child.className);
        const count = used.get(base);
        used.set(base, count === undefined ? 0 : count + 1);
        const name = count === undefined ? base : `${base}_${count + 1}`;
        visit(child, path ? `${path}/layers/${name}` : `layers/${name}`);
      }
    } else {
      // a custom layer or subclassed model: its sub-layers under the properties that hold them (Keras 3's attribute paths)
      for (const { path: attr, value } of trackedPaths(layer, (v): v is Layer => v instanceof Layer && v !== layer)) {
        visit(value, path ? `${path}/${attr}` : attr);
      }
    }
  };
  visit(model, '');
  return out;
}
