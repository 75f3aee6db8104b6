import { Tensor } from '../tensor/tensor.js';
import { valueAndGrads } from './grad.js';
import { noGrad } from './record.js';

export interface GradCheckOptions {
  /** Finite-difference step. float32 forwards need a fairly large one. */
  epsilon?: number;
  /** Allowed |analytic - numeric| / max(1, |analytic|, |numeric|). */
  tolerance?: number;
  /** Check at most this many elements per input (spread evenly), to keep big inputs cheap. */
  maxElements?: number;
}

export interface GradCheckResult {
  ok: boolean;
  maxError: number;
  /** Where the worst disagreement was: input index, element index, both values. */
  worst: { input: number; index: number; analytic: number; numeric: number } | null;
}

/**
 * Compares the autograd gradient of scalar-valued f with central differences of f,
 * perturbing each input element by ±epsilon.
 */
export function gradCheck(
  f: (...xs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  options: GradCheckOptions = {},
): GradCheckResult {
  const { epsilon = 1e-2, tolerance = 2e-2, maxElements = 64 } = options;
  const { grads } = valueAndGrads(f)(inputs);
  // The perturbed values stay in these host arrays; each evaluation wraps them in fresh tensors,
  // since a backend whose storage is not host memory (wasm) takes a copy of a tensor's values.
  const hostValues = inputs.map((x) => Float32Array.from(x.dataSync()));
  const evalAt = (): number =>
    noGrad(() => f(...hostValues.map((v, j) => new Tensor(v, (inputs[j] as Tensor).shape))).dataSync()[0] as number);
  let maxError = 0;
  let worst: GradCheckResult['worst'] = null;
  hostValues.forEach((values, xi) => {
    const g = (grads[xi] as Tensor).dataSync();
    const step = Math.max(1, Math.floor(values.length / maxElements));
    for (let i = 0; i < values.length; i += step) {
      const orig = values[i] as number;
      values[i] = orig + epsilon;
      const up = evalAt();
      values[i] = orig - epsilon;
      const down = evalAt();
      values[i] = orig;
      const numeric = (up - down) / (2 * epsilon);
      const analytic = g[i] as number;
      const err = Math.abs(analytic - numeric) / Math.max(1, Math.abs(analytic), Math.abs(numeric));
      if (err > maxError || Number.isNaN(err)) {
        maxError = Number.isNaN(err) ? Infinity : err;
        worst = { input: xi, index: i, analytic, numeric };
      }
    }
  });
  return { ok: maxError <= tolerance, maxError, worst };
}
