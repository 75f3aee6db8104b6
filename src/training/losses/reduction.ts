/** Keras 3's loss reductions and sample weighting (keras/src/losses/loss.py). */
import { castTo } from '../../ops/engine.js';
import * as ops from '../../ops/index.js';
import { broadcastShapes, formatShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';

/**
 * 'sum_over_batch_size' (Keras's default, also 'mean'): sum of the weighted losses divided by
 * their count; 'sum'; 'mean_with_sample_weight': divided by the sum of the weights; 'none': no
 * reduction.
 */
export type Reduction = 'sum_over_batch_size' | 'mean' | 'sum' | 'mean_with_sample_weight' | 'none';

const REDUCTIONS: readonly Reduction[] = ['sum_over_batch_size', 'mean', 'sum', 'mean_with_sample_weight', 'none'];

export function standardizeReduction(reduction: Reduction | null | undefined): Reduction {
  if (reduction === null) return 'none';
  if (reduction === undefined) return 'sum_over_batch_size';
  if (!REDUCTIONS.includes(reduction)) {
    throw new Error(
      `Invalid value for argument reduction. Expected one of ${REDUCTIONS.join(', ')}. Received: reduction=${reduction}`,
    );
  }
  return reduction;
}

/** Squeezes or expands the last axis of one tensor when the ranks differ by exactly one (Keras's rule). */
export function squeezeOrExpandToSameRank(x1: Tensor, x2: Tensor, expandRank1 = true): [Tensor, Tensor] {
  const r1 = x1.rank;
  const r2 = x2.rank;
  if (r1 === r2) return [x1, x2];
  if (r1 === r2 + 1 && x1.shape[r1 - 1] === 1) {
    if (r2 === 1 && expandRank1) x2 = ops.expandDims(x2, -1);
    else x1 = ops.squeeze(x1, [-1]);
  }
  if (r2 === r1 + 1 && x2.shape[r2 - 1] === 1) {
    if (r1 === 1 && expandRank1) x1 = ops.expandDims(x1, -1);
    else x2 = ops.squeeze(x2, [-1]);
  }
  return [x1, x2];
}

/** Reduces per-sample losses to a scalar, weighting each sample first when weights are given. */
export function reduceWeightedValues(values: Tensor, sampleWeight: Tensor | null | undefined, reduction: Reduction): Tensor {
  if (sampleWeight) {
    const [v, w] = squeezeOrExpandToSameRank(values, castTo(sampleWeight, 'float32'));
    try {
      broadcastShapes(v.shape, w.shape, 'sample weights');
    } catch {
      throw new Error(
        `Loss: sample weights of shape ${formatShape(sampleWeight.shape)} do not fit losses of shape ${formatShape(values.shape)}; give one weight per sample.`,
      );
    }
    values = ops.mul(v, w);
  }
  if (reduction === 'none' || values.rank === 0) return values;
  const total = ops.sum(values);
  if (reduction === 'sum') return total;
  if (reduction === 'mean_with_sample_weight' && sampleWeight) {
    const divisor = ops.sum(castTo(sampleWeight, 'float32')).item();
    return divisor === 0 ? ops.mul(total, 0) : ops.div(total, divisor);
  }
  return values.size > 0 ? ops.div(total, values.size) : ops.mul(total, 0);
}
