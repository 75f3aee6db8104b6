/**
 * Recycling a forward pass's intermediates: at inference (no gradient recording), the model
 * runner hands each intermediate's storage back to the pool (tensor/storage-pool.ts) right after
 * its last consumer has run, so the next layers and the next pass reuse it instead of making the
 * garbage collector reclaim ~150 MB per ResNet50 forward.
 *
 * A buffer is handed back only when all of these hold:
 * - gradients are not being recorded (a recorded op's backward closure keeps its inputs);
 * - every layer of the model, nested models included, keeps no tensors (layers/engine/retention.ts);
 * - no live value of the pass shares the buffer: reshape/flatten/squeeze/expandDims views, an
 *   identity layer's output (Dropout at inference) or the same tensor at two places all count,
 *   as holders of the underlying ArrayBuffer;
 * - it is not a model input or output (those are never released);
 * - the pool handed it out during this pass (`storageMark`), so the caller's tensors, weights
 *   and anything allocated elsewhere are never recycled even if the bookkeeping above missed one.
 */
import { isRecording } from '../autograd/record.js';
import type { Layer } from '../layers/engine/layer.js';
import { callKeepsNoTensors } from '../layers/engine/retention.js';
import { DeadStorage, StorageRecycler } from '../tensor/storage-recycler.js';
import type { Tensor } from '../tensor/tensor.js';

/** The training step in progress, collecting its forward pass's dead intermediates. */
let step: DeadStorage | null = null;

/**
 * A recycler for one forward pass through `layers`, or null when recycling is not safe: when
 * some layer (or a nested model's layer) may keep tensors, or while gradients are recorded
 * outside a training step (`recycleStepIntermediates`).
 */
export function recyclerFor(layers: readonly Layer[]): StorageRecycler | null {
  const deferTo = isRecording() ? step : null;
  if (isRecording() && deferTo === null) return null;
  return layers.every(keepsNoTensors) ? new StorageRecycler(deferTo) : null;
}

/**
 * Runs one training step (forward, loss, backward, update) that owns its gradient tape: the
 * model runner's dead intermediates wait while the tape can reach them and go back to the pool
 * when the step returns. `step` returns its model outputs; their gradient history is cut then
 * (backward has run), so a loss or metric that kept one cannot reach the recycled storage
 * through it. If the step throws, nothing is recycled.
 */
export function recycleStepIntermediates<T>(run: () => { result: T; outputs: readonly Tensor[] }): T {
  const outer = step;
  const dead = new DeadStorage();
  step = dead;
  let finished: { result: T; outputs: readonly Tensor[] };
  try {
    finished = run();
  } finally {
    step = outer;
  }
  for (const t of finished.outputs) {
    t.gradNode = null;
    t.requiresGrad = false;
  }
  dead.recycleAll();
  return finished.result;
}

/** Model classes whose own call is the graph runner (a subclass may override it). */
const runnerClasses = new Set<unknown>();

/** Registers Model and Sequential (from their modules, avoiding an import cycle). */
export function declareGraphRunner(cls: abstract new (...args: never[]) => Layer): void {
  runnerClasses.add(cls);
}

function keepsNoTensors(layer: Layer): boolean {
  if (runnerClasses.has(layer.constructor)) return layer.activityRegularizer === null && layer.subLayers().every(keepsNoTensors);
  return callKeepsNoTensors(layer);
}
