/**
 * capa: deep learning for TypeScript. This file is the public API (see API.md); nothing
 * else is public.
 */
import './ops/chain.js';

export { grad, grads, valueAndGrad, valueAndGrads, variableGrads } from './autograd/grad.js';
export { type GradCheckOptions, type GradCheckResult, gradCheck } from './autograd/gradcheck.js';
export { noGrad } from './autograd/record.js';
export type { Backend } from './backend/backend.js';
export {
  type AsyncBackendFactory,
  availableBackends,
  type BackendFactory,
  type BackendName,
  getBackend,
  ready,
  registerBackend,
  setBackend,
} from './backend/registry.js';
export { setWasmPaths, type WasmInfo, wasmInfo } from './backend/wasm/public.js';
export {
  eye,
  fill,
  ones,
  onesLike,
  randomNormal,
  randomUniform,
  range,
  scalar,
  tensor,
  truncatedNormal,
  zeros,
  zerosLike,
} from './ops/creation.js';
export * as ops from './ops/index.js';
// ---- data: image preprocessing, data iterators, image datasets ----
export * as preprocessing from './preprocessing/index.js';
export type { DType, TypedArray } from './tensor/dtype.js';
export { setSeed } from './tensor/random.js';
export type { Storage, StorageBackend } from './tensor/storage.js';
export { type NestedArray, Tensor, Variable } from './tensor/tensor.js';

// ---- layers, models, summary, applications (layers area) ----
import './layers/builtins.js';

export * as applications from './applications/index.js';
// ---- training: optimizers, losses, metrics, callbacks, datasets, utils.toCategorical (compile/fit/... are Model's own methods) ----
export * as datasets from './datasets/index.js';
export * as activations from './layers/activations/functions.js';
export * as constraints from './layers/constraints.js';
export type { ConfigDict, ConfigValue } from './layers/engine/config.js';
export type { AddWeightOptions, CallArgs, LayerArgs } from './layers/engine/layer.js';
export { clearSession } from './layers/engine/naming.js';
export type { SymbolicShape } from './layers/engine/symbolic.js';
export * as layers from './layers/index.js';
export { Input, InputLayer, Layer, SymbolicTensor } from './layers/index.js';
export * as initializers from './layers/initializers/index.js';
export {
  deserializeLayer,
  getLayerClass,
  registerKerasSerializable,
  registerLayerClass,
  type SerializableOptions,
} from './layers/registry.js';
export * as regularizers from './layers/regularizers.js';
export { type ConfigFormat, serializeLayer } from './layers/serialization.js';
export { Model, type ModelArgs } from './models/functional.js';
export { Sequential, type SequentialArgs } from './models/sequential.js';
export type { SummaryOptions } from './models/summary.js';
export type { BatchInput, DataBatch, DataIterator } from './training/batch-source.js';
export * as callbacks from './training/callbacks/index.js';
export { History } from './training/callbacks/index.js';
export type { CompileArgs } from './training/compile.js';
export type { EvaluateOptions } from './training/evaluate.js';
export type { FitOptions } from './training/fit.js';
export { setTrainingOutput, type TrainingOutput } from './training/io.js';
export * as losses from './training/losses/index.js';
export * as optimizers from './training/optimizers/index.js';
export type { PredictOptions } from './training/predict.js';
// (metrics: the Keras metrics joined with the evaluation area's sklearn-style functions, see below)
export type { ComputeLossArgs, StepData, StepLogs, StepTensors } from './training/step.js';
export type { OnBatchOptions } from './training/trainer.js';
export * as utils from './utils/index.js';

// ---- saving: models.loadModel (model.save/saveWeights/loadWeights are Model's own methods) ----

// ---- ONNX: export (and import) of models, `capa.onnx` (issue 17) ----
export * as onnx from './onnx/index.js';
export type { LoadModelOptions, LoadWeightsOptions, SaveOptions } from './saving/api.js';
export { SavingError } from './saving/errors.js';
export * as models from './saving/models-namespace.js';

// ---- evaluation, pictures, command line (evalcli area) ----
// `metrics` = training's Keras metrics + classificationReport / confusionMatrix / precisionRecallFscoreSupport.
// (The side-effect import starts a separate import chunk, so this block stays in its place.)
import './evaluation/metrics-namespace.js';

export * as metrics from './evaluation/metrics-namespace.js';

// ---- native backend: instruction set and thread controls (native area) ----
// (The side-effect import starts a separate import chunk, so this block stays at the end.)
import './backend/native/public.js';

export type { NativeInfo } from './backend/native/addon.js';
export { nativeInfo, setNumThreads } from './backend/native/public.js';
