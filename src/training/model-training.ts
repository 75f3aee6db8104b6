/**
 * Adds Keras's training API to every Model (functional and Sequential) by prototype
 * augmentation and declaration merging, as ops/chain.ts does for Tensor: compile, fit,
 * evaluate, predict, trainOnBatch, testOnBatch, predictOnBatch, plus the state callbacks and the
 * saving module use (optimizer, stopTraining, getCompileConfig, compileFromConfig).
 * Imported for its side effect by src/index.ts.
 */
import { noGrad } from '../autograd/record.js';
import type { ConfigDict } from '../layers/engine/config.js';
import { Model } from '../models/functional.js';
import type { Tensor } from '../tensor/tensor.js';
import { isDataRecordFor, isPlainRecord } from './array-data.js';
import type { BatchInput, DataIterator } from './batch-source.js';
import type { History } from './callbacks/history.js';
import { type CompileArgs, CompiledState, compileArgsFromConfig } from './compile.js';
import { type EvaluateOptions, evaluateModel } from './evaluate.js';
import { type FitOptions, fitLoop } from './fit.js';
import type { MetricDirection } from './metrics/metric.js';
import { beginLoop, type LoopName } from './model-activity.js';
import { compiledState, prepareModel, requireCompiled, setCompiled } from './model-state.js';
import type { Optimizer } from './optimizers/optimizer.js';
import { type PredictOptions, predictOutputs } from './predict.js';
import { checkTargets, forward, testStep, trainStep } from './step.js';
import { checkCardinality, classWeightToSampleWeight, inputSlots, targetSlots, toTensorList } from './tensor-data.js';

export interface OnBatchOptions {
  sampleWeight?: Tensor;
  classWeight?: Readonly<Record<number, number>>;
  /** Reset the metrics before this batch (default true), so the result covers this batch only. */
  resetMetrics?: boolean;
}

declare module '../models/functional.js' {
  interface Model {
    /** Configures training: `compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] })`. */
    compile(args: CompileArgs): void;
    /** Trains on tensors (`fit(x, y, { epochs, batchSize, validationSplit, callbacks })`); returns the History. */
    fit(x: BatchInput, y: BatchInput, options?: FitOptions): Promise<History>;
    /** Trains from a data iterator yielding [x, y] (or [x, y, sampleWeight]) batches. */
    fit(data: DataIterator, options?: FitOptions): Promise<History>;
    /** Loss and metrics on data: `{ loss, accuracy, ... }`. */
    evaluate(x: BatchInput, y: BatchInput, options?: EvaluateOptions): Promise<Record<string, number>>;
    evaluate(data: DataIterator, options?: EvaluateOptions): Promise<Record<string, number>>;
    /** The outputs for every sample, in batches, without gradients (single-output models). */
    predict(x: BatchInput | DataIterator, options?: PredictOptions): Promise<Tensor>;
    /** predict for models with several outputs: one tensor per output. */
    predictMulti(x: BatchInput | DataIterator, options?: PredictOptions): Promise<Tensor[]>;
    /** One optimizer update on one batch; returns the logs (`loss` and metrics). */
    trainOnBatch(x: BatchInput, y: BatchInput, options?: OnBatchOptions): Promise<Record<string, number>>;
    /** Loss and metrics on one batch, no update. */
    testOnBatch(x: BatchInput, y: BatchInput, options?: Omit<OnBatchOptions, 'classWeight'>): Promise<Record<string, number>>;
    /** The outputs for one batch (no batching, no gradients). */
    predictOnBatch(x: BatchInput): Tensor;
    /** The compiled optimizer (null before compile). */
    readonly optimizer: Optimizer | null;
    /** Whether compile() was called. */
    readonly compiled: boolean;
    /** Names of the logged values: 'loss' then the metrics (after the first batch). */
    readonly metricsNames: string[];
    /** Set to true (e.g. from a callback) to stop fit after the current batch. */
    stopTraining: boolean;
    /** The History of the last fit. */
    history: History | null;
    /** Epoch the next fit resumes at (set by BackupAndRestore). */
    resumeEpoch: number | null;
    /** Direction of a compiled metric ('up' for accuracy), for callbacks in mode 'auto'. */
    metricDirection(name: string): MetricDirection;
    /** Keras 3's compile_config (the compile arguments, serialized), or null before compile. */
    getCompileConfig(): ConfigDict | null;
    /** Compiles from a saved compile_config (Keras 3 or Keras 2 layout). */
    compileFromConfig(config: ConfigDict): void;
  }
}

function outputNames(model: Model): string[] {
  if (model.outputs.length > 0) return model.outputNames;
  // a Sequential not built yet has one output: its last layer
  const last = model.layers[model.layers.length - 1];
  return [last?.name ?? 'output'];
}

Object.defineProperties(Model.prototype, {
  optimizer: {
    get(this: Model) {
      return compiledState(this)?.optimizer ?? null;
    },
    configurable: true,
  },
  compiled: {
    get(this: Model) {
      return compiledState(this) !== null;
    },
    configurable: true,
  },
  metricsNames: {
    get(this: Model) {
      const state = compiledState(this);
      return state ? ['loss', ...state.allMetrics().map((m) => m.name)] : [];
    },
    configurable: true,
  },
});
Model.prototype.stopTraining = false;
Model.prototype.history = null;
Model.prototype.resumeEpoch = null;

Model.prototype.compile = function compile(this: Model, args: CompileArgs): void {
  setCompiled(this, new CompiledState(args, outputNames(this), 'compile'));
};

Model.prototype.fit = function fit(
  this: Model,
  x: BatchInput | DataIterator,
  y?: BatchInput | FitOptions,
  options?: FitOptions,
): Promise<History> {
  if (isPlainRecord(y) && !isDataRecordFor(y, this.outputNames)) return fitLoop(this, x, undefined, y as FitOptions);
  return fitLoop(this, x, y as BatchInput | undefined, options);
} as Model['fit'];

Model.prototype.evaluate = function evaluate(
  this: Model,
  x: BatchInput | DataIterator,
  y?: BatchInput | EvaluateOptions,
  options?: EvaluateOptions,
): Promise<Record<string, number>> {
  if (isPlainRecord(y) && !isDataRecordFor(y, this.outputNames)) return evaluateModel(this, x, undefined, y as EvaluateOptions);
  return evaluateModel(this, x, y as BatchInput | undefined, options);
} as Model['evaluate'];

Model.prototype.predict = async function predict(
  this: Model,
  x: BatchInput | DataIterator,
  options?: PredictOptions,
): Promise<Tensor> {
  if (this.outputs.length > 1) {
    throw new Error(
      `predict: model "${this.name}" has ${this.outputs.length} outputs; use predictMulti() to receive one tensor per output.`,
    );
  }
  return (await predictOutputs(this, x, options))[0] as Tensor;
};

Model.prototype.predictMulti = function predictMulti(
  this: Model,
  x: BatchInput | DataIterator,
  options?: PredictOptions,
): Promise<Tensor[]> {
  return predictOutputs(this, x, options);
};

/** The batch as lists, checked like fit checks its data. */
function onBatchData(model: Model, x: BatchInput, y: BatchInput, options: OnBatchOptions, where: string) {
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
  const batch = { xs, ys, sampleWeight: sw };
  checkTargets(state, batch, prepareModel(model, xs, where), where);
  if (options.resetMetrics ?? true) state.resetMetrics();
  return { state, batch };
}

Model.prototype.trainOnBatch = async function trainOnBatch(
  this: Model,
  x: BatchInput,
  y: BatchInput,
  options: OnBatchOptions = {},
): Promise<Record<string, number>> {
  return whileRunning(this, 'trainOnBatch', () => {
    const { state, batch } = onBatchData(this, x, y, options, 'trainOnBatch');
    trainStep(this, state, batch);
    return state.logs();
  });
};

Model.prototype.testOnBatch = async function testOnBatch(
  this: Model,
  x: BatchInput,
  y: BatchInput,
  options: Omit<OnBatchOptions, 'classWeight'> = {},
): Promise<Record<string, number>> {
  return whileRunning(this, 'testOnBatch', () => {
    const { state, batch } = onBatchData(this, x, y, options, 'testOnBatch');
    testStep(this, state, batch);
    return state.logs();
  });
};

Model.prototype.predictOnBatch = function predictOnBatch(this: Model, x: BatchInput): Tensor {
  const xs = toTensorList(x, 'x', 'predictOnBatch', inputSlots(this));
  prepareModel(this, xs, 'predictOnBatch');
  const outs = noGrad(() => forward(this, xs, false));
  if (outs.length > 1)
    throw new Error(`predictOnBatch: model "${this.name}" has ${outs.length} outputs; use model.applyMulti(x).`);
  return outs[0] as Tensor;
};

Model.prototype.metricDirection = function metricDirection(this: Model, name: string): MetricDirection {
  return compiledState(this)?.metricDirection(name) ?? null;
};

Model.prototype.getCompileConfig = function getCompileConfig(this: Model): ConfigDict | null {
  return compiledState(this)?.config ?? null;
};

Model.prototype.compileFromConfig = function compileFromConfig(this: Model, config: ConfigDict): void {
  this.compile(compileArgsFromConfig(config));
};

/** Runs a one-batch method, refused (model-activity.ts) while a loop on the model would interleave with it. */
function whileRunning<T>(model: Model, loop: LoopName, run: () => T): T {
  const release = beginLoop(model, loop);
  try {
    return run();
  } finally {
    release();
  }
}
