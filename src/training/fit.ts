/**
 * model.fit: the epoch loop over in-memory tensors or a data iterator, with validation,
 * callbacks (ProgbarLogger first and History last, as Keras 2 orders them) and every input
 * checked before the first step.
 */
import type { Model } from '../models/functional.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkDataArgument, optionsObject } from './arguments.js';
import { type Batch, type BatchInput, type DataIterator, IteratorBatches, isDataIterator } from './batch-source.js';
import type { Callback, CallbackModel, Logs } from './callbacks/callback.js';
import { CallbackList } from './callbacks/callback-list.js';
import { History } from './callbacks/history.js';
import { ProgbarLogger } from './callbacks/progbar-logger.js';
import type { CompiledState } from './compile.js';
import { type EvaluationData, evaluateLoop } from './evaluate.js';
import { EventLoopTurns } from './event-loop.js';
import { warn } from './io.js';
import { noPredictRunning, runExclusive } from './model-activity.js';
import { prepareModel, requireCompiled } from './model-state.js';
import { checkLabelValues, checkTargets, stepDataFromBatch } from './step.js';
import { usesDefaultStep } from './step-hooks.js';
import { readStepLogs } from './step-logs.js';
import {
  batchSlots,
  checkCardinality,
  classWeightToSampleWeight,
  inputSlots,
  splitForValidation,
  TensorBatches,
  targetSlots,
  toTensorList,
} from './tensor-data.js';

export type Verbose = 0 | 1 | 2 | 'auto';

export interface FitOptions {
  epochs?: number;
  batchSize?: number;
  verbose?: Verbose;
  callbacks?: Callback[];
  /** The last fraction of x/y (before shuffling) becomes validation data. */
  validationSplit?: number;
  /** [x, y], [x, y, sampleWeight], or a data iterator. */
  validationData?: readonly [BatchInput, BatchInput] | readonly [BatchInput, BatchInput, Tensor | null] | DataIterator;
  /** Shuffle the training samples every epoch (tensors only). Default true. */
  shuffle?: boolean;
  /** Weight of each class's samples in the loss (by class index). */
  classWeight?: Readonly<Record<number, number>>;
  /** One weight per training sample. */
  sampleWeight?: Tensor;
  /** Epoch to start at (the epochs count includes the skipped ones, as in Keras). */
  initialEpoch?: number;
  /** Batches per epoch (required for infinite iterators). */
  stepsPerEpoch?: number;
  /** Validation batches per evaluation (iterators). */
  validationSteps?: number;
  validationBatchSize?: number;
  /** Validate every N epochs. */
  validationFreq?: number;
}

export function resolveVerbose(verbose: Verbose | undefined): 0 | 1 | 2 {
  if (verbose === undefined || verbose === 'auto') return 1;
  if (verbose !== 0 && verbose !== 1 && verbose !== 2)
    throw new Error(`verbose must be 0, 1, 2 or 'auto', received ${String(verbose)}.`);
  return verbose;
}

function positiveInt(value: number | undefined, name: string, fallback: number): number {
  const v = value ?? fallback;
  if (!(Number.isInteger(v) && v > 0)) throw new Error(`fit: ${name} must be a positive integer, received ${value}.`);
  return v;
}

const FIT_OPTIONS = new Set([
  'epochs',
  'batchSize',
  'verbose',
  'callbacks',
  'validationSplit',
  'validationData',
  'shuffle',
  'classWeight',
  'sampleWeight',
  'initialEpoch',
  'stepsPerEpoch',
  'validationSteps',
  'validationBatchSize',
  'validationFreq',
]);

/** Training data as batches: in-memory tensors or an iterator. */
interface TrainingData {
  stepsPerEpoch: number | null;
  /** Returns the epoch's batch source: null ends the epoch (or, with known steps, training). */
  startEpoch(): (step: number) => Promise<Batch | null>;
  /** The first batch, for checks before any step. */
  firstBatch(): Promise<Batch | null>;
  isIterator: boolean;
  /** The in-memory targets (empty for iterators), checked before the first step. */
  targets: Tensor[];
}

function tensorTrainingData(
  model: Model,
  x: BatchInput,
  y: BatchInput | undefined,
  options: FitOptions,
  where: string,
): { data: TrainingData; validation: EvaluationData | null } {
  let xs = toTensorList(x, 'x', where, inputSlots(model));
  let ys = y === undefined ? [] : toTensorList(y, 'y', where, targetSlots(model));
  let sw = options.sampleWeight ?? null;
  checkCardinality(where, [
    { name: 'x', tensors: xs },
    { name: 'y', tensors: ys },
    ...(sw ? [{ name: 'sampleWeight', tensors: [sw] }] : []),
  ]);
  if (options.classWeight) {
    if (sw) throw new Error(`${where}: you cannot use classWeight and sampleWeight at the same time.`);
    if (ys.length > 1) throw new Error(`${where}: classWeight is only supported for models with a single output.`);
    sw = classWeightToSampleWeight(ys[0] as Tensor, options.classWeight, where);
  }
  let validation: EvaluationData | null = null;
  if (options.validationSplit) {
    if (options.validationData) warn(`${where}: both validationData and validationSplit were given; validationData is used.`);
    else {
      const split = splitForValidation(xs, ys, sw, options.validationSplit, where);
      [xs, ys, sw] = split.train;
      const [vx, vy, vsw] = split.validation;
      validation = {
        kind: 'tensors',
        batches: new TensorBatches(vx, vy, vsw, options.validationBatchSize ?? options.batchSize ?? 32),
      };
    }
  }
  const batches = new TensorBatches(xs, ys, sw, positiveInt(options.batchSize, 'batchSize', 32));
  const shuffle = options.shuffle ?? true;
  const steps =
    options.stepsPerEpoch !== undefined
      ? Math.min(positiveInt(options.stepsPerEpoch, 'stepsPerEpoch', 1), batches.steps)
      : batches.steps;
  return {
    data: {
      stepsPerEpoch: steps,
      isIterator: false,
      targets: ys,
      startEpoch: () => {
        const order = batches.epochOrder(shuffle);
        return async (step) => (step < steps ? batches.batch(step, order) : null);
      },
      firstBatch: async () => batches.batch(0, null),
    },
    validation,
  };
}

function iteratorTrainingData(model: Model, source: DataIterator, options: FitOptions, where: string): TrainingData {
  for (const key of ['sampleWeight', 'classWeight', 'validationSplit'] as const) {
    if (options[key] !== undefined) {
      throw new Error(
        `${where}: ${key} is not supported when training from an iterator; yield [x, y, sampleWeight] batches instead.`,
      );
    }
  }
  const batches = new IteratorBatches(source, where, true, batchSlots(model));
  const steps = batches.stepsPerPass(options.stepsPerEpoch);
  let peeked: Batch | null = null;
  return {
    stepsPerEpoch: steps,
    isIterator: true,
    targets: [],
    startEpoch: () => async (step) => {
      if (steps !== null && step >= steps) return null;
      if (peeked) {
        const b = peeked;
        peeked = null;
        return b;
      }
      return batches.next(step === 0);
    },
    firstBatch: async () => {
      peeked = await batches.next(true);
      return peeked;
    },
  };
}

function validationDataFrom(model: Model, options: FitOptions, where: string): EvaluationData | null {
  const v = options.validationData;
  if (v === undefined || v === null) return null;
  if (isDataIterator(v))
    return {
      kind: 'iterator',
      batches: new IteratorBatches(v, `${where} (validationData)`, true, batchSlots(model)),
      steps: options.validationSteps,
    };
  if (!Array.isArray(v) || v.length < 2 || v.length > 3) {
    throw new Error(`${where}: validationData must be [x, y], [x, y, sampleWeight] or a data iterator.`);
  }
  const vxs = toTensorList(v[0] as BatchInput, 'validationData x', where, inputSlots(model));
  const vys = toTensorList(v[1] as BatchInput, 'validationData y', where, targetSlots(model));
  const vsw = (v[2] as Tensor | null | undefined) ?? null;
  checkCardinality(`${where} (validationData)`, [
    { name: 'x', tensors: vxs },
    { name: 'y', tensors: vys },
    ...(vsw ? [{ name: 'sampleWeight', tensors: [vsw] }] : []),
  ]);
  return { kind: 'tensors', batches: new TensorBatches(vxs, vys, vsw, options.validationBatchSize ?? options.batchSize ?? 32) };
}

const FIT_USAGE = 'model.fit(x, y, { epochs, batchSize }) or model.fit(iterator, { epochs })';

/**
 * Trains the model. Between batches the event loop gets a turn (event-loop.ts), so other calls
 * on the model could start meanwhile; model-activity.ts refuses those that would interleave.
 */
export async function fitLoop(
  model: Model,
  x: BatchInput | DataIterator,
  y: BatchInput | undefined,
  givenOptions?: FitOptions,
): Promise<History> {
  const where = 'fit';
  checkDataArgument(x, where, FIT_USAGE);
  const options = optionsObject(givenOptions, where, FIT_USAGE);
  return runExclusive(model, 'fit', () => runFit(model, x, y, options));
}

async function runFit(
  model: Model,
  x: BatchInput | DataIterator,
  y: BatchInput | undefined,
  options: FitOptions,
): Promise<History> {
  const where = 'fit';
  for (const key of Object.keys(options)) {
    if (!FIT_OPTIONS.has(key)) {
      // fit(x, yRecord) with a key that is not an output name lands here: say so
      const byName =
        y === undefined && model.outputs.length > 0
          ? ` To pass targets by output name, use the model's output names: ${model.outputNames.join(', ')}.`
          : '';
      throw new Error(`${where}: unknown option '${key}'. Known options: ${[...FIT_OPTIONS].join(', ')}.${byName}`);
    }
  }
  const state: CompiledState = requireCompiled(model);
  const epochs = positiveInt(options.epochs, 'epochs', 1);
  const verbose = resolveVerbose(options.verbose);
  const initialEpoch = options.initialEpoch ?? 0;
  if (!(Number.isInteger(initialEpoch) && initialEpoch >= 0))
    throw new Error(`${where}: initialEpoch must be an integer >= 0, received ${initialEpoch}.`);
  const validationFreq = positiveInt(options.validationFreq, 'validationFreq', 1);

  let data: TrainingData;
  let validation: EvaluationData | null = validationDataFrom(model, options, where);
  if (isDataIterator(x)) {
    if (y !== undefined)
      throw new Error(`${where}: when x is a data iterator, do not pass y; the iterator yields [x, y] batches.`);
    data = iteratorTrainingData(model, x, options, where);
  } else {
    // Without y, the step gets [x] alone (a custom trainStep such as a GAN's); the default step
    // refuses it when a loss was compiled.
    if (y === undefined && usesDefaultStep(model, 'trainStep') && state.outputs.some((o) => o.loss))
      throw new Error(`${where}: y (the targets) is required when x is a Tensor: model.fit(x, y, { epochs }).`);
    const prepared = tensorTrainingData(model, x, y, options, where);
    data = prepared.data;
    validation ??= prepared.validation;
  }

  // everything checkable is checked before the first step
  const first = await data.firstBatch();
  if (first === null) throw new Error(`${where}: the training data yielded no batches.`);
  const outputShapes = prepareModel(model, first.xs, where);
  // a custom trainStep decides what its targets are
  const defaultStep = usesDefaultStep(model, 'trainStep');
  if (defaultStep) checkTargets(state, first, outputShapes, where);
  if (defaultStep && !data.isIterator) checkLabelValues(state, data.targets, outputShapes);

  const history = new History();
  const cbs: Callback[] = [];
  if (verbose > 0) cbs.push(new ProgbarLogger());
  cbs.push(...(options.callbacks ?? []));
  cbs.push(history);
  const callbackModel = model as unknown as CallbackModel;
  const list = new CallbackList(cbs, callbackModel, { epochs, steps: data.stepsPerEpoch, verbose });
  const batchBegin = list.has('onTrainBatchBegin');
  const batchEnd = list.has('onTrainBatchEnd');
  const turns = new EventLoopTurns();

  model.stopTraining = false;
  await list.phase('onTrainBegin');
  const startEpoch = callbackModel.resumeEpoch ?? initialEpoch;
  let epochLogs: Logs = {};
  let stepLogs: Logs = {};
  let ranOut = false;
  for (let epoch = startEpoch; epoch < epochs && !ranOut; epoch++) {
    model.resetMetrics();
    await list.epoch('onEpochBegin', epoch);
    const nextBatch = data.startEpoch();
    let step = 0;
    for (;;) {
      const batch = await nextBatch(step);
      if (batch === null) {
        if (data.isIterator && (step === 0 || (data.stepsPerEpoch !== null && step < data.stepsPerEpoch))) {
          const needed =
            data.stepsPerEpoch === null
              ? 'one pass per epoch'
              : `stepsPerEpoch * epochs batches (${data.stepsPerEpoch} * ${epochs} = ${data.stepsPerEpoch * epochs})`;
          warn(
            `Your input ran out of data; interrupting training. Make sure that your dataset or generator can generate at least ${needed}; it gave ${step} batch${step === 1 ? '' : 'es'} in epoch ${epoch + 1}. You may need to restart or repeat the iterator.`,
          );
          ranOut = true;
        }
        break;
      }
      if (batchBegin) await list.batch('onTrainBatchBegin', step);
      if (step === 0 && data.isIterator && defaultStep) checkTargets(state, batch, outputShapes, where);
      // A predict started meanwhile (from a callback or elsewhere) finishes on the current weights.
      const predicting = noPredictRunning(model);
      if (predicting) await predicting;
      stepLogs = await readStepLogs(model.trainStep(stepDataFromBatch(batch)));
      if (batchEnd) await list.batch('onTrainBatchEnd', step, { ...stepLogs });
      step++;
      if (model.stopTraining) break;
      await turns.maybeYield();
    }
    if (step === 0 && ranOut) break;
    epochLogs = { ...stepLogs };
    if (validation && (epoch + 1) % validationFreq === 0) {
      const valLogs = await evaluateLoop(model, state, validation, list, `${where} (validation)`);
      for (const [k, v] of Object.entries(valLogs)) epochLogs[`val_${k}`] = v;
    }
    await list.epoch('onEpochEnd', epoch, epochLogs);
    if (model.stopTraining) break;
  }
  await list.phase('onTrainEnd', epochLogs);
  (model as Model & { history: History | null }).history = history;
  return history;
}
