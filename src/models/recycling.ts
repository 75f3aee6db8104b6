/**
 * When a model's forward pass hands its intermediates' storage back (the invariant that makes
 * that safe whatever a layer keeps is tensor/storage-recycler.ts's). At inference (outside a
 * gradient scope, where nothing is recorded: model.apply, predict, evaluate; autograd/record.ts)
 * the model runner releases each intermediate right after its last consumer has run, so the
 * next layers and the next pass reuse it instead of making the garbage collector reclaim
 * ~150 MB per ResNet50 forward. In a training step the tape keeps the intermediates until
 * backward has run, so they go back when the step ends instead. While a user's own gradient
 * scope records, nothing goes back (its tape may be used later).
 *
 * The runner holds each value of the pass when it appears and releases it when the graph has no
 * further consumer for it and it is not a model output; values sharing a buffer (views,
 * identities, one tensor at two places) keep it until the last is released.
 */
import { isRecording } from '../autograd/record.js';
import type { Layer } from '../layers/engine/layer.js';
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
 * Runs `model`'s graph with the recycler it may use, or null while gradients are recorded,
 * except in the forward pass of a training step (`recycleStepIntermediates`), whose dead
 * intermediates wait for the step's end.
 */
export function runWithRecycler<T>(model: Layer, run: (recycler: StorageRecycler | null) => T): T {
  if (!isRecording()) return run(new StorageRecycler(`model "${model.name}" (inference)`));
  const scope = step;
  const ownForward = scope !== null && (scope.inForward || (scope.model === model && !scope.claimed));
  if (!ownForward) return run(null);
  scope.claimed = true;
  const outer = scope.inForward;
  scope.inForward = true;
  try {
    return run(new StorageRecycler(`the training step of model "${scope.model.name}"`, scope.dead));
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
  scope.dead.releaseAll();
  return finished.result;
}
