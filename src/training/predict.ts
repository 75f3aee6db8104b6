/** model.predict: outputs for every sample, computed in batches without recording gradients. */
import { noGrad } from '../autograd/record.js';
import type { Model } from '../models/functional.js';
import * as ops from '../ops/index.js';
import { Tensor } from '../tensor/tensor.js';
import { checkDataArgument, optionsObject } from './arguments.js';
import { type BatchInput, type DataIterator, IteratorBatches, isDataIterator } from './batch-source.js';
import type { Callback, CallbackModel } from './callbacks/callback.js';
import { CallbackList } from './callbacks/callback-list.js';
import { ProgbarLogger } from './callbacks/progbar-logger.js';
import { EventLoopTurns } from './event-loop.js';
import { resolveVerbose, type Verbose } from './fit.js';
import { warn } from './io.js';
import { beginLoop } from './model-activity.js';
import { prepareModel } from './model-state.js';
import { stepDataFromBatch } from './step.js';
import { batchSlots, checkCardinality, inputSlots, TensorBatches, toTensorList } from './tensor-data.js';

export interface PredictOptions {
  batchSize?: number;
  verbose?: Verbose;
  /** Batches to predict (iterators; required for infinite ones). */
  steps?: number;
  callbacks?: Callback[];
}

/**
 * Joins per-batch outputs along the batch axis into one tensor per output: copied into one host
 * array where they can be read now, else joined by the backend that holds them (nothing is read).
 */
function concatBatches(perBatch: Tensor[][]): Tensor[] {
  const outputs = perBatch[0]?.length ?? 0;
  const result: Tensor[] = [];
  for (let o = 0; o < outputs; o++) {
    const parts = perBatch.map((b) => b[o] as Tensor);
    const first = parts[0] as Tensor;
    if (!first.readsSync) {
      result.push(parts.length === 1 ? first : noGrad(() => ops.concat(parts, 0)));
      continue;
    }
    const rows = parts.reduce((n, p) => n + (p.shape[0] as number), 0);
    const total = parts.reduce((n, p) => n + p.size, 0);
    const out = first.dtype === 'int32' ? new Int32Array(total) : new Float32Array(total);
    let offset = 0;
    for (const p of parts) {
      out.set(p.dataSync(), offset);
      offset += p.size;
    }
    result.push(new Tensor(out, [rows, ...first.shape.slice(1)]));
  }
  return result;
}

/** One batch through the model's `predictStep`, without gradients, as a list of outputs. */
function predictBatch(model: Model, xs: Tensor[]): Tensor[] {
  const out = noGrad(() => model.predictStep(stepDataFromBatch({ xs, ys: [], sampleWeight: null })));
  const list = Array.isArray(out) ? out : [out];
  for (const t of list) {
    if (!(t instanceof Tensor))
      throw new Error(`predict: predictStep of model "${model.name}" must return a Tensor or a list of Tensors.`);
  }
  return list;
}

/** All outputs of the model for the data, one tensor per model output. */
const PREDICT_USAGE = 'model.predict(x, { batchSize }) or model.predict(iterator)';

export async function predictOutputs(
  model: Model,
  x: BatchInput | DataIterator,
  givenOptions?: PredictOptions,
): Promise<Tensor[]> {
  const where = 'predict';
  checkDataArgument(x, where, PREDICT_USAGE);
  const options = optionsObject(givenOptions, where, PREDICT_USAGE);
  const verbose = resolveVerbose(options.verbose ?? 'auto');
  const release = beginLoop(model, 'predict');
  const turns = new EventLoopTurns();
  try {
    const perBatch: Tensor[][] = [];
    let steps: number | null;
    let run: (list: CallbackList) => Promise<void>;
    if (isDataIterator(x)) {
      if (x.shuffle === true) {
        warn(
          `${where}: the data iterator shuffles its samples (shuffle=true), so the predictions come in a random order that will not line up with its labels or file names; create it with shuffle: false to compare predictions with labels.`,
        );
      }
      const batches = new IteratorBatches(x, where, false, batchSlots(model));
      steps = batches.stepsPerPass(options.steps);
      run = async (list) => {
        batches.startFresh();
        for (let step = 0; steps === null || step < steps; step++) {
          const batch = await batches.next(false);
          if (batch === null) {
            if (step === 0) throw new Error(`${where}: the data iterator yielded no batches.`);
            if (steps !== null) warn(`${where}: your input ran out of data after ${step} of ${steps} steps.`);
            break;
          }
          if (step === 0) prepareModel(model, batch.xs, where);
          await list.batch('onPredictBatchBegin', step);
          perBatch.push(predictBatch(model, batch.xs));
          await list.batch('onPredictBatchEnd', step);
          await turns.maybeYield();
        }
      };
    } else {
      const xs = toTensorList(x, 'x', where, inputSlots(model));
      const batchSize = options.batchSize ?? 32;
      if (!(Number.isInteger(batchSize) && batchSize > 0))
        throw new Error(`${where}: batchSize must be a positive integer, received ${batchSize}.`);
      checkCardinality(where, [{ name: 'x', tensors: xs }]);
      prepareModel(model, xs, where);
      const batches = new TensorBatches(xs, [], null, batchSize);
      steps = batches.steps;
      run = async (list) => {
        for (let step = 0; step < batches.steps; step++) {
          await list.batch('onPredictBatchBegin', step);
          perBatch.push(predictBatch(model, batches.batch(step, null).xs));
          await list.batch('onPredictBatchEnd', step);
          await turns.maybeYield();
        }
      };
    }
    const cbs: Callback[] = [...(verbose > 0 ? [new ProgbarLogger()] : []), ...(options.callbacks ?? [])];
    const list = new CallbackList(cbs, model as unknown as CallbackModel, { steps, verbose });
    await list.phase('onPredictBegin');
    await run(list);
    await list.phase('onPredictEnd');
    return concatBatches(perBatch);
  } finally {
    release();
  }
}
