import { it } from 'vitest';
import type { ActivationOp, BinaryOp, CompareOp, UnaryOp } from '../../src/backend/backend.js';
import { describeEachIsa, expectClose, expectEqual, js, SIZES, sizeOf } from './harness.js';

/** Input ranges where each op is defined (the reference computes in float64). */
const UNARY_RANGES: Record<UnaryOp, [number, number]> = {
  neg: [-5, 5],
  abs: [-5, 5],
  sign: [-2, 2],
  exp: [-80, 80],
  expm1: [-3, 3],
  log: [1e-3, 1e4],
  log1p: [-0.9, 50],
  sqrt: [0, 100],
  rsqrt: [0.01, 100],
  square: [-30, 30],
  reciprocal: [0.1, 10],
  floor: [-10, 10],
  ceil: [-10, 10],
  round: [-10, 10],
  sin: [-10, 10],
  cos: [-10, 10],
  erf: [-4, 4],
  clip: [-5, 5],
  affine: [-5, 5],
  powScalar: [0.01, 5],
  linear: [-5, 5],
  relu: [-5, 5],
  relu6: [-3, 9],
  leakyRelu: [-5, 5],
  elu: [-8, 5],
  selu: [-8, 5],
  gelu: [-6, 6],
  geluTanh: [-6, 6],
  sigmoid: [-30, 30],
  hardSigmoid: [-5, 5],
  tanh: [-12, 12],
  softplus: [-30, 30],
  softsign: [-5, 5],
  silu: [-20, 20],
};

const PARAMS: Partial<Record<UnaryOp, [number, number][]>> = {
  clip: [
    [-1, 2],
    [0, 0.5],
  ],
  affine: [[0.37, -1.25]],
  powScalar: [
    [2, 0],
    [0.5, 0],
    [3, 0],
    [-1, 0],
    [1.7, 0],
    [-0.3, 0],
  ],
  leakyRelu: [[0.2, 0]],
  elu: [[1.3, 0]],
};

const ACTIVATIONS: ActivationOp[] = [
  'linear',
  'relu',
  'relu6',
  'leakyRelu',
  'elu',
  'selu',
  'gelu',
  'geluTanh',
  'sigmoid',
  'hardSigmoid',
  'tanh',
  'softplus',
  'softsign',
  'silu',
];

const BINARY: BinaryOp[] = [
  'add',
  'sub',
  'mul',
  'div',
  'pow',
  'maximum',
  'minimum',
  'squaredDifference',
  'floorDiv',
  'mod',
  'atan2',
];
const COMPARE: CompareOp[] = ['equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual', 'logicalAnd', 'logicalOr'];

/** Shapes of two operands broadcasting to `out` (random axes set to 1 or dropped). */
function broadcastPair(rng: { bool(): boolean; int(a: number, b: number): number }, out: number[]): [number[], number[]] {
  const one = (): number[] => {
    const s = out.map((d) => (rng.bool() && rng.bool() ? 1 : d));
    return s.slice(rng.int(0, Math.min(2, s.length)));
  };
  return [one(), one()];
}

describeEachIsa('native unary', (native, makeRng) => {
  it('matches the reference for every op, size and parameter', () => {
    const rng = makeRng();
    for (const op of Object.keys(UNARY_RANGES) as UnaryOp[]) {
      const [lo, hi] = UNARY_RANGES[op];
      for (const [alpha, beta] of PARAMS[op] ?? [[0, 0]]) {
        for (const n of SIZES) {
          const x = rng.floats(n, lo, hi);
          if (op === 'round') for (let i = 0; i < n; i += 5) x[i] = Math.round(x[i] as number) + 0.5;
          const want = new Float32Array(n);
          const got = new Float32Array(n);
          js.unary(op, x, want, alpha, beta);
          native.unary(op, x, got, alpha, beta);
          expectClose(got, want, `${op}(${alpha}, ${beta}) n=${n}`);
        }
      }
    }
  });

  it('keeps NaN and infinities where the reference does', () => {
    const x = Float32Array.of(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, -0, 1e-40);
    for (const op of ['exp', 'log', 'tanh', 'sigmoid', 'abs', 'sqrt', 'relu', 'expm1', 'log1p', 'softplus'] as UnaryOp[]) {
      const want = new Float32Array(x.length);
      const got = new Float32Array(x.length);
      js.unary(op, x, want, 0, 0);
      native.unary(op, x, got, 0, 0);
      expectClose(got, want, op);
    }
  });

  it('computes in place (out aliases x)', () => {
    const rng = makeRng();
    const x = rng.floats(1001);
    const want = new Float32Array(1001);
    js.unary('tanh', x, want, 0, 0);
    native.unary('tanh', x, x, 0, 0);
    expectClose(x, want, 'tanh in place');
  });

  it('delegates int32 tensors to exact integer arithmetic', () => {
    const x = Int32Array.of(-3, 0, 7, -2147483647);
    const got = new Int32Array(4);
    native.unary('neg', x, got, 0, 0);
    expectEqual(got, [3, 0, -7, 2147483647], 'neg int32');
  });
});

describeEachIsa('native unaryGrad', (native, makeRng) => {
  it('matches the reference for every activation', () => {
    const rng = makeRng();
    for (const op of ACTIVATIONS) {
      const [lo, hi] = UNARY_RANGES[op];
      for (const n of SIZES) {
        const x = rng.floats(n, lo, hi);
        const y = new Float32Array(n);
        const alpha = op === 'leakyRelu' ? 0.2 : op === 'elu' ? 1.3 : 0;
        js.unary(op, x, y, alpha, 0);
        const dy = rng.floats(n);
        const want = new Float32Array(n);
        const got = new Float32Array(n);
        js.unaryGrad(op, x, y, dy, want, alpha);
        native.unaryGrad(op, x, y, dy, got, alpha);
        expectClose(got, want, `${op}' n=${n}`);
      }
    }
  });
});

describeEachIsa('native binary and compare', (native, makeRng) => {
  it('matches the reference on random broadcast shapes', () => {
    const rng = makeRng();
    for (let trial = 0; trial < 60; trial++) {
      const out = rng.shape(0, 4);
      const [sa, sb] = broadcastPair(rng, out);
      const a = rng.floats(sizeOf(sa), -4, 4);
      const b = rng.floats(sizeOf(sb), -4, 4);
      for (let i = 0; i < b.length; i += 3) if (a.length > 0) b[i] = a[i % a.length] as number;
      const bNonZero = b.map((v) => (Math.abs(v) < 0.25 ? 0.5 : v));
      const aPositive = a.map((v) => Math.abs(v) + 0.1);
      for (const op of BINARY) {
        const left = op === 'pow' ? aPositive : a;
        const right = op === 'div' || op === 'floorDiv' || op === 'mod' ? bNonZero : b;
        const want = new Float32Array(sizeOf(out));
        const got = new Float32Array(sizeOf(out));
        js.binary(op, left, sa, right, sb, want, out);
        native.binary(op, left, sa, right, sb, got, out);
        expectClose(got, want, `${op} [${sa}] [${sb}] -> [${out}]`);
      }
      for (const op of COMPARE) {
        const want = new Int32Array(sizeOf(out));
        const got = new Int32Array(sizeOf(out));
        js.compare(op, a, sa, b, sb, want, out);
        native.compare(op, a, sa, b, sb, got, out);
        expectEqual(got, want, `${op} [${sa}] [${sb}] -> [${out}]`);
      }
    }
  });

  it('splits one long row across threads and handles scalars on either side', () => {
    const rng = makeRng();
    const n = 300_001;
    const a = rng.floats(n);
    const s = Float32Array.of(1.5);
    for (const [sa, sb, x, y] of [
      [[n], [n], a, a.slice().reverse()],
      [[n], [], a, s],
      [[], [n], s, a],
    ] as const) {
      const want = new Float32Array(n);
      const got = new Float32Array(n);
      js.binary('sub', x, sa, y, sb, want, [n]);
      native.binary('sub', x, sa, y, sb, got, [n]);
      expectClose(got, want, `sub [${sa}] [${sb}]`);
    }
  });

  it('selects with float or int conditions and either dtype, broadcasting all three', () => {
    const rng = makeRng();
    for (let trial = 0; trial < 30; trial++) {
      const out = rng.shape(0, 4);
      const [sc, sa] = broadcastPair(rng, out);
      const [sb] = broadcastPair(rng, out);
      const condF = rng.floats(sizeOf(sc)).map((v) => (v > 0 ? 1 : v < -2 ? -0 : 0));
      const condI = rng.ints(sizeOf(sc), -1, 1);
      for (const cond of [condF, condI]) {
        for (const int of [false, true]) {
          const a = int ? rng.ints(sizeOf(sa), -9, 9) : rng.floats(sizeOf(sa));
          const b = int ? rng.ints(sizeOf(sb), -9, 9) : rng.floats(sizeOf(sb));
          const want = int ? new Int32Array(sizeOf(out)) : new Float32Array(sizeOf(out));
          const got = int ? new Int32Array(sizeOf(out)) : new Float32Array(sizeOf(out));
          js.select(cond, sc, a, sa, b, sb, want, out);
          native.select(cond, sc, a, sa, b, sb, got, out);
          expectEqual(got, want, `select [${sc}] [${sa}] [${sb}] -> [${out}]`);
        }
      }
    }
  });

  it('casts float32 to int32 like JavaScript (truncation, NaN to 0, wrap-around) and back', () => {
    const x = Float32Array.of(1.9, -1.9, 0, Number.NaN, Number.POSITIVE_INFINITY, 3e9, -3e9, 2147483520, 123456789);
    const want = new Int32Array(x.length);
    const got = new Int32Array(x.length);
    js.cast(x, want);
    native.cast(x, got);
    expectEqual(got, want, 'float32 -> int32');
    const back = new Float32Array(x.length);
    const backWant = new Float32Array(x.length);
    js.cast(want, backWant);
    native.cast(want, back);
    expectEqual(back, backWant, 'int32 -> float32');
  });
});
