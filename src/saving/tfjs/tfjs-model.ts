/**
 * TensorFlow.js's layers-model format, as tfjs-layers' `model.save()` and tfjs-converter write
 * it: `model.json` = {format: 'layers-model', generatedBy, convertedBy, modelTopology (the Keras 2
 * model config, possibly wrapped as {model_config, training_config, keras_version, backend}),
 * weightsManifest, trainingConfig?} plus binary shards. Weights are matched to the model's
 * variables by name (`<layer>/<weight>`, what tfjs-layers uses), or by order when the names
 * differ but every shape agrees.
 */
import { type ConfigDict, isConfigDict } from '../../layers/engine/config.js';
import { serializeLayer } from '../../layers/serialization.js';
import type { Model } from '../../models/functional.js';
import { Tensor, type Variable } from '../../tensor/tensor.js';
import { sameShape } from '../arrays.js';
import { compileStateOf, restoreCompileState } from '../compile-state.js';
import { type DeserializeOptions, deserializeModel } from '../deserialize.js';
import { describeError, SavingError } from '../errors.js';
import { isJsonObject } from '../json.js';
import { compileConfigFromTrainingConfig, trainingConfigFromCompileConfig } from '../legacy/legacy-model.js';
import { LEGACY_BACKEND, LEGACY_KERAS_VERSION } from '../legacy/legacy-weights.js';
import { keras2WeightNames } from '../model-walk.js';
import { readTfjsIterations, tfjsIterationWeight } from '../optimizer-iterations.js';
import { CAPA_VERSION } from '../version.js';
import type { ShardReader } from './shards.js';
import { decodeWeightsManifest, type EncodeOptions, encodeWeights, type NamedWeight } from './weights-codec.js';

export interface TfjsFiles {
  modelJson: Uint8Array;
  /** Shard files, named relative to model.json. */
  shards: { path: string; bytes: Uint8Array }[];
}

/** model.json and its weight shards for a model. */
export function tfjsModelFiles(model: Model, options: EncodeOptions = {}): TfjsFiles {
  const keras2Names = keras2WeightNames(model);
  const weights: NamedWeight[] = model.weights.map((v) => ({
    name: keras2Names.get(v) ?? v.name,
    shape: v.shape.slice(),
    data: v.dataSync().slice() as Float32Array | Int32Array,
  }));
  const names = new Set<string>();
  for (const w of weights) {
    if (names.has(w.name)) throw new Error(`Cannot save in TensorFlow.js format: two weights are named '${w.name}'.`);
    names.add(w.name);
  }
  const compiled = compileStateOf(model);
  const iterations = compiled?.optimizer ? tfjsIterationWeight(compiled.optimizer) : null;
  if (iterations) weights.push(iterations);
  const encoded = encodeWeights(weights, options);
  const modelTopology: ConfigDict = {
    ...serializeLayer(model, 'keras2'),
    keras_version: LEGACY_KERAS_VERSION,
    backend: LEGACY_BACKEND,
  };
  const json: ConfigDict = {
    format: 'layers-model',
    generatedBy: `capa ${CAPA_VERSION}`,
    convertedBy: null,
    modelTopology,
    weightsManifest: [encoded.group as unknown as ConfigDict],
  };
  if (compiled?.compileConfig) json.trainingConfig = trainingConfigFromCompileConfig(compiled.compileConfig);
  return { modelJson: new TextEncoder().encode(JSON.stringify(json)), shards: encoded.shards };
}

export interface TfjsLoadOptions extends DeserializeOptions {
  /** Compile the model from `trainingConfig` when model.json has one. Default true. */
  compile?: boolean;
}

function assignWeights(model: Model, weights: NamedWeight[], label: string): void {
  const variables = model.weights;
  const modelWeights = weights.filter((w) => w.group !== 'optimizer');
  const byName = new Map(modelWeights.map((w) => [w.name, w]));
  const keras2Names = keras2WeightNames(model);
  const savedName = (v: Variable): string => (byName.has(v.name) ? v.name : (keras2Names.get(v) ?? v.name));
  const plan: { variable: Variable; weight: NamedWeight }[] = [];
  const missing = variables.filter((v) => !byName.has(savedName(v)));
  if (missing.length === 0) {
    for (const v of variables) plan.push({ variable: v, weight: byName.get(savedName(v))! });
  } else if (modelWeights.length === variables.length && modelWeights.every((w, i) => sameShape(w.shape, variables[i]!.shape))) {
    // Names differ (e.g. tfjs's `dense_Dense1/kernel` for a layer renamed since) but the order and shapes agree.
    for (const [i, v] of variables.entries()) plan.push({ variable: v, weight: modelWeights[i]! });
  } else {
    throw new SavingError(
      label,
      `the weights do not match the model: no saved weight for [${missing.map((v) => `'${savedName(v)}'`).join(', ')}] ` +
        `(the file has ${modelWeights.length} weights for ${variables.length} model variables).`,
    );
  }
  for (const { variable, weight } of plan) {
    if (!sameShape(variable.shape, weight.shape)) {
      throw new SavingError(
        label,
        `weight '${weight.name}' has shape [${weight.shape.join(', ')}], but ${variable.name} expects [${variable.shape.join(', ')}].`,
      );
    }
  }
  for (const { variable, weight } of plan) {
    const data = variable.dtype === 'int32' ? Int32Array.from(weight.data) : Float32Array.from(weight.data);
    variable.assign(new Tensor(data, weight.shape));
  }
}

/**
 * Rebuilds a model from model.json text and its shards. The weights are read (and checked against
 * the shard files) before the model is built, so a manifest that claims more than the files hold
 * fails before any weight is allocated.
 */
export async function modelFromTfjs(
  modelJson: Uint8Array,
  shards: ShardReader,
  label: string,
  options: TfjsLoadOptions = {},
): Promise<Model> {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(modelJson));
  } catch (error) {
    throw new SavingError(label, `is not valid JSON: ${describeError(error)}.`);
  }
  if (!isJsonObject(json)) throw new SavingError(label, 'model.json should hold a JSON object.');
  if (json.format === 'graph-model') {
    throw new SavingError(
      label,
      'this is a TensorFlow.js graph model (a converted SavedModel), not a Keras layers model; capa loads layers models.',
    );
  }
  const topology = json.modelTopology;
  if (!isJsonObject(topology)) throw new SavingError(label, "model.json has no 'modelTopology'.");
  const config = isJsonObject(topology.model_config) ? topology.model_config : topology;
  if (json.weightsManifest === undefined) throw new SavingError(label, "model.json has no 'weightsManifest'.");
  const weights = await decodeWeightsManifest(json.weightsManifest, shards, label);
  // The weights read from the shards bound what the config may allocate (deserializeModel checks).
  const arrays = weights.filter((w) => w.group !== 'optimizer').map((w) => w.data.length);
  const model = deserializeModel(config, label, options, arrays);
  assignWeights(model, weights, label);
  const trainingConfig = isJsonObject(json.trainingConfig)
    ? json.trainingConfig
    : isJsonObject(topology.training_config)
      ? topology.training_config
      : null;
  if ((options.compile ?? true) && trainingConfig && isConfigDict(trainingConfig as ConfigDict)) {
    const optimizer = restoreCompileState(model, compileConfigFromTrainingConfig(trainingConfig as ConfigDict), label);
    if (optimizer) readTfjsIterations(weights, optimizer);
  }
  return model;
}
