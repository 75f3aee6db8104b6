/**
 * Batch normalization over the last axis of x viewed as [rows, channels]. Statistics accumulate
 * in float64 so long batches do not lose precision.
 */

export function batchNormInference(
  x: Float32Array,
  mean: Float32Array,
  variance: Float32Array,
  gamma: Float32Array | null,
  beta: Float32Array | null,
  epsilon: number,
  channels: number,
  out: Float32Array,
): void {
  const scale = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    scale[c] = (gamma ? (gamma[c] as number) : 1) / Math.sqrt((variance[c] as number) + epsilon);
  }
  applyCenterScaleShift(x, mean, scale, beta ?? new Float32Array(channels), channels, out);
}

/**
 * out = (x - center) * scale + shift per channel. Centering first keeps a large mean from
 * cancelling (x * scale + (shift - mean * scale) loses everything when |mean * scale| is huge).
 */
function applyCenterScaleShift(
  x: Float32Array,
  center: Float32Array,
  scale: Float64Array,
  shift: Float32Array | Float64Array,
  channels: number,
  out: Float32Array,
): void {
  for (let o = 0; o < x.length; o += channels) {
    for (let c = 0; c < channels; c++) {
      out[o + c] = ((x[o + c] as number) - (center[c] as number)) * (scale[c] as number) + (shift[c] as number);
    }
  }
}

/** Per-channel mean and biased variance (two passes, float64). */
function channelMoments(
  x: Float32Array,
  channels: number,
  mean: Float32Array,
  variance: Float32Array,
): [Float64Array, Float64Array] {
  const rows = x.length / channels;
  const m = new Float64Array(channels);
  const v = new Float64Array(channels);
  for (let o = 0; o < x.length; o += channels) for (let c = 0; c < channels; c++) m[c] = (m[c] as number) + (x[o + c] as number);
  for (let c = 0; c < channels; c++) m[c] = rows > 0 ? (m[c] as number) / rows : 0;
  for (let o = 0; o < x.length; o += channels) {
    for (let c = 0; c < channels; c++) {
      const d = (x[o + c] as number) - (m[c] as number);
      v[c] = (v[c] as number) + d * d;
    }
  }
  for (let c = 0; c < channels; c++) {
    v[c] = rows > 0 ? (v[c] as number) / rows : 0;
    mean[c] = m[c] as number;
    variance[c] = v[c] as number;
  }
  return [m, v];
}

export function batchNormTraining(
  x: Float32Array,
  gamma: Float32Array | null,
  beta: Float32Array | null,
  epsilon: number,
  channels: number,
  out: Float32Array,
  mean: Float32Array,
  variance: Float32Array,
): void {
  const [m, v] = channelMoments(x, channels, mean, variance);
  const scale = new Float64Array(channels);
  const shift = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    scale[c] = (gamma ? (gamma[c] as number) : 1) / Math.sqrt((v[c] as number) + epsilon);
    // Centred on the float32 mean (what native kernels hold); its rounding moves into the shift,
    // so both engines agree even where the scale is infinite.
    shift[c] = (beta ? (beta[c] as number) : 0) - ((m[c] as number) - (mean[c] as number)) * (scale[c] as number);
  }
  applyCenterScaleShift(x, mean, scale, shift, channels, out);
}

/**
 * With x̂ = (x - mean) / sqrt(var + eps): dBeta = Σ dy, dGamma = Σ dy·x̂,
 * dx = gamma / sqrt(var + eps) · (dy - dBeta / rows - x̂ · dGamma / rows).
 */
export function batchNormGrad(
  x: Float32Array,
  dy: Float32Array,
  mean: Float32Array,
  variance: Float32Array,
  gamma: Float32Array | null,
  epsilon: number,
  channels: number,
  dx: Float32Array,
  dGamma: Float32Array,
  dBeta: Float32Array,
): void {
  const rows = x.length / channels;
  const inv = new Float64Array(channels);
  for (let c = 0; c < channels; c++) inv[c] = 1 / Math.sqrt((variance[c] as number) + epsilon);
  const sumDy = new Float64Array(channels);
  const sumDyXhat = new Float64Array(channels);
  for (let o = 0; o < x.length; o += channels) {
    for (let c = 0; c < channels; c++) {
      const g = dy[o + c] as number;
      sumDy[c] = (sumDy[c] as number) + g;
      sumDyXhat[c] = (sumDyXhat[c] as number) + g * ((x[o + c] as number) - (mean[c] as number)) * (inv[c] as number);
    }
  }
  for (let c = 0; c < channels; c++) {
    dBeta[c] = sumDy[c] as number;
    dGamma[c] = sumDyXhat[c] as number;
  }
  for (let o = 0; o < x.length; o += channels) {
    for (let c = 0; c < channels; c++) {
      const ic = inv[c] as number;
      const xhat = ((x[o + c] as number) - (mean[c] as number)) * ic;
      const k = (gamma ? (gamma[c] as number) : 1) * ic;
      dx[o + c] = k * ((dy[o + c] as number) - ((sumDy[c] as number) + xhat * (sumDyXhat[c] as number)) / rows);
    }
  }
}
