import type { MatmulArgs } from '../backend.js';
import { applyActivationInPlace } from './unary.js';

/** Depth of one k-block: 4 rows of A and 4 of B^T stay in L1 while a tile accumulates. */
const KC = 256;

/**
 * C[m,n] (+)= A[m,k] · Bt[n,k]^T where A and Bt are row-major over k. Both operands stream
 * contiguously; a 4x4 tile of C lives in 16 locals (registers) across the k loop.
 * With `accumulate` the product is added to C, else C is overwritten.
 */
export function gemmNT(
  a: Float32Array,
  aOff: number,
  bt: Float32Array,
  bOff: number,
  c: Float32Array,
  cOff: number,
  m: number,
  n: number,
  k: number,
  accumulate = false,
): void {
  if (!accumulate) c.fill(0, cOff, cOff + m * n);
  for (let k0 = 0; k0 < k; k0 += KC) {
    const k1 = Math.min(k, k0 + KC);
    let i = 0;
    for (; i + 4 <= m; i += 4) {
      const a0 = aOff + i * k;
      const a1 = a0 + k;
      const a2 = a1 + k;
      const a3 = a2 + k;
      let j = 0;
      for (; j + 4 <= n; j += 4) {
        const b0 = bOff + j * k;
        const b1 = b0 + k;
        const b2 = b1 + k;
        const b3 = b2 + k;
        let c00 = 0,
          c01 = 0,
          c02 = 0,
          c03 = 0;
        let c10 = 0,
          c11 = 0,
          c12 = 0,
          c13 = 0;
        let c20 = 0,
          c21 = 0,
          c22 = 0,
          c23 = 0;
        let c30 = 0,
          c31 = 0,
          c32 = 0,
          c33 = 0;
        for (let p = k0; p < k1; p++) {
          const x0 = a[a0 + p] as number;
          const x1 = a[a1 + p] as number;
          const x2 = a[a2 + p] as number;
          const x3 = a[a3 + p] as number;
          const y0 = bt[b0 + p] as number;
          const y1 = bt[b1 + p] as number;
          const y2 = bt[b2 + p] as number;
          const y3 = bt[b3 + p] as number;
          c00 += x0 * y0;
          c01 += x0 * y1;
          c02 += x0 * y2;
          c03 += x0 * y3;
          c10 += x1 * y0;
          c11 += x1 * y1;
          c12 += x1 * y2;
          c13 += x1 * y3;
          c20 += x2 * y0;
          c21 += x2 * y1;
          c22 += x2 * y2;
          c23 += x2 * y3;
          c30 += x3 * y0;
          c31 += x3 * y1;
          c32 += x3 * y2;
          c33 += x3 * y3;
        }
        let o = cOff + i * n + j;
        c[o] = (c[o] as number) + c00;
        c[o + 1] = (c[o + 1] as number) + c01;
        c[o + 2] = (c[o + 2] as number) + c02;
        c[o + 3] = (c[o + 3] as number) + c03;
        o += n;
        c[o] = (c[o] as number) + c10;
        c[o + 1] = (c[o + 1] as number) + c11;
        c[o + 2] = (c[o + 2] as number) + c12;
        c[o + 3] = (c[o + 3] as number) + c13;
        o += n;
        c[o] = (c[o] as number) + c20;
        c[o + 1] = (c[o + 1] as number) + c21;
        c[o + 2] = (c[o + 2] as number) + c22;
        c[o + 3] = (c[o + 3] as number) + c23;
        o += n;
        c[o] = (c[o] as number) + c30;
        c[o + 1] = (c[o + 1] as number) + c31;
        c[o + 2] = (c[o + 2] as number) + c32;
        c[o + 3] = (c[o + 3] as number) + c33;
      }
      for (; j < n; j++) edgeDot(a, bt, c, aOff, bOff, cOff, i, 4, j, n, k, k0, k1);
    }
    for (; i < m; i++) for (let j = 0; j < n; j++) edgeDot(a, bt, c, aOff, bOff, cOff, i, 1, j, n, k, k0, k1);
  }
}

function edgeDot(
  a: Float32Array,
  bt: Float32Array,
  c: Float32Array,
  aOff: number,
  bOff: number,
  cOff: number,
  i0: number,
  rows: number,
  j: number,
  n: number,
  k: number,
  k0: number,
  k1: number,
): void {
  const bRow = bOff + j * k;
  for (let i = i0; i < i0 + rows; i++) {
    const aRow = aOff + i * k;
    let s = 0;
    for (let p = k0; p < k1; p++) s += (a[aRow + p] as number) * (bt[bRow + p] as number);
    const o = cOff + i * n + j;
    c[o] = (c[o] as number) + s;
  }
}

/** Copies a row-major [rows, cols] block at `off` into `dst` as [cols, rows]. */
export function transposeInto(src: Float32Array, off: number, rows: number, cols: number, dst: Float32Array): void {
  const B = 32;
  for (let r0 = 0; r0 < rows; r0 += B) {
    const r1 = Math.min(rows, r0 + B);
    for (let c0 = 0; c0 < cols; c0 += B) {
      const c1 = Math.min(cols, c0 + B);
      for (let r = r0; r < r1; r++) {
        const s = off + r * cols;
        for (let q = c0; q < c1; q++) dst[q * rows + r] = src[s + q] as number;
      }
    }
  }
}

export function matmul(a: Float32Array, b: Float32Array, out: Float32Array, args: MatmulArgs): void {
  const { batch, m, n, k, transposeA, transposeB, aBatchStride, bBatchStride, bias, activation } = args;
  // The kernel wants A as [m,k] and B as [n,k]; pack whichever operand is stored the other way.
  const aPacked = transposeA ? new Float32Array(m * k) : null;
  const bPacked = transposeB ? null : new Float32Array(n * k);
  let packedBFor = -1;
  for (let bi = 0; bi < batch; bi++) {
    const aOff = bi * aBatchStride;
    const bOff = bi * bBatchStride;
    let aSrc = a;
    let aStart = aOff;
    if (aPacked) {
      transposeInto(a, aOff, k, m, aPacked);
      aSrc = aPacked;
      aStart = 0;
    }
    let bSrc = b;
    let bStart = bOff;
    if (bPacked) {
      if (packedBFor !== bOff) transposeInto(b, bOff, k, n, bPacked);
      packedBFor = bOff;
      bSrc = bPacked;
      bStart = 0;
    }
    gemmNT(aSrc, aStart, bSrc, bStart, out, bi * m * n, m, n, k);
  }
  if (bias) {
    for (let r = 0, rows = batch * m; r < rows; r++) {
      const o = r * n;
      for (let j = 0; j < n; j++) out[o + j] = (out[o + j] as number) + (bias[j] as number);
    }
  }
  if (activation) applyActivationInPlace(activation, out);
}

/**
 * C (+)= op(A) · op(B) over contiguous row-major operands: A is [m,k] ([k,m] when transA),
 * B is [k,n] ([n,k] when transB), C is [m,n]. Operands stored the other way than gemmNT wants
 * are packed first (a transposed copy), which costs O(size) against the O(m·n·k) product.
 */
export function gemm(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  a: Float32Array,
  aOff: number,
  b: Float32Array,
  bOff: number,
  c: Float32Array,
  cOff: number,
  accumulate: boolean,
): void {
  let aSrc = a;
  let aStart = aOff;
  if (transA) {
    aSrc = new Float32Array(m * k);
    transposeInto(a, aOff, k, m, aSrc);
    aStart = 0;
  }
  let bSrc = b;
  let bStart = bOff;
  if (!transB) {
    bSrc = new Float32Array(n * k);
    transposeInto(b, bOff, k, n, bSrc);
    bStart = 0;
  }
  gemmNT(aSrc, aStart, bSrc, bStart, c, cOff, m, n, k, accumulate);
}
