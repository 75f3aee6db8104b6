/**
 * The forward pass shared by Dense-like layers: x @ kernel + bias, then the activation,
 * fused into one kernel when the activation allows it (see ops.fusedMatmul).
 */
import * as ops from '../../ops/index.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { ActivationFunction } from '../activations/functions.js';

export function denseForward(x: Tensor, kernel: Tensor, bias: Tensor | null, activation: ActivationFunction): Tensor {
  const units = kernel.shape[1] as number;
  const inDim = kernel.shape[0] as number;
  const flat = x.rank === 2 ? x : ops.reshape(x, [-1, inDim]);
  let y: Tensor;
  if (activation.fused) {
    y = ops.fusedMatmul({ a: flat, b: kernel, bias: bias ?? undefined, activation: activation.fused });
  } else {
    y = ops.fusedMatmul({ a: flat, b: kernel, bias: bias ?? undefined });
    y = activation.apply(y);
  }
  return x.rank === 2 ? y : ops.reshape(y, [...x.shape.slice(0, -1), units]);
}
