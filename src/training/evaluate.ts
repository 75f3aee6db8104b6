/** model.evaluate and the validation pass of fit: loss and metrics over data, nothing updated. */
import type { Model } from '../models/functional.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkDataArgument, optionsObject } from './arguments.js';
import { type BatchInput, type DataIterator, IteratorBatches, isDataIterator } from './batch-source.js';
import type { Callback, CallbackModel, Logs } from './callbacks/callback.js';
import { CallbackList } from './callbacks/callback-list.js';
import { ProgbarLogger } from './callbacks/progbar-logger.js';
import type { CompiledState } from './compile.js';
import { EventLoopTurns } from './event-loop.js';
import { resolveVerbose, type Verbose } from './fit.js';
import { warn } from './io.js';
import { runExclusive } from './model-activity.js';
import { prepareModel, requireCompiled } from './model-state.js';
import { checkLabelValues, checkTargets, stepDataFromBatch } from './step.js';
import { usesDefaultStep } from './step-hooks.js';
import { readStepLogs } from './step-logs.js';
import { batchSlots, checkCardinality, inputSlots, TensorBatches, targetSlots, toTensorList } from './tensor-data.js';

export type EvaluationData =
  | { kind: 'tensors'; batches: TensorBatches }
  | { kind: 'iterator'; batches: IteratorBatches; steps: number | undefined };

export interface EvaluateOptions {
  batchSize?: number;
  verbose?: Verbose;
  sampleWeight?: Tensor;
  /** Batches to evaluate (iterators; required for infinite ones). */
  steps?: number;
  callbacks?: Callback[];
}

/** Runs the test steps over the data with the test hooks; returns the logs (metrics reset first). */
export async function evaluateLoop(
  model: Model,
  state: CompiledState,
  data: EvaluationData,
  list: CallbackList,
  where: string,
): Promise<Logs> {
  model.resetMetrics();
  await list.phase('onTestBegin');
  let logs: Logs = await readStepLogs(state.logs());
  const defaultStep = usesDefaultStep(model, 'testStep');
  const batchBegin = list.has('onTestBatchBegin');
  const batchEnd = list.has('onTestBatchEnd');
  const turns = new EventLoopTurns();
  if (data.kind === 'tensors') {
    for (let step = 0; step < data.batches.steps; step++) {
      if (batchBegin) await list.batch('onTestBatchBegin', step);
      logs = await readStepLogs(model.testStep(stepDataFromBatch(data.batches.batch(step, null))));
      if (batchEnd) await list.batch('onTestBatchEnd', step, { ...logs });
      await turns.maybeYield();
    }
  } else {
    const steps = data.batches.stepsPerPass(data.steps);
    data.batches.startFresh();
    let step = 0;
    for (; steps === null || step < steps; step++) {
      const batch = await data.batches.next(false);
      if (batch === null) break;
      if (step === 0) {
        const outputShapes = prepareModel(model, batch.xs, where);
        if (defaultStep) checkTargets(state, batch, outputShapes, where);
      }
      if (batchBegin) await list.batch('onTestBatchBegin', step);
      logs = await readStepLogs(model.testStep(stepDataFromBatch(batch)));
      if (batchEnd) await list.batch('onTestBatchEnd', step, { ...logs });
      await turns.maybeYield();
    }
    if (step === 0) throw new Error(`${where}: the data iterator yielded no batches.`);
    if (steps !== null && step < steps) {
      warn(`${where}: your input ran out of data after ${step} of ${steps} steps; the results cover the batches seen.`);
    }
  }
  await list.phase('onTestEnd', logs);
  return logs;
}

const EVALUATE_USAGE = 'model.evaluate(x, y, { batchSize }) or model.evaluate(iterator)';

export async function evaluateModel(
  model: Model,
  x: BatchInput | DataIterator,
  y: BatchInput | undefined,
  givenOptions?: EvaluateOptions,
): Promise<Record<string, number>> {
  const where = 'evaluate';
  checkDataArgument(x, where, EVALUATE_USAGE);
  const options = optionsObject(givenOptions, where, EVALUATE_USAGE);
  return runExclusive(model, 'evaluate', () => runEvaluate(model, x, y, options));
}

async function runEvaluate(
  model: Model,
  x: BatchInput | DataIterator,
  y: BatchInput | undefined,
  options: EvaluateOptions,
): Promise<Record<string, number>> {
  const where = 'evaluate';
  const state = requireCompiled(model);
  const verbose = resolveVerbose(options.verbose);
  let data: EvaluationData;
  if (isDataIterator(x)) {
    if (y !== undefined)
      throw new Error(`${where}: when x is a data iterator, do not pass y; the iterator yields [x, y] batches.`);
    data = { kind: 'iterator', batches: new IteratorBatches(x, where, true, batchSlots(model)), steps: options.steps };
  } else {
    const defaultStep = usesDefaultStep(model, 'testStep');
    if (y === undefined && defaultStep && state.outputs.some((o) => o.loss))
      throw new Error(`${where}: y (the targets) is required when x is a Tensor: model.evaluate(x, y).`);
    const xs = toTensorList(x, 'x', where, inputSlots(model));
    const ys = y === undefined ? [] : toTensorList(y, 'y', where, targetSlots(model));
    const sw = options.sampleWeight ?? null;
    checkCardinality(where, [
      { name: 'x', tensors: xs },
      { name: 'y', tensors: ys },
      ...(sw ? [{ name: 'sampleWeight', tensors: [sw] }] : []),
    ]);
    const batchSize = options.batchSize ?? 32;
    if (!(Number.isInteger(batchSize) && batchSize > 0))
      throw new Error(`${where}: batchSize must be a positive integer, received ${batchSize}.`);
    const batches = new TensorBatches(xs, ys, sw, batchSize);
    const first = batches.batch(0, null);
    const outputShapes = prepareModel(model, first.xs, where);
    if (defaultStep) {
      checkTargets(state, first, outputShapes, where);
      checkLabelValues(state, ys, outputShapes);
    }
    data = { kind: 'tensors', batches };
  }
  const steps = data.kind === 'tensors' ? data.batches.steps : data.batches.stepsPerPass(data.steps);
  const cbs: Callback[] = [...(verbose > 0 ? [new ProgbarLogger()] : []), ...(options.callbacks ?? [])];
  const list = new CallbackList(cbs, model as unknown as CallbackModel, { steps, verbose });
  return evaluateLoop(model, state, data, list, where);
}
