/**
 * Keras 3's Trainer: the training API of every Model as ordinary methods. `Model`
 * (models/functional.ts) extends this class, as `keras.Model` extends Keras's Trainer, so a
 * subclass sees `compile`, `fit`, `evaluate`, `predict` and overrides the hooks they call:
 * `trainStep(data)`, `testStep(data)`, `predictStep(data)`, `computeLoss(...)` and `metrics`.
 *
 * The methods take `this` as the Model they are (the loops in fit.ts, evaluate.ts, predict.ts
 * are written against Model); no Trainer exists that is not a Model.
 */
import { noGrad } from '../autograd/record.js';
import type { ConfigDict } from '../layers/engine/config.js';
import { Layer } from '../layers/engine/layer.js';
import type { Model } from '../models/functional.js';
import type { LoadWeightsOptions, SaveOptions } from '../saving/api.js';
import type { Tensor } from '../tensor/tensor.js';
import { isDataRecordFor, isPlainRecord } from './array-data.js';
import type { BatchInput, DataIterator } from './batch-source.js';
import type { History } from './callbacks/history.js';
import { type CompileArgs, CompiledState, compileArgsFromConfig } from './compile.js';
import { type EvaluateOptions, evaluateModel } from './evaluate.js';
import { type FitOptions, fitLoop } from './fit.js';
import type { Metric, MetricDirection } from './metrics/metric.js';
import { beginLoop, type LoopName } from './model-activity.js';
import { compiledState, prepareModel, requireCompiled, setCompiled } from './model-state.js';
import type { Optimizer } from './optimizers/optimizer.js';
import { type PredictOptions, predictOutputs } from './predict.js';
import {
  batchFromStepData,
  type ComputeLossArgs,
  checkTargets,
  compiledLoss,
  defaultTestStep,
  defaultTrainStep,
  type StepData,
  type StepLogs,
  stepDataFromBatch,
  trackedMetrics,
} from './step.js';
import { declareDefaultStep } from './step-hooks.js';
import { readStepLogs } from './step-logs.js';
import { checkCardinality, classWeightToSampleWeight, inputSlots, targetSlots, toTensorList } from './tensor-data.js';

export interface OnBatchOptions {
  sampleWeight?: Tensor;
  classWeight?: Readonly<Record<number, number>>;
  /** Reset the metrics before this batch (default true), so the result covers this batch only. */
  resetMetrics?: boolean;
}

/** The Model a Trainer is (see the file comment). */
function asModel(trainer: Trainer): Model {
  return trainer as unknown as Model;
}

export abstract class Trainer extends Layer {
  /** Set to true (e.g. from a callback) to stop fit after the current batch. */
  stopTraining = false;
  /** The History of the last fit. */
  history: History | null = null;
  /** Epoch the next fit resumes at (set by BackupAndRestore). */
  resumeEpoch: number | null = null;

  /**
   * Configures training: `compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] })`.
   * With no arguments (a custom `trainStep` that computes its own loss) the optimizer is 'rmsprop', as in Keras.
   */
  compile(args: CompileArgs = {}): void {
    setCompiled(asModel(this), new CompiledState(args, outputNames(asModel(this)), 'compile'));
  }

  /** Trains on tensors (`fit(x, y, { epochs, batchSize, validationSplit, callbacks })`); returns the History. */
  fit(x: BatchInput, y: BatchInput, options?: FitOptions): Promise<History>;
  /** Trains from a data iterator yielding [x, y] (or [x, y, sampleWeight]) batches, or on x alone (a custom trainStep). */
  fit(data: BatchInput | DataIterator, options?: FitOptions): Promise<History>;
  fit(x: BatchInput | DataIterator, y?: BatchInput | FitOptions, options?: FitOptions): Promise<History> {
    if (isPlainRecord(y) && !isDataRecordFor(y, asModel(this).outputNames))
      return fitLoop(asModel(this), x, undefined, y as FitOptions);
    return fitLoop(asModel(this), x, y as BatchInput | undefined, options);
  }

  /** Loss and metrics on data: `{ loss, accuracy, ... }`. */
  evaluate(x: BatchInput, y: BatchInput, options?: EvaluateOptions): Promise<Record<string, number>>;
  evaluate(data: BatchInput | DataIterator, options?: EvaluateOptions): Promise<Record<string, number>>;
  evaluate(
    x: BatchInput | DataIterator,
    y?: BatchInput | EvaluateOptions,
    options?: EvaluateOptions,
  ): Promise<Record<string, number>> {
    if (isPlainRecord(y) && !isDataRecordFor(y, asModel(this).outputNames))
      return evaluateModel(asModel(this), x, undefined, y as EvaluateOptions);
    return evaluateModel(asModel(this), x, y as BatchInput | undefined, options);
  }

  /** The outputs for every sample, in batches, without gradients (single-output models). */
  async predict(x: BatchInput | DataIterator, options?: PredictOptions): Promise<Tensor> {
    const outs = await predictOutputs(asModel(this), x, options);
    if (outs.length > 1) {
      throw new Error(
        `predict: model "${this.name}" has ${outs.length} outputs; use predictMulti() to receive one tensor per output.`,
      );
    }
    return outs[0] as Tensor;
  }

  /** predict for models with several outputs: one tensor per output. */
  predictMulti(x: BatchInput | DataIterator, options?: PredictOptions): Promise<Tensor[]> {
    return predictOutputs(asModel(this), x, options);
  }

  // ---- the step hooks fit / evaluate / predict call (override them) ----

  /**
   * One training step on a batch `[x, y, sampleWeight]` (y and sampleWeight may be absent);
   * returns the logged values by name. The default runs the model, `computeLoss`, one
   * optimizer update and the compiled metrics (Keras 3's `train_step`).
   */
  trainStep(data: StepData): StepLogs {
    const model = asModel(this);
    return defaultTrainStep(model, requireCompiled(model), batchFromStepData(data, 'trainStep'));
  }

  /** One evaluation step: loss and metrics, nothing updated (Keras 3's `test_step`). */
  testStep(data: StepData): StepLogs {
    const model = asModel(this);
    return defaultTestStep(model, requireCompiled(model), batchFromStepData(data, 'testStep'));
  }

  /** The outputs for one batch of inputs (Keras 3's `predict_step`): the model called with training false. */
  predictStep(data: StepData): Tensor | Tensor[] {
    const { xs } = batchFromStepData(data, 'predictStep');
    const outs = this.applyMulti(xs, { training: false });
    return outs.length === 1 ? (outs[0] as Tensor) : outs;
  }

  /**
   * The total loss of a batch: the compiled losses of the outputs plus the layers' losses
   * (regularization and `addLoss`). Records gradients when called inside a gradient scope.
   */
  computeLoss(args: ComputeLossArgs): Tensor {
    const model = asModel(this);
    return compiledLoss(model, requireCompiled(model), args);
  }

  /**
   * The metrics fit resets each epoch and logs: the loss tracker, the compiled metrics (once the
   * first batch has built them), and the Metric objects held in this model's and its layers'
   * properties. Override to name your own trackers (Keras's `metrics` property).
   */
  get metrics(): Metric[] {
    const state = compiledState(asModel(this));
    const out: Metric[] = state ? [state.lossTracker, ...state.allMetrics()] : [];
    for (const m of trackedMetrics(this)) if (!out.includes(m)) out.push(m);
    return out;
  }

  /** Resets every metric in `metrics` (fit does at the start of each epoch). */
  resetMetrics(): void {
    compiledState(asModel(this))?.resetMetrics();
    for (const m of this.metrics) m.resetState();
  }

  // ---- one batch ----

  /** One optimizer update on one batch; returns the logs (`loss` and metrics). */
  async trainOnBatch(x: BatchInput, y: BatchInput, options: OnBatchOptions = {}): Promise<Record<string, number>> {
    // The step runs now; only reading its logs may wait (a backend without synchronous reads).
    return readStepLogs(
      whileRunning(asModel(this), 'trainOnBatch', () =>
        this.trainStep(onBatchData(asModel(this), x, y, options, 'trainOnBatch')),
      ),
    );
  }

  /** Loss and metrics on one batch, no update. */
  async testOnBatch(
    x: BatchInput,
    y: BatchInput,
    options: Omit<OnBatchOptions, 'classWeight'> = {},
  ): Promise<Record<string, number>> {
    return readStepLogs(
      whileRunning(asModel(this), 'testOnBatch', () => this.testStep(onBatchData(asModel(this), x, y, options, 'testOnBatch'))),
    );
  }

  /** The outputs for one batch (no batching, no gradients). */
  predictOnBatch(x: BatchInput): Tensor {
    const xs = toTensorList(x, 'x', 'predictOnBatch', inputSlots(asModel(this)));
    prepareModel(asModel(this), xs, 'predictOnBatch');
    const outs = noGrad(() => this.predictStep(stepDataFromBatch({ xs, ys: [], sampleWeight: null })));
    if (Array.isArray(outs)) {
      throw new Error(`predictOnBatch: model "${this.name}" has ${outs.length} outputs; use model.applyMulti(x).`);
    }
    return outs;
  }

  // ---- saving ----
  // The saving area loads on first use: it is file and HDF5 code a model that is never saved does
  // not need, and it imports the model classes (a static import here would be a cycle). So these
  // are ordinary methods, present whatever was imported, with nothing attached by an import.

  /**
   * Saves the model: `.keras` (Keras 3, recommended), `.h5` (legacy Keras 2 HDF5), or a folder /
   * `model.json` (TensorFlow.js layers format). Written atomically.
   */
  async save(path: string, options?: SaveOptions): Promise<void> {
    const { saveModel } = await import('../saving/api.js');
    return saveModel(asModel(this), path, options);
  }

  /** Saves the weights: `.weights.h5` (Keras 3 layout, optimizer state included) or `.h5` (Keras 2 layout). */
  async saveWeights(path: string, options?: SaveOptions): Promise<void> {
    const { saveWeights } = await import('../saving/api.js');
    return saveWeights(asModel(this), path, options);
  }

  /** Loads weights from `.weights.h5`, `.h5` (by position, or `byName`), or `.keras`. */
  async loadWeights(path: string, options?: LoadWeightsOptions): Promise<void> {
    const { loadWeights } = await import('../saving/api.js');
    return loadWeights(asModel(this), path, options);
  }

  // ---- state callbacks and saving read ----

  /** The compiled optimizer (null before compile). */
  get optimizer(): Optimizer | null {
    return compiledState(asModel(this))?.optimizer ?? null;
  }

  /** Whether compile() was called. */
  get compiled(): boolean {
    return compiledState(asModel(this)) !== null;
  }

  /** Names of the logged values: 'loss' then the metrics (after the first batch). */
  get metricsNames(): string[] {
    const state = compiledState(asModel(this));
    return state ? ['loss', ...state.allMetrics().map((m) => m.name)] : [];
  }

  /** Direction of a compiled metric ('up' for accuracy), for callbacks in mode 'auto'. */
  metricDirection(name: string): MetricDirection {
    const state = compiledState(asModel(this));
    const fromState = state?.metricDirection(name) ?? null;
    if (fromState !== null) return fromState;
    return this.metrics.find((m) => m.name === name)?.direction ?? null;
  }

  /** Keras 3's compile_config (the compile arguments, serialized), or null before compile. */
  getCompileConfig(): ConfigDict | null {
    return compiledState(asModel(this))?.config ?? null;
  }

  /** Compiles from a saved compile_config (Keras 3 or Keras 2 layout). */
  compileFromConfig(config: ConfigDict): void {
    this.compile(compileArgsFromConfig(config));
  }
}

declareDefaultStep('trainStep', Trainer.prototype.trainStep);
declareDefaultStep('testStep', Trainer.prototype.testStep);
declareDefaultStep('predictStep', Trainer.prototype.predictStep);

/** Output names for compile: the graph's output layers, or one output for a model not built yet. */
function outputNames(model: Model): string[] {
  if (model.outputs.length > 0) return model.outputNames;
  // a Sequential not built yet has one output, its last layer; a subclassed model one output
  const last = model.layers[model.layers.length - 1];
  return [last?.name ?? 'output'];
}

/** The batch of trainOnBatch / testOnBatch as step data, checked like fit checks its data. */
function onBatchData(model: Model, x: BatchInput, y: BatchInput, options: OnBatchOptions, where: string): StepData {
  const xs = toTensorList(x, 'x', where, inputSlots(model));
  const ys = toTensorList(y, 'y', where, targetSlots(model));
  let sw = options.sampleWeight ?? null;
  checkCardinality(where, [
    { name: 'x', tensors: xs },
    { name: 'y', tensors: ys },
    ...(sw ? [{ name: 'sampleWeight', tensors: [sw] }] : []),
  ]);
  if (options.classWeight) {
    if (sw) throw new Error(`${where}: you cannot use classWeight and sampleWeight at the same time.`);
    sw = classWeightToSampleWeight(ys[0] as Tensor, options.classWeight, where);
  }
  const state = requireCompiled(model);
  checkTargets(state, { xs, ys, sampleWeight: sw }, prepareModel(model, xs, where), where);
  if (options.resetMetrics ?? true) model.resetMetrics();
  return stepDataFromBatch({ xs, ys, sampleWeight: sw });
}

/** Runs a one-batch method, refused (model-activity.ts) while a loop on the model would interleave with it. */
function whileRunning<T>(model: Model, loop: LoopName, run: () => T): T {
  const release = beginLoop(model, loop);
  try {
    return run();
  } finally {
    release();
  }
}
