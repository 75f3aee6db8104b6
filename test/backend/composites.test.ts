/**
 * Every composite default (BaseBackend, run on the toy backend's primitives over opaque storage)
 * agrees with the js
 * backend's fused kernel on odd sizes: strides, dilation, asymmetric padding, channel
 * multipliers above 1, overlapping pooling windows, odd row counts.
 */
import { describe, expect, it } from 'vitest';
import type { ActivationOp, Conv2DInfo } from '../../src/backend/backend.js';
import { JsBackend } from '../../src/backend/js/index.js';
import type { TypedArray } from '../../src/tensor/dtype.js';
import type { Storage } from '../../src/tensor/storage.js';
import { expectClose, Rng } from '../native/harness.js';
import { ToyBackend } from './toy-backend.js';

const js = new JsBackend();
const toy = withHostArguments(new ToyBackend({ opaque: true }));

/**
 * The boxed toy, called with host arrays: each typed-array argument is uploaded into a box before
 * the call and read back into the caller's array after it (outputs and in-place states). Inside,
 * the defaults see only boxes, so one that indexed storage or let a host array reach a kernel fails.
 */
function withHostArguments(backend: ToyBackend): ToyBackend {
  const isHost = (a: unknown): a is TypedArray => a instanceof Float32Array || a instanceof Int32Array;
  return new Proxy(backend, {
    get(target, key, receiver) {
      const member = Reflect.get(target, key, receiver) as unknown;
      if (typeof member !== 'function') return member;
      return (...args: unknown[]) => {
        const boxed: [TypedArray, Storage][] = [];
        const box = (a: unknown): unknown => {
          if (isHost(a)) {
            const handle = target.upload(a);
            boxed.push([a, handle]);
            return handle;
          }
          return Array.isArray(a) && a.some(isHost) ? a.map(box) : a;
        };
        const result = (member as (...a: unknown[]) => unknown).apply(target, args.map(box));
        for (const [host, handle] of boxed) host.set(target.readSync(handle));
        return result;
      };
    },
  });
}

interface Geometry {
  batch: number;
  size: [number, number];
  channels: number;
  outChannels: number;
  filter: [number, number];
  stride: [number, number];
  dilation: [number, number];
  padding: 'valid' | 'same';
}

/** TensorFlow's output size and padding split (the extra cell of an odd 'same' pad goes after). */
function infoOf(g: Geometry): Conv2DInfo {
  const axis = (d: 0 | 1) => {
    const extent = (g.filter[d] - 1) * g.dilation[d] + 1;
    if (g.padding === 'valid') return { out: Math.floor((g.size[d] - extent) / g.stride[d]) + 1, before: 0, after: 0 };
    const out = Math.ceil(g.size[d] / g.stride[d]);
    const total = Math.max((out - 1) * g.stride[d] + extent - g.size[d], 0);
    return { out, before: Math.floor(total / 2), after: total - Math.floor(total / 2) };
  };
  const h = axis(0);
  const w = axis(1);
  return {
    batch: g.batch,
    inHeight: g.size[0],
    inWidth: g.size[1],
    inChannels: g.channels,
    outHeight: h.out,
    outWidth: w.out,
    outChannels: g.outChannels,
    filterHeight: g.filter[0],
    filterWidth: g.filter[1],
    strideHeight: g.stride[0],
    strideWidth: g.stride[1],
    dilationHeight: g.dilation[0],
    dilationWidth: g.dilation[1],
    padTop: h.before,
    padBottom: h.after,
    padLeft: w.before,
    padRight: w.after,
  };
}

const convCases: Geometry[] = [
  { batch: 2, size: [7, 9], channels: 3, outChannels: 5, filter: [3, 3], stride: [1, 1], dilation: [1, 1], padding: 'valid' },
  { batch: 1, size: [8, 7], channels: 2, outChannels: 3, filter: [3, 2], stride: [2, 3], dilation: [1, 1], padding: 'same' },
  { batch: 3, size: [9, 11], channels: 4, outChannels: 2, filter: [3, 3], stride: [1, 1], dilation: [2, 3], padding: 'same' },
  { batch: 2, size: [10, 9], channels: 1, outChannels: 4, filter: [2, 3], stride: [3, 2], dilation: [2, 1], padding: 'valid' },
  { batch: 1, size: [5, 5], channels: 3, outChannels: 3, filter: [5, 5], stride: [2, 2], dilation: [1, 1], padding: 'same' },
];

const describeInfo = (i: Conv2DInfo) =>
  `${i.batch}x${i.inHeight}x${i.inWidth}x${i.inChannels} k${i.filterHeight}x${i.filterWidth} s${i.strideHeight},${i.strideWidth} d${i.dilationHeight},${i.dilationWidth} pad ${i.padTop},${i.padBottom},${i.padLeft},${i.padRight}`;

function sizes(info: Conv2DInfo) {
  return {
    x: info.batch * info.inHeight * info.inWidth * info.inChannels,
    y: info.batch * info.outHeight * info.outWidth * info.outChannels,
  };
}

/** Runs one kernel on both backends with copies of the same inputs and compares every output. */
function agree(
  what: string,
  outputs: number[],
  run: (b: JsBackend | ToyBackend, outs: Float32Array[]) => void,
  tol = 1e-5,
): void {
  const expected = outputs.map((n) => new Float32Array(n));
  const actual = outputs.map((n) => new Float32Array(n).fill(Number.NaN));
  run(js, expected);
  run(toy, actual);
  for (const [i, e] of expected.entries()) expectClose(actual[i] as Float32Array, e, `${what} output ${i}`, tol);
}

describe('composite defaults agree with the js fused kernels', () => {
  it('conv2dBackpropInput and conv2dBackpropFilter (strides, dilation, same/valid padding)', () => {
    const rng = new Rng(11);
    for (const g of convCases) {
      const info = infoOf(g);
      const n = sizes(info);
      const filterSize = g.filter[0] * g.filter[1] * g.channels * g.outChannels;
      const x = rng.floats(n.x);
      const f = rng.floats(filterSize);
      const dy = rng.floats(n.y);
      agree(
        `conv2dBackpropInput ${describeInfo(info)}`,
        [n.x],
        (b, [dx]) => b.conv2dBackpropInput(dy, f, dx as Float32Array, info),
        1e-4,
      );
      agree(
        `conv2dBackpropFilter ${describeInfo(info)}`,
        [filterSize],
        (b, [df]) => b.conv2dBackpropFilter(x, dy, df as Float32Array, info),
        1e-4,
      );
    }
  });

  it('depthwise forward and both gradients (multipliers 1, 2 and 3)', () => {
    const rng = new Rng(12);
    for (const [k, g] of convCases.entries()) {
      const multiplier = (k % 3) + 1;
      const info = infoOf({ ...g, outChannels: g.channels * multiplier });
      const n = sizes(info);
      const filterSize = g.filter[0] * g.filter[1] * g.channels * multiplier;
      const x = rng.floats(n.x);
      const f = rng.floats(filterSize);
      const dy = rng.floats(n.y);
      const what = `${describeInfo(info)} multiplier ${multiplier}`;
      agree(`depthwiseConv2d ${what}`, [n.y], (b, [out]) => b.depthwiseConv2d(x, f, out as Float32Array, info), 1e-4);
      agree(
        `depthwiseConv2dBackpropInput ${what}`,
        [n.x],
        (b, [dx]) => b.depthwiseConv2dBackpropInput(dy, f, dx as Float32Array, info),
        1e-4,
      );
      agree(
        `depthwiseConv2dBackpropFilter ${what}`,
        [filterSize],
        (b, [df]) => b.depthwiseConv2dBackpropFilter(x, dy, df as Float32Array, info),
        1e-4,
      );
    }
  });

  it('maxPool2dGrad and avgPool2dGrad (overlapping windows, strides, padding)', () => {
    const rng = new Rng(13);
    const pools: Geometry[] = [
      { batch: 2, size: [7, 7], channels: 3, outChannels: 3, filter: [2, 2], stride: [2, 2], dilation: [1, 1], padding: 'valid' },
      { batch: 1, size: [9, 8], channels: 2, outChannels: 2, filter: [3, 3], stride: [2, 1], dilation: [1, 1], padding: 'same' },
      { batch: 2, size: [5, 11], channels: 5, outChannels: 5, filter: [3, 2], stride: [1, 3], dilation: [1, 1], padding: 'same' },
      { batch: 1, size: [6, 6], channels: 1, outChannels: 1, filter: [4, 4], stride: [3, 3], dilation: [1, 1], padding: 'same' },
    ];
    for (const g of pools) {
      const info = infoOf(g);
      const n = sizes(info);
      // distinct values so the max of each window is unique; ties are tested below
      const x = rng.floats(n.x);
      const dy = rng.floats(n.y);
      agree(`maxPool2dGrad ${describeInfo(info)}`, [n.x], (b, [dx]) => b.maxPool2dGrad(x, dy, dx as Float32Array, info));
      agree(`avgPool2dGrad ${describeInfo(info)}`, [n.x], (b, [dx]) => b.avgPool2dGrad(dy, dx as Float32Array, info));
    }
    // a window of equal values routes its gradient to the first cell, as the js kernel does
    const tied = infoOf(pools[1] as Geometry);
    const flat = new Float32Array(sizes(tied).x).fill(1);
    const dy = rng.floats(sizes(tied).y);
    agree('maxPool2dGrad with ties', [sizes(tied).x], (b, [dx]) => b.maxPool2dGrad(flat, dy, dx as Float32Array, tied));
  });

  it('softmax, logSoftmax and their gradients (odd rows and columns)', () => {
    const rng = new Rng(14);
    for (const [rows, cols] of [
      [1, 1],
      [3, 7],
      [17, 5],
    ] as const) {
      const x = rng.floats(rows * cols, -20, 20);
      const dy = rng.floats(rows * cols);
      const n = rows * cols;
      agree(`softmax ${rows}x${cols}`, [n], (b, [o]) => b.softmax(x, rows, cols, o as Float32Array));
      agree(`logSoftmax ${rows}x${cols}`, [n], (b, [o]) => b.logSoftmax(x, rows, cols, o as Float32Array));
      const y = new Float32Array(n);
      js.softmax(x, rows, cols, y);
      agree(`softmaxGrad ${rows}x${cols}`, [n], (b, [o]) => b.softmaxGrad(y, dy, rows, cols, o as Float32Array));
      js.logSoftmax(x, rows, cols, y);
      agree(`logSoftmaxGrad ${rows}x${cols}`, [n], (b, [o]) => b.logSoftmaxGrad(y, dy, rows, cols, o as Float32Array));
    }
  });

  it('batch norm inference, training and gradient (with and without gamma/beta)', () => {
    const rng = new Rng(15);
    for (const [rows, channels] of [
      [7, 3],
      [33, 5],
    ] as const) {
      const x = rng.floats(rows * channels, -4, 6);
      const dy = rng.floats(rows * channels);
      const mean = rng.floats(channels);
      const variance = rng.floats(channels, 0.1, 3);
      for (const affine of [true, false]) {
        const gamma = affine ? rng.floats(channels) : null;
        const beta = affine ? rng.floats(channels) : null;
        const what = `${rows}x${channels}${affine ? ' with gamma/beta' : ''}`;
        agree(`batchNormInference ${what}`, [rows * channels], (b, [o]) =>
          b.batchNormInference(x, mean, variance, gamma, beta, 1e-3, channels, o as Float32Array),
        );
        agree(`batchNormTraining ${what}`, [rows * channels, channels, channels], (b, [o, m, v]) =>
          b.batchNormTraining(x, gamma, beta, 1e-3, channels, o as Float32Array, m as Float32Array, v as Float32Array),
        );
        agree(`batchNormGrad ${what}`, [rows * channels, channels, channels], (b, [dx, dg, db]) =>
          b.batchNormGrad(
            x,
            dy,
            mean,
            variance,
            gamma,
            1e-3,
            channels,
            dx as Float32Array,
            dg as Float32Array,
            db as Float32Array,
          ),
        );
      }
    }
  });

  it('layer norm and its gradient (with and without gamma/beta)', () => {
    const rng = new Rng(19);
    for (const [rows, cols] of [
      [1, 7],
      [9, 33],
    ] as const) {
      const n = rows * cols;
      const x = rng.floats(n, -4, 6);
      const dy = rng.floats(n);
      for (const affine of [true, false]) {
        const gamma = affine ? rng.floats(cols) : null;
        const beta = affine ? rng.floats(cols) : null;
        const what = `${rows}x${cols}${affine ? ' with gamma/beta' : ''}`;
        agree(`layerNorm ${what}`, [n, rows, rows], (b, [o, m, r]) =>
          b.layerNorm(x, gamma, beta, 1e-3, rows, cols, o as Float32Array, m as Float32Array, r as Float32Array),
        );
        const mean = new Float32Array(rows);
        const rstd = new Float32Array(rows);
        js.layerNorm(x, gamma, beta, 1e-3, rows, cols, new Float32Array(n), mean, rstd);
        agree(`layerNormGrad ${what}`, [n, cols, cols], (b, [dx, dg, db]) =>
          b.layerNormGrad(x, dy, mean, rstd, gamma, rows, cols, dx as Float32Array, dg as Float32Array, db as Float32Array),
        );
      }
    }
  });

  it('unaryGrad for every activation', () => {
    const rng = new Rng(16);
    const ops: ActivationOp[] = [
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
    // values straddling each kink (0, ±3, 6) plus random ones
    const x = Float32Array.from([...rng.floats(37, -8, 8), -3.5, -3, -2.5, -0.5, 0, 0.5, 5.5, 6, 6.5]);
    const dy = rng.floats(x.length);
    for (const op of ops) {
      const y = new Float32Array(x.length);
      js.unary(op, x, y, 0.3, 0);
      agree(`unaryGrad ${op}`, [x.length], (b, [dx]) => b.unaryGrad(op, x, y, dy, dx as Float32Array, 0.3), 2e-5);
    }
  });

  it('concat, tile and oneHot', () => {
    const rng = new Rng(17);
    const a = rng.floats(2 * 3 * 5);
    const c = rng.floats(2 * 4 * 5);
    agree('concat axis 1', [2 * 7 * 5], (b, [o]) =>
      b.concat(
        [a, c],
        [
          [2, 3, 5],
          [2, 4, 5],
        ],
        1,
        o as Float32Array,
      ),
    );
    agree('tile [2,3,5] by [3,1,2]', [2 * 3 * 5 * 6], (b, [o]) => b.tile(a, [2, 3, 5], [3, 1, 2], o as Float32Array));
    const indices = Int32Array.from([0, 4, 2, -1, 7, 3, 3]);
    agree('oneHot depth 5 (out-of-range rows all off)', [7 * 5], (b, [o]) => b.oneHot(indices, 5, 2.5, -1, o as Float32Array));
    const ints = [new Int32Array(7 * 5), new Int32Array(7 * 5)] as const;
    js.oneHot(indices, 5, 1, 0, ints[0]);
    toy.oneHot(indices, 5, 1, 0, ints[1]);
    expect(Array.from(ints[1])).toEqual(Array.from(ints[0]));
  });

  it('every optimizer update, weight decay and clipping', () => {
    const rng = new Rng(18);
    const n = 37;
    const grad = rng.floats(n);
    const param = rng.floats(n);
    const slot = () => rng.floats(n, 0, 1);
    /** Runs an in-place update on both backends from the same starting state and compares all of it. */
    const inPlace = (
      what: string,
      state: Float32Array[],
      step: (b: JsBackend | ToyBackend, s: Float32Array[]) => void,
      tol = 2e-5,
    ) => {
      const expected = state.map((s) => s.slice());
      const actual = state.map((s) => s.slice());
      step(js, expected);
      step(toy, actual);
      for (const [i, e] of expected.entries()) expectClose(actual[i] as Float32Array, e, `${what} state ${i}`, tol);
    };
    const f = (s: Float32Array[], i: number) => s[i] as Float32Array;
    for (const nesterov of [false, true]) {
      inPlace(`sgd momentum nesterov=${nesterov}`, [param, slot()], (b, s) =>
        b.sgdUpdate(f(s, 0), grad, f(s, 1), 0.05, 0.9, nesterov),
      );
    }
    inPlace('sgd plain', [param], (b, s) => b.sgdUpdate(f(s, 0), grad, null, 0.05, 0, false));
    inPlace('adam', [param, slot(), slot()], (b, s) =>
      b.adamUpdate(f(s, 0), grad, f(s, 1), f(s, 2), null, 0.01, 0.9, 0.999, 1e-7),
    );
    inPlace('amsgrad', [param, slot(), slot(), slot()], (b, s) =>
      b.adamUpdate(f(s, 0), grad, f(s, 1), f(s, 2), f(s, 3), 0.01, 0.9, 0.999, 1e-7),
    );
    inPlace('adagrad', [param, slot()], (b, s) => b.adagradUpdate(f(s, 0), grad, f(s, 1), 0.01, 1e-7));
    inPlace('adadelta', [param, slot(), slot()], (b, s) => b.adadeltaUpdate(f(s, 0), grad, f(s, 1), f(s, 2), 1, 0.95, 1e-7));
    inPlace('adamax', [param, slot(), slot()], (b, s) =>
      b.adamaxUpdate(f(s, 0), grad, f(s, 1), f(s, 2), 0.01, 0.9, 0.999, 1e-7, 3),
    );
    const u = (t: number) => 0.9 * (1 - 0.5 * 0.96 ** t);
    inPlace('nadam', [param, slot(), slot()], (b, s) =>
      b.nadamUpdate(f(s, 0), grad, f(s, 1), f(s, 2), {
        learningRate: 0.01,
        beta1: 0.9,
        beta2: 0.999,
        epsilon: 1e-7,
        momentum: u(3),
        nextMomentum: u(4),
        momentumProduct: u(1) * u(2) * u(3),
        nextMomentumProduct: u(1) * u(2) * u(3) * u(4),
        beta2Power: 0.999 ** 3,
      }),
    );
    for (const [momentum, centered] of [
      [0, false],
      [0.9, false],
      [0, true],
      [0.9, true],
    ] as const) {
      const state = [param, rng.floats(n, 1, 2), slot(), rng.floats(n, -0.1, 0.1)];
      inPlace(`rmsprop momentum=${momentum} centered=${centered}`, state, (b, s) =>
        b.rmspropUpdate(
          f(s, 0),
          grad,
          f(s, 1),
          momentum > 0 ? f(s, 2) : null,
          centered ? f(s, 3) : null,
          0.01,
          0.9,
          momentum,
          1e-7,
        ),
      );
    }
    inPlace('weight decay', [param], (b, s) => b.weightDecayUpdate(f(s, 0), 1 - 0.004 * 0.01));
    for (const c of [0.5, 1e6]) {
      agree(`clipByValue ${c}`, [n], (b, [o]) => b.clipByValue(grad, c, o as Float32Array));
      agree(`clipByNorm ${c}`, [n], (b, [o]) => b.clipByNorm(grad, c, o as Float32Array));
      const other = rng.floats(5);
      agree(`clipByGlobalNorm ${c}`, [n, 5], (b, outs) => b.clipByGlobalNorm([grad, other], c, outs));
    }
  });
});
