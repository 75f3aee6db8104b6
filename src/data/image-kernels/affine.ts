/**
 * Keras's `apply_affine_transform`, bit for bit: the matrix is composed exactly as
 * `keras.src.legacy.preprocessing.image.apply_affine_transform` composes it, and it is applied the
 * way `scipy.ndimage.affine_transform` (SciPy >= 1.6, order 0 or 1, no prefilter) applies it,
 * including SciPy's boundary modes. Pure TypeScript: no Node, no backend.
 *
 * SciPy mode names, as Keras passes `fill_mode` straight through:
 * - 'nearest'  edge value repeated (a a a | a b c d | d d d);
 * - 'reflect'  half-sample symmetric (b a | a b c d | d c), what SciPy calls 'reflect' since 1.6;
 * - 'wrap'     SciPy's legacy wrap, whose period is n - 1 (first and last samples overlap), not the
 *              n-periodic 'grid-wrap';
 * - 'constant' `cval` for every output point whose source coordinate leaves [0, n - 1] on any axis,
 *              no interpolation toward the outside (SciPy's 'constant', not 'grid-constant').
 */

export type FillMode = 'constant' | 'nearest' | 'reflect' | 'wrap';

export const FILL_MODES: readonly FillMode[] = ['constant', 'nearest', 'reflect', 'wrap'];

/** Mode codes, private: SciPy's NI_ExtendMode plus 'mirror' (used for edge taps). */
const NEAREST = 0;
const WRAP = 1;
const REFLECT = 2;
const MIRROR = 3;
const CONSTANT = 4;

function modeCode(mode: FillMode): number {
  switch (mode) {
    case 'nearest':
      return NEAREST;
    case 'wrap':
      return WRAP;
    case 'reflect':
      return REFLECT;
    case 'constant':
      return CONSTANT;
    default:
      throw new Error(`affine transform: fill mode must be one of ${FILL_MODES.join(', ')}, received '${String(mode)}'.`);
  }
}

/** SciPy's `map_coordinate`: folds a coordinate outside [0, len - 1] back inside, per mode. */
function mapCoordinate(c: number, len: number, mode: number): number {
  if (c < 0) {
    switch (mode) {
      case MIRROR:
        if (len <= 1) return 0;
        {
          const sz2 = 2 * len - 2;
          c = sz2 * Math.trunc(-c / sz2) + c;
          return c <= 1 - len ? c + sz2 : -c;
        }
      case REFLECT:
        if (len <= 1) return 0;
        {
          const sz2 = 2 * len;
          if (c < -sz2) c = sz2 * Math.trunc(-c / sz2) + c;
          return c < -len ? c + sz2 : -c - 1;
        }
      case WRAP:
        if (len <= 1) return 0;
        {
          const sz = len - 1;
          return c + sz * (Math.trunc(-c / sz) + 1);
        }
      case NEAREST:
        return 0;
      default:
        return -1;
    }
  }
  if (c > len - 1) {
    switch (mode) {
      case MIRROR:
        if (len <= 1) return 0;
        {
          const sz2 = 2 * len - 2;
          c -= sz2 * Math.trunc(c / sz2);
          return c >= len ? sz2 - c : c;
        }
      case REFLECT:
        if (len <= 1) return 0;
        {
          const sz2 = 2 * len;
          c -= sz2 * Math.trunc(c / sz2);
          return c >= len ? sz2 - c - 1 : c;
        }
      case WRAP:
        if (len <= 1) return 0;
        {
          const sz = len - 1;
          return c - sz * Math.trunc(c / sz);
        }
      case NEAREST:
        return len - 1;
      default:
        return -1;
    }
  }
  return c;
}

/** The mode SciPy uses for the taps of the interpolation filter that fall outside the input. */
function tapMode(mode: number): number {
  return mode === CONSTANT || mode === WRAP ? MIRROR : mode;
}

/** Where one output coordinate samples along one axis: two taps and their weights, or outside. */
interface AxisSample {
  outside: boolean;
  i0: number;
  i1: number;
  w0: number;
  w1: number;
}

/**
 * Coordinates within this distance of an integer are taken as that integer. The matrix is built
 * from sin/cos and 3x3 products whose last bit differs between libms and BLAS kernels; without
 * this, a point that is mathematically on the border (0 or n - 1) could fall a rounding error
 * outside it and take `cval` (or the other side of a wrap) where NumPy + SciPy did not, or the
 * reverse.
 */
const SNAP = 1e-9;

function sampleAxis(coord: number, len: number, mode: number, order: number, s: AxisSample): void {
  const nearest = Math.round(coord);
  let cc = Math.abs(coord - nearest) < SNAP ? nearest : coord;
  if (mode !== NEAREST) cc = mapCoordinate(cc, len, mode);
  if (!(cc > -1.0) && mode !== NEAREST) {
    s.outside = true;
    return;
  }
  s.outside = false;
  if (order === 0) {
    let start = Math.floor(cc + 0.5);
    if (start < 0 || start >= len) start = Math.trunc(mapCoordinate(start, len, tapMode(mode)));
    s.i0 = start;
    s.i1 = start;
    s.w0 = 1;
    s.w1 = 0;
    return;
  }
  const start = Math.floor(cc);
  let i0 = start;
  let i1 = start + 1;
  if (start < 0 || start + 1 >= len) {
    const tm = tapMode(mode);
    i0 = Math.trunc(mapCoordinate(i0, len, tm));
    i1 = Math.trunc(mapCoordinate(i1, len, tm));
  }
  // SciPy's get_spline_interpolation_weights for order 1: the last weight is 1 minus the others.
  const w0 = 1.0 - (cc - start);
  s.i0 = i0;
  s.i1 = i1;
  s.w0 = w0;
  s.w1 = 1.0 - w0;
}

/** A 2-D affine map from output (a, b) coordinates to input coordinates, SciPy's convention. */
export interface PlaneMap {
  /** Row-major 2x2 matrix. */
  m00: number;
  m01: number;
  m10: number;
  m11: number;
  off0: number;
  off1: number;
}

/** Memory layout of one image: two spatial axes (a, b) and a channel axis, as element strides. */
export interface PlaneLayout {
  dimA: number;
  dimB: number;
  channels: number;
  strideA: number;
  strideB: number;
  strideC: number;
}

/**
 * `scipy.ndimage.affine_transform` applied to every channel of one image (same map for each),
 * float32 in, float32 out, order 0 or 1. `out` may not alias `input`.
 */
export function affineTransformPlanes(
  input: Float32Array,
  out: Float32Array,
  layout: PlaneLayout,
  map: PlaneMap,
  fillMode: FillMode,
  cval: number,
  order: number,
): void {
  if (order !== 0 && order !== 1) {
    throw new Error(`affine transform: interpolation order must be 0 or 1 (as Keras uses), received ${order}.`);
  }
  const mode = modeCode(fillMode);
  const { dimA, dimB, channels, strideA, strideB, strideC } = layout;
  const { m00, m01, m10, m11, off0, off1 } = map;
  const sa: AxisSample = { outside: false, i0: 0, i1: 0, w0: 0, w1: 0 };
  const sb: AxisSample = { outside: false, i0: 0, i1: 0, w0: 0, w1: 0 };
  const fillValue = Math.fround(cval);
  // Interior points (both taps inside, clear of the snapping band) take a direct path; points
  // near or beyond the borders go through SciPy's boundary logic.
  const hiA = dimA - 1 - SNAP;
  const hiB = dimB - 1 - SNAP;
  for (let a = 0; a < dimA; a++) {
    for (let b = 0; b < dimB; b++) {
      // Same order of operations as SciPy: sum over output axes, then the shift.
      const ca = a * m00 + b * m01 + off0;
      const cb = a * m10 + b * m11 + off1;
      const o = a * strideA + b * strideB;
      if (order === 1 && ca > SNAP && ca < hiA && cb > SNAP && cb < hiB) {
        const fa = Math.floor(ca);
        const fb = Math.floor(cb);
        const wa0 = 1.0 - (ca - fa);
        const wa1 = 1.0 - wa0;
        const wb0 = 1.0 - (cb - fb);
        const wb1 = 1.0 - wb0;
        const p00 = fa * strideA + fb * strideB;
        const p01 = p00 + strideB;
        const p10 = p00 + strideA;
        const p11 = p10 + strideB;
        for (let c = 0; c < channels; c++) {
          const pc = c * strideC;
          let t = 0.0;
          t += (input[p00 + pc] as number) * wa0 * wb0;
          t += (input[p01 + pc] as number) * wa0 * wb1;
          t += (input[p10 + pc] as number) * wa1 * wb0;
          t += (input[p11 + pc] as number) * wa1 * wb1;
          out[o + pc] = t;
        }
        continue;
      }
      sampleAxis(ca, dimA, mode, order, sa);
      if (!sa.outside) sampleAxis(cb, dimB, mode, order, sb);
      if (sa.outside || sb.outside) {
        for (let c = 0; c < channels; c++) out[o + c * strideC] = fillValue;
        continue;
      }
      const pa0 = sa.i0 * strideA;
      const pa1 = sa.i1 * strideA;
      const pb0 = sb.i0 * strideB;
      const pb1 = sb.i1 * strideB;
      if (order === 0) {
        for (let c = 0; c < channels; c++) out[o + c * strideC] = input[pa0 + pb0 + c * strideC] as number;
        continue;
      }
      const wa0 = sa.w0;
      const wa1 = sa.w1;
      const wb0 = sb.w0;
      const wb1 = sb.w1;
      for (let c = 0; c < channels; c++) {
        const pc = c * strideC;
        // Taps in SciPy's order (last axis fastest), each value times weight of axis a then b.
        let t = 0.0;
        t += (input[pa0 + pb0 + pc] as number) * wa0 * wb0;
        t += (input[pa0 + pb1 + pc] as number) * wa0 * wb1;
        t += (input[pa1 + pb0 + pc] as number) * wa1 * wb0;
        t += (input[pa1 + pb1 + pc] as number) * wa1 * wb1;
        out[o + pc] = t;
      }
    }
  }
}

/** The parameters of Keras's `apply_affine_transform` (degrees for angles, pixels for shifts). */
export interface AffineParameters {
  theta?: number;
  tx?: number;
  ty?: number;
  shear?: number;
  zx?: number;
  zy?: number;
}

type Mat3 = [number, number, number, number, number, number, number, number, number];

function dot3(a: Mat3, b: Mat3): Mat3 {
  const r = new Array<number>(9) as Mat3;
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      r[i * 3 + j] = a[i * 3] * b[j] + a[i * 3 + 1] * b[3 + j] + a[i * 3 + 2] * b[6 + j];
    }
  }
  return r;
}

const DEG2RAD = Math.PI / 180.0;

/**
 * Keras's composed matrix (rotation, then shift, shear, zoom, centred on the image), as the
 * SciPy map for the two spatial axes in array order; null when the parameters are the identity
 * (Keras then returns the image untouched). `rowLen`/`colLen` are the sizes of Keras's row and
 * column axes; `colAfterRow` is Keras's `col_axis > row_axis` (true for HWC and CHW), which
 * makes Keras swap the matrix's x and y.
 */
export function kerasAffineMap(p: AffineParameters, rowLen: number, colLen: number, colAfterRow: boolean): PlaneMap | null {
  const theta = p.theta ?? 0;
  const tx = p.tx ?? 0;
  const ty = p.ty ?? 0;
  const shear = p.shear ?? 0;
  const zx = p.zx ?? 1;
  const zy = p.zy ?? 1;
  let m: Mat3 | null = null;
  if (theta !== 0) {
    const t = theta * DEG2RAD;
    m = [Math.cos(t), -Math.sin(t), 0, Math.sin(t), Math.cos(t), 0, 0, 0, 1];
  }
  if (tx !== 0 || ty !== 0) {
    const s: Mat3 = [1, 0, tx, 0, 1, ty, 0, 0, 1];
    m = m === null ? s : dot3(m, s);
  }
  if (shear !== 0) {
    const sh = shear * DEG2RAD;
    const s: Mat3 = [1, -Math.sin(sh), 0, 0, Math.cos(sh), 0, 0, 0, 1];
    m = m === null ? s : dot3(m, s);
  }
  if (zx !== 1 || zy !== 1) {
    const z: Mat3 = [zx, 0, 0, 0, zy, 0, 0, 0, 1];
    m = m === null ? z : dot3(m, z);
  }
  if (m === null) return null;
  // transform_matrix_offset_center(matrix, h, w)
  const ox = rowLen / 2 - 0.5;
  const oy = colLen / 2 - 0.5;
  m = dot3(dot3([1, 0, ox, 0, 1, oy, 0, 0, 1], m), [1, 0, -ox, 0, 1, -oy, 0, 0, 1]);
  if (colAfterRow) {
    // transform_matrix[:, [0, 1]] = transform_matrix[:, [1, 0]]; then the rows likewise.
    m = [m[4], m[3], m[5], m[1], m[0], m[2], m[7], m[6], m[8]];
  }
  return { m00: m[0], m01: m[1], m10: m[3], m11: m[4], off0: m[2], off1: m[5] };
}
