/**
 * Layer normalization over each row of x viewed as [rows, cols]: the reference the native kernel
 * is tested against. Row statistics and the gradient's row sums accumulate in float64.
 */

export function layerNorm(
  x: Float32Array,
  gamma: Float32Array | null,
  beta: Float32Array | null,
  epsilon: number,
  rows: number,
  cols: number,
  out: Float32Array,
  mean: Float32Array,
  rstd: Float32Array,
): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += x[o + c] as number;
    const m = cols > 0 ? sum / cols : 0;
    // Two passes: Σx² - (Σx)²/n cancels when the mean is large next to the spread.
    let squares = 0;
    for (let c = 0; c < cols; c++) {
      const d = (x[o + c] as number) - m;
      squares += d * d;
    }
    const rs = 1 / Math.sqrt((cols > 0 ? squares / cols : 0) + epsilon);
    mean[r] = m;
    rstd[r] = rs;
    for (let c = 0; c < cols; c++) {
      const xhat = ((x[o + c] as number) - m) * rs;
      out[o + c] = xhat * (gamma ? (gamma[c] as number) : 1) + (beta ? (beta[c] as number) : 0);
    }
  }
}

export function layerNormGrad(
  x: Float32Array,
  dy: Float32Array,
  mean: Float32Array,
  rstd: Float32Array,
  gamma: Float32Array | null,
  rows: number,
  cols: number,
  dx: Float32Array,
  dGamma: Float32Array,
  dBeta: Float32Array,
): void {
  const sumDyXhat = new Float64Array(cols);
  const sumDy = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    const m = mean[r] as number;
    const rs = rstd[r] as number;
    // dx = rstd * (g - mean(g) - x̂ * mean(g * x̂)) with g = dy * gamma.
    let sg = 0;
    let sgx = 0;
    for (let c = 0; c < cols; c++) {
      const xhat = ((x[o + c] as number) - m) * rs;
      const d = dy[o + c] as number;
      const g = d * (gamma ? (gamma[c] as number) : 1);
      sg += g;
      sgx += g * xhat;
      sumDyXhat[c] = (sumDyXhat[c] as number) + d * xhat;
      sumDy[c] = (sumDy[c] as number) + d;
    }
    const a = cols > 0 ? sg / cols : 0;
    const b = cols > 0 ? sgx / cols : 0;
    for (let c = 0; c < cols; c++) {
      const xhat = ((x[o + c] as number) - m) * rs;
      const g = (dy[o + c] as number) * (gamma ? (gamma[c] as number) : 1);
      dx[o + c] = rs * (g - a - xhat * b);
    }
  }
  for (let c = 0; c < cols; c++) {
    dGamma[c] = sumDyXhat[c] as number;
    dBeta[c] = sumDy[c] as number;
  }
}
