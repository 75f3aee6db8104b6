import type { Tensor } from '../tensor/tensor.js';

/**
 * Gradient recording. Ops call `record` after computing their output; it attaches a node
 * only when recording is on and some input requires grad, so inference pays one loop.
 */
let recording = true;

export function isRecording(): boolean {
  return recording;
}

/** Runs f with gradient recording off (inference, optimizer updates, the backward pass itself). */
export function noGrad<T>(f: () => T): T {
  const prev = recording;
  recording = false;
  try {
    return f();
  } finally {
    recording = prev;
  }
}

/** Async variant of `noGrad` for awaited work (recording stays off until f settles). */
export async function noGradAsync<T>(f: () => Promise<T>): Promise<T> {
  const prev = recording;
  recording = false;
  try {
    return await f();
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
