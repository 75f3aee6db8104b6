/**
 * Default optimizer updates (Keras 3's formulas, see backend.ts for each), elementwise over
 * primitives. Every new value is computed into fresh storage and copied into its slot or
 * parameter at the end: no primitive is asked to write over one of its own inputs.
 */
import type { NadamStep, RequiredPrimitives, Storage } from '../backend.js';
import { copyInto, map, zip } from './elementwise.js';

type B = RequiredPrimitives;

/** mean += (value - mean) * rate: Keras's moving-average form. */
function ema(b: B, mean: Storage, value: Storage, rate: number): Storage {
  return zip(b, 'add', mean, zip(b, 'mul', zip(b, 'sub', value, mean), rate));
}

export function sgdUpdate(
  b: B,
  param: Storage,
  grad: Storage,
  velocity: Storage | null,
  learningRate: number,
  momentum: number,
  nesterov: boolean,
): void {
  const step = zip(b, 'mul', grad, learningRate);
  if (velocity === null) {
    copyInto(b, zip(b, 'sub', param, step), param);
    return;
  }
  const v = zip(b, 'sub', zip(b, 'mul', velocity, momentum), step);
  copyInto(b, v, velocity);
  const move = nesterov ? zip(b, 'sub', zip(b, 'mul', v, momentum), step) : v;
  copyInto(b, zip(b, 'add', param, move), param);
}

export function adamUpdate(
  b: B,
  param: Storage,
  grad: Storage,
  m: Storage,
  v: Storage,
  vMax: Storage | null,
  stepSize: number,
  beta1: number,
  beta2: number,
  epsilon: number,
): void {
  const mNew = ema(b, m, grad, 1 - beta1);
  const vNew = ema(b, v, map(b, 'square', grad), 1 - beta2);
  copyInto(b, mNew, m);
  copyInto(b, vNew, v);
  let denominatorV = vNew;
  if (vMax !== null) {
    denominatorV = zip(b, 'maximum', vMax, vNew);
    copyInto(b, denominatorV, vMax);
  }
  const denominator = zip(b, 'add', map(b, 'sqrt', denominatorV), epsilon);
  copyInto(b, zip(b, 'sub', param, zip(b, 'div', zip(b, 'mul', mNew, stepSize), denominator)), param);
}

export function adagradUpdate(
  b: B,
  param: Storage,
  grad: Storage,
  accumulator: Storage,
  learningRate: number,
  epsilon: number,
): void {
  const acc = zip(b, 'add', accumulator, map(b, 'square', grad));
  copyInto(b, acc, accumulator);
  const step = zip(b, 'div', zip(b, 'mul', grad, learningRate), map(b, 'sqrt', zip(b, 'add', acc, epsilon)));
  copyInto(b, zip(b, 'sub', param, step), param);
}

export function adadeltaUpdate(
  b: B,
  param: Storage,
  grad: Storage,
  accumulatedGrad: Storage,
  accumulatedDelta: Storage,
  learningRate: number,
  rho: number,
  epsilon: number,
): void {
  const accGrad = zip(b, 'add', zip(b, 'mul', accumulatedGrad, rho), zip(b, 'mul', map(b, 'square', grad), 1 - rho));
  const rmsDelta = map(b, 'sqrt', zip(b, 'add', accumulatedDelta, epsilon));
  const rmsGrad = map(b, 'sqrt', zip(b, 'add', accGrad, epsilon));
  const delta = map(b, 'neg', zip(b, 'div', zip(b, 'mul', rmsDelta, grad), rmsGrad));
  const accDelta = zip(b, 'add', zip(b, 'mul', accumulatedDelta, rho), zip(b, 'mul', map(b, 'square', delta), 1 - rho));
  copyInto(b, accGrad, accumulatedGrad);
  copyInto(b, accDelta, accumulatedDelta);
  copyInto(b, zip(b, 'add', param, zip(b, 'mul', delta, learningRate)), param);
}

export function adamaxUpdate(
  b: B,
  param: Storage,
  grad: Storage,
  m: Storage,
  u: Storage,
  learningRate: number,
  beta1: number,
  beta2: number,
  epsilon: number,
  step: number,
): void {
  const mNew = ema(b, m, grad, 1 - beta1);
  const uNew = zip(b, 'maximum', zip(b, 'mul', u, beta2), map(b, 'abs', grad));
  copyInto(b, mNew, m);
  copyInto(b, uNew, u);
  const denominator = zip(b, 'mul', zip(b, 'add', uNew, epsilon), 1 - beta1 ** step);
  copyInto(b, zip(b, 'sub', param, zip(b, 'div', zip(b, 'mul', mNew, learningRate), denominator)), param);
}

export function nadamUpdate(b: B, param: Storage, grad: Storage, m: Storage, v: Storage, s: NadamStep): void {
  const mNew = ema(b, m, grad, 1 - s.beta1);
  const vNew = ema(b, v, map(b, 'square', grad), 1 - s.beta2);
  copyInto(b, mNew, m);
  copyInto(b, vNew, v);
  const mHat = zip(
    b,
    'add',
    zip(b, 'mul', mNew, s.nextMomentum / (1 - s.nextMomentumProduct)),
    zip(b, 'mul', grad, (1 - s.momentum) / (1 - s.momentumProduct)),
  );
  const denominator = zip(b, 'add', map(b, 'sqrt', zip(b, 'div', vNew, 1 - s.beta2Power)), s.epsilon);
  copyInto(b, zip(b, 'sub', param, zip(b, 'div', zip(b, 'mul', mHat, s.learningRate), denominator)), param);
}

export function rmspropUpdate(
  b: B,
  param: Storage,
  grad: Storage,
  velocity: Storage,
  momentumSlot: Storage | null,
  average: Storage | null,
  learningRate: number,
  rho: number,
  momentum: number,
  epsilon: number,
): void {
  const v = zip(b, 'add', zip(b, 'mul', velocity, rho), zip(b, 'mul', map(b, 'square', grad), 1 - rho));
  copyInto(b, v, velocity);
  let denominator = zip(b, 'add', v, epsilon);
  if (average !== null) {
    const a = zip(b, 'add', zip(b, 'mul', average, rho), zip(b, 'mul', grad, 1 - rho));
    copyInto(b, a, average);
    denominator = zip(b, 'sub', denominator, map(b, 'square', a));
  }
  const increment = zip(b, 'div', zip(b, 'mul', grad, learningRate), map(b, 'sqrt', denominator));
  let move = increment;
  if (momentumSlot !== null) {
    move = zip(b, 'add', zip(b, 'mul', momentumSlot, momentum), increment);
    copyInto(b, move, momentumSlot);
  }
  copyInto(b, zip(b, 'sub', param, move), param);
}

export function weightDecayUpdate(b: B, param: Storage, factor: number): void {
  copyInto(b, zip(b, 'mul', param, factor), param);
}
