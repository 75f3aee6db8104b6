/**
 * Keras 2's whole-model HDF5 file (tf-keras `save_model_to_hdf5`, read by Keras 3's
 * `legacy_h5_format.load_model_from_hdf5`):
 *   attrs: model_config    JSON {class_name, config} in Keras 2's layout
 *          training_config JSON {loss, metrics, weighted_metrics, loss_weights, optimizer_config}
 *          keras_version, backend
 *   model_weights/         the weights in Keras 2's layout (legacy-weights.ts)
 * Of the optimizer state (`optimizer_weights`) only the step count is written and read
 * (optimizer-iterations.ts): Keras 2 and Keras 3 order the moments differently, so a model
 * resumed from `.h5` starts with fresh moments (use `.keras` to keep them).
 */
import { type ConfigDict, type ConfigValue, isConfigDict } from '../../layers/engine/config.js';
import { serializeLayer } from '../../layers/serialization.js';
import type { Model } from '../../models/functional.js';
import { compileStateOf, restoreCompileState } from '../compile-state.js';
import { type DeserializeOptions, deserializeModel } from '../deserialize.js';
import { SavingError } from '../errors.js';
import { h5ArraySizes } from '../file-arrays.js';
import { withH5Reader } from '../hdf5/h5-reader.js';
import { buildH5 } from '../hdf5/h5-writer.js';
import { asciiJson } from '../json.js';
import { readH5Iterations, writeH5Iterations } from '../optimizer-iterations.js';
import { LEGACY_BACKEND, LEGACY_KERAS_VERSION, readLegacyWeights, writeLegacyWeights } from './legacy-weights.js';

/** Keras 3's compile_config -> Keras 2's training_config. */
export function trainingConfigFromCompileConfig(compileConfig: ConfigDict): ConfigDict {
  const optimizer = compileConfig.optimizer;
  const optimizerConfig: ConfigDict | null = isConfigDict(optimizer)
    ? { class_name: optimizer.class_name ?? null, config: optimizer.config ?? {} }
    : typeof optimizer === 'string'
      ? { class_name: optimizer, config: {} }
      : null;
  return {
    loss: compileConfig.loss ?? null,
    metrics: compileConfig.metrics ?? null,
    weighted_metrics: compileConfig.weighted_metrics ?? null,
    loss_weights: compileConfig.loss_weights ?? null,
    optimizer_config: optimizerConfig,
  };
}

/**
 * A Keras 2 metric entry as compile() takes it: tf-keras writes compiled metrics as
 * `MeanMetricWrapper` objects (`{config: {name: 'accuracy', fn: 'categorical_accuracy'}}`), one
 * list per output; a single-output model's list is unwrapped.
 */
function keras2Metrics(metrics: ConfigValue | undefined): ConfigValue {
  if (!Array.isArray(metrics)) return metrics ?? null;
  const list = metrics.length === 1 && Array.isArray(metrics[0]) ? metrics[0] : metrics;
  return list.map((m) =>
    isConfigDict(m) && m.class_name === 'MeanMetricWrapper' && isConfigDict(m.config) && typeof m.config.name === 'string'
      ? m.config.name
      : m,
  );
}

/** tf-keras 2.11+ names its optimizers `Custom>Adam` in training configs. */
function keras2Optimizer(optimizer: ConfigValue | undefined): ConfigValue {
  if (!isConfigDict(optimizer) || typeof optimizer.class_name !== 'string') return optimizer ?? null;
  return { ...optimizer, class_name: optimizer.class_name.replace(/^Custom>/, '') };
}

/** Keras 2's training_config -> the compile_config capa compiles from. */
export function compileConfigFromTrainingConfig(trainingConfig: ConfigDict): ConfigDict {
  return {
    optimizer: keras2Optimizer(trainingConfig.optimizer_config),
    loss: trainingConfig.loss ?? null,
    metrics: keras2Metrics(trainingConfig.metrics),
    weighted_metrics: trainingConfig.weighted_metrics ?? null,
    loss_weights: trainingConfig.loss_weights ?? null,
  };
}

export async function legacyModelBytes(model: Model): Promise<Uint8Array> {
  const compiled = compileStateOf(model);
  return buildH5((writer) => {
    writer.stringAttr('', 'backend', LEGACY_BACKEND);
    writer.stringAttr('', 'keras_version', LEGACY_KERAS_VERSION);
    writer.stringAttr('', 'model_config', asciiJson(serializeLayer(model, 'keras2')));
    if (compiled?.compileConfig)
      writer.stringAttr('', 'training_config', asciiJson(trainingConfigFromCompileConfig(compiled.compileConfig)));
    writer.group('model_weights');
    writeLegacyWeights(writer, 'model_weights', model);
    if (compiled?.optimizer) writeH5Iterations(writer, compiled.optimizer);
  });
}

export interface LegacyModelLoadOptions extends DeserializeOptions {
  /** Compile the model from its training_config when the file has one. Default true. */
  compile?: boolean;
}

export async function modelFromLegacyH5(bytes: Uint8Array, label: string, options: LegacyModelLoadOptions = {}): Promise<Model> {
  return withH5Reader(bytes, label, (reader) => {
    const modelConfig = reader.jsonAttr('', 'model_config');
    if (modelConfig === undefined) {
      const hint =
        reader.stringList('', 'layer_names') !== undefined
          ? ' It holds weights only: build the model, then call model.loadWeights().'
          : '';
      throw new SavingError(label, `no model config found in the file (attribute 'model_config' is missing).${hint}`);
    }
    if (reader.kind('model_weights') !== 'group')
      throw new SavingError(label, "the file has a model config but no 'model_weights' group.");
    const model = deserializeModel(modelConfig, label, options, h5ArraySizes(reader, 'model_weights'));
    readLegacyWeights(reader, 'model_weights', model);
    const trainingConfig = reader.jsonAttr('', 'training_config');
    if ((options.compile ?? true) && isConfigDict(trainingConfig as ConfigDict)) {
      const optimizer = restoreCompileState(model, compileConfigFromTrainingConfig(trainingConfig as ConfigDict), label);
      if (optimizer) readH5Iterations(reader, optimizer);
    }
    return model;
  });
}
