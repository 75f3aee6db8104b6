/** Activation functions, each with a fused backward kernel (`unaryGrad`). */
import { record } from '../autograd/record.js';
import type { ActivationOp, FusedActivation } from '../backend/backend.js';
import type { Tensor } from '../tensor/tensor.js';
import { alloc, backendFor, castTo, expectTensor, output } from './engine.js';

/** Applies one of the backend's activations with its gradient. */
export function activation(op: ActivationOp, x: Tensor, alpha = 0): Tensor {
  expectTensor(x, op);
  const input = castTo(x, 'float32');
  const be = backendFor(op, input);
  const y = alloc(be, 'float32', input.shape);
  be.unary(op, input.storage, y, alpha, 0);
  const out = output(be, y, input.shape, 'float32');
  return record(op, out, [x], (dy) => {
    const bg = backendFor(`${op} gradient`, input, dy);
    const dx = alloc(bg, 'float32', dy.shape);
    bg.unaryGrad(op, input.storage, out.storage, dy.storage, dx, alpha);
    return [output(bg, dx, x.shape, 'float32')];
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
  const g = castTo(dy, 'float32');
  const be = backendFor(`${activation} gradient`, y, g);
  const dx = alloc(be, 'float32', dy.shape);
  be.unaryGrad(activation, y.storage, y.storage, g.storage, dx, 0);
  return output(be, dx, dy.shape, 'float32');
}
