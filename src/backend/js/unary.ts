import type { TypedArray } from '../../tensor/dtype.js';
import { INV_SQRT_2, INV_SQRT_2PI, SELU_ALPHA, SELU_SCALE, SQRT_2_OVER_PI } from '../activation-constants.js';
import type { ActivationOp, UnaryOp } from '../backend.js';
import { erf, pow } from './math.js';

type UnaryLoop = (x: TypedArray, out: TypedArray, n: number, alpha: number, beta: number) => void;
type GradLoop = (x: Float32Array, y: Float32Array, dy: Float32Array, dx: Float32Array, n: number, alpha: number) => void;

function sigmoid(v: number): number {
  return v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
}

function softplus(v: number): number {
  // log(1 + e^v) without overflow: max(v, 0) + log1p(e^-|v|)
  return Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
}

// One loop per op so the hot loop has no dispatch (the table is consulted once per call).
const loops: Record<UnaryOp, UnaryLoop> = {
  neg: (x, o, n) => {
    for (let i = 0; i < n; i++) o[i] = -(x[i] as number);
  },
  abs: (x, o, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.abs(x[i] as number);
  },
  sign: (x, o, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.sign(x[i] as number);
  },
  exp: (x, o, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.exp(x[i] as number);
  },
  expm1: (x, o, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.expm1(x[i] as number);
  },
  log: (x, o, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.log(x[i] as number);
  },
  log1p: (x, o, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.log1p(x[i] as number);
  },
  sqrt: (x, o, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.sqrt(x[i] as number);
  },
  rsqrt: (x, o, n) => {
    for (let i = 0; i < n; i++) o[i] = 1 / Math.sqrt(x[i] as number);
  },
  square: (x, o, n) => {
    for (let i = 0; i < n; i++) {
      const v = x[i] as number;
      o[i] = v * v;
    }
  },
  reciprocal: (x, o, n) => {
    for (let i = 0; i < n; i++) o[i] = 1 / (x[i] as number);
  },
  floor: (x, o, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.floor(x[i] as number);
  },
  ceil: (x, o, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.ceil(x[i] as number);
  },
  round: (x, o, n) => {
    // Banker's rounding, as TensorFlow and NumPy round halves to even.
    for (let i = 0; i < n; i++) {
      const v = x[i] as number;
      const r = Math.round(v);
      o[i] = Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
    }
  },
  sin: (x, o, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.sin(x[i] as number);
  },
  cos: (x, o, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.cos(x[i] as number);
  },
  erf: (x, o, n) => {
    for (let i = 0; i < n; i++) o[i] = erf(x[i] as number);
  },
  clip: (x, o, n, lo, hi) => {
    for (let i = 0; i < n; i++) {
      const v = x[i] as number;
      o[i] = v < lo ? lo : v > hi ? hi : v;
    }
  },
  affine: (x, o, n, scale, shift) => {
    for (let i = 0; i < n; i++) o[i] = (x[i] as number) * scale + shift;
  },
  powScalar: (x, o, n, p) => {
    for (let i = 0; i < n; i++) o[i] = pow(x[i] as number, p);
  },
  linear: (x, o) => {
    if (o !== x) o.set(x);
  },
  // Written so a NaN fails every comparison and passes through, as in TensorFlow and PyTorch.
  relu: (x, o, n) => {
    for (let i = 0; i < n; i++) {
      const v = x[i] as number;
      o[i] = v <= 0 ? 0 : v;
    }
  },
  relu6: (x, o, n) => {
    for (let i = 0; i < n; i++) {
      const v = x[i] as number;
      o[i] = v <= 0 ? 0 : v >= 6 ? 6 : v;
    }
  },
  leakyRelu: (x, o, n, alpha) => {
    for (let i = 0; i < n; i++) {
      const v = x[i] as number;
      o[i] = v > 0 ? v : v * alpha;
    }
  },
  elu: (x, o, n, alpha) => {
    for (let i = 0; i < n; i++) {
      const v = x[i] as number;
      o[i] = v > 0 ? v : alpha * Math.expm1(v);
    }
  },
  selu: (x, o, n) => {
    for (let i = 0; i < n; i++) {
      const v = x[i] as number;
      o[i] = v > 0 ? SELU_SCALE * v : SELU_SCALE * SELU_ALPHA * Math.expm1(v);
    }
  },
  gelu: (x, o, n) => {
    for (let i = 0; i < n; i++) {
      const v = x[i] as number;
      o[i] = 0.5 * v * (1 + erf(v * INV_SQRT_2));
    }
  },
  geluTanh: (x, o, n) => {
    for (let i = 0; i < n; i++) {
      const v = x[i] as number;
      o[i] = 0.5 * v * (1 + Math.tanh(SQRT_2_OVER_PI * (v + 0.044715 * v * v * v)));
    }
  },
  sigmoid: (x, o, n) => {
    for (let i = 0; i < n; i++) o[i] = sigmoid(x[i] as number);
  },
  hardSigmoid: (x, o, n) => {
    for (let i = 0; i < n; i++) {
      const v = (x[i] as number) / 6 + 0.5;
      o[i] = v < 0 ? 0 : v > 1 ? 1 : v;
    }
  },
  tanh: (x, o, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.tanh(x[i] as number);
  },
  softplus: (x, o, n) => {
    for (let i = 0; i < n; i++) o[i] = softplus(x[i] as number);
  },
  softsign: (x, o, n) => {
    for (let i = 0; i < n; i++) {
      const v = x[i] as number;
      o[i] = v / (1 + Math.abs(v));
    }
  },
  silu: (x, o, n) => {
    for (let i = 0; i < n; i++) {
      const v = x[i] as number;
      o[i] = v * sigmoid(v);
    }
  },
};

const gradLoops: Record<ActivationOp, GradLoop> = {
  linear: (_x, _y, dy, dx, n) => {
    if (dx !== dy) dx.set(dy.subarray(0, n));
  },
  relu: (x, _y, dy, dx, n) => {
    for (let i = 0; i < n; i++) dx[i] = (x[i] as number) > 0 ? (dy[i] as number) : 0;
  },
  relu6: (x, _y, dy, dx, n) => {
    for (let i = 0; i < n; i++) {
      const v = x[i] as number;
      dx[i] = v > 0 && v < 6 ? (dy[i] as number) : 0;
    }
  },
  leakyRelu: (x, _y, dy, dx, n, alpha) => {
    for (let i = 0; i < n; i++) dx[i] = (x[i] as number) > 0 ? (dy[i] as number) : (dy[i] as number) * alpha;
  },
  elu: (x, y, dy, dx, n, alpha) => {
    for (let i = 0; i < n; i++) dx[i] = (x[i] as number) > 0 ? (dy[i] as number) : (dy[i] as number) * ((y[i] as number) + alpha);
  },
  selu: (x, y, dy, dx, n) => {
    for (let i = 0; i < n; i++) {
      dx[i] =
        (x[i] as number) > 0 ? (dy[i] as number) * SELU_SCALE : (dy[i] as number) * ((y[i] as number) + SELU_SCALE * SELU_ALPHA);
    }
  },
  gelu: (x, _y, dy, dx, n) => {
    for (let i = 0; i < n; i++) {
      const v = x[i] as number;
      const cdf = 0.5 * (1 + erf(v * INV_SQRT_2));
      const pdf = INV_SQRT_2PI * Math.exp(-0.5 * v * v);
      dx[i] = (dy[i] as number) * (cdf + v * pdf);
    }
  },
  geluTanh: (x, _y, dy, dx, n) => {
    for (let i = 0; i < n; i++) {
      const v = x[i] as number;
      const inner = SQRT_2_OVER_PI * (v + 0.044715 * v * v * v);
      const t = Math.tanh(inner);
      const dInner = SQRT_2_OVER_PI * (1 + 3 * 0.044715 * v * v);
      dx[i] = (dy[i] as number) * (0.5 * (1 + t) + 0.5 * v * (1 - t * t) * dInner);
    }
  },
  sigmoid: (_x, y, dy, dx, n) => {
    for (let i = 0; i < n; i++) {
      const s = y[i] as number;
      dx[i] = (dy[i] as number) * s * (1 - s);
    }
  },
  hardSigmoid: (x, _y, dy, dx, n) => {
    for (let i = 0; i < n; i++) {
      const v = x[i] as number;
      dx[i] = v > -3 && v < 3 ? (dy[i] as number) / 6 : 0;
    }
  },
  tanh: (_x, y, dy, dx, n) => {
    for (let i = 0; i < n; i++) {
      const t = y[i] as number;
      dx[i] = (dy[i] as number) * (1 - t * t);
    }
  },
  softplus: (x, _y, dy, dx, n) => {
    for (let i = 0; i < n; i++) dx[i] = (dy[i] as number) * sigmoid(x[i] as number);
  },
  softsign: (x, _y, dy, dx, n) => {
    for (let i = 0; i < n; i++) {
      const d = 1 + Math.abs(x[i] as number);
      dx[i] = (dy[i] as number) / (d * d);
    }
  },
  silu: (x, _y, dy, dx, n) => {
    for (let i = 0; i < n; i++) {
      const v = x[i] as number;
      const s = sigmoid(v);
      dx[i] = (dy[i] as number) * s * (1 + v * (1 - s));
    }
  },
};

export function unary(op: UnaryOp, x: TypedArray, out: TypedArray, alpha: number, beta: number): void {
  loops[op](x, out, x.length, alpha, beta);
}

export function unaryGrad(
  op: ActivationOp,
  x: Float32Array,
  y: Float32Array,
  dy: Float32Array,
  dx: Float32Array,
  alpha: number,
): void {
  gradLoops[op](x, y, dy, dx, dy.length, alpha);
}

/** Applies a fused activation in place (used by matmul/conv stores). */
export function applyActivationInPlace(op: ActivationOp, values: Float32Array): void {
  if (op !== 'linear') loops[op](values, values, values.length, 0, 0);
}
