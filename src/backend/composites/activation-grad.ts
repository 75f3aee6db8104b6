/** Default `unaryGrad`: each activation's derivative as a formula over primitives. */
import { INV_SQRT_2, INV_SQRT_2PI, SELU_ALPHA, SELU_SCALE, SQRT_2_OVER_PI } from '../activation-constants.js';
import type { ActivationOp, RequiredPrimitives, Storage } from '../backend.js';
import { allocI32, copyInto, map, mask, where, zip } from './elementwise.js';

type Derivative = (b: RequiredPrimitives, x: Storage, y: Storage, dy: Storage, alpha: number) => Storage;

/** dy where x lies in (low, high), else 0. */
function passInside(b: RequiredPrimitives, x: Storage, dy: Storage, low: number, high: number): Storage {
  const n = b.sizeOf(x);
  const inside = allocI32(b, n);
  b.compare('logicalAnd', mask(b, 'greater', x, low), [n], mask(b, 'less', x, high), [n], inside, [n]);
  return where(b, inside, dy, 0);
}

const derivatives: Record<ActivationOp, Derivative> = {
  linear: (_b, _x, _y, dy) => dy,
  relu: (b, x, _y, dy) => where(b, mask(b, 'greater', x, 0), dy, 0),
  relu6: (b, x, _y, dy) => passInside(b, x, dy, 0, 6),
  leakyRelu: (b, x, _y, dy, alpha) => where(b, mask(b, 'greater', x, 0), dy, zip(b, 'mul', dy, alpha)),
  // for x <= 0, elu'(x) = alpha * exp(x) = y + alpha
  elu: (b, x, y, dy, alpha) => where(b, mask(b, 'greater', x, 0), dy, zip(b, 'mul', dy, map(b, 'affine', y, 1, alpha))),
  selu: (b, x, y, dy) =>
    where(
      b,
      mask(b, 'greater', x, 0),
      zip(b, 'mul', dy, SELU_SCALE),
      zip(b, 'mul', dy, map(b, 'affine', y, 1, SELU_SCALE * SELU_ALPHA)),
    ),
  // Φ(x) + x φ(x)
  gelu: (b, x, _y, dy) => {
    const cdf = map(b, 'affine', map(b, 'erf', map(b, 'affine', x, INV_SQRT_2, 0)), 0.5, 0.5);
    const pdf = map(b, 'affine', map(b, 'exp', map(b, 'affine', map(b, 'square', x), -0.5, 0)), INV_SQRT_2PI, 0);
    return zip(b, 'mul', dy, zip(b, 'add', cdf, zip(b, 'mul', x, pdf)));
  },
  // with t = tanh(c (x + 0.044715 x³)): 0.5 (1 + t) + 0.5 x (1 - t²) c (1 + 3 · 0.044715 x²)
  geluTanh: (b, x, _y, dy) => {
    const x2 = map(b, 'square', x);
    const inner = zip(b, 'mul', x, map(b, 'affine', x2, 0.044715 * SQRT_2_OVER_PI, SQRT_2_OVER_PI));
    const t = map(b, 'tanh', inner);
    const dInner = map(b, 'affine', x2, 3 * 0.044715 * SQRT_2_OVER_PI, SQRT_2_OVER_PI);
    const oneMinusT2 = map(b, 'affine', map(b, 'square', t), -1, 1);
    const right = zip(b, 'mul', zip(b, 'mul', map(b, 'affine', x, 0.5, 0), oneMinusT2), dInner);
    return zip(b, 'mul', dy, zip(b, 'add', map(b, 'affine', t, 0.5, 0.5), right));
  },
  sigmoid: (b, _x, y, dy) => zip(b, 'mul', dy, zip(b, 'mul', y, map(b, 'affine', y, -1, 1))),
  hardSigmoid: (b, x, _y, dy) => passInside(b, x, map(b, 'affine', dy, 1 / 6, 0), -3, 3),
  tanh: (b, _x, y, dy) => zip(b, 'mul', dy, map(b, 'affine', map(b, 'square', y), -1, 1)),
  softplus: (b, x, _y, dy) => zip(b, 'mul', dy, map(b, 'sigmoid', x)),
  softsign: (b, x, _y, dy) => zip(b, 'div', dy, map(b, 'square', map(b, 'affine', map(b, 'abs', x), 1, 1))),
  // s (1 + x (1 - s)) with s = sigmoid(x)
  silu: (b, x, _y, dy) => {
    const s = map(b, 'sigmoid', x);
    return zip(b, 'mul', dy, zip(b, 'mul', s, map(b, 'affine', zip(b, 'mul', x, map(b, 'affine', s, -1, 1)), 1, 1)));
  },
};

export function unaryGrad(
  b: RequiredPrimitives,
  op: ActivationOp,
  x: Storage,
  y: Storage,
  dy: Storage,
  dx: Storage,
  alpha: number,
): void {
  // computed into fresh storage, then copied: dx may alias dy
  const result = derivatives[op](b, x, y, dy, alpha);
  if (result !== dx) copyInto(b, result, dx);
}
