/**
 * Safe revival of a model from a file's config: only registered classes are instantiated (the
 * registry, plus `customObjects` the caller passes), nothing in the file is ever executed, and a
 * `Lambda` layer (whose config carries code) is refused unless the caller opts in with
 * `safeMode: false` and has registered a class able to revive it.
 */

import { functionName } from '../layers/core/lambda.js';
import { assertConfigDepth, type ConfigValue } from '../layers/engine/config.js';
import type { LayerClass } from '../layers/engine/layer.js';
import { withWeightAllocationCheck } from '../layers/engine/weight-allocation.js';
import { deserializeLayer } from '../layers/registry.js';
import type { Model } from '../models/functional.js';
import { describeError, SavingError } from './errors.js';
import { type FileArraySizes, weightsWithinFile } from './file-arrays.js';
import { isJsonObject } from './json.js';
import { isModel } from './model-walk.js';

export interface DeserializeOptions {
  /** Classes to use for class names the registry does not know (Keras's `custom_objects`). */
  customObjects?: Readonly<Record<string, LayerClass>>;
  /** Refuse configs that carry code (Lambda layers). Default true, as in Keras. */
  safeMode?: boolean;
}

/** Layers whose config embeds code; refused in safe mode. */
const CODE_CARRYING = new Set(['Lambda']);

/** The path (e.g. `layers[3]`) of the first code-carrying object in a config, or null. */
function findCode(value: unknown, path: string): { path: string; what: string } | null {
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = findCode(item, `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (!isJsonObject(value)) return null;
  // A Lambda that names a registered function (capa writes these) carries no code: Lambda.fromConfig
  // looks the name up, and refuses it with the name to register when it is not registered.
  if (value.class_name === 'Lambda' && isJsonObject(value.config) && functionName(value.config.function as ConfigValue) !== null)
    return null;
  if (typeof value.class_name === 'string' && (CODE_CARRYING.has(value.class_name) || value.class_name === '__lambda__')) {
    const config = isJsonObject(value.config) ? value.config : null;
    const name = config && typeof config.name === 'string' ? ` '${config.name}'` : '';
    return {
      path,
      what: `${value.class_name === '__lambda__' ? 'serialized Python lambda' : `${value.class_name} layer`}${name}`,
    };
  }
  for (const [key, item] of Object.entries(value)) {
    const found = findCode(item, path ? `${path}.${key}` : key);
    if (found) return found;
  }
  return null;
}

/**
 * Revives the model a file describes, or throws a SavingError naming the file and the problem.
 * With `fileArrays` (the arrays the file's weights hold), a layer weight the file cannot hold is
 * refused before it is allocated.
 */
export function deserializeModel(
  config: unknown,
  label: string,
  options: DeserializeOptions = {},
  fileArrays?: FileArraySizes,
): Model {
  if (!isJsonObject(config) || typeof config.class_name !== 'string') {
    throw new SavingError(label, 'the model config is not a {class_name, config} object.');
  }
  try {
    // Before findCode, which recurses.
    assertConfigDepth(config, 'the model config');
  } catch (error) {
    throw new SavingError(label, describeError(error));
  }
  if (options.safeMode ?? true) {
    const code = findCode(config, '');
    if (code) {
      throw new SavingError(
        label,
        `refusing to load a ${code.what} (at ${code.path || 'the top level'}): it carries code, and loading never runs code from a file. ` +
          'If you trust this file, pass { safeMode: false } and register a layer class that can revive it (customObjects or registerLayerClass).',
      );
    }
  }
  let model: unknown;
  const revive = () => deserializeLayer(config as ConfigValue, options.customObjects);
  try {
    model = fileArrays ? withWeightAllocationCheck(weightsWithinFile(label, fileArrays), revive) : revive();
  } catch (error) {
    if (error instanceof SavingError) throw error;
    throw new SavingError(label, `cannot rebuild the model from its config: ${describeError(error)}`);
  }
  if (!isModel(model as Model)) throw new SavingError(label, `the config describes a '${config.class_name}', not a model.`);
  return model as Model;
}
