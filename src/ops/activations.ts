/** Activation functions, each with a fused backward kernel (`unaryGrad`). */
import { record } from '../autograd/record.js';
import type { ActivationOp, FusedActivation } from '../backend/backend.js';
import { Tensor } from '../tensor/tensor.js';
import { alloc, allocF32, backend, castTo, expectTensor } from './engine.js';

/** Applies one of the backend's activations with its gradient. */
export function activation(op: ActivationOp, x: Tensor, alpha = 0): Tensor {
  expectTensor(x, op);
  const input = castTo(x, 'float32');
  const y = alloc('float32', input.shape) as Float32Array;
  backend().unary(op, input.dataSync(), y, alpha, 0);
  const out = new Tensor(y, input.shape);
  return record(op, out, [x], (dy) => {
    const dx = allocF32(dy.shape);
    backend().unaryGrad(op, input.dataSync() as Float32Array, y, dy.dataSync() as Float32Array, dx, alpha);
    return [new Tensor(dx, x.shape)];
  });
}

export const relu = (x: Tensor): Tensor => activation('relu', x);
export const relu6 = (x: Tensor): Tensor => activation('relu6', x);
/** Keras's default slope is 0.2 (LeakyReLU layer); tf.nn's is 0.2 as well. */
export const leakyRelu = (x: Tensor, alpha = 0.2): Tensor => activation('leakyRelu', x, alpha);
export const elu = (x: Tensor, alpha = 1): Tensor => activation('elu', x, alpha);
export const selu = (x: Tensor): Tensor => activation('selu', x);
/** approximate=true uses the tanh formula (Keras's `gelu(x, approximate=True)`). */
export const gelu = (x: Tensor, approximate = false): Tensor => activation(approximate ? 'geluTanh' : 'gelu', x);
export const sigmoid = (x: Tensor): Tensor => activation('sigmoid', x);
export const hardSigmoid = (x: Tensor): Tensor => activation('hardSigmoid', x);
export const tanh = (x: Tensor): Tensor => activation('tanh', x);
export const softplus = (x: Tensor): Tensor => activation('softplus', x);
export const softsign = (x: Tensor): Tensor => activation('softsign', x);
export const silu = (x: Tensor): Tensor => activation('silu', x);
export const swish = silu;

const FUSED_ACTIVATIONS: readonly FusedActivation[] = ['linear', 'relu', 'relu6', 'sigmoid', 'tanh'];

/** Validates the activation a fused op applies in its store. */
export function parseFusedActivation(activation: unknown, op: string): FusedActivation {
  if (activation === undefined || activation === null) return 'linear';
  if (!FUSED_ACTIVATIONS.includes(activation as FusedActivation)) {
    throw new Error(`${op}: activation must be one of ${FUSED_ACTIVATIONS.join(', ')}; received ${JSON.stringify(activation)}.`);
  }
  return activation as FusedActivation;
}

/**
 * Gradient through a fused activation from its output y alone: relu and relu6 pass dy exactly
 * where their input was inside (0, 6) / (0, ∞), which is where y is; sigmoid and tanh are
 * functions of y. So fused ops need not keep the pre-activation values.
 */
export function fusedActivationGrad(activation: FusedActivation, y: Tensor, dy: Tensor): Tensor {
  if (activation === 'linear') return dy;
  const yv = y.dataSync() as Float32Array;
  const dx = allocF32(dy.shape);
  backend().unaryGrad(activation, yv, yv, castTo(dy, 'float32').dataSync() as Float32Array, dx, 0);
  return new Tensor(dx, dy.shape);
}
