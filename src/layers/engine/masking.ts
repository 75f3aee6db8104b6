/**
 * Keras's `_keras_mask`: the boolean mask a masking layer (Embedding with `maskZero`, Masking, an
 * RNN returning sequences, ...) attaches to the tensors it outputs, read by the next layer's call.
 * Kept in a WeakMap keyed by the tensor, so a mask lives exactly as long as its tensor and the
 * tensor class stays free of layer concerns. See docs/masking.md.
 */
import type { Tensor } from '../../tensor/tensor.js';

const masks = new WeakMap<Tensor, Tensor>();

/** The mask a layer attached to this tensor (Keras's `x._keras_mask`), or null. */
export function getKerasMask(x: Tensor): Tensor | null {
  return masks.get(x) ?? null;
}

/** Attaches (or with null, removes) the mask of a tensor. */
export function setKerasMask(x: Tensor, mask: Tensor | null): void {
  if (mask === null) masks.delete(x);
  else masks.set(x, mask);
}

/** Refuses a mask whose shape is not the expected one (batch and time axes), naming the layer. */
export function assertMaskShape(mask: Tensor, expected: readonly number[], layerName: string): void {
  if (mask.shape.length !== expected.length || mask.shape.some((d, i) => d !== expected[i])) {
    throw new Error(
      `Layer "${layerName}": the mask should have shape [${expected.join(', ')}] (the input's batch and time axes), received [${mask.shape.join(', ')}].`,
    );
  }
}
