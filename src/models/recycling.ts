/**
 * Recycling a forward pass's intermediates: at inference (outside a gradient scope, where
 * nothing is recorded: model.apply, predict, evaluate; autograd/record.ts), the model
 * runner hands each intermediate's storage back to the pool (tensor/storage-pool.ts) right after
 * its last consumer has run, so the next layers and the next pass reuse it instead of making the
 * garbage collector reclaim ~150 MB per ResNet50 forward. In a training step the tape keeps the
 * intermediates until backward has run, so they go back when the step ends instead.
 *
 * A buffer is handed back only when all of these hold:
 * - gradients are not being recorded, i.e. the pass runs outside a gradient scope (a recorded
 *   op's backward closure keeps its inputs), or
 *   the pass is a training step's own forward pass and the step has ended;
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

/** The training step in progress: its model, where its dead intermediates wait, its state. */
interface StepScope {
  readonly model: Layer;
  readonly dead: DeadStorage;
  /** The model's forward pass has started (only that first pass is the step's own). */
  claimed: boolean;
  /** Inside that forward pass (nested models run within it). */
  inForward: boolean;
}

let step: StepScope | null = null;

/**
 * Runs `model`'s graph with the recycler it may use, or null where recycling is not safe: when
 * some layer (or a nested model's layer) may keep tensors, or while gradients are recorded,
 * except in the forward pass of a training step (`recycleStepIntermediates`), whose dead
 * intermediates wait for the step's end.
 */
export function runWithRecycler<T>(model: Layer, layers: readonly Layer[], run: (recycler: StorageRecycler | null) => T): T {
  if (!isRecording()) return run(layers.every(keepsNoTensors) ? new StorageRecycler() : null);
  const scope = step;
  const ownForward = scope !== null && (scope.inForward || (scope.model === model && !scope.claimed));
  if (!ownForward || !layers.every(keepsNoTensors)) return run(null);
  scope.claimed = true;
  const outer = scope.inForward;
  scope.inForward = true;
  try {
    return run(new StorageRecycler(scope.dead));
  } finally {
    scope.inForward = outer;
  }
}

/**
 * Runs one training step of `model` (forward, loss, backward, update), which owns its gradient
 * tape: the intermediates of the model's forward pass wait while the tape can reach them and go
 * back to the pool when the step returns. `run` returns the model outputs of that pass; their
 * gradient history is cut then (backward has run), so a loss or metric that kept one cannot
 * reach the recycled storage through it. Other forward passes in the step (a second call of the
 * model, another model called by a loss) recycle nothing. If the step throws, nothing is
 * recycled.
 */
export function recycleStepIntermediates<T>(model: Layer, run: () => { result: T; outputs: readonly Tensor[] }): T {
  const outer = step;
  const scope: StepScope = { model, dead: new DeadStorage(), claimed: false, inForward: false };
  step = scope;
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
  scope.dead.recycleAll();
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
