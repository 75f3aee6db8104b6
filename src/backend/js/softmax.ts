/** Row-wise softmax family over [rows, cols]. */

export function softmax(x: Float32Array, rows: number, cols: number, out: Float32Array): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let m = -Infinity;
    for (let j = 0; j < cols; j++) m = Math.max(m, x[o + j] as number);
    let s = 0;
    for (let j = 0; j < cols; j++) {
      const e = Math.exp((x[o + j] as number) - m);
      out[o + j] = e;
      s += e;
    }
    const inv = 1 / s;
    for (let j = 0; j < cols; j++) out[o + j] = (out[o + j] as number) * inv;
  }
}

export function logSoftmax(x: Float32Array, rows: number, cols: number, out: Float32Array): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let m = -Infinity;
    for (let j = 0; j < cols; j++) m = Math.max(m, x[o + j] as number);
    let s = 0;
    for (let j = 0; j < cols; j++) s += Math.exp((x[o + j] as number) - m);
    const lse = m + Math.log(s);
    for (let j = 0; j < cols; j++) out[o + j] = (x[o + j] as number) - lse;
  }
}

export function softmaxGrad(y: Float32Array, dy: Float32Array, rows: number, cols: number, dx: Float32Array): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let dot = 0;
    for (let j = 0; j < cols; j++) dot += (dy[o + j] as number) * (y[o + j] as number);
    for (let j = 0; j < cols; j++) dx[o + j] = (y[o + j] as number) * ((dy[o + j] as number) - dot);
  }
}

export function logSoftmaxGrad(y: Float32Array, dy: Float32Array, rows: number, cols: number, dx: Float32Array): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let s = 0;
    for (let j = 0; j < cols; j++) s += dy[o + j] as number;
    for (let j = 0; j < cols; j++) dx[o + j] = (dy[o + j] as number) - Math.exp(y[o + j] as number) * s;
  }
}
