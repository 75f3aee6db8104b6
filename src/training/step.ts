/**
 * The default training and test steps behind `Model.trainStep` / `testStep` (Keras 3's
 * train_step / test_step): forward pass, total loss = sum of weighted per-output losses + the
 * layers' losses (regularization, `addLoss`), gradients for the trainable weights, optimizer
 * update, constraints, then loss and metric tracking. Labels are checked against the loss
 * before the first computation. Also the step data a custom step receives, and its logs.
 */
import { variableGrads } from '../autograd/grad.js';
import { noGrad } from '../autograd/record.js';
import type { Layer } from '../layers/engine/layer.js';
import { openTrackingSnapshot, trackedObjects } from '../layers/engine/tracking.js';
import type { Model } from '../models/functional.js';
import { recycleStepIntermediates } from '../models/recycling.js';
import * as ops from '../ops/index.js';
import { formatShape } from '../tensor/shape.js';
import { storageMark } from '../tensor/storage-pool.js';
import { releaseStorage } from '../tensor/storage-recycler.js';
import { Tensor, type Variable } from '../tensor/tensor.js';
import { type Batch, batchOnCurrentBackend } from './batch-source.js';
import type { CompiledState } from './compile.js';
import { checkSparseLabelValues } from './losses/labels.js';
import { Metric } from './metrics/metric.js';
import { keepsNoGradients } from './optimizers/index.js';

/** Checks a batch's targets against the model outputs and their losses (before anything is computed). */
export function checkTargets(state: CompiledState, batch: Batch, outputShapes: (number | null)[][], where: string): void {
  const outputs = state.outputs;
  if (batch.ys.length !== outputs.length) {
    throw new Error(
      `${where}: the model has ${outputs.length} output${outputs.length > 1 ? 's' : ''} (${outputs.map((o) => o.name).join(', ')}) but ${batch.ys.length} target array${batch.ys.length === 1 ? ' was' : 's were'} given.`,
    );
  }
  for (const [i, out] of outputs.entries()) {
    const y = batch.ys[i] as Tensor;
    const pred = outputShapes[i];
    if (out.loss && pred) out.loss.checkLabels([null, ...y.shape.slice(1)], pred);
  }
  if (batch.sampleWeight) {
    const n = batch.xs[0]?.shape[0];
    if (batch.sampleWeight.shape[0] !== n || batch.sampleWeight.rank > 2) {
      throw new Error(
        `${where}: sampleWeight of shape ${formatShape(batch.sampleWeight.shape)} does not fit ${n} samples; give one weight per sample.`,
      );
    }
  }
}

/** Checks every sparse label of in-memory targets up front (an out-of-range class would otherwise fail mid-epoch). */
export function checkLabelValues(state: CompiledState, ys: Tensor[], outputShapes: (number | null)[][]): void {
  for (const [i, out] of state.outputs.entries()) {
    const classes = outputShapes[i]?.at(-1);
    // Labels a backend cannot read synchronously are not checked here (their one-hot rows give an out-of-range class zeros).
    if (out.loss?.sparseLabels && typeof classes === 'number' && ys[i]?.readsSync) {
      checkSparseLabelValues(out.loss.name, (ys[i] as Tensor).dataSync(), classes);
    }
  }
}

/** x or y of a step: one Tensor, or one per model input (output). */
export type StepTensors = Tensor | Tensor[];

/**
 * What fit / evaluate / predict hand a step: `[x, y, sampleWeight]`, `[x, y]` or `[x]` (Keras's
 * `data`, unpacked with `const [x, y] = data`). x and y are lists for several inputs/outputs.
 */
export type StepData =
  | readonly [x: StepTensors]
  | readonly [x: StepTensors, y: StepTensors | undefined]
  | readonly [x: StepTensors, y: StepTensors | undefined, sampleWeight: Tensor | null | undefined];

/** What a step returns: metric values by name (numbers, scalar Tensors, or per-class lists). */
export type StepLogs = Record<string, number | number[] | Tensor>;

/** Keras 3's `compute_loss(x, y, y_pred, sample_weight)` arguments. */
export interface ComputeLossArgs {
  x?: StepTensors;
  y?: StepTensors;
  yPred: StepTensors;
  sampleWeight?: Tensor | null;
}

function tensorList(value: StepTensors | undefined, what: string, where: string): Tensor[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  for (const [i, t] of list.entries()) {
    if (!(t instanceof Tensor)) throw new Error(`${where}: ${what}${list.length > 1 ? `[${i}]` : ''} is not a Tensor.`);
  }
  return list;
}

/** Step data as the lists the default steps work on. */
export function batchFromStepData(data: StepData, where: string): Batch {
  if (!Array.isArray(data) || data.length < 1 || data.length > 3) {
    throw new Error(`${where}: data must be [x], [x, y] or [x, y, sampleWeight].`);
  }
  return {
    xs: tensorList(data[0], 'x', where),
    ys: tensorList(data[1], 'y', where),
    sampleWeight: (data[2] as Tensor | null | undefined) ?? null,
  };
}

/** A batch as the step data a (custom) step receives, on the current backend (batch-source.ts). */
export function stepDataFromBatch(hostBatch: Batch): StepData {
  const batch = batchOnCurrentBackend(hostBatch);
  const x = batch.xs.length === 1 ? (batch.xs[0] as Tensor) : batch.xs;
  if (batch.ys.length === 0) return [x];
  const y = batch.ys.length === 1 ? (batch.ys[0] as Tensor) : batch.ys;
  return batch.sampleWeight ? [x, y, batch.sampleWeight] : [x, y];
}

/**
 * The total loss (with gradient history inside a gradient scope): each output's compiled loss,
 * weighted, plus the layers' losses. Builds the compiled metrics on first use, when the shapes
 * of targets and outputs are known, and updates the per-output loss trackers.
 */
export function compiledLoss(model: Model, state: CompiledState, args: ComputeLossArgs): Tensor {
  const ys = tensorList(args.y, 'y', 'computeLoss');
  const preds = tensorList(args.yPred, 'yPred', 'computeLoss');
  const sampleWeight = args.sampleWeight ?? null;
  const withLoss = state.outputs.filter((o) => o.loss);
  if (withLoss.length > 0 && ys.length === 0) {
    throw new Error(
      `Model "${model.name}" was compiled with a loss (${withLoss.map((o) => o.loss?.name).join(', ')}) but no targets (y) were given; pass y, or compile without a loss when the step computes its own.`,
    );
  }
  if (ys.length > 0) buildCompiledMetrics(state, ys, preds);
  const batchSize = preds[0]?.shape[0] ?? 0;
  let total: Tensor | null = null;
  for (const [i, out] of state.outputs.entries()) {
    if (!out.loss) continue;
    const y = ys[i];
    const pred = preds[i];
    if (!y || !pred) {
      throw new Error(
        `Model "${model.name}": output '${out.name}' has a loss but ${!y ? 'no target' : 'no prediction'} was given for it.`,
      );
    }
    const value = out.loss.apply(y, pred, sampleWeight);
    if (out.lossTracker) out.lossTracker.updateValue(value, batchSize);
    const weighted = out.lossWeight === 1 ? value : ops.mul(value, out.lossWeight);
    total = total === null ? weighted : ops.add(total, weighted);
  }
  for (const reg of model.losses) total = total === null ? ops.sum(reg) : ops.add(total, ops.sum(reg));
  if (total === null) throw new Error('No loss to compute. Provide a `loss` argument in `compile()`.');
  return total;
}

function buildCompiledMetrics(state: CompiledState, ys: Tensor[], preds: Tensor[]): void {
  if (state.outputs.some((o) => o.metrics === null)) {
    state.buildMetrics(
      ys.map((y) => y.shape),
      preds.map((p) => p.shape),
    );
  }
}

function updateMetrics(state: CompiledState, batch: Batch, preds: Tensor[], loss: Tensor): void {
  const batchSize = batch.xs[0]?.shape[0] ?? 0;
  state.lossTracker.updateValue(loss, batchSize);
  if (batch.ys.length === 0) return;
  noGrad(() => state.updateMetrics(batch.ys, preds, batch.sampleWeight));
}

/** The compiled logs plus the values the layers report with `addMetric`. */
function stepResult(model: Model, state: CompiledState): StepLogs {
  const logs: StepLogs = state.logs();
  for (const m of trackedMetrics(model)) if (!(m.name in logs)) logs[m.name] = m.logValue();
  return logs;
}

/**
 * One optimizer update on a batch (the default `trainStep`). The trainable weights are read
 * after the forward pass, so sub-layers a custom layer builds on its first call train from the
 * first step (backward reads the list once the recorded function has returned).
 */
export function defaultTrainStep(model: Model, state: CompiledState, batch: Batch): StepLogs {
  // The step owns its gradient tape (variableGrads is its gradient scope, the only place it
  // records: autograd/record.ts), so its forward intermediates go back to the storage pool when
  // it ends (models/recycling.ts).
  return recycleStepIntermediates(model, () => {
    // From the end of the forward pass to the end of the step the weights, sub-layers, losses and
    // metrics are read several times and nothing assigns new ones: each layer is walked once
    // (layers/engine/tracking.ts).
    let closeTrackingSnapshot: () => void = () => {};
    try {
      let preds: Tensor[] = [];
      let backwardMark = 0;
      const variables: Variable[] = [];
      const { value, grads } = variableGrads(() => {
        preds = model.applyMulti(batch.xs, { training: true });
        closeTrackingSnapshot = openTrackingSnapshot();
        variables.push(...model.trainableWeights);
        const x = batch.xs.length === 1 ? batch.xs[0] : batch.xs;
        const y = batch.ys.length === 0 ? undefined : batch.ys.length === 1 ? batch.ys[0] : batch.ys;
        const loss = model.computeLoss({
          x,
          y,
          yPred: preds.length === 1 ? (preds[0] as Tensor) : preds,
          sampleWeight: batch.sampleWeight,
        });
        backwardMark = storageMark();
        return loss;
      }, variables);
      // Keras warns and still computes the loss and metrics when there is nothing to train.
      if (variables.length === 0)
        warnOnce(model, `The model "${model.name}" does not have any trainable weights (is it frozen?).`);
      else state.optimizer.applyGradients(variables.map((v, i) => [grads[i] ?? null, v] as const));
      // The gradients are the step's own: once a built-in optimizer has applied them, their
      // storage (as big as the weights) goes back to the pool. The mark leaves out any storage
      // from before the backward pass a gradient might share.
      if (keepsNoGradients(state.optimizer)) {
        // Storage first, then release: two gradients may share one buffer (read once it is released, it would throw).
        const storage = grads.flatMap((g) => (g ? [{ storage: g.storage, owner: g.owner }] : []));
        const by = `the training step of model "${model.name}"`;
        for (const s of storage) releaseStorage(s.storage, s.owner, backwardMark, by);
      }
      model.applyConstraints();
      updateMetrics(state, batch, preds, value);
      return { result: stepResult(model, state), outputs: preds };
    } finally {
      closeTrackingSnapshot();
    }
  });
}

const warned = new WeakMap<Model, Set<string>>();

function warnOnce(model: Model, message: string): void {
  const seen = warned.get(model) ?? new Set<string>();
  warned.set(model, seen);
  if (seen.has(message)) return;
  seen.add(message);
  console.warn(message);
}

/** Loss and metrics on a batch without updating anything (the default `testStep`, training false). */
export function defaultTestStep(model: Model, state: CompiledState, batch: Batch): StepLogs {
  return noGrad(() => {
    const preds = model.applyMulti(batch.xs, { training: false });
    const x = batch.xs.length === 1 ? batch.xs[0] : batch.xs;
    const y = batch.ys.length === 0 ? undefined : batch.ys.length === 1 ? batch.ys[0] : batch.ys;
    const loss = model.computeLoss({
      x,
      y,
      yPred: preds.length === 1 ? (preds[0] as Tensor) : preds,
      sampleWeight: batch.sampleWeight,
    });
    updateMetrics(state, batch, preds, loss);
    return stepResult(model, state);
  });
}

/** The Metric objects a layer holds in its properties and its sub-layers' (nested models excluded, as in Keras). */
export function trackedMetrics(layer: Layer): Metric[] {
  const out: Metric[] = [];
  const visit = (l: Layer, top: boolean): void => {
    if (!top && typeof (l as { trainStep?: unknown }).trainStep === 'function') return;
    for (const m of trackedObjects(l, isMetric)) if (!out.includes(m)) out.push(m);
    for (const m of l.addedMetrics() as unknown as Metric[]) if (!out.includes(m)) out.push(m);
    for (const sub of l.subLayers()) visit(sub, false);
  };
  visit(layer, true);
  return out;
}

function isMetric(value: unknown): value is Metric {
  return value instanceof Metric;
}
