/**
 * The IEEE 754 edge cases every engine must answer alike, with TensorFlow's answer: NaN, ±Infinity,
 * -0, empty axes, huge indices. Each row computes one tensor and states the exact values it must
 * hold (NaN matches NaN; 0 matches -0 unless the row says the sign matters) or the error it must
 * throw. Read by edge-cases.test.ts on every engine (js, and native under each ISA).
 */
import * as capa from '../../src/index.js';

const { ops } = capa;
const NaN_ = Number.NaN;
const INF = Infinity;

export interface EdgeRow {
  name: string;
  run: () => capa.Tensor;
  /** Expected values, row-major; or the message (a substring) the op must throw. */
  expect: number[] | { throws: string };
  /** Compare the sign of zeros too. */
  signedZero?: boolean;
}

const t = (values: number[], shape?: number[]) => capa.tensor(values, shape ?? [values.length]);
const SPECIAL = [NaN_, INF, -INF, -0, 0];
const unary = (name: string, f: (x: capa.Tensor) => capa.Tensor, expect: number[], signedZero = false): EdgeRow => ({
  name: `${name}(NaN, Inf, -Inf, -0, 0)`,
  run: () => f(t(SPECIAL)),
  expect,
  signedZero,
});

/** x ones [1, 3, 3, C] with a 2x2 'same' window: the bottom row and right column of taps read padding. */
function padded(channels: number) {
  return { x: capa.ones([1, 3, 3, channels]), options: { padding: 'same' as const } };
}

export const edgeRows: EdgeRow[] = [
  // activations and math on the special values
  unary('relu', ops.relu, [NaN_, INF, 0, 0, 0]),
  unary('relu6', ops.relu6, [NaN_, 6, 0, 0, 0]),
  unary('leakyRelu', (x) => ops.leakyRelu(x, 0.2), [NaN_, INF, -INF, 0, 0]),
  unary('elu', (x) => ops.elu(x), [NaN_, INF, -1, 0, 0]),
  unary('selu', ops.selu, [NaN_, INF, -1.0507009873554805 * 1.6732632423543772, 0, 0]),
  unary('clip', (x) => ops.clip(x, -1, 1), [NaN_, 1, -1, 0, 0]),
  unary('sigmoid', ops.sigmoid, [NaN_, 1, 0, 0.5, 0.5]),
  unary('hardSigmoid', ops.hardSigmoid, [NaN_, 1, 0, 0.5, 0.5]),
  unary('tanh', ops.tanh, [NaN_, 1, -1, 0, 0]),
  unary('softplus', ops.softplus, [NaN_, INF, 0, Math.LN2, Math.LN2]),
  unary('softsign', ops.softsign, [NaN_, NaN_, NaN_, 0, 0]),
  unary('exp', ops.exp, [NaN_, INF, 0, 1, 1]),
  unary('expm1', ops.expm1, [NaN_, INF, -1, 0, 0]),
  unary('log', ops.log, [NaN_, INF, NaN_, -INF, -INF]),
  unary('log1p', ops.log1p, [NaN_, INF, NaN_, 0, 0]),
  unary('sqrt', ops.sqrt, [NaN_, INF, NaN_, -0, 0], true),
  unary('rsqrt', ops.rsqrt, [NaN_, 0, NaN_, -INF, INF]),
  unary('reciprocal', ops.reciprocal, [NaN_, 0, -0, -INF, INF], true),
  unary('neg', ops.neg, [NaN_, -INF, INF, 0, -0], true),
  unary('abs', ops.abs, [NaN_, INF, INF, 0, 0], true),
  unary('erf', ops.erf, [NaN_, 1, -1, 0, 0]),
  unary('floor', ops.floor, [NaN_, INF, -INF, -0, 0], true),
  unary('round', ops.round, [NaN_, INF, -INF, -0, 0], true),
  unary('square', ops.square, [NaN_, INF, INF, 0, 0]),
  { name: 'round halves to even', run: () => ops.round(t([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5])), expect: [-2, -2, -0, 0, 2, 2] },
  // binary ops
  {
    name: 'maximum/minimum keep NaN from either side',
    run: () => ops.concat([ops.maximum(t([NaN_, 1, -INF]), t([1, NaN_, -0])), ops.minimum(t([NaN_, 1, INF]), t([1, NaN_, 0]))]),
    expect: [NaN_, NaN_, 0, NaN_, NaN_, 0],
  },
  {
    name: 'pow: 1 ** anything and (-1) ** ±Inf are 1 (C, IEEE 754)',
    run: () => ops.pow(t([1, 1, -1, -1, NaN_, 0, -0, -8, 2]), t([NaN_, INF, INF, -INF, 0, -1, -1, 1 / 3, -INF])),
    expect: [1, 1, 1, 1, 1, INF, -INF, NaN_, 0],
  },
  {
    name: 'division, floorDiv and mod by zero',
    run: () => ops.concat([ops.div(t([1, -1, 0]), t([0, 0, 0])), ops.floorDiv(t([1, -1]), t([0, 0])), ops.mod(t([1]), t([0]))]),
    expect: [INF, -INF, NaN_, INF, -INF, NaN_],
  },
  {
    name: 'comparisons with NaN are false (notEqual true)',
    run: () =>
      ops.concat([
        ops.equal(t([NaN_]), t([NaN_])),
        ops.notEqual(t([NaN_]), t([NaN_])),
        ops.less(t([NaN_]), t([1])),
        ops.greater(t([NaN_]), t([1])),
      ]),
    expect: [0, 1, 0, 0],
  },
  // reductions
  {
    name: 'max/min/argmax/argmin see NaN (first NaN wins)',
    run: () =>
      ops.concat(
        [
          ops.max(t([1, NaN_, INF])),
          ops.min(t([-INF, NaN_, 1])),
          ops.cast(ops.argmax(t([1, NaN_, INF, NaN_])), 'float32'),
          ops.cast(ops.argmin(t([-INF, 2, NaN_])), 'float32'),
        ].map((x) => ops.reshape(x, [1])),
      ),
    expect: [NaN_, NaN_, 1, 2],
  },
  { name: 'sum over an empty axis is 0', run: () => ops.sum(capa.zeros([0, 3]), 0), expect: [0, 0, 0] },
  { name: 'sum over non-adjacent axes, one empty', run: () => ops.sum(capa.zeros([0, 3, 4]), [0, 2]), expect: [0, 0, 0] },
  { name: 'mean over an empty axis is NaN', run: () => ops.mean(capa.zeros([0, 2]), 0), expect: [NaN_, NaN_] },
  { name: 'max over an empty axis is -Infinity', run: () => ops.max(capa.zeros([0, 2]), 0), expect: [-INF, -INF] },
  { name: 'min over an empty axis is Infinity', run: () => ops.min(capa.zeros([2, 0]), 1), expect: [INF, INF] },
  { name: 'sum of Inf and -Inf is NaN', run: () => ops.sum(t([INF, 1, -INF])), expect: [NaN_] },
  { name: 'logSumExp of -Infinity only is -Infinity', run: () => ops.logSumExp(t([-INF, -INF])), expect: [-INF] },
  { name: 'logSumExp with +Infinity is Infinity', run: () => ops.logSumExp(t([INF, 1])), expect: [INF] },
  { name: 'softmax of a row with NaN is NaN', run: () => ops.softmax(t([1, NaN_, 2], [1, 3])), expect: [NaN_, NaN_, NaN_] },
  // indices
  {
    name: 'gather index 2^32 is out of range (no wrap to 0)',
    run: () => ops.gather(t([1, 2, 3]), [2 ** 32]),
    expect: { throws: 'gather: index 4294967296 is out of range' },
  },
  { name: 'oneHot index 2^32 + 1 is an off row (no wrap to 1)', run: () => ops.oneHot([2 ** 32 + 1], 3), expect: [0, 0, 0] },
  {
    name: 'cast NaN to int32 is refused',
    run: () => ops.cast(t([NaN_]), 'int32'),
    expect: { throws: 'cast to int32: element 0 is NaN' },
  },
  // pooling and convolution
  {
    name: 'maxPool2d: NaN wins, -Infinity stays',
    run: () => ops.maxPool2d(t([1, NaN_, -INF, -INF], [1, 2, 2, 1]), [1, 2]),
    expect: [NaN_, -INF],
  },
  {
    name: 'conv2d same: an infinite tap reading padding (zeros) gives NaN, as TensorFlow',
    run: () => {
      const { x, options } = padded(16);
      const k = capa.zeros([2, 2, 16, 1]).dataSync().slice();
      k[3 * 16] = INF; // tap (1, 1), channel 0
      return ops.conv2d(x, capa.tensor(k, [2, 2, 16, 1]), options);
    },
    expect: [INF, INF, NaN_, INF, INF, NaN_, NaN_, NaN_, NaN_],
  },
  {
    name: 'conv2d input gradient through an infinite tap: only real outputs contribute',
    run: () => {
      const k = t([0, 0, 0, INF], [2, 2, 1, 1]);
      return capa.grad((x: capa.Tensor) => ops.sum(ops.conv2d(x, k, { padding: 'same' })))(capa.ones([1, 3, 3, 1]));
    },
    expect: [0, 0, 0, 0, INF, INF, 0, INF, INF],
  },
  {
    name: 'conv2d filter gradient with an infinite dy: padding zeros times Inf is NaN',
    run: () => {
      const { x, options } = padded(32);
      const dy = capa.tensor([1, 1, 1, 1, 1, 1, 1, 1, INF], [1, 3, 3, 1]);
      const dk = capa.grad((k: capa.Tensor) => ops.conv2d(x, k, options))(capa.zeros([2, 2, 32, 1]), dy);
      return ops.slice(ops.reshape(dk, [4, 32]), [0, 0], [4, 1]); // channel 0 of each tap
    },
    expect: [INF, NaN_, NaN_, NaN_],
  },
  // normalization
  {
    name: 'batch norm of a constant channel with a huge mean and scale is beta (no float32 cancellation)',
    run: () => ops.batchNormTraining(t([-1202450.625, -1202450.625], [2, 1]), t([1382137.5]), t([1540.5]), 1e-3).y,
    expect: [1540.5, 1540.5],
  },
  {
    name: 'batch norm inference at x = mean, with a huge mean and scale, is the offset',
    run: () => ops.batchNormalization(t([-1202450.625], [1, 1]), t([-1202450.625]), t([0]), t([1540.5]), t([1382137.5]), 1e-3),
    expect: [1540.5],
  },
  {
    name: 'gelu (tanh form) gradient at huge values is 1 or 0, NaN at ±Infinity',
    run: () => capa.grad((x: capa.Tensor) => ops.sum(ops.gelu(x, true)))(t([1e30, -1e30, 3.4e38, -3.4e38, INF, NaN_])),
    expect: [1, 0, 1, 0, NaN_, NaN_],
  },
];
