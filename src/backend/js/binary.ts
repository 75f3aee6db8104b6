import type { TypedArray } from '../../tensor/dtype.js';
import type { BinaryOp, CompareOp } from '../backend.js';
import { forEachBroadcastRow, type RowLoop, runBinary } from './broadcast.js';
import { pow } from './math.js';

// Each op gets its own loop body: V8 then compiles one tight loop per op.
const binaryLoops: Record<BinaryOp, RowLoop> = {
  add: (a, ai, sa, b, bi, sb, o, oi, n) => {
    for (let i = 0; i < n; i++) o[oi + i] = (a[ai + i * sa] as number) + (b[bi + i * sb] as number);
  },
  sub: (a, ai, sa, b, bi, sb, o, oi, n) => {
    for (let i = 0; i < n; i++) o[oi + i] = (a[ai + i * sa] as number) - (b[bi + i * sb] as number);
  },
  mul: (a, ai, sa, b, bi, sb, o, oi, n) => {
    for (let i = 0; i < n; i++) o[oi + i] = (a[ai + i * sa] as number) * (b[bi + i * sb] as number);
  },
  div: (a, ai, sa, b, bi, sb, o, oi, n) => {
    if (o instanceof Int32Array) {
      // integer division truncates toward zero like TensorFlow's int32 div
      for (let i = 0; i < n; i++) o[oi + i] = Math.trunc((a[ai + i * sa] as number) / (b[bi + i * sb] as number));
    } else {
      for (let i = 0; i < n; i++) o[oi + i] = (a[ai + i * sa] as number) / (b[bi + i * sb] as number);
    }
  },
  pow: (a, ai, sa, b, bi, sb, o, oi, n) => {
    for (let i = 0; i < n; i++) o[oi + i] = pow(a[ai + i * sa] as number, b[bi + i * sb] as number);
  },
  maximum: (a, ai, sa, b, bi, sb, o, oi, n) => {
    for (let i = 0; i < n; i++) {
      const x = a[ai + i * sa] as number;
      const y = b[bi + i * sb] as number;
      o[oi + i] = x > y || Number.isNaN(x) ? x : y;
    }
  },
  minimum: (a, ai, sa, b, bi, sb, o, oi, n) => {
    for (let i = 0; i < n; i++) {
      const x = a[ai + i * sa] as number;
      const y = b[bi + i * sb] as number;
      o[oi + i] = x < y || Number.isNaN(x) ? x : y;
    }
  },
  squaredDifference: (a, ai, sa, b, bi, sb, o, oi, n) => {
    for (let i = 0; i < n; i++) {
      const d = (a[ai + i * sa] as number) - (b[bi + i * sb] as number);
      o[oi + i] = d * d;
    }
  },
  floorDiv: (a, ai, sa, b, bi, sb, o, oi, n) => {
    for (let i = 0; i < n; i++) o[oi + i] = Math.floor((a[ai + i * sa] as number) / (b[bi + i * sb] as number));
  },
  mod: (a, ai, sa, b, bi, sb, o, oi, n) => {
    // Python/TensorFlow floor-mod: the result takes the divisor's sign
    for (let i = 0; i < n; i++) {
      const x = a[ai + i * sa] as number;
      const y = b[bi + i * sb] as number;
      const r = x % y;
      o[oi + i] = r !== 0 && r < 0 !== y < 0 ? r + y : r;
    }
  },
  atan2: (a, ai, sa, b, bi, sb, o, oi, n) => {
    for (let i = 0; i < n; i++) o[oi + i] = Math.atan2(a[ai + i * sa] as number, b[bi + i * sb] as number);
  },
};

const compareLoops: Record<CompareOp, RowLoop> = {
  equal: (a, ai, sa, b, bi, sb, o, oi, n) => {
    for (let i = 0; i < n; i++) o[oi + i] = a[ai + i * sa] === b[bi + i * sb] ? 1 : 0;
  },
  notEqual: (a, ai, sa, b, bi, sb, o, oi, n) => {
    for (let i = 0; i < n; i++) o[oi + i] = a[ai + i * sa] !== b[bi + i * sb] ? 1 : 0;
  },
  less: (a, ai, sa, b, bi, sb, o, oi, n) => {
    for (let i = 0; i < n; i++) o[oi + i] = (a[ai + i * sa] as number) < (b[bi + i * sb] as number) ? 1 : 0;
  },
  lessEqual: (a, ai, sa, b, bi, sb, o, oi, n) => {
    for (let i = 0; i < n; i++) o[oi + i] = (a[ai + i * sa] as number) <= (b[bi + i * sb] as number) ? 1 : 0;
  },
  greater: (a, ai, sa, b, bi, sb, o, oi, n) => {
    for (let i = 0; i < n; i++) o[oi + i] = (a[ai + i * sa] as number) > (b[bi + i * sb] as number) ? 1 : 0;
  },
  greaterEqual: (a, ai, sa, b, bi, sb, o, oi, n) => {
    for (let i = 0; i < n; i++) o[oi + i] = (a[ai + i * sa] as number) >= (b[bi + i * sb] as number) ? 1 : 0;
  },
  logicalAnd: (a, ai, sa, b, bi, sb, o, oi, n) => {
    for (let i = 0; i < n; i++) o[oi + i] = a[ai + i * sa] !== 0 && b[bi + i * sb] !== 0 ? 1 : 0;
  },
  logicalOr: (a, ai, sa, b, bi, sb, o, oi, n) => {
    for (let i = 0; i < n; i++) o[oi + i] = a[ai + i * sa] !== 0 || b[bi + i * sb] !== 0 ? 1 : 0;
  },
};

export function binary(
  op: BinaryOp,
  a: TypedArray,
  aShape: readonly number[],
  b: TypedArray,
  bShape: readonly number[],
  out: TypedArray,
  outShape: readonly number[],
): void {
  runBinary(binaryLoops[op], a, aShape, b, bShape, out, outShape);
}

export function compare(
  op: CompareOp,
  a: TypedArray,
  aShape: readonly number[],
  b: TypedArray,
  bShape: readonly number[],
  out: Int32Array,
  outShape: readonly number[],
): void {
  runBinary(compareLoops[op], a, aShape, b, bShape, out, outShape);
}

export function select(
  cond: TypedArray,
  condShape: readonly number[],
  a: TypedArray,
  aShape: readonly number[],
  b: TypedArray,
  bShape: readonly number[],
  out: TypedArray,
  outShape: readonly number[],
): void {
  forEachBroadcastRow(outShape, [condShape, aShape, bShape], (off, st, oi, n) => {
    const ci = off[0] as number;
    const sc = st[0] as number;
    const ai = off[1] as number;
    const sa = st[1] as number;
    const bi = off[2] as number;
    const sb = st[2] as number;
    for (let i = 0; i < n; i++)
      out[oi + i] = (cond[ci + i * sc] as number) !== 0 ? (a[ai + i * sa] as number) : (b[bi + i * sb] as number);
  });
}

export function cast(x: TypedArray, out: TypedArray): void {
  if (out instanceof Int32Array && x instanceof Float32Array) {
    for (let i = 0; i < x.length; i++) out[i] = Math.trunc(x[i] as number);
  } else {
    out.set(x);
  }
}
