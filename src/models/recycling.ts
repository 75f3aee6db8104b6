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
import { recycleStorage, storageMark } from '../tensor/storage-pool.js';
import type { Tensor } from '../tensor/tensor.js';

/** Counts the live values of one forward pass per buffer and recycles a buffer when none is left. */
export class IntermediateRecycler {
  private readonly mark = storageMark();
  private readonly holders = new Map<ArrayBuffer, number>();

  /** A value of the pass became live (a model input, or a layer's output). */
  hold(t: Tensor): void {
    const buffer = t.dataSync().buffer as ArrayBuffer;
    this.holders.set(buffer, (this.holders.get(buffer) ?? 0) + 1);
  }

  /** A held value is dead (its last consumer ran and it is not a model output). */
  release(t: Tensor): void {
    const values = t.dataSync();
    const buffer = values.buffer as ArrayBuffer;
    const count = this.holders.get(buffer);
    // Not held: the runner's bookkeeping is off; keeping the buffer is the safe answer.
    if (count === undefined) return;
    if (count > 1) {
      this.holders.set(buffer, count - 1);
      return;
    }
    this.holders.delete(buffer);
    recycleStorage(values, this.mark);
  }
}

/**
 * A recycler for one forward pass through `layers`, or null when recycling is not safe: while
 * gradients are recorded, or when some layer (or a nested model's layer) may keep tensors.
 */
export function recyclerFor(layers: readonly Layer[]): IntermediateRecycler | null {
  if (isRecording()) return null;
  return layers.every(keepsNoTensors) ? new IntermediateRecycler() : null;
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
