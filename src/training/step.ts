/**
 * One training or test step on a batch (Keras 3's train_step / test_step): forward pass,
 * total loss = sum of weighted per-output losses + the layers' regularization losses,
 * gradients for the trainable weights, optimizer update, constraints, then loss and metric
 * tracking. Labels are checked against the loss before the first computation.
 */
import { variableGrads } from '../autograd/grad.js';
import { noGrad } from '../autograd/record.js';
import type { Model } from '../models/functional.js';
import { recycleStepIntermediates } from '../models/recycling.js';
import * as ops from '../ops/index.js';
import { formatShape } from '../tensor/shape.js';
import { storageMark } from '../tensor/storage-pool.js';
import { releaseStorage } from '../tensor/storage-recycler.js';
import type { Tensor, Variable } from '../tensor/tensor.js';
import type { Batch } from './batch-source.js';
import type { CompiledState } from './compile.js';
import { checkSparseLabelValues } from './losses/labels.js';
import { keepsNoGradients } from './optimizers/index.js';

/** Runs the model on a batch's inputs. */
export function forward(model: Model, xs: Tensor[], training: boolean): Tensor[] {
  return model.applyMulti(xs, { training });
}

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
    if (out.loss?.sparseLabels && typeof classes === 'number' && ys[i]) {
      checkSparseLabelValues(out.loss.name, (ys[i] as Tensor).dataSync(), classes);
    }
  }
}

/** The total loss of a batch (with gradient history when recording), updating per-output trackers. */
function totalLoss(model: Model, state: CompiledState, batch: Batch, preds: Tensor[], track: boolean): Tensor {
  const batchSize = batch.xs[0]?.shape[0] ?? 0;
  let total: Tensor | null = null;
  for (const [i, out] of state.outputs.entries()) {
    if (!out.loss) continue;
    const value = out.loss.apply(batch.ys[i] as Tensor, preds[i] as Tensor, batch.sampleWeight);
    if (track && out.lossTracker) out.lossTracker.updateValue(value.item(), batchSize);
    const weighted = out.lossWeight === 1 ? value : ops.mul(value, out.lossWeight);
    total = total === null ? weighted : ops.add(total, weighted);
  }
  for (const reg of model.losses) total = total === null ? ops.sum(reg) : ops.add(total, ops.sum(reg));
  if (total === null) throw new Error('No loss to compute. Provide a loss argument in compile().');
  return total;
}

function updateMetrics(state: CompiledState, batch: Batch, preds: Tensor[], loss: number): void {
  const batchSize = batch.xs[0]?.shape[0] ?? 0;
  state.lossTracker.updateValue(loss, batchSize);
  noGrad(() => state.updateMetrics(batch.ys, preds, batch.sampleWeight));
}

/**
 * One optimizer update on a batch; returns the batch's total loss. `variables` (the trainable
 * weights) may be passed by a loop that computed them once.
 */
export function trainStep(
  model: Model,
  state: CompiledState,
  batch: Batch,
  variables: Variable[] = model.trainableWeights,
): number {
  if (variables.length === 0)
    throw new Error(`Model "${model.name}" has no trainable weights (is it frozen?); there is nothing to train.`);
  // The step owns its gradient tape (variableGrads is its gradient scope, the only place it
  // records: autograd/record.ts), so its forward intermediates go back to the storage pool when
  // it ends (models/recycling.ts).
  return recycleStepIntermediates(model, () => {
    let preds: Tensor[] = [];
    let backwardMark = 0;
    const { value, grads } = variableGrads(() => {
      preds = forward(model, batch.xs, true);
      if (state.outputs.some((o) => o.metrics === null)) {
        state.buildMetrics(
          batch.ys.map((y) => y.shape),
          preds.map((p) => p.shape),
        );
      }
      const loss = totalLoss(model, state, batch, preds, true);
      backwardMark = storageMark();
      return loss;
    }, variables);
    state.optimizer.applyGradients(variables.map((v, i) => [grads[i] ?? null, v] as const));
    // The gradients are the step's own: once a built-in optimizer has applied them, their
    // storage (as big as the weights) goes back to the pool. The mark leaves out any storage
    // from before the backward pass a gradient might share.
    if (keepsNoGradients(state.optimizer)) {
      // Storage first, then release: two gradients may share one buffer (read once it is released, it would throw).
      const storage = grads.flatMap((g) => (g ? [g.dataSync()] : []));
      for (const values of storage) releaseStorage(values, backwardMark, `the training step of model "${model.name}"`);
    }
    model.applyConstraints();
    const loss = value.item();
    updateMetrics(state, batch, preds, loss);
    return { result: loss, outputs: preds };
  });
}

/** Loss and metrics on a batch without updating anything (training false). */
export function testStep(model: Model, state: CompiledState, batch: Batch): number {
  return noGrad(() => {
    const preds = forward(model, batch.xs, false);
    if (state.outputs.some((o) => o.metrics === null)) {
      state.buildMetrics(
        batch.ys.map((y) => y.shape),
        preds.map((p) => p.shape),
      );
    }
    const loss = totalLoss(model, state, batch, preds, true).item();
    updateMetrics(state, batch, preds, loss);
    return loss;
  });
}
