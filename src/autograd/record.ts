import type { Tensor } from '../tensor/tensor.js';

/**
 * Gradient recording. Ops call `record` after computing their output; it attaches a node
 * only when recording is on and some input requires grad, so inference pays one loop.
 *
 * The rule: nothing is recorded outside a gradient scope. Recording is off by default and on
 * only while `recordGradients` runs its function, which the functions that compute gradients
 * open around the computation they differentiate (`grad`, `grads`, `valueAndGrad(s)` and
 * `variableGrads`, hence the training step and `optimizer.minimize`). So `model.apply`,
 * `predict` and plain ops keep no tape even on trainable weights: an output a user keeps holds
 * its own storage, not every intermediate of the pass that made it. Scopes nest (an inner
 * scope leaves recording on for the rest of the outer one) and `noGrad` turns recording off
 * inside one.
 *
 * The flag is a module global, so every scope is synchronous: set, run, restored in `finally`.
 * Nothing awaits while recording is on, so async code (fit between its steps, a predict running
 * meanwhile) never sees a scope that is not its own.
 */
let recording = false;

/** Whether ops record gradient nodes now (only inside a gradient scope; models/recycling.ts asks). */
export function isRecording(): boolean {
  return recording;
}

/** Runs f as a gradient scope: ops record gradient nodes for inputs that require grad. */
export function recordGradients<T>(f: () => T): T {
  return withRecording(true, f);
}

/** Runs f with gradient recording off (inference, optimizer updates, the backward pass itself). */
export function noGrad<T>(f: () => T): T {
  return withRecording(false, f);
}

function withRecording<T>(on: boolean, f: () => T): T {
  const prev = recording;
  recording = on;
  try {
    return f();
  } finally {
    recording = prev;
  }
}

export function record(
  op: string,
  out: Tensor,
  inputs: readonly Tensor[],
  backward: (dy: Tensor) => readonly (Tensor | null)[],
): Tensor {
  if (!recording) return out;
  for (let i = 0; i < inputs.length; i++) {
    if ((inputs[i] as Tensor).requiresGrad) {
      out.requiresGrad = true;
      out.gradNode = { op, inputs, backward };
      return out;
    }
  }
  return out;
}
