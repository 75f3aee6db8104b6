/**
 * Single-precision matrix multiply over packed panels, the core of matmul and convolution.
 *
 * Both operands are packed into 4-row panels interleaved over k (`packPanels`), so the
 * microkernel reads two sequential streams and keeps a 4x4 tile of C in 16 locals across the
 * whole k loop. Loading one y at a time (rather than all four) keeps the live values near the
 * register count; with packing this measured ~15% faster in V8 than an unpacked 4x4 kernel
 * reading eight row streams. The driver packs A in row blocks small enough to stay in L2.
 */

/**
 * Rows (of op(A)) and columns (of op(B)) per microkernel tile. The functions below spell it as
 * the literal 4: V8 does not constant-fold a module-level const inside a hot loop, and reading
 * it there cost ~15% of the kernel's speed.
 */
export const TILE = 4;

/** Floats of A packed per row block (256 KiB): the block stays in L2 while B panels stream. */
const A_BLOCK_FLOATS = 65536;

/** Rows of A per block for a given depth k: a multiple of 4. */
export function rowsPerBlock(k: number): number {
  return Math.max(4, Math.floor(A_BLOCK_FLOATS / Math.max(k, 1)) & ~3);
}

/** Floats a packing of `rows` rows over depth k occupies (rows rounded up to whole panels). */
export function packedSize(rows: number, k: number): number {
  return Math.ceil(rows / 4) * 4 * k;
}

/**
 * Packs `rows` rows of a matrix X over depth k into panels of 4 rows: row r, depth p lands at
 * ((r >> 2) * k + p) * 4 + (r & 3). X is stored row-major as [rows, k] (row stride ld, default k),
 * or as [k, rows] when `transposed` (X[p, r] at off + p * ld + r, ld default rows). Rows past the
 * end of the last panel are zero.
 */
export function packPanels(
  x: Float32Array,
  off: number,
  rows: number,
  k: number,
  transposed: boolean,
  out: Float32Array = new Float32Array(packedSize(rows, k)),
  ld: number = transposed ? rows : k,
): Float32Array {
  const panels = Math.ceil(rows / 4);
  for (let b = 0; b < panels; b++) {
    const r0 = b * 4;
    const live = Math.min(4, rows - r0);
    const base = b * k * 4;
    if (transposed) {
      // X[p, r0 + r] for r < live is contiguous in x
      for (let p = 0; p < k; p++) {
        const s = off + p * ld + r0;
        const d = base + p * 4;
        for (let r = 0; r < live; r++) out[d + r] = x[s + r] as number;
        for (let r = live; r < 4; r++) out[d + r] = 0;
      }
    } else {
      for (let r = 0; r < 4; r++) {
        if (r >= live) {
          for (let p = 0; p < k; p++) out[base + p * 4 + r] = 0;
          continue;
        }
        const s = off + (r0 + r) * ld;
        for (let p = 0; p < k; p++) out[base + p * 4 + r] = x[s + p] as number;
      }
    }
  }
  return out;
}

/**
 * C[m, n] (+)= A · Bᵀ for packed A (m rows over k) and packed B (n rows over k); C has row
 * stride ldc starting at cOff. With `accumulate` the product is added to C, else C is written.
 * Whole 4x4 tiles that overwrite C take the fast path; edge tiles and accumulation go through
 * `tileInto` and a scratch tile.
 */
export function gemmPacked(
  ap: Float32Array,
  apOff: number,
  bp: Float32Array,
  bpOff: number,
  m: number,
  n: number,
  k: number,
  c: Float32Array,
  cOff: number,
  ldc: number,
  accumulate: boolean,
): void {
  const mFull = accumulate ? 0 : m - (m % 4);
  const nFull = accumulate ? 0 : n - (n % 4);
  if (mFull > 0 && nFull > 0) fullTiles(ap, apOff, bp, bpOff, mFull, nFull, k, c, cOff, ldc);
  const stride = k * 4;
  for (let i = 0; i < m; i += 4) {
    const rows = Math.min(4, m - i);
    // tiles the fast path already wrote: rows < mFull with columns < nFull
    for (let j = i < mFull ? nFull : 0; j < n; j += 4) {
      tileInto(ap, apOff + (i >> 2) * stride, bp, bpOff + (j >> 2) * stride, k, scratch);
      const cols = Math.min(4, n - j);
      for (let r = 0; r < rows; r++) {
        const row = cOff + (i + r) * ldc + j;
        for (let q = 0; q < cols; q++) {
          const v = scratch[r * 4 + q] as number;
          c[row + q] = accumulate ? (c[row + q] as number) + v : v;
        }
      }
    }
  }
}

const scratch = new Float64Array(4 * 4);

/**
 * The fast path: every tile whole (m and n multiples of 4), C overwritten. Kept free of edge and
 * accumulate logic so V8 keeps the 16 accumulators, 4 x values and 1 y in registers; this shape
 * measured ~15% faster than a kernel with those branches.
 */
function fullTiles(
  ap: Float32Array,
  apOff: number,
  bp: Float32Array,
  bpOff: number,
  m: number,
  n: number,
  k: number,
  c: Float32Array,
  cOff: number,
  ldc: number,
): void {
  const stride = k * 4;
  for (let i = 0; i < m; i += 4) {
    const aStart = apOff + (i >> 2) * stride;
    for (let j = 0; j < n; j += 4) {
      let a = aStart;
      let b = bpOff + (j >> 2) * stride;
      let c00 = 0,
        c01 = 0,
        c02 = 0,
        c03 = 0,
        c10 = 0,
        c11 = 0,
        c12 = 0,
        c13 = 0,
        c20 = 0,
        c21 = 0,
        c22 = 0,
        c23 = 0,
        c30 = 0,
        c31 = 0,
        c32 = 0,
        c33 = 0;
      for (let p = 0; p < k; p++, a += 4, b += 4) {
        const x0 = ap[a] as number;
        const x1 = ap[a + 1] as number;
        const x2 = ap[a + 2] as number;
        const x3 = ap[a + 3] as number;
        let y = bp[b] as number;
        c00 += x0 * y;
        c10 += x1 * y;
        c20 += x2 * y;
        c30 += x3 * y;
        y = bp[b + 1] as number;
        c01 += x0 * y;
        c11 += x1 * y;
        c21 += x2 * y;
        c31 += x3 * y;
        y = bp[b + 2] as number;
        c02 += x0 * y;
        c12 += x1 * y;
        c22 += x2 * y;
        c32 += x3 * y;
        y = bp[b + 3] as number;
        c03 += x0 * y;
        c13 += x1 * y;
        c23 += x2 * y;
        c33 += x3 * y;
      }
      const o = cOff + i * ldc + j;
      c[o] = c00;
      c[o + 1] = c01;
      c[o + 2] = c02;
      c[o + 3] = c03;
      const o1 = o + ldc;
      c[o1] = c10;
      c[o1 + 1] = c11;
      c[o1 + 2] = c12;
      c[o1 + 3] = c13;
      const o2 = o1 + ldc;
      c[o2] = c20;
      c[o2 + 1] = c21;
      c[o2 + 2] = c22;
      c[o2 + 3] = c23;
      const o3 = o2 + ldc;
      c[o3] = c30;
      c[o3 + 1] = c31;
      c[o3 + 2] = c32;
      c[o3 + 3] = c33;
    }
  }
}

/** One 4x4 tile of A · Bᵀ (panels at a and b) into out[16], row-major. */
function tileInto(ap: Float32Array, a: number, bp: Float32Array, b: number, k: number, out: Float64Array): void {
  let c00 = 0,
    c01 = 0,
    c02 = 0,
    c03 = 0,
    c10 = 0,
    c11 = 0,
    c12 = 0,
    c13 = 0,
    c20 = 0,
    c21 = 0,
    c22 = 0,
    c23 = 0,
    c30 = 0,
    c31 = 0,
    c32 = 0,
    c33 = 0;
  for (let p = 0; p < k; p++, a += 4, b += 4) {
    const x0 = ap[a] as number;
    const x1 = ap[a + 1] as number;
    const x2 = ap[a + 2] as number;
    const x3 = ap[a + 3] as number;
    let y = bp[b] as number;
    c00 += x0 * y;
    c10 += x1 * y;
    c20 += x2 * y;
    c30 += x3 * y;
    y = bp[b + 1] as number;
    c01 += x0 * y;
    c11 += x1 * y;
    c21 += x2 * y;
    c31 += x3 * y;
    y = bp[b + 2] as number;
    c02 += x0 * y;
    c12 += x1 * y;
    c22 += x2 * y;
    c32 += x3 * y;
    y = bp[b + 3] as number;
    c03 += x0 * y;
    c13 += x1 * y;
    c23 += x2 * y;
    c33 += x3 * y;
  }
  out[0] = c00;
  out[1] = c01;
  out[2] = c02;
  out[3] = c03;
  out[4] = c10;
  out[5] = c11;
  out[6] = c12;
  out[7] = c13;
  out[8] = c20;
  out[9] = c21;
  out[10] = c22;
  out[11] = c23;
  out[12] = c30;
  out[13] = c31;
  out[14] = c32;
  out[15] = c33;
}

/**
 * C (+)= op(A) · op(B) over contiguous row-major operands: A is [m,k] ([k,m] when transA),
 * B is [k,n] ([n,k] when transB), C is [m,n]. `packedB` reuses an earlier packing of the same B.
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
  packedB?: Float32Array,
): void {
  if (m === 0 || n === 0) return;
  if (k === 0) {
    if (!accumulate) c.fill(0, cOff, cOff + m * n);
    return;
  }
  const bp = packedB ?? packPanels(b, bOff, n, k, !transB);
  const block = rowsPerBlock(k);
  const ap = new Float32Array(packedSize(Math.min(block, m), k));
  for (let i0 = 0; i0 < m; i0 += block) {
    const rows = Math.min(block, m - i0);
    // rows i0.. of op(A): [m,k] storage starts at row i0; [k,m] storage at column i0 (stride m)
    if (transA) packPanels(a, aOff + i0, rows, k, true, ap, m);
    else packPanels(a, aOff + i0 * k, rows, k, false, ap);
    gemmPacked(ap, 0, bp, 0, rows, n, k, c, cOff + i0 * n, n, accumulate);
  }
}
