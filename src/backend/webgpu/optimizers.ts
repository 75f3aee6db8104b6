/**
 * Optimizer steps as one kernel each, in place on the parameter and its slots (Keras 3's
 * formulas, as the js backend computes them), instead of the default's chain of elementwise
 * kernels and temporaries.
 */
import type { GpuStorage } from './buffers.js';
import { type GpuQueue, Params } from './queue.js';
import { bindings, buffersOf, elementGrid, PARAMS, perElement } from './wgsl.js';

export function sgdUpdate(
  q: GpuQueue,
  param: GpuStorage,
  grad: GpuStorage,
  velocity: GpuStorage | null,
  learningRate: number,
  momentum: number,
  nesterov: boolean,
): void {
  const variant = velocity === null ? 'plain' : nesterov ? 'nesterov' : 'momentum';
  const pipeline = q.pipeline(`sgd:${variant}`, () => {
    if (variant === 'plain') {
      return `${PARAMS}
${bindings([
  ['W', 'f32', 'read_write'],
  ['G', 'f32', 'read'],
])}
${perElement('W[i] = W[i] - pf(1u) * G[i];')}`;
    }
    const step = variant === 'nesterov' ? 'pf(2u) * v - pf(1u) * g' : 'v';
    return `${PARAMS}
${bindings([
  ['W', 'f32', 'read_write'],
  ['G', 'f32', 'read'],
  ['V', 'f32', 'read_write'],
])}
${perElement(`let g = G[i]; let v = pf(2u) * V[i] - pf(1u) * g; V[i] = v; W[i] = W[i] + ${step};`)}`;
  });
  const buffers = velocity === null ? buffersOf(param, grad) : buffersOf(param, grad, velocity);
  q.dispatch(pipeline, buffers, new Params().i(param.size).f(learningRate, momentum), elementGrid(param.size));
}

export interface AdamStep {
  stepSize: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

export function adamUpdate(
  q: GpuQueue,
  param: GpuStorage,
  grad: GpuStorage,
  m: GpuStorage,
  v: GpuStorage,
  vMax: GpuStorage | null,
  step: AdamStep,
): void {
  const amsgrad = vMax !== null;
  const pipeline = q.pipeline(`adam:${amsgrad}`, () => {
    const denom = amsgrad ? 'let d = max(VM[i], vi); VM[i] = d;' : 'let d = vi;';
    return `${PARAMS}
${bindings([
  ['W', 'f32', 'read_write'],
  ['G', 'f32', 'read'],
  ['M', 'f32', 'read_write'],
  ['V', 'f32', 'read_write'],
  ...(amsgrad ? ([['VM', 'f32', 'read_write']] as const) : []),
])}
${perElement(`
  let g = G[i];
  let mi = M[i] + (g - M[i]) * pf(2u);
  let vi = V[i] + (g * g - V[i]) * pf(3u);
  M[i] = mi;
  V[i] = vi;
  ${denom}
  W[i] = W[i] - (pf(1u) * mi) / (sqrt(d) + pf(4u));`)}`;
  });
  const buffers = vMax === null ? buffersOf(param, grad, m, v) : buffersOf(param, grad, m, v, vMax);
  const params = new Params().i(param.size).f(step.stepSize, 1 - step.beta1, 1 - step.beta2, step.epsilon);
  q.dispatch(pipeline, buffers, params, elementGrid(param.size));
}
