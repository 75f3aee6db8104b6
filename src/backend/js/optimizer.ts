/** In-place optimizer steps (Keras's update rules). */
import type { NadamStep } from '../backend.js';

export function sgdUpdate(
  param: Float32Array,
  grad: Float32Array,
  velocity: Float32Array | null,
  learningRate: number,
  momentum: number,
  nesterov: boolean,
): void {
  const n = param.length;
  if (velocity === null) {
    for (let i = 0; i < n; i++) param[i] = (param[i] as number) - learningRate * (grad[i] as number);
    return;
  }
  for (let i = 0; i < n; i++) {
    const g = grad[i] as number;
    const v = momentum * (velocity[i] as number) - learningRate * g;
    velocity[i] = v;
    param[i] = (param[i] as number) + (nesterov ? momentum * v - learningRate * g : v);
  }
}

export function adamUpdate(
  param: Float32Array,
  grad: Float32Array,
  m: Float32Array,
  v: Float32Array,
  vMax: Float32Array | null,
  stepSize: number,
  beta1: number,
  beta2: number,
  epsilon: number,
): void {
  const n = param.length;
  const a1 = 1 - beta1;
  const a2 = 1 - beta2;
  for (let i = 0; i < n; i++) {
    const g = grad[i] as number;
    const mi = (m[i] as number) + (g - (m[i] as number)) * a1;
    const vi = (v[i] as number) + (g * g - (v[i] as number)) * a2;
    m[i] = mi;
    v[i] = vi;
    let denomV = vi;
    if (vMax !== null) {
      denomV = Math.max(vMax[i] as number, vi);
      vMax[i] = denomV;
    }
    param[i] = (param[i] as number) - (stepSize * mi) / (Math.sqrt(denomV) + epsilon);
  }
}

export function adagradUpdate(param: Float32Array, grad: Float32Array, acc: Float32Array, lr: number, eps: number): void {
  for (let i = 0; i < param.length; i++) {
    const g = grad[i] as number;
    acc[i] = (acc[i] as number) + g * g;
    param[i] = (param[i] as number) - (lr * g) / Math.sqrt((acc[i] as number) + eps);
  }
}

export function adadeltaUpdate(
  param: Float32Array,
  grad: Float32Array,
  accGrad: Float32Array,
  accDelta: Float32Array,
  lr: number,
  rho: number,
  epsilon: number,
): void {
  for (let i = 0; i < param.length; i++) {
    const g = grad[i] as number;
    accGrad[i] = rho * (accGrad[i] as number) + (1 - rho) * g * g;
    const delta = -(Math.sqrt((accDelta[i] as number) + epsilon) * g) / Math.sqrt((accGrad[i] as number) + epsilon);
    accDelta[i] = rho * (accDelta[i] as number) + (1 - rho) * delta * delta;
    param[i] = (param[i] as number) + lr * delta;
  }
}

export function adamaxUpdate(
  param: Float32Array,
  grad: Float32Array,
  m: Float32Array,
  u: Float32Array,
  lr: number,
  beta1: number,
  beta2: number,
  epsilon: number,
  step: number,
): void {
  const correction = 1 - beta1 ** step;
  for (let i = 0; i < param.length; i++) {
    const g = grad[i] as number;
    m[i] = (m[i] as number) + (g - (m[i] as number)) * (1 - beta1);
    u[i] = Math.max(beta2 * (u[i] as number), Math.abs(g));
    param[i] = (param[i] as number) - (lr * (m[i] as number)) / (correction * ((u[i] as number) + epsilon));
  }
}

export function nadamUpdate(param: Float32Array, grad: Float32Array, m: Float32Array, v: Float32Array, s: NadamStep): void {
  const { beta1, beta2, epsilon, learningRate: lr, momentum: uT, nextMomentum: uNext } = s;
  const { momentumProduct: productT, nextMomentumProduct: productNext, beta2Power } = s;
  for (let i = 0; i < param.length; i++) {
    const g = grad[i] as number;
    m[i] = (m[i] as number) + (g - (m[i] as number)) * (1 - beta1);
    v[i] = (v[i] as number) + (g * g - (v[i] as number)) * (1 - beta2);
    const mHat = (uNext * (m[i] as number)) / (1 - productNext) + ((1 - uT) * g) / (1 - productT);
    const vHat = (v[i] as number) / (1 - beta2Power);
    param[i] = (param[i] as number) - (mHat * lr) / (Math.sqrt(vHat) + epsilon);
  }
}

export function rmspropUpdate(
  param: Float32Array,
  grad: Float32Array,
  velocity: Float32Array,
  mom: Float32Array | null,
  avg: Float32Array | null,
  lr: number,
  rho: number,
  momentum: number,
  epsilon: number,
): void {
  for (let i = 0; i < param.length; i++) {
    const g = grad[i] as number;
    velocity[i] = rho * (velocity[i] as number) + (1 - rho) * g * g;
    let denominator: number;
    if (avg !== null) {
      avg[i] = rho * (avg[i] as number) + (1 - rho) * g;
      // the stored (float32) velocity and average, as Keras reads them back
      denominator = (velocity[i] as number) - (avg[i] as number) * (avg[i] as number) + epsilon;
    } else {
      denominator = (velocity[i] as number) + epsilon;
    }
    const increment = (lr * g) / Math.sqrt(denominator);
    if (mom !== null) {
      mom[i] = momentum * (mom[i] as number) + increment;
      param[i] = (param[i] as number) - (mom[i] as number);
    } else {
      param[i] = (param[i] as number) - increment;
    }
  }
}

export function weightDecayUpdate(param: Float32Array, factor: number): void {
  for (let i = 0; i < param.length; i++) param[i] = (param[i] as number) * factor;
}
